from __future__ import annotations

from ..finding import Severity
from ..registry import Rule, register
from ._common import RouteLocator


@register
class PrefixHijack(Rule):
    """A prefix learned over an interconnect or external link lies strictly inside the range of a network that the
    receiving domain reaches without crossing that link (its own range, for a Google or external network): longest
    match now sends that part of the local range across the link. One finding per advertised prefix and network,
    naming the first domain it diverts."""

    id = "XC302"
    title = "More-specific prefix learned over a link (hijack)"
    severity = Severity.error
    tags = ("routing", "security")
    fix_hint = "Remove the prefix from the far side's advertisements and allow-list, or renumber the local network."

    def check(self, topo):
        routing, locate = topo.routing, RouteLocator(topo)
        # (advertised item, victim range) -> the item, and the domains it diverts, in domain order
        hits: dict[tuple, tuple] = {}
        for dom in routing.domains.values():
            if dom.id.startswith("seg-isolated:"):
                continue  # a subset of the segment's own routes
            for route in dom.routes:
                link = route.hop.link
                if route.origin == "static" or link is None:
                    continue
                for cidr, victim in topo.network_prefixes.containing(route.prefix, strict=True):
                    if dom.id != f"net:{victim}":  # else: the receiving network's own range
                        path = routing.walk(dom.id, cidr).reached.get(victim)
                        if path is None or link in path.links:
                            continue
                    obj, field = locate(route)
                    hit = hits.setdefault((id(obj), field, victim, cidr), (obj, field, route.prefix, link, []))
                    hit[4].append(dom)
        for (_id, _field, victim, cidr), (obj, field, prefix, link, domains) in hits.items():
            net = topo.networks[victim]
            more = f" (and {len(domains) - 1} more)" if len(domains) > 1 else ""
            into = f"{prefix} learned over {routing.link_label(link)} into {domains[0].label}{more}"
            if domains[0].id == f"net:{victim}":
                message = f"{into} lies inside its own range {cidr}: the other side claims part of network '{victim}'"
            else:
                kind = "interconnect" if link in topo.interconnects else "link"
                message = f"{into} lies inside network '{victim}' {cidr}: traffic for it is diverted across the {kind}"
            yield self.finding(
                topo, obj, message, field=field,
                related=[(f"network '{victim}' {cidr}", net, ("cidrs", net.cidrs.index(cidr)))],
            )
