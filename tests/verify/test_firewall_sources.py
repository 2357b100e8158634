"""XC729 admits what the plan's firewall rules admit: for every Google network of every example stack, the sources
verify allows are the source ranges of the stack's planned firewall rules on that network (both come from
topology.dataplane.peer_ranges), so a freshly deployed stack can never be reported as too wide, nor a narrowed
one pass."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from conftest import STACKS

from xcloud_iac import load
from xcloud_iac.checks.live.xc729_firewall_too_wide import FirewallTooWide
from xcloud_iac.spec import models as m
from xcloud_iac.tags import gcp_firewall_prefix
from xcloud_iac.topology import build

FIREWALL = "gcp:compute/firewall:Firewall"


@pytest.mark.parametrize("path", STACKS, ids=[p.stem for p in STACKS])
def test_verify_allows_exactly_what_the_planned_firewall_admits(path, plans: dict[str, Any]) -> None:
    stack = load(path)
    topo = build(stack)
    google = [n.name for n in stack.networks if n.cloud is m.Cloud.gcp]
    allowed = {net: sorted(FirewallTooWide.allowed_sources(topo, net)) for net in google}
    planned = {
        net: sorted({ipaddress.ip_network(r) for fw in plans[path.stem].resources
                     if fw.type == FIREWALL and fw.name.startswith(gcp_firewall_prefix(net))
                     for r in fw.inputs.get("sourceRanges", [])})
        for net in google
    }
    assert allowed == planned
    assert all(allowed.values()), "every Google network of the examples is reached by a peer (not vacuous)"


def test_the_examples_include_google_networks_with_peers(plans: dict[str, Any]) -> None:
    with_firewalls = sorted(p.stem for p in STACKS if any(r.type == FIREWALL for r in plans[p.stem].resources))
    assert with_firewalls == ["cloud-wan", "dr-pair"]
