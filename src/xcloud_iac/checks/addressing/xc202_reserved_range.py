from __future__ import annotations

from ...spec import catalog
from ...spec import models as m
from ...topology import PrefixIndex
from ..finding import Severity
from ..registry import Rule, register
from ..routing._common import is_google_service

_RESERVED = PrefixIndex((prefix, why) for prefix, why in catalog.RESERVED_RANGES)


@register
class ReservedRange(Rule):
    """A network CIDR (and so the subnets in it) overlaps a provider-reserved or special range: 'this network',
    loopback, link-local, multicast, class E, or Google's health-check, Cloud DNS forwarding and Private Google
    Access ranges. An error, except a Google range in a network outside Google Cloud, which that cloud accepts but
    Google networks can never reach (Google routes the range to its own services): a warning. Allow-lists that carry
    a Google range on purpose (35.199.192.0/19 for Cloud DNS replies) are not network ranges and are not checked."""

    id = "XC202"
    title = "Overlap with a reserved or special range"
    severity = Severity.error
    tags = ("addressing",)
    fix_hint = "Renumber the network (and its subnets) out of the reserved range."

    def check(self, topo):
        for net in topo.networks.values():
            for i, cidr in enumerate(net.cidrs):
                for reserved, why in _RESERVED.overlapping(cidr):
                    google_elsewhere = net.cloud is not m.Cloud.gcp and is_google_service(reserved)
                    note = "; Google networks cannot reach it" if google_elsewhere else ""
                    subnets = [
                        (f"subnet '{s.name}' {s.cidr} is in it", s, ("cidr",))
                        for s in net.subnets
                        if s.cidr.version == reserved.version and s.cidr.overlaps(reserved)
                    ]
                    yield self.finding(
                        topo, net, f"network '{net.name}' {cidr} overlaps {reserved}, {why}{note}",
                        field=("cidrs", i), related=subnets,
                        severity=Severity.warning if google_elsewhere else None,
                    )
