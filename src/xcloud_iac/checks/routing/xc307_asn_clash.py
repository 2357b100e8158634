from __future__ import annotations

import re

from ...spec import catalog
from ...spec import models as m
from ..finding import Severity
from ..registry import Rule, register
from ._common import LinkView, link_views

_PRIVATE = " or ".join(f"{lo}-{hi}" for lo, hi in catalog.PRIVATE_ASN_RANGES)
_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


@register
class AsnClash(Rule):
    """A BGP ASN clashes or is not allowed. Clashes: a Direct Connect gateway with the ASN of the Transit Gateway it
    attaches to, of a Cloud WAN edge, or inside the ASN ranges of the core network it attaches to; the two ends of an
    external link with one ASN; two Cloud WAN edges with one ASN, or an edge outside its core's asn_ranges.
    Not allowed: a public or reserved ASN on the Amazon side (Transit Gateway, Direct Connect gateway, Cloud WAN edge
    and asn_ranges), which must be private; a reserved ASN (Amazon's, Google's, AS_TRANS, 0, 65535) at a far end."""

    id = "XC307"
    title = "BGP ASN clash or reserved ASN"
    severity = Severity.error
    tags = ("routing", "bgp")
    fix_hint = f"Give every BGP speaker its own ASN; on the Amazon side use a private ASN ({_PRIVATE})."

    def check(self, topo):
        views = {(v.kind, v.name): v for v in link_views(topo)}
        for hub in topo.hubs.values():
            if isinstance(hub, m.TransitGateway):
                yield from self._amazon_side(topo, hub, ("asn",), hub.asn, f"hub '{hub.name}'")
                for att in hub.attachments:
                    link = views.get((att.kind, att.target))
                    if link is not None and link.aws.dx_gateway_asn == hub.asn:
                        yield self._clash(topo, link, f"the same as hub '{hub.name}' it attaches to", hub, ("asn",))
            else:
                yield from self._cloud_wan(topo, hub, views)
        for link in views.values():
            yield from self._amazon_side(
                topo, link.aws, ("dx_gateway_asn",), link.aws.dx_gateway_asn,
                f"the Direct Connect gateway of {link.label}",
            )
            if link.kind != "link" or not isinstance(link.far, m.LinkRemote):
                continue
            asn = link.far.asn
            if asn in catalog.RESERVED_ASNS:
                yield self.finding(
                    topo, link.far, f"network '{link.far_network}' at the far end of {link.label} uses ASN {asn}, "
                    f"which is reserved ({catalog.RESERVED_ASNS[asn]})", field=("asn",),
                )
            if asn == link.aws.dx_gateway_asn:
                far_end = f"the same as network '{link.far_network}' at the far end"
                yield self._clash(topo, link, far_end, link.far, ("asn",))

    def _amazon_side(self, topo, obj, field, asn, what):
        if asn in catalog.RESERVED_ASNS:
            why = catalog.RESERVED_ASNS[asn]
            yield self.finding(topo, obj, f"{what} uses ASN {asn}, which is reserved ({why})", field=field)
        elif not catalog.is_private_asn(asn):
            message = f"{what} uses public ASN {asn}; the Amazon side needs a private ASN ({_PRIVATE})"
            yield self.finding(topo, obj, message, field=field)

    def _clash(self, topo, link: LinkView, clash: str, other, other_field, other_message: str | None = None):
        asn = link.aws.dx_gateway_asn
        return self.finding(
            topo, link.aws, f"the Direct Connect gateway of {link.label} uses ASN {asn}, {clash}",
            field=("dx_gateway_asn",), related=[(other_message or f"ASN {asn}", other, other_field)],
        )

    def _cloud_wan(self, topo, core: m.CloudWanCore, views: dict[tuple[str, str], LinkView]):
        ranges = []
        for i, text in enumerate(core.asn_ranges):
            match = _RANGE.match(text)
            lo, hi = (int(match.group(1)), int(match.group(2) or match.group(1))) if match else (1, 0)
            if lo > hi:
                yield self.finding(topo, core, f"asn_ranges entry '{text}' of core network '{core.name}' is not a "
                                   "range 'low-high'", field=("asn_ranges", i))
            elif not any(plo <= lo and hi <= phi for plo, phi in catalog.PRIVATE_ASN_RANGES):
                yield self.finding(topo, core, f"asn_ranges entry '{text}' of core network '{core.name}' is not "
                                   f"inside a private range ({_PRIVATE})", field=("asn_ranges", i))
            else:
                ranges.append((lo, hi))
        first_edge: dict[int, m.Edge] = {}
        for edge in core.edges:
            if edge.asn is None:
                continue
            what = f"edge '{edge.region}' of core network '{core.name}'"
            yield from self._amazon_side(topo, edge, ("asn",), edge.asn, what)
            if ranges and not any(lo <= edge.asn <= hi for lo, hi in ranges):
                yield self.finding(topo, edge, f"{what} uses ASN {edge.asn}, outside the core's asn_ranges "
                                   f"({', '.join(core.asn_ranges)})", field=("asn",),
                                   related=[("asn_ranges", core, ("asn_ranges",))])
            if edge.asn in first_edge:
                other = first_edge[edge.asn]
                yield self.finding(topo, edge, f"{what} uses ASN {edge.asn}, the same as edge '{other.region}'",
                                   field=("asn",), related=[(f"ASN {edge.asn}", other, ("asn",))])
            first_edge.setdefault(edge.asn, edge)
        for att in core.attachments:
            link = views.get((att.kind, att.target))
            if link is None:
                continue
            asn = link.aws.dx_gateway_asn
            if asn in first_edge:
                edge = first_edge[asn]
                yield self._clash(topo, link, f"the same as edge '{edge.region}' of core network '{core.name}'",
                                  edge, ("asn",))
            elif any(lo <= asn <= hi for lo, hi in ranges):
                yield self._clash(topo, link, f"inside the asn_ranges of core network '{core.name}' it attaches to, "
                                  "from which edges take their ASNs", core, ("asn_ranges",),
                                  f"asn_ranges of core network '{core.name}'")
