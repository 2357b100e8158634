"""The declarative stack: pydantic models for every object of a multicloud network.

Objects refer to each other by name. Every model forbids unknown fields, and every field carries a description
(it becomes the JSON Schema an editor shows). `Stack.objects()` walks the tree with each object's spec path, which
findings and errors use to point at the YAML.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from . import catalog, formats
from .errors import Location

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# ---------------------------------------------------------------- scalar types


def _prefix(value: Any) -> IPNetwork:
    if isinstance(value, ipaddress.IPv4Network | ipaddress.IPv6Network):
        return value
    if not isinstance(value, str):
        raise ValueError("expected a CIDR string such as 10.0.0.0/16 or 2600:1f18::/56")
    try:
        return ipaddress.ip_network(value.strip(), strict=True)
    except ValueError as exc:
        if "has host bits set" in str(exc):
            fixed = ipaddress.ip_network(value.strip(), strict=False)
            raise ValueError(f"{value!r} has host bits set; did you mean {fixed}?") from None
        raise ValueError(f"{value!r} is not a CIDR; expected e.g. 10.0.0.0/16 or 2600:1f18::/56") from None


def prefix_within(inner: IPNetwork, outer: IPNetwork) -> bool:
    """`inner` lies inside `outer` (False across IP versions, where subnet_of raises)."""
    if isinstance(inner, ipaddress.IPv4Network) and isinstance(outer, ipaddress.IPv4Network):
        return inner.subnet_of(outer)
    if isinstance(inner, ipaddress.IPv6Network) and isinstance(outer, ipaddress.IPv6Network):
        return inner.subnet_of(outer)
    return False


def _address(value: Any) -> IPAddress:
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return value
    if not isinstance(value, str):
        raise ValueError("expected an IP address string such as 10.0.1.10")
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not an IP address; expected e.g. 10.0.1.10") from None


Prefix = Annotated[
    IPNetwork,
    BeforeValidator(_prefix),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "format": "cidr", "examples": ["10.10.0.0/16"]}),
]
Address = Annotated[
    IPAddress,
    BeforeValidator(_address),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "format": "ip-address", "examples": ["10.10.1.10"]}),
]

_NAME_RE = r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"
Name = Annotated[
    str,
    Field(pattern=_NAME_RE, description="Lower-case letters, digits and '-', at most 63 characters."),
]
Ref = Annotated[str, Field(min_length=1)]

_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?$")


def _domain(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a domain name such as rds.amazonaws.com")
    text = value.strip().lower().rstrip(".")
    if text.startswith("*."):
        text = text[2:]
    if not _DOMAIN_RE.match(text):
        raise ValueError(f"{value!r} is not a domain name; expected e.g. corp.example.com")
    return text


Domain = Annotated[
    str,
    BeforeValidator(_domain),
    WithJsonSchema({"type": "string", "examples": ["rds.amazonaws.com"]}),
]


def _bandwidth(value: Any) -> int:
    # only the spellings the clouds use: a bare number (1000, -1000) has no unit and is refused
    if not isinstance(value, str) or (bps := catalog.parse_bandwidth(value)) is None:
        raise ValueError(
            f"{value!r} is not a bandwidth; expected one of {', '.join(catalog.OFFERED_BANDWIDTH_NAMES)}"
            " (or Google's spelling, e.g. BPS_1G)"
        )
    return bps


Bandwidth = Annotated[
    int,
    BeforeValidator(_bandwidth),
    PlainSerializer(catalog.aws_bandwidth, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "description": "Bandwidth in either side's spelling.",
            "examples": list(catalog.OFFERED_BANDWIDTH_NAMES) + ["BPS_1G"],
        }
    ),
]


def _aws_region(value: str) -> str:
    if value not in catalog.AWS_REGIONS:
        raise ValueError(_unknown("AWS region", value, catalog.AWS_REGIONS))
    return value


def _gcp_region(value: str) -> str:
    if value not in catalog.GCP_REGIONS:
        raise ValueError(_unknown("Google Cloud region", value, catalog.GCP_REGIONS))
    return value


AwsRegion = Annotated[str, AfterValidator(_aws_region), Field(description="AWS region, e.g. us-east-1.")]
GcpRegion = Annotated[str, AfterValidator(_gcp_region), Field(description="Google Cloud region, e.g. us-east4.")]


def _asn(value: int) -> int:
    if not 1 <= value <= 4_294_967_295:
        raise ValueError("an ASN is between 1 and 4294967295")
    return value


Asn = Annotated[int, AfterValidator(_asn), Field(description="BGP autonomous system number.")]


class Cloud(StrEnum):
    aws = "aws"
    gcp = "gcp"
    alibaba = "alibaba"
    tencent = "tencent"
    azure = "azure"
    oci = "oci"
    onprem = "onprem"


MANAGED_CLOUDS = frozenset({Cloud.aws, Cloud.gcp})


class StackType(StrEnum):
    ipv4 = "ipv4"
    dual = "dual"
    ipv6 = "ipv6"  # IPv6-only: networks only (Google IPv6-only subnets, external clouds); no link carries it alone


def _link_stack(value: Any) -> Any:
    if value in (StackType.ipv6, "ipv6"):
        raise ValueError("a link carries ipv4 or dual (IPv4 and IPv6); no interconnect or Direct Connect link is "
                         "IPv6-only")
    return value


LinkStackType = Annotated[
    StackType, AfterValidator(_link_stack), WithJsonSchema({"type": "string", "enum": ["ipv4", "dual"]})
]

# ---------------------------------------------------------------- base classes


def _empty_list() -> list[Any]:
    """The default of list fields. Not `list` itself: pydantic reads every default factory's signature when it builds
    a model, and a builtin's means parsing its text signature (about 0.1 ms, some 80 times at import)."""
    return []



