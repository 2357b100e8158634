"""Component inputs given as `pulumi.Output`s, as a team stack takes them from a StackReference: the resources get
the resolved values, and the same checks that reject plain values reject them once known."""

from __future__ import annotations

import gc
import json
import logging

import pulumi
import pytest

from xcloud_iac.components import (
    CloudDnsForwarding,
    DnsTarget,
    ForwardingZoneArgs,
    GcpWorkloadIdentityForAws,
    GcpWorkloadIdentityForAwsArgs,
    OidcIssuer,
    OidcIssuerArgs,
    OidcTrustRole,
    OidcTrustRoleArgs,
    ResolverForwarding,
    ResolverForwardingArgs,
    ResolverRuleArgs,
)
from xcloud_iac.components._common import ComponentArgsError, is_known

from .mocks import Recorder, install, run
from .test_dns import cloud_dns_args, resolver_args, rules_of
from .test_trust import GKE, PROVIDER, ROLE

PLATFORM_PROVIDER = "arn:aws:iam::123456789012:oidc-provider/container.googleapis.com/v1/projects/dr-project/" \
                    "locations/us-east4/clusters/dr"


def out(value: object) -> pulumi.Output:
    """A value as a StackReference hands it over: an Output (secret, as `get_output` of a secret is)."""
    return pulumi.Output.secret(value)


class Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def failing(program) -> tuple[Recorder, str, list[str]]:
    """Run a program that must fail once its Outputs resolve: what was registered, the error the run ends with,
    and the errors logged to the deployment."""
    errors = Errors()
    logger = logging.getLogger("xcloud-test-inputs")
    logger.addHandler(errors)
    _mocks, recorder = install(logger=logger)
    try:
        with pytest.raises(Exception) as caught:
            run(program)
    finally:
        logger.removeHandler(errors)
        # The futures of the inputs that depended on the failed value are collected now, not during interpreter
        # shutdown; asyncio reports each as "never retrieved", which is the failure under test, so it is quiet.
        quiet = logging.getLogger("asyncio")
        level, quiet.level = quiet.level, logging.CRITICAL
        try:
            gc.collect()
        finally:
            quiet.setLevel(level)
    return recorder, str(caught.value), errors.messages


def test_is_known_looks_inside_lists_and_dicts() -> None:
    assert is_known({"a": ["x", ("y",)], "b": 1})
    assert not is_known(["x", pulumi.Output.from_input("y")])
    assert not is_known({"a": {"b": pulumi.Output.from_input("y")}})


