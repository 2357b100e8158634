"""A network attached to a hub that another stack deploys (a spec's `hub_attachments`).

The hub's file keeps the hub, its route tables or segments; the attaching file's stack creates the attachment and,
for a Transit Gateway, its association and propagations in the hub's tables, with the ids the hub's stack exports
(`hubIds`, `routeTableIds`: docs/outputs.md). Resources of another account's hub need it shared with this account
(AWS RAM); the attachment is then accepted on the hub's side as that account requires.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi

from ..spec import models as m
from ._attach import TgwAttachPoint, tgw_vpc_attachment, vpc_routes, wan_vpc_attachment, wire_tgw_attachment
from ._common import Problems, stack_name


@dataclass
class AttachedVpc:
    """The VPC of the attached network: ids for a Transit Gateway, ARNs for Cloud WAN (subnet name -> id/ARN)."""

    vpc_id: pulumi.Input[str]
    vpc_arn: pulumi.Input[str]
    subnet_ids: Mapping[str, pulumi.Input[str]]
    subnet_arns: Mapping[str, pulumi.Input[str]]
    ipv6: bool = False
    region: str | None = None
    """The VPC's region: where its routes towards a Cloud WAN core are created (a Transit Gateway's is the hub's)."""


@dataclass
class HubAttachmentArgs:
    hub: m.TransitGateway | m.CloudWanCore
    """The hub's spec, from the file that declares it."""
    attachment: m.HubAttachment
    vpc: AttachedVpc
    hub_id: pulumi.Input[str]
    """Transit gateway id, or Cloud WAN core network id (the hub stack's `hubIds`)."""
    route_table_ids: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Transit Gateway: its route tables' ids by name (the hub stack's `routeTableIds`)."""
    stack: str | None = None
    vpc_route_table_ids: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """The attached network's route tables (key -> id) that get `vpc_routes` towards the hub."""
    vpc_routes: Sequence[str] = ()
    """The prefixes the network sends to the hub: what the organisation-wide routing model says the hub's domain
    of this attachment reaches (topology.dataplane.vpc_routes)."""


class HubAttachment(pulumi.ComponentResource):
    attachment_id: pulumi.Output[str]

    def __init__(self, name: str, args: HubAttachmentArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        self.validate(name, args)
        super().__init__("xcloud:aws:HubAttachment", name, None, opts)
        hub, att, vpc = args.hub, args.attachment, args.vpc
        stack = stack_name(args.stack)
        if isinstance(hub, m.TransitGateway):
            attachment = tgw_vpc_attachment(
                self, f"{name}-att", hub=hub.name, attachment=att.name, transit_gateway_id=args.hub_id,
                vpc_id=vpc.vpc_id, subnet_ids=[vpc.subnet_ids[s] for s in att.subnets], ipv6=vpc.ipv6,
                region=hub.region, stack=stack,
            )
            point = TgwAttachPoint(
                hub=hub.name, attachment=att.name, transit_gateway_id=args.hub_id, region=hub.region,
                route_table_id=args.route_table_ids[att.route_table] if att.route_table else None,
                propagate_to={t: args.route_table_ids[t] for t in att.propagate_to},
            )
            wire_tgw_attachment(self, f"{name}-att", point, attachment.id)
            vpc_routes(self, f"{name}-vpc", args.vpc_route_table_ids, args.vpc_routes, region=hub.region,
                       depends_on=[attachment], transit_gateway_id=args.hub_id)
            self.attachment_id = attachment.id
        else:
            from .cloud_wan import segment_policy_name

            assert att.segment is not None  # validate
            wan_attachment = wan_vpc_attachment(
                self, f"{name}-att", hub=hub.name, attachment=att.name, core_network_id=args.hub_id,
                vpc_arn=vpc.vpc_arn, subnet_arns=[vpc.subnet_arns[s] for s in att.subnets], ipv6=vpc.ipv6,
                segment=segment_policy_name(att.segment), stack=stack,
            )
            # a route to a core network targets its ARN (which names the owner's account): the attachment reports it
            vpc_routes(self, f"{name}-vpc", args.vpc_route_table_ids, args.vpc_routes, region=vpc.region,
                       depends_on=[wan_attachment], core_network_arn=wan_attachment.core_network_arn)
            self.attachment_id = wan_attachment.id
        self.register_outputs({"attachment_id": self.attachment_id})

    @staticmethod
    def validate(name: str, args: HubAttachmentArgs) -> None:
        hub, att = args.hub, args.attachment
        problems = Problems(f"HubAttachment '{name}'")
        for subnet in att.subnets:
            problems.require(subnet in args.vpc.subnet_ids, f"network '{att.network}' has no subnet '{subnet}'")
        if isinstance(hub, m.TransitGateway):
            problems.require(att.segment is None, f"hub '{hub.name}' is a Transit Gateway: use route_table and "
                                                  "propagate_to, not segment")
            for table in ([att.route_table] if att.route_table else []) + list(att.propagate_to):
                problems.require(table in args.route_table_ids, f"hub '{hub.name}' has no route table '{table}'")
            # a static route of the hub's own file that targets this attachment would need its id there
            targeted = [f"{t.name} {r.prefix}" for t in hub.route_tables for r in t.routes if r.attachment == att.name]
            problems.require(not targeted, f"hub '{hub.name}' routes to '{att.name}' from its own file "
                                           f"({', '.join(targeted)}); declare such routes where the attachment is")
        else:
            problems.require(att.segment is not None and att.segment in {s.name for s in hub.segments},
                             f"hub '{hub.name}' is a Cloud WAN core: name one of its segments in segment")
            problems.require(not att.route_table and not att.propagate_to,
                             f"hub '{hub.name}' is a Cloud WAN core: route_table and propagate_to do not apply")
        problems.raise_if_any()
