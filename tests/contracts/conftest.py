from __future__ import annotations

from pathlib import Path

import pytest

from xcloud_iac.plan.inventory import Inventory, plan_stack
from xcloud_iac.spec import load
from xcloud_iac.spec import models as m

ROOT = Path(__file__).parents[2]
EXAMPLES = ("dr-pair", "cloud-wan", "alibaba-tencent")


@pytest.fixture(scope="session")
def example_plans() -> dict[str, tuple[m.Stack, Inventory]]:
    """Each example stack and its plan (in process, under fresh mocks)."""
    out = {}
    for name in EXAMPLES:
        stack = load(ROOT / "stacks" / f"{name}.yaml")
        out[name] = (stack, plan_stack(load(ROOT / "stacks" / f"{name}.yaml")))
    return out
