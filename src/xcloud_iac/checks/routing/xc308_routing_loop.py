from __future__ import annotations

from ..finding import Severity
from ..registry import Rule, register
from ._common import RouteLocator


@register
class RoutingLoop(Rule):
    """Traffic for a prefix goes round in a loop across hubs, links or networks (for example static routes over
    Transit Gateway peerings that point at each other, or a prefix advertised back to where it came from), until its
    TTL runs out. One finding per loop and prefix, on the most specific route of the loop (usually the one that
    pulls the traffic in)."""

    id = "XC308"
    title = "Routing loop across hubs"
    severity = Severity.error
    tags = ("routing",)
    fix_hint = (
        "Route the prefix towards the network that owns it on one of the hops (or drop it with a blackhole route)."
    )

    def check(self, topo):
        routing, locate = topo.routing, RouteLocator(topo)
        seen: set[tuple] = set()
        for dom in routing.domains.values():
            if dom.id.startswith("seg-isolated:"):
                continue  # a subset of the segment's own routes
            for start in dom.routes:
                if start.hop.kind != "domain":
                    continue  # only routes to another domain can loop
                if routing.arrives(dom.id, start) and len(dom.index.exact(start.prefix)) == 1:
                    continue  # the only route for its prefix, and delivered at its next hop
                prefix = start.prefix
                for trail in routing.walk(dom.id, prefix).loops:
                    cycle = trail[trail.index(trail[-1]):-1]
                    if (frozenset(cycle), prefix) in seen:
                        continue  # the same loop, found from another of its domains
                    seen.add((frozenset(cycle), prefix))
                    hops = {here: _hop(routing, here, nxt, prefix) for here, nxt in zip(cycle, cycle[1:] + cycle[:1])}
                    # start at the most specific route of the loop: usually the one that pulls traffic into it
                    first = min(range(len(cycle)), key=lambda i: (-hops[cycle[i]].prefix.prefixlen, cycle[i]))
                    cycle = cycle[first:] + cycle[:first]
                    labels = [routing.domains[d].label for d in (*cycle, cycle[0])]
                    obj, field = locate(hops[cycle[0]])
                    yield self.finding(
                        topo, obj, f"traffic for {prefix} loops: {' -> '.join(labels)}", field=field,
                        related=[(f"{routing.domains[d].label} sends it on via {hops[d].hop.via}", *locate(hops[d]))
                                 for d in cycle[1:]],
                    )


def _hop(routing, here: str, nxt: str, prefix):
    """The route of `here` that sends `prefix` on to `nxt`."""
    return next(r for r in routing.domains[here].lookup(prefix) if r.hop.target == nxt)
