"""Real-world trust policies and Workload Identity providers against their verdicts: `pass-*.json` must give no
finding; `fail-*.json` exactly the findings in `fail-*.expected.json` (whole findings: rule, severity, message,
path, location, related, hint)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xcloud_iac.audit import audit_text

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p for p in FIXTURES.glob("*.json") if not p.name.endswith(".expected.json"))


def findings_of(path: Path) -> list[dict]:
    return [f.to_dict() for f in audit_text(path.read_text(encoding="utf-8"), path.name)]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_fixture(path: Path) -> None:
    got = findings_of(path)
    if path.name.startswith("pass-"):
        assert got == []
    else:
        assert path.name.startswith("fail-"), f"fixture names start with pass- or fail-: {path.name}"
        expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
        assert expected, "a failing fixture expects at least one finding"
        assert got == expected


def test_every_rule_of_the_auditor_has_a_failing_fixture() -> None:
    rules = {f["rule"] for p in FIXTURES.glob("*.expected.json") for f in json.loads(p.read_text(encoding="utf-8"))}
    assert rules == {"XC501", "XC502", "XC503", "XC504", "XC505", "XC506", "XC508"}
