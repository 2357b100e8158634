"""Where `xcloud diff` reads the two sides of a change: the spec files on disk (head), and the base - an existing
file, or the same file at a git revision (`git show REF:path`, path relative to the repository root of the spec).

Only read-only git commands are run. A spec absent at the base is a new spec (everything added); a spec absent on
disk but present at the base is a deleted one (everything removed).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..spec.files import decode_input, is_missing, read_input

DEFAULT_SPEC_DIR = "stacks"  # where platform repos keep their specs (stacks/<name>.yaml)
SPEC_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class SpecSource:
    label: str
    """Where it came from, for people: `stacks/dr-pair.yaml`, `origin/main:stacks/dr-pair.yaml`."""
    text: str

    @property
    def file(self) -> str:
        """The file name findings and errors point at."""
        return self.label


class BaseUnusable(Exception):
    """The base cannot be read at all: not a file, not a revision, git missing, the spec not in a repository."""


def head_source(path: Path) -> SpecSource | None:
    """The spec on disk; None when nothing is there. Raises SpecError when something is there that is not a
    readable UTF-8 file (a directory, FIFO, symbolic-link loop, unreadable or non-UTF-8 file)."""
    if is_missing(path):
        return None
    return SpecSource(str(path), read_input(path))


def base_is_file(base: str) -> bool:
    """`base` names something on disk other than a folder (a file to compare with, or an unusable input such as a
    FIFO or a link loop), not a revision. A folder never is a spec: `--base main` beside a folder `main/` is the
    revision."""
    return not is_missing(base) and not Path(base).is_dir()


def base_source(base: str, spec: Path) -> SpecSource | None:
    """The base side of `spec`: the file `base`, or `spec` at git revision `base` (None: absent there)."""
    if base_is_file(base):
        return SpecSource(base, read_input(base))
    root = _repo_root(spec.parent if spec.parent.exists() else Path.cwd(), base)
    _verify_revision(root, base)
    path = _follow_links(root, base, _relative(spec, root))
    shown = _git(root, "show", f"{base}:{path}")
    if shown.returncode != 0:
        return None  # not in that revision: the spec is new
    label = f"{base}:{path}"
    return SpecSource(label, decode_input(shown.stdout, label))


def _follow_links(root: Path, base: str, path: str) -> str:
    """`path` at revision `base`, with symbolic links followed inside the repository (git stores a link as the
    text of its target). A link that leaves the repository has no content at a revision: BaseUnusable."""
    for _hop in range(40):  # as many as the kernel follows
        listed = _git(root, "ls-tree", base, "--", path)
        fields = os.fsdecode(listed.stdout).split(maxsplit=3)
        if listed.returncode != 0 or not fields or fields[0] != "120000":
            return path
        target = os.fsdecode(_git(root, "show", f"{base}:{path}").stdout)
        resolved = os.path.normpath(os.path.join(root, os.path.dirname(path), target))
        if not Path(resolved).is_relative_to(root):
            raise BaseUnusable(f"{path} at {base} is a symbolic link to {target}, outside the repository: "
                               "its content at that revision is unknown; give --base FILE to compare with a file")
        path = Path(resolved).relative_to(root).as_posix()
    raise BaseUnusable(f"{path} at {base}: symbolic link loop")


def specs_at(base: str, directory: Path) -> list[Path]:
    """Spec files under `directory` at git revision `base`, as paths like `directory/<name>.yaml`."""
    root = _repo_root(directory if directory.exists() else Path.cwd(), base)
    _verify_revision(root, base)
    rel = _relative(directory, root)
    listed = _git(root, "ls-tree", "--name-only", f"{base}:{rel}" if rel != "." else base)
    if listed.returncode != 0:
        return []  # the directory does not exist there
    names = os.fsdecode(listed.stdout).splitlines()
    return [directory / name for name in names if name.endswith(SPEC_SUFFIXES)]


def _relative(path: Path, root: Path) -> str:
    """`path` inside the repository at `root`, as git names it. The path as written is tried before the resolved
    one, so a spec that is a symbolic link (even to a file outside the repository) is read as the link's own path
    in the repository, as git stores it."""
    absolute = Path(os.path.abspath(path))
    for candidate in (absolute, absolute.parent.resolve() / absolute.name, path.resolve()):
        if candidate == root:
            return "."
        if candidate.is_relative_to(root):
            return candidate.relative_to(root).as_posix()
    raise BaseUnusable(f"{path} is outside the git repository {root}: give --base FILE to compare it with a file")


def _repo_root(start: Path, base: str) -> Path:
    top = _git(start, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise BaseUnusable(f"--base {base}: no such file, and {start} is not in a git repository")
    return Path(os.fsdecode(top.stdout.strip())).resolve()


def _verify_revision(root: Path, base: str) -> None:
    if _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}").returncode != 0:
        if Path(base).is_dir():
            raise BaseUnusable(f"--base {base} is a directory and not a revision of {root}: give a stack file or a "
                               "git revision")
        raise BaseUnusable(
            f"--base {base}: no such file, and not a revision of {root} "
            "(in CI, check out with full history: actions/checkout with fetch-depth: 0)"
        )


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """A read-only git command; its output as bytes (a file at a revision need not be UTF-8)."""
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60)
    except FileNotFoundError:
        raise BaseUnusable("git is not installed: --base REF needs it (or give --base FILE)") from None
    except subprocess.TimeoutExpired:
        raise BaseUnusable(f"git {args[0]} did not answer within 60 s") from None


def spec_pairs(specs: list[Path], base: str) -> list[tuple[SpecSource | None, SpecSource | None]]:
    """(base, head) sources for each spec. Without specs: every spec in stacks/, here or at revision `base`."""
    if base_is_file(base):
        if len(specs) != 1:
            raise BaseUnusable(f"--base {base} is a file: name the one spec to compare it with")
        head = head_source(specs[0])
        if head is None:
            raise BaseUnusable(f"{specs[0]}: no such file")
        return [(base_source(base, specs[0]), head)]
    if not specs:
        directory = Path(DEFAULT_SPEC_DIR)
        here = [p for p in directory.glob("*") if p.suffix in SPEC_SUFFIXES]
        specs = sorted({*here, *specs_at(base, directory)})
        if not specs:
            raise BaseUnusable(f"no {DEFAULT_SPEC_DIR}/*.yaml here or at {base}: name the stack files to compare")
    pairs = []
    for spec in specs:
        pair = (base_source(base, spec), head_source(spec))
        if pair == (None, None):
            raise BaseUnusable(f"{spec}: no such file, here or at {base}")
        pairs.append(pair)
    return pairs
