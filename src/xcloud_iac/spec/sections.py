"""The spec sections the component provider takes, as TypedDicts. Generated from the models by
`xcloud_iac.spec.schema.sections_source`; do not edit (tests/test_component_provider.py regenerates it
with XCLOUD_UPDATE_GOLDEN=1)."""

from typing import NotRequired, TypedDict

from .models import Cloud, StackType

__all__ = ["Cloud", "CloudWanCoreSpec", "EdgeSpec", "ExternalLinkSpec", "HubAttachmentSpec", "InterconnectAwsSpec", "InterconnectGcpSpec", "InterconnectSpec", "LinkAwsSpec", "LinkRemoteSpec", "MonitoringSpec", "NetworkSpec", "PortRuleSpec", "RouteTableSpec", "SegmentSpec", "StackType", "StaticRouteSpec", "SubnetSpec", "TgwAttachmentSpec", "TransitGatewaySpec", "WaiverSpec", "WanAttachmentSpec"]


class WaiverSpec(TypedDict):
    """Accepts one rule's findings on this object, for a stated reason."""

    rule: str
    """The rule id to waive, e.g. XC502."""
    reason: str
    """Why the finding is accepted. Required; shown in reports."""


class SubnetSpec(TypedDict):
    name: str
    """Subnet key, referred to by attachments and resolver endpoints."""
    cidr: str
    """Subnet range; must lie inside one of the network's CIDRs."""
    zone: str
    """Availability zone (AWS, e.g. us-east-1a) or zone of the subnet."""
    id: NotRequired[str]
    """Existing subnet id (subnet-...), if the subnet is not created."""


class PortRuleSpec(TypedDict):
    """One protocol (and, for tcp and udp, ports) that peer networks may reach a Google network on."""

    protocol: str
    """IP protocol; icmp also admits ICMPv6 in the IPv6 rule of a dual-stack network. One of: tcp, udp, icmp, esp, ah, sctp."""
    ports: NotRequired[list[str]]
    """Ports or port ranges ('443', '8000-8080'), tcp, udp and sctp only. Empty means every port of the protocol."""


class NetworkSpec(TypedDict):
    """One VPC or VNet. Networks in external clouds are declared, not managed: their ranges, DNS and issuers."""

    name: str
    """Stable name; logical resource names derive from it. To rename, list the old name in previous_names: the resources are then renamed in place (Pulumi aliases), not replaced."""
    previous_names: NotRequired[list[str]]
    """Names this object had before, oldest first. Each becomes an alias of the resources named after it, so a rename updates them in place. Keep an entry until every stack that deployed the old name has been updated."""
    ignore: NotRequired[list[WaiverSpec]]
    """Rules waived on this object, with reasons."""
    cloud: Cloud
    """Which cloud the network lives in. Only aws and gcp networks are deployed."""
    region: str
    """Region of the network (AWS or Google region for managed clouds)."""
    account: NotRequired[str]
    """AWS account id or Google project id that owns it."""
    cidrs: list[str]
    """Address ranges of the network (IPv4 and IPv6)."""
    stack_type: NotRequired[StackType]
    """IP stack: ipv4, dual (IPv4 and IPv6), or ipv6 (IPv6-only: Google and external networks)."""
    mtu: NotRequired[int]
    """Interface MTU. Unset means the cloud default (AWS 9001, Google 1460)."""
    existing_id: NotRequired[str]
    """Id of an existing VPC/network to use instead of creating one."""
    subnets: NotRequired[list[SubnetSpec]]
    """Subnets used by attachments and DNS endpoints."""
    private_zones: NotRequired[list[str]]
    """Private DNS zones (Route 53 private hosted zones / Cloud DNS) attached here."""
    flow_logs: NotRequired[bool]
    """Enable flow logs on this network when it is attached to a hub."""
    route_table_ids: NotRequired[list[str]]
    """aws, existing VPC (existing_id) only: ids of existing route tables (rtb-...) that get the routes towards the hubs, for the subnets the stack does not create. Subnets the stack creates get a route table of their own."""
    peer_ingress: NotRequired[list[PortRuleSpec]]
    """gcp only: what the networks that reach this one (by the routing model) may reach it on; an ingress firewall rule admits exactly their ranges, with logging. Default: tcp 443 and icmp."""


class StaticRouteSpec(TypedDict):
    """A static route in a Transit Gateway route table: to an attachment, or a blackhole."""

    prefix: str
    """Destination prefix."""
    attachment: NotRequired[str]
    """Target attachment name in the same hub."""
    blackhole: NotRequired[bool]
    """Drop traffic to the prefix instead of forwarding it."""


