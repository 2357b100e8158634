from __future__ import annotations

from ...spec import catalog
from ...spec import models as m
from ..finding import Severity
from ..registry import Rule, register

SOURCE = catalog.CLOUD_DNS_FORWARDING_SOURCE


@register
class CloudDnsReturnPath(Rule):
    """A Cloud DNS forwarding zone forwards to a resolver in an AWS network, but the answers cannot come back.
    Cloud DNS sends forwarded queries from 35.199.192.0/19, so the AWS side needs a route for that range back to
    the Google network (the interconnect must advertise it from Google), and a Route 53 inbound endpoint's security
    group (allowed_sources) must allow it. Otherwise every query to the zone times out."""

    id = "XC404"
    title = "Cloud DNS forwarding to AWS without a return path"
    severity = Severity.error
    tags = ("dns", "routing", "interconnect")
    fix_hint = (
        "Add 35.199.192.0/19 to the interconnect's Google allowed (and advertised) prefixes so AWS routes it back, "
        "and to the inbound endpoint's allowed_sources."
    )

    def check(self, topo):
        model = topo.dns
        for fwd in model.forwarders:
            if not isinstance(fwd.obj, m.ForwardingZone):
                continue
            for dest in fwd.destinations:
                aws = [n for n in dest.networks if topo.networks[n].cloud is m.Cloud.aws]
                if not aws:
                    continue
                field = fwd.target_field(dest)
                for google in fwd.networks:
                    for net in aws:
                        if model.returns_to_google(net, google):
                            continue
                        yield self.finding(
                            topo, fwd.obj,
                            f"{fwd.label} forwards '{fwd.domain}' from network '{google}' to {dest.label} in network "
                            f"'{net}', but network '{net}' has no route for {SOURCE} back to network '{google}': "
                            "the answers are lost",
                            field=field, related=_advertisers(topo, google),
                        )
                res = dest.resolver
                if res is not None and res.kind == "inbound_endpoint":
                    ep = res.obj
                    if not any(SOURCE.subnet_of(p) for p in ep.allowed_sources if p.version == 4):
                        allowed = ", ".join(map(str, ep.allowed_sources)) or "none"
                        yield self.finding(
                            topo, ep,
                            f"inbound endpoint '{ep.name}' (network '{ep.network}') does not allow queries from "
                            f"{SOURCE}, the source of {fwd.label} on network {', '.join(map(repr, fwd.networks))} "
                            f"(allowed_sources: {allowed})",
                            field=("allowed_sources",),
                            related=[(f"{fwd.label} forwards '{fwd.domain}' here", fwd.obj, field)],
                        )


def _advertisers(topo, google: str) -> list:
    """The Google side of the interconnects of `google`: where 35.199.192.0/19 would be advertised from."""
    out = []
    for ic in topo.interconnects.values():
        if ic.gcp.network == google and not any(SOURCE.subnet_of(p) for p in ic.gcp.advertised if p.version == 4):
            fld = "advertised_prefixes" if ic.gcp.advertised_prefixes is not None else "allowed_prefixes"
            out.append((f"interconnect '{ic.name}' does not advertise {SOURCE} to AWS", ic, ("gcp", fld)))
    return out