def test_role_from_outputs_gets_resolved_values(recorder: Recorder) -> None:
    def program():
        role = OidcTrustRole("reader", OidcTrustRoleArgs(
            issuer_url=out(GKE), audience=out("sts.amazonaws.com"),
            subjects=[out("system:serviceaccount:orders:orders-api"), "system:serviceaccount:orders:batch"],
            permissions=[{"actions": ["s3:GetObject"], "resources": [out("arn:aws:s3:::orders/*")]}],
            provider_arn=out(PLATFORM_PROVIDER),
        ))
        return role.trust_policy

    trust = json.loads(run(program))
    assert not recorder.of_type(PROVIDER), "the platform's provider is reused, not created again"
    host = GKE.removeprefix("https://")
    statement = trust["Statement"][0]
    assert statement["Principal"] == {"Federated": PLATFORM_PROVIDER}
    assert statement["Condition"]["StringEquals"] == {
        f"{host}:aud": "sts.amazonaws.com",
        f"{host}:sub": ["system:serviceaccount:orders:batch", "system:serviceaccount:orders:orders-api"],
    }
    role = recorder.one(ROLE)
    assert json.loads(role.inputs["assumeRolePolicy"]) == trust
    assert role.inputs["description"].endswith(GKE)
    policy = json.loads(recorder.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    assert policy["Statement"][0]["Resource"] == ["arn:aws:s3:::orders/*"]


def test_issuer_url_from_output_creates_provider(recorder: Recorder) -> None:
    run(lambda: OidcIssuer("gke", OidcIssuerArgs(url=out(GKE), client_ids=[out("sts.amazonaws.com")])))
    provider = recorder.one(PROVIDER)
    assert provider.inputs["url"] == GKE
    assert provider.inputs["clientIdLists"] == ["sts.amazonaws.com"]


@pytest.mark.parametrize("field, value, expected", [
    ("audience", "*", "audience '*' is a wildcard"),
    ("subjects", ["system:serviceaccount:*"], "waive XC502"),
    ("issuer_url", "http://insecure.example.com", "issuer URL 'http://insecure.example.com'"),
])
def test_role_output_checked_when_known(field: str, value: object, expected: str) -> None:
    args = {"issuer_url": GKE, "audience": "sts.amazonaws.com", "subjects": ["system:serviceaccount:a:b"],
            "provider_arn": PLATFORM_PROVIDER, field: out(value)}
    recorder, error, logged = failing(lambda: OidcTrustRole("reader", OidcTrustRoleArgs(**args)))
    assert "OidcTrustRole 'reader': " in error and expected in error
    assert len(logged) == 1 and logged[0].startswith("OidcTrustRole 'reader': ") and expected in logged[0]
    assert not recorder.of_type(ROLE), "the role takes the checked values, so it is never registered"


def test_plain_values_still_fail_before_registration(recorder: Recorder) -> None:
    with pytest.raises(ComponentArgsError, match="audience '\\*' is a wildcard"):
        run(lambda: OidcTrustRole("reader", OidcTrustRoleArgs(GKE, "*", ["system:serviceaccount:a:b"])))
    assert recorder.registered == []


def test_workload_identity_from_outputs(recorder: Recorder) -> None:
    condition = "attribute.aws_role == 'arn:aws:sts::111122223333:assumed-role/replicator'"
    run(lambda: GcpWorkloadIdentityForAws("aws-callers", GcpWorkloadIdentityForAwsArgs(
        project=out("dr-project"), pool_id="aws-callers", provider_id="aws-prod",
        aws_account_id=out("111122223333"), attribute_condition=out(condition),
        aws_roles=["replicator"], service_account=out("replicator@dr-project.iam.gserviceaccount.com"),
    )))
    provider = recorder.one("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider")
    assert provider.inputs["aws"] == {"accountId": "111122223333"}
    assert provider.inputs["attributeCondition"] == condition
    member = recorder.one("gcp:serviceaccount/iAMMember:IAMMember")
    assert member.inputs["serviceAccountId"] == (
        "projects/dr-project/serviceAccounts/replicator@dr-project.iam.gserviceaccount.com")
    assert member.inputs["member"].endswith("/attribute.aws_role/arn:aws:sts::111122223333:assumed-role/replicator")


def test_workload_identity_account_checked_when_known() -> None:
    recorder, error, logged = failing(lambda: GcpWorkloadIdentityForAws("aws-callers", GcpWorkloadIdentityForAwsArgs(
        project="dr-project", pool_id="aws-callers", provider_id="aws-prod", aws_account_id=out("*"),
        attribute_condition="attribute.aws_account == '111122223333'",
    )))
    assert logged == ["GcpWorkloadIdentityForAws 'aws-callers': aws_account_id '*' is not 12 digits"]
    assert "aws_account_id '*' is not 12 digits" in error
    assert not recorder.of_type("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider")


# ---------------------------------------------------------------- DNS targets from a platform stack

def _team_resolver(targets: list) -> ResolverForwardingArgs:
    """A team's outbound endpoint forwarding to the platform's inbound Resolver addresses (StackReference outputs)."""
    return resolver_args(rules=[ResolverRuleArgs("platform", "platform.example.internal", "outbound", targets,
                                                 {"aws-team": out("vpc-team")})])


def test_resolver_targets_from_outputs(recorder: Recorder) -> None:
    run(lambda: ResolverForwarding("team-resolver", _team_resolver(
        [DnsTarget(out("10.10.1.10")), DnsTarget(out("10.10.2.10")), DnsTarget("10.10.3.10")])))
    rule = recorder.one("aws:route53/resolverRule:ResolverRule", "team-resolver-rule-platform")
    assert rule.inputs["targetIps"] == [{"ip": "10.10.1.10", "port": 53}, {"ip": "10.10.2.10", "port": 53},
                                        {"ip": "10.10.3.10", "port": 53}]
    group = recorder.one("aws:ec2/securityGroup:SecurityGroup", "team-resolver-outbound-sg")
    assert rules_of(group.inputs["egress"]) == [("tcp", 53, 53, ["10.10.1.10/32", "10.10.2.10/32", "10.10.3.10/32"]),
                                                ("udp", 53, 53, ["10.10.1.10/32", "10.10.2.10/32", "10.10.3.10/32"])]


def test_resolver_target_output_checked_when_known() -> None:
    expected = "rule 'platform': target 'not-an-ip' is not an IP address"
    with pytest.raises(ComponentArgsError, match=expected):  # the same message for a plain value
        run(lambda: ResolverForwarding("team-resolver", _team_resolver([DnsTarget("not-an-ip")])))
    recorder, error, logged = failing(lambda: ResolverForwarding("team-resolver", _team_resolver(
        [DnsTarget(out("10.10.1.10")), DnsTarget(out("not-an-ip"))])))
    assert f"ResolverForwarding 'team-resolver': {expected}" in error
    assert logged == [f"ResolverForwarding 'team-resolver': {expected}"]
    assert not recorder.of_type("aws:route53/resolverRule:ResolverRule"), "the rule takes the checked targets"


def test_cloud_dns_targets_from_outputs(recorder: Recorder) -> None:
    zone = ForwardingZoneArgs("aws", "aws.example.internal", {"gcp-team": out("projects/p/global/networks/team")},
                              [DnsTarget(out("10.10.1.10")), DnsTarget(out("2600:1f18::53"))])
    run(lambda: CloudDnsForwarding("team-dns", cloud_dns_args(zones=[zone], inbound_policies=[])))
    managed = recorder.one("gcp:dns/managedZone:ManagedZone")
    assert managed.inputs["forwardingConfig"] == {"targetNameServers": [
        {"ipv4Address": "10.10.1.10", "forwardingPath": "private"},
        {"ipv6Address": "2600:1f18::53", "forwardingPath": "private"},
    ]}


def test_cloud_dns_target_output_checked_when_known() -> None:
    zone = ForwardingZoneArgs("aws", "aws.example.internal", {"gcp-team": "projects/p/global/networks/team"},
                              [DnsTarget(out("10.10.1.10")), DnsTarget(out("10.10.2.10"), 5353)])
    recorder, error, logged = failing(lambda: CloudDnsForwarding("team-dns", cloud_dns_args(zones=[zone],
                                                                                          inbound_policies=[])))
    expected = "CloudDnsForwarding 'team-dns': zone 'aws': target 10.10.2.10 port 5353; Cloud DNS forwards to port 53"
    assert expected in error and logged == [expected]
    assert not recorder.of_type("gcp:dns/managedZone:ManagedZone")
