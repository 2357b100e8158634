"""Which spec object (and field) a planned resource's input came from, so a contract finding points into the spec.

The plan knows each resource's top-level component (its logical name is the spec object's name, see program.py);
`FIELDS` says, per resource type and input, which field of that object the value is built from. An input not
listed is located at the object itself.
"""

from __future__ import annotations

from ..plan.inventory import Resource
from ..spec import models as m

# (resource type, input) -> field path within the component's spec object
FIELDS: dict[tuple[str, str], tuple[str | int, ...]] = {
    ("aws-native:interconnect:Connection", "description"): ("name",),
    ("aws-native:interconnect:Connection", "bandwidth"): ("bandwidth",),
    ("aws-native:interconnect:Connection", "environmentId"): ("aws", "environment_id"),
    ("aws-native:interconnect:Connection", "activationKey"): ("activation_key_from",),
    ("aws-native:interconnect:Connection", "remoteAccount"): ("gcp", "project"),
    ("aws-native:interconnect:Connection", ""): ("aws", "region"),
    ("gcp:networkconnectivity/transport:Transport", "bandwidth"): ("bandwidth",),
    ("gcp:networkconnectivity/transport:Transport", "remoteAccountId"): ("aws", "account"),
    ("gcp:networkconnectivity/transport:Transport", "providedActivationKey"): ("activation_key_from",),
    ("gcp:networkconnectivity/transport:Transport", "remoteProfile"): ("aws", "region"),
    ("gcp:networkconnectivity/transport:Transport", "stackType"): ("stack_type",),
    ("gcp:networkconnectivity/transport:Transport", "name"): ("name",),
    ("gcp:networkconnectivity/transport:Transport", "network"): ("gcp", "network"),
    ("gcp:networkconnectivity/transport:Transport", "description"): ("name",),
    ("aws:directconnect/gateway:Gateway", "amazonSideAsn"): ("aws", "dx_gateway_asn"),
    ("aws:directconnect/gateway:Gateway", "name"): ("name",),
    ("aws:directconnect/gatewayAssociation:GatewayAssociation", "allowedPrefixes"): ("aws", "allowed_prefixes"),
    ("aws:ec2transitgateway/transitGateway:TransitGateway", "amazonSideAsn"): ("asn",),
    ("aws:ec2transitgateway/transitGateway:TransitGateway", "description"): ("name",),
    ("aws:iam/role:Role", "maxSessionDuration"): ("max_session_seconds",),
    ("aws:iam/role:Role", "name"): ("name",),
    ("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "url"): ("url",),
    ("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "clientIdLists"): ("client_ids",),
    ("gcp:iam/workloadIdentityPool:WorkloadIdentityPool", "workloadIdentityPoolId"): ("pool_id",),
    ("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", "workloadIdentityPoolProviderId"):
        ("provider_id",),
    ("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", "attributeCondition"):
        ("attribute_condition",),
    ("gcp:compute/network:Network", "mtu"): ("mtu",),
    ("gcp:compute/network:Network", "name"): ("name",),
    ("aws:ec2/vpc:Vpc", "cidrBlock"): ("cidrs", 0),
    ("aws:ec2/vpc:Vpc", ""): ("region",),
    ("aws:ec2/subnet:Subnet", ""): ("region",),
}

# component type -> the spec collection its top-level components come from (by name)
_COLLECTIONS = {
    "xcloud:aws:Network": "networks", "xcloud:gcp:Network": "networks",
    "xcloud:aws:TransitHub": "hubs", "xcloud:aws:CloudWanCore": "hubs",
    "xcloud:interconnect:AwsGcpInterconnect": "interconnects", "xcloud:aws:DirectConnectLink": "links",
    "xcloud:trust:OidcIssuer": "trust.issuers", "xcloud:trust:OidcTrustRole": "trust.roles",
    "xcloud:trust:GcpWorkloadIdentityForAws": "trust.workload_identity",
}


class Provenance:
    def __init__(self, stack: m.Stack) -> None:
        self.named: dict[tuple[str, str], m.Named] = {}
        for collection in set(_COLLECTIONS.values()):
            owner: object = stack
            for part in collection.split("."):
                owner = getattr(owner, part)
            for obj in owner:  # type: ignore[attr-defined]
                self.named[(collection, obj.name)] = obj
        dns = stack.dns
        # DNS components are one per network / project: locate their resources at the object whose name they carry
        self.by_resource_name = sorted(
            [*dns.resolver_endpoints, *dns.resolver_rules, *dns.forwarding_zones, *dns.inbound_policies],
            key=lambda o: -len(o.name),
        )
        self.networks = {n.name: n for n in stack.networks}
        self.monitored = sorted([*stack.interconnects, *stack.links], key=lambda o: -len(o.name))

    def subject(self, resource: Resource, input_name: str) -> tuple[tuple, tuple[str | int, ...]]:
        """((spec file, spec path) of the object, field path) for an input of a resource; ((), ()) if unknown."""
        obj: m.Model | None = None
        collection = _COLLECTIONS.get(resource.component_type)
        if collection:
            obj = self.named.get((collection, resource.component))
        elif resource.component_type in ("xcloud:dns:ResolverForwarding", "xcloud:dns:CloudDnsForwarding"):
            obj = next((o for o in self.by_resource_name if o.name in resource.name), None)
            if obj is None and resource.component.endswith("-resolver"):
                obj = self.networks.get(resource.component.removesuffix("-resolver"))
        elif resource.component_type == "xcloud:monitoring:LinkMonitoring":
            # probes and alarms carry the name of the interconnect or link they watch
            obj = next((o for o in self.monitored if o.name in resource.name), None)
            if obj is not None:
                return (obj.spec_file, obj.spec_path), ("monitoring",)
        if obj is None:
            return (), ()
        top = input_name.split(".")[0].split("[")[0]
        return (obj.spec_file, obj.spec_path), FIELDS.get((resource.type, top), ())
