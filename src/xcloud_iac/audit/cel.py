"""Workload Identity attribute conditions judged by evaluating them (CEL, with cel-python), not by their spelling.

Google admits a token when the provider's attribute condition evaluates to true (an error or a non-boolean result
denies). A condition is *open* when tokens an attacker can obtain satisfy it: tokens whose claims are empty,
or carry another repository's / another role's values. Each such token is evaluated; `true || false`,
`assertion.sub != ''` and `1 == 1` are open, `assertion.repository == 'org/app'` is not. What the condition reads
(`assertion.<claim>`, `assertion['<claim>']`, `attribute.<name>`, `google.subject`) is filled with the attacker's
values; anything else it reads is absent, as it would be in a token that lacks it.

Start-up cost: importing cel-python (lark, pendulum, ...) and building its parser from the CEL grammar (a LALR analysis
by lark, once per process) take longer than the rest of a validation run. So, in the user's cache folder
(`cache_folder`):
- each verdict is kept (cel-verdicts.json), keyed on the condition and the AWS account, under a namespace that is the
  hash of this module's source and the cel-python and lark versions: a change of any of them judges again. A stack
  validated before is judged without importing celpy at all;
- lark keeps the built parser (its own `cache` option), keyed on the grammar, the parser options and the lark and
  Python versions: a change of any of them, or an unreadable file, builds the parser again.
celpy itself is imported on the first condition that has no kept verdict.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import celpy

CACHE_ENV = "XCLOUD_CACHE_DIR"  # where verdicts and the built CEL parser are kept; set and empty: not kept
VERDICTS_FILE = "cel-verdicts.json"
PARSER_FILE = "cel-parser.lark-cache"
MAX_VERDICTS = 4096  # the file keeps the newest ones

_READS = re.compile(r"\b(assertion|attribute|google)\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*(['\"])(.*?)\3\s*\])")


@dataclass(frozen=True)
class Verdict:
    open: bool
    invalid: str | None = None  # why the condition does not compile (Google refuses to save it)
    token: dict[str, dict[str, str]] | None = None  # an attacker's token that satisfies it

    def describe(self) -> str:
        if self.invalid is not None:
            return f"is not a valid CEL expression ({self.invalid})"
        if not self.open:
            return "admits no attacker token"
        if not self.token:
            return "is true for every token (it reads no claim of it)"
        claims = ", ".join(f"{root}.{k} = {v!r}" for root, values in self.token.items() for k, v in values.items())
        return f"is true for a token an attacker can obtain ({claims or 'any claims'})"


def attacker_values(aws_account: str | None) -> tuple[str, ...]:
    """Claim values of tokens an attacker holds: empty claims, another repository's GitHub claims, another role of the
    trusted AWS account (an `aws` provider trusts the whole account)."""
    values = ["", "attacker", "repo:attacker/tool:ref:refs/heads/main", "attacker/tool"]
    if aws_account:
        values += [f"arn:aws:sts::{aws_account}:assumed-role/attacker", f"arn:aws:iam::{aws_account}:role/attacker"]
    return tuple(values)


def cache_folder() -> Path | None:
    """$XCLOUD_CACHE_DIR, else $XDG_CACHE_HOME/xcloud-iac, else ~/.cache/xcloud-iac, made if missing (writable by the
    user only: the parser file is a pickle). None when XCLOUD_CACHE_DIR is set and empty, or no folder can be made:
    then nothing is kept, and every run judges and builds as without a cache."""
    folder = os.environ.get(CACHE_ENV)
    if folder is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "xcloud-iac")
    if not folder:
        return None
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return Path(folder)


@functools.cache
def _namespace() -> str:
    """What a kept verdict depends on besides its condition and account: this module's code and the evaluator's."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(Path(__file__).read_bytes())
    for dist in ("cel-python", "lark"):
        try:
            digest.update(f"\0{dist} {version(dist)}".encode())
        except PackageNotFoundError:
            digest.update(f"\0{dist} unknown".encode())
    return digest.hexdigest()


