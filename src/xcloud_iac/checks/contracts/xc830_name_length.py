from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ...spec import models as m
from ..finding import Severity
from ..registry import Rule, register

# Pulumi auto-names a resource whose name is not set: its logical name, '-', and 7 random characters.
AUTONAME_SUFFIX = 8

# The longest physical name each auto-named type takes (the APIs' own limits: IAM CreateRole RoleName 64,
# PutRolePolicy PolicyName 128; Google resource names RFC 1035, 63).
NAME_LIMITS = {
    "aws:iam/role:Role": 64,
    "aws:iam/rolePolicy:RolePolicy": 128,
    "gcp:compute/network:Network": 63,
    "gcp:compute/subnetwork:Subnetwork": 63,
    "gcp:compute/firewall:Firewall": 63,
    "gcp:compute/networkPeering:NetworkPeering": 63,
    "gcp:compute/route:Route": 63,
    "gcp:dns/managedZone:ManagedZone": 63,
    "gcp:dns/policy:Policy": 63,
    "gcp:networkconnectivity/transport:Transport": 63,
}


@dataclass(frozen=True)
class AutoName:
    """A resource named after a spec object: where the name comes from, and what Pulumi will call it."""

    obj: m.Model
    field: tuple[str | int, ...]
    type: str
    logical: str

    @property
    def length(self) -> int:
        return len(self.logical) + AUTONAME_SUFFIX

    @property
    def limit(self) -> int:
        return NAME_LIMITS[self.type]


def auto_names(stack: m.Stack) -> Iterator[AutoName]:
    """Every auto-named resource of a limited type that deploy() names after a spec object (the components'
    logical names; a test holds this list against every plan, so a new auto-named resource cannot slip by)."""
    for net in stack.networks:
        if net.cloud is not m.Cloud.gcp:
            continue
        if net.existing_id is None:
            yield AutoName(net, ("name",), "gcp:compute/network:Network", f"{net.name}-network")
        # the peers' ingress rules, one per IP version (the IPv6 one only when IPv6 peers reach the network)
        for suffix in ("", "-v6"):
            yield AutoName(net, ("name",), "gcp:compute/firewall:Firewall", f"{net.name}-fw-peers{suffix}")
        for i, subnet in enumerate(net.subnets):
            if subnet.id is None:
                yield AutoName(net, ("subnets", i, "name"), "gcp:compute/subnetwork:Subnetwork",
                               f"{net.name}-subnet-{subnet.name}")
    for ic in stack.interconnects:
        yield AutoName(ic, ("name",), "gcp:networkconnectivity/transport:Transport", f"{ic.name}-transport")
        yield AutoName(ic, ("name",), "gcp:compute/networkPeering:NetworkPeering", f"{ic.name}-peering")
    for role in stack.trust.roles:
        yield AutoName(role, ("name",), "aws:iam/role:Role", f"{role.name}-role")
        if role.permissions:
            yield AutoName(role, ("name",), "aws:iam/rolePolicy:RolePolicy", f"{role.name}-permissions")
    if stack.operator.enabled:  # the operator role of the interconnects and hubs, named after the stack
        yield AutoName(stack, ("name",), "aws:iam/role:Role", f"{stack.name}-operator-role")
        yield AutoName(stack, ("name",), "aws:iam/rolePolicy:RolePolicy", f"{stack.name}-operator-policy")
    networks = {n.name: n for n in stack.networks}

    def cloud_dns(network: str) -> str:  # the component deploy() builds per Google project
        net = networks.get(network)
        return f"{(net.account if net else None) or 'default'}-cloud-dns"

    for zone in stack.dns.forwarding_zones:
        if zone.networks:
            yield AutoName(zone, ("name",), "gcp:dns/managedZone:ManagedZone",
                           f"{cloud_dns(zone.networks[0])}-zone-{zone.name}")
    for policy in stack.dns.inbound_policies:
        yield AutoName(policy, ("name",), "gcp:dns/policy:Policy", f"{cloud_dns(policy.network)}-policy-{policy.name}")


_KINDS = {m.Stack: "stack", m.Network: "network", m.Interconnect: "interconnect", m.TrustRole: "role",
          m.ForwardingZone: "forwarding zone", m.InboundPolicy: "inbound policy"}


@register
class NameTooLong(Rule):
    """A spec name makes the name of a resource longer than its API allows, once Pulumi adds its auto-naming
    suffix (7 characters and a '-'): IAM role names 64, role policy names 128, Google resource names 63. Found
    when the stack is validated, so the deployment is not refused part-way."""

    id = "XC830"
    title = "Name too long for the resource it names"
    severity = Severity.error
    tags = ("contracts",)
    fix_hint = "Shorten the name (or the names it is combined with) by the characters the message gives."

    def check(self, topo):
        for auto in auto_names(topo.spec):
            if auto.length > auto.limit:
                short = auto.type.rsplit(":", 1)[-1]
                yield self.finding(
                    topo, auto.obj,
                    f"{_KINDS.get(type(auto.obj), 'object')} '{getattr(auto.obj, 'name', '')}': the {short} named after it is '{auto.logical}' plus Pulumi's {AUTONAME_SUFFIX}-character "
                    f"suffix: {auto.length} characters, over the {auto.limit} the API allows; shorten it by "
                    f"{auto.length - auto.limit}",
                    field=auto.field,
                )
