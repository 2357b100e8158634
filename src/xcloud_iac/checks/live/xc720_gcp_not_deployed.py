from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule


@register
class GcpNotDeployed(LiveRule):
    """An object of the spec has no live counterpart on the Google side: no network (its `existing_id`, or the
    description the network component writes), no Transport labelled for the interconnect, no VPC peering towards
    the Transport's network, no Cloud DNS forwarding zone labelled for the zone, no inbound server policy, no
    Workload Identity pool or provider with the spec's ids. The stack is not (fully) deployed, or was changed
    outside it (an inbound policy deleted in the console is reported here)."""

    id = "XC720"
    title = "Declared Google object not found live"
    severity = Severity.error
    fix_hint = "Deploy the stack (pulumi up), or re-label / re-import the resource if it was replaced outside it."

    def check_live(self, topo, live):
        spec = topo.spec
        stack = live.stack
        for net in spec.networks:
            if live.gcp_networks.get(net.name, ...) is None:
                how = f"named {net.existing_id} (existing_id)" if net.existing_id else (
                    f"described 'xcloud {stack}: network {net.name}'")
                yield self.finding(topo, net, f"network '{net.name}': no Google network {how}")
        for ic in spec.interconnects:
            if ic.name not in live.transports:
                continue
            transport = live.transports[ic.name]
            if transport is None:
                yield self.finding(
                    topo, ic, f"interconnect '{ic.name}': no Transport in projects/{ic.gcp.project}/locations/"
                    f"{ic.gcp.region} labelled xcloud-stack={stack}, xcloud-key=interconnect_{ic.name}", field=("gcp",))
            elif transport.network_read and transport.peering is None:
                yield self.finding(
                    topo, ic, f"interconnect '{ic.name}': Transport {transport.name} has no VPC peering from "
                    f"{transport.network} to {transport.peering_network}; no route crosses the link", field=("gcp",))
        for zone in spec.dns.forwarding_zones:
            if live.zones.get(zone.name, ...) is None:
                yield self.finding(topo, zone, f"forwarding zone '{zone.name}': no Cloud DNS managed zone labelled "
                                   f"xcloud-stack={stack}, xcloud-key=forwarding_zone_{zone.name}")
        for policy in spec.dns.inbound_policies:
            if live.dns_policies.get(policy.name, ...) is None:
                yield self.finding(topo, policy, f"inbound policy '{policy.name}': no Cloud DNS server policy "
                                   f"described 'xcloud {stack}: inbound forwarding {policy.name}'; network "
                                   f"'{policy.network}' answers no queries from AWS")
        for wif in spec.trust.workload_identity:
            if wif.name not in live.workload_identity:
                continue
            found = live.workload_identity[wif.name]
            if found is None:
                yield self.finding(topo, wif, f"workload identity '{wif.name}': no pool '{wif.pool_id}' in project "
                                   f"{wif.project}", field=("pool_id",))
            elif found.provider is None:
                yield self.finding(topo, wif, f"workload identity '{wif.name}': pool {found.pool} has no provider "
                                   f"'{wif.provider_id}'", field=("provider_id",))
