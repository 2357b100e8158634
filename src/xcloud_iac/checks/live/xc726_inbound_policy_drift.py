from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule


@register
class InboundPolicyDrift(LiveRule):
    """The Cloud DNS server policy of an inbound policy no longer enables inbound forwarding, or is no longer bound
    to the spec's network: the forwarder addresses AWS sends queries to stop answering. (A policy deleted outright
    is XC720.)"""

    id = "XC726"
    title = "Cloud DNS inbound policy disabled or detached"
    severity = Severity.error
    fix_hint = "Enable inbound forwarding on the policy and bind it to the network again (pulumi up)."

    def check_live(self, topo, live):
        for policy in topo.spec.dns.inbound_policies:
            found = live.dns_policies.get(policy.name)
            if found is None:
                continue
            who = f"inbound policy '{policy.name}' (Cloud DNS policy {found.name})"
            if not found.inbound:
                yield self.finding(topo, policy, f"{who} has inbound forwarding disabled; AWS's forwarded queries to "
                                   f"{', '.join(str(a) for a in policy.addresses)} go unanswered")
            path = live.gcp_networks.get(policy.network)
            if path is not None and path.rsplit("/", 1)[-1] not in found.networks:
                yield self.finding(topo, policy, f"{who} is not bound to network '{policy.network}' ({path}); it is "
                                   f"bound to {', '.join(sorted(found.networks)) or 'no network'}", field=("network",))
