from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule


@register
class FirewallOpenToWorld(LiveRule):
    """A firewall rule the stack owns on a Google network admits every address (source 0.0.0.0/0 or ::/0): the
    network is open to the internet wherever an instance has an external address, and to every peer."""

    id = "XC728"
    title = "Google firewall rule open to 0.0.0.0/0"
    severity = Severity.error
    fix_hint = "Narrow the rule's source ranges back to the peers the spec declares (pulumi up)."

    def check_live(self, topo, live):
        for net in topo.spec.networks:
            for rule in live.firewalls.get(net.name, ()):
                if rule.direction != "INGRESS" or rule.disabled or rule.denied:
                    continue
                world = sorted(str(p) for p in rule.source_ranges if p.prefixlen == 0)
                if world:
                    yield self.finding(topo, net, f"network '{net.name}': firewall rule {rule.name} admits "
                                       f"{', '.join(world)} ({', '.join(rule.allowed) or 'nothing'})")
