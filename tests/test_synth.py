"""The synthetic organisations the benchmarks run on: reproducible, clean by construction, realistic in
proportion, and each planted conflict gives exactly the findings it is declared to give (and nothing else)."""

from __future__ import annotations

from collections import Counter

import pytest

from xcloud_iac import synth
from xcloud_iac.checks import check, check_many
from xcloud_iac.spec import load_text
from xcloud_iac.topology import build

SIZE = 200  # two Transit Gateway pairs that peer, a Cloud WAN core, enough of everything for two plants per rule


def rules_of(report) -> Counter[str]:
    return Counter(f.rule for f in report.findings)


def test_the_same_seed_gives_the_same_stack() -> None:
    first, again = synth.generate(SIZE, seed=7), synth.generate(SIZE, seed=7)
    assert first.documents == again.documents
    assert first.yaml() == again.yaml()
    assert synth.generate(SIZE, seed=8).documents != first.documents
    planted = synth.generate(SIZE, seed=7, plant={"XC201": 2, "XC401": 1})
    assert planted.documents == synth.generate(SIZE, seed=7, plant={"XC201": 2, "XC401": 1}).documents
    assert planted.documents != first.documents


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_generated_stack_is_clean(seed: int) -> None:
    report = check(synth.generate(SIZE, seed=seed).stack())
    assert report.findings == [] and report.waived == []


@pytest.mark.parametrize("networks", [10, 11, 37])
def test_small_organisations_are_clean_too(networks: int) -> None:
    stack = synth.generate(networks).stack()
    assert len(stack.networks) == networks
    assert check(stack).findings == []


@pytest.mark.parametrize("rule", sorted(synth.PLANTABLE))
def test_each_planted_conflict_gives_exactly_its_findings(rule: str) -> None:
    generated = synth.generate(SIZE, seed=3, plant={rule: 2})
    assert generated.expected == Counter({rule: 2 * synth.PLANTABLE[rule][0]})
    assert len(generated.planted[rule]) == 2
    assert rules_of(check(generated.stack())) == generated.expected


def test_every_kind_planted_at_once_adds_up() -> None:
    generated = synth.generate(SIZE, seed=5, plant={rule: 1 for rule in synth.PLANTABLE})
    assert rules_of(check(generated.stack())) == generated.expected
    assert set(generated.expected) == set(synth.PLANTABLE)


def test_the_yaml_files_load_and_check_as_one_plan() -> None:
    generated = synth.generate(SIZE, seed=4, plant={"XC201": 1, "XC302": 1, "XC401": 1})
    stacks = [load_text(text, name) for name, text in generated.yaml().items()]
    report = check_many(stacks)
    assert rules_of(report) == generated.expected
    # findings point into the file that declares the object
    assert all(f.location is not None and f.location.file in generated.documents for f in report.findings)


def test_proportions_follow_an_organisation() -> None:
    # per 1,000 networks: about 10,000 routes, 500 DNS forwarding rules and 200 trust roles
    sizes = synth.describe(build(synth.generate(1000).stack()))
    assert sizes["networks"] == 1000
    assert 9_000 <= sizes["routes"] <= 11_000
    assert 450 <= sizes["dns_rules"] <= 550
    assert sizes["roles"] == 200


def test_planting_more_than_there_is_to_plant_on_is_refused() -> None:
    with pytest.raises(ValueError, match="not enough"):
        synth.generate(10, plant={"XC302": 50})
    with pytest.raises(ValueError, match="cannot plant"):
        synth.generate(10, plant={"XC999": 1})
