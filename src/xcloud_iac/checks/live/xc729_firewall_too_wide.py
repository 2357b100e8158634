from __future__ import annotations

from ...topology import Topology, dataplane
from ..finding import Severity
from ..registry import register
from . import LiveRule, admitted, prefixes
from .state import IPNetwork


@register
class FirewallTooWide(LiveRule):
    """A firewall rule the stack owns on a Google network admits sources outside the ranges of the networks the
    routing model says reach it: more is let in than the spec declares. What may be admitted is the data plane's
    answer (`topology.dataplane.peer_ranges`), the same the network component writes into the planned firewall
    rule, so the plan and verify cannot disagree. A rule open to every address is XC728."""

    id = "XC729"
    title = "Google firewall rule admits more than declared"
    severity = Severity.error
    fix_hint = "Narrow the rule's source ranges to the declared peers (pulumi up), or declare the peer in the spec."

    def check_live(self, topo, live):
        reached: dict[str, set[str]] | None = None
        for net in topo.spec.networks:
            rules = live.firewalls.get(net.name)
            if not rules:
                continue
            reached = reached if reached is not None else dataplane.reaching(topo)
            sources = self.allowed_sources(topo, net.name, reached)
            for rule in rules:
                if rule.direction != "INGRESS" or rule.disabled or rule.denied:
                    continue
                extra = [p for p in rule.source_ranges if p.prefixlen > 0 and not admitted(p, sources)]
                if extra:
                    yield self.finding(topo, net, f"network '{net.name}': firewall rule {rule.name} admits "
                                       f"{prefixes(extra)}, which no declared peer of '{net.name}' holds "
                                       f"(peers: {prefixes(sources)})")

    @staticmethod
    def allowed_sources(topo: Topology, network: str,
                        reached: dict[str, set[str]] | None = None) -> list[IPNetwork]:
        """The sources the stack's firewall rules on `network` may admit: the data plane's peer ranges."""
        return dataplane.peer_ranges(topo, network, reached)
