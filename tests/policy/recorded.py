"""Every resource a stack registers under Pulumi's mocks, as the policy pack sees it.

Deploying a stack takes about a second, so each example stack is deployed once per test session; callers that change
a resource get a deep copy (`resource(...)` and `copy_of(...)`)."""

from __future__ import annotations

import copy
import dataclasses
import functools
from pathlib import Path

from xcloud_policies.rules import Resource

from xcloud_iac.plan.mocks import Registered, install, run
from xcloud_iac.program import deploy
from xcloud_iac.spec import load
from xcloud_iac.spec import models as m

ROOT = Path(__file__).parents[2]
STACKS = ROOT / "stacks"
STACK_NAMES = sorted(p.stem for p in STACKS.glob("*.yaml"))


def registered(stack: m.Stack) -> list[Registered]:
    _mocks, recorder = install()
    run(lambda: deploy(stack, export=False))
    return recorder.registered


@functools.cache
def _example(name: str) -> tuple[Registered, ...]:
    return tuple(registered(load(STACKS / f"{name}.yaml")))


def as_resource(resource: Registered) -> Resource:
    """What the engine hands a policy pack: type, inputs, protect, additional secret outputs (and, where the mocks
    can tell, which inputs are secrets)."""
    return Resource(
        type=resource.type,
        props=copy.deepcopy(resource.inputs),
        name=resource.name,
        protect=resource.protect,
        secret_outputs=tuple(resource.secret_outputs),
        secret_inputs=frozenset(resource.secret_inputs),
    )


def resources(stack: str | m.Stack) -> list[Resource]:
    """The cloud resources a stack registers (an example stack by name, or any stack), without components,
    providers and existing resources that are only read."""
    found = _example(stack) if isinstance(stack, str) else registered(stack)
    return [
        as_resource(r) for r in found
        if r.custom and not r.read and not r.type.startswith("pulumi:providers:")
    ]


def resource(stack: str, name: str) -> Resource:
    [found] = [r for r in resources(stack) if r.name == name]
    return found


def copy_of(original: Resource, **changes) -> Resource:
    return dataclasses.replace(original, **{"props": copy.deepcopy(original.props), **changes})