class Model(BaseModel):
    """Base of every spec object: unknown fields are errors; each object knows its spec path and file."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_attribute_docstrings=False)

    _path: tuple[str | int, ...] = PrivateAttr(default=())
    _file: str | None = PrivateAttr(default=None)

    @property
    def spec_path(self) -> tuple[str | int, ...]:
        return self._path

    @property
    def spec_file(self) -> str | None:
        return self._file


class Waiver(Model):
    """Accepts one rule's findings on this object, for a stated reason."""

    rule: str = Field(pattern=r"^XC\d{3}$", description="The rule id to waive, e.g. XC502.")
    reason: str = Field(min_length=3, description="Why the finding is accepted. Required; shown in reports.")

    @field_validator("rule")
    @classmethod
    def _known_rule(cls, value: str) -> str:
        if value not in catalog.RULE_IDS:
            close = [r for r in sorted(catalog.RULE_IDS) if r[:4] == value[:4]] or sorted(catalog.RULE_IDS)
            raise ValueError(f"no rule {value} exists, so it cannot be waived. Expected one of: {', '.join(close)}")
        return value

    @field_validator("reason")
    @classmethod
    def _says_why(cls, value: str) -> str:
        if len(value.strip()) < 3:
            raise ValueError("a waiver's reason must say why the finding is accepted (at least 3 characters besides blanks)")
        return value


