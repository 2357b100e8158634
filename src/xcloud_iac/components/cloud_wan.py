"""A Cloud WAN core: global network, core network, the core network policy (generated as JSON here), and the VPC
attachments, tagged with their segment so the policy's attachment-policies map them.

The core network starts with a base policy covering every edge region, so attachments can be created before the
full policy is attached; the full policy then maps them to segments by tag. Direct Connect gateway attachments are
created by the interconnect or external link that owns the gateway, from `attach_point()` (see `_attach`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from ..spec import models as m
from ..tags import aws_tags
from ._attach import SEGMENT_TAG, WanAttachPoint, vpc_routes, wan_vpc_attachment
from ._common import Problems, child_opts, stack_name

POLICY_VERSION = "2021.12"


def segment_policy_name(name: str) -> str:
    """A spec segment name as the policy spells it: Cloud WAN segment names are letters and digits only."""
    return re.sub(r"[^A-Za-z0-9]", "", name)


@dataclass
class WanVpcRef:
    """A VPC to attach: its ARN and its subnets' ARNs (name -> ARN)."""

    vpc_arn: pulumi.Input[str]
    subnet_arns: Mapping[str, pulumi.Input[str]]
    ipv6: bool = False
    route_table_ids: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """The VPC route tables (key -> id) that get `vpc_routes` towards the core network."""
    region: str | None = None
    """Region of the VPC (its routes are created there)."""


