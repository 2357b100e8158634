from __future__ import annotations

from ...topology.dns import suffixes
from ..finding import Severity
from ..registry import Rule, register


@register
class ConflictingForwarding(Rule):
    """A network sees two forwarding rules for the same domain with different targets (error: which targets get the
    queries is undefined); or a forwarding rule for a private zone of the network, or for a subdomain of it, shadows
    that zone (warning: the rule wins, so those names are no longer answered by the zone)."""

    id = "XC403"
    title = "Conflicting DNS forwarding rules"
    severity = Severity.error
    tags = ("dns",)
    fix_hint = (
        "Keep one rule per domain and network (merge the targets into it); for a shadowed private zone, remove the "
        "rule or forward only names outside the zone."
    )

    def check(self, topo):
        model = topo.dns
        for network, table in model.tables():
            net = topo.networks[network]
            zones = {z: i for i, z in enumerate(net.private_zones)}
            for domain, fwds in table.items():
                first = fwds[0]
                targets = _targets(first) if len(fwds) > 1 else None
                for other in fwds[1:]:
                    if _targets(other) != targets:
                        yield self.finding(
                            topo, other.obj,
                            f"network '{network}' has two forwarding rules for '{domain}' with different targets: "
                            f"{other.label} -> {_names(other)}, and {first.label} -> {_names(first)}",
                            field=other.network_field(network),
                            related=[(f"{first.label} for '{domain}'", first.obj, first.network_field(network))],
                        )
                zone = next((z for z in suffixes(domain) if z in zones), None) if zones else None
                if zone is None:
                    continue
                what = "shadowing its private zone" if zone == domain else "inside its private zone"
                for fwd in fwds:
                    yield self.finding(
                        topo, fwd.obj,
                        f"{fwd.label} forwards '{domain}' from network '{network}', {what} '{zone}': those names "
                        "are forwarded, not answered by the zone",
                        field=(*fwd.field, "domain"), severity=Severity.warning,
                        related=[
                            (f"private zone '{zone}' of network '{network}'", net, ("private_zones", zones[zone]))
                        ],
                    )


def _targets(fwd) -> frozenset:
    return frozenset().union(*(d.key() for d in fwd.destinations))


def _names(fwd) -> str:
    return ", ".join(d.label for d in fwd.destinations)
