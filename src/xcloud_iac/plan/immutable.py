"""Which input changes make Pulumi replace a resource instead of updating it: the one table `xcloud diff` reads.

A replacement of a Direct Connect gateway or an interconnect is an outage, so a pull request must say so. The plan
runs under mocks, without provider plugins, so this cannot be asked of the providers at diff time; it is written
down here, per type token, with where each entry comes from:

- pulumi-aws (7.51.1) and pulumi-gcp (10.2.0) are bridged Terraform providers. Their Python SDKs do not carry
  "forces new resource"; the provider schema does: `ForceNew: true` (or `RequiresReplace`) in
  hashicorp/terraform-provider-aws `internal/service/<service>/<resource>.go`, and `immutable: true` in
  GoogleCloudPlatform/magic-modules `mmv1/products/<product>/<Resource>.yaml` (which generates the Google provider;
  project and URL parameters such as region are immutable there too).
- pulumi-aws-native (1.84.0) writes the CloudFormation create-only properties into the SDK itself:
  `replace_on_changes=[...]` in the resource class (a test compares this table with it).
- Every pulumi-aws resource that takes `region` is replaced when it changes (terraform-provider-aws
  website/docs/guides/enhanced-region-support: "Changing the value of region will force resource replacement"), and
  so is every Google resource when `project` changes.

Input names are camelCase, as the engine sees them; a test checks each name against the installed SDK classes.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

_TF_AWS = "terraform-provider-aws internal/service/"
_MM = "magic-modules mmv1/products/"

# type token -> input -> where "forces a new resource" is written
REPLACE_ON_CHANGE: dict[str, dict[str, str]] = {
    # ---- networks
    "aws:ec2/vpc:Vpc": {"cidrBlock": _TF_AWS + "ec2/vpc_.go (cidr_block ForceNew)"},
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": {
        "cidrBlock": _TF_AWS + "ec2/vpc_ipv4_cidr_block_association.go (ForceNew)",
        "vpcId": _TF_AWS + "ec2/vpc_ipv4_cidr_block_association.go (ForceNew)",
    },
    "aws:ec2/subnet:Subnet": {
        "cidrBlock": _TF_AWS + "ec2/vpc_subnet.go (cidr_block ForceNew)",
        "availabilityZone": _TF_AWS + "ec2/vpc_subnet.go (availability_zone ForceNew)",
        "vpcId": _TF_AWS + "ec2/vpc_subnet.go (vpc_id ForceNew)",
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        "vpcId": _TF_AWS + "ec2/vpc_security_group.go (vpc_id ForceNew)",
        "description": _TF_AWS + "ec2/vpc_security_group.go (description ForceNew)",
    },
    "aws:ec2/routeTable:RouteTable": {"vpcId": _TF_AWS + "ec2/vpc_route_table.go (vpc_id ForceNew)"},
    "aws:ec2/routeTableAssociation:RouteTableAssociation": {
        "subnetId": _TF_AWS + "ec2/vpc_route_table_association.go (subnet_id ForceNew)",
    },
    "aws:ec2/route:Route": {
        "routeTableId": _TF_AWS + "ec2/vpc_route.go (route_table_id ForceNew)",
        "destinationCidrBlock": _TF_AWS + "ec2/vpc_route.go (destination_cidr_block ForceNew)",
        "destinationIpv6CidrBlock": _TF_AWS + "ec2/vpc_route.go (destination_ipv6_cidr_block ForceNew)",
    },
    "gcp:compute/firewall:Firewall": {
        "network": _MM + "compute/Firewall.yaml (immutable)",
        "direction": _MM + "compute/Firewall.yaml (immutable)",
    },
    "gcp:compute/networkPeering:NetworkPeering": {
        "network": "magic-modules mmv1/third_party/terraform/services/compute/"
                   "resource_compute_network_peering.go.tmpl (ForceNew)",
        "peerNetwork": "magic-modules mmv1/third_party/terraform/services/compute/"
                       "resource_compute_network_peering.go.tmpl (ForceNew)",
    },
    "gcp:compute/network:Network": {
        "autoCreateSubnetworks": _MM + "compute/Network.yaml (immutable)",
    },
    "gcp:compute/subnetwork:Subnetwork": {
        "network": _MM + "compute/Subnetwork.yaml (immutable)",
        "region": _MM + "compute/Subnetwork.yaml (URL parameter)",
        # only a shrink or a move replaces: Google expands a range in place (expandIpCidrRange)
        "ipCidrRange": _MM + "compute/Subnetwork.yaml (ForceNewIfChange ip_cidr_range, IsShrinkageIpCidr)",
    },
    # ---- hubs
    # TransitGateway.amazonSideAsn is NOT here: in the provider pulumi-aws 7.51.1 bridges it is updated in place
    # (ModifyTransitGateway), which AWS refuses while BGP attachments exist; see REFUSED_UPDATES.
    "aws:ec2transitgateway/routeTable:RouteTable": {
        "transitGatewayId": _TF_AWS + "ec2/transitgateway_route_table.go (ForceNew)",
    },
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": {
        "transitGatewayId": _TF_AWS + "ec2/transitgateway_vpc_attachment.go (ForceNew)",
        "vpcId": _TF_AWS + "ec2/transitgateway_vpc_attachment.go (ForceNew)",
    },
    "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation": {
        "transitGatewayAttachmentId": _TF_AWS + "ec2/transitgateway_route_table_association.go (ForceNew)",
        "transitGatewayRouteTableId": _TF_AWS + "ec2/transitgateway_route_table_association.go (ForceNew)",
    },
    "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation": {
        "transitGatewayAttachmentId": _TF_AWS + "ec2/transitgateway_route_table_propagation.go (ForceNew)",
        "transitGatewayRouteTableId": _TF_AWS + "ec2/transitgateway_route_table_propagation.go (ForceNew)",
    },
    "aws:ec2transitgateway/route:Route": {
        "destinationCidrBlock": _TF_AWS + "ec2/transitgateway_route.go (ForceNew)",
        "transitGatewayRouteTableId": _TF_AWS + "ec2/transitgateway_route.go (ForceNew)",
        "transitGatewayAttachmentId": _TF_AWS + "ec2/transitgateway_route.go (ForceNew)",
        "blackhole": _TF_AWS + "ec2/transitgateway_route.go (ForceNew)",
    },
    "aws:ec2transitgateway/peeringAttachment:PeeringAttachment": {
        "peerAccountId": _TF_AWS + "ec2/transitgateway_peering_attachment.go (ForceNew)",
        "peerRegion": _TF_AWS + "ec2/transitgateway_peering_attachment.go (ForceNew)",
        "peerTransitGatewayId": _TF_AWS + "ec2/transitgateway_peering_attachment.go (ForceNew)",
        "transitGatewayId": _TF_AWS + "ec2/transitgateway_peering_attachment.go (ForceNew)",
    },
    "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter": {
        "transitGatewayAttachmentId": _TF_AWS + "ec2/transitgateway_peering_attachment_accepter.go (ForceNew)",
    },
    "aws:networkmanager/coreNetwork:CoreNetwork": {
        "globalNetworkId": _TF_AWS + "networkmanager/core_network.go (ForceNew)",
    },
    "aws:networkmanager/coreNetworkPolicyAttachment:CoreNetworkPolicyAttachment": {
        "coreNetworkId": _TF_AWS + "networkmanager/core_network_policy_attachment.go (ForceNew)",
    },
    "aws:networkmanager/vpcAttachment:VpcAttachment": {
        "coreNetworkId": _TF_AWS + "networkmanager/vpc_attachment.go (ForceNew)",
        "vpcArn": _TF_AWS + "networkmanager/vpc_attachment.go (ForceNew)",
    },
    "aws:networkmanager/dxGatewayAttachment:DxGatewayAttachment": {
        "coreNetworkId": _TF_AWS + "networkmanager/dx_gateway_attachment.go (RequiresReplace)",
        "directConnectGatewayArn": _TF_AWS + "networkmanager/dx_gateway_attachment.go (RequiresReplace)",
    },
    # ---- interconnects and links
    "aws:directconnect/gateway:Gateway": {
        "amazonSideAsn": _TF_AWS + "directconnect/gateway.go (amazon_side_asn ForceNew)",
    },
    "aws:directconnect/gatewayAssociation:GatewayAssociation": {
        "dxGatewayId": _TF_AWS + "directconnect/gateway_association.go (ForceNew)",
        "associatedGatewayId": _TF_AWS + "directconnect/gateway_association.go (ForceNew)",
    },
    "aws:directconnect/transitVirtualInterface:TransitVirtualInterface": {
        "connectionId": _TF_AWS + "directconnect/transit_virtual_interface.go (ForceNew)",
        "dxGatewayId": _TF_AWS + "directconnect/transit_virtual_interface.go (ForceNew)",
        "vlan": _TF_AWS + "directconnect/transit_virtual_interface.go (ForceNew)",
        "bgpAsn": _TF_AWS + "directconnect/transit_virtual_interface.go (ForceNew)",
        "addressFamily": _TF_AWS + "directconnect/transit_virtual_interface.go (ForceNew)",
    },
    "aws:directconnect/bgpPeer:BgpPeer": {
        "virtualInterfaceId": _TF_AWS + "directconnect/bgp_peer.go (ForceNew)",
        "bgpAsn": _TF_AWS + "directconnect/bgp_peer.go (ForceNew)",
        "addressFamily": _TF_AWS + "directconnect/bgp_peer.go (ForceNew)",
    },
    "gcp:networkconnectivity/transport:Transport": {
        "network": _MM + "networkconnectivity/Transport.yaml (immutable; the SDK: 'cannot be changed')",
        "remoteProfile": _MM + "networkconnectivity/Transport.yaml (immutable)",
        "region": _MM + "networkconnectivity/Transport.yaml (URL parameter)",
    },
    "aws-native:interconnect:Connection": {
        "activationKey": "pulumi_aws_native/interconnect/connection.py (replace_on_changes)",
        "attachPoint": "pulumi_aws_native/interconnect/connection.py (replace_on_changes)",
        "environmentId": "pulumi_aws_native/interconnect/connection.py (replace_on_changes)",
        "remoteAccount": "pulumi_aws_native/interconnect/connection.py (replace_on_changes)",
    },
    # ---- DNS
    "aws:route53/resolverEndpoint:ResolverEndpoint": {
        "direction": _TF_AWS + "route53resolver/endpoint.go (ForceNew)",
        "securityGroupIds": _TF_AWS + "route53resolver/endpoint.go (ForceNew)",
    },
    "aws:route53/resolverRule:ResolverRule": {
        "domainName": _TF_AWS + "route53resolver/rule.go (ForceNew)",
        "ruleType": _TF_AWS + "route53resolver/rule.go (ForceNew)",
    },
    "aws:route53/resolverRuleAssociation:ResolverRuleAssociation": {
        "resolverRuleId": _TF_AWS + "route53resolver/rule_association.go (ForceNew)",
        "vpcId": _TF_AWS + "route53resolver/rule_association.go (ForceNew)",
    },
    "gcp:dns/managedZone:ManagedZone": {
        "dnsName": _MM + "dns/ManagedZone.yaml (immutable)",
        "visibility": _MM + "dns/ManagedZone.yaml (immutable)",
    },
    # ---- trust
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
        "url": _TF_AWS + "iam/openid_connect_provider.go (url ForceNew)",
    },
    "aws:iam/rolePolicy:RolePolicy": {"role": _TF_AWS + "iam/role_policy.go (role ForceNew)"},
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": {
        "workloadIdentityPoolId": _MM + "iambeta/WorkloadIdentityPool.yaml (immutable)",
    },
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": {
        "workloadIdentityPoolId": _MM + "iambeta/WorkloadIdentityPoolProvider.yaml (immutable)",
        "workloadIdentityPoolProviderId": _MM + "iambeta/WorkloadIdentityPoolProvider.yaml (immutable)",
    },
    "gcp:serviceaccount/iAMMember:IAMMember": {
        "serviceAccountId": "terraform-provider-google iam_service_account member (every field ForceNew)",
        "role": "terraform-provider-google iam_service_account member (every field ForceNew)",
        "member": "terraform-provider-google iam_service_account member (every field ForceNew)",
    },
    # ---- monitoring
    "aws:ec2/flowLog:FlowLog": {
        name: _TF_AWS + "ec2/vpc_flow_log.go (every argument but tags ForceNew)"
        for name in ("vpcId", "transitGatewayId", "logDestination", "logDestinationType", "trafficType",
                     "iamRoleArn", "maxAggregationInterval")
    },
    "aws:cloudwatch/logGroup:LogGroup": {"name": _TF_AWS + "logs/group.go (name ForceNew)"},
    "aws:networkmonitor/monitor:Monitor": {"monitorName": _TF_AWS + "networkmonitor/monitor.go (RequiresReplace)"},
    "aws:networkmonitor/probe:Probe": {
        "monitorName": _TF_AWS + "networkmonitor/probe.go (RequiresReplace)",
        "sourceArn": _TF_AWS + "networkmonitor/probe.go (RequiresReplace)",
    },
}

_REGION = "terraform-provider-aws website/docs/guides/enhanced-region-support (region change forces replacement)"
_PROJECT = "magic-modules: project is immutable on every Google resource"


def _shrinks_or_moves(before: Any, after: Any) -> bool:
    """A Google subnetwork range is replaced unless the new range contains the old one (an in-place expansion)."""
    try:
        old, new = ipaddress.ip_network(before), ipaddress.ip_network(after)
    except (TypeError, ValueError):
        return True
    return not (old.version == new.version and old.subnet_of(new))  # type: ignore[arg-type]


# (type, input) -> the change replaces only when this holds for (before, after)
_ONLY_IF: dict[tuple[str, str], Callable[[Any, Any], bool]] = {
    ("gcp:compute/subnetwork:Subnetwork", "ipCidrRange"): _shrinks_or_moves,
}

# Updates the provider makes in place but the cloud API refuses in a state a deployed stack is normally in:
# type -> input -> what the reviewer needs to know.
REFUSED_UPDATES: dict[str, dict[str, str]] = {
    "aws:ec2transitgateway/transitGateway:TransitGateway": {
        "amazonSideAsn": "updated in place, which AWS refuses while the Transit Gateway has BGP attachments (a "
                         "Direct Connect gateway): detach them first, or plan a new Transit Gateway "
                         "(pulumi-aws TransitGateway docs; EC2 ModifyTransitGatewayOptions)",
    },
}


def replace_source(token: str, name: str) -> str | None:
    """Where it is written that a change of input `name` replaces a resource of type `token` (None: it does not)."""
    if name in REPLACE_ON_CHANGE.get(token, {}):
        return REPLACE_ON_CHANGE[token][name]
    if name == "region" and token.startswith("aws:"):
        return _REGION
    if name == "project" and token.startswith("gcp:"):
        return _PROJECT
    return None


def forces_replacement(token: str, name: str, before: Any, after: Any) -> bool:
    """Whether changing input `name` of a `token` resource from `before` to `after` replaces the resource."""
    if replace_source(token, name) is None:
        return False
    only_if = _ONLY_IF.get((token, name))
    return only_if is None or only_if(before, after)


def refused_update(token: str, name: str) -> str | None:
    return REFUSED_UPDATES.get(token, {}).get(name)