class RouteTableSpec(TypedDict):
    name: str
    """Stable name; logical resource names derive from it. To rename, list the old name in previous_names: the resources are then renamed in place (Pulumi aliases), not replaced."""
    previous_names: NotRequired[list[str]]
    """Names this object had before, oldest first. Each becomes an alias of the resources named after it, so a rename updates them in place. Keep an entry until every stack that deployed the old name has been updated."""
    ignore: NotRequired[list[WaiverSpec]]
    """Rules waived on this object, with reasons."""
    routes: NotRequired[list[StaticRouteSpec]]
    """Static and blackhole routes."""


class TgwAttachmentSpec(TypedDict):
    """Attachment of a network, interconnect, external link or peer hub to a Transit Gateway."""

    name: str
    """Stable name; logical resource names derive from it. To rename, list the old name in previous_names: the resources are then renamed in place (Pulumi aliases), not replaced."""
    previous_names: NotRequired[list[str]]
    """Names this object had before, oldest first. Each becomes an alias of the resources named after it, so a rename updates them in place. Keep an entry until every stack that deployed the old name has been updated."""
    ignore: NotRequired[list[WaiverSpec]]
    """Rules waived on this object, with reasons."""
    network: NotRequired[str]
    """VPC to attach (an aws network in the hub's region)."""
    subnets: NotRequired[list[str]]
    """Subnet names of the VPC, one per zone used."""
    interconnect: NotRequired[str]
    """Interconnect whose Direct Connect gateway attaches here."""
    link: NotRequired[str]
    """External link whose Direct Connect gateway attaches here."""
    peer: NotRequired[str]
    """Another Transit Gateway to peer with (static routes only)."""
    route_table: NotRequired[str]
    """Route table the attachment is associated with."""
    propagate_to: NotRequired[list[str]]
    """Route tables the attachment propagates into."""


class TransitGatewaySpec(TypedDict):
    """An AWS Transit Gateway. Default association and propagation are off: every table is declared."""

    name: str
    """Stable name; logical resource names derive from it. To rename, list the old name in previous_names: the resources are then renamed in place (Pulumi aliases), not replaced."""
    previous_names: NotRequired[list[str]]
    """Names this object had before, oldest first. Each becomes an alias of the resources named after it, so a rename updates them in place. Keep an entry until every stack that deployed the old name has been updated."""
    ignore: NotRequired[list[WaiverSpec]]
    """Rules waived on this object, with reasons."""
    kind: str
    """Hub kind. One of: transit_gateway."""
    region: str
    """AWS region, e.g. us-east-1."""
    account: NotRequired[str]
    """AWS account id."""
    asn: NotRequired[int]
    """Amazon side ASN of the Transit Gateway."""
    route_tables: list[RouteTableSpec]
    """Route tables of the hub."""
    attachments: NotRequired[list[TgwAttachmentSpec]]
    """What is attached to the hub."""
    protect: NotRequired[bool]
    """Protect the hub from deletion."""
    existing_id: NotRequired[str]
    """Id of an existing Transit Gateway (tgw-...)."""


class EdgeSpec(TypedDict):
    region: str
    """AWS region, e.g. us-east-1."""
    asn: NotRequired[int]
    """ASN of the edge; allocated from asn_ranges when unset."""


class SegmentSpec(TypedDict):
    name: str
    """Stable name; logical resource names derive from it. To rename, list the old name in previous_names: the resources are then renamed in place (Pulumi aliases), not replaced."""
    previous_names: NotRequired[list[str]]
    """Names this object had before, oldest first. Each becomes an alias of the resources named after it, so a rename updates them in place. Keep an entry until every stack that deployed the old name has been updated."""
    ignore: NotRequired[list[WaiverSpec]]
    """Rules waived on this object, with reasons."""
    share_with: NotRequired[list[str]]
    """Segments this one shares routes with (both ways)."""
    isolate_attachments: NotRequired[bool]
    """Attachments in the segment cannot reach each other."""
    require_acceptance: NotRequired[bool]
    """New attachments wait for acceptance."""
    edge_locations: NotRequired[list[str]]
    """Regions of the segment; empty means all edges."""
    routes: NotRequired[list[StaticRouteSpec]]
    """Static routes of the segment."""


