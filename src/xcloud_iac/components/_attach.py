"""How things attach to hubs, shared by the hubs and by the components that own a Direct Connect gateway.

A hub (TransitHub, CloudWanCore) is built first and hands out an *attach point* for each attachment it declares
whose far side another component owns (an interconnect's or external link's Direct Connect gateway, the other end
of a peering). The owner creates the attachment itself and, for a Transit Gateway, wires it into the route tables
the hub declared for it (association, propagations, static routes that target it). So no component needs an output
of a component built after it, and the route tables stay the hub's: the attach point says exactly what to wire.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from ..tags import aws_tags
from ._common import child_opts, name_key

# Tag that maps a Cloud WAN attachment to its segment (read by the core network policy's attachment-policies).
SEGMENT_TAG = "xcloud:segment"


@dataclass(frozen=True)
class TgwRoute:
    """A static route in one of the hub's route tables whose target is the attachment."""

    table: str
    prefix: str
    route_table_id: pulumi.Input[str]


@dataclass(frozen=True)
class TgwAttachPoint:
    """An attachment a Transit Gateway declares, to be created by the component that owns its far side."""

    hub: str
    attachment: str
    transit_gateway_id: pulumi.Input[str]
    region: str
    route_table_id: pulumi.Input[str] | None = None
    """Route table the attachment is associated with (None: not associated)."""
    propagate_to: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Route tables (name -> id) the attachment propagates its routes into."""
    routes: Sequence[TgwRoute] = ()


@dataclass(frozen=True)
class WanAttachPoint:
    """An attachment a Cloud WAN core network declares: the owner creates it with the segment tag."""

    hub: str
    attachment: str
    core_network_id: pulumi.Input[str]
    segment: str
    """The segment's name as the core network policy spells it."""


AttachPoint = TgwAttachPoint | WanAttachPoint


def tgw_vpc_attachment(
    parent: pulumi.Resource, prefix: str, *, hub: str, attachment: str, transit_gateway_id: pulumi.Input[str],
    vpc_id: pulumi.Input[str], subnet_ids: Sequence[pulumi.Input[str]], ipv6: bool, region: str, stack: str,
) -> aws.ec2transitgateway.VpcAttachment:
    """A VPC attachment to a Transit Gateway, outside the default tables (wire it with `wire_tgw_attachment`).
    The hub's own attachments and those another file declares for it (HubAttachment) are built alike."""
    return aws.ec2transitgateway.VpcAttachment(
        prefix,
        transit_gateway_id=transit_gateway_id,
        vpc_id=vpc_id,
        subnet_ids=list(subnet_ids),
        ipv6_support="enable" if ipv6 else "disable",
        dns_support="enable",
        transit_gateway_default_route_table_association=False,
        transit_gateway_default_route_table_propagation=False,
        region=region,
        tags=aws_tags(stack, "attachment", hub, attachment, name=f"{hub}-{attachment}"),
        opts=child_opts(parent),
    )


def wan_vpc_attachment(
    parent: pulumi.Resource, prefix: str, *, hub: str, attachment: str, core_network_id: pulumi.Input[str],
    vpc_arn: pulumi.Input[str], subnet_arns: Sequence[pulumi.Input[str]], ipv6: bool, segment: str, stack: str,
) -> aws.networkmanager.VpcAttachment:
    """A VPC attachment to a Cloud WAN core network; the policy's attachment-policies put it in `segment` (the
    policy's spelling) by its tag."""
    return aws.networkmanager.VpcAttachment(
        prefix,
        core_network_id=core_network_id,
        vpc_arn=vpc_arn,
        subnet_arns=list(subnet_arns),
        options={"ipv6_support": ipv6},
        tags={**aws_tags(stack, "attachment", hub, attachment, name=f"{hub}-{attachment}"), SEGMENT_TAG: segment},
        opts=child_opts(parent),
    )