class Named(Model):
    name: Name = Field(
        description="Stable name; logical resource names derive from it. To rename, list the old name in "
                    "previous_names: the resources are then renamed in place (Pulumi aliases), not replaced."
    )
    previous_names: list[Name] = Field(
        default_factory=_empty_list,
        description="Names this object had before, oldest first. Each becomes an alias of the resources named "
                    "after it, so a rename updates them in place. Keep an entry until every stack that deployed "
                    "the old name has been updated.",
    )
    ignore: list[Waiver] = Field(default_factory=_empty_list, description="Rules waived on this object, with reasons.")

    @field_validator("previous_names")
    @classmethod
    def _distinct_previous_names(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("previous_names lists a name twice")
        if info.data.get("name") in value:
            raise ValueError("previous_names lists the current name")
        return value

    def waives(self, rule: str) -> bool:
        return any(w.rule == rule for w in self.ignore)


# ---------------------------------------------------------------- networks


class Subnet(Model):
    name: Name = Field(description="Subnet key, referred to by attachments and resolver endpoints.")
    cidr: Prefix = Field(description="Subnet range; must lie inside one of the network's CIDRs.")
    zone: str = Field(min_length=1, description="Availability zone (AWS, e.g. us-east-1a) or zone of the subnet.")
    id: str | None = Field(default=None, description="Existing subnet id (subnet-...), if the subnet is not created.")


class PortRule(Model):
    """One protocol (and, for tcp and udp, ports) that peer networks may reach a Google network on."""

    protocol: Literal["tcp", "udp", "icmp", "esp", "ah", "sctp"] = Field(
        description="IP protocol; icmp also admits ICMPv6 in the IPv6 rule of a dual-stack network."
    )
    ports: list[Annotated[str, Field(pattern=r"^\d{1,5}(-\d{1,5})?$")]] = Field(
        default_factory=_empty_list,
        description="Ports or port ranges ('443', '8000-8080'), tcp, udp and sctp only. Empty means every port "
        "of the protocol.",
    )

    @model_validator(mode="after")
    def _ports(self) -> PortRule:
        if self.ports and self.protocol not in ("tcp", "udp", "sctp"):
            raise ValueError(f"protocol {self.protocol} has no ports; ports are for tcp, udp and sctp")
        for text in self.ports:
            low, _, high = text.partition("-")
            if not 1 <= int(low) <= int(high or low) <= 65535:
                raise ValueError(f"port range {text!r} is not within 1-65535, low to high")
        return self


def _default_peer_ingress() -> list[PortRule]:
    return [PortRule(protocol="tcp", ports=["443"]), PortRule(protocol="icmp")]


class Network(Named):
    """One VPC or VNet. Networks in external clouds are declared, not managed: their ranges, DNS and issuers."""

    cloud: Cloud = Field(description="Which cloud the network lives in. Only aws and gcp networks are deployed.")
    region: str = Field(min_length=1, description="Region of the network (AWS or Google region for managed clouds).")
    account: str | None = Field(default=None, description="AWS account id or Google project id that owns it.")
    cidrs: list[Prefix] = Field(min_length=1, description="Address ranges of the network (IPv4 and IPv6).")
    stack_type: StackType = Field(
        default=StackType.ipv4,
        description="IP stack: ipv4, dual (IPv4 and IPv6), or ipv6 (IPv6-only: Google and external networks).",
    )
    mtu: int | None = Field(
        default=None, ge=576, le=9001, description="Interface MTU. Unset means the cloud default (AWS 9001, Google 1460)."
    )
    existing_id: str | None = Field(default=None, description="Id of an existing VPC/network to use instead of creating one.")
    subnets: list[Subnet] = Field(default_factory=_empty_list, description="Subnets used by attachments and DNS endpoints.")
    private_zones: list[Domain] = Field(
        default_factory=_empty_list, description="Private DNS zones (Route 53 private hosted zones / Cloud DNS) attached here."
    )
    flow_logs: bool = Field(default=True, description="Enable flow logs on this network when it is attached to a hub.")
    route_table_ids: list[Annotated[str, Field(pattern=r"^rtb-[0-9a-f]{8,17}$")]] = Field(
        default_factory=_empty_list,
        description="aws, existing VPC (existing_id) only: ids of existing route tables (rtb-...) that get the "
        "routes towards the hubs, for the subnets the stack does not create. Subnets the stack creates get a route "
        "table of their own.",
    )
    peer_ingress: list[PortRule] = Field(
        default_factory=_default_peer_ingress,
        description="gcp only: what the networks that reach this one (by the routing model) may reach it on; an "
        "ingress firewall rule admits exactly their ranges, with logging. Default: tcp 443 and icmp.",
    )

    @field_validator("region")
    @classmethod
    def _region(cls, value: str, info: ValidationInfo) -> str:
        cloud = info.data.get("cloud")
        if cloud is Cloud.aws:
            return _aws_region(value)
        if cloud is Cloud.gcp:
            return _gcp_region(value)
        return value

    @field_validator("account", mode="before")
    @classmethod
    def _account(cls, value: Any, info: ValidationInfo) -> Any:
        cloud = info.data.get("cloud")
        if value is None:
            return value
        if cloud is Cloud.aws:
            return formats.aws_account_id(value)
        if cloud is Cloud.gcp:
            return formats.gcp_project_id(formats._text(value, "a Google Cloud project id"))
        return value

    @field_validator("subnets")
    @classmethod
    def _zones(cls, value: list[Subnet], info: ValidationInfo) -> list[Subnet]:
        cloud, region = info.data.get("cloud"), info.data.get("region")
        if cloud is None or region is None:
            return value
        for subnet in value:
            if (why := formats.zone_in_region(subnet.zone, region, cloud.value)) is not None:
                raise ValueError(f"subnet '{subnet.name}': {why}")
        return value

    @model_validator(mode="after")
    def _check(self) -> Network:
        has_v6 = any(c.version == 6 for c in self.cidrs)
        has_v4 = any(c.version == 4 for c in self.cidrs)
        if self.stack_type is StackType.ipv6:
            if self.cloud is Cloud.aws:
                raise ValueError("an AWS VPC always has an IPv4 CIDR, so it cannot be IPv6-only; use stack_type: dual")
            if has_v4:
                raise ValueError("an IPv6-only network (stack_type: ipv6) has IPv6 CIDRs only; use dual for both")
        elif not has_v4:
            raise ValueError("a network without an IPv4 CIDR is IPv6-only: set stack_type: ipv6")
        if has_v6 and self.stack_type is StackType.ipv4:
            raise ValueError("an IPv6 CIDR needs stack_type: dual (or ipv6 for an IPv6-only network)")
        for subnet in self.subnets:
            if not any(prefix_within(subnet.cidr, c) for c in self.cidrs):
                raise ValueError(f"subnet '{subnet.name}' {subnet.cidr} is outside the network's CIDRs")
        if self.route_table_ids and (self.cloud is not Cloud.aws or self.existing_id is None):
            raise ValueError("route_table_ids names route tables of an existing AWS VPC: set cloud aws and existing_id")
        if len(set(self.route_table_ids)) != len(self.route_table_ids):
            raise ValueError("route_table_ids lists a route table twice")
        return self

    @property
    def effective_mtu(self) -> int:
        return self.mtu or catalog.DEFAULT_MTU.get(self.cloud.value, 1500)

    def subnet(self, name: str) -> Subnet | None:
        return next((s for s in self.subnets if s.name == name), None)


def _unknown(what: str, value: str, allowed: frozenset[str] | tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(value, sorted(allowed), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown {what} '{value}'{hint} Expected one of: {', '.join(sorted(allowed))}"


# ---------------------------------------------------------------- hubs


class StaticRoute(Model):
    """A static route in a Transit Gateway route table: to an attachment, or a blackhole."""

    prefix: Prefix = Field(description="Destination prefix.")
    attachment: Ref | None = Field(default=None, description="Target attachment name in the same hub.")
    blackhole: bool = Field(default=False, description="Drop traffic to the prefix instead of forwarding it.")

    @model_validator(mode="after")
    def _one_target(self) -> StaticRoute:
        if (self.attachment is None) == (not self.blackhole):
            raise ValueError("a static route needs exactly one of 'attachment' or 'blackhole: true'")
        return self


class RouteTable(Named):
    routes: list[StaticRoute] = Field(default_factory=_empty_list, description="Static and blackhole routes.")


class TgwAttachment(Named):
    """Attachment of a network, interconnect, external link or peer hub to a Transit Gateway."""

    network: Ref | None = Field(default=None, description="VPC to attach (an aws network in the hub's region).")
    subnets: list[Ref] = Field(default_factory=_empty_list, description="Subnet names of the VPC, one per zone used.")
    interconnect: Ref | None = Field(default=None, description="Interconnect whose Direct Connect gateway attaches here.")
    link: Ref | None = Field(default=None, description="External link whose Direct Connect gateway attaches here.")
    peer: Ref | None = Field(default=None, description="Another Transit Gateway to peer with (static routes only).")
    route_table: Ref | None = Field(default=None, description="Route table the attachment is associated with.")
    propagate_to: list[Ref] = Field(default_factory=_empty_list, description="Route tables the attachment propagates into.")

    @model_validator(mode="after")
    def _one_target(self) -> TgwAttachment:
        targets = [t for t in (self.network, self.interconnect, self.link, self.peer) if t is not None]
        if len(targets) != 1:
            raise ValueError("an attachment needs exactly one of 'network', 'interconnect', 'link' or 'peer'")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("network", "interconnect", "link", "peer") if getattr(self, k) is not None)

    @property
    def target(self) -> str:
        return getattr(self, self.kind)


class TransitGateway(Named):
    """An AWS Transit Gateway. Default association and propagation are off: every table is declared."""

    kind: Literal["transit_gateway"] = Field(description="Hub kind.")
    region: AwsRegion
    account: formats.AwsAccountId | None = Field(default=None, description="AWS account id.")
    asn: Asn = Field(default=64512, description="Amazon side ASN of the Transit Gateway.")
    route_tables: list[RouteTable] = Field(min_length=1, description="Route tables of the hub.")
    attachments: list[TgwAttachment] = Field(default_factory=_empty_list, description="What is attached to the hub.")
    protect: bool = Field(default=True, description="Protect the hub from deletion.")
    existing_id: str | None = Field(default=None, description="Id of an existing Transit Gateway (tgw-...).")



class Segment(Named):
    share_with: list[Ref] = Field(default_factory=_empty_list, description="Segments this one shares routes with (both ways).")
    isolate_attachments: bool = Field(default=False, description="Attachments in the segment cannot reach each other.")
    require_acceptance: bool = Field(default=False, description="New attachments wait for acceptance.")
    edge_locations: list[AwsRegion] = Field(default_factory=_empty_list, description="Regions of the segment; empty means all edges.")
    routes: list[StaticRoute] = Field(default_factory=_empty_list, description="Static routes of the segment.")


class Edge(Model):
    region: AwsRegion
    asn: Asn | None = Field(default=None, description="ASN of the edge; allocated from asn_ranges when unset.")



class WanAttachment(Named):
    network: Ref | None = Field(default=None, description="VPC to attach.")
    subnets: list[Ref] = Field(default_factory=_empty_list, description="Subnet names of the VPC.")
    interconnect: Ref | None = Field(default=None, description="Interconnect whose Direct Connect gateway attaches here.")
    link: Ref | None = Field(default=None, description="External link whose Direct Connect gateway attaches here.")
    segment: Ref = Field(description="Segment the attachment joins.")

    @model_validator(mode="after")
    def _one_target(self) -> WanAttachment:
        if len([t for t in (self.network, self.interconnect, self.link) if t is not None]) != 1:
            raise ValueError("an attachment needs exactly one of 'network', 'interconnect' or 'link'")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("network", "interconnect", "link") if getattr(self, k) is not None)

    @property
    def target(self) -> str:
        return getattr(self, self.kind)


class CloudWanCore(Named):
    """An AWS Cloud WAN global network and core network; the policy document is generated from it."""

    kind: Literal["cloud_wan"] = Field(description="Hub kind.")
    asn_ranges: list[str] = Field(
        default_factory=lambda: ["64512-65534"], description="ASN ranges for edges, as 'low-high'."
    )
    edges: list[Edge] = Field(min_length=1, description="Edge locations (regions) of the core network.")
    segments: list[Segment] = Field(min_length=1, description="Segments of the core network.")
    attachments: list[WanAttachment] = Field(default_factory=_empty_list, description="VPC and Direct Connect attachments.")
    protect: bool = Field(default=True, description="Protect the core network from deletion.")

    @property
    def regions(self) -> list[str]:
        return [e.region for e in self.edges]


Hub = Annotated[TransitGateway | CloudWanCore, Field(discriminator="kind")]


class HubAttachment(Named):
    """A network of this file attached to a hub that another file of the organisation declares. The hub's file
    keeps creating the hub; this file's deployment creates the attachment and wires it into the hub's route
    tables (Transit Gateway) or segment (Cloud WAN), with the hub's ids from the outputs of `hub_stack`."""

    hub: Ref = Field(description="The hub, declared in another file checked together with this one.")
    hub_stack: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+){0,2}$",
        description="The Pulumi stack that deploys the hub (org/project/stack); its outputs hubIds and "
                    "routeTableIds give the ids this file's deployment attaches to. Required to deploy.",
    )
    network: Ref = Field(description="The aws network of this file to attach.")
    subnets: list[Ref] = Field(min_length=1, description="Subnet names of the VPC, one per zone used.")
    route_table: Ref | None = Field(default=None, description="Transit Gateway: the route table it is associated with.")
    propagate_to: list[Ref] = Field(default_factory=_empty_list, description="Transit Gateway: tables it propagates into.")
    segment: Ref | None = Field(default=None, description="Cloud WAN: the segment the attachment joins.")

    def for_hub(self, hub: TransitGateway | CloudWanCore) -> TgwAttachment | WanAttachment:
        """This attachment as one of the hub's own, still located in this file."""
        common: dict[str, Any] = {"name": self.name, "previous_names": self.previous_names, "ignore": self.ignore,
                  "network": self.network, "subnets": self.subnets, "interconnect": None, "link": None}
        att: TgwAttachment | WanAttachment
        if isinstance(hub, TransitGateway):
            att = TgwAttachment.model_construct(**common, peer=None, route_table=self.route_table,
                                                propagate_to=self.propagate_to)
        else:
            att = WanAttachment.model_construct(**common, segment=self.segment)
        att._file, att._path = self._file, self._path
        return att


