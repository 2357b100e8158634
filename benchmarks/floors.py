"""The floors a plan is measured against: the same resources registered without xcloud, under the same mocks.

A plan's registrations (plan/mocks.Registered, and the outputs each component registers) are written down once,
then registered again by two plain Pulumi programs:

- **flat**: every resource as a bare `pulumi.CustomResource` with its recorded inputs as plain values - no parents,
  no dependencies, no provider SDK classes. The least the SDK can do for that many resources; these are not the
  same resources (other URNs, nothing waits for anything).
- **sdk**: the program a platform team would write by hand for the same stack - the provider SDK classes
  (`pulumi_aws.ec2.Subnet`, ...) and the same component types, with the same parents, inputs taken from the same
  outputs of the same resources, the same explicit dependencies, protection, secrets and component outputs. Nothing
  of xcloud runs: no spec, no checks, no component code. `differences()` proves it registers exactly what the plan
  registers.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Callable
from typing import Any

import pulumi
from pulumi import _types

from xcloud_iac.plan.mocks import Mocks, Registered, install, run

PACKAGES = {"aws": "pulumi_aws", "aws-native": "pulumi_aws_native", "gcp": "pulumi_gcp"}
PROVIDER = "pulumi:providers:"


@dataclasses.dataclass
class Recorded:
    """What a plan registered: every resource in order, and the outputs of each component (by URN)."""

    resources: list[Registered]
    outputs: dict[str, dict[str, Any]]

    def to_json(self) -> str:
        return json.dumps({"resources": [dataclasses.asdict(r) | {"secret_inputs": sorted(r.secret_inputs)}
                                         for r in self.resources], "outputs": self.outputs})

    @classmethod
    def from_json(cls, text: str) -> Recorded:
        data = json.loads(text)
        resources = [Registered(**r | {"secret_inputs": set(r["secret_inputs"])}) for r in data["resources"]]
        return cls(resources, data["outputs"])


def record(program: Callable[[], Any]) -> Recorded:
    """What `program` registers under fresh plan mocks (plan/mocks)."""
    _mocks, recorder = install()
    run(program)
    return Recorded(recorder.registered, recorder.outputs)


class _Plain(pulumi.CustomResource):
    def __init__(self, type_: str, name: str, props: dict[str, Any]) -> None:
        # a provider's type would make the SDK treat it as a provider: keep the cost, not the meaning
        super().__init__(type_.replace(PROVIDER, "raw:providers:"), name, props)


class _Component(pulumi.ComponentResource):
    def __init__(self, type_: str, name: str, opts: pulumi.ResourceOptions) -> None:
        super().__init__(type_, name, None, opts)


def flat(recorded: Recorded) -> Callable[[], None]:
    """The flat floor's program."""
    return lambda: [_Plain(r.type, r.name, r.inputs) for r in recorded.resources]  # type: ignore[func-returns-value]


def sdk(recorded: Recorded) -> Callable[[], None]:
    """The hand-written program's floor: provider SDK classes, same graph."""
    for r in recorded.resources:
        if r.custom:
            _sdk_class(r.type)  # import the provider modules before any clock starts
    states = {r.urn: _state(r) for r in recorded.resources if r.custom}

    def program() -> None:
        made: dict[str, pulumi.Resource] = {}
        for r in recorded.resources:
            fed = {urn for urns in r.property_dependencies.values() for urn in urns}
            opts = pulumi.ResourceOptions(
                parent=made.get(r.parent), protect=r.protect or None,
                additional_secret_outputs=r.secret_outputs or None,
                depends_on=[made[u] for u in r.dependencies if u not in fed] or None,
            )
            if not r.custom:
                made[r.urn] = _Component(r.type, r.name, opts)
                continue
            cls, py_names = _sdk_class(r.type)
            kwargs = {}
            for key, value in r.inputs.items():
                if r.type.startswith(PROVIDER):  # the engine receives provider settings JSON-encoded
                    value = _decoded(value)
                sources = r.property_dependencies.get(key)
                if sources:
                    value = _reference(value, [(made[u], states[u]) for u in sources])
                if key in r.secret_inputs:
                    value = pulumi.Output.secret(value)
                kwargs[py_names.get(key, key)] = value
            if r.read:  # an existing resource, read by id with the state it was given (e.g. its region)
                made[r.urn] = cls.get(r.name, r.read_id, opts=opts, **kwargs)
            else:
                made[r.urn] = cls(r.name, opts=opts, **kwargs)
        for urn, outputs in recorded.outputs.items():
            if not _is_root(urn):  # the SDK registers the root stack's own
                made[urn].register_outputs(outputs)

    return program


