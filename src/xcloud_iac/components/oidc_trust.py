"""AWS roles assumed with OIDC tokens (AssumeRoleWithWebIdentity): GKE and Kubernetes service accounts, EKS IRSA,
Alibaba Cloud ACK RRSA and Tencent Cloud TKE service accounts, GitHub Actions, any https issuer.

The trust policy pins the token's audience and its exact subjects (StringEquals on `<issuer-host-path>:aud` and
`<issuer-host-path>:sub`); a wildcard subject is allowed only with a waiver of XC502 and then goes in a statement of
its own (StringLike), so the exact subjects stay exact. Sessions last at most one hour unless XC504 is waived.

`OidcTrustRole` works on its own in a team stack:

    OidcTrustRole("orders-reader", OidcTrustRoleArgs(
        issuer_url="https://container.googleapis.com/v1/projects/p/locations/us-east4/clusters/dr",
        audience="sts.amazonaws.com",
        subjects=["system:serviceaccount:orders:orders-api"],
        permissions=[{"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::orders/*"]}],
    ))

It creates the IAM OIDC provider for the issuer unless `provider_arn` names an existing one (an account has one
provider per issuer URL, so roles sharing an issuer share its provider: see `OidcIssuer`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import pulumi
import pulumi_aws as aws

from ..audit import audit_trust_policy
from ..audit import issuers as iss
from ..checks.identity.xc503_issuer import url_problem
from ..spec import catalog
from ..spec import models as m
from ..tags import aws_tags
from ._common import Problems, checked_args, child_opts, policy_document, stack_name

# IAM's bounds for a role's maximum session (MaxSessionDuration).
IAM_MIN_SESSION, IAM_MAX_SESSION = catalog.IAM_ROLE_MIN_SESSION, catalog.IAM_ROLE_MAX_SESSION


def trust_policy(provider_arn: str, issuer_url: str, audience: str, subjects: Sequence[str]) -> str:
    """The role's trust policy: web identities of the provider, with this audience and these subjects only."""
    host = m.issuer_host_path(issuer_url)
    audience_operator = "StringLike" if iss.has_wildcard(audience) else "StringEquals"
    groups = (
        ("ExactSubjects", "StringEquals", sorted(s for s in subjects if not iss.has_wildcard(s))),
        ("WaivedWildcardSubjects", "StringLike", sorted(s for s in subjects if iss.has_wildcard(s))),
    )
    statements = []
    for sid, operator, group in groups:
        if not group:
            continue
        conditions: dict[str, dict[str, Any]] = {audience_operator: {f"{host}:aud": audience}}
        conditions.setdefault(operator, {})[f"{host}:sub"] = group
        statements.append({
            "Sid": sid,
            "Effect": "Allow",
            "Principal": {"Federated": provider_arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": conditions,
        })
    return policy_document(statements)


def permission_policy(permissions: Sequence[m.Permission]) -> str:
    """The role's inline policy: exactly the spec's statements (actions and resources sorted, for stable text)."""
    return policy_document(
        {
            "Effect": "Allow",
            "Action": sorted(p.actions),
            "Resource": sorted(p.resources),
            **({"Condition": p.conditions} if p.conditions else {}),
        }
        for p in permissions
    )


def _plain_trust(args: OidcTrustRoleArgs) -> tuple[str, str, Sequence[str]]:
    """Issuer URL, audience and subjects of arguments whose Inputs are resolved (checked_args)."""
    return cast(str, args.issuer_url), cast(str, args.audience), cast(Sequence[str], args.subjects)


def _permissions(raw: Sequence[m.Permission | Mapping[str, Any]]) -> list[m.Permission]:
    """Permission statements as spec models (they were validated by `OidcTrustRole.validate`)."""
    return [p if isinstance(p, m.Permission) else m.Permission.model_validate(p) for p in raw]


def _oidc_provider(
    parent: pulumi.Resource, name: str, *, url: pulumi.Input[str], client_ids: pulumi.Input[Sequence[str]],
    thumbprints: pulumi.Input[Sequence[str]], tags: Mapping[str, str],
) -> aws.iam.OpenIdConnectProvider:
    return aws.iam.OpenIdConnectProvider(
        f"{name}-provider",
        url=url,
        client_id_lists=pulumi.Output.from_input(client_ids).apply(sorted),
        # AWS verifies the issuer's certificate itself for well-known CAs; thumbprints are optional
        thumbprint_lists=pulumi.Output.from_input(thumbprints).apply(lambda t: sorted(t) or None),
        tags=dict(tags),
        opts=child_opts(parent),
    )


@dataclass
class OidcIssuerArgs:
    url: pulumi.Input[str]
    client_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Audiences the IAM OIDC provider accepts (e.g. sts.amazonaws.com)."""
    thumbprints: pulumi.Input[Sequence[pulumi.Input[str]]] = ()
    stack: str | None = None


class OidcIssuer(pulumi.ComponentResource):
    """The IAM OIDC provider of one issuer, shared by every role that trusts it."""

    provider_arn: pulumi.Output[str]
    url: pulumi.Output[str]

    def __init__(self, name: str, args: OidcIssuerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        checked = checked_args(args, ("url", "client_ids", "thumbprints"), lambda a: self.validate(name, a))
        super().__init__("xcloud:trust:OidcIssuer", name, None, opts)
        provider = _oidc_provider(
            self, name, url=checked.url, client_ids=checked.client_ids, thumbprints=checked.thumbprints,
            tags=aws_tags(stack_name(args.stack), "issuer", name, name=name),
        )
        self.provider_arn = provider.arn
        self.url = provider.url
        self.register_outputs({"provider_arn": self.provider_arn, "url": self.url})

    @staticmethod
    def validate(name: str, args: OidcIssuerArgs) -> None:
        problems = Problems(f"OidcIssuer '{name}'")
        problem = url_problem(args.url)  # type: ignore[arg-type]
        problems.require(problem is None, f"issuer URL '{args.url}' {problem}")
        problems.require(args.client_ids, "an IAM OIDC provider needs at least one client id (audience)")
        problems.raise_if_any()


@dataclass
class OidcTrustRoleArgs:
    """Every value a team may take from another stack (issuer URL, audience, subjects, provider ARN, the
    resources of a permission) accepts a `pulumi.Input`; the checks run when the value is known."""

    issuer_url: pulumi.Input[str]
    audience: pulumi.Input[str]
    subjects: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Exact 'sub' claims allowed (e.g. system:serviceaccount:ns:sa, repo:org/repo:ref:refs/heads/main)."""
    permissions: Sequence[m.Permission | Mapping[str, Any]] = ()
    """Inline permission statements: actions, resources, optional conditions."""
    max_session_seconds: int = catalog.MAX_SESSION_SECONDS
    provider_arn: pulumi.Input[str] | None = None
    """An existing IAM OIDC provider for the issuer (e.g. the platform stack's `oidcProviderArns` output); None
    creates one. AWS allows one provider per issuer URL in an account, so a team reuses the platform's."""
    client_ids: pulumi.Input[Sequence[pulumi.Input[str]]] = ()
    """Audiences of a created provider (default: the audience)."""
    thumbprints: pulumi.Input[Sequence[pulumi.Input[str]]] = ()
    waivers: Mapping[str, str] = field(default_factory=dict)
    """Rule id -> reason, as in the spec's `ignore`: XC502 admits wildcard subjects, XC504 sessions over an hour,
    XC505 wildcard actions or resources."""
    description: str | None = None
    stack: str | None = None


# the fields the checks read: given as Outputs, they are checked once known
_ROLE_CHECKED = ("issuer_url", "audience", "subjects", "permissions", "client_ids")


class OidcTrustRole(pulumi.ComponentResource):
    role_arn: pulumi.Output[str]
    role_name: pulumi.Output[str]
    provider_arn: pulumi.Output[str]
    trust_policy: pulumi.Output[str]
    permission_policy: pulumi.Output[str] | None

    def __init__(self, name: str, args: OidcTrustRoleArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        checked = checked_args(args, _ROLE_CHECKED, lambda a: self.validate(name, a))
        super().__init__("xcloud:trust:OidcTrustRole", name, None, opts)
        stack = stack_name(args.stack)
        tags = aws_tags(stack, "role", name, name=name)

        if args.provider_arn is None:
            provider_arn = _oidc_provider(
                self, name, url=checked.issuer_url,
                client_ids=checked.apply(lambda a: list(cast(Sequence[str], a.client_ids)) or [cast(str, a.audience)]),
                thumbprints=cast(pulumi.Input[Sequence[str]], args.thumbprints), tags=tags,
            ).arn
        else:
            provider_arn = pulumi.Output.from_input(args.provider_arn)

        self.trust_policy = pulumi.Output.all(checked, provider_arn).apply(
            lambda both: trust_policy(both[1], *_plain_trust(both[0]))
        )
        role = aws.iam.Role(
            f"{name}-role",
            assume_role_policy=self.trust_policy,
            max_session_duration=args.max_session_seconds,
            description=args.description or checked.apply(
                lambda a: f"xcloud {stack}: assumed with tokens of {a.issuer_url}"),
            tags=tags,
            opts=child_opts(self),
        )
        # how many statements there are is known now; only their values may come later
        self.permission_policy = (
            checked.apply(lambda a: permission_policy(_permissions(a.permissions))) if args.permissions else None
        )
        if self.permission_policy is not None:
            aws.iam.RolePolicy(f"{name}-permissions", role=role.id, policy=self.permission_policy,
                               opts=child_opts(self))

        self.role_arn = role.arn
        self.role_name = role.name
        self.provider_arn = provider_arn
        self.register_outputs({"role_arn": self.role_arn, "provider_arn": self.provider_arn,
                               "trust_policy": self.trust_policy})

    @staticmethod
    def validate(name: str, args: OidcTrustRoleArgs) -> list[m.Permission]:
        """Raise ComponentArgsError for an open or malformed trust; return the permissions as spec models."""
        # validated once known (checked_args): plain values here
        issuer_url, audience = cast(str, args.issuer_url), cast(str, args.audience)
        subjects, client_ids = cast(Sequence[str], args.subjects), cast(Sequence[str], args.client_ids)
        problems = Problems(f"OidcTrustRole '{name}'")
        problem = url_problem(issuer_url)
        problems.require(problem is None, f"issuer URL '{issuer_url}' {problem}")
        problems.require(audience, "an audience is required: without it any token of the issuer is accepted")
        problems.require(subjects, "at least one exact subject is required")
        if "XC502" not in args.waivers:
            issuer = iss.declared(issuer_url, "generic")
            for subject in subjects:
                if iss.has_wildcard(subject):
                    problems.add(f"subject '{subject}': {iss.explain_subject_pattern(issuer, 'sub', subject)}; "
                                 "list exact subjects or waive XC502 with a reason")
            problems.require(not iss.has_wildcard(audience or ""),
                             f"audience '{audience}' is a wildcard, so tokens issued for other audiences are "
                             "accepted; name it or waive XC502 with a reason")
        if args.provider_arn is None and client_ids and audience and "XC507" not in args.waivers:
            problems.require(
                any(iss.iam_like(audience, client_id) for client_id in client_ids),
                f"audience '{audience}' is not among the client ids of the provider it creates "
                f"({', '.join(client_ids)}): STS would refuse every token; add it or waive XC507",
            )
        problems.require(
            IAM_MIN_SESSION <= args.max_session_seconds <= IAM_MAX_SESSION,
            f"max_session_seconds {args.max_session_seconds} is outside IAM's {IAM_MIN_SESSION}..{IAM_MAX_SESSION}",
        )
        problems.require(
            args.max_session_seconds <= catalog.MAX_SESSION_SECONDS or "XC504" in args.waivers,
            f"max_session_seconds {args.max_session_seconds} is over {catalog.MAX_SESSION_SECONDS}; "
            "lower it or waive XC504 with a reason",
        )
        permissions: list[m.Permission] = []
        for i, raw in enumerate(args.permissions):
            try:
                permission = raw if isinstance(raw, m.Permission) else m.Permission.model_validate(raw)
            except ValueError as exc:
                problems.add(f"permission {i}: {exc}")
                continue
            permissions.append(permission)
            if "XC505" in args.waivers:
                continue
            for action in permission.actions:
                problems.require(not (action == "*" or action.endswith(":*")),
                                 f"permission {i}: action '{action}' allows every action; name them or waive XC505")
            for resource in permission.resources:
                problems.require(resource != "*", f"permission {i}: resource '*'; name the ARNs or waive XC505")
        if problem is None and audience and subjects:
            # The generated policies must also satisfy the trust auditor (the one `xcloud audit-trust` and
            # `xcloud verify` use), with a stand-in provider ARN: the real one is only known after creation.
            stand_in = f"arn:aws:iam::000000000000:oidc-provider/{m.issuer_host_path(issuer_url)}"
            for finding in audit_trust_policy(
                trust_policy(stand_in, issuer_url, audience, subjects),
                role=name, issuers=[issuer_url], max_session_seconds=args.max_session_seconds,
                permission_policies=[permission_policy(permissions)] if permissions else (),
            ):
                if finding.rule not in args.waivers:
                    problems.add(f"trust audit {finding.rule}: {finding.message} (at {finding.path})")
        problems.raise_if_any()
        return permissions