# ---------------------------------------------------------------- links


class Monitoring(Model):
    """Synthetic probe and alarms across a link, and flow logs on what it connects."""

    enabled: bool = Field(default=True, description="Set false to deploy no monitoring (XC604 then fires).")
    source_network: Ref | None = Field(default=None, description="AWS network the probe runs from.")
    source_subnet: Ref | None = Field(default=None, description="Subnet of source_network the probe runs from.")
    destination: Address | None = Field(default=None, description="Address on the far side to probe.")
    protocol: Literal["ICMP", "TCP"] = Field(default="ICMP", description="Probe protocol.")
    port: int | None = Field(default=None, ge=1, le=65535, description="Destination port for TCP probes.")
    latency_alarm_ms: float = Field(default=50.0, gt=0, description="Alarm when round-trip latency exceeds this.")
    loss_alarm_percent: float = Field(default=1.0, gt=0, le=100, description="Alarm when packet loss exceeds this.")
    alarm_topic_arn: str | None = Field(
        default=None, pattern=r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$",
        description="SNS topic the probe's alarms notify. Unset: deploy() creates one per AWS region, encrypted with "
                    "a customer managed KMS key CloudWatch may use.",
    )


class InterconnectAws(Model):
    region: AwsRegion
    account: formats.AwsAccountId | None = Field(default=None, description="AWS account id.")
    dx_gateway_asn: Asn = Field(description="Amazon side ASN of the Direct Connect gateway (differs from the hub's).")
    allowed_prefixes: list[Prefix] = Field(
        min_length=1, description="Allow-list: prefixes AWS advertises to Google (Direct Connect gateway association)."
    )
    environment_id: str | None = Field(
        default=None, description="AWS Interconnect environment id, when AWS creates the connection (key from AWS)."
    )



