"""Managed networks: an AWS VPC with its subnets, and a Google VPC network with its subnetworks.

A network with `existing_id` (and subnets with `id`) is read, never created: `Resource.get` gives the same typed
outputs (id, ARN, self link) as a created one, so later components do not care which it was.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import pulumi
import pulumi_aws as aws
import pulumi_gcp as gcp

from ..spec import catalog
from ..spec import models as m
from ..tags import aws_tags
from ._common import Problems, child_opts, name_key, stack_name


@dataclass
class AwsNetworkArgs:
    network: m.Network
    """The spec of an `aws` network."""
    stack: str | None = None
    """Stack name for tags; defaults to the Pulumi stack."""
    route_table: bool = False
    """Give the subnets the stack creates a route table of their own (the hubs add their routes to it); deploy()
    sets it for networks attached to a hub."""


# key of the route table AwsNetwork creates, in `route_table_ids` (existing tables are keyed by their id)
CREATED_ROUTE_TABLE = "created"


class AwsNetwork(pulumi.ComponentResource):
    """A VPC (DNS support on, which Route 53 Resolver endpoints need) and its subnets, or the existing ones."""

    vpc_id: pulumi.Output[str]
    vpc_arn: pulumi.Output[str]
    subnet_ids: dict[str, pulumi.Output[str]]
    subnet_arns: dict[str, pulumi.Output[str]]
    route_table_ids: dict[str, pulumi.Input[str]]
    """Route tables that carry the routes towards the hubs: the created one (key `created`) and the existing ones
    the spec names (`route_table_ids`), keyed by their id."""

    def __init__(self, name: str, args: AwsNetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        self.validate(name, args)
        super().__init__("xcloud:aws:Network", name, None, opts)
        net = args.network

        stack = stack_name(args.stack)
        ipv4 = [c for c in net.cidrs if c.version == 4]
        secondary: list[pulumi.Resource] = []
        if net.existing_id is not None:
            vpc = aws.ec2.Vpc.get(f"{name}-vpc", net.existing_id, region=net.region, opts=child_opts(self))
        else:
            vpc = aws.ec2.Vpc(
                f"{name}-vpc",
                cidr_block=str(ipv4[0]),
                enable_dns_support=True,
                enable_dns_hostnames=True,
                # AWS assigns a VPC's IPv6 /56; the spec's IPv6 range is what the checks reason about.
                assign_generated_ipv6_cidr_block=net.stack_type is m.StackType.dual or None,
                region=net.region,
                tags=aws_tags(stack, "network", net.name, name=net.name),
                opts=child_opts(self),
            )
            secondary = [
                aws.ec2.VpcIpv4CidrBlockAssociation(
                    f"{name}-cidr-{name_key(cidr)}",
                    vpc_id=vpc.id,
                    cidr_block=str(cidr),
                    region=net.region,
                    opts=child_opts(self),
                )
                for cidr in ipv4[1:]
            ]

        self.subnet_ids = {}
        self.subnet_arns = {}
        for subnet in net.subnets:
            if subnet.id is not None:
                resource = aws.ec2.Subnet.get(f"{name}-subnet-{subnet.name}", subnet.id, region=net.region,
                                              opts=child_opts(self))
            else:
                in_primary = subnet.cidr.version == 4 and subnet.cidr.subnet_of(ipv4[0])
                resource = aws.ec2.Subnet(
                    f"{name}-subnet-{subnet.name}",
                    vpc_id=vpc.id,
                    cidr_block=str(subnet.cidr),
                    availability_zone=subnet.zone,
                    region=net.region,
                    tags=aws_tags(stack, "subnet", net.name, subnet.name, name=f"{net.name}-{subnet.name}"),
                    # a subnet in a secondary range waits for that range to be added to the VPC
                    opts=child_opts(self, depends_on=() if in_primary else secondary),
                )
            self.subnet_ids[subnet.name] = resource.id
            self.subnet_arns[subnet.name] = resource.arn

        self.route_table_ids = {rtb: rtb for rtb in net.route_table_ids}
        created = [s for s in net.subnets if s.id is None]
        if args.route_table and created:
            # one table for the created subnets: the VPC's main table stays as it is, so nothing else changes route
            table = aws.ec2.RouteTable(
                f"{name}-rt",
                vpc_id=vpc.id,
                region=net.region,
                tags=aws_tags(stack, "vpc_route_table", net.name, name=net.name),
                opts=child_opts(self),
            )
            for subnet in created:
                aws.ec2.RouteTableAssociation(
                    f"{name}-rt-{subnet.name}",
                    subnet_id=self.subnet_ids[subnet.name],
                    route_table_id=table.id,
                    region=net.region,
                    opts=child_opts(self),
                )
            self.route_table_ids[CREATED_ROUTE_TABLE] = table.id

        self.vpc_id = vpc.id
        self.vpc_arn = vpc.arn
        self.register_outputs({"vpc_id": self.vpc_id, "vpc_arn": self.vpc_arn, "subnet_ids": self.subnet_ids,
                               "route_table_ids": self.route_table_ids})

    @staticmethod
    def validate(name: str, args: AwsNetworkArgs) -> None:
        net = args.network
        problems = Problems(f"AwsNetwork '{name}'")
        problems.require(net.cloud is m.Cloud.aws, f"network '{net.name}' is in cloud '{net.cloud}', not aws")
        if net.existing_id is None:
            for subnet in net.subnets:
                problems.require(
                    subnet.id is None,
                    f"subnet '{subnet.name}' has an id but the VPC is created; set the network's existing_id too",
                )
        problems.raise_if_any()


# VPC flow logs of the subnetworks: every flow, all metadata, aggregated over a minute like the AWS side's.
GCP_FLOW_LOGS: Any = {"aggregation_interval": "INTERVAL_1_MIN", "flow_sampling": 1.0, "metadata": "INCLUDE_ALL_METADATA"}


@dataclass
class GcpNetworkArgs:
    network: m.Network
    """The spec of a `gcp` network; `account` is its project. Its `peer_ingress` says what peers may reach."""
    stack: str | None = None
    peer_ranges: Sequence[str] = ()
    """The ranges of the networks that reach this one (deploy() gives what the routing model says): an ingress
    firewall rule admits exactly them on `peer_ingress`, with logging. Empty: no rule."""
    flow_logs: bool = False
    """Turn on VPC flow logs (log_config) on the subnetworks the stack creates. Existing subnetworks are read, never
    changed: their flow logs are their owner's to set."""


