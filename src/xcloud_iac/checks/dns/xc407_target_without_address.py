from __future__ import annotations

from ..finding import Severity
from ..registry import Rule, register


@register
class TargetWithoutAddress(Rule):
    """A forwarder targets a Route 53 inbound endpoint by name, but none of the endpoint's addresses has a fixed
    `ip`. AWS picks the addresses when it creates the endpoint, so there is nothing to write into the resolver rule,
    the Cloud DNS forwarding zone or an external forwarder's configuration: deploy() would refuse the component, and
    a forwarder configured outside this stack could not be set up at all."""

    id = "XC407"
    title = "Forwarding target without a fixed address"
    severity = Severity.error
    tags = ("dns", "correctness")
    fix_hint = "Give the endpoint's addresses a fixed `ip` in their subnets, or target a literal address."

    def check(self, topo):
        for fwd in topo.dns.forwarders:
            for dest in fwd.destinations:
                if dest.resolver is None or dest.addresses:
                    continue
                endpoint = dest.resolver.obj
                yield self.finding(
                    topo, fwd.obj,
                    f"{fwd.label} forwards '{fwd.domain}' to {dest.label}, which has no fixed address: AWS assigns "
                    "its addresses at creation, so the forwarder has nothing to send queries to",
                    field=fwd.target_field(dest),
                    related=[(f"{dest.label}, its addresses", endpoint, ("addresses",))],
                )
