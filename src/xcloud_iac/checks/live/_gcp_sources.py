"""The sources a Google network's firewall rules may admit: the networks that reach it (the routing model)."""

from __future__ import annotations

from ...topology import Topology
from .state import IPNetwork


def declared_sources(topo: Topology, network: str) -> list[IPNetwork]:
    """The network's own ranges and those of every network whose traffic the routing model delivers to it."""
    out: list[IPNetwork] = []
    for net in topo.spec.networks:
        if net.name == network or network in topo.routing.reachable_from(net.name):
            out.extend(net.cidrs)
    return out


def admitted(prefix: IPNetwork, sources: list[IPNetwork]) -> bool:
    return any(prefix.version == s.version and prefix.subnet_of(s) for s in sources)  # type: ignore[arg-type]
