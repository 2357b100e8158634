from __future__ import annotations

from ..finding import Severity
from ..registry import Rule, register


@register
class EndpointAvailabilityZones(Rule):
    """A Route 53 Resolver endpoint (inbound or outbound) has fewer than two addresses, or its addresses are not in
    at least two distinct availability zones (the zones of their subnets). Route 53 needs two addresses, and one
    zone's outage would stop all forwarding through the endpoint."""

    id = "XC406"
    title = "Resolver endpoint without two availability zones"
    severity = Severity.error
    tags = ("dns", "aws", "resilience")
    fix_hint = "Give the endpoint at least two addresses, in subnets of different availability zones."

    def check(self, topo):
        for ep in topo.spec.dns.resolver_endpoints:
            net = topo.networks.get(ep.network)
            if net is None:  # XC101
                continue
            where = f"{ep.direction} endpoint '{ep.name}' (network '{ep.network}')"
            if len(ep.addresses) < 2:
                count = f"{len(ep.addresses)} address" + ("" if len(ep.addresses) == 1 else "es")
                yield self.finding(
                    topo, ep, f"{where} has {count}; Route 53 needs at least two, in distinct availability zones",
                    field=("addresses",),
                )
                continue
            zones = {s.zone for a in ep.addresses if (s := net.subnet(a.subnet)) is not None}
            subnets = ", ".join(repr(s) for s in sorted({a.subnet for a in ep.addresses}))
            if len(zones) == 1:
                yield self.finding(
                    topo, ep,
                    f"{where} has {len(ep.addresses)} addresses, all in availability zone '{zones.pop()}' "
                    f"(subnets {subnets}); it needs two distinct zones",
                    field=("addresses",),
                )