class GcpNetwork(pulumi.ComponentResource):
    """A custom-mode VPC network (MTU from the spec, global dynamic routing so routes learned over an interconnect in
    one region reach subnets in every region) and its subnetworks, or the existing ones."""

    network_id: pulumi.Output[str]
    self_link: pulumi.Output[str]
    subnet_ids: dict[str, pulumi.Output[str]]
    firewall_ids: dict[str, pulumi.Output[str]]
    """The ingress rules for peers: `peers` (IPv4 sources) and `peers-v6`."""
    subnet_self_links: dict[str, pulumi.Output[str]]
    subnet_regions: dict[str, str]

    def __init__(self, name: str, args: GcpNetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        self.validate(name, args)
        super().__init__("xcloud:gcp:Network", name, None, opts)
        net = args.network

        stack = stack_name(args.stack)
        project = net.account
        dual = net.stack_type is m.StackType.dual
        only6 = net.stack_type is m.StackType.ipv6  # Google IPv6-only subnets
        ipv6 = [c for c in net.cidrs if c.version == 6]
        if net.existing_id is not None:
            network = gcp.compute.Network.get(f"{name}-network", _network_path(project, net.existing_id),
                                              opts=child_opts(self))
        else:
            network = gcp.compute.Network(
                f"{name}-network",
                project=project,
                auto_create_subnetworks=False,
                mtu=net.mtu,
                routing_mode="GLOBAL",
                enable_ula_internal_ipv6=(dual or only6) or None,
                internal_ipv6_range=str(ipv6[0]) if (dual or only6) and ipv6 else None,
                description=f"xcloud {stack}: network {net.name}",
                opts=child_opts(self),
            )

        self.subnet_ids, self.subnet_self_links, self.subnet_regions = {}, {}, {}
        for subnet in net.subnets:
            # a Google subnetwork is regional; the spec's `zone` of a gcp subnet names its region
            region = subnet.zone if subnet.zone in catalog.GCP_REGIONS else net.region
            if subnet.id is not None:
                resource = gcp.compute.Subnetwork.get(f"{name}-subnet-{subnet.name}", subnet.id, opts=child_opts(self))
            else:
                resource = gcp.compute.Subnetwork(
                    f"{name}-subnet-{subnet.name}",
                    network=network.id,
                    project=project,
                    region=region,
                    ip_cidr_range=None if only6 else str(subnet.cidr),
                    stack_type="IPV6_ONLY" if only6 else "IPV4_IPV6" if dual else "IPV4_ONLY",
                    ipv6_access_type="INTERNAL" if dual or only6 else None,
                    private_ip_google_access=True,
                    log_config=GCP_FLOW_LOGS if args.flow_logs else None,
                    description=f"xcloud {stack}: subnet {net.name}/{subnet.name}",
                    opts=child_opts(self),
                )
            self.subnet_ids[subnet.name] = resource.id
            self.subnet_self_links[subnet.name] = resource.self_link
            self.subnet_regions[subnet.name] = region

        self.firewall_ids = {}
        for version, suffix in ((4, ""), (6, "-v6")):
            ranges = sorted((r for r in args.peer_ranges if ipaddress.ip_network(r).version == version),
                            key=ipaddress.ip_network)
            if not ranges:
                continue  # Google takes the IPv4 and IPv6 sources of one rule apart: one rule per version
            self.firewall_ids[f"peers{suffix}"] = gcp.compute.Firewall(
                f"{name}-fw-peers{suffix}",
                network=network.id,
                project=project,
                direction="INGRESS",
                priority=PEER_RULE_PRIORITY,
                source_ranges=ranges,
                allows=cast(Any, firewall_allows(net.peer_ingress, version)),
                log_config=cast(Any, {"metadata": "INCLUDE_ALL_METADATA"}),
                description=f"xcloud {stack}: networks that reach {net.name} over its hubs and links",
                opts=child_opts(self),
            ).id

        self.network_id = network.id
        self.self_link = network.self_link
        self.register_outputs({"network_id": self.network_id, "self_link": self.self_link,
                               "subnet_ids": self.subnet_ids})

    @staticmethod
    def validate(name: str, args: GcpNetworkArgs) -> None:
        net = args.network
        problems = Problems(f"GcpNetwork '{name}'")
        problems.require(net.cloud is m.Cloud.gcp, f"network '{net.name}' is in cloud '{net.cloud}', not gcp")
        for subnet in net.subnets:
            # an IPv6-only network's subnets are IPv6 (the range Google allocates from the network's ULA range is
            # what the spec declares, for the checks; it is not an input)
            want = 6 if net.stack_type is m.StackType.ipv6 else 4
            problems.require(
                subnet.cidr.version == want,
                f"subnet '{subnet.name}' {subnet.cidr}: a Google subnetwork takes an IPv4 range (Google assigns IPv6)"
                if want == 4 else f"subnet '{subnet.name}' {subnet.cidr}: an IPv6-only network's subnets are IPv6",
            )
            if net.existing_id is None:
                problems.require(
                    subnet.id is None,
                    f"subnet '{subnet.name}' has an id but the network is created; set the network's existing_id too",
                )
        for cidr in args.peer_ranges:
            try:
                source = ipaddress.ip_network(cidr)
            except ValueError:
                problems.add(f"peer range {cidr!r} is not a CIDR")
                continue
            problems.require(source.prefixlen > 0, f"peer range {cidr} admits every address; a peer is a network")
        problems.require(net.peer_ingress or not args.peer_ranges,
                         "peer_ingress is empty: say what the peers may reach (e.g. tcp 443)")
        problems.raise_if_any()


# below Google's default priority (1000), so a team's broader deny rules at 1000 do not cut the peers off
PEER_RULE_PRIORITY = 900


def firewall_allows(rules: Sequence[m.PortRule], version: int) -> list[dict]:
    """`allows` of a Google firewall rule from the spec's port rules; icmp is protocol 58 (ICMPv6) for IPv6."""
    out = []
    for rule in rules:
        protocol = "58" if rule.protocol == "icmp" and version == 6 else rule.protocol
        out.append({"protocol": protocol, **({"ports": list(rule.ports)} if rule.ports else {})})
    return out


def _network_path(project: str | None, existing_id: str) -> str:
    """An existing network as the id Pulumi reads it by: a bare name becomes projects/<p>/global/networks/<name>."""
    if "/" in existing_id or project is None:
        return existing_id
    return f"projects/{project}/global/networks/{existing_id}"

