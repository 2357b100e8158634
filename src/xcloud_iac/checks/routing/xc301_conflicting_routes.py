from __future__ import annotations

from collections import defaultdict

from ...topology import Route, Routing
from ..finding import Severity
from ..registry import Rule, register
from ._common import route_location, route_source


@register
class ConflictingRoutes(Rule):
    """The same prefix reaches one forwarding domain (a Transit Gateway route table, a Cloud WAN segment, or a Google
    or external network) from two sources that lead to different networks: the provider silently prefers one (AWS:
    static, then VPC, then Direct Connect), so the other never gets the traffic. Sources that end in the same
    networks (two interconnects to one Google network) are redundancy, not a conflict. Also two static routes for
    one prefix in one domain with different targets (error), and a static route that shadows a propagated route for
    the same prefix with a different target (warning). Blackhole routes that shadow a propagated route are
    deliberate and not reported."""

    id = "XC301"
    title = "Conflicting routes for the same prefix"
    severity = Severity.error
    tags = ("routing",)
    fix_hint = "Advertise or propagate the prefix from one source only, or renumber one of the networks behind it."

    def check(self, topo):
        routing = topo.routing
        for dom in routing.domains.values():
            if dom.id.startswith("seg-isolated:"):
                continue  # a subset of the segment's own routes
            by_prefix: dict = defaultdict(list)
            for route in dom.routes:
                by_prefix[route.prefix].append(route)
            for prefix, routes in by_prefix.items():
                if len(routes) < 2:
                    continue
                outcomes = [(r, _outcome(routing, dom.id, r)) for r in routes]
                dynamic = [(r, o) for r, o in outcomes if r.origin != "static" and o]
                static = [(r, o) for r, o in outcomes if r.origin == "static" and o]
                yield from self._conflict(topo, dom, prefix, dynamic)
                yield from self._conflict(topo, dom, prefix, static)
                for s, s_to in static:
                    shadowed = next(((d, d_to) for d, d_to in dynamic if d_to != s_to), None)
                    if s_to == "blackhole" or shadowed is None:
                        continue
                    d, d_to = shadowed
                    yield self.finding(
                        topo, s.obj, f"{route_source(topo, s)} for {prefix} in {dom.label} ({_to(s_to)}) shadows the "
                        f"route from {_from(topo, d, d_to)}", field=("prefix",),
                        severity=Severity.warning,
                        related=[(f"shadowed: {prefix} from {route_source(topo, d)}", *route_location(topo, d))],
                    )

    def _conflict(self, topo, dom, prefix, outcomes):
        """One finding when routes for a prefix lead to more than one outcome, on the first of the second outcome."""
        groups: dict = {}
        for route, outcome in outcomes:
            groups.setdefault(outcome, route)
        if len(groups) < 2:
            return
        firsts = list(groups.items())
        sources = [f"from {_from(topo, r, o)}" for o, r in firsts]
        here = firsts[1][1]
        obj, field = route_location(topo, here)
        yield self.finding(
            topo, obj, f"{dom.label} receives {prefix} {', '.join(sources[:-1])} and {sources[-1]}",
            field=field,
            related=[(f"also {prefix} from {route_source(topo, r)}", *route_location(topo, r)) for o, r in firsts if r is not here],
        )


def _outcome(routing: Routing, dom_id: str, route: Route):
    """Where one route sends its prefix: 'blackhole', or the networks it reaches (empty when it reaches none)."""
    if route.hop.kind == "blackhole":
        return "blackhole"
    return frozenset(routing.follow(dom_id, route).reached)


def _from(topo, route: Route, outcome) -> str:
    """A route's source, and where it leads unless that is the network the source names."""
    hop = route.hop
    named = hop.target if hop.kind == "deliver" else hop.target.removeprefix("net:") if route.origin == "propagated" else None
    text = route_source(topo, route)
    return text if outcome == frozenset({named}) else f"{text} ({_to(outcome)})"


def _to(outcome) -> str:
    if outcome == "blackhole":
        return "dropped"
    names = sorted(outcome)
    return f"to network '{names[0]}'" if len(names) == 1 else "to networks " + ", ".join(f"'{n}'" for n in names)
