from __future__ import annotations

from ...spec import models as m
from ...topology import Routing, Walk
from ..finding import Severity
from ..registry import Rule, register
from ._common import RouteLocator, is_google_service, link_views


@register
class RouteToNowhere(Rule):
    """Traffic is routed somewhere it is dropped. Errors: a static route whose target does not lead to a network
    owning the prefix (a VPC outside the prefix, a peering with no associated attachment back); a prefix on an
    allow-list or advertised over an interconnect or link whose traffic from the far side is dropped (no network
    behind that side owns it, or the domain it arrives in has no route for it); an interconnect or link not
    attached to any hub; a Transit Gateway attachment associated with no route table. Warning: a route table with
    propagated or static routes that no attachment is associated with, so nothing uses them. Explicit
    `blackhole: true` routes are intentional, and Google's service ranges (Cloud DNS forwarding, health checks,
    Private Google Access) advertised by a Google side are owned by Google."""

    id = "XC303"
    title = "Route to nowhere"
    severity = Severity.error
    tags = ("routing",)
    fix_hint = "Point the route at the attachment of the network that owns the prefix, or remove the prefix."

    def check(self, topo):
        routing = topo.routing
        yield from self._static_routes(topo, routing)
        yield from self._advertised(topo, routing)
        for link in link_views(topo):
            if not topo.attachments_of(link.kind, link.name):
                yield self.finding(
                    topo, link.obj, f"{link.label} to network '{link.far_network}' is not attached to any hub: "
                    "traffic across it has nowhere to go", field=("name",),
                    hint="Attach the link's Direct Connect gateway to a hub (an attachment with a route table).",
                )
        for hub in topo.hubs.values():
            if isinstance(hub, m.TransitGateway):
                yield from self._tables(topo, hub)

    def _static_routes(self, topo, routing: Routing):
        for dom in routing.domains.values():
            if dom.id.startswith("seg-isolated:"):
                continue  # a subset of the segment's own routes
            for route in dom.routes:
                if route.origin != "static" or route.hop.kind == "blackhole":
                    continue
                walk = routing.follow(dom.id, route)
                if not _leads_somewhere(routing, dom.id, route, walk):
                    yield self.finding(
                        topo, route.obj, f"static route for {route.prefix} in {dom.label} to attachment "
                        f"'{route.obj.attachment}' goes nowhere: {_why(routing, walk)}", field=("prefix",),
                    )

    def _advertised(self, topo, routing: Routing):
        """Allow-list and advertised items whose traffic, arriving from the far side, is dropped."""
        locate, done = RouteLocator(topo), set()
        for dom in routing.domains.values():
            if dom.id.startswith("seg-isolated:"):
                continue
            for route in dom.routes:
                if route.origin == "static" or route.hop.link is None or route.hop.kind == "unattached":
                    continue  # unattached links are reported once, above
                if routing.arrives(dom.id, route):
                    continue  # delivered to the network that advertises it
                if isinstance(route.obj, m.InterconnectGcp) and is_google_service(route.prefix):
                    continue
                walk = routing.follow(dom.id, route)
                if _leads_somewhere(routing, dom.id, route, walk):
                    continue
                obj, field = locate(route)  # (only for what is reported: locating every route costs)
                if (id(obj), field) in done:
                    continue
                done.add((id(obj), field))
                link = routing.link_label(route.hop.link)
                if route.origin == "learned":
                    what = f"{route.prefix} on the AWS allow-list of {link} is advertised to network '{dom.obj.name}'"
                else:
                    what = f"{route.prefix} advertised over {link} into {dom.label}"
                yield self.finding(
                    topo, obj, f"{what}, but traffic for it is dropped: {_why(routing, walk)}", field=field,
                    hint="Advertise only prefixes that a network behind that side owns and routes.",
                )

    def _tables(self, topo, hub: m.TransitGateway):
        associated = {att.route_table for att in hub.attachments if att.route_table}
        for att in hub.attachments:
            if att.route_table is None and att.kind != "peer":  # a peer's missing table shows in static routes
                yield self.finding(
                    topo, att, f"attachment '{att.name}' of hub '{hub.name}' is associated with no route table: "
                    f"traffic from {att.kind} '{att.target}' into the hub is dropped", field=("name",),
                    hint="Associate the attachment with a route table (route_table: ...).",
                )
        for rt in hub.route_tables:
            if rt.name in associated:
                continue
            feeders = [(att, att.propagate_to.index(rt.name)) for att in hub.attachments if rt.name in att.propagate_to]
            if not (feeders or rt.routes):
                continue
            what = f"propagated from attachment '{feeders[0][0].name}'" if feeders else "static routes"
            yield self.finding(
                topo, rt, f"route table '{rt.name}' of hub '{hub.name}' has routes ({what}) but no attachment is "
                "associated with it: nothing uses them", field=("name",), severity=Severity.warning,
                related=[
                    (f"attachment '{att.name}' propagates into it", att, ("propagate_to", i)) for att, i in feeders
                ],
                hint="Associate the attachments that need these routes with the table, or stop propagating into it.",
            )


def _leads_somewhere(routing: Routing, dom_id: str, route, walk: Walk) -> bool:
    """Whether traffic taking the route reaches a network (for any part of a summary), or is dropped on purpose by
    a blackhole route, or loops (XC308 reports loops)."""
    return bool(walk.reached or walk.loops or walk.blackholed or routing.route_reach(dom_id, route, first_only=True))


def _why(routing: Routing, walk: Walk) -> str:
    """Why a walk reached no network, for messages."""
    if walk.unowned:
        route = walk.unowned[0][1]
        return f"network '{route.hop.target}' does not own it"
    if walk.unattached:
        return f"it ends at {walk.unattached[0][1].hop.via}"
    dom = routing.domains.get(walk.unrouted[0]) if walk.unrouted else None
    if dom is not None and dom.id.startswith("net:"):
        return f"network '{dom.obj.name}' neither owns nor routes it"
    return f"{dom.label if dom else 'the next domain'} has no route for it"
