from __future__ import annotations

from ...spec import models as m
from ..finding import Severity
from ..registry import register
from . import LiveRule, prefixes

ACTIVE_STATES = frozenset({"associating", "associated", "updating"})
CORE_NETWORK = "coreNetwork"


@register
class DxAssociationDrift(LiveRule):
    """A Direct Connect gateway of an interconnect or link differs from the spec: the allowed prefixes of its
    association with a hub are not the allow-list (AWS then advertises other ranges to the far side, or stops
    advertising some), it is not associated with a hub it attaches to, it is associated with a gateway the spec
    does not name, or its Amazon side ASN differs. A gateway the spec attaches to a Cloud WAN core must show a core
    network association (Cloud WAN cores are not read yet, so which core is not compared; nor is an allow-list,
    as Cloud WAN advertises the attached segments' ranges); a core network association of a gateway the spec
    attaches to no Cloud WAN core is one the spec does not declare."""

    id = "XC706"
    title = "Direct Connect gateway association differs from the allow-list"
    severity = Severity.error
    fix_hint = (
        "Set the association's allowed prefixes to the spec's aws.allowed_prefixes (pulumi up), or change the spec and "
        "validate it."
    )

    def check_live(self, topo, live):
        for owner in (*topo.spec.interconnects, *topo.spec.links):
            gateway = live.dx_gateways.get(owner.name)
            if gateway is None:
                continue
            kind = "interconnect" if isinstance(owner, m.Interconnect) else "link"
            who = f"Direct Connect gateway {gateway.id} of {kind} '{owner.name}'"
            side = owner.aws
            if gateway.asn is not None and gateway.asn != side.dx_gateway_asn:
                yield self.finding(topo, side, f"{who} has Amazon side ASN {gateway.asn}; the spec says "
                                   f"{side.dx_gateway_asn}", field=("dx_gateway_asn",))
            if gateway.associations is None:
                continue
            allowed = frozenset(side.allowed_prefixes)
            expected: dict[str, str] = {}  # live Transit Gateway id -> hub name
            wan_hubs: list[str] = []  # Cloud WAN cores the gateway attaches to (their ids are not read)
            for att in topo.attachments_of(kind, owner.name):
                if isinstance(topo.hubs.get(att.hub), m.CloudWanCore):
                    wan_hubs.append(att.hub)
                live_hub = live.hubs.get(att.hub)
                if live_hub is not None:
                    expected[live_hub.id] = att.hub
            active = [a for a in gateway.associations if a.state in ACTIVE_STATES]
            cores = [a for a in active if a.gateway_type == CORE_NETWORK]
            if wan_hubs and not cores:
                yield self.finding(topo, owner, f"{who} is not attached to Cloud WAN hub "
                                   f"{', '.join(repr(h) for h in sorted(wan_hubs))} (no core network association)")
            if wan_hubs:  # Cloud WAN advertises the attached segments' ranges: no allow-list to compare
                active = [a for a in active if a.gateway_type != CORE_NETWORK]
            for tgw_id, hub in sorted(expected.items(), key=lambda kv: kv[1]):
                assoc = next((a for a in active if a.gateway_id == tgw_id), None)
                if assoc is None:
                    yield self.finding(topo, owner, f"{who} is not associated with hub '{hub}' ({tgw_id})")
                    continue
                if assoc.allowed_prefixes != allowed:
                    extra, missing = assoc.allowed_prefixes - allowed, allowed - assoc.allowed_prefixes
                    parts = [f"not in the allow-list: {prefixes(extra)}"] if extra else []
                    parts += [f"missing: {prefixes(missing)}"] if missing else []
                    detail = "; ".join(parts)
                    yield self.finding(
                        topo, side, f"{who}: the association with hub '{hub}' ({tgw_id}) allows "
                        f"{prefixes(assoc.allowed_prefixes)}; the allow-list is {prefixes(allowed)} ({detail})",
                        field=("allowed_prefixes",),
                    )
            for assoc in active:
                if assoc.gateway_id not in expected:
                    yield self.finding(
                        topo, owner, f"{who} is also associated with {assoc.gateway_type} {assoc.gateway_id} "
                        f"(allowed prefixes {prefixes(assoc.allowed_prefixes)}), which the spec does not declare",
                    )
