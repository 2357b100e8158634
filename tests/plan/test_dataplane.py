"""The model and the plan agree: every path the routing model says exists is carried by planned resources (VPC
route tables, hub route tables, interconnect advertisements, firewall rules, security groups), and no planned VPC
route is left unexplained. On every example stack and on synthetic organisations; and a planted change to a plan
(a route removed or added, a firewall rule narrowed, a security group widened) is caught."""

from __future__ import annotations

import dataclasses
import ipaddress
import re

import pytest

from xcloud_iac import synth
from xcloud_iac.plan.inventory import Inventory, plan_stack
from xcloud_iac.spec import load
from xcloud_iac.topology import build

from . import dataplane
from .support import STACK_NAMES, STACKS

SYNTHETIC = [(30, 1), (40, 5)]  # (networks, seed): TGW cells with peerings, a Cloud WAN core, interconnects, links


@pytest.fixture(scope="module")
def planned():
    out = {}
    for name in STACK_NAMES:
        stack = load(STACKS / f"{name}.yaml")
        out[name] = (build(stack), plan_stack(stack))
    return out


@pytest.fixture(scope="module")
def synthetic():
    out = {}
    for size, seed in SYNTHETIC:
        stack = synth.generate(size, seed=seed).stack()
        out[(size, seed)] = (build(stack), plan_stack(stack))
    return out


@pytest.mark.parametrize("name", STACK_NAMES)
def test_every_example_plan_carries_what_the_model_reaches(planned, name) -> None:
    topo, inventory = planned[name]
    assert dataplane.problems(topo, inventory) == []
    assert inventory.counts()[dataplane.ROUTE] > 0  # there is something to hold against the model


@pytest.mark.parametrize("size, seed", SYNTHETIC)
def test_every_synthetic_plan_carries_what_the_model_reaches(synthetic, size, seed) -> None:
    topo, inventory = synthetic[(size, seed)]
    assert dataplane.problems(topo, inventory) == []
    counts = inventory.counts()
    assert counts[dataplane.ROUTE] > 100 and counts[dataplane.FIREWALL] > 0


def _without(inventory: Inventory, pick) -> tuple[Inventory, object]:
    victim = next(r for r in inventory.resources if pick(r))
    return Inventory(inventory.stack, [r for r in inventory.resources if r is not victim]), victim


def _changed(inventory: Inventory, pick, **inputs) -> Inventory:
    victim = next(r for r in inventory.resources if pick(r))
    changed = dataclasses.replace(victim, inputs={**victim.inputs, **inputs})
    return Inventory(inventory.stack, [changed if r is victim else r for r in inventory.resources])


def test_a_vpc_route_removed_from_the_plan_is_caught(planned, synthetic) -> None:
    for topo, inventory in [planned["dr-pair"], planned["cloud-wan"], *synthetic.values()]:
        broken, route = _without(inventory, lambda r: r.type == dataplane.ROUTE)
        found = dataplane.problems(topo, broken)
        removed = ipaddress.ip_network(route.inputs["destinationCidrBlock"])  # a summary: what it covered is named
        assert found and all("no route towards" in p for p in found), found
        named = [ipaddress.ip_network(c) for p in found for c in re.findall(r"[\d.]+/\d+", p)]
        assert any(n.version == removed.version and n.subnet_of(removed) for n in named), (removed, found)


def test_the_cloud_dns_return_route_removed_is_caught(planned) -> None:
    topo, inventory = planned["dr-pair"]
    broken, _route = _without(inventory, lambda r: r.inputs.get("destinationCidrBlock") == "35.199.192.0/19")
    assert dataplane.problems(topo, broken) == [
        ("network 'aws-prod' route table aws-prod-rt: no route towards tgw-use1 for Cloud DNS answers to "
        "35.199.192.0/19 (network 'gcp-dr')")
    ]


def test_a_route_the_model_does_not_explain_is_caught(planned) -> None:
    topo, inventory = planned["dr-pair"]
    extra = _changed(inventory, lambda r: r.type == dataplane.ROUTE, destinationCidrBlock="192.0.2.0/24")
    found = dataplane.problems(topo, extra)
    assert any("route 192.0.2.0/24" in p and "not explained" in p for p in found)


