"""The components for TypeScript, Go, C#, Java and YAML programs: a Pulumi component provider.

`provider/PulumiPlugin.yaml` (runtime python) runs `provider/__main__.py`, which hosts the classes below with
`component_provider_host`; `pulumi package add <path to provider/>` then generates an SDK for the consumer's
language, and a YAML program uses the types directly (`xcloud:index:OidcTrustRole`). Pulumi infers the package
schema from the annotations here: each class's `__init__(self, name, args: <TypedDict>, opts)` gives the inputs,
its `pulumi.Output` attributes the outputs. That is why this module keeps real (not postponed) annotations and
plain TypedDicts: the analyzer reads them at runtime.

Each class is a thin component that builds the Python component of the same name as its only child, so a program
in another language registers exactly the resources a Python program does (a test compares them):

- `Stack`: a whole stack file, checked and deployed as `deploy()` does, exporting the output contract
  (docs/outputs.md) as its outputs.
- `OidcTrustRole`, `OidcIssuer`, `GcpWorkloadIdentityForAws`, `ResolverForwarding`, `CloudDnsForwarding`,
  `LinkMonitoring`, `OperatorRole`: TypedDicts mirroring the Python Args dataclasses field for field.
- `AwsNetwork`, `GcpNetwork`, `TransitHub`, `CloudWanCore`, `HubAttachment`, `AwsGcpInterconnect`,
  `DirectConnectLink`: they take a spec section (spec/sections.py, generated from the models), validated by its
  model before anything is registered, beside the ids of what they attach to.
"""

from collections.abc import Mapping
from typing import Any, NotRequired, TypedDict, TypeVar

import pulumi

from . import components as c
from .program import OUTPUT_CONTRACT, deploy
from .spec import Location, Problem, SpecError, load_section, load_text
from .spec import models as m
from .spec import sections as s

PACKAGE = "xcloud"
M = TypeVar("M", bound=m.Model)

# The stack sections components take whole; spec/sections.py mirrors them (and what they contain) as TypedDicts.
SECTION_MODELS: list[type[m.Model]] = [m.Network, m.TransitGateway, m.CloudWanCore, m.HubAttachment, m.Interconnect,
                                       m.ExternalLink]


class StackArgs(TypedDict):
    spec: str
    """The stack file's text (YAML), as `xcloud validate` reads it."""
    file: NotRequired[str]
    """The name findings and errors point at (default: stack.yaml)."""