@dataclass
class CloudWanCoreArgs:
    core: m.CloudWanCore
    vpcs: Mapping[str, WanVpcRef] = field(default_factory=dict)
    """The VPC of every `network` attachment, by network name."""
    stack: str | None = None
    vpc_routes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Network name -> the prefixes its VPC route tables send to the core network (see topology.dataplane)."""


class CloudWanCore(pulumi.ComponentResource):
    global_network_id: pulumi.Output[str]
    core_network_id: pulumi.Output[str]
    core_network_arn: pulumi.Output[str]
    attachment_ids: dict[str, pulumi.Output[str]]
    policy_document: pulumi.Output[str]

    def __init__(self, name: str, args: CloudWanCoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        self.validate(name, args)
        core = args.core
        super().__init__("xcloud:aws:CloudWanCore", name, None, opts)
        stack = stack_name(args.stack)
        self.core = core

        global_network = aws.networkmanager.GlobalNetwork(
            f"{name}-global",
            description=f"xcloud {stack}: {core.name}",
            tags=aws_tags(stack, "global_network", core.name, name=core.name),
            opts=child_opts(self, protect=core.protect),
        )
        core_network = aws.networkmanager.CoreNetwork(
            f"{name}-core",
            global_network_id=global_network.id,
            # The base policy lets attachments exist before the full policy. Edge ASNs are fixed when the core
            # network is created, so the base policy is the full one minus the routes that need attachment ids:
            # same ASN ranges, edges and segments (a base policy from base_policy_regions would allocate the
            # edges' ASNs from the default range, and the full policy would then be refused).
            create_base_policy=True,
            base_policy_document=json.dumps(policy(core, {}, routes_to_attachments=False), sort_keys=True),
            description=f"xcloud {stack}: {core.name}",
            tags=aws_tags(stack, "hub", core.name, name=core.name),
            opts=child_opts(self, protect=core.protect),
        )
        self.global_network_id = global_network.id
        self.core_network_id = core_network.id
        self.core_network_arn = core_network.arn

        segments = {s.name: segment_policy_name(s.name) for s in core.segments}
        self.attachment_ids = {}
        vpc_attachments: dict[str, list[pulumi.Resource]] = {}
        for att in core.attachments:
            if att.network is None:
                continue
            vpc = args.vpcs[att.network]
            vpc_attachment = wan_vpc_attachment(
                self, f"{name}-att-{att.name}", hub=core.name, attachment=att.name, core_network_id=core_network.id,
                vpc_arn=vpc.vpc_arn, subnet_arns=[vpc.subnet_arns[s] for s in att.subnets], ipv6=vpc.ipv6,
                segment=segments[att.segment], stack=stack,
            )
            self.attachment_ids[att.name] = vpc_attachment.id
            vpc_attachments.setdefault(att.network, []).append(vpc_attachment)

        # Static routes to VPC attachments need the attachments' ids: the document is built once they are known.
        self.policy_document = pulumi.Output.all(**self.attachment_ids).apply(
            lambda ids: json.dumps(policy(core, ids), sort_keys=True)
        )
        policy_attachment = aws.networkmanager.CoreNetworkPolicyAttachment(
            f"{name}-policy",
            core_network_id=core_network.id,
            policy_document=self.policy_document,
            opts=child_opts(self),
        )
        # a VPC's routes to the core wait for its attachment and for the policy that puts it in its segment
        for network in sorted(vpc_attachments):
            vpc_routes(self, f"{name}-vpc-{network}", args.vpcs[network].route_table_ids,
                       args.vpc_routes.get(network, ()), region=args.vpcs[network].region,
                       depends_on=[*vpc_attachments[network], policy_attachment],
                       core_network_arn=core_network.arn)
        self._segments = segments
        self.register_outputs({
            "global_network_id": self.global_network_id,
            "core_network_id": self.core_network_id,
            "core_network_arn": self.core_network_arn,
            "attachment_ids": self.attachment_ids,
            "policy_document": self.policy_document,
        })

    @staticmethod
    def validate(name: str, args: CloudWanCoreArgs) -> None:
        _validate(name, args)

    def attach_point(self, attachment: str) -> WanAttachPoint:
        att = next(a for a in self.core.attachments if a.name == attachment)
        return WanAttachPoint(self.core.name, att.name, self.core_network_id, self._segments[att.segment])


def policy(core: m.CloudWanCore, attachment_ids: Mapping[str, str], *,
           routes_to_attachments: bool = True) -> dict[str, Any]:
    """The core network policy document: edges, segments, sharing and static routes, and one attachment policy
    per segment that maps attachments tagged `xcloud:segment=<segment>` to it. Sorted by name, so reordering the
    spec does not change the document. Without `routes_to_attachments` it is the base policy: the static routes
    that target attachments (whose ids do not exist yet) are left out."""
    name = {s.name: segment_policy_name(s.name) for s in core.segments}
    segments = sorted(core.segments, key=lambda s: s.name)

    def edge(e: m.Edge) -> dict[str, Any]:
        return {"location": e.region} | ({"asn": e.asn} if e.asn is not None else {})

    def segment(s: m.Segment) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "name": name[s.name],
            "require-attachment-acceptance": s.require_acceptance,
            "isolate-attachments": s.isolate_attachments,
        }
        if s.edge_locations:
            doc["edge-locations"] = sorted(s.edge_locations)
        return doc

    # sharing is both ways: one share action per unordered pair, listed under the pair's first segment
    partners: dict[str, set[str]] = {}
    for s in segments:
        for other in s.share_with:
            first, second = sorted((s.name, other))
            partners.setdefault(first, set()).add(second)
    actions: list[dict[str, Any]] = [
        {"action": "share", "mode": "attachment-route", "segment": name[s],
         "share-with": sorted(name[o] for o in others)}
        for s, others in sorted(partners.items())
    ]
    for s in segments:
        for route in sorted(s.routes, key=lambda r: (r.prefix.version, r.prefix)):
            if not route.blackhole and not routes_to_attachments:
                continue
            actions.append({
                "action": "create-route",
                "segment": name[s.name],
                "destination-cidr-blocks": [str(route.prefix)],
                "destinations": ["blackhole"] if route.blackhole or route.attachment is None
                else [attachment_ids[route.attachment]],
            })
    return {
        "version": POLICY_VERSION,
        "core-network-configuration": {
            "asn-ranges": list(core.asn_ranges),
            "edge-locations": [edge(e) for e in sorted(core.edges, key=lambda e: e.region)],
        },
        "segments": [segment(s) for s in segments],
        "segment-actions": actions,
        "attachment-policies": [
            {
                "rule-number": 100 * (i + 1),
                "condition-logic": "or",
                "conditions": [{"type": "tag-value", "operator": "equals", "key": SEGMENT_TAG, "value": name[s.name]}],
                "action": {"association-method": "constant", "segment": name[s.name]},
            }
            for i, s in enumerate(segments)
        ],
    }


def _validate(name: str, args: CloudWanCoreArgs) -> None:
    core = args.core
    problems = Problems(f"CloudWanCore '{name}'")
    by_policy_name: dict[str, str] = {}
    for s in core.segments:
        spelled = segment_policy_name(s.name)
        problems.require(spelled[:1].isalpha(), f"segment '{s.name}': a Cloud WAN segment name starts with a letter")
        if spelled in by_policy_name:
            problems.add(f"segments '{by_policy_name[spelled]}' and '{s.name}' are both '{spelled}' in the policy "
                         "(Cloud WAN segment names are letters and digits only)")
        by_policy_name[spelled] = s.name
    segments = {s.name for s in core.segments}
    attachments = {a.name: a for a in core.attachments}
    for att in core.attachments:
        problems.require(att.segment in segments,
                         f"attachment '{att.name}' names segment '{att.segment}', not declared")
        if att.network is not None:
            vpc = args.vpcs.get(att.network)
            if vpc is None:
                problems.add(f"attachment '{att.name}': no VPC given for network '{att.network}'")
            else:
                for subnet in att.subnets:
                    problems.require(subnet in vpc.subnet_arns,
                                     f"attachment '{att.name}': network '{att.network}' has no subnet '{subnet}'")
    for s in core.segments:
        for route in s.routes:
            target = attachments.get(route.attachment) if route.attachment else None
            if route.attachment is not None:
                problems.require(
                    target is not None and target.network is not None,
                    f"segment '{s.name}' route {route.prefix}: a static route targets a VPC attachment of this core "
                    f"or is a blackhole ('{route.attachment}' is not one); Direct Connect routes come over BGP",
                )
    attached = {a.network for a in core.attachments if a.network}
    for network in sorted(args.vpc_routes):
        problems.require(network in attached, f"routes given for network '{network}', which is not attached here")
    problems.raise_if_any()
