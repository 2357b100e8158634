"""The policies of `rules` as pulumi_policy ResourceValidationPolicies. Imports pulumi_policy, so it runs in the
pack's own virtualenv (policy/venv), never in the library's: pulumi-policy pins protobuf 5.x."""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from . import rules

PACK_NAME = "xcloud-iac"


def policies() -> list[ResourceValidationPolicy]:
    return [_resource_policy(policy) for policy in rules.POLICIES]


def resource(args: ResourceValidationArgs) -> rules.Resource:
    """What the engine tells a policy about a resource. Secret inputs are not among it: pulumi_policy unwraps them
    before validation, so `secret_inputs` stays unknown (None)."""
    return rules.Resource(
        type=args.resource_type,
        props=args.props,
        name=args.name,
        protect=bool(args.opts.protect),
        secret_outputs=tuple(args.opts.additional_secret_outputs or ()),
    )


def _resource_policy(policy: rules.Policy) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        for message in policy.validate(resource(args), args.get_config()):
            report_violation(message, None)

    return ResourceValidationPolicy(
        name=policy.name,
        description=policy.description,
        validate=validate,
        enforcement_level=EnforcementLevel(policy.enforcement),
        config_schema=PolicyConfigSchema(properties=policy.schema),
        remediation_steps=policy.remediation,
    )
