from __future__ import annotations

from ...spec import models as m
from ...topology import forwarding
from ..finding import Severity
from ..registry import Rule, register


@register
class InboundTargetInSameVpc(Rule):
    """A Route 53 Resolver rule forwards to an inbound endpoint in the VPC of its own outbound endpoint, or in a VPC
    the rule is associated with. Route 53 refuses it (RSLVR-00804): the inbound endpoint would answer with the same
    rule and forward the query back to itself."""

    id = "XC405"
    title = "Resolver rule targets an inbound endpoint in the same VPC"
    severity = Severity.error
    tags = ("dns", "aws")
    fix_hint = (
        "Do not forward the domain inside the VPC: answer it with a private hosted zone there, or forward to an "
        "inbound endpoint in another VPC that is not associated with the rule."
    )

    def check(self, topo):
        for fwd in forwarding(topo).forwarders:
            if not isinstance(fwd.obj, m.ResolverRule):
                continue
            for dest in fwd.destinations:
                res = dest.resolver
                if res is None or res.kind != "inbound_endpoint":
                    continue
                if res.network == fwd.egress:
                    why = f"the VPC of its outbound endpoint '{fwd.obj.endpoint}'"
                elif res.network in fwd.networks:
                    why = "a VPC the rule is associated with"
                else:
                    continue
                yield self.finding(
                    topo, fwd.obj,
                    f"{fwd.label} forwards '{fwd.domain}' to {dest.label} in network '{res.network}', {why} "
                    "(Route 53 error RSLVR-00804)",
                    field=fwd.target_field(dest),
                    related=[(f"inbound endpoint '{res.name}' in network '{res.network}'", res.obj, ("network",))],
                )
