from __future__ import annotations

from ...topology import Routing
from ..finding import Severity
from ..registry import Rule, register


@register
class CidrOverlap(Rule):
    """Two networks whose CIDRs overlap can reach each other, in either direction (over hubs, interconnects or
    links), or take part in the same forwarding domain (associated with, or propagating into, the same route table
    or segment). Traffic for the shared addresses ends up in only one of them. Overlapping networks that cannot
    reach each other are fine."""

    id = "XC201"
    title = "CIDR overlap between connected networks"
    severity = Severity.error
    tags = ("addressing",)
    fix_hint = "Renumber one of the networks, or keep them apart (no route and no shared route table between them)."

    def check(self, topo):
        routing = topo.routing
        for (outer, a), (inner, b) in topo.network_prefixes.overlapping_pairs():
            if a == b:
                continue
            how = _connection(routing, a, b)
            if how is None:
                continue
            net_a, net_b = topo.networks[a], topo.networks[b]
            yield self.finding(
                topo, net_a, f"network '{a}' {outer} overlaps network '{b}' {inner} ({how})",
                field=("cidrs", net_a.cidrs.index(outer)),
                related=[(f"network '{b}' {inner}", net_b, ("cidrs", net_b.cidrs.index(inner)))],
            )


def _connection(routing: Routing, a: str, b: str) -> str | None:
    """How two networks are connected, or None."""
    for src, dst in ((a, b), (b, a)):
        path = routing.reaches(src, dst)
        if path is not None:
            how = routing.describe(path)
            return f"reachable via {how}" if how else "reachable"
    in_b = set(routing.attached_domains(b))
    shared = [d for d in routing.attached_domains(a) if d in in_b]
    return f"both attached to {routing.domains[shared[0]].label}" if shared else None
