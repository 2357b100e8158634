"""The one table from what the components register to the clouds' contracts.

Each Pulumi type token maps to a contract (a CloudFormation type, a botocore request shape, or a schema of a Google
discovery document) and each of its inputs (camelCase, as the engine sees them) to the contract's property, or to
`NONE(reason)` when it has no counterpart in the API request (provider settings, values the provider translates).
`tests/contracts/test_mapping.py` fails when a type or an input registered by a plan is not in this table, and when
a property named here is not in the contract.

pulumi-aws and pulumi-gcp are bridged Terraform providers: their inputs are Terraform's attribute names, so each
is mapped by hand. pulumi-aws-native is generated from the CloudFormation schemas themselves: its inputs are the
CloudFormation properties in camelCase, nested objects included.

`autoname` is the property Pulumi fills with `<logical name>-<7 random characters>` when the `name` input is not
set: its length and pattern are checked on the logical name plus 8 characters.

`provided` lists properties the provider fills in itself (so a contract's `required` is met) with why.
`rules` are constraints a contract states in prose (a description), written down with their source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Prop:
    """An input's counterpart: a property of the contract (`path` may be dotted into nested objects)."""

    path: str
    fields: dict[str, str] = field(default_factory=dict)
    """For an object input (or a list of objects): its keys -> the nested property names."""
    convert: Callable[[Any], Any] | None = None
    """Turns the provider's value into the API's (e.g. a tag map into a Key/Value list)."""


@dataclass(frozen=True)
class NONE:
    """An input without a counterpart in the API request."""

    reason: str


@dataclass(frozen=True)
class Stated:
    """A constraint a contract states in prose: `kind` is `required` (when `when` holds, `props` must be set) or
    `exclusive` (`props` may not be set together with `others`)."""

    kind: str
    props: tuple[str, ...]
    source: str
    others: tuple[str, ...] = ()
    when_absent: tuple[str, ...] = ()
    """`required` applies only when none of these is set."""


@dataclass(frozen=True)
class Target:
    kind: str
    """`cfn` (CloudFormation type name), `botocore` (`service:Operation`) or `google` (`doc:Schema[:create method]`)."""
    ref: str
    inputs: dict[str, Prop | NONE]
    autoname: str | None = None
    provided: dict[str, str] = field(default_factory=dict)
    rules: tuple[Stated, ...] = ()
    region_input: str | None = "region"
    """Which input holds the region (None: the provider's region, found in the resource's provider)."""
    stated: dict[str, dict[str, Any]] = field(default_factory=dict)
    """property -> JSON-schema keywords a contract states in prose that the parsers do not read, with `source`."""


def _tags(value: Any) -> Any:
    return [{"Key": k, "Value": v} for k, v in sorted(value.items())] if isinstance(value, dict) else value


REGION = NONE("provider setting (the AWS region the request goes to); checked as region availability")
PROJECT = NONE("the project in the request URL, not a field of the body")
# AIP-122 resource ids, as networkconnectivity.v1 and dns.v1 state them for names chosen by the caller
RFC1035 = {"pattern": "^[a-z]([-a-z0-9]*[a-z0-9])?$", "maxLength": 63,
           "source": "Google resource ids: RFC 1035, 1-63 characters (AIP-122)"}
TAGS = Prop("Tags", convert=_tags)
LABELS = Prop("labels")


def _cfn(ref: str, inputs: dict[str, Prop | NONE], **kw: Any) -> Target:
    return Target("cfn", ref, {"region": REGION, **inputs}, **kw)


# type token -> contract. Components (xcloud:*) and providers register no cloud resource: they are listed apart.
NOT_CLOUD_RESOURCES = {
    "pulumi:providers:aws-native": "a provider instance (the aws-native plugin's configuration), not an API object",
}