def differences(plan: Recorded, floor: Recorded) -> list[str]:
    """How what the floor registered differs from the plan (empty: the same resources, graph and outputs)."""

    def by_key(recorded: Recorded) -> dict[tuple[str, str], Registered]:
        return {(r.type, r.name): r for r in recorded.resources}

    ours, theirs = by_key(plan), by_key(floor)
    found = [f"{t} {n}: only in the plan" for t, n in ours.keys() - theirs.keys()]
    found += [f"{t} {n}: only in the floor" for t, n in theirs.keys() - ours.keys()]
    for key in ours.keys() & theirs.keys():
        a, b = ours[key], theirs[key]
        for name in ("urn", "parent", "inputs", "secret_inputs", "protect", "property_dependencies"):
            if getattr(a, name) != getattr(b, name):
                found.append(f"{key[0]} {key[1]}: {name} differs")
        # sets to the engine (a provider SDK class adds the secret outputs it declares to the ones it is given)
        for name in ("secret_outputs", "dependencies"):
            if set(getattr(a, name)) != set(getattr(b, name)):
                found.append(f"{key[0]} {key[1]}: {name} differ")
    found += [f"{urn}: outputs differ" for urn in plan.outputs.keys() | floor.outputs.keys()
              if plan.outputs.get(urn) != floor.outputs.get(urn) and not _is_root(urn)]
    return sorted(found)


# ---------------------------------------------------------------- building the program


def _is_root(urn: str) -> bool:
    return urn.split("::")[2] == "pulumi:pulumi:Stack"


def _sdk_class(token: str, _cache: dict[str, tuple[type, dict[str, str]]] = {}) -> tuple[type, dict[str, str]]:  # noqa: B006
    """The provider SDK class of a type token (`aws:ec2/subnet:Subnet` -> pulumi_aws.ec2.Subnet), and its input
    names, engine (camelCase) -> Python."""
    if token not in _cache:
        package, module, name = token.split(":")
        if token.startswith(PROVIDER):
            sdk_module = importlib.import_module(PACKAGES[name])
            cls, args = sdk_module.Provider, sdk_module.ProviderArgs
        else:
            sdk_module = importlib.import_module(f"{PACKAGES[package]}.{module.split('/')[0]}")
            cls, args = getattr(sdk_module, name), getattr(sdk_module, f"{name}Args")
        py_names = {engine: py for py, engine in _types.input_type_py_to_pulumi_names(args).items()}
        _cache[token] = cls, py_names
    return _cache[token]


def _state(r: Registered) -> dict[str, Any]:
    """The outputs the mocks give a resource (what its dependents read from it), the id among them."""
    resource_id, state = Mocks().new_resource(pulumi.runtime.MockResourceArgs(r.type, r.name, r.inputs, "", ""))
    return {"id": resource_id, **state}


def _reference(value: Any, sources: list[tuple[pulumi.Resource, dict[str, Any]]]) -> Any:
    """An input taken from other resources' outputs: the output itself where a source has that value (`vpc.id`), a
    list of outputs where each item is one (`[a.id, b.id]`), else the value once every source exists."""
    if len(sources) == 1 and (found := _output(value, *sources[0])) is not None:
        return found
    if isinstance(value, list) and len(value) == len(sources):
        items, used = [], set()
        for item in value:
            match = next(((i, out) for i, source in enumerate(sources)
                          if i not in used and (out := _output(item, *source)) is not None), None)
            if match is None:
                break
            used.add(match[0])
            items.append(match[1])
        else:
            return items
    return pulumi.Output.all(*(resource.urn for resource, _state in sources)).apply(lambda _urns: value)


def _output(value: Any, resource: pulumi.Resource, state: dict[str, Any]) -> pulumi.Output | None:
    key = "id" if state["id"] == value else next((k for k, v in state.items() if v == value), None)
    if key is None:
        return None
    if key == "id":
        return resource.id  # type: ignore[attr-defined]
    return getattr(resource, _types.resource_pulumi_to_py_names(type(resource)).get(key, key), None)


def _decoded(value: Any) -> Any:
    try:
        return json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return value
