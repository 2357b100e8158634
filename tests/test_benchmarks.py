"""The benchmark command runs end to end at tiny sizes and checks findings as well as time (a smoke test; the
figures themselves live in docs/performance.md). The plan's floor registers exactly what the plan registers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import floors
from xcloud_iac import synth
from xcloud_iac.program import deploy
from xcloud_iac.spec import load

ROOT = Path(__file__).parents[1]


def test_benchmarks_run_and_find_exactly_the_planted_conflicts(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--checks-sizes", "10,20", "--load-sizes", "10", "--baseline-sizes", "40",
         "--plan-sizes", "10", "--audit-sizes", "40,80", "--repeats", "1", "--naive-repeats", "1", "--no-cli", "-o", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    results = json.loads(out.read_text())
    assert [row["networks"] for row in results["checks"]] == [10, 20]
    assert all(row["correct"] for row in results["checks"] + results["load"])
    assert results["baseline"] and results["plan"]
    assert {(r["shape"], r["statements"]) for r in results["audit"]} == {
        (shape, n) for shape in ("missing-sub", "allow-deny", "mixed") for n in (40, 80)}
    assert all(r["audit"]["median"] > 0 and r["floor"]["median"] > 0 for r in results["audit"])
    assert next(r for r in results["audit"] if r["shape"] == "missing-sub" and r["statements"] == 80)["findings"] == {
        "XC501": 80}
    same = next(t for t in results["targets"] if t["target"].startswith("baselines find exactly"))
    assert same["met"] is True  # the naive baselines and the library report identical findings
    plan = next(t for t in results["targets"] if t["target"].startswith("that floor registers exactly"))
    assert plan["met"] is True


@pytest.mark.parametrize("source", ["dr-pair", "cloud-wan", "alibaba-tencent", "synthetic"])
def test_the_sdk_floor_registers_exactly_what_the_plan_registers(source: str) -> None:
    stack = synth.generate(30, seed=2).stack() if source == "synthetic" else load(ROOT / "stacks" / f"{source}.yaml")
    plan = floors.record(lambda: deploy(stack, export=False))
    floor = floors.record(floors.sdk(floors.Recorded.from_json(plan.to_json())))  # through the file format
    assert floors.differences(plan, floor) == []
    assert len(floor.resources) == len(plan.resources) > 50
    assert any(r.property_dependencies for r in floor.resources)  # a graph, not a flat list
    assert any(r.protect for r in floor.resources)
    if source == "dr-pair":  # its interconnect's activation keys
        assert any(r.secret_inputs for r in floor.resources)


def test_a_floor_that_registers_something_else_is_caught() -> None:
    plan = floors.record(lambda: deploy(load(ROOT / "stacks" / "dr-pair.yaml"), export=False))
    flat = floors.record(floors.flat(plan))
    found = floors.differences(plan, flat)
    assert any("parent differs" in d for d in found) and any("property_dependencies differs" in d for d in found)
    assert any(d.endswith("only in the plan") for d in found)  # components are not registered as such
    changed = floors.Recorded.from_json(plan.to_json())
    vpc = next(r for r in changed.resources if r.type == "aws:ec2/vpc:Vpc")
    vpc.inputs["cidrBlock"] = "10.99.0.0/16"
    assert floors.differences(plan, floors.record(floors.sdk(changed))) == [f"aws:ec2/vpc:Vpc {vpc.name}: inputs differs"]


def test_the_contract_benchmark_times_the_plan_with_and_without_the_check(tmp_path: Path) -> None:
    out = tmp_path / "contracts.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.contracts", "--sizes", "10", "--repeats", "1", "--no-examples",
         "-o", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (row,) = json.loads(out.read_text())
    assert row["stack"] == "synthetic 10 networks" and row["resources"] > 50
    assert row["plan_with_contracts_s"] == pytest.approx(row["plan_s"] + row["contracts_cold_s"], abs=0.002)
    assert 0 < row["files_read"]["cloudformation_schemas"] < 60  # lazily: only the types the plan registers
    assert "| synthetic 10 networks |" in result.stdout


def test_the_start_up_benchmark_times_the_commands_against_the_interpreter(tmp_path: Path) -> None:
    out = tmp_path / "startup.json"
    table = tmp_path / "startup.md"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.cli_startup", "--repeats", "2", "--stacks", "stacks/dr-pair.yaml",
         "--importtime", "-o", str(out), "--markdown", str(table)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    results = json.loads(out.read_text())
    rows = {r["command"]: r for r in results["rows"]}
    assert list(rows) == ["python -c pass", "xcloud --version", "xcloud --help", "xcloud validate stacks/dr-pair.yaml",
                          "xcloud validate stacks/dr-pair.yaml (first run: empty cache folder)"]
    assert all(r["runs"] == 2 and 0 < r["min_s"] <= r["median_s"] <= r["p90_s"] for r in rows.values())
    assert rows["python -c pass"]["ratio"] == 1.0
    validate = rows["xcloud validate stacks/dr-pair.yaml"]
    assert validate["ratio"] == pytest.approx(validate["median_s"] / rows["python -c pass"]["median_s"], abs=0.2)
    assert validate["target_s"] == 0.35 and validate["met"] is (validate["median_s"] <= 0.35)
    assert "met" not in rows["xcloud --help"]
    imports = results["importtime"]
    groups = {g["group"]: g["ms"] for g in imports["groups"]}
    assert {"xcloud_iac.spec.models", "pydantic", "typer", "(standard library)"} <= set(groups)
    assert not set(groups) & {"pulumi", "boto3", "networkx", "celpy"}  # the verdict of dr-pair's condition is kept
    assert sum(groups.values()) == pytest.approx(imports["total_ms"], rel=0.05)  # own times: the groups add up
    assert result.stdout == table.read_text()
    assert "| `xcloud validate stacks/dr-pair.yaml` |" in result.stdout and "x `python -c pass`" in result.stdout
    assert "Where the imports of `xcloud validate stacks/dr-pair.yaml` spend their time" in result.stdout
