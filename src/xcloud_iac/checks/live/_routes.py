"""A Transit Gateway route table, live against the spec's effective routes (shared by XC702, XC703 and XC704).

The spec's routes of table T of hub H are `topology.routing.domains["rt:H/T"].routes`: propagated routes (a VPC's
CIDRs, or what the far side of an interconnect or link advertises) with the attachments that carry them, and static
and blackhole routes. A live route matches when prefix, kind and carrying attachment agree. A propagated route over
an interconnect or link that the spec does not name is still allowed when it lies inside that side's allow-list
(AWS forwards whatever the far side advertises; the allow-list is what the spec authorises).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ...spec import models as m
from ...topology import Topology
from ...topology.routing import Route
from .state import LiveHub, LiveRoute, LiveRouteTable, LiveState

GONE_STATES = frozenset({"deleting", "deleted"})


@dataclass(frozen=True)
class Expected:
    route: Route
    carriers: frozenset[str]  # spec attachment names that carry it (propagated), or the static target
    blackhole: bool

    @property
    def kind(self) -> str:
        return "static" if self.route.origin == "static" else "propagated"

    def describe(self) -> str:
        if self.blackhole:
            return f"blackhole route {self.route.prefix}"
        via = ", ".join(f"'{c}'" for c in sorted(self.carriers)) or "?"
        return f"{self.kind} route {self.route.prefix} from attachment {via}"


@dataclass(frozen=True)
class Drift:
    kind: str  # "unauthorised" | "missing" | "blackhole"
    message: str
    obj: m.Model  # spec object to locate the finding at
    field: tuple[str | int, ...] = ()


def tables(topo: Topology, live: LiveState) -> Iterator[tuple[m.TransitGateway, LiveHub, m.RouteTable, LiveRouteTable]]:
    """Declared route tables whose routes were read."""
    for hub in topo.spec.hubs:
        live_hub = live.hubs.get(hub.name)
        if not isinstance(hub, m.TransitGateway) or live_hub is None:
            continue
        for table in hub.route_tables:
            live_table = live_hub.table(table.name)
            if live_table is not None and live_table.routes is not None:
                yield hub, live_hub, table, live_table


def expected_routes(topo: Topology, hub: m.TransitGateway, table: m.RouteTable) -> list[Expected]:
    domain = topo.routing.domains.get(f"rt:{hub.name}/{table.name}")
    routes = domain.routes if domain else []
    static = {r.prefix for r in routes if r.origin == "static"}
    out = []
    for route in routes:
        if route.origin != "static" and route.prefix in static:
            continue  # a static route replaces a propagated one for the same prefix: AWS shows only the static one
        if route.origin == "static":
            target = route.obj.attachment
            out.append(Expected(route, frozenset({target} if target else ()), route.hop.kind == "blackhole"))
        elif isinstance(route.obj, m.TgwAttachment):
            out.append(Expected(route, frozenset({route.obj.name}), False))
        else:  # learned over an interconnect or link: carried by the hub's attachments of it into this table
            carriers = {
                a.name for a in hub.attachments
                if a.kind in ("interconnect", "link") and a.target == route.hop.link and table.name in a.propagate_to
            }
            out.append(Expected(route, frozenset(carriers), False))
    return out


def drift(topo: Topology, live: LiveState) -> Iterator[Drift]:
    for hub, live_hub, table, live_table in tables(topo, live):
        yield from _table_drift(topo, hub, live_hub, table, live_table)


def _table_drift(
    topo: Topology, hub: m.TransitGateway, live_hub: LiveHub, table: m.RouteTable, live_table: LiveRouteTable
) -> Iterator[Drift]:
    where = f"route table '{table.name}' of hub '{hub.name}' ({live_table.id})"
    expected = expected_routes(topo, hub, table)
    matched: set[int] = set()

    def drift_(kind: str, message: str, obj: m.Model = table, field: tuple = ()) -> Drift:
        return Drift(kind, f"{where} {message}", obj, field)

    for route in sorted(live_table.routes or (), key=_live_order):
        if route.state in GONE_STATES:
            continue
        carriers = {name for a in route.attachments if a in live_hub.attachments
                    if (name := live_hub.attachments[a].name) is not None}
        targets = ", ".join(live_hub.attachment_label(a) for a in route.attachments) or "an unreported target"
        same = [i for i, e in enumerate(expected) if route.prefix is not None and e.route.prefix == route.prefix]
        static = next((i for i in same if expected[i].kind == "static"), None)  # a declared static route
        if route.state == "blackhole":
            hit = [i for i in same if expected[i].blackhole]
            if hit:
                matched.update(hit)
            elif static is not None:
                matched.add(static)
                target = next(iter(expected[static].carriers))
                yield drift_(
                    "blackhole", f"drops traffic for {route.destination}: the static route to attachment '{target}' is "
                    "a blackhole (its attachment is gone or not available)", expected[static].route.obj,
                )
            else:
                yield drift_("blackhole", f"has a {route.type} blackhole route {route.destination} that the spec "
                             "does not declare")
        elif route.type == "static":
            hit = [i for i in same if expected[i].kind == "static" and not expected[i].blackhole
                   and (not route.attachments or expected[i].carriers & carriers)]  # no target reported: prefix only
            if hit:
                matched.update(hit)
            elif static is not None:
                matched.add(static)
                declared = expected[static]
                spec_says = (
                    "the spec drops it (blackhole route)" if declared.blackhole
                    else f"the spec sends it to attachment '{next(iter(declared.carriers))}'"
                )
                yield drift_("unauthorised", f"sends {route.destination} to {targets}; {spec_says}", declared.route.obj)
            else:
                yield drift_("unauthorised", f"has a static route {route.destination} -> {targets} that the spec "
                             "does not declare")
        else:
            hit = [i for i in same if expected[i].kind == "propagated" and expected[i].carriers & carriers]
            if hit:
                matched.update(hit)
            elif (why := _unexpected_propagation(topo, hub, table, route, carriers)) is not None:
                yield drift_("unauthorised", f"has a propagated route {route.destination} from {targets}: {why}")
    for i, e in enumerate(expected):
        if i in matched:
            continue
        if e.kind == "static":
            yield drift_("missing", f"has no {e.describe()}", e.route.obj)
        else:
            carrier = next((a for a in hub.attachments if a.name in e.carriers), None)
            obj, field = (carrier, ("propagate_to",)) if carrier is not None else (table, ())
            yield drift_("missing", f"has no {e.describe()}", obj, field)


def _unexpected_propagation(
    topo: Topology, hub: m.TransitGateway, table: m.RouteTable, route: LiveRoute, carriers: set[str]
) -> str | None:
    """Why a propagated route the spec does not list is not allowed; None when it is within an allow-list."""
    for name in sorted(carriers):
        att = next((a for a in hub.attachments if a.name == name), None)
        if att is None:
            continue
        if table.name not in att.propagate_to:
            return f"attachment '{name}' does not propagate into this table in the spec"
        if att.kind == "network":
            net = topo.networks.get(att.target)
            cidrs = ", ".join(str(c) for c in net.cidrs) if net else "?"
            return f"not a CIDR of network '{att.target}' ({cidrs}): the VPC has a range the spec does not declare"
        if att.kind in ("interconnect", "link"):
            ic, link = topo.interconnects.get(att.target), topo.links.get(att.target)
            if att.kind == "interconnect" and ic is not None:
                allowed = ic.gcp.allowed_prefixes
            elif att.kind == "link" and link is not None:
                allowed = link.remote.allowed_prefixes
            else:
                continue
            if route.prefix is not None and any(
                m.prefix_within(route.prefix, p) for p in allowed
            ):
                return None
            listed = ", ".join(str(p) for p in allowed)
            return (
                f"learned over {att.kind} '{att.target}' and outside its allow-list ({listed}): only authorised "
                "routes may propagate (XC304 at run time)"
            )
        return f"attachment '{name}' ({att.kind}) propagates no routes in the spec"
    return "an attachment the spec does not declare"


def _live_order(route: LiveRoute) -> tuple:
    prefix = route.prefix
    return (prefix.version if prefix else 9, int(prefix.network_address) if prefix else 0,
            prefix.prefixlen if prefix else 0, route.prefix_list or "", route.type)
