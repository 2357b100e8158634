"""XC830's list of auto-named resources (`auto_names`) against what deploy() really registers: every resource of
a type with a name limit, named by Pulumi, is on the list with the same logical name, so a component that adds one
cannot escape the validate-time check."""

from __future__ import annotations

import re

import pytest

from xcloud_iac.checks.contracts.xc830_name_length import NAME_LIMITS, auto_names
from xcloud_iac.plan.inventory import plan_stack
from xcloud_iac.spec import load
from xcloud_iac.synth import generate

from .conftest import ROOT

# names built from constants and regions, never from spec names
FIXED = re.compile(r"^monitoring-[a-z0-9-]+-flow-logs-(role|write)$")


@pytest.mark.parametrize("source", ["dr-pair", "cloud-wan", "alibaba-tencent", "synth-12"])
def test_every_auto_named_resource_is_checked(source: str) -> None:
    stack = generate(12, seed=3).stack() if source == "synth-12" else load(ROOT / "stacks" / f"{source}.yaml")
    listed = {(a.type, a.logical) for a in auto_names(stack)}
    planned = {
        (r.type, r.name) for r in plan_stack(stack).resources
        if r.type in NAME_LIMITS and "name" not in r.inputs and not r.read
    }
    unlisted = {(t, n) for t, n in planned - listed if not FIXED.match(n)}
    assert not unlisted, f"auto-named resources XC830 does not know: {sorted(unlisted)}"
    # every listed name is registered, except a rule for IPv6 peers where none reach the network
    # (and the operator role, which needs one AWS account or named principals)
    maybe = {(t, n) for t, n in listed if n.endswith(("-fw-peers-v6", "-operator-role", "-operator-policy"))}
    assert listed - maybe - planned == set(), "XC830 lists names deploy() does not register"
