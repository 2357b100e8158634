"""The catalogue stays whole: each rule has passing and failing fixtures, and docs/rules.md is generated from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from xcloud_iac.checks import rule_classes
from xcloud_iac.checks.docs import render_rules_markdown
from xcloud_iac.checks.contracts import contract_rule_classes
from xcloud_iac.checks.live import live_rule_classes
from xcloud_iac.checks.registry import DuplicateRuleError, Rule, register

FIXTURES = Path(__file__).parent / "fixtures"
VERIFY_TESTS = Path(__file__).parents[1] / "verify"
CONTRACT_TESTS = Path(__file__).parents[1] / "contracts"
DOCS = Path(__file__).parents[2] / "docs" / "rules.md"
CATALOGUE = [f"XC{n}" for n in (*range(101, 104), *range(201, 205), *range(301, 311), *range(401, 408),
                                 *range(501, 509), *range(601, 607), *range(700, 713), *range(720, 731),
                                 *range(801, 811), 830)]


def test_every_rule_of_the_catalogue_is_registered() -> None:
    assert [cls.id for cls in rule_classes()] == CATALOGUE


@pytest.mark.parametrize("rule", CATALOGUE)
def test_rule_has_passing_and_failing_fixtures(rule: str) -> None:
    if rule in {cls.id for cls in live_rule_classes()}:
        # live rules judge live state, which YAML cannot hold: their cases are tests/verify/ (moto, Stubber, the fake Google API), where
        # the clean deployment is the passing case and each rule needs a test that expects it
        tests = "".join(p.read_text(encoding="utf-8") for p in VERIFY_TESTS.glob("test_*.py"))
        assert "def test_the_deployed_stack_verifies_clean" in tests, "tests/verify/ has no clean case"
        assert f'"{rule}"' in tests, f"{rule} has no failing case in tests/verify/"
        return
    if rule in {cls.id for cls in contract_rule_classes()}:
        # contract rules judge planned resources: their cases are tests/contracts/, where the example stacks are
        # the passing case (they plan with no violation) and each rule needs a test that plants its violation
        tests = "".join(p.read_text(encoding="utf-8") for p in CONTRACT_TESTS.glob("test_*.py"))
        assert "def test_the_example_stacks_plan_with_no_violation" in tests, "no clean case"
        assert f'"{rule}"' in tests, f"{rule} has no failing case in tests/contracts/"
        return
    folder = FIXTURES / rule
    passing = list(folder.glob("pass-*.yaml"))
    failing = list(folder.glob("fail-*.yaml"))
    assert passing, f"{rule} has no passing fixture"
    assert failing, f"{rule} has no failing fixture"
    for fail in failing:
        assert fail.with_name(fail.stem + ".expected.json").exists(), f"{fail.name} has no expected findings"


def test_rules_doc_is_generated_from_the_registry() -> None:
    assert DOCS.read_text(encoding="utf-8") == render_rules_markdown(), "run: xcloud rules --format markdown > docs/rules.md"


def test_registry_refuses_a_reused_id() -> None:
    class Again(Rule):
        id = "XC201"
        title = "again"
        severity = next(iter(rule_classes())).severity
        fix_hint = "n/a"

    with pytest.raises(DuplicateRuleError, match="XC201"):
        register(Again)
