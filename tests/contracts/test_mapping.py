"""The mapping table is complete for what the components register, and names only properties that exist."""

from __future__ import annotations

import pytest

from xcloud_iac.contracts.mapping import NONE, NOT_CLOUD_RESOURCES, TABLE, Prop
from xcloud_iac.contracts.verdict import contract_of
from xcloud_iac.plan.inventory import KEY_INPUTS, plan_stack
from xcloud_iac.synth import generate


@pytest.fixture(scope="module")
def registered(example_plans) -> dict[str, set[str]]:
    """type token -> every input name set on it, over the example stacks and a synthetic organisation."""
    inventories = [inv for _stack, inv in example_plans.values()]
    inventories.append(plan_stack(generate(40, seed=3).stack()))
    out: dict[str, set[str]] = {}
    for inventory in inventories:
        for r in inventory.resources:
            if r.custom:
                out.setdefault(r.type, set()).update(r.inputs)
    return out


def test_every_registered_type_is_mapped(registered) -> None:
    missing = sorted(t for t in registered if t not in TABLE and t not in NOT_CLOUD_RESOURCES)
    assert missing == [], f"add these types to contracts/mapping.py: {missing}"


def test_every_curated_type_is_mapped() -> None:
    """KEY_INPUTS lists every type the components may register (some only in configurations no example uses)."""
    assert sorted(t for t in KEY_INPUTS if t not in TABLE and t not in NOT_CLOUD_RESOURCES) == []


def test_every_registered_input_is_mapped_or_explained(registered) -> None:
    missing = sorted(f"{t}.{name}" for t, names in registered.items() if t in TABLE
                     for name in names if name not in TABLE[t].inputs)
    assert missing == [], f"map these inputs (or mark them NONE with a reason): {missing}"


def test_curated_inputs_are_mapped() -> None:
    missing = sorted(f"{t}.{n}" for t, names in KEY_INPUTS.items() if t in TABLE for n in names
                     if n not in TABLE[t].inputs)
    assert missing == []


@pytest.mark.parametrize("token", sorted(TABLE))
def test_mapped_properties_exist_in_the_contract(token: str) -> None:
    target = TABLE[token]
    contract = contract_of(target)
    assert contract is not None, f"{target.ref} is not in the installed definitions"
    props = contract.schema["properties"]
    for name, prop in target.inputs.items():
        if isinstance(prop, NONE):
            assert prop.reason.strip(), f"{token}.{name}: a NONE needs a reason"
            continue
        assert isinstance(prop, Prop)
        head = prop.path.split(".")[0]
        assert head in props, f"{token}.{name} -> {prop.path}: no property {head} in {contract.source}"
    if target.autoname:
        assert target.autoname in props
    for prop, keywords in target.stated.items():
        assert prop in props and keywords.get("source"), f"{token}: stated {prop} needs a property and a source"
    for stated in target.rules:
        for p in (*stated.props, *stated.others, *stated.when_absent):
            assert p in props, f"{token}: stated rule names {p}, not a property of {contract.source}"
