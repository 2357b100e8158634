from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule, prefixes
from ._gcp_sources import admitted, declared_sources


@register
class FirewallTooWide(LiveRule):
    """A firewall rule the stack owns on a Google network admits sources outside the networks the routing model
    says reach it (and outside the network itself): more is let in than the spec declares. A rule open to every
    address is XC728."""

    id = "XC729"
    title = "Google firewall rule admits more than declared"
    severity = Severity.error
    fix_hint = "Narrow the rule's source ranges to the declared peers (pulumi up), or declare the peer in the spec."

    def check_live(self, topo, live):
        for net in topo.spec.networks:
            rules = live.firewalls.get(net.name)
            if not rules:
                continue
            sources = declared_sources(topo, net.name)
            for rule in rules:
                if rule.direction != "INGRESS" or rule.disabled or rule.denied:
                    continue
                extra = [p for p in rule.source_ranges if p.prefixlen > 0 and not admitted(p, sources)]
                if extra:
                    yield self.finding(topo, net, f"network '{net.name}': firewall rule {rule.name} admits "
                                       f"{prefixes(extra)}, which no declared peer of '{net.name}' holds "
                                       f"(peers: {prefixes(sources)})")
