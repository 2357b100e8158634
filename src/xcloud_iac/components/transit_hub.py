"""A Transit Gateway hub: the gateway, its declared route tables, VPC attachments and their wiring, static and
blackhole routes, and the peerings it requests.

Default route table association and propagation are off: an attachment reaches exactly the table the spec
associates it with and propagates exactly where the spec says. Attachments whose far side another component owns
(an interconnect's or external link's Direct Connect gateway, a peering this hub accepts) are handed out as attach
points (see `_attach`); the owner creates them and wires them into this hub's tables.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from ..spec import models as m
from ..tags import aws_tags
from ._attach import TgwAttachPoint, TgwRoute, tgw_vpc_attachment, vpc_routes, wire_tgw_attachment
from ._common import Problems, child_opts, name_key, stack_name


@dataclass
class VpcRef:
    """A VPC to attach: its id and its subnets (name -> id)."""

    vpc_id: pulumi.Input[str]
    subnet_ids: Mapping[str, pulumi.Input[str]]
    ipv6: bool = False
    route_table_ids: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """The VPC route tables (key -> id) that get `vpc_routes` towards this hub."""


@dataclass
class PeerHub:
    """The other Transit Gateway of a peering this hub requests (the requester also accepts on the peer's behalf
    and wires the peer's side, through `accepter_point`, the attachment the peer declares back to this hub)."""

    hub: str
    transit_gateway_id: pulumi.Input[str]
    region: str
    account_id: pulumi.Input[str] | None = None
    """The peer's AWS account, when it is not this one."""
    accepter_point: TgwAttachPoint | None = None


@dataclass
class TransitHubArgs:
    hub: m.TransitGateway
    """The spec of the Transit Gateway."""
    vpcs: Mapping[str, VpcRef] = field(default_factory=dict)
    """The VPC of every `network` attachment, by network name."""
    peers: Sequence[PeerHub] = ()
    """Peerings this hub requests."""
    stack: str | None = None
    vpc_routes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Network name -> the prefixes its VPC route tables send to this hub (deploy() gives what the routing model
    says, see topology.dataplane)."""


class TransitHub(pulumi.ComponentResource):
    transit_gateway_id: pulumi.Output[str]
    transit_gateway_arn: pulumi.Output[str]
    route_table_ids: dict[str, pulumi.Output[str]]
    attachment_ids: dict[str, pulumi.Output[str]]
    """VPC and requested peering attachments, by spec attachment name."""

    def __init__(self, name: str, args: TransitHubArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        self.validate(name, args)
        hub = args.hub
        super().__init__("xcloud:aws:TransitHub", name, None, opts)
        stack = stack_name(args.stack)
        self.hub = hub

        if hub.existing_id is not None:
            tgw = aws.ec2transitgateway.TransitGateway.get(f"{name}-tgw", hub.existing_id, region=hub.region,
                                                           opts=child_opts(self))
        else:
            tgw = aws.ec2transitgateway.TransitGateway(
                f"{name}-tgw",
                amazon_side_asn=hub.asn,
                default_route_table_association="disable",
                default_route_table_propagation="disable",
                dns_support="enable",
                vpn_ecmp_support="enable",
                description=f"xcloud {stack}: hub {hub.name}",
                region=hub.region,
                tags=aws_tags(stack, "hub", hub.name, name=hub.name),
                opts=child_opts(self, protect=hub.protect),
            )

        tables: dict[str, aws.ec2transitgateway.RouteTable] = {}
        for table in hub.route_tables:
            tables[table.name] = aws.ec2transitgateway.RouteTable(
                f"{name}-rt-{table.name}",
                transit_gateway_id=tgw.id,
                region=hub.region,
                tags=aws_tags(stack, "route_table", hub.name, table.name, name=f"{hub.name}-{table.name}"),
                opts=child_opts(self),
            )
            for route in table.routes:
                if route.blackhole:
                    aws.ec2transitgateway.Route(
                        f"{name}-rt-{table.name}-blackhole-{name_key(route.prefix)}",
                        destination_cidr_block=str(route.prefix),
                        transit_gateway_route_table_id=tables[table.name].id,
                        blackhole=True,
                        region=hub.region,
                        opts=child_opts(self),
                    )
        self.route_table_ids = {t: rt.id for t, rt in tables.items()}
        self.transit_gateway_id = tgw.id
        self.transit_gateway_arn = tgw.arn

        self._points = {att.name: self._attach_point(att) for att in hub.attachments}
        self.attachment_ids = {}
        routed: set[str] = set()
        for att in hub.attachments:
            if att.network is None:
                continue
            vpc = args.vpcs[att.network]
            attachment = tgw_vpc_attachment(
                self, f"{name}-att-{att.name}", hub=hub.name, attachment=att.name, transit_gateway_id=tgw.id,
                vpc_id=vpc.vpc_id, subnet_ids=[vpc.subnet_ids[s] for s in att.subnets], ipv6=vpc.ipv6,
                region=hub.region, stack=stack,
            )
            wire_tgw_attachment(self, f"{name}-att-{att.name}", self._points[att.name], attachment.id)
            self.attachment_ids[att.name] = attachment.id
            if att.network not in routed:
                routed.add(att.network)
                vpc_routes(self, f"{name}-vpc-{att.network}", vpc.route_table_ids,
                           args.vpc_routes.get(att.network, ()), region=hub.region, depends_on=[attachment],
                           transit_gateway_id=tgw.id)

        for peer in sorted(args.peers, key=lambda p: p.hub):
            peering = aws.ec2transitgateway.PeeringAttachment(
                f"{name}-peer-{peer.hub}",
                transit_gateway_id=tgw.id,
                peer_transit_gateway_id=peer.transit_gateway_id,
                peer_region=peer.region,
                peer_account_id=peer.account_id,
                region=hub.region,
                tags=aws_tags(stack, "peering", hub.name, peer.hub, name=f"{hub.name}-{peer.hub}"),
                opts=child_opts(self),
            )
            accepter = aws.ec2transitgateway.PeeringAttachmentAccepter(
                f"{name}-peer-{peer.hub}-accept",
                transit_gateway_attachment_id=peering.id,
                region=peer.region,
                tags=aws_tags(stack, "peering", peer.hub, hub.name, name=f"{peer.hub}-{hub.name}"),
                opts=child_opts(self),
            )
            # routes and associations on a peering work only once it is accepted
            for att in hub.attachments:
                if att.peer == peer.hub:
                    wire_tgw_attachment(self, f"{name}-att-{att.name}", self._points[att.name], peering.id, [accepter])
                    self.attachment_ids[att.name] = peering.id
            if peer.accepter_point is not None:
                wire_tgw_attachment(
                    self, f"{name}-peer-{peer.hub}-{peer.accepter_point.attachment}", peer.accepter_point,
                    accepter.transit_gateway_attachment_id, [accepter],
                )

        self.register_outputs({
            "transit_gateway_id": self.transit_gateway_id,
            "transit_gateway_arn": self.transit_gateway_arn,
            "route_table_ids": self.route_table_ids,
            "attachment_ids": self.attachment_ids,
        })

    @staticmethod
    def validate(name: str, args: TransitHubArgs) -> None:
        _validate(name, args)

    def attach_point(self, attachment: str) -> TgwAttachPoint:
        """Where the component owning the far side of `attachment` plugs it in (Direct Connect gateway, peering)."""
        return self._points[attachment]

    def _attach_point(self, att: m.TgwAttachment) -> TgwAttachPoint:
        hub = self.hub
        ids = self.route_table_ids
        return TgwAttachPoint(
            hub=hub.name,
            attachment=att.name,
            transit_gateway_id=self.transit_gateway_id,
            region=hub.region,
            route_table_id=ids[att.route_table] if att.route_table else None,
            propagate_to={t: ids[t] for t in att.propagate_to},
            routes=tuple(
                TgwRoute(table.name, str(route.prefix), ids[table.name])
                for table in hub.route_tables
                for route in table.routes
                if route.attachment == att.name
            ),
        )


def _validate(name: str, args: TransitHubArgs) -> None:
    hub = args.hub
    problems = Problems(f"TransitHub '{name}'")
    tables = {t.name for t in hub.route_tables}
    attachments = {a.name: a for a in hub.attachments}
    for att in hub.attachments:
        for table in ([att.route_table] if att.route_table else []) + list(att.propagate_to):
            problems.require(table in tables, f"attachment '{att.name}' names route table '{table}', not declared")
        if att.network is not None:
            vpc = args.vpcs.get(att.network)
            if vpc is None:
                problems.add(f"attachment '{att.name}': no VPC given for network '{att.network}'")
            else:
                problems.require(att.subnets, f"attachment '{att.name}' needs at least one subnet")
                for subnet in att.subnets:
                    problems.require(subnet in vpc.subnet_ids,
                                     f"attachment '{att.name}': network '{att.network}' has no subnet '{subnet}'")
        if att.peer is not None:
            problems.require(not att.propagate_to,
                             f"attachment '{att.name}': a Transit Gateway peering cannot propagate; use static routes")
    for route_table in hub.route_tables:
        for route in route_table.routes:
            if route.attachment is not None:
                problems.require(
                    route.attachment in attachments,
                    f"route {route.prefix} in '{route_table.name}' targets unknown attachment '{route.attachment}'",
                )
    for peer in args.peers:
        problems.require(peer.hub != hub.name, "a hub cannot peer with itself")
    _validate_vpc_routes(problems, {a.network for a in hub.attachments if a.network}, args.vpc_routes)
    problems.raise_if_any()


def _validate_vpc_routes(problems: Problems, attached: set[str], routes: Mapping[str, Sequence[str]]) -> None:
    for network, prefixes in sorted(routes.items()):
        problems.require(network in attached, f"routes given for network '{network}', which is not attached here")
        for cidr in prefixes:
            try:
                ipaddress.ip_network(cidr)
            except ValueError:
                problems.add(f"network '{network}': route {cidr!r} is not a CIDR")