class Stack(pulumi.ComponentResource):
    """A whole xcloud stack: checked (an error finding registers nothing) and deployed, with the platform output
    contract (docs/outputs.md) as outputs."""

    dx_gateway_ids: pulumi.Output[dict[str, str]]
    hub_ids: pulumi.Output[dict[str, str]]
    network_ids: pulumi.Output[dict[str, str]]
    oidc_issuer_urls: pulumi.Output[dict[str, str]]
    oidc_provider_arns: pulumi.Output[dict[str, str]]
    operator_role_arn: pulumi.Output[str]
    resolver_endpoint_ids: pulumi.Output[dict[str, str]]
    resolver_inbound_addresses: pulumi.Output[dict[str, list[str]]]
    resolver_rule_ids: pulumi.Output[dict[str, str]]
    role_arns: pulumi.Output[dict[str, str]]
    route_table_ids: pulumi.Output[dict[str, dict[str, str]]]
    subnet_ids: pulumi.Output[dict[str, dict[str, str]]]
    workload_identity_providers: pulumi.Output[dict[str, str]]

    def __init__(self, name: str, args: StackArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        stack = load_text(args["spec"], args.get("file") or "stack.yaml")  # SpecError: located, nothing registered
        super().__init__(f"{PACKAGE}:index:Stack", name, {}, opts)
        outputs = deploy(stack, export=False, parent=self).outputs
        for output in OUTPUT_CONTRACT:
            setattr(self, _snake(output.name), pulumi.Output.from_input(outputs[output.name]))
        self.register_outputs({o.name: outputs[o.name] for o in OUTPUT_CONTRACT})


class PermissionArgs(TypedDict):
    actions: list[str]
    resources: list[pulumi.Input[str]]
    conditions: NotRequired[dict[str, Any]]
    """IAM condition block: operator -> {key: value or values}."""


class OidcTrustRoleArgs(TypedDict):
    issuer_url: pulumi.Input[str]
    audience: pulumi.Input[str]
    subjects: pulumi.Input[list[pulumi.Input[str]]]
    """Exact 'sub' claims allowed."""
    permissions: NotRequired[list[PermissionArgs]]
    max_session_seconds: NotRequired[int]
    provider_arn: NotRequired[pulumi.Input[str]]
    """An existing IAM OIDC provider for the issuer (the platform stack's oidcProviderArns); unset creates one."""
    client_ids: NotRequired[pulumi.Input[list[pulumi.Input[str]]]]
    thumbprints: NotRequired[pulumi.Input[list[pulumi.Input[str]]]]
    waivers: NotRequired[dict[str, str]]
    """Rule id -> reason (XC502, XC504, XC505, XC507)."""
    description: NotRequired[str]
    stack: NotRequired[str]


class OidcTrustRole(pulumi.ComponentResource):
    """An AWS role assumed with OIDC tokens of one issuer, for an exact audience and exact subjects."""

    role_arn: pulumi.Output[str]
    role_name: pulumi.Output[str]
    provider_arn: pulumi.Output[str]
    trust_policy: pulumi.Output[str]

    def __init__(self, name: str, args: OidcTrustRoleArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(f"{PACKAGE}:index:OidcTrustRole", name, {}, opts)
        role = c.OidcTrustRole(name, c.OidcTrustRoleArgs(**args), _child(self))
        _publish(self, role_arn=role.role_arn, role_name=role.role_name, provider_arn=role.provider_arn,
                 trust_policy=role.trust_policy)


class OidcIssuerArgs(TypedDict):
    url: pulumi.Input[str]
    client_ids: pulumi.Input[list[pulumi.Input[str]]]
    """Audiences the IAM OIDC provider accepts (e.g. sts.amazonaws.com)."""
    thumbprints: NotRequired[pulumi.Input[list[pulumi.Input[str]]]]
    stack: NotRequired[str]


class OidcIssuer(pulumi.ComponentResource):
    """The IAM OIDC provider of one issuer, shared by every role that trusts it."""

    provider_arn: pulumi.Output[str]
    url: pulumi.Output[str]

    def __init__(self, name: str, args: OidcIssuerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(f"{PACKAGE}:index:OidcIssuer", name, {}, opts)
        issuer = c.OidcIssuer(name, c.OidcIssuerArgs(**args), _child(self))
        _publish(self, provider_arn=issuer.provider_arn, url=issuer.url)


class GcpWorkloadIdentityForAwsArgs(TypedDict):
    project: pulumi.Input[str]
    pool_id: str
    provider_id: str
    aws_account_id: pulumi.Input[str]
    attribute_condition: pulumi.Input[str]
    """CEL condition on the AWS identity (required unless XC506 is waived)."""
    aws_roles: NotRequired[list[str]]
    service_account: NotRequired[pulumi.Input[str]]
    waivers: NotRequired[dict[str, str]]
    stack: NotRequired[str]


class GcpWorkloadIdentityForAws(pulumi.ComponentResource):
    """A Workload Identity pool and AWS provider, and the roles that may impersonate a service account."""

    pool_name: pulumi.Output[str]
    provider_name: pulumi.Output[str]
    principal_sets: pulumi.Output[dict[str, str]]

    def __init__(
        self, name: str, args: GcpWorkloadIdentityForAwsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(f"{PACKAGE}:index:GcpWorkloadIdentityForAws", name, {}, opts)
        wif = c.GcpWorkloadIdentityForAws(name, c.GcpWorkloadIdentityForAwsArgs(**args), _child(self))
        _publish(self, pool_name=wif.pool_name, provider_name=wif.provider_name, principal_sets=wif.principal_sets)


# ---------------------------------------------------------------- networks, hubs, links, DNS, monitoring, operators
#
# These components take spec sections (xcloud_iac.spec.sections, validated by the models as a stack file's are)
# beside the ids of what they attach to, exactly as their Python counterparts do; an invalid section raises
# SpecError naming the component and the field path, before anything is registered.


class AwsNetworkArgs(TypedDict):
    network: s.NetworkSpec
    """The spec of an `aws` network."""
    route_table: NotRequired[bool]
    """Give the subnets the component creates a route table of their own (what the hubs add their routes to)."""
    stack: NotRequired[str]
    """Stack name for tags; defaults to the Pulumi stack."""


class AwsNetwork(pulumi.ComponentResource):
    """An AWS VPC and its subnets (or an existing VPC and subnets, read)."""

    vpc_id: pulumi.Output[str]
    vpc_arn: pulumi.Output[str]
    subnet_ids: pulumi.Output[dict[str, str]]
    subnet_arns: pulumi.Output[dict[str, str]]
    route_table_ids: pulumi.Output[dict[str, str]]
    """The route tables (key -> id) that carry the routes towards the hubs."""

    def __init__(self, name: str, args: AwsNetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        network = _section(m.Network, name, args, "network")
        super().__init__(f"{PACKAGE}:index:AwsNetwork", name, {}, opts)
        vpc = c.AwsNetwork(name, c.AwsNetworkArgs(network, **_rest(args, "network")), _child(self))
        _publish(self, vpc_id=vpc.vpc_id, vpc_arn=vpc.vpc_arn, subnet_ids=vpc.subnet_ids,
                 subnet_arns=vpc.subnet_arns, route_table_ids=vpc.route_table_ids)


class GcpNetworkArgs(TypedDict):
    network: s.NetworkSpec
    """The spec of a `gcp` network; `account` is its project."""
    peer_ranges: NotRequired[list[str]]
    """The ranges of the networks that reach this one: an ingress firewall rule admits exactly them on the
    network's `peer_ingress`, with logging. Empty: no rule."""
    flow_logs: NotRequired[bool]
    """Turn on VPC flow logs on the subnetworks the component creates."""
    stack: NotRequired[str]


class GcpNetwork(pulumi.ComponentResource):
    """A Google VPC network and its subnetworks (or existing ones, read), and the ingress rule for its peers."""

    network_id: pulumi.Output[str]
    self_link: pulumi.Output[str]
    subnet_ids: pulumi.Output[dict[str, str]]
    subnet_self_links: pulumi.Output[dict[str, str]]
    firewall_ids: pulumi.Output[dict[str, str]]

    def __init__(self, name: str, args: GcpNetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        network = _section(m.Network, name, args, "network")
        super().__init__(f"{PACKAGE}:index:GcpNetwork", name, {}, opts)
        net = c.GcpNetwork(name, c.GcpNetworkArgs(network, **_rest(args, "network")), _child(self))
        _publish(self, network_id=net.network_id, self_link=net.self_link, subnet_ids=net.subnet_ids,
                 subnet_self_links=net.subnet_self_links, firewall_ids=net.firewall_ids)


class TgwRouteArgs(TypedDict):
    table: str
    """The route table's name in the hub."""
    prefix: str
    route_table_id: pulumi.Input[str]


class TgwAttachPointArgs(TypedDict):
    """An attachment a Transit Gateway declares, created by the component that owns its far side: the hub's
    name and its attachment's, with the ids of the hub and of the route tables it is wired into."""

    hub: str
    attachment: str
    transit_gateway_id: pulumi.Input[str]
    region: str
    route_table_id: NotRequired[pulumi.Input[str]]
    """Route table the attachment is associated with (unset: not associated)."""
    propagate_to: NotRequired[dict[str, pulumi.Input[str]]]
    """Route tables (name -> id) the attachment propagates into."""
    routes: NotRequired[list[TgwRouteArgs]]
    """Static routes of the hub's tables that target the attachment."""


class WanAttachPointArgs(TypedDict):
    """An attachment a Cloud WAN core network declares, created by the component that owns its far side."""

    hub: str
    attachment: str
    core_network_id: pulumi.Input[str]
    segment: str
    """The segment's name as the core network policy spells it."""


class VpcRefArgs(TypedDict):
    vpc_id: pulumi.Input[str]
    subnet_ids: dict[str, pulumi.Input[str]]
    """Subnet name -> id."""
    ipv6: NotRequired[bool]
    route_table_ids: NotRequired[dict[str, pulumi.Input[str]]]
    """The VPC route tables (key -> id) that get the network's routes towards the hub."""


class PeerHubArgs(TypedDict):
    hub: str
    transit_gateway_id: pulumi.Input[str]
    region: str
    account_id: NotRequired[pulumi.Input[str]]
    """The peer's AWS account, when it is not this one."""
    accepter_point: NotRequired[TgwAttachPointArgs]
    """The attachment the peer declares back to this hub, wired on the peer's side."""


class TransitHubArgs(TypedDict):
    hub: s.TransitGatewaySpec
    vpcs: NotRequired[dict[str, VpcRefArgs]]
    """The VPC of every `network` attachment, by network name."""
    peers: NotRequired[list[PeerHubArgs]]
    """Peerings this hub requests."""
    vpc_routes: NotRequired[dict[str, list[str]]]
    """Network name -> the prefixes its VPC route tables send to this hub."""
    stack: NotRequired[str]


class TransitHub(pulumi.ComponentResource):
    """A Transit Gateway with its declared route tables, VPC attachments and peerings."""

    transit_gateway_id: pulumi.Output[str]
    transit_gateway_arn: pulumi.Output[str]
    route_table_ids: pulumi.Output[dict[str, str]]
    attachment_ids: pulumi.Output[dict[str, str]]

    def __init__(self, name: str, args: TransitHubArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        hub = _section(m.TransitGateway, name, args, "hub")
        super().__init__(f"{PACKAGE}:index:TransitHub", name, {}, opts)
        peers = [c.PeerHub(**_rest(p, "accepter_point"),
                           accepter_point=_tgw_point(p["accepter_point"]) if "accepter_point" in p else None)
                 for p in args.get("peers", [])]
        tgw = c.TransitHub(name, c.TransitHubArgs(
            hub, vpcs={k: c.VpcRef(**v) for k, v in args.get("vpcs", {}).items()}, peers=peers,
            **_rest(args, "hub", "vpcs", "peers")), _child(self))
        _publish(self, transit_gateway_id=tgw.transit_gateway_id, transit_gateway_arn=tgw.transit_gateway_arn,
                 route_table_ids=tgw.route_table_ids, attachment_ids=tgw.attachment_ids)


class WanVpcRefArgs(TypedDict):
    vpc_arn: pulumi.Input[str]
    subnet_arns: dict[str, pulumi.Input[str]]
    """Subnet name -> ARN."""
    ipv6: NotRequired[bool]
    route_table_ids: NotRequired[dict[str, pulumi.Input[str]]]
    """The VPC route tables (key -> id) that get the network's routes towards the core network."""
    region: NotRequired[str]
    """Region of the VPC (its routes are created there)."""


class CloudWanCoreArgs(TypedDict):
    core: s.CloudWanCoreSpec
    vpcs: NotRequired[dict[str, WanVpcRefArgs]]
    """The VPC of every `network` attachment, by network name."""
    vpc_routes: NotRequired[dict[str, list[str]]]
    """Network name -> the prefixes its VPC route tables send to the core network."""
    stack: NotRequired[str]


class CloudWanCore(pulumi.ComponentResource):
    """A Cloud WAN global and core network, its policy (generated from the spec) and VPC attachments."""

    global_network_id: pulumi.Output[str]
    core_network_id: pulumi.Output[str]
    core_network_arn: pulumi.Output[str]
    attachment_ids: pulumi.Output[dict[str, str]]
    policy_document: pulumi.Output[str]

    def __init__(self, name: str, args: CloudWanCoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        core = _section(m.CloudWanCore, name, args, "core")
        super().__init__(f"{PACKAGE}:index:CloudWanCore", name, {}, opts)
        wan = c.CloudWanCore(name, c.CloudWanCoreArgs(
            core, vpcs={k: c.WanVpcRef(**v) for k, v in args.get("vpcs", {}).items()},
            **_rest(args, "core", "vpcs")), _child(self))
        _publish(self, global_network_id=wan.global_network_id, core_network_id=wan.core_network_id,
                 core_network_arn=wan.core_network_arn, attachment_ids=wan.attachment_ids,
                 policy_document=wan.policy_document)


class AttachedVpcArgs(TypedDict):
    vpc_id: pulumi.Input[str]
    vpc_arn: pulumi.Input[str]
    subnet_ids: dict[str, pulumi.Input[str]]
    subnet_arns: dict[str, pulumi.Input[str]]
    ipv6: NotRequired[bool]
    region: NotRequired[str]
    """The VPC's region: where its routes towards a Cloud WAN core are created."""


class HubAttachmentArgs(TypedDict):
    attachment: s.HubAttachmentSpec
    vpc: AttachedVpcArgs
    hub_id: pulumi.Input[str]
    """Transit gateway id, or Cloud WAN core network id (the hub stack's `hubIds`)."""
    transit_gateway: NotRequired[s.TransitGatewaySpec]
    """The hub's spec when it is a Transit Gateway (from the file that declares it). Give this or cloud_wan."""
    cloud_wan: NotRequired[s.CloudWanCoreSpec]
    """The hub's spec when it is a Cloud WAN core network."""
    route_table_ids: NotRequired[dict[str, pulumi.Input[str]]]
    """Transit Gateway: its route tables' ids by name (the hub stack's `routeTableIds`)."""
    vpc_route_table_ids: NotRequired[dict[str, pulumi.Input[str]]]
    """The attached network's route tables (key -> id) that get `vpc_routes` towards the hub."""
    vpc_routes: NotRequired[list[str]]
    """The prefixes the network sends to the hub."""
    stack: NotRequired[str]


class HubAttachment(pulumi.ComponentResource):
    """A team's network attached to a hub another stack owns, wired into its route tables or segment."""

    attachment_id: pulumi.Output[str]

    def __init__(self, name: str, args: HubAttachmentArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        attachment = _section(m.HubAttachment, name, args, "attachment")
        hubs: list[m.TransitGateway | m.CloudWanCore] = []
        if "transit_gateway" in args:
            hubs.append(_section(m.TransitGateway, name, args, "transit_gateway"))
        if "cloud_wan" in args:
            hubs.append(_section(m.CloudWanCore, name, args, "cloud_wan"))
        if len(hubs) != 1:
            raise c.ComponentArgsError(name, ["give the hub's spec as exactly one of transit_gateway or cloud_wan"])
        super().__init__(f"{PACKAGE}:index:HubAttachment", name, {}, opts)
        att = c.HubAttachment(name, c.HubAttachmentArgs(
            hubs[0], attachment, c.AttachedVpc(**args["vpc"]),
            **_rest(args, "attachment", "vpc", "transit_gateway", "cloud_wan")), _child(self))
        _publish(self, attachment_id=att.attachment_id)


class AwsGcpInterconnectArgs(TypedDict):
    interconnect: s.InterconnectSpec
    gcp_network: pulumi.Input[str]
    """The Google network the transport peers with (its id, e.g. projects/p/global/networks/n)."""
    transit_gateway_attach_points: NotRequired[list[TgwAttachPointArgs]]
    """The Transit Gateways that declare the interconnect."""
    cloud_wan_attach_points: NotRequired[list[WanAttachPointArgs]]
    """The Cloud WAN core networks that declare the interconnect."""
    stack: NotRequired[str]


class AwsGcpInterconnect(pulumi.ComponentResource):
    """AWS Interconnect - multicloud and Google Partner Cross-Cloud Interconnect, as one link: the Direct Connect
    gateway and its hub attachments, the connection, the transport and its peering."""

    dx_gateway_id: pulumi.Output[str]
    dx_gateway_arn: pulumi.Output[str]
    transport_id: pulumi.Output[str]
    connection_id: pulumi.Output[str]
    connection_arn: pulumi.Output[str]
    activation_key: pulumi.Output[str]
    """Secret."""
    hub_attachment_ids: pulumi.Output[dict[str, str]]
    advertised_routes: pulumi.Output[list[str]]
    remote_profile: pulumi.Output[str]

    def __init__(self, name: str, args: AwsGcpInterconnectArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        ic = _section(m.Interconnect, name, args, "interconnect")
        super().__init__(f"{PACKAGE}:index:AwsGcpInterconnect", name, {}, opts)
        link = c.AwsGcpInterconnect(name, c.AwsGcpInterconnectArgs(
            ic, args["gcp_network"], attach=_attach_points(args), stack=args.get("stack")), _child(self))
        _publish(self, dx_gateway_id=link.dx_gateway_id, dx_gateway_arn=link.dx_gateway_arn,
                 transport_id=link.transport_id, connection_id=link.connection_id,
                 connection_arn=link.connection_arn, activation_key=link.activation_key,
                 hub_attachment_ids=link.hub_attachment_ids, advertised_routes=link.advertised_routes,
                 remote_profile=link.remote_profile)


class DirectConnectLinkArgs(TypedDict):
    link: s.ExternalLinkSpec
    transit_gateway_attach_points: NotRequired[list[TgwAttachPointArgs]]
    """The Transit Gateways that declare the link."""
    cloud_wan_attach_points: NotRequired[list[WanAttachPointArgs]]
    """The Cloud WAN core networks that declare the link."""
    stack: NotRequired[str]


class DirectConnectLink(pulumi.ComponentResource):
    """A Direct Connect link to another network (a partner's hosted connection): gateway, hub attachments and the
    transit virtual interface."""

    dx_gateway_id: pulumi.Output[str]
    dx_gateway_arn: pulumi.Output[str]
    virtual_interface_id: pulumi.Output[str] | None
    """Set when the link's connection_id is given."""
    hub_attachment_ids: pulumi.Output[dict[str, str]]

    def __init__(self, name: str, args: DirectConnectLinkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        spec = _section(m.ExternalLink, name, args, "link")
        super().__init__(f"{PACKAGE}:index:DirectConnectLink", name, {}, opts)
        link = c.DirectConnectLink(name, c.DirectConnectLinkArgs(
            spec, attach=_attach_points(args), stack=args.get("stack")), _child(self))
        _publish(self, dx_gateway_id=link.dx_gateway_id, dx_gateway_arn=link.dx_gateway_arn,
                 virtual_interface_id=link.virtual_interface_id, hub_attachment_ids=link.hub_attachment_ids)


class ProbeArgs(TypedDict):
    name: str
    """The link the probe measures."""
    source_subnet_arn: pulumi.Input[str]
    """The AWS subnet the probe runs from."""
    destination: pulumi.Input[str]
    """The IP address on the far side of the link (checked once known)."""
    protocol: NotRequired[str]
    """ICMP (default) or TCP."""
    port: NotRequired[int]
    latency_alarm_ms: NotRequired[float]
    loss_alarm_percent: NotRequired[float]
    alarm_actions: NotRequired[list[pulumi.Input[str]]]
    """Where this probe's alarms notify (SNS topic ARNs); empty: the component's."""


class FlowLogTargetArgs(TypedDict):
    name: str
    """Spec name of the VPC or hub."""
    vpc_id: NotRequired[pulumi.Input[str]]
    transit_gateway_id: NotRequired[pulumi.Input[str]]


class LinkMonitoringArgs(TypedDict):
    region: NotRequired[str]
    probes: NotRequired[list[ProbeArgs]]
    flow_logs: NotRequired[list[FlowLogTargetArgs]]
    account_id: NotRequired[pulumi.Input[str]]
    """The AWS account of the flow logs; pins the log role's trust to it."""
    aggregation_period: NotRequired[int]
    """30 or 60 seconds (default)."""
    retention_days: NotRequired[int]
    alarm_actions: NotRequired[list[pulumi.Input[str]]]
    """Alarm actions for probes that name none. Empty: an encrypted SNS topic is created."""
    stack: NotRequired[str]


class LinkMonitoring(pulumi.ComponentResource):
    """Network Synthetic Monitor probes with latency and loss alarms, and flow logs of VPCs and hubs."""

    probe_ids: pulumi.Output[dict[str, str]]
    alarm_arns: pulumi.Output[dict[str, str]]
    alarm_topic_arn: pulumi.Output[str] | None
    """The SNS topic created when no alarm actions are given."""
    log_group_name: pulumi.Output[str] | None
    flow_log_ids: pulumi.Output[dict[str, str]]

    def __init__(self, name: str, args: LinkMonitoringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(f"{PACKAGE}:index:LinkMonitoring", name, {}, opts)
        mon = c.LinkMonitoring(name, c.LinkMonitoringArgs(
            probes=[c.ProbeArgs(**p) for p in args.get("probes", [])],  # type: ignore[arg-type]  # protocol: checked by the component
            flow_logs=[c.FlowLogTarget(**f) for f in args.get("flow_logs", [])],
            **_rest(args, "probes", "flow_logs")), _child(self))
        _publish(self, probe_ids=mon.probe_ids, alarm_arns=mon.alarm_arns, alarm_topic_arn=mon.alarm_topic_arn,
                 log_group_name=mon.log_group_name, flow_log_ids=mon.flow_log_ids)


class EndpointAddressArgs(TypedDict):
    subnet_id: pulumi.Input[str]
    zone: str
    """Availability zone of the subnet: an endpoint needs addresses in two zones or more."""
    ip: NotRequired[str]
    """Fixed address (needed when others forward to it); unset lets AWS pick one."""


class ResolverEndpointArgs(TypedDict):
    name: str
    direction: str
    """inbound or outbound."""
    addresses: list[EndpointAddressArgs]
    allowed_sources: NotRequired[list[str]]
    """Inbound only: the CIDRs allowed to query the endpoint."""


class DnsTargetArgs(TypedDict):
    ip: pulumi.Input[str]
    """A name server's address (checked once known)."""
    port: NotRequired[int]


class AllocatedDnsTargetsArgs(TypedDict):
    """Name servers whose addresses a provider allocates (the inbound forwarders of a Cloud DNS server policy)."""

    addresses: pulumi.Input[list[str]]
    ranges: list[str]
    """CIDRs the addresses are allocated from."""
    port: NotRequired[int]


class ResolverRuleArgs(TypedDict):
    name: str
    domain: str
    endpoint: str
    """Name of an outbound endpoint of this component."""
    targets: NotRequired[list[DnsTargetArgs]]
    """Fixed name servers."""
    allocated_targets: NotRequired[list[AllocatedDnsTargetsArgs]]
    """Name servers a provider allocates (e.g. a Cloud DNS inbound policy's forwarders)."""
    vpc_ids: NotRequired[dict[str, pulumi.Input[str]]]
    """VPCs (key -> id) the rule is associated with."""


class ResolverForwardingArgs(TypedDict):
    vpc_id: pulumi.Input[str]
    """The VPC the endpoints live in."""
    region: NotRequired[str]
    endpoints: NotRequired[list[ResolverEndpointArgs]]
    rules: NotRequired[list[ResolverRuleArgs]]
    stack: NotRequired[str]


class ResolverForwarding(pulumi.ComponentResource):
    """Route 53 Resolver endpoints (with security groups admitting exactly their sources) and forwarding rules."""

    endpoint_ids: pulumi.Output[dict[str, str]]
    inbound_addresses: pulumi.Output[dict[str, list[str]]]
    security_group_ids: pulumi.Output[dict[str, str]]
    rule_ids: pulumi.Output[dict[str, str]]

    def __init__(self, name: str, args: ResolverForwardingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(f"{PACKAGE}:index:ResolverForwarding", name, {}, opts)
        endpoints = [c.ResolverEndpointArgs(**_rest(e, "addresses"),
                                            addresses=[c.EndpointAddress(**a) for a in e["addresses"]])
                     for e in args.get("endpoints", [])]
        rules = [c.ResolverRuleArgs(**{
            **_rest(r, "targets", "allocated_targets"),
            "targets": [*(c.DnsTarget(**t) for t in r.get("targets", [])),
                        *(c.AllocatedDnsTargets(**t) for t in r.get("allocated_targets", []))],
        }) for r in args.get("rules", [])]
        fwd = c.ResolverForwarding(name, c.ResolverForwardingArgs(
            endpoints=endpoints, rules=rules, **_rest(args, "endpoints", "rules")), _child(self))
        _publish(self, endpoint_ids=fwd.endpoint_ids, inbound_addresses=fwd.inbound_addresses,
                 security_group_ids=fwd.security_group_ids, rule_ids=fwd.rule_ids)


class ForwardingZoneArgs(TypedDict):
    name: str
    domain: str
    networks: dict[str, pulumi.Input[str]]
    """Networks (key -> id or URL) that see the zone."""
    targets: list[DnsTargetArgs]
    """Target name servers (port 53: Cloud DNS forwards to no other port)."""
    private_routing: NotRequired[bool]
    """forwarding_path private (default): through the VPC, needed for targets reached over an interconnect."""


class ForwarderSubnetArgs(TypedDict):
    self_link: pulumi.Input[str]
    region: str


class InboundPolicyArgs(TypedDict):
    name: str
    networks: NotRequired[dict[str, pulumi.Input[str]]]
    subnets: NotRequired[dict[str, ForwarderSubnetArgs]]
    """The subnetworks of the policy's networks: where the inbound forwarder addresses are read."""
    addresses: NotRequired[list[str]]
    """The addresses expected; when given, the read addresses must be exactly these."""


class CloudDnsForwardingArgs(TypedDict):
    project: NotRequired[pulumi.Input[str]]
    zones: NotRequired[list[ForwardingZoneArgs]]
    inbound_policies: NotRequired[list[InboundPolicyArgs]]
    stack: NotRequired[str]


class CloudDnsForwarding(pulumi.ComponentResource):
    """Cloud DNS forwarding zones and inbound server policies, with the forwarder addresses Google allocates."""

    zone_names: pulumi.Output[dict[str, str]]
    policy_ids: pulumi.Output[dict[str, str]]
    forwarder_addresses: pulumi.Output[dict[str, list[str]]]
    return_path_prefix: pulumi.Output[str]
    """Where Cloud DNS forwarding queries come from (35.199.192.0/19): what the targets' side must route back."""

    def __init__(self, name: str, args: CloudDnsForwardingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(f"{PACKAGE}:index:CloudDnsForwarding", name, {}, opts)
        zones = [c.ForwardingZoneArgs(**_rest(z, "targets"), targets=[c.DnsTarget(**t) for t in z["targets"]])
                 for z in args.get("zones", [])]
        policies = [c.InboundPolicyArgs(**_rest(p, "subnets"),
                                        subnets={k: c.ForwarderSubnet(**v) for k, v in p.get("subnets", {}).items()})
                    for p in args.get("inbound_policies", [])]
        dns = c.CloudDnsForwarding(name, c.CloudDnsForwardingArgs(
            zones=zones, inbound_policies=policies, **_rest(args, "zones", "inbound_policies")), _child(self))
        _publish(self, zone_names=dns.zone_names, policy_ids=dns.policy_ids,
                 forwarder_addresses=dns.forwarder_addresses, return_path_prefix=dns.return_path_prefix)


class OperatorRoleArgs(TypedDict):
    regions: list[str]
    """Regions of the hubs and interconnects the operators change."""
    account_id: NotRequired[str]
    """The AWS account of the interconnect and hubs; its root may assume the role unless `principals` is given."""
    principals: NotRequired[list[str]]
    """IAM ARNs that may assume the role."""
    max_session_seconds: NotRequired[int]
    stack: NotRequired[str]


class OperatorRole(pulumi.ComponentResource):
    """The role operators change the interconnect and hubs with: least privilege, deletes denied without MFA."""

    role_arn: pulumi.Output[str]
    policy: pulumi.Output[str]
    """The role's policy document (JSON)."""

    def __init__(self, name: str, args: OperatorRoleArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(f"{PACKAGE}:index:OperatorRole", name, {}, opts)
        role = c.OperatorRole(name, c.OperatorRoleArgs(
            account_id=args.get("account_id"), **_rest(args, "account_id")), _child(self))
        _publish(self, role_arn=role.role_arn, policy=role.policy)


COMPONENTS: list[type[pulumi.ComponentResource]] = [
    Stack, OidcTrustRole, OidcIssuer, GcpWorkloadIdentityForAws, AwsNetwork, GcpNetwork, TransitHub, CloudWanCore,
    HubAttachment, AwsGcpInterconnect, DirectConnectLink, LinkMonitoring, ResolverForwarding, CloudDnsForwarding,
    OperatorRole,
]


def _child(parent: pulumi.Resource) -> pulumi.ResourceOptions:
    """The Python component is the only child: it inherits protect, providers and aliases from its parent."""
    return pulumi.ResourceOptions(parent=parent)


def _section(model: type[M], component: str, args: Mapping[str, Any], key: str) -> M:
    """The spec section `args[key]`, validated by its model. Sections are plain values (they are checked before
    anything is registered, as a stack file is): an Output inside one is refused with where it is."""
    path = _first_output(args[key])
    if path is not None:
        raise SpecError([Problem(Location(f"{component}: {key}", 0, 0), path,
                                 "is an Output; a spec section takes plain values (ids of other resources go "
                                 "in the component's other inputs)")])
    return load_section(model, args[key], f"{component}: {key}")


def _first_output(value: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    if isinstance(value, pulumi.Output):
        return path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _first_output(item, (*path, key))
        if found is not None:
            return found
    return None


def _rest(args: Mapping[str, Any], *taken: str) -> dict[str, Any]:
    """The arguments not converted by hand: they pass to the Python Args under the same (snake_case) names."""
    return {k: v for k, v in args.items() if k not in taken}


def _tgw_point(point: Mapping[str, Any]) -> c.TgwAttachPoint:
    return c.TgwAttachPoint(**_rest(point, "routes"), routes=[c.TgwRoute(**r) for r in point.get("routes", [])])


def _attach_points(args: Mapping[str, Any]) -> list[c.TgwAttachPoint | c.WanAttachPoint]:
    return [*(_tgw_point(p) for p in args.get("transit_gateway_attach_points", [])),
            *(c.WanAttachPoint(**p) for p in args.get("cloud_wan_attach_points", []))]


def _publish(component: pulumi.ComponentResource, **outputs: Any) -> None:
    """Set each output (plain values, dicts of Outputs, Outputs) as an Output attribute and register them all.
    None stays None: an optional output the component did not create."""
    registered = {}
    for name, value in outputs.items():
        output = None if value is None else pulumi.Output.from_input(value)
        setattr(component, name, output)
        if output is not None:
            registered[_camel(name)] = output
    component.register_outputs(registered)


def provider(version: str | None = None) -> Any:
    """The component provider (what `provider/__main__.py` hosts): its schema and `construct`."""
    from importlib.metadata import version as installed

    from pulumi.provider.experimental.component import ComponentProvider

    return ComponentProvider(COMPONENTS, PACKAGE, None, version or installed("xcloud-iac"))


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)


def _snake(camel: str) -> str:
    return "".join(f"_{ch.lower()}" if ch.isupper() else ch for ch in camel)