class InterconnectGcp(Model):
    region: GcpRegion
    project: formats.GcpProjectId = Field(description="Google Cloud project id.")
    network: Ref = Field(description="The gcp network the transport connects.")
    allowed_prefixes: list[Prefix] = Field(min_length=1, description="Allow-list: prefixes Google may advertise to AWS.")
    advertised_prefixes: list[Prefix] | None = Field(
        default=None,
        description="Routes the transport advertises (advertised_routes). Unset means exactly the allow-list.",
    )


    @property
    def advertised(self) -> list[IPNetwork]:
        return self.allowed_prefixes if self.advertised_prefixes is None else self.advertised_prefixes


class Interconnect(Named):
    """AWS Interconnect - multicloud <-> Google Partner Cross-Cloud Interconnect, one logical connection."""

    aws: InterconnectAws = Field(description="AWS side.")
    gcp: InterconnectGcp = Field(description="Google Cloud side.")
    bandwidth: Bandwidth = Field(description="Bandwidth, e.g. 1Gbps (AWS) or BPS_1G (Google).")
    stack_type: LinkStackType = Field(default=StackType.ipv4, description="IP stack carried by the link: ipv4 or dual.")
    mtu: int = Field(default=1500, ge=1280, le=8896, description="MTU of the link; both sides must match it.")
    activation_key_from: Literal["gcp", "aws"] = Field(
        default="gcp", description="Which side generates the activation key the other side accepts."
    )
    critical: bool = Field(default=False, description="Critical links need a second interconnect (XC603).")
    monitoring: Monitoring | None = Field(default=None, description="Probe and alarms (XC604 fires without).")
    protect: bool = Field(default=True, description="Protect the connection and gateway from deletion.")


