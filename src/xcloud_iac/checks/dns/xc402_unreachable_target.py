from __future__ import annotations

from ...spec import models as m
from ..finding import Severity
from ..registry import Rule, register


@register
class UnreachableForwardingTarget(Rule):
    """A forwarding target cannot be reached over the topology from where the forwarded queries leave: for a
    Route 53 rule the outbound endpoint's VPC, for a Cloud DNS forwarding zone each network that sees the zone, for
    an external forwarder its network. A Cloud DNS inbound policy without declared addresses is judged by the subnet
    ranges Google allocates its forwarder addresses from (each must be reachable), which is where deploy() reads
    the addresses the rule targets. A target address that no declared network owns gets a warning: its
    reachability cannot be proven (Cloud DNS zones with private_routing off reach public addresses over the internet
    and are not checked)."""

    id = "XC402"
    title = "DNS forwarding target not reachable"
    severity = Severity.error
    tags = ("dns", "routing")
    fix_hint = (
        "Attach the target's network to a hub the source reaches (or add the route / allowed prefix that carries its "
        "address), or forward to a resolver that is reachable."
    )

    def check(self, topo):
        model = topo.dns
        routing = topo.routing
        for fwd in model.forwarders:
            for dest in fwd.destinations:
                field = fwd.target_field(dest)
                if not dest.networks:
                    ip = dest.spec.ip
                    if ip is None:  # an undeclared resolver: XC101
                        continue
                    if isinstance(fwd.obj, m.ForwardingZone) and not fwd.obj.private_routing and ip.is_global:
                        continue  # Cloud DNS standard routing: over the internet
                    for src in fwd.sources():
                        yield self.finding(
                            topo, fwd.obj,
                            f"{fwd.label} forwards '{fwd.domain}' from network '{src}' to {ip}, which no declared "
                            "network owns: its reachability cannot be proven",
                            field=field, severity=Severity.warning,
                            hint="Declare the network that owns the address (e.g. an onprem network with its link).",
                        )
                    continue
                where = " or ".join(f"network '{n}'" for n in dest.networks)
                related = [(f"{dest.label} in {where}", dest.resolver.obj, ())] if dest.resolver else []
                for src in fwd.sources():
                    if dest.addresses:
                        missed = [str(a) for a in dest.addresses
                                  if not set(routing.reaches_address(src, a)) & set(dest.networks)]
                    elif dest.ranges:  # addresses the provider allocates: every range they may come from
                        missed = [str(r) for r in dest.ranges
                                  if not set(routing.reaches_prefix(src, r)) & set(dest.networks)]
                    elif src in dest.networks or routing.reaches(src, dest.networks[0]):
                        missed = []
                    else:  # a resolver without fixed addresses: only its network can be checked
                        missed = [where]
                    if missed:
                        yield self.finding(
                            topo, fwd.obj,
                            f"{fwd.label} forwards '{fwd.domain}' from network '{src}' to {dest.label} in {where}, "
                            f"but network '{src}' does not reach {', '.join(missed)}",
                            field=field, related=related,
                        )
