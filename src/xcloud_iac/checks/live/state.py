"""What `xcloud verify` read from AWS and Google Cloud, as plain data the live rules compare with the spec.

Conventions of every mapping below, keyed by spec name: a key that is absent means the object was not read (an
`Unread` says why, and its checks are skipped); a value of None means it was looked for and is not there (XC701).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from ...spec import models as m

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Unread:
    """Part of the live state that could not be read, and why; the spec object whose checks were skipped."""

    what: str  # e.g. "routes of route table 'prod' of hub 'tgw-use1'"
    reason: str  # e.g. "access denied to ec2:SearchTransitGatewayRoutes: ..."
    obj: m.Model
    region: str | None = None


@dataclass(frozen=True)
class LiveRoute:
    prefix: IPNetwork | None  # None for a route to a prefix list
    prefix_list: str | None
    type: str  # "static" | "propagated"
    state: str  # "active" | "blackhole"
    attachments: tuple[str, ...]  # target attachment ids (empty when the API does not say)

    @property
    def destination(self) -> str:
        return str(self.prefix) if self.prefix is not None else f"prefix list {self.prefix_list}"


@dataclass
class LiveRouteTable:
    id: str
    name: str | None  # the spec table it carries the tag of; None for a table the stack did not create
    routes: list[LiveRoute] | None = None  # None: not read
    associations: set[str] | None = None  # attachment ids
    propagations: set[str] | None = None


@dataclass(frozen=True)
class LiveAttachment:
    id: str
    resource_type: str  # vpc | direct-connect-gateway | peering | vpn | connect | ...
    resource_id: str
    state: str
    name: str | None  # the spec attachment it is; None for one the spec does not declare

    @property
    def label(self) -> str:
        return f"'{self.name}' ({self.id})" if self.name else f"{self.id} ({self.resource_type} {self.resource_id})"


@dataclass
class LiveHub:
    id: str
    region: str
    tables: dict[str, LiveRouteTable] = field(default_factory=dict)  # by table id: every table of the gateway
    attachments: dict[str, LiveAttachment] = field(default_factory=dict)  # by attachment id

    def table(self, name: str) -> LiveRouteTable | None:
        return next((t for t in self.tables.values() if t.name == name), None)

    def attachment(self, name: str) -> LiveAttachment | None:
        return next((a for a in self.attachments.values() if a.name == name), None)

    def attachment_label(self, attachment_id: str) -> str:
        att = self.attachments.get(attachment_id)
        return att.label if att else attachment_id

    def table_label(self, table: LiveRouteTable) -> str:
        return f"'{table.name}' ({table.id})" if table.name else f"{table.id} (not declared in the spec)"


@dataclass(frozen=True)
class LiveDxAssociation:
    id: str
    gateway_id: str  # the associated Transit Gateway, virtual private gateway or Cloud WAN core network
    gateway_type: str  # transitGateway | virtualPrivateGateway | coreNetwork
    state: str
    allowed_prefixes: frozenset[IPNetwork]


@dataclass
class LiveDxGateway:
    id: str
    name: str
    asn: int | None
    associations: list[LiveDxAssociation] | None = None  # None: not read


@dataclass
class LiveResolverEndpoint:
    id: str
    direction: str  # "inbound" | "outbound"
    vpc_id: str
    status: str
    addresses: list[tuple[str, str]] | None = None  # (ip, subnet id); None: not read
    security_group_ids: tuple[str, ...] = ()
    admitted: dict[str, frozenset[IPNetwork]] | None = None  # security group id -> DNS sources it admits; None: not read


@dataclass
class LiveResolverRule:
    id: str
    domain: str  # without the trailing dot
    rule_type: str
    endpoint_id: str | None
    targets: frozenset[tuple[str, int]]
    vpc_ids: set[str] | None = None  # associated VPCs; None: not read


@dataclass(frozen=True)
class LiveOidcProvider:
    arn: str
    url: str
    client_ids: frozenset[str]
    thumbprints: frozenset[str]


@dataclass(frozen=True)
class LiveRole:
    name: str
    arn: str
    trust_policy: dict[str, Any]
    max_session: int


@dataclass(frozen=True)
class LiveCoreNetwork:
    """A Cloud WAN core network: VPC routes towards it name its ARN."""

    id: str
    arn: str
    state: str


@dataclass(frozen=True)
class LiveVpcRoute:
    """A route of a VPC route table (ec2:DescribeRouteTables)."""

    prefix: IPNetwork | None  # None for a route to a prefix list
    prefix_list: str | None
    target: str  # "local", a Transit Gateway id, a core network ARN, igw-/nat-/pcx-/eni-... ; "" when none is given
    state: str  # "active" | "blackhole"

    @property
    def destination(self) -> str:
        return str(self.prefix) if self.prefix is not None else f"prefix list {self.prefix_list}"


@dataclass
class LiveVpcRouteTable:
    id: str
    routes: list[LiveVpcRoute]


# key of the table the stack created for a network's subnets in LiveVpcRoutes.tables (as components.networks keys it)
CREATED_TABLE = "created"


@dataclass
class LiveVpcRoutes:
    """The route tables of a network's VPC that carry its routes towards its hubs: the one the stack created (key
    `created`, found by its tag) and those the spec names (`route_table_ids`, keyed by their id)."""

    vpc_id: str
    tables: dict[str, LiveVpcRouteTable | None] = field(default_factory=dict)  # None: not found in the VPC


# ---------------------------------------------------------------- Google Cloud


@dataclass
class LivePeering:
    """The VPC network peering a Transport creates between the stack's network and Google's transport network."""

    name: str
    state: str  # ACTIVE | INACTIVE
    export_custom_routes: bool
    import_custom_routes: bool
    imported: frozenset[IPNetwork] | None = None  # routes received over the peering; None: not read
    exported: frozenset[IPNetwork] | None = None  # routes sent over it; None: not read


@dataclass
class LiveTransport:
    name: str  # projects/<p>/locations/<region>/transports/<id>
    state: str  # networkconnectivity.v1 Transport.state: ACTIVE, PENDING_KEY, ...
    advertised: frozenset[IPNetwork]
    network: str  # the VPC it peers, as the API gives it (a URL or a projects/... path)
    peering_network: str  # Google's network on the other side of the peering
    bandwidth: str
    stack_type: str
    peering: LivePeering | None = None  # None: no peering towards peering_network (when network_read)
    network_read: bool = False  # the VPC's peerings were read


@dataclass(frozen=True)
class LiveForwardingZone:
    name: str
    dns_name: str  # without the trailing dot
    visibility: str
    targets: frozenset[tuple[str, str]]  # (address, forwarding path: default | private)
    networks: frozenset[str]  # network names (last segment of the URLs)


@dataclass(frozen=True)
class LiveDnsPolicy:
    name: str
    inbound: bool
    networks: frozenset[str]  # network names


@dataclass(frozen=True)
class LiveWorkloadIdentity:
    pool: str  # projects/<p>/locations/global/workloadIdentityPools/<id>
    pool_state: str
    pool_disabled: bool
    provider: str | None  # None: the pool has no provider with the spec's id
    provider_state: str = ""
    provider_disabled: bool = False
    condition: str | None = None
    aws_account: str | None = None


@dataclass(frozen=True)
class LiveFirewall:
    name: str
    direction: str  # INGRESS | EGRESS
    disabled: bool
    allowed: tuple[str, ...]  # "tcp:443", "udp:53", "icmp", "all"
    denied: bool  # a deny rule (admits nothing)
    source_ranges: frozenset[IPNetwork]
    priority: int


@dataclass(frozen=True)
class LiveGcpRoute:
    name: str
    destination: IPNetwork
    next_hop: str


@dataclass
class LiveState:
    stack: str
    hubs: dict[str, LiveHub | None] = field(default_factory=dict)
    dx_gateways: dict[str, LiveDxGateway | None] = field(default_factory=dict)  # by interconnect or link name
    vpcs: dict[str, str] = field(default_factory=dict)  # network name -> VPC id, where known
    endpoints: dict[str, LiveResolverEndpoint | None] = field(default_factory=dict)
    rules: dict[str, LiveResolverRule | None] = field(default_factory=dict)
    oidc_providers: dict[str, LiveOidcProvider | None] = field(default_factory=dict)  # by issuer name
    roles: dict[str, LiveRole | None] = field(default_factory=dict)
    core_networks: dict[str, LiveCoreNetwork | None] = field(default_factory=dict)  # Cloud WAN, by hub name
    # route tables of the VPCs attached to the stack's hubs, by network name; None: the network's VPC was not found
    vpc_routes: dict[str, LiveVpcRoutes | None] = field(default_factory=dict)
    # Google Cloud, by spec name (interconnect, zone, policy, workload identity; firewalls and routes by network)
    transports: dict[str, LiveTransport | None] = field(default_factory=dict)
    gcp_networks: dict[str, str | None] = field(default_factory=dict)  # network name -> its projects/... path
    zones: dict[str, LiveForwardingZone | None] = field(default_factory=dict)
    dns_policies: dict[str, LiveDnsPolicy | None] = field(default_factory=dict)
    workload_identity: dict[str, LiveWorkloadIdentity | None] = field(default_factory=dict)
    firewalls: dict[str, list[LiveFirewall]] = field(default_factory=dict)  # the stack's rules on each network
    gcp_routes: dict[str, list[LiveGcpRoute]] = field(default_factory=dict)  # the stack's routes on each network
    unread: list[Unread] = field(default_factory=list)