def wire_tgw_attachment(
    parent: pulumi.Resource,
    prefix: str,
    point: TgwAttachPoint,
    attachment_id: pulumi.Input[str],
    depends_on: Sequence[pulumi.Resource] = (),
) -> list[pulumi.Resource]:
    """Associate a Transit Gateway attachment with its route table, propagate it and add the static routes that
    target it. `depends_on` is for attachments that are usable only after another resource (a peering accepter)."""
    created: list[pulumi.Resource] = []
    opts = child_opts(parent, depends_on=depends_on)
    if point.route_table_id is not None:
        created.append(
            aws.ec2transitgateway.RouteTableAssociation(
                f"{prefix}-assoc",
                transit_gateway_attachment_id=attachment_id,
                transit_gateway_route_table_id=point.route_table_id,
                region=point.region,
                opts=opts,
            )
        )
    for table in sorted(point.propagate_to):
        created.append(
            aws.ec2transitgateway.RouteTablePropagation(
                f"{prefix}-prop-{table}",
                transit_gateway_attachment_id=attachment_id,
                transit_gateway_route_table_id=point.propagate_to[table],
                region=point.region,
                opts=opts,
            )
        )
    for route in point.routes:
        created.append(
            aws.ec2transitgateway.Route(
                f"{prefix}-route-{route.table}-{name_key(route.prefix)}",
                destination_cidr_block=route.prefix,
                transit_gateway_route_table_id=route.route_table_id,
                transit_gateway_attachment_id=attachment_id,
                region=point.region,
                opts=opts,
            )
        )
    return created


def direct_connect_gateway(
    parent: pulumi.Resource, name: str, *, asn: int, protect: bool, stack: str, kind: str, key: str
) -> aws.directconnect.Gateway:
    """The Direct Connect gateway an interconnect or external link lands on (global: no region)."""
    return aws.directconnect.Gateway(
        f"{name}-dxgw",
        amazon_side_asn=str(asn),
        tags=aws_tags(stack, kind, key, name=key),
        opts=child_opts(parent, protect=protect),
    )


def attach_direct_connect_gateway(
    parent: pulumi.Resource,
    name: str,
    gateway: aws.directconnect.Gateway,
    points: Sequence[AttachPoint],
    *,
    allowed_prefixes: Sequence[str],
    aws_region: str,
    stack: str,
    kind: str,
    key: str,
) -> dict[str, pulumi.Output[str]]:
    """Attach a Direct Connect gateway to each hub that declares it: a gateway association with the AWS allow-list
    (the only prefixes AWS advertises over the gateway) for a Transit Gateway, wired into the hub's route tables;
    a tagged Direct Connect gateway attachment for a Cloud WAN core network (mapped to its segment by the policy;
    Cloud WAN has no allowed-prefixes setting, so the allow-list is enforced on Transit Gateway hubs only).
    Returns the attachment id by hub name."""
    attachment_ids: dict[str, pulumi.Output[str]] = {}
    for point in sorted(points, key=lambda p: p.hub):
        prefix = f"{name}-{point.hub}"
        if isinstance(point, TgwAttachPoint):
            association = aws.directconnect.GatewayAssociation(
                f"{prefix}-dxgw-assoc",
                dx_gateway_id=gateway.id,
                associated_gateway_id=point.transit_gateway_id,
                allowed_prefixes=list(allowed_prefixes),
                region=point.region,
                opts=child_opts(parent),
            )
            wire_tgw_attachment(parent, prefix, point, association.transit_gateway_attachment_id)
            attachment_ids[point.hub] = association.transit_gateway_attachment_id
        else:
            attachment = aws.networkmanager.DxGatewayAttachment(
                f"{prefix}-dx-attachment",
                core_network_id=point.core_network_id,
                direct_connect_gateway_arn=gateway.arn,
                edge_locations=[aws_region],
                tags={**aws_tags(stack, kind, key, point.hub, name=f"{key}-{point.hub}"), SEGMENT_TAG: point.segment},
                opts=child_opts(parent),
            )
            attachment_ids[point.hub] = attachment.id
    return attachment_ids


def vpc_routes(
    parent: pulumi.Resource,
    prefix: str,
    route_table_ids: Mapping[str, pulumi.Input[str]],
    prefixes: Sequence[str],
    *,
    region: str | None,
    depends_on: Sequence[pulumi.Resource],
    transit_gateway_id: pulumi.Input[str] | None = None,
    core_network_arn: pulumi.Input[str] | None = None,
) -> list[aws.ec2.Route]:
    """Routes for `prefixes` towards a hub in each of a VPC's route tables (key -> id), named from the table key
    and the prefix. They wait for the hub attachment (`depends_on`): AWS refuses a route to a hub the VPC is not
    attached to yet."""
    created = []
    for key in sorted(route_table_ids):
        for cidr in prefixes:
            v6 = ipaddress.ip_network(cidr).version == 6
            created.append(aws.ec2.Route(
                f"{prefix}-{key}-{name_key(cidr)}",
                route_table_id=route_table_ids[key],
                destination_cidr_block=None if v6 else cidr,
                destination_ipv6_cidr_block=cidr if v6 else None,
                transit_gateway_id=transit_gateway_id,
                core_network_arn=core_network_arn,
                region=region,
                opts=child_opts(parent, depends_on=depends_on),
            ))
    return created

