from __future__ import annotations

from ...spec import models as m
from ..finding import Severity
from ..registry import Rule, register


@register
class InboundTargetInSameVpc(Rule):
    """A Route 53 Resolver rule is associated with a VPC that holds the inbound endpoint it forwards to (named, or
    by one of its addresses). Route 53 refuses the association (RSLVR-00804): the inbound endpoint would answer
    with the same rule and forward the query back to itself. Forwarding through a hub VPC's outbound endpoint to
    the same hub's inbound endpoint is allowed, as long as the rule is not associated with the hub VPC."""

    id = "XC405"
    title = "Resolver rule targets an inbound endpoint in the same VPC"
    severity = Severity.error
    tags = ("dns", "aws")
    fix_hint = (
        "Do not associate the rule with the VPC of its target inbound endpoint (that VPC answers the domain from its "
        "private hosted zones), or forward to an inbound endpoint in a VPC the rule is not associated with."
    )

    def check(self, topo):
        for fwd in topo.dns.forwarders:
            if not isinstance(fwd.obj, m.ResolverRule):
                continue
            for dest in fwd.destinations:
                res = dest.resolver
                if res is None or res.kind != "inbound_endpoint" or res.network not in fwd.networks:
                    continue
                yield self.finding(
                    topo, fwd.obj,
                    f"{fwd.label} is associated with network '{res.network}' and forwards '{fwd.domain}' to "
                    f"{dest.label} in that VPC: Route 53 refuses the association (RSLVR-00804), the query would loop",
                    field=fwd.network_field(res.network),
                    related=[(f"target {dest.label} in network '{res.network}'", fwd.obj, fwd.target_field(dest))],
                )
