from __future__ import annotations

from ...topology import Route, Routing
from ..finding import Severity
from ..registry import Rule, register
from ._common import RouteLocator, and_join, route_source


@register
class ConflictingRoutes(Rule):
    """The same prefix reaches one forwarding domain (a Transit Gateway route table, a Cloud WAN segment, or a Google
    or external network) from two sources that lead to different networks: the provider silently prefers one (AWS:
    static, then VPC, then Direct Connect), so the other never gets the traffic. Sources that end in the same
    networks (two interconnects to one Google network) are redundancy, not a conflict. Also two static routes for
    one prefix in one domain with different targets (error), and a static route that shadows a propagated route for
    the same prefix with a different target (warning; an error when the static route reaches no network for the
    prefix: the traffic the propagated route carried is then dropped, and XC303 alone would name only the dead
    end, not the route it hides). Blackhole routes that shadow a propagated route are deliberate and not
    reported."""

    id = "XC301"
    title = "Conflicting routes for the same prefix"
    severity = Severity.error
    tags = ("routing",)
    fix_hint = "Advertise or propagate the prefix from one source only, or renumber one of the networks behind it."

    def check(self, topo):
        routing, locate = topo.routing, RouteLocator(topo)
        for dom in routing.domains.values():
            if dom.id.startswith("seg-isolated:"):
                continue  # a subset of the segment's own routes
            for prefix, routes in dom.index.groups():  # the domain's routes by prefix, in route order
                if len(routes) < 2:
                    continue
                outcomes = [(r, _outcome(routing, dom.id, r)) for r in routes]
                dynamic = [(r, o) for r, o in outcomes if r.origin != "static" and o]
                # a static route that reaches nothing still wins over every propagated one: kept, it is the outage
                static = [(r, o) for r, o in outcomes if r.origin == "static"]
                yield from self._conflict(topo, locate, dom, prefix, dynamic)
                yield from self._conflict(topo, locate, dom, prefix, static)
                for s, s_to in static:
                    shadowed = next(((d, d_to) for d, d_to in dynamic if d_to != s_to), None)
                    if s_to == "blackhole" or shadowed is None:
                        continue
                    d, d_to = shadowed
                    outage = "; traffic for it is dropped" if not s_to else ""
                    yield self.finding(
                        topo, s.obj, f"{route_source(topo, s)} for {prefix} in {dom.label} ({_to(s_to)}) shadows the "
                        f"route from {_from(topo, d, d_to)}{outage}", field=("prefix",),
                        severity=Severity.error if not s_to else Severity.warning,
                        related=[(f"shadowed: {prefix} from {route_source(topo, d)}", *locate(d))],
                    )

    def _conflict(self, topo, locate, dom, prefix, outcomes):
        """One finding when routes for a prefix lead to more than one outcome, on the first of the second outcome."""
        groups: dict = {}
        for route, outcome in outcomes:
            groups.setdefault(outcome, route)
        if len(groups) < 2:
            return
        firsts = list(groups.items())
        sources = [f"from {_from(topo, r, o)}" for o, r in firsts]
        here = firsts[1][1]
        obj, field = locate(here)
        yield self.finding(
            topo, obj, f"{dom.label} receives {prefix} {and_join(sources)}",
            field=field,
            related=[(f"also {prefix} from {route_source(topo, r)}", *locate(r)) for o, r in firsts if r is not here],
        )


def _outcome(routing: Routing, dom_id: str, route: Route):
    """Where one route sends its prefix: 'blackhole', or the networks it reaches for any part of the prefix (empty
    when it reaches none)."""
    if route.hop.kind == "blackhole":
        return "blackhole"
    return frozenset(routing.route_reach(dom_id, route))


def _from(topo, route: Route, outcome) -> str:
    """A route's source, and where it leads unless that is the network the source names."""
    hop = route.hop
    named: str | None
    if hop.kind == "deliver":
        named = hop.target
    else:
        named = hop.target.removeprefix("net:") if route.origin == "propagated" else None
    text = route_source(topo, route)
    return text if outcome == frozenset({named}) else f"{text} ({_to(outcome)})"


def _to(outcome) -> str:
    if outcome == "blackhole":
        return "dropped"
    if not outcome:
        return "to no network that owns it"
    names = sorted(outcome)
    return f"to network '{names[0]}'" if len(names) == 1 else "to networks " + ", ".join(f"'{n}'" for n in names)
