"""Every rule against its fixtures: `pass-*.yaml` must give no active finding of the rule; `fail-*.yaml` must give
exactly the findings in `fail-*.expected.json` (whole findings: rule, severity, message, path, location, related,
hint)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xcloud_iac.checks import check
from xcloud_iac.spec import load_text

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_cases() -> list[tuple[str, Path]]:
    return [(d.name, f) for d in sorted(FIXTURES.iterdir()) if d.is_dir() for f in sorted(d.glob("*.yaml"))]


def findings_of(rule: str, path: Path) -> list[dict]:
    stack = load_text(path.read_text(encoding="utf-8"), f"{rule}/{path.name}")
    return [f.to_dict() for f in check(stack).findings if f.rule == rule]


@pytest.mark.parametrize(("rule", "path"), fixture_cases(), ids=lambda v: v if isinstance(v, str) else v.stem)
def test_rule_fixture(rule: str, path: Path) -> None:
    got = findings_of(rule, path)
    if path.name.startswith("pass-"):
        assert got == []
    else:
        assert path.name.startswith("fail-"), f"fixture names start with pass- or fail-: {path.name}"
        expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
        assert expected, "a failing fixture expects at least one finding"
        assert got == expected
