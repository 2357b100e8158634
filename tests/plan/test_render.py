"""Every renderer against a reviewed golden file (plan table and JSON, diff markdown, JSON and SARIF), and the exit
status of `xcloud plan`. XCLOUD_UPDATE_GOLDEN=1 rewrites the golden files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xcloud_iac.cli import app
from xcloud_iac.plan.inventory import plan_stack
from xcloud_iac.plan.render import MARKER, render_diff_json, render_diff_markdown, render_diff_sarif, render_plan_table
from xcloud_iac.plan.runner import PlanResult, check_source
from xcloud_iac.plan.sources import SpecSource

from .support import EXAMPLES, GOLDEN, ROOT, assert_golden, diff_report, mutated, stack_text

BASE, HEAD = "docs/examples/dr-pair-base.yaml", "docs/examples/dr-pair-head.yaml"


@pytest.fixture(scope="module")
def example():
    """The diff of docs/pull-requests.md, labelled as `xcloud diff --base BASE HEAD` labels it from the repo root."""
    return diff_report((ROOT / BASE).read_text(), (ROOT / HEAD).read_text(), base_label=BASE, head_label=HEAD)


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)  # spec labels are the paths as given, relative to here
    return ROOT


def test_plan_table(at_root) -> None:
    checked = check_source(SpecSource("stacks/dr-pair.yaml", stack_text("dr-pair")))
    text = render_plan_table(PlanResult(checked, plan_stack(checked.stack)), width=120)
    assert_golden(GOLDEN / "plan-dr-pair.txt", text)


def test_plan_json_from_a_real_run(at_root) -> None:
    result = CliRunner().invoke(app, ["plan", "stacks/dr-pair.yaml", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert_golden(GOLDEN / "plan-dr-pair.json", result.output)
    doc = json.loads(result.output)
    assert doc["status"] == "planned" and doc["summary"]["resources"] == 67
    assert [f for f in doc["findings"] if f["rule"].startswith("XC8")] == []  # no contract violation
    order = [(r["component"], r["custom"], r["key"]) for r in doc["resources"]]
    assert order == sorted(order)  # by component, the component itself first


def test_plan_refused_on_error_findings_and_unusable_input(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(mutated("dr-pair", lambda d: d["trust"]["roles"][0].update(max_session_seconds=7200)))
    refused = CliRunner().invoke(app, ["plan", str(broken), "-f", "json"])
    assert refused.exit_code == 1, refused.output
    doc = json.loads(refused.output)
    assert doc["status"] == "refused" and doc["resources"] == [] and doc["findings"][0]["rule"] == "XC504"
    table = CliRunner().invoke(app, ["plan", str(broken)])
    assert table.exit_code == 1 and "deploy() would register nothing" in table.output and "XC504" in table.output

    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nnetworks: [{name: a, cloud: aws, mut: 1}]\n")
    assert CliRunner().invoke(app, ["plan", str(bad)]).exit_code == 2
    assert CliRunner().invoke(app, ["plan", str(tmp_path / "missing.yaml")]).exit_code == 2


def test_diff_markdown(example) -> None:
    text = render_diff_markdown(example)
    assert text.startswith(MARKER + "\n")
    assert_golden(GOLDEN / "diff-dr-pair.md", text)


def test_diff_json(example) -> None:
    text = render_diff_json(example)
    assert_golden(GOLDEN / "diff-dr-pair.json", text)
    doc = json.loads(text)
    assert [r["id"] for r in doc["risks"]] == ["interconnect-or-gateway", "trust-widened", "overlap-or-hijack",
                                               "route-outside-allow-list"]


def test_diff_sarif_has_the_introduced_findings(example) -> None:
    text = render_diff_sarif(example)
    assert_golden(GOLDEN / "diff-dr-pair.sarif", text)
    results = json.loads(text)["runs"][0]["results"]
    # XC604: the overlap keeps the probe from being answered; XC808: the Transport's network (create-only) changes
    assert sorted(r["ruleId"] for r in results) == ["XC103", "XC201", "XC302", "XC402", "XC502", "XC604", "XC808"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {HEAD}


def test_diff_markdown_without_risks() -> None:
    tuned = mutated("dr-pair", lambda d: d["interconnects"][0]["monitoring"].update(latency_alarm_ms=25))
    report = diff_report(stack_text("dr-pair"), tuned, base_label="origin/main:stacks/dr-pair.yaml",
                         head_label="stacks/dr-pair.yaml")
    assert_golden(GOLDEN / "diff-no-risk.md", render_diff_markdown(report))


def test_examples_are_the_stack_and_its_change() -> None:
    base = (EXAMPLES / "dr-pair-base.yaml").read_text()
    assert base.split("\nversion: 1\n")[1] == stack_text("dr-pair").split("\nversion: 1\n")[1], \
        "docs/examples/dr-pair-base.yaml is stacks/dr-pair.yaml (below its header): copy it again"


def test_plan_table_prints_user_text_as_written(at_root) -> None:
    """Cells are text, not Rich markup: the `[secret]` mask and bracketed lists show, `[bold]` stays, and a `[/b]`
    in an attribute condition (which validate accepts) does not crash the table."""
    condition = "attribute.aws_role == '[bold]x[/b]'"

    def change(data: dict) -> None:
        data["trust"]["workload_identity"][0]["attribute_condition"] = condition

    checked = check_source(SpecSource("stacks/dr-pair.yaml", mutated("dr-pair", change)))
    text = render_plan_table(PlanResult(checked, plan_stack(checked.stack)), width=400)
    assert "[bold]x[/b]" in text
    assert "activationKey: [secret]" in text
    assert "subnetIds: [" in text
