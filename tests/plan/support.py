"""Helpers of the plan and diff tests: spec texts, and diffs planned in this process (fast) instead of workers."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import yaml

from xcloud_iac.plan.diff import DiffReport, StackDiff, compare
from xcloud_iac.plan.inventory import PlanRefused, plan_stack
from xcloud_iac.plan.runner import PlanJob, PlanOutcome
from xcloud_iac.plan.sources import SpecSource
from xcloud_iac.spec import load_text

ROOT = Path(__file__).parents[2]
STACKS = ROOT / "stacks"
EXAMPLES = ROOT / "docs" / "examples"
GOLDEN = Path(__file__).parent / "golden"
STACK_NAMES = sorted(p.stem for p in STACKS.glob("*.yaml"))


def plan_here(jobs: list[PlanJob], progress: bool = False) -> list[PlanOutcome]:
    """run_plans' stand-in: the same plans, in this process (plan/mocks' install() resets Pulumi for each)."""
    outcomes = []
    for job in jobs:
        try:
            outcomes.append(PlanOutcome(inventory=plan_stack(load_text(job.text, job.file),
                                                             past_errors=job.past_errors)))
        except PlanRefused as refused:
            outcomes.append(PlanOutcome(refused=refused.problems))
    return outcomes


def diff_report(base: str | None, head: str | None, *, base_label: str = "base.yaml",
                head_label: str = "head.yaml") -> DiffReport:
    pair = (SpecSource(base_label, base) if base is not None else None,
            SpecSource(head_label, head) if head is not None else None)
    return compare([pair], base_label, planner=plan_here)


def diff_texts(base: str | None, head: str | None) -> StackDiff:
    return diff_report(base, head).stacks[0]


def stack_text(name: str) -> str:
    return (STACKS / f"{name}.yaml").read_text()


def mutated(name: str, change: Callable[[dict], object]) -> str:
    """The example stack `name` as YAML, after `change` edited its data."""
    data = yaml.safe_load(stack_text(name))
    change(data)
    return yaml.safe_dump(data, sort_keys=False)


def assert_golden(path: Path, text: str) -> None:
    """Compare `text` with a reviewed golden file. XCLOUD_UPDATE_GOLDEN=1 rewrites the file instead: review the
    change with `git diff` before committing it."""
    if os.environ.get("XCLOUD_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs (XCLOUD_UPDATE_GOLDEN=1 rewrites it)"
