"""Helpers shared by the addressing and routing rules: one view of interconnects and external links, and where a
route's prefix is written in the spec."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass

from ...spec import catalog
from ...spec import models as m
from ...topology import Route, Topology

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# The entries of catalog.RESERVED_RANGES that are Google's own service addresses. Google routes them to its services
# from every VPC, so a Google network can never use them; and a Google side may advertise them over an
# interconnect on purpose (return paths for Cloud DNS forwarding, health checks and Private Google Access).
GOOGLE_SERVICE_RANGES: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(c)
    for c in ("35.191.0.0/16", "130.211.0.0/22", "35.199.192.0/19", "199.36.153.4/30", "199.36.153.8/30")
)
assert all(any(r == g for r, _why in catalog.RESERVED_RANGES) for g in GOOGLE_SERVICE_RANGES)


def is_google_service(prefix: IPNetwork) -> bool:
    return any(m.prefix_within(prefix, g) for g in GOOGLE_SERVICE_RANGES)


@dataclass(frozen=True)
class LinkView:
    """An interconnect or an external link, seen the same way: an AWS side and a far side with its network."""

    kind: str  # "interconnect" | "link"
    obj: m.Interconnect | m.ExternalLink
    aws: m.InterconnectAws | m.LinkAws
    far: m.InterconnectGcp | m.LinkRemote

    @property
    def name(self) -> str:
        return self.obj.name

    @property
    def label(self) -> str:
        return f"{self.kind} '{self.obj.name}'"

    @property
    def far_network(self) -> str:
        return self.far.network

    @property
    def far_side(self) -> str:
        """How messages call the far side: 'Google' for an interconnect, 'remote' for an external link."""
        return "Google" if self.kind == "interconnect" else "remote"

    @property
    def advertised_field(self) -> str:
        return advertised_field(self.far)


def advertised_field(far: m.InterconnectGcp | m.LinkRemote) -> str:
    """The far side's field that holds what it advertises: the allow-list when advertised_prefixes is unset."""
    return "allowed_prefixes" if far.advertised_prefixes is None else "advertised_prefixes"


def link_views(topo: Topology) -> Iterator[LinkView]:
    """Every interconnect, then every external link, in spec order."""
    for ic in topo.interconnects.values():
        yield LinkView("interconnect", ic, ic.aws, ic.gcp)
    for link in topo.links.values():
        yield LinkView("link", link, link.aws, link.remote)


class RouteLocator:
    """Where a route's prefix is written in the spec: a network CIDR, an allow-list or advertised item, or a static
    route. Make one per check run: it remembers the position of every prefix of the lists it has looked in, as
    allow-lists can be long."""

    def __init__(self, topo: Topology) -> None:
        self.topo = topo
        self._positions: dict[tuple[int, str], dict[IPNetwork, int]] = {}

    def __call__(self, route: Route) -> tuple[m.Model, tuple[str | int, ...]]:
        obj, hop = route.obj, route.hop
        if route.origin == "static":
            return obj, ("prefix",)
        if hop.kind == "deliver":  # a network's own range, local or propagated from its attachment
            obj, fld = self.topo.networks[hop.target], "cidrs"
        elif isinstance(obj, m.InterconnectGcp | m.LinkRemote):  # propagated from the far side of a link
            fld = advertised_field(obj)
        else:  # learned from the AWS side of a link
            fld = "allowed_prefixes"
        return obj, (fld, self._index(obj, fld, route.prefix))

    def _index(self, obj: m.Model, fld: str, prefix: IPNetwork) -> int:
        key = (id(obj), fld)
        if key not in self._positions:
            items = getattr(obj, fld)
            self._positions[key] = {p: i for i, p in reversed(list(enumerate(items)))}  # the first of repeats
        return self._positions[key][prefix]


def and_join(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return f"{', '.join(parts[:-1])} and {parts[-1]}" if len(parts) > 1 else "".join(parts)


def route_source(topo: Topology, route: Route) -> str:
    """Where a route comes from, for messages: "network 'a' (attachment 'a')", "network 'g' (interconnect 'x')"."""
    hop = route.hop
    if route.origin == "static":
        if hop.kind == "blackhole":
            return "a blackhole route"
        return f"a static route to attachment '{route.obj.attachment}'"
    if route.origin == "local":
        return f"network '{hop.target}' (its own range)"
    if hop.kind == "deliver":
        return f"network '{hop.target}' ({route.source})"
    if route.origin == "propagated":
        return f"network '{hop.target.removeprefix('net:')}' ({route.source})"
    target = topo.routing.domains.get(hop.target)
    return f"the AWS side of {route.source}" + (f" ({target.label})" if target else "")