class LinkAws(Model):
    dx_gateway_asn: Asn = Field(description="Amazon side ASN of the Direct Connect gateway.")
    allowed_prefixes: list[Prefix] = Field(min_length=1, description="Allow-list: prefixes AWS advertises over the link.")


class LinkRemote(Model):
    network: Ref = Field(description="The external network at the far end.")
    asn: Asn = Field(description="ASN of the far end's router.")
    allowed_prefixes: list[Prefix] = Field(min_length=1, description="Allow-list: prefixes the far end may advertise.")
    advertised_prefixes: list[Prefix] | None = Field(
        default=None, description="What the far end actually advertises. Unset means exactly the allow-list."
    )

    @property
    def advertised(self) -> list[IPNetwork]:
        return self.allowed_prefixes if self.advertised_prefixes is None else self.advertised_prefixes


class ExternalLink(Named):
    """A Direct Connect link to a network we do not manage (e.g. via Equinix to Alibaba, Tencent or on-prem)."""

    provider: str = Field(default="equinix", description="Delivery partner or exchange, e.g. equinix.")
    location: str = Field(min_length=1, description="Direct Connect location code, e.g. EqDC2.")
    region: AwsRegion
    bandwidth: Bandwidth = Field(description="Bandwidth of the connection.")
    connection_id: str | None = Field(default=None, description="Existing dxcon-... id of the hosted connection.")
    vlan: int | None = Field(default=None, ge=1, le=4094, description="VLAN of the transit virtual interface.")
    aws: LinkAws = Field(description="AWS side.")
    remote: LinkRemote = Field(description="Far side.")
    stack_type: LinkStackType = Field(default=StackType.ipv4, description="IP stack carried by the link: ipv4 or dual.")
    mtu: int = Field(default=1500, ge=1280, le=9001, description="MTU of the link.")
    critical: bool = Field(default=False, description="Critical links need a second link (XC603).")
    monitoring: Monitoring | None = Field(default=None, description="Probe and alarms.")
    protect: bool = Field(default=True, description="Protect the gateway from deletion.")



# ---------------------------------------------------------------- DNS


class EndpointAddress(Model):
    subnet: Ref = Field(description="Subnet (of the endpoint's network) for this address.")
    ip: Address | None = Field(default=None, description="Fixed address; needed when others forward to it.")


class ResolverEndpoint(Named):
    """A Route 53 Resolver endpoint."""

    network: Ref = Field(description="The aws network of the endpoint.")
    direction: Literal["inbound", "outbound"] = Field(description="inbound receives queries, outbound forwards them.")
    addresses: list[EndpointAddress] = Field(description="Two or more addresses in distinct zones (XC406).")
    allowed_sources: list[Prefix] = Field(
        default_factory=_empty_list, description="Inbound: sources allowed to port 53 (security group)."
    )


class ForwardTarget(Model):
    resolver: Ref | None = Field(default=None, description="A declared resolver: inbound endpoint, inbound policy or forwarder.")
    ip: Address | None = Field(default=None, description="A literal target address.")
    port: int = Field(default=53, ge=1, le=65535, description="Target port.")

    @model_validator(mode="after")
    def _one(self) -> ForwardTarget:
        if (self.resolver is None) == (self.ip is None):
            raise ValueError("a target needs exactly one of 'resolver' or 'ip'")
        return self


class ResolverRule(Named):
    """A Route 53 Resolver forwarding rule and its VPC associations."""

    domain: Domain = Field(description="Domain forwarded, with its subdomains.")
    endpoint: Ref = Field(description="Outbound endpoint the rule uses.")
    targets: list[ForwardTarget] = Field(min_length=1, description="Where queries go.")
    networks: list[Ref] = Field(default_factory=_empty_list, description="aws networks the rule is associated with.")


class ForwardingZone(Named):
    """A Cloud DNS private forwarding zone."""

    domain: Domain = Field(description="Domain forwarded, with its subdomains.")
    networks: list[Ref] = Field(min_length=1, description="gcp networks that see the zone.")
    targets: list[ForwardTarget] = Field(min_length=1, description="Where queries go.")
    private_routing: bool = Field(
        default=True, description="Forward through the VPC (forwarding_path private); needed for targets over a link."
    )


class InboundPolicy(Named):
    """A Cloud DNS server policy with inbound forwarding enabled."""

    network: Ref = Field(description="The gcp network.")
    addresses: list[Address] = Field(
        default_factory=_empty_list,
        description=(
            "Leave empty (recommended): Google allocates one inbound forwarder address from the primary range of each "
            "subnet of the network, and the Route 53 rules forwarding here target the addresses deploy() reads back "
            "after the policy exists. When listed (one per subnet, as `gcloud compute addresses list "
            "--filter='purpose=DNS_RESOLVER'` shows them), deploy() refuses to go on if Google's differ."
        ),
    )


