"""OidcTrustRole (alone, as a team stack uses it, and for every issuer kind), OidcIssuer, and
GcpWorkloadIdentityForAws."""

from __future__ import annotations

import json

import pulumi
import pytest

from xcloud_iac.components import (
    ComponentArgsError,
    GcpWorkloadIdentityForAws,
    GcpWorkloadIdentityForAwsArgs,
    OidcIssuer,
    OidcIssuerArgs,
    OidcTrustRole,
    OidcTrustRoleArgs,
)

from . import lint
from .mocks import Recorder, run

ROLE = "aws:iam/role:Role"
PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
GKE = "https://container.googleapis.com/v1/projects/dr-project/locations/us-east4/clusters/dr"

# (issuer URL, subject) for each kind of issuer the stacks trust
ISSUERS = {
    "gke": (GKE, "system:serviceaccount:orders:orders-api"),
    "eks-irsa": ("https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
                 "system:serviceaccount:payments:ledger"),
    "kubernetes": ("https://k8s.example.com", "system:serviceaccount:batch:exporter"),
    "alibaba-ack-rrsa": ("https://oidc-ack.ap-southeast-1.aliyuncs.com/c4b1e2d3f4a5b6c7d8e9f0a1b2c3d4e5f",
                         "system:serviceaccount:payments:ledger-sync"),
    "tencent-tke": ("https://tke-oidc.ap-singapore.tencentcloudapi.com/id/cls-a1b2c3d4",
                    "system:serviceaccount:reports:writer"),
    "github": ("https://token.actions.githubusercontent.com", "repo:example/infra:ref:refs/heads/main"),
}
PERMISSIONS = [
    {"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::example-orders-exports/*"]},
    {"actions": ["s3:ListBucket"], "resources": ["arn:aws:s3:::example-orders-exports"],
     "conditions": {"StringLike": {"s3:prefix": ["exports/*"]}}},
]


def role_args(**changes) -> OidcTrustRoleArgs:
    args = dict(issuer_url=GKE, audience="sts.amazonaws.com", subjects=["system:serviceaccount:orders:orders-api"],
                permissions=PERMISSIONS)
    args.update(changes)
    return OidcTrustRoleArgs(**args)


@pytest.mark.parametrize("kind", sorted(ISSUERS))
def test_trust_policy_pins_audience_and_exact_subject(recorder: Recorder, kind: str) -> None:
    url, subject = ISSUERS[kind]
    run(lambda: OidcTrustRole("reader", role_args(issuer_url=url, subjects=[subject])))
    host = url.removeprefix("https://")
    trust = json.loads(recorder.one(ROLE).inputs["assumeRolePolicy"])

    [statement] = trust["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Principal"] == {"Federated": f"arn:aws:iam::123456789012:oidc-provider/{host}"}
    assert statement["Condition"] == {"StringEquals": {f"{host}:aud": "sts.amazonaws.com", f"{host}:sub": [subject]}}
    assert lint.findings(trust, trust=True) == []


