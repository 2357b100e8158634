from __future__ import annotations

from ...topology import Routing
from ..finding import Severity
from ..registry import Rule, register


@register
class CidrOverlap(Rule):
    """Two networks whose CIDRs overlap can reach each other, in either direction (over hubs, interconnects or
    links), or take part in the same forwarding domain (associated with, or propagating into, the same route table
    or segment) - networks behind interconnects and external links included, through the attachments of their
    link. Traffic for the shared addresses ends up in only one of them. Overlapping networks that cannot reach each
    other and share no route table or segment are fine."""

    id = "XC201"
    title = "CIDR overlap between connected networks"
    severity = Severity.error
    tags = ("addressing",)
    fix_hint = "Renumber one of the networks, or keep them apart (no route and no shared route table between them)."

    def check(self, topo):
        return self.findings_for(topo, topo.network_prefixes.overlapping_pairs())

    def findings_for(self, topo, pairs):
        """The findings on overlapping ranges ((outer range, network), (inner range, network)): the prefix index
        finds the pairs in one sweep; benchmarks pass the pairs a comparison of every pair finds."""
        connection = _Connections(topo.routing)
        for (outer, a), (inner, b) in pairs:
            if a == b:
                continue
            how = connection(a, b)
            if how is None:
                continue
            net_a, net_b = topo.networks[a], topo.networks[b]
            yield self.finding(
                topo, net_a, f"network '{a}' {outer} overlaps network '{b}' {inner} ({how})",
                field=("cidrs", net_a.cidrs.index(outer)),
                related=[(f"network '{b}' {inner}", net_b, ("cidrs", net_b.cidrs.index(inner)))],
            )


class _Connections:
    """How two networks are connected, or None. Many overlapping pairs share a network (every account's default VPC
    is 172.31.0.0/16), so each network's attached domains are looked up once."""

    def __init__(self, routing: Routing) -> None:
        self.routing = routing
        self._attached: dict[str, set[str]] = {}

    def __call__(self, a: str, b: str) -> str | None:
        routing = self.routing
        path = routing.reaches(a, b) or routing.reaches(b, a)
        if path is not None:
            how = routing.describe(path)
            return f"reachable via {how}" if how else "reachable"
        for n in (a, b):
            if n not in self._attached:
                self._attached[n] = set(routing.attached_domains(n))
        shared = sorted(self._attached[a] & self._attached[b])
        return f"both attached to {routing.domains[shared[0]].label}" if shared else None