class ForwarderRule(Model):
    domain: Domain = Field(description="Domain forwarded.")
    targets: list[ForwardTarget] = Field(min_length=1, description="Where queries go.")


class ExternalForwarder(Named):
    """A DNS forwarder in an external cloud, e.g. Alibaba PrivateZone or Tencent Private DNS."""

    network: Ref = Field(description="Network the forwarder lives in.")
    addresses: list[Address] = Field(min_length=1, description="Addresses it listens on.")
    rules: list[ForwarderRule] = Field(default_factory=_empty_list, description="Its forwarding rules.")


class Dns(Model):
    resolver_endpoints: list[ResolverEndpoint] = Field(default_factory=_empty_list, description="Route 53 Resolver endpoints.")
    resolver_rules: list[ResolverRule] = Field(default_factory=_empty_list, description="Route 53 forwarding rules.")
    forwarding_zones: list[ForwardingZone] = Field(default_factory=_empty_list, description="Cloud DNS forwarding zones.")
    inbound_policies: list[InboundPolicy] = Field(default_factory=_empty_list, description="Cloud DNS inbound server policies.")
    external_forwarders: list[ExternalForwarder] = Field(default_factory=_empty_list, description="Forwarders in other clouds.")


# ---------------------------------------------------------------- trust


class IssuerKind(StrEnum):
    gke = "gke"
    kubernetes = "kubernetes"
    eks = "eks"
    github = "github"
    alibaba = "alibaba"
    tencent = "tencent"
    generic = "generic"


class Issuer(Named):
    """An OIDC issuer whose tokens AWS roles accept (AssumeRoleWithWebIdentity)."""

    kind: IssuerKind = Field(description="What issues the tokens.")
    url: str = Field(min_length=1, description="Issuer URL; must be https (XC503).")
    client_ids: list[str] = Field(default_factory=_empty_list, description="Audiences registered on the IAM OIDC provider.")
    thumbprints: list[formats.Thumbprint] = Field(default_factory=_empty_list, description="Server certificate thumbprints (optional on AWS).")

    @property
    def host_path(self) -> str:
        """The issuer as IAM writes it in condition keys: the URL without scheme and trailing slash."""
        return issuer_host_path(self.url)


def issuer_host_path(url: str) -> str:
    """An issuer URL as IAM writes it in condition keys: without scheme and trailing slash."""
    return re.sub(r"^[a-z]+://", "", url).rstrip("/")


class Permission(Model):
    actions: list[formats.IamAction] = Field(min_length=1, description="IAM actions, e.g. s3:GetObject.")
    resources: list[str] = Field(min_length=1, description="Resource ARNs.")
    conditions: dict[str, dict[str, str | list[str]]] = Field(
        default_factory=dict, description="IAM condition block, operator -> key -> values."
    )


class TrustRole(Named):
    """An AWS IAM role assumed with tokens from an issuer."""

    issuer: Ref = Field(description="The issuer whose tokens the role accepts.")
    account: formats.AwsAccountId | None = Field(default=None, description="AWS account id.")
    audience: str | None = Field(default=None, description="Required 'aud' claim.")
    subjects: list[str] = Field(default_factory=_empty_list, description="Exact 'sub' claims allowed.")
    permissions: list[Permission] = Field(default_factory=_empty_list, description="Inline permission statements.")
    max_session_seconds: int = Field(
        default=3600, ge=catalog.IAM_ROLE_MIN_SESSION, le=catalog.IAM_ROLE_MAX_SESSION,
        description="The role's maximum session, 3600..43200 seconds as IAM allows (XC504 above 3600).",
    )


class WorkloadIdentity(Named):
    """A Google Workload Identity pool and AWS provider, so AWS roles reach Google without keys."""

    project: formats.GcpProjectId = Field(description="Google Cloud project id.")
    pool_id: formats.GcpPoolId = Field(description="Workload identity pool id.")
    provider_id: formats.GcpPoolId = Field(description="Provider id in the pool.")
    aws_account_id: formats.AwsAccountId = Field(description="AWS account whose identities may federate.")
    attribute_condition: str | None = Field(default=None, description="CEL condition on the AWS identity (XC506).")
    aws_roles: list[formats.AwsRoleName] = Field(default_factory=_empty_list, description="AWS role names allowed to impersonate.")
    service_account: formats.ServiceAccountEmail | None = Field(default=None, description="Service account email the roles impersonate.")


class Trust(Model):
    issuers: list[Issuer] = Field(default_factory=_empty_list, description="OIDC issuers.")
    roles: list[TrustRole] = Field(default_factory=_empty_list, description="AWS roles trusting an issuer.")
    workload_identity: list[WorkloadIdentity] = Field(default_factory=_empty_list, description="Google pools trusting AWS.")


# ---------------------------------------------------------------- the stack


