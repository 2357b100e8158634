from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule


@register
class ForwardingZoneDrift(LiveRule):
    """A Cloud DNS forwarding zone differs from the spec: other target name servers (queries go elsewhere), another
    forwarding path (targets over the interconnect need `private`), another domain, not private, or visible to
    other networks."""

    id = "XC725"
    title = "Cloud DNS forwarding zone differs from the spec"
    severity = Severity.error
    fix_hint = "Set the zone's forwarding targets back to the spec's (pulumi up), or change the spec."

    def check_live(self, topo, live):
        for zone in topo.spec.dns.forwarding_zones:
            found = live.zones.get(zone.name)
            if found is None:
                continue
            who = f"forwarding zone '{zone.name}' ({found.name})"
            if found.dns_name != zone.domain.rstrip(".").lower():
                yield self.finding(topo, zone, f"{who} serves {found.dns_name}; the spec forwards {zone.domain}",
                                   field=("domain",))
            if found.visibility != "private":
                yield self.finding(topo, zone, f"{who} is {found.visibility or 'of no visibility'}, not private")
            path = "private" if zone.private_routing else "default"
            spec = _targets(topo, zone, path)
            if spec is not None and found.targets != spec:
                yield self.finding(topo, zone, f"{who} forwards to {_pairs(found.targets)}; the spec forwards to "
                                   f"{_pairs(spec)}", field=("targets",))
            networks = {live.gcp_networks.get(n) for n in zone.networks}
            if None not in networks:
                names = {p.rsplit("/", 1)[-1] for p in networks if p}
                if found.networks != names:
                    yield self.finding(topo, zone, f"{who} is visible to {', '.join(sorted(found.networks)) or 'none'}; "
                                       f"the spec's networks are {', '.join(sorted(names))}", field=("networks",))


def _targets(topo, zone, path: str) -> frozenset[tuple[str, str]] | None:
    out = set()
    for target in zone.targets:
        if target.ip is not None:
            out.add((str(target.ip), path))
            continue
        resolver = topo.resolvers.get(target.resolver)
        if resolver is None:
            return None
        out.update((str(a), path) for a in resolver.addresses)
    return frozenset(out)


def _pairs(pairs) -> str:
    return ", ".join(f"{ip} ({path})" for ip, path in sorted(pairs)) or "nothing"