def test_used_alone_it_creates_provider_role_and_least_privilege_policy(recorder: Recorder) -> None:
    run(lambda: OidcTrustRole("reader", role_args()))
    provider, role = recorder.one(PROVIDER), recorder.one(ROLE)
    policy = recorder.one("aws:iam/rolePolicy:RolePolicy")
    component = recorder.one("xcloud:trust:OidcTrustRole")

    assert provider.inputs["url"] == GKE
    assert provider.inputs["clientIdLists"] == ["sts.amazonaws.com"]
    assert role.inputs["maxSessionDuration"] == 3600
    assert {r.parent for r in (provider, role, policy)} == {component.urn}
    assert policy.inputs["role"] == recorder.id_of("reader-role")
    document = json.loads(policy.inputs["policy"])
    assert document["Statement"] == [
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::example-orders-exports/*"]},
        {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::example-orders-exports"],
         "Condition": {"StringLike": {"s3:prefix": ["exports/*"]}}},
    ]
    assert lint.findings(document) == []


@pulumi.runtime.test
def test_trust_policy_output_names_the_provider(recorder: Recorder) -> pulumi.Output:
    def check(values: list) -> None:
        trust, provider_arn = values
        assert json.loads(trust)["Statement"][0]["Principal"] == {"Federated": provider_arn}
        assert provider_arn.endswith(":oidc-provider/" + GKE.removeprefix("https://"))

    role = OidcTrustRole("reader", role_args())
    return pulumi.Output.all(role.trust_policy, role.provider_arn).apply(check)


def test_an_existing_provider_is_reused(recorder: Recorder) -> None:
    arn = "arn:aws:iam::123456789012:oidc-provider/container.googleapis.com/v1/projects/p/locations/l/clusters/c"
    run(lambda: OidcTrustRole("reader", role_args(provider_arn=arn)))
    assert recorder.of_type(PROVIDER) == []
    trust = json.loads(recorder.one(ROLE).inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Federated": arn}


def test_issuer_component_shares_one_provider(recorder: Recorder) -> None:
    def program() -> None:
        issuer = OidcIssuer("gke-dr", OidcIssuerArgs(GKE, ["sts.amazonaws.com"]))
        for name in ("reader", "writer"):
            OidcTrustRole(name, role_args(provider_arn=issuer.provider_arn))

    run(program)
    assert [r.name for r in recorder.of_type(PROVIDER)] == ["gke-dr-provider"]
    assert len(recorder.of_type(ROLE)) == 2


def test_waived_wildcard_subject_gets_its_own_string_like_statement(recorder: Recorder) -> None:
    subjects = ["repo:example/infra:ref:refs/heads/main", "repo:example/infra:*"]
    url = ISSUERS["github"][0]
    run(lambda: OidcTrustRole("ci", role_args(issuer_url=url, subjects=subjects,
                                               waivers={"XC502": "every branch deploys to the sandbox"})))
    trust = json.loads(recorder.one(ROLE).inputs["assumeRolePolicy"])
    host = "token.actions.githubusercontent.com"
    exact, broad = trust["Statement"]
    assert exact["Condition"] == {"StringEquals": {f"{host}:aud": "sts.amazonaws.com",
                                                   f"{host}:sub": ["repo:example/infra:ref:refs/heads/main"]}}
    assert broad["Condition"] == {"StringEquals": {f"{host}:aud": "sts.amazonaws.com"},
                                  "StringLike": {f"{host}:sub": ["repo:example/infra:*"]}}
    assert lint.findings(trust, trust=True) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"audience": ""}, "an audience is required"),
        ({"subjects": []}, "at least one exact subject"),
        ({"subjects": ["system:serviceaccount:*"]}, "any service account in any namespace of the cluster"),
        ({"subjects": ["*"]}, "'sub' matches anything"),
        ({"audience": "sts.*"}, "audience 'sts.\\*' is a wildcard"),
        ({"issuer_url": "http://insecure.example.com"}, "is not https"),
        ({"max_session_seconds": 7200}, "waive XC504"),
        ({"permissions": [{"actions": ["s3:*"], "resources": ["arn:aws:s3:::b/*"]}]}, "allows every action"),
        ({"permissions": [{"actions": ["s3:GetObject"], "resources": ["*"]}]}, "resource '\\*'"),
        ({"client_ids": ["orders-api"]}, "audience 'sts.amazonaws.com' is not among the client ids"),
    ],
    ids=["no-audience", "no-subject", "namespace-wildcard", "any-subject", "wildcard-audience", "http", "long-session",
         "wildcard-action", "wildcard-resource", "unregistered-audience"],
)
def test_open_or_broad_trust_is_refused_before_any_child(recorder: Recorder, changes: dict, message: str) -> None:
    with pytest.raises(ComponentArgsError, match=message):
        run(lambda: OidcTrustRole("reader", role_args(**changes)))
    assert recorder.registered == []


def test_a_saml_arn_for_an_issuer_is_refused_with_every_problem(recorder: Recorder) -> None:
    args = role_args(issuer_url="arn:aws:iam::111122223333:saml-provider/corp", subjects=["repo:*"])
    with pytest.raises(ComponentArgsError, match="is not https.*subject 'repo:\\*': every subject matching"):
        run(lambda: OidcTrustRole("reader", args))
    assert recorder.registered == []


def test_the_created_provider_registers_the_audience(recorder: Recorder) -> None:
    run(lambda: OidcTrustRole("reader", role_args(client_ids=["orders-api", "sts.amazonaws.com"])))
    provider = recorder.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert provider.inputs["clientIdLists"] == ["orders-api", "sts.amazonaws.com"]
    # an existing provider's client ids are not the component's to know: the spec rule XC507 judges them
    run(lambda: OidcTrustRole("writer", role_args(client_ids=["orders-api"], provider_arn="arn:aws:iam::1:x")))
    assert recorder.one(ROLE, "writer-role").inputs["assumeRolePolicy"]


def test_a_waiver_allows_a_longer_session(recorder: Recorder) -> None:
    run(lambda: OidcTrustRole("batch", role_args(max_session_seconds=7200,
                                                  waivers={"XC504": "nightly export runs two hours"})))
    assert recorder.one(ROLE).inputs["maxSessionDuration"] == 7200


def wif_args(**changes) -> GcpWorkloadIdentityForAwsArgs:
    args = dict(project="dr-project", pool_id="aws-prod-pool", provider_id="aws-prod", aws_account_id="111122223333",
                attribute_condition="attribute.aws_role == 'arn:aws:sts::111122223333:assumed-role/replicator'",
                aws_roles=["replicator"], service_account="replicator@dr-project.iam.gserviceaccount.com")
    args.update(changes)
    return GcpWorkloadIdentityForAwsArgs(**args)


def test_workload_identity_pool_provider_and_binding(recorder: Recorder) -> None:
    run(lambda: GcpWorkloadIdentityForAws("aws-to-gcp", wif_args()))
    pool = recorder.one("gcp:iam/workloadIdentityPool:WorkloadIdentityPool")
    provider = recorder.one("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider")
    member = recorder.one("gcp:serviceaccount/iAMMember:IAMMember")

    assert pool.inputs["workloadIdentityPoolId"] == "aws-prod-pool" and pool.inputs["project"] == "dr-project"
    assert provider.inputs["aws"] == {"accountId": "111122223333"}
    assert provider.inputs["workloadIdentityPoolProviderId"] == "aws-prod"
    assert provider.inputs["attributeCondition"].startswith("attribute.aws_role ==")
    mapping = provider.inputs["attributeMapping"]
    assert mapping["google.subject"] == "assertion.arn"
    assert "assumed-role" in mapping["attribute.aws_role"]
    assert member.name == "aws-to-gcp-replicator"
    assert member.inputs["role"] == "roles/iam.workloadIdentityUser"
    assert member.inputs["serviceAccountId"] == (
        "projects/dr-project/serviceAccounts/replicator@dr-project.iam.gserviceaccount.com")
    assert member.inputs["member"] == (
        "principalSet://iam.googleapis.com/projects/987654321098/locations/global/workloadIdentityPools/"
        "aws-prod-pool/attribute.aws_role/arn:aws:sts::111122223333:assumed-role/replicator"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"attribute_condition": None}, "an attribute condition is required"),
        ({"service_account": None}, "set service_account"),
        ({"pool_id": "gcp-pool"}, "not starting with 'gcp-'"),
        ({"aws_account_id": "1234"}, "12 digits"),
    ],
    ids=["no-condition", "no-service-account", "reserved-prefix", "account"],
)
def test_workload_identity_bad_arguments_are_refused(recorder: Recorder, changes: dict, message: str) -> None:
    with pytest.raises(ComponentArgsError, match=message):
        run(lambda: GcpWorkloadIdentityForAws("w", wif_args(**changes)))
    assert recorder.registered == []


def test_the_trust_auditor_gates_what_the_role_would_generate(monkeypatch: pytest.MonkeyPatch) -> None:
    """A trust policy the auditor rejects is never created, even if the component's own checks pass."""
    from xcloud_iac.components import oidc_trust
    from xcloud_iac.components._common import ComponentArgsError
    from xcloud_iac.spec.models import issuer_host_path

    def without_subject(provider_arn, issuer_url, audience, subjects):
        host = issuer_host_path(issuer_url)
        return json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Federated": provider_arn}, "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {f"{host}:aud": audience}}}]})

    monkeypatch.setattr(oidc_trust, "trust_policy", without_subject)
    with pytest.raises(ComponentArgsError, match="trust audit XC501: .*'sub' is not constrained"):
        OidcTrustRole.validate("reader", role_args())


@pytest.mark.parametrize("stack", ["dr-pair", "alibaba-tencent"])
def test_every_generated_trust_policy_passes_the_auditor(recorder: Recorder, stack: str) -> None:
    from pathlib import Path

    from xcloud_iac.audit import audit_trust_policy
    from xcloud_iac.program import deploy

    run(lambda: deploy(Path(__file__).parents[2] / "stacks" / f"{stack}.yaml", export=False))
    roles = [r for r in recorder.of_type(ROLE) if "Federated" in r.inputs["assumeRolePolicy"]]
    assert roles, "the stack has OIDC roles"
    for role in roles:
        assert audit_trust_policy(role.inputs["assumeRolePolicy"], role=role.name,
                                  max_session_seconds=role.inputs["maxSessionDuration"]) == []
