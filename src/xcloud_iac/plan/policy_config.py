"""The policy pack's config for one stack (`xcloud policy-config`): the stack's waivers and its Direct Connect
allow-list, in the form `pulumi preview --policy-pack-config` reads.

The pack (policy/) judges each registered resource by its type and logical name and never reads a spec. So an object
the spec waives, such as an interconnect with `protect: false` and an XC605 waiver, or a role with a waived wildcard
subject (XC502), would still fail the pack. This config carries each such waiver, with its reason, to the resources
the object's component registers that the matching policy judges. The logical names come from the plan.

`POLICIES` is the library's view of the pack: for each policy, which spec rules it enforces and which resource types
it judges. tests/policy checks it against the pack's own table.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from ..spec import models as m
from ..spec.errors import format_path
from .inventory import Inventory

# policy name -> (the spec rules whose waivers exempt a resource from it, the resource types it judges)
POLICIES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "xcloud-oidc-trust-pinned": (frozenset({"XC501", "XC502"}), frozenset({"aws:iam/role:Role"})),
    "xcloud-dx-allowed-prefixes": (
        frozenset({"XC304"}), frozenset({"aws:directconnect/gatewayAssociation:GatewayAssociation"})),
    "xcloud-deletion-protection": (frozenset({"XC605"}), frozenset({
        "aws-native:interconnect:Connection",
        "gcp:networkconnectivity/transport:Transport",
        "aws:directconnect/gateway:Gateway",
        "aws:ec2transitgateway/transitGateway:TransitGateway",
        "aws:networkmanager/coreNetwork:CoreNetwork",
        "aws:networkmanager/globalNetwork:GlobalNetwork",
    })),
}
DX_POLICY = "xcloud-dx-allowed-prefixes"


def policy_config(stack: m.Stack, inventory: Inventory) -> dict[str, dict[str, Any]]:
    """The pack config for `stack`, planned as `inventory`: policy name -> {"waivers": {logical name: reason}} and,
    for the Direct Connect policy, the stack's allow-list (every prefix its gateways may advertise to AWS)."""
    config: dict[str, dict[str, Any]] = {}
    allow_list = _aws_allowed_prefixes(stack)
    if allow_list:
        config[DX_POLICY] = {"allowedPrefixes": allow_list}
    owners = {r.name: r for r in inventory.resources if not r.custom and not r.parent}  # top-level components
    for path, obj in stack.objects():
        if not isinstance(obj, m.Named) or not obj.ignore or obj.name not in owners:
            continue
        where = f"{format_path(path)} '{obj.name}'"
        for policy, (rules, types) in POLICIES.items():
            reasons = [f"{w.reason} (spec waiver of {w.rule} on {where})" for w in obj.ignore if w.rule in rules]
            if not reasons:
                continue
            for resource in inventory.resources:
                if resource.component == obj.name and resource.type in types:
                    config.setdefault(policy, {}).setdefault("waivers", {})[resource.name] = "; ".join(reasons)
    return {policy: config[policy] for policy in sorted(config)}


def _aws_allowed_prefixes(stack: m.Stack) -> list[str]:
    """What the stack lets AWS advertise over its Direct Connect gateways, summarised."""
    prefixes = [p for ic in stack.interconnects for p in ic.aws.allowed_prefixes]
    prefixes += [p for link in stack.links for p in link.aws.allowed_prefixes]
    v4 = ipaddress.collapse_addresses(p for p in prefixes if isinstance(p, ipaddress.IPv4Network))
    v6 = ipaddress.collapse_addresses(p for p in prefixes if isinstance(p, ipaddress.IPv6Network))
    return [str(p) for p in [*v4, *v6]]
