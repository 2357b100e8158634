"""Google Workload Identity Federation for AWS callers: AWS roles act as a Google service account without keys.

The pool's AWS provider trusts one AWS account and maps `attribute.aws_role` to the caller's role as
`arn:aws:sts::<account>:assumed-role/<role>` (the session name dropped), so a binding can name a role; the
attribute condition (required: XC506) narrows which identities of the account may federate at all. Each listed
role gets `roles/iam.workloadIdentityUser` on the service account through its principalSet. The bindings are
IAMMember (additive), so other members of the service account's policy are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_gcp as gcp

from ._common import Problems, checked_args, child_opts, stack_name

WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser"

# Google's recommended mapping for AWS: the assumed-role ARN without the session name.
AWS_ROLE_MAPPING = (
    "assertion.arn.contains('assumed-role') "
    "? assertion.arn.extract('{account_arn}assumed-role/') + 'assumed-role/' "
    "+ assertion.arn.extract('assumed-role/{role_name}/') "
    ": assertion.arn"
)
ATTRIBUTE_MAPPING = {
    "google.subject": "assertion.arn",
    "attribute.aws_account": "assertion.account",
    "attribute.aws_role": AWS_ROLE_MAPPING,
}

_POOL_ID = re.compile(r"^[a-z0-9-]{4,32}$")


@dataclass
class GcpWorkloadIdentityForAwsArgs:
    """The project, the AWS account, the condition and the service account accept a `pulumi.Input` (e.g. from a
    StackReference); they are checked when known. Role names name resources, so they are plain strings."""

    project: pulumi.Input[str]
    pool_id: str
    provider_id: str
    aws_account_id: pulumi.Input[str]
    attribute_condition: pulumi.Input[str] | None
    """CEL condition on the AWS identity, e.g. attribute.aws_role == 'arn:aws:sts::1111:assumed-role/replicator'."""
    aws_roles: Sequence[str] = ()
    """AWS role names that may impersonate the service account."""
    service_account: pulumi.Input[str] | None = None
    """Email of the service account the roles impersonate."""
    waivers: Mapping[str, str] = field(default_factory=dict)
    """Rule id -> reason: XC506 admits a provider without an attribute condition."""
    stack: str | None = None


class GcpWorkloadIdentityForAws(pulumi.ComponentResource):
    pool_name: pulumi.Output[str]
    provider_name: pulumi.Output[str]
    principal_sets: dict[str, pulumi.Output[str]]
    """The principalSet member of each role, by role name."""

    def __init__(
        self, name: str, args: GcpWorkloadIdentityForAwsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        checked = checked_args(args, ("aws_account_id", "attribute_condition", "service_account"),
                               lambda a: self.validate(name, a))
        super().__init__("xcloud:trust:GcpWorkloadIdentityForAws", name, None, opts)
        stack = stack_name(args.stack)
        account = checked.aws_account_id

        pool = gcp.iam.WorkloadIdentityPool(
            f"{name}-pool",
            project=args.project,
            workload_identity_pool_id=args.pool_id,
            display_name=args.pool_id,
            description=pulumi.Output.concat(f"xcloud {stack}: AWS account ", account),
            opts=child_opts(self),
        )
        provider = gcp.iam.WorkloadIdentityPoolProvider(
            f"{name}-provider",
            project=args.project,
            workload_identity_pool_id=pool.workload_identity_pool_id,
            workload_identity_pool_provider_id=args.provider_id,
            display_name=args.provider_id,
            aws={"account_id": account},
            attribute_mapping=ATTRIBUTE_MAPPING,
            attribute_condition=checked.attribute_condition,
            opts=child_opts(self),
        )

        self.principal_sets = {}
        for role in sorted(args.aws_roles):
            # pool.name is projects/<project-number>/locations/global/workloadIdentityPools/<pool>
            member = pulumi.Output.concat(
                "principalSet://iam.googleapis.com/", pool.name, "/attribute.aws_role/arn:aws:sts::", account,
                f":assumed-role/{role}",
            )
            gcp.serviceaccount.IAMMember(
                f"{name}-{role}",
                service_account_id=pulumi.Output.concat(
                    "projects/", args.project, "/serviceAccounts/", checked.service_account),
                role=WORKLOAD_IDENTITY_USER,
                member=member,
                opts=child_opts(self),
            )
            self.principal_sets[role] = member

        self.pool_name = pool.name
        self.provider_name = provider.name
        self.register_outputs({"pool_name": self.pool_name, "provider_name": self.provider_name,
                               "principal_sets": self.principal_sets})

    @staticmethod
    def validate(name: str, args: GcpWorkloadIdentityForAwsArgs) -> None:
        problems = Problems(f"GcpWorkloadIdentityForAws '{name}'")
        problems.require(re.fullmatch(r"\d{12}", str(args.aws_account_id)),
                         f"aws_account_id '{args.aws_account_id}' is not 12 digits")
        for what, value in (("pool_id", args.pool_id), ("provider_id", args.provider_id)):
            problems.require(_POOL_ID.match(value) and not value.startswith("gcp-"),
                             f"{what} '{value}': 4-32 lower-case letters, digits or '-', not starting with 'gcp-'")
        problems.require(
            args.attribute_condition or "XC506" in args.waivers,
            "an attribute condition is required (otherwise every identity of the AWS account may federate); "
            "or waive XC506 with a reason",
        )
        problems.require(not args.aws_roles or args.service_account,
                         "aws_roles impersonate a service account: set service_account")
        problems.raise_if_any()


def _principal_set(account: str, role: str, pool_name: str) -> str:
    """The principal set of an AWS role's sessions in a pool (pool_name: projects/<number>/.../<pool>)."""
    return f"principalSet://iam.googleapis.com/{pool_name}/attribute.aws_role/arn:aws:sts::{account}:assumed-role/{role}"
