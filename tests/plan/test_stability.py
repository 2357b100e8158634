"""Plan stability: logical names come from stable keys in the spec, never list positions. Shuffling every list of an
example stack, or adding a network nothing uses, renames nothing, so a diff shows no replacement (orders that
mean something, such as DNS targets, may still update a resource in place)."""

from __future__ import annotations

import functools
import random
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xcloud_iac.plan.diff import diff_inventories
from xcloud_iac.plan.inventory import Inventory, plan_stack
from xcloud_iac.spec import load, load_text

from .support import STACK_NAMES, STACKS, stack_text


@functools.cache
def base_plan(name: str) -> Inventory:
    return plan_stack(load(STACKS / f"{name}.yaml"))


def shuffled(data: Any, rng: random.Random) -> Any:
    """Every list at every depth in a random order (the primary CIDR of a VPC is its first IPv4 CIDR, so `cidrs`
    keeps its order: it means something; the example stacks have one range per network anyway)."""
    if isinstance(data, dict):
        return {k: v if k == "cidrs" else shuffled(v, rng) for k, v in data.items()}
    if isinstance(data, list):
        items = [shuffled(v, rng) for v in data]
        rng.shuffle(items)
        return items
    return data


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(STACK_NAMES), seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_shuffling_every_list_renames_and_replaces_nothing(name: str, seed: int) -> None:
    data = shuffled(yaml.safe_load(stack_text(name)), random.Random(seed))
    head = plan_stack(load_text(yaml.safe_dump(data, sort_keys=False), f"{name}.yaml"))
    assert sorted(r.key for r in head.resources) == sorted(r.key for r in base_plan(name).resources)
    changes, _unchanged = diff_inventories(base_plan(name), head)
    assert [c for c in changes if c.action != "update"] == []


@pytest.mark.parametrize("name", STACK_NAMES)
def test_an_unrelated_network_only_adds(name: str) -> None:
    data = yaml.safe_load(stack_text(name))
    data["networks"].insert(0, {"name": "aa-unrelated", "cloud": "aws", "region": "eu-west-2",
                                "cidrs": ["192.168.240.0/24"], "flow_logs": False})
    head = plan_stack(load_text(yaml.safe_dump(data, sort_keys=False), f"{name}.yaml"))
    changes, unchanged = diff_inventories(base_plan(name), head)
    assert {c.action for c in changes} == {"create"}
    assert {c.component for c in changes} == {"aa-unrelated"}
    assert unchanged == len(base_plan(name).resources)