class WanAttachmentSpec(TypedDict):
    name: str
    """Stable name; logical resource names derive from it. To rename, list the old name in previous_names: the resources are then renamed in place (Pulumi aliases), not replaced."""
    previous_names: NotRequired[list[str]]
    """Names this object had before, oldest first. Each becomes an alias of the resources named after it, so a rename updates them in place. Keep an entry until every stack that deployed the old name has been updated."""
    ignore: NotRequired[list[WaiverSpec]]
    """Rules waived on this object, with reasons."""
    network: NotRequired[str]
    """VPC to attach."""
    subnets: NotRequired[list[str]]
    """Subnet names of the VPC."""
    interconnect: NotRequired[str]
    """Interconnect whose Direct Connect gateway attaches here."""
    link: NotRequired[str]
    """External link whose Direct Connect gateway attaches here."""
    segment: str
    """Segment the attachment joins."""


class CloudWanCoreSpec(TypedDict):
    """An AWS Cloud WAN global network and core network; the policy document is generated from it."""

    name: str
    """Stable name; logical resource names derive from it. To rename, list the old name in previous_names: the resources are then renamed in place (Pulumi aliases), not replaced."""
    previous_names: NotRequired[list[str]]
    """Names this object had before, oldest first. Each becomes an alias of the resources named after it, so a rename updates them in place. Keep an entry until every stack that deployed the old name has been updated."""
    ignore: NotRequired[list[WaiverSpec]]
    """Rules waived on this object, with reasons."""
    kind: str
    """Hub kind. One of: cloud_wan."""
    asn_ranges: NotRequired[list[str]]
    """ASN ranges for edges, as 'low-high'."""
    edges: list[EdgeSpec]
    """Edge locations (regions) of the core network."""
    segments: list[SegmentSpec]
    """Segments of the core network."""
    attachments: NotRequired[list[WanAttachmentSpec]]
    """VPC and Direct Connect attachments."""
    protect: NotRequired[bool]
    """Protect the core network from deletion."""


class HubAttachmentSpec(TypedDict):
    """A network of this file attached to a hub that another file of the organisation declares. The hub's file keeps creating the hub; this file's deployment creates the attachment and wires it into the hub's route tables (Transit Gateway) or segment (Cloud WAN), with the hub's ids from the outputs of `hub_stack`."""

    name: str
    """Stable name; logical resource names derive from it. To rename, list the old name in previous_names: the resources are then renamed in place (Pulumi aliases), not replaced."""
    previous_names: NotRequired[list[str]]
    """Names this object had before, oldest first. Each becomes an alias of the resources named after it, so a rename updates them in place. Keep an entry until every stack that deployed the old name has been updated."""
    ignore: NotRequired[list[WaiverSpec]]
    """Rules waived on this object, with reasons."""
    hub: str
    """The hub, declared in another file checked together with this one."""
    hub_stack: NotRequired[str]
    """The Pulumi stack that deploys the hub (org/project/stack); its outputs hubIds and routeTableIds give the ids this file's deployment attaches to. Required to deploy."""
    network: str
    """The aws network of this file to attach."""
    subnets: list[str]
    """Subnet names of the VPC, one per zone used."""
    route_table: NotRequired[str]
    """Transit Gateway: the route table it is associated with."""
    propagate_to: NotRequired[list[str]]
    """Transit Gateway: tables it propagates into."""
    segment: NotRequired[str]
    """Cloud WAN: the segment the attachment joins."""


class InterconnectAwsSpec(TypedDict):
    region: str
    """AWS region, e.g. us-east-1."""
    account: NotRequired[str]
    """AWS account id."""
    dx_gateway_asn: int
    """Amazon side ASN of the Direct Connect gateway (differs from the hub's)."""
    allowed_prefixes: list[str]
    """Allow-list: prefixes AWS advertises to Google (Direct Connect gateway association)."""
    environment_id: NotRequired[str]
    """AWS Interconnect environment id, when AWS creates the connection (key from AWS)."""


class InterconnectGcpSpec(TypedDict):
    region: str
    """Google Cloud region, e.g. us-east4."""
    project: str
    """Google Cloud project id."""
    network: str
    """The gcp network the transport connects."""
    allowed_prefixes: list[str]
    """Allow-list: prefixes Google may advertise to AWS."""
    advertised_prefixes: NotRequired[list[str]]
    """Routes the transport advertises (advertised_routes). Unset means exactly the allow-list."""