def _verdict_key(condition: str, aws_account: str | None) -> str:
    return hashlib.sha256(json.dumps([condition, aws_account]).encode()).hexdigest()


class _Kept:
    """The kept verdicts of this namespace: read on the first condition judged, written when one is added."""

    def __init__(self) -> None:
        self.folder = cache_folder()
        self.verdicts: dict[str, dict[str, Any]] = {}
        if self.folder is None:
            return
        try:
            data = json.loads((self.folder / VERDICTS_FILE).read_text(encoding="utf-8"))
            if data.get("namespace") == _namespace() and isinstance(data.get("verdicts"), dict):
                self.verdicts = data["verdicts"]
        except (OSError, ValueError, AttributeError):
            pass  # missing, unreadable or not ours: judged again and rewritten

    def get(self, key: str) -> Verdict | None:
        found = self.verdicts.get(key)
        try:
            return None if found is None else Verdict(**found)
        except TypeError:  # not a verdict's fields
            return None

    def add(self, key: str, verdict: Verdict) -> None:
        self.verdicts[key] = asdict(verdict)
        while len(self.verdicts) > MAX_VERDICTS:
            del self.verdicts[next(iter(self.verdicts))]
        if self.folder is None:
            return
        try:  # written whole and renamed into place, so a concurrent run reads the old file or the new one
            with tempfile.NamedTemporaryFile("w", dir=self.folder, prefix=".verdicts-", suffix=".tmp",
                                             delete=False, encoding="utf-8") as out:
                json.dump({"namespace": _namespace(), "verdicts": self.verdicts}, out)
            os.replace(out.name, self.folder / VERDICTS_FILE)
        except OSError:
            pass


@functools.cache
def _kept() -> _Kept:
    return _Kept()


@functools.cache
def _celpy() -> None:
    """Import celpy and build its (class-wide) parser, through lark's cache when there is a cache folder."""
    import celpy
    from celpy import celparser

    folder = cache_folder()
    if folder is None or celparser.CELParser.CEL_PARSER is not None:
        return
    lark = celparser.Lark
    # celpy builds the parser with its own grammar and options; only the cache file is added to them
    celparser.Lark = functools.partial(lark, cache=str(folder / PARSER_FILE))  # type: ignore[misc,assignment]
    try:
        celpy.Environment()
    finally:
        celparser.Lark = lark  # type: ignore[misc]


@functools.lru_cache(maxsize=256)
def _program(condition: str) -> celpy.Runner:
    import celpy

    _celpy()
    env = celpy.Environment()
    return env.program(env.compile(condition))


def judge(condition: str, *, aws_account: str | None = None) -> Verdict:
    """Whether any attacker token satisfies `condition` (see the module's doc)."""
    key = _verdict_key(condition, aws_account)
    verdict = _kept().get(key)
    if verdict is None:
        verdict = _judge(condition, aws_account)
        _kept().add(key, verdict)
    return verdict


def _judge(condition: str, aws_account: str | None) -> Verdict:
    try:
        program = _program(condition)
    except Exception as exc:
        return Verdict(open=False, invalid=" ".join(str(exc).split())[:160] or type(exc).__name__)
    reads: dict[str, set[str]] = {"assertion": set(), "attribute": set(), "google": set()}
    for root, dotted, _quote, indexed in _READS.findall(condition):
        reads[root].add(dotted or indexed)
    import celpy
    from celpy import celtypes

    for value in attacker_values(aws_account):
        token = {root: {key: value for key in sorted(keys)} for root, keys in reads.items()}
        activation = {root: celpy.json_to_cel(values) for root, values in token.items() if root != "google"}
        # celpy reads `google` as a package name: its members are bound by their dotted names
        activation.update({f"google.{k}": celtypes.StringType(v) for k, v in token["google"].items()})
        try:
            result = program.evaluate(activation)
        except Exception:
            continue
        if isinstance(result, celtypes.BoolType) and bool(result):
            return Verdict(open=True, token={root: values for root, values in token.items() if values})
    return Verdict(open=False)
