"""Every resource an example stack registers under Pulumi's mocks, as the policy pack sees it.

Deploying a stack takes about a second, so each is deployed once per test session; callers that change a resource
get a deep copy (`resource(...)` and `copy_of(...)`)."""

from __future__ import annotations

import copy
import dataclasses
import functools
from pathlib import Path

from xcloud_policies.rules import Resource

from xcloud_iac.plan.mocks import Registered, install, run
from xcloud_iac.program import deploy

ROOT = Path(__file__).parents[2]
STACKS = ROOT / "stacks"
STACK_NAMES = sorted(p.stem for p in STACKS.glob("*.yaml"))


@functools.cache
def _registered(stack: str) -> tuple[Registered, ...]:
    _mocks, recorder = install()
    run(lambda: deploy(STACKS / f"{stack}.yaml", export=False))
    return tuple(recorder.registered)


def as_resource(registered: Registered) -> Resource:
    """What the engine hands a policy pack: type, inputs, protect, additional secret outputs (and, where the mocks
    can tell, which inputs are secrets)."""
    return Resource(
        type=registered.type,
        props=copy.deepcopy(registered.inputs),
        name=registered.name,
        protect=registered.protect,
        secret_outputs=tuple(registered.secret_outputs),
        secret_inputs=frozenset(registered.secret_inputs),
    )


def resources(stack: str) -> list[Resource]:
    """The custom resources a stack registers (components and providers are not cloud resources)."""
    return [
        as_resource(r) for r in _registered(stack)
        if r.custom and not r.read and not r.type.startswith("pulumi:providers:")
    ]


def resource(stack: str, name: str) -> Resource:
    [found] = [r for r in resources(stack) if r.name == name]
    return found


def copy_of(original: Resource, **changes) -> Resource:
    return dataclasses.replace(original, **{"props": copy.deepcopy(original.props), **changes})
