"""check() runs the rules that judge a stack without live state; the live rules, constructed without what verify
read, find nothing, so leaving them out (validation does not import them) changes no report."""

from __future__ import annotations

from pathlib import Path

import pytest

from xcloud_iac.checks import all_rules, check
from xcloud_iac.checks.registry import spec_rules
from xcloud_iac.spec import load, load_text

FIXTURES = Path(__file__).parent / "fixtures"
STACKS = Path(__file__).parents[2] / "stacks"
CASES = sorted([*FIXTURES.glob("*/fail-*.yaml"), *STACKS.glob("*.yaml")])


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_whole_catalogue_reports_what_check_reports(path: Path) -> None:
    stack = load(path) if path.parent == STACKS else load_text(path.read_text(encoding="utf-8"), path.name)
    default, everything = check(stack), check(stack, all_rules())
    assert [f.to_dict() for f in default.findings] == [f.to_dict() for f in everything.findings]
    assert [f.to_dict() for f in default.waived] == [f.to_dict() for f in everything.waived]
    if path.parent != STACKS:
        assert default.findings or default.waived  # a failing fixture: something to compare


def test_spec_rules_are_the_catalogue_but_the_live_rules() -> None:
    ids = {r.id for r in spec_rules()}
    every = {r.id for r in all_rules()}
    assert ids < every
    assert every - ids == {i for i in every if i.startswith("XC7")}