def test_a_subnet_left_out_of_the_route_table_is_caught(planned) -> None:
    topo, inventory = planned["dr-pair"]
    broken, assoc = _without(inventory, lambda r: r.type == dataplane.ASSOCIATION)
    subnet = assoc.name.removeprefix("aws-prod-rt-")
    assert dataplane.problems(topo, broken) == [
        f"network 'aws-prod': subnet '{subnet}' is associated with no route table"
    ]


def test_a_narrowed_firewall_rule_is_caught(planned, synthetic) -> None:
    for topo, inventory in [planned["dr-pair"], planned["cloud-wan"], *synthetic.values()]:
        rule = next(r for r in inventory.resources if r.type == dataplane.FIREWALL)
        first = rule.inputs["sourceRanges"][0]
        narrowed = str(dataplane.net(first).supernet(new_prefix=dataplane.net(first).prefixlen) .subnets(
            new_prefix=dataplane.net(first).prefixlen + 1).__next__())
        broken = _changed(inventory, lambda r, rule=rule: r is rule,
                          sourceRanges=[narrowed, *rule.inputs["sourceRanges"][1:]])
        found = dataplane.problems(topo, broken)
        assert any(f"no firewall rule admits {first}" in p for p in found), found


def test_a_firewall_rule_without_the_declared_ports_or_logging_is_caught(planned) -> None:
    topo, inventory = planned["dr-pair"]
    fewer = _changed(inventory, lambda r: r.type == dataplane.FIREWALL, allows=[{"protocol": "icmp"}])
    assert dataplane.problems(topo, fewer) == [
        "network 'gcp-dr': firewall rule gcp-dr-fw-peers admits 10.10.0.0/16 of network 'aws-prod' without tcp 443"
    ]
    silent = _changed(inventory, lambda r: r.type == dataplane.FIREWALL, logConfig={})
    assert dataplane.problems(topo, silent) == ["network 'gcp-dr': firewall rule gcp-dr-fw-peers does not log"]
    wide = _changed(inventory, lambda r: r.type == dataplane.FIREWALL, sourceRanges=["10.0.0.0/8"])
    assert dataplane.problems(topo, wide) == [
        "network 'gcp-dr': firewall rule gcp-dr-fw-peers admits 10.0.0.0/8, which no network reaching it owns"
    ]


def test_a_widened_resolver_security_group_is_caught(planned) -> None:
    topo, inventory = planned["dr-pair"]
    group = next(r for r in inventory.resources if r.name == "aws-prod-resolver-use1-inbound-sg")
    ingress = [{**rule, "cidrBlocks": ["10.0.0.0/8"]} if rule["protocol"] == "udp" else rule
               for rule in group.inputs["ingress"]]
    found = dataplane.problems(topo, _changed(inventory, lambda r: r is group, ingress=ingress))
    assert found == [
        ("inbound endpoint 'use1-inbound': udp 53 admits ['10.0.0.0/8'], not exactly its allowed sources "
        "['35.199.192.0/19']"),
        "inbound endpoint 'use1-inbound': Cloud DNS forwards to it, but udp 53 does not admit 35.199.192.0/19",
    ]


def test_an_interconnect_that_stops_advertising_or_importing_is_caught(planned) -> None:
    topo, inventory = planned["dr-pair"]
    quiet = _changed(inventory, lambda r: r.type.endswith(":Transport"), advertisedRoutes=["35.199.192.0/19"])
    assert "interconnect 'use1-gcp': the transport does not advertise 10.20.0.0/16 of network 'gcp-dr'" in \
        dataplane.problems(topo, quiet)
    closed = _changed(inventory, lambda r: r.type.endswith(":NetworkPeering"), importCustomRoutes=False)
    assert dataplane.problems(topo, closed) == [
        "interconnect 'use1-gcp': network 'gcp-dr' does not import the routes learned from AWS"
    ]


def test_a_hub_propagation_removed_is_caught(planned) -> None:
    topo, inventory = planned["dr-pair"]
    broken, _prop = _without(inventory, lambda r: r.name == "use1-gcp-tgw-use1-prop-prod")
    assert dataplane.problems(topo, broken) == [
        "hub 'tgw-use1' route table 'prod': nothing propagates or routes link 'use1-gcp' (towards network 'gcp-dr')"
    ]
