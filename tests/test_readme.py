"""The README's Python snippets run as written: each one is executed (from the repository root, under Pulumi's
mocks, with the platform stack a team snippet references deployed from stacks/dr-pair.yaml)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pulumi
import pytest
from components.mocks import install, run

from xcloud_iac.program import deploy

ROOT = Path(__file__).parents[1]
SNIPPET = re.compile(r"^```python\n(?P<code>.*?)^```", re.DOTALL | re.MULTILINE)
SNIPPETS = [m["code"] for m in SNIPPET.finditer((ROOT / "README.md").read_text(encoding="utf-8"))]
PLATFORM = "example-org/xcloud-iac/dr-pair"


@pytest.fixture(scope="module")
def platform_outputs() -> dict:
    install()
    return run(lambda: pulumi.Output.from_input(deploy(ROOT / "stacks" / "dr-pair.yaml", export=False).outputs))


def test_readme_has_snippets() -> None:
    assert len(SNIPPETS) >= 2


@pytest.mark.parametrize("index", range(len(SNIPPETS)))
def test_snippet_runs(index: int, platform_outputs: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code = SNIPPETS[index]
    _mocks, recorder = install(stack_references={PLATFORM: platform_outputs})
    namespace: dict[str, object] = {"__name__": "__main__"}

    def program() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, f"README.md snippet {index}", "exec"), namespace)

    run(program)
    # every name the snippet assigns at the top level exists afterwards (the code ran to its end)
    assigned = re.findall(r"^(\w+) = ", code, re.MULTILINE)
    assert assigned and all(name in namespace for name in assigned)
    for resource in re.findall(r"^\w+ = (?:\w+\.)*[A-Z]\w+\(\"([\w/-]+)\"", code, re.MULTILINE):
        assert any(r.name == resource for r in recorder.registered), f"{resource} was not registered"