class MonitoringSpec(TypedDict):
    """Synthetic probe and alarms across a link, and flow logs on what it connects."""

    enabled: NotRequired[bool]
    """Set false to deploy no monitoring (XC604 then fires)."""
    source_network: NotRequired[str]
    """AWS network the probe runs from."""
    source_subnet: NotRequired[str]
    """Subnet of source_network the probe runs from."""
    destination: NotRequired[str]
    """Address on the far side to probe."""
    protocol: NotRequired[str]
    """Probe protocol. One of: ICMP, TCP."""
    port: NotRequired[int]
    """Destination port for TCP probes."""
    latency_alarm_ms: NotRequired[float]
    """Alarm when round-trip latency exceeds this."""
    loss_alarm_percent: NotRequired[float]
    """Alarm when packet loss exceeds this."""
    alarm_topic_arn: NotRequired[str]
    """SNS topic the probe's alarms notify. Unset: deploy() creates one per AWS region, encrypted with a customer managed KMS key CloudWatch may use."""


class InterconnectSpec(TypedDict):
    """AWS Interconnect - multicloud <-> Google Partner Cross-Cloud Interconnect, one logical connection."""

    name: str
    """Stable name; logical resource names derive from it. To rename, list the old name in previous_names: the resources are then renamed in place (Pulumi aliases), not replaced."""
    previous_names: NotRequired[list[str]]
    """Names this object had before, oldest first. Each becomes an alias of the resources named after it, so a rename updates them in place. Keep an entry until every stack that deployed the old name has been updated."""
    ignore: NotRequired[list[WaiverSpec]]
    """Rules waived on this object, with reasons."""
    aws: InterconnectAwsSpec
    """AWS side."""
    gcp: InterconnectGcpSpec
    """Google Cloud side."""
    bandwidth: str
    """Bandwidth, e.g. 1Gbps (AWS) or BPS_1G (Google)."""
    stack_type: NotRequired[str]
    """IP stack carried by the link: ipv4 or dual. One of: ipv4, dual."""
    mtu: NotRequired[int]
    """MTU of the link; both sides must match it."""
    activation_key_from: NotRequired[str]
    """Which side generates the activation key the other side accepts. One of: gcp, aws."""
    critical: NotRequired[bool]
    """Critical links need a second interconnect (XC603)."""
    monitoring: NotRequired[MonitoringSpec]
    """Probe and alarms (XC604 fires without)."""
    protect: NotRequired[bool]
    """Protect the connection and gateway from deletion."""


class LinkAwsSpec(TypedDict):
    dx_gateway_asn: int
    """Amazon side ASN of the Direct Connect gateway."""
    allowed_prefixes: list[str]
    """Allow-list: prefixes AWS advertises over the link."""


class LinkRemoteSpec(TypedDict):
    network: str
    """The external network at the far end."""
    asn: int
    """ASN of the far end's router."""
    allowed_prefixes: list[str]
    """Allow-list: prefixes the far end may advertise."""
    advertised_prefixes: NotRequired[list[str]]
    """What the far end actually advertises. Unset means exactly the allow-list."""


class ExternalLinkSpec(TypedDict):
    """A Direct Connect link to a network we do not manage (e.g. via Equinix to Alibaba, Tencent or on-prem)."""

    name: str
    """Stable name; logical resource names derive from it. To rename, list the old name in previous_names: the resources are then renamed in place (Pulumi aliases), not replaced."""
    previous_names: NotRequired[list[str]]
    """Names this object had before, oldest first. Each becomes an alias of the resources named after it, so a rename updates them in place. Keep an entry until every stack that deployed the old name has been updated."""
    ignore: NotRequired[list[WaiverSpec]]
    """Rules waived on this object, with reasons."""
    provider: NotRequired[str]
    """Delivery partner or exchange, e.g. equinix."""
    location: str
    """Direct Connect location code, e.g. EqDC2."""
    region: str
    """AWS region, e.g. us-east-1."""
    bandwidth: str
    """Bandwidth of the connection."""
    connection_id: NotRequired[str]
    """Existing dxcon-... id of the hosted connection."""
    vlan: NotRequired[int]
    """VLAN of the transit virtual interface."""
    aws: LinkAwsSpec
    """AWS side."""
    remote: LinkRemoteSpec
    """Far side."""
    stack_type: NotRequired[str]
    """IP stack carried by the link: ipv4 or dual. One of: ipv4, dual."""
    mtu: NotRequired[int]
    """MTU of the link."""
    critical: NotRequired[bool]
    """Critical links need a second link (XC603)."""
    monitoring: NotRequired[MonitoringSpec]
    """Probe and alarms."""
    protect: NotRequired[bool]
    """Protect the gateway from deletion."""
