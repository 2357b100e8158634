from __future__ import annotations

from ...spec import models as m
from ...tags import KEY_TAG, STACK_TAG, spec_key
from ..finding import Severity
from ..registry import register
from . import LiveRule


@register
class NotDeployed(LiveRule):
    """An object of the spec has no live counterpart: no Transit Gateway, route table, attachment, Direct Connect
    gateway, Route 53 Resolver endpoint or rule, IAM OIDC provider or role, Cloud WAN core network, or VPC of a network
    attached to a hub, with the stack's tags (or the `existing_id` the spec names). The stack is not (fully) deployed, or was changed outside it."""

    id = "XC701"
    title = "Declared object not found live"
    severity = Severity.error
    fix_hint = "Deploy the stack (pulumi up), or re-tag / re-import the resource if it was replaced outside it."

    def check_live(self, topo, live):
        stack = live.stack

        def tagged(kind: str, *key: str) -> str:
            return f"{STACK_TAG}={stack}, {KEY_TAG}={spec_key(kind, *key)}"

        for hub in topo.spec.hubs:
            if not isinstance(hub, m.TransitGateway) or hub.name not in live.hubs:
                continue
            live_hub = live.hubs[hub.name]
            if live_hub is None:
                how = f"{hub.existing_id} (existing_id)" if hub.existing_id else f"tagged {tagged('hub', hub.name)}"
                yield self.finding(topo, hub, f"hub '{hub.name}': no Transit Gateway {how} in {hub.region}")
                continue
            for table in hub.route_tables:
                if live_hub.table(table.name) is None:
                    yield self.finding(
                        topo, table, f"route table '{table.name}' of hub '{hub.name}': no route table of "
                        f"{live_hub.id} is tagged {tagged('route_table', hub.name, table.name)}",
                    )
            for att in hub.attachments:
                if att.kind != "peer" and live_hub.attachment(att.name) is None:
                    yield self.finding(
                        topo, att, f"attachment '{att.name}' of hub '{hub.name}': {live_hub.id} has no attachment of "
                        f"{att.kind} '{att.target}' (tagged {tagged('attachment', hub.name, att.name)}, or by its "
                        "VPC or Direct Connect gateway)",
                    )
        for hub in topo.spec.hubs:
            if isinstance(hub, m.CloudWanCore) and live.core_networks.get(hub.name, ...) is None:
                yield self.finding(topo, hub, f"hub '{hub.name}': no Cloud WAN core network tagged {tagged('hub', hub.name)}")
        for net in topo.spec.networks:
            if live.vpc_routes.get(net.name, ...) is None:
                how = f"{net.existing_id} (existing_id)" if net.existing_id else f"tagged {tagged('network', net.name)}"
                yield self.finding(topo, net, f"network '{net.name}': no VPC {how} in {net.region}")
        for owner in (*topo.spec.interconnects, *topo.spec.links):
            if live.dx_gateways.get(owner.name, ...) is None:
                kind = "interconnect" if isinstance(owner, m.Interconnect) else "link"
                yield self.finding(
                    topo, owner, f"{kind} '{owner.name}': no Direct Connect gateway tagged "
                    f"{tagged('dx_gateway', owner.name)}",
                )
        for ep in topo.spec.dns.resolver_endpoints:
            if live.endpoints.get(ep.name, ...) is None:
                yield self.finding(
                    topo, ep, f"resolver endpoint '{ep.name}': no Route 53 Resolver endpoint tagged "
                    f"{tagged('resolver_endpoint', ep.name)}",
                )
        for rule in topo.spec.dns.resolver_rules:
            if live.rules.get(rule.name, ...) is None:
                yield self.finding(
                    topo, rule, f"resolver rule '{rule.name}': no Route 53 Resolver rule tagged "
                    f"{tagged('resolver_rule', rule.name)}",
                )
        for issuer in topo.spec.trust.issuers:
            if live.oidc_providers.get(issuer.name, ...) is None:
                yield self.finding(
                    topo, issuer, f"issuer '{issuer.name}': no IAM OIDC provider for {issuer.host_path}", field=("url",)
                )
        for role in topo.spec.trust.roles:
            if live.roles.get(role.name, ...) is None:
                yield self.finding(
                    topo, role, f"role '{role.name}': no IAM role named '{role.name}' or tagged "
                    f"{tagged('role', role.name)}",
                )