class Operator(Model):
    """Who operates the stack's interconnects and hubs: one IAM role with least privilege (reads, hub route
    changes), whose delete actions are denied unless the session used MFA."""

    enabled: bool = Field(default=True, description="Create the operator role (where the stack has an AWS account).")
    principals: list[str] = Field(
        default_factory=_empty_list,
        description="Exact IAM ARNs that may assume the role; empty: the principals of the stack's AWS account.",
    )
    max_session_seconds: int = Field(default=3600, ge=900, le=3600, description="Maximum session of the role.")


class Stack(Model):
    """A whole multicloud network: what `xcloud validate` checks and `deploy()` builds."""

    version: Literal[1] = Field(default=1, description="Spec format version.")
    name: Name = Field(description="Stack name.")
    description: str | None = Field(default=None, description="What the stack is for.")
    networks: list[Network] = Field(default_factory=_empty_list, description="Networks in every cloud.")
    hubs: list[Hub] = Field(default_factory=_empty_list, description="Transit Gateways and Cloud WAN cores.")
    interconnects: list[Interconnect] = Field(default_factory=_empty_list, description="AWS <-> Google interconnects.")
    links: list[ExternalLink] = Field(default_factory=_empty_list, description="Direct Connect links to external clouds.")
    dns: Dns = Field(default_factory=Dns, description="DNS forwarding in every direction.")
    trust: Trust = Field(default_factory=Trust, description="OIDC and Workload Identity trust.")
    hub_attachments: list[HubAttachment] = Field(
        default_factory=_empty_list,
        description="Networks of this file attached to hubs that other files declare (an organisation-wide plan: "
                    "check the files together).",
    )
    operator: Operator = Field(default_factory=Operator, description="The operator role of the interconnects and hubs.")

    # file -> SourceMap of the YAML each object came from (empty for stacks built in Python)
    _sources: dict[str, Any] = PrivateAttr(default_factory=dict)
    # whether hub_attachments have joined their hubs (see merge)
    _organised: bool = PrivateAttr(default=False)

    def locate(self, obj: Model, *fields: str | int) -> Location | None:
        """file:line:column of `obj` (or of one of its fields), when it was loaded from a file."""
        source = self._sources.get(obj.spec_file) if obj.spec_file else None
        return source.locate((*obj.spec_path, *fields)) if source else None

    def model_post_init(self, __context: Any) -> None:
        # Objects that already know their place (e.g. from another stack, in a merge) keep it.
        for path, obj in _walk(self, ()):
            if not obj._path:
                obj._path = path

    def set_source(self, file: str) -> None:
        """Record the source file on every object, for findings and errors."""
        for _path, obj in _walk(self, ()):
            obj._file = file

    def objects(self) -> Iterator[tuple[tuple[str | int, ...], Model]]:
        """Every spec object with its path, in document order."""
        return _walk(self, ())

    def organised(self) -> Stack:
        """The stack with its `hub_attachments` among the attachments of their hubs (what the checks and
        deploy() see); the stack itself when it has none."""
        return Stack.merge([self], self.name) if self.hub_attachments and not self._organised else self

    @classmethod
    def merge(cls, stacks: list[Stack], name: str = "organisation") -> Stack:
        """One organisation-wide stack from several, keeping each object's own file and path. A hub attachment
        of one file joins the attachments of its hub (in a copy of the hub: the files' own objects stay as
        loaded); one whose hub no file declares stays in `hub_attachments`, where XC101 reports it."""
        hub_attachments = [a for s in stacks for a in s.hub_attachments]
        hubs: list[Hub] = [h for s in stacks for h in s.hubs]
        first = {h.name: h for h in reversed(hubs)}  # a duplicate name is XC102's; attach to the first
        joining: dict[int, list] = {}
        for att in hub_attachments:
            if att.hub in first:
                joining.setdefault(id(first[att.hub]), []).append(att.for_hub(first[att.hub]))
        hubs = [h.model_copy(update={"attachments": [*h.attachments, *joining[id(h)]]}) if id(h) in joining else h
                for h in hubs]
        merged = cls.model_construct(
            version=1,
            name=name,
            description=None,
            networks=[n for s in stacks for n in s.networks],
            hubs=hubs,
            hub_attachments=hub_attachments,
            interconnects=[i for s in stacks for i in s.interconnects],
            links=[link for s in stacks for link in s.links],
            dns=Dns.model_construct(None, **{f: [o for s in stacks for o in getattr(s.dns, f)] for f in Dns.model_fields}),
            trust=Trust.model_construct(
                None, **{f: [o for s in stacks for o in getattr(s.trust, f)] for f in Trust.model_fields}
            ),
        )
        for stack in stacks:
            merged._sources.update(stack._sources)
        merged._organised = True
        return merged


def _walk(obj: Model, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Model]]:
    yield path, obj
    for field in type(obj).model_fields:
        value = getattr(obj, field, None)
        if isinstance(value, Model):
            yield from _walk(value, (*path, field))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Model):
                    yield from _walk(item, (*path, field, i))