TABLE: dict[str, Target] = {
    # ---- networks
    "aws:ec2/vpc:Vpc": _cfn("AWS::EC2::VPC", {
        "cidrBlock": Prop("CidrBlock"), "enableDnsHostnames": Prop("EnableDnsHostnames"),
        "enableDnsSupport": Prop("EnableDnsSupport"), "tags": TAGS,
        "assignGeneratedIpv6CidrBlock": NONE("AssociateVpcCidrBlock(AmazonProvidedIpv6CidrBlock) after creation"),
    }),
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": _cfn("AWS::EC2::VPCCidrBlock", {
        "cidrBlock": Prop("CidrBlock"), "vpcId": Prop("VpcId"),
    }),
    # ---- alarm actions: the topic and the key it is encrypted with
    "aws:kms/key:Key": _cfn("AWS::KMS::Key", {
        "description": Prop("Description"), "enableKeyRotation": Prop("EnableKeyRotation"),
        "policy": Prop("KeyPolicy"), "deletionWindowInDays": Prop("PendingWindowInDays"), "tags": TAGS,
    }),
    "aws:kms/alias:Alias": _cfn("AWS::KMS::Alias", {"name": Prop("AliasName"), "targetKeyId": Prop("TargetKeyId")}),
    "aws:sns/topic:Topic": _cfn("AWS::SNS::Topic", {
        "name": Prop("TopicName"), "kmsMasterKeyId": Prop("KmsMasterKeyId"), "tags": TAGS,
    }),
    "aws:ec2/routeTable:RouteTable": _cfn("AWS::EC2::RouteTable", {"vpcId": Prop("VpcId"), "tags": TAGS}),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": _cfn("AWS::EC2::SubnetRouteTableAssociation", {
        "routeTableId": Prop("RouteTableId"), "subnetId": Prop("SubnetId"),
    }),
    "aws:ec2/route:Route": _cfn("AWS::EC2::Route", {
        "routeTableId": Prop("RouteTableId"), "destinationCidrBlock": Prop("DestinationCidrBlock"),
        "destinationIpv6CidrBlock": Prop("DestinationIpv6CidrBlock"), "transitGatewayId": Prop("TransitGatewayId"),
        "coreNetworkArn": Prop("CoreNetworkArn"),
    }),
    "aws:ec2/subnet:Subnet": _cfn("AWS::EC2::Subnet", {
        "cidrBlock": Prop("CidrBlock"), "availabilityZone": Prop("AvailabilityZone"), "vpcId": Prop("VpcId"),
        "ipv6CidrBlock": Prop("Ipv6CidrBlock"), "assignIpv6AddressOnCreation": Prop("AssignIpv6AddressOnCreation"),
        "tags": TAGS,
    }),
    "aws:ec2/securityGroup:SecurityGroup": _cfn("AWS::EC2::SecurityGroup", {
        "description": Prop("GroupDescription"), "vpcId": Prop("VpcId"), "name": Prop("GroupName"),
        "ingress": Prop("SecurityGroupIngress", {
            "protocol": "IpProtocol", "fromPort": "FromPort", "toPort": "ToPort", "cidrBlocks": "CidrIp",
            "ipv6CidrBlocks": "CidrIpv6", "description": "Description", "securityGroups": "SourceSecurityGroupId",
            "self": "SourceSecurityGroupId", "prefixListIds": "SourcePrefixListId"}),
        "egress": Prop("SecurityGroupEgress", {
            "protocol": "IpProtocol", "fromPort": "FromPort", "toPort": "ToPort", "cidrBlocks": "CidrIp",
            "ipv6CidrBlocks": "CidrIpv6", "description": "Description", "securityGroups": "DestinationSecurityGroupId",
            "self": "DestinationSecurityGroupId", "prefixListIds": "DestinationPrefixListId"}),
        "revokeRulesOnDelete": NONE("provider behaviour on delete"),
        "tags": TAGS,
    }, autoname="GroupName"),
    "gcp:compute/network:Network": Target("google", "compute.v1:Network", {
        "project": PROJECT, "mtu": Prop("mtu"), "description": Prop("description"), "name": Prop("name"),
        "autoCreateSubnetworks": Prop("autoCreateSubnetworks"), "routingMode": Prop("routingConfig.routingMode"),
        "deleteDefaultRoutesOnCreate": NONE("the provider deletes the default routes after creation"),
    }, autoname="name", region_input=None),
    "gcp:compute/firewall:Firewall": Target("google", "compute.v1:Firewall", {
        "project": PROJECT, "network": Prop("network"), "description": Prop("description"), "name": Prop("name"),
        "direction": Prop("direction"), "priority": Prop("priority"), "sourceRanges": Prop("sourceRanges"),
        "destinationRanges": Prop("destinationRanges"),
        "allows": Prop("allowed", {"protocol": "IPProtocol", "ports": "ports"}),
        "denies": Prop("denied", {"protocol": "IPProtocol", "ports": "ports"}),
        "logConfig": Prop("logConfig", {"metadata": "metadata"}),
        "disabled": Prop("disabled"), "targetTags": Prop("targetTags"), "sourceTags": Prop("sourceTags"),
    }, autoname="name", region_input=None),
    # addPeering: the network is the request's path; the peering itself is the body's `networkPeering`
    "gcp:compute/networkPeering:NetworkPeering": Target("google", "compute.v1:NetworkPeering", {
        "network": NONE("the network in the request URL (networks.addPeering)"), "name": Prop("name"),
        # NetworkPeering.network is the URL of the peer network
        "peerNetwork": Prop("network"), "exportCustomRoutes": Prop("exportCustomRoutes"),
        "importCustomRoutes": Prop("importCustomRoutes"), "stackType": Prop("stackType"),
        "exportSubnetRoutesWithPublicIp": Prop("exportSubnetRoutesWithPublicIp"),
        "importSubnetRoutesWithPublicIp": Prop("importSubnetRoutesWithPublicIp"),
    }, autoname="name", region_input=None),
    "gcp:compute/subnetwork:Subnetwork": Target("google", "compute.v1:Subnetwork", {
        "project": PROJECT, "region": Prop("region"), "ipCidrRange": Prop("ipCidrRange"), "network": Prop("network"),
        "stackType": Prop("stackType"), "description": Prop("description"), "name": Prop("name"),
        "privateIpGoogleAccess": Prop("privateIpGoogleAccess"), "ipv6AccessType": Prop("ipv6AccessType"),
        "logConfig": Prop("logConfig", {"aggregationInterval": "aggregationInterval", "flowSampling": "flowSampling",
                                        "metadata": "metadata"}),
    }, autoname="name", region_input=None),
    # ---- hubs
    "aws:ec2transitgateway/transitGateway:TransitGateway": _cfn("AWS::EC2::TransitGateway", {
        "amazonSideAsn": Prop("AmazonSideAsn"), "description": Prop("Description"),
        "defaultRouteTableAssociation": Prop("DefaultRouteTableAssociation"),
        "defaultRouteTablePropagation": Prop("DefaultRouteTablePropagation"), "dnsSupport": Prop("DnsSupport"),
        "vpnEcmpSupport": Prop("VpnEcmpSupport"), "autoAcceptSharedAttachments": Prop("AutoAcceptSharedAttachments"),
        "transitGatewayCidrBlocks": Prop("TransitGatewayCidrBlocks"), "tags": TAGS,
    }),
    "aws:ec2transitgateway/routeTable:RouteTable": _cfn("AWS::EC2::TransitGatewayRouteTable", {
        "transitGatewayId": Prop("TransitGatewayId"), "tags": TAGS,
    }),
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": _cfn("AWS::EC2::TransitGatewayVpcAttachment", {
        "vpcId": Prop("VpcId"), "subnetIds": Prop("SubnetIds"), "transitGatewayId": Prop("TransitGatewayId"),
        "dnsSupport": Prop("Options.DnsSupport"), "ipv6Support": Prop("Options.Ipv6Support"),
        "applianceModeSupport": Prop("Options.ApplianceModeSupport"),
        "transitGatewayDefaultRouteTableAssociation": NONE(
            "ModifyTransitGatewayVpcAttachment after creation, no CloudFormation property"),
        "transitGatewayDefaultRouteTablePropagation": NONE(
            "ModifyTransitGatewayVpcAttachment after creation, no CloudFormation property"),
        "tags": TAGS,
    }),
    "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation": _cfn(
        "AWS::EC2::TransitGatewayRouteTableAssociation", {
            "transitGatewayAttachmentId": Prop("TransitGatewayAttachmentId"),
            "transitGatewayRouteTableId": Prop("TransitGatewayRouteTableId"),
            "replaceExistingAssociation": NONE("provider behaviour: disassociate first"),
        }),
    "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation": _cfn(
        "AWS::EC2::TransitGatewayRouteTablePropagation", {
            "transitGatewayAttachmentId": Prop("TransitGatewayAttachmentId"),
            "transitGatewayRouteTableId": Prop("TransitGatewayRouteTableId"),
        }),
    "aws:ec2transitgateway/route:Route": _cfn("AWS::EC2::TransitGatewayRoute", {
        "destinationCidrBlock": Prop("DestinationCidrBlock"), "blackhole": Prop("Blackhole"),
        "transitGatewayAttachmentId": Prop("TransitGatewayAttachmentId"),
        "transitGatewayRouteTableId": Prop("TransitGatewayRouteTableId"),
    }),
    "aws:ec2transitgateway/peeringAttachment:PeeringAttachment": _cfn("AWS::EC2::TransitGatewayPeeringAttachment", {
        "transitGatewayId": Prop("TransitGatewayId"), "peerTransitGatewayId": Prop("PeerTransitGatewayId"),
        "peerRegion": Prop("PeerRegion"), "peerAccountId": Prop("PeerAccountId"), "tags": TAGS,
    }, provided={"PeerAccountId": "the provider uses the caller's account when peer_account_id is not set"}),
    "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter": Target(
        "botocore", "ec2:AcceptTransitGatewayPeeringAttachment", {
            "region": REGION, "transitGatewayAttachmentId": Prop("TransitGatewayAttachmentId"),
            "tags": NONE("CreateTags after acceptance"),
        }),
    "aws:networkmanager/globalNetwork:GlobalNetwork": _cfn("AWS::NetworkManager::GlobalNetwork", {
        "description": Prop("Description"), "tags": TAGS,
    }),
    "aws:networkmanager/coreNetwork:CoreNetwork": _cfn("AWS::NetworkManager::CoreNetwork", {
        "globalNetworkId": Prop("GlobalNetworkId"), "description": Prop("Description"), "tags": TAGS,
        "createBasePolicy": NONE("provider option: a base policy document sent as CreateCoreNetwork PolicyDocument"),
        "basePolicyRegions": NONE("provider option: the edge locations of the base policy document"),
        "basePolicyDocument": Prop("PolicyDocument"),
    }),
    "aws:networkmanager/coreNetworkPolicyAttachment:CoreNetworkPolicyAttachment": Target(
        "botocore", "networkmanager:PutCoreNetworkPolicy", {
            "coreNetworkId": Prop("CoreNetworkId"), "policyDocument": Prop("PolicyDocument"),
        }, region_input=None),
    "aws:networkmanager/vpcAttachment:VpcAttachment": Target("cfn", "AWS::NetworkManager::VpcAttachment", {
        "coreNetworkId": Prop("CoreNetworkId"), "vpcArn": Prop("VpcArn"), "subnetArns": Prop("SubnetArns"),
        "options": Prop("Options", {"ipv6Support": "Ipv6Support", "applianceModeSupport": "ApplianceModeSupport",
                                    "dnsSupport": "DnsSupport",
                                    "securityGroupReferencingSupport": "SecurityGroupReferencingSupport"}),
        "tags": TAGS,
    }, region_input=None),
    "aws:networkmanager/dxGatewayAttachment:DxGatewayAttachment": Target(
        "cfn", "AWS::NetworkManager::DirectConnectGatewayAttachment", {
            "coreNetworkId": Prop("CoreNetworkId"), "directConnectGatewayArn": Prop("DirectConnectGatewayArn"),
            "edgeLocations": Prop("EdgeLocations"), "tags": TAGS,
        }, region_input=None),
    # ---- interconnects and links
    "aws:directconnect/gateway:Gateway": Target("cfn", "AWS::DirectConnect::DirectConnectGateway", {
        "amazonSideAsn": Prop("AmazonSideAsn"), "name": Prop("DirectConnectGatewayName"), "tags": TAGS,
    }, autoname="DirectConnectGatewayName", region_input=None),
    "aws:directconnect/gatewayAssociation:GatewayAssociation": _cfn(
        "AWS::DirectConnect::DirectConnectGatewayAssociation", {
            "dxGatewayId": Prop("DirectConnectGatewayId"), "associatedGatewayId": Prop("AssociatedGatewayId"),
            "allowedPrefixes": Prop("AllowedPrefixesToDirectConnectGateway"),
        }),
    "aws:directconnect/transitVirtualInterface:TransitVirtualInterface": _cfn(
        "AWS::DirectConnect::TransitVirtualInterface", {
            "connectionId": Prop("ConnectionId"), "dxGatewayId": Prop("DirectConnectGatewayId"),
            "vlan": Prop("Vlan"), "mtu": Prop("Mtu"), "name": Prop("VirtualInterfaceName"),
            "bgpAsn": Prop("BgpPeers.BgpAsn"), "addressFamily": Prop("BgpPeers.AddressFamily"),
            "bgpAuthKey": Prop("BgpPeers.AuthKey"), "amazonAddress": Prop("BgpPeers.AmazonAddress"),
            "customerAddress": Prop("BgpPeers.CustomerAddress"), "sitelinkEnabled": Prop("EnableSiteLink"),
            "tags": TAGS,
        }, autoname="VirtualInterfaceName"),
    "aws:directconnect/bgpPeer:BgpPeer": Target("botocore", "directconnect:CreateBGPPeer", {
        "region": REGION, "virtualInterfaceId": Prop("virtualInterfaceId"),
        "bgpAsn": Prop("newBGPPeer.asn"), "addressFamily": Prop("newBGPPeer.addressFamily"),
        "bgpAuthKey": Prop("newBGPPeer.authKey"), "amazonAddress": Prop("newBGPPeer.amazonAddress"),
        "customerAddress": Prop("newBGPPeer.customerAddress"),
    }),
    "aws-native:interconnect:Connection": Target("cfn", "AWS::Interconnect::Connection", {
        "attachPoint": Prop("AttachPoint", {"directConnectGateway": "DirectConnectGateway", "arn": "Arn"}),
        "activationKey": Prop("ActivationKey"), "bandwidth": Prop("Bandwidth"), "description": Prop("Description"),
        "environmentId": Prop("EnvironmentId"), "remoteAccount": Prop("RemoteAccount", {"identifier": "Identifier"}),
        "tags": Prop("Tags", {"key": "Key", "value": "Value"}),
    }, rules=(
        Stated("exclusive", ("ActivationKey",), "AWS::Interconnect::Connection: ActivationKey accepts a partner's "
               "proposal; EnvironmentId and Bandwidth create one (issue 11, item 4)", others=("Bandwidth",)),
        Stated("required", ("EnvironmentId", "Bandwidth", "RemoteAccount"), "AWS::Interconnect::Connection: "
               "'Required when creating a connection through AWS' (EnvironmentId, Bandwidth, RemoteAccount)",
               when_absent=("ActivationKey",)),
    ), region_input=None),
    "gcp:networkconnectivity/transport:Transport": Target(
        "google", "networkconnectivity.v1:Transport:projects.locations.transports.create", {
            "project": PROJECT, "region": NONE("the location in the request URL"), "name": Prop("transportId"),
            "network": Prop("network"), "remoteProfile": Prop("remoteProfile"), "bandwidth": Prop("bandwidth"),
            "stackType": Prop("stackType"), "advertisedRoutes": Prop("advertisedRoutes"),
            "remoteAccountId": Prop("remoteAccountId"), "providedActivationKey": Prop("providedActivationKey"),
            "description": Prop("description"), "labels": LABELS,
        }, autoname="transportId", region_input=None, stated={"transportId": RFC1035}, rules=(
            Stated("required", ("bandwidth", "remoteAccountId", "remoteProfile"),
                   "networkconnectivity.v1 Transport.bandwidth: 'must be set when no activation key is being "
                   "provided'; with it the remote account id and profile (issue 11, item 3)",
                   when_absent=("providedActivationKey",)),
            Stated("exclusive", ("providedActivationKey",), "networkconnectivity.v1 Transport: a provided "
                   "activation key carries the bandwidth and remote account (issue 11, item 4)",
                   others=("bandwidth", "remoteAccountId")),
        )),
    # ---- DNS
    "aws:route53/resolverEndpoint:ResolverEndpoint": _cfn("AWS::Route53Resolver::ResolverEndpoint", {
        "direction": Prop("Direction"), "ipAddresses": Prop("IpAddresses", {"subnetId": "SubnetId", "ip": "Ip",
                                                                              "ipv6": "Ipv6"}),
        "securityGroupIds": Prop("SecurityGroupIds"), "name": Prop("Name"), "protocols": Prop("Protocols"),
        "resolverEndpointType": Prop("ResolverEndpointType"), "tags": TAGS,
    }),
    "aws:route53/resolverRule:ResolverRule": _cfn("AWS::Route53Resolver::ResolverRule", {
        "domainName": Prop("DomainName"), "ruleType": Prop("RuleType"), "name": Prop("Name"),
        "resolverEndpointId": Prop("ResolverEndpointId"),
        "targetIps": Prop("TargetIps", {"ip": "Ip", "port": "Port", "ipv6": "Ipv6", "protocol": "Protocol"}),
        "tags": TAGS,
    }),
    "aws:route53/resolverRuleAssociation:ResolverRuleAssociation": _cfn(
        "AWS::Route53Resolver::ResolverRuleAssociation", {
            "resolverRuleId": Prop("ResolverRuleId"), "vpcId": Prop("VPCId"), "name": Prop("Name"),
        }),
    "gcp:dns/managedZone:ManagedZone": Target("google", "dns.v1:ManagedZone", {
        "project": PROJECT, "dnsName": Prop("dnsName"), "visibility": Prop("visibility"), "name": Prop("name"),
        "description": Prop("description"), "labels": LABELS,
        "forwardingConfig": Prop("forwardingConfig", {
            "targetNameServers": "targetNameServers", "ipv4Address": "ipv4Address",
            "forwardingPath": "forwardingPath", "ipv6Address": "ipv6Address"}),
        "privateVisibilityConfig": Prop("privateVisibilityConfig", {"networks": "networks",
                                                                    "networkUrl": "networkUrl"}),
        "forceDestroy": NONE("provider behaviour on delete"),
    }, autoname="name", region_input=None, stated={"name": {
        "pattern": "^[a-z]([-a-z0-9]*[a-z0-9])?$",
        "source": "dns.v1 ManagedZone.name: 'must begin with a letter, end with a letter or digit, and only contain "
                  "lowercase letters, digits or dashes'"}}),
    "gcp:dns/policy:Policy": Target("google", "dns.v1:Policy", {
        "project": PROJECT, "enableInboundForwarding": Prop("enableInboundForwarding"), "name": Prop("name"),
        "description": Prop("description"), "enableLogging": Prop("enableLogging"),
        "networks": Prop("networks", {"networkUrl": "networkUrl"}),
    }, autoname="name", region_input=None),
    # ---- trust
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": Target("cfn", "AWS::IAM::OIDCProvider", {
        "url": Prop("Url"), "clientIdLists": Prop("ClientIdList"), "thumbprintLists": Prop("ThumbprintList"),
        "tags": TAGS,
    }, region_input=None),
    "aws:iam/role:Role": Target("cfn", "AWS::IAM::Role", {
        "assumeRolePolicy": Prop("AssumeRolePolicyDocument"), "description": Prop("Description"),
        "maxSessionDuration": Prop("MaxSessionDuration"), "name": Prop("RoleName"), "path": Prop("Path"),
        "permissionsBoundary": Prop("PermissionsBoundary"), "tags": TAGS,
        "forceDetachPolicies": NONE("provider behaviour on delete"),
    }, autoname="RoleName", region_input=None),
    "aws:iam/rolePolicy:RolePolicy": Target("cfn", "AWS::IAM::RolePolicy", {
        "role": Prop("RoleName"), "policy": Prop("PolicyDocument"), "name": Prop("PolicyName"),
    }, autoname="PolicyName", region_input=None),
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": Target(
        "google", "iam.v1:WorkloadIdentityPool:projects.locations.workloadIdentityPools.create", {
            "project": PROJECT, "workloadIdentityPoolId": Prop("workloadIdentityPoolId"),
            "displayName": Prop("displayName"), "description": Prop("description"), "disabled": Prop("disabled"),
        }, region_input=None),
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": Target(
        "google", "iam.v1:WorkloadIdentityPoolProvider:projects.locations.workloadIdentityPools.providers.create", {
            "project": PROJECT, "workloadIdentityPoolId": NONE("the pool in the request URL (its parent)"),
            "workloadIdentityPoolProviderId": Prop("workloadIdentityPoolProviderId"),
            "attributeCondition": Prop("attributeCondition"), "attributeMapping": Prop("attributeMapping"),
            "aws": Prop("aws", {"accountId": "accountId"}), "displayName": Prop("displayName"),
            "description": Prop("description"), "disabled": Prop("disabled"),
        }, region_input=None),
    "gcp:serviceaccount/iAMMember:IAMMember": Target("google", "iam.v1:Binding", {
        "serviceAccountId": NONE("the service account in the setIamPolicy URL"), "role": Prop("role"),
        "member": Prop("members"), "condition": Prop("condition"),
    }, region_input=None),
    # ---- monitoring
    "aws:networkmonitor/monitor:Monitor": _cfn("AWS::NetworkMonitor::Monitor", {
        "monitorName": Prop("MonitorName"), "aggregationPeriod": Prop("AggregationPeriod"), "tags": TAGS,
    }),
    "aws:networkmonitor/probe:Probe": Target("botocore", "networkmonitor:CreateProbe", {
        "region": REGION, "monitorName": Prop("monitorName"), "sourceArn": Prop("probe.sourceArn"),
        "destination": Prop("probe.destination"), "destinationPort": Prop("probe.destinationPort"),
        "protocol": Prop("probe.protocol"), "packetSize": Prop("probe.packetSize"),
        "tags": NONE("a map in CreateProbe; its values are the stack name and spec key (tags.py)"),
    }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": _cfn("AWS::CloudWatch::Alarm", {
        "name": Prop("AlarmName"), "alarmDescription": Prop("AlarmDescription"),
        "comparisonOperator": Prop("ComparisonOperator"), "datapointsToAlarm": Prop("DatapointsToAlarm"),
        "dimensions": Prop("Dimensions", convert=lambda d: [{"Name": k, "Value": v} for k, v in sorted(d.items())]
                           if isinstance(d, dict) else d),
        "evaluationPeriods": Prop("EvaluationPeriods"), "metricName": Prop("MetricName"),
        "namespace": Prop("Namespace"), "period": Prop("Period"), "statistic": Prop("Statistic"),
        "threshold": Prop("Threshold"), "treatMissingData": Prop("TreatMissingData"),
        "alarmActions": Prop("AlarmActions"), "okActions": Prop("OKActions"), "tags": TAGS,
    }, autoname="AlarmName"),
    "aws:cloudwatch/logGroup:LogGroup": _cfn("AWS::Logs::LogGroup", {
        "name": Prop("LogGroupName"), "retentionInDays": Prop("RetentionInDays"), "kmsKeyId": Prop("KmsKeyId"),
        "tags": TAGS,
    }, autoname="LogGroupName"),
    "aws:ec2/flowLog:FlowLog": _cfn("AWS::EC2::FlowLog", {
        "vpcId": Prop("ResourceId"), "transitGatewayId": Prop("ResourceId"), "trafficType": Prop("TrafficType"),
        "logDestinationType": Prop("LogDestinationType"), "logDestination": Prop("LogDestination"),
        "iamRoleArn": Prop("DeliverLogsPermissionArn"), "maxAggregationInterval": Prop("MaxAggregationInterval"),
        "logFormat": Prop("LogFormat"), "tags": TAGS,
    }, provided={"ResourceType": "the provider sets it from the id input it is given (vpc_id, transit_gateway_id)"}),
}
