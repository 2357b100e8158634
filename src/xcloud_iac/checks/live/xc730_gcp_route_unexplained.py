from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule, admitted


@register
class GcpRouteUnexplained(LiveRule):
    """A route the stack owns on a Google network (by its name prefix) sends a destination that no network the
    routing model connects to this one holds: traffic leaves for where the spec says nothing is."""

    id = "XC730"
    title = "Google route the spec does not explain"
    severity = Severity.error
    fix_hint = "Delete the route or declare the network it leads to."

    def check_live(self, topo, live):
        for net in topo.spec.networks:
            routes = live.gcp_routes.get(net.name)
            if not routes:
                continue
            known = [c for other in topo.spec.networks
                     if other.name == net.name or other.name in topo.routing.reachable_from(net.name)
                     for c in other.cidrs]
            for route in routes:
                if not admitted(route.destination, known):
                    yield self.finding(topo, net, f"network '{net.name}': route {route.name} sends "
                                       f"{route.destination} to {route.next_hop}; no network '{net.name}' reaches "
                                       "holds it")
