"""The operator role of a stack's interconnect: what the people who run it may do, and what they may not do alone.

Least privilege: reading the Direct Connect gateways and their associations, the hubs (Transit Gateways and their
route tables, Cloud WAN core networks) and the link alarms; changing only routes in the hub route tables (e.g. a
blackhole during an incident), on the stack's account and regions. The allow-lists of the Direct Connect gateway
associations are not the operators' to change: they come from the spec (`xcloud verify` reports a change, XC706).

An explicit Deny covers every delete (and detach) action the stack's resources could suffer - Direct Connect
gateways, associations, virtual interfaces and connections; Transit Gateways, their attachments, route tables,
routes, associations and propagations; Cloud WAN core and global networks, attachments and policy versions -
unless the caller signed in with MFA. `BoolIfExists ... "false"` is the pattern that also denies when the key is
absent (long-term access keys carry no aws:MultiFactorAuthPresent at all); a plain `Bool` would let those through.
An explicit Deny wins over any Allow, in this policy or any other attached to the session.

The multicloud interconnect itself (aws-native `Interconnect::Connection`) is protected from deletion by Pulumi;
its `interconnect:` actions are not yet in the IAM catalogue parliament checks against, so they are not listed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from ..tags import aws_tags
from ._common import Problems, child_opts, policy_document, stack_name

MFA_KEY = "aws:MultiFactorAuthPresent"

# Every delete or detach action that could remove what the stack builds around the interconnect.
DELETE_ACTIONS = (
    "directconnect:DeleteBGPPeer",
    "directconnect:DeleteConnection",
    "directconnect:DeleteDirectConnectGateway",
    "directconnect:DeleteDirectConnectGatewayAssociation",
    "directconnect:DeleteDirectConnectGatewayAssociationProposal",
    "directconnect:DeleteInterconnect",
    "directconnect:DeleteLag",
    "directconnect:DeleteVirtualInterface",
    "ec2:DeleteTransitGateway",
    "ec2:DeleteTransitGatewayPeeringAttachment",
    "ec2:DeleteTransitGatewayRoute",
    "ec2:DeleteTransitGatewayRouteTable",
    "ec2:DeleteTransitGatewayVpcAttachment",
    "ec2:DisableTransitGatewayRouteTablePropagation",
    "ec2:DisassociateTransitGatewayRouteTable",
    "networkmanager:DeleteAttachment",
    "networkmanager:DeleteCoreNetwork",
    "networkmanager:DeleteCoreNetworkPolicyVersion",
    "networkmanager:DeleteGlobalNetwork",
    "networkmanager:DeletePeering",
)

# Reads whose API has no resource-level permissions (IAM requires Resource "*").
READ_ANY = (
    "ec2:DescribeTransitGatewayAttachments",
    "ec2:DescribeTransitGatewayPeeringAttachments",
    "ec2:DescribeTransitGatewayRouteTables",
    "ec2:DescribeTransitGatewayVpcAttachments",
    "ec2:DescribeTransitGateways",
    "ec2:GetTransitGatewayRouteTableAssociations",
    "ec2:GetTransitGatewayRouteTablePropagations",
)


@dataclass
class OperatorRoleArgs:
    account_id: str | None
    """The AWS account of the interconnect and hubs; its root may assume the role unless `principals` is given."""
    regions: Sequence[str]
    """Regions of the hubs and interconnects the operators change."""
    principals: Sequence[str] = ()
    """IAM ARNs that may assume the role (default: the account's own principals, through the account root)."""
    max_session_seconds: int = 3600
    stack: str | None = None


class OperatorRole(pulumi.ComponentResource):
    role_arn: pulumi.Output[str]
    policy: str
    """The permission policy (JSON), as attached."""

    def __init__(self, name: str, args: OperatorRoleArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        self.validate(name, args)
        super().__init__("xcloud:aws:OperatorRole", name, None, opts)
        stack = stack_name(args.stack)
        tags = aws_tags(stack, "operator_role", name, name=name)
        principals = list(args.principals) or [f"arn:aws:iam::{args.account_id}:root"]
        role = aws.iam.Role(
            f"{name}-role",
            assume_role_policy=policy_document([{
                "Effect": "Allow",
                "Principal": {"AWS": sorted(principals)},
                "Action": "sts:AssumeRole",
            }]),
            description=f"xcloud {stack}: operates the interconnect; deletes need MFA",
            max_session_duration=args.max_session_seconds,
            tags=tags,
            opts=child_opts(self),
        )
        self.policy = operator_policy(args.account_id, args.regions)
        aws.iam.RolePolicy(f"{name}-policy", role=role.id, policy=self.policy, opts=child_opts(self))
        self.role_arn = role.arn
        self.register_outputs({"role_arn": self.role_arn})

    @staticmethod
    def validate(name: str, args: OperatorRoleArgs) -> None:
        problems = Problems(f"OperatorRole '{name}'")
        problems.require(args.principals or args.account_id,
                         "needs the AWS account (its principals may assume the role) or explicit principals")
        problems.require(args.regions, "needs the regions of the hubs and interconnects it operates")
        problems.require(900 <= args.max_session_seconds <= 3600, "a session lasts 900 to 3600 seconds")
        for arn in args.principals:
            problems.require(arn.startswith("arn:aws:iam::") and "*" not in arn,
                             f"principal {arn!r} is not an exact IAM ARN")
        problems.raise_if_any()


def operator_policy(account_id: str | None, regions: Sequence[str]) -> str:
    """The operator's permission policy: scoped reads and changes, and the Deny of deletes without MFA."""
    account = account_id or "*"
    regions = sorted(set(regions))
    route_tables = [f"arn:aws:ec2:{r}:{account}:transit-gateway-route-table/*" for r in regions]
    return policy_document([
        {"Sid": "Read", "Effect": "Allow", "Action": list(READ_ANY), "Resource": "*"},
        {
            "Sid": "ReadDirectConnect",
            "Effect": "Allow",
            "Action": ["directconnect:DescribeConnections", "directconnect:DescribeDirectConnectGatewayAssociations",
                       "directconnect:DescribeDirectConnectGatewayAttachments",
                       "directconnect:DescribeDirectConnectGateways", "directconnect:DescribeVirtualInterfaces"],
            "Resource": [f"arn:aws:directconnect::{account}:dx-gateway/*",
                         *(f"arn:aws:directconnect:{r}:{account}:{kind}/*" for r in regions
                           for kind in ("dxcon", "dxlag", "dxvif"))],
        },
        {
            "Sid": "ReadHubRoutes",
            "Effect": "Allow",
            "Action": ["ec2:SearchTransitGatewayRoutes"],
            "Resource": route_tables,
        },
        {
            "Sid": "ReadAlarms",
            "Effect": "Allow",
            "Action": ["cloudwatch:DescribeAlarms"],
            "Resource": [f"arn:aws:cloudwatch:{r}:{account}:alarm:*" for r in regions],
        },
        {
            "Sid": "ReadCloudWan",
            "Effect": "Allow",
            "Action": ["networkmanager:GetCoreNetwork", "networkmanager:GetCoreNetworkPolicy",
                       "networkmanager:GetNetworkRoutes"],
            "Resource": [f"arn:aws:networkmanager::{account}:core-network/*",
                         f"arn:aws:networkmanager::{account}:global-network/*"],
        },
        {
            "Sid": "ChangeHubRoutes",
            "Effect": "Allow",
            "Action": ["ec2:CreateTransitGatewayRoute", "ec2:ReplaceTransitGatewayRoute"],
            "Resource": route_tables,
        },
        {
            "Sid": "DenyDeletesWithoutMfa",
            "Effect": "Deny",
            "Action": list(DELETE_ACTIONS),
            "Resource": "*",
            "Condition": {"BoolIfExists": {MFA_KEY: "false"}},
        },
    ])
