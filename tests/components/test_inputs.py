"""Component inputs given as `pulumi.Output`s, as a team stack takes them from a StackReference: the resources get
the resolved values, and the same checks that reject plain values reject them once known."""

from __future__ import annotations

import dataclasses
import gc
import json
import logging
import typing

import pulumi
import pytest

from xcloud_iac import components as c
from xcloud_iac.components import (
    CloudDnsForwarding,
    DnsTarget,
    ForwardingZoneArgs,
    GcpWorkloadIdentityForAws,
    GcpWorkloadIdentityForAwsArgs,
    LinkMonitoring,
    OidcIssuer,
    OidcIssuerArgs,
    OidcTrustRole,
    OidcTrustRoleArgs,
    ProbeArgs,
    ResolverForwarding,
    ResolverForwardingArgs,
    ResolverRuleArgs,
)
from xcloud_iac.components._common import ComponentArgsError, is_known

from .mocks import Recorder, install, run
from .test_dns import cloud_dns_args, resolver_args, rules_of
from .test_monitoring import SUBNET_ARN, monitoring_args
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


def test_cloud_dns_project_from_an_output(recorder: Recorder) -> None:
    run(lambda: CloudDnsForwarding("team-dns", cloud_dns_args(project=out("team-project"), inbound_policies=[])))
    assert recorder.one("gcp:dns/managedZone:ManagedZone").inputs["project"] == "team-project"


def test_cloud_dns_target_output_checked_when_known() -> None:
    zone = ForwardingZoneArgs("aws", "aws.example.internal", {"gcp-team": "projects/p/global/networks/team"},
                              [DnsTarget(out("10.10.1.10")), DnsTarget(out("10.10.2.10"), 5353)])
    recorder, error, logged = failing(lambda: CloudDnsForwarding("team-dns", cloud_dns_args(zones=[zone],
                                                                                          inbound_policies=[])))
    expected = "CloudDnsForwarding 'team-dns': zone 'aws': target 10.10.2.10 port 5353; Cloud DNS forwards to port 53"
    assert expected in error and logged == [expected]
    assert not recorder.of_type("gcp:dns/managedZone:ManagedZone")


# ---------------------------------------------------------------- monitoring: probe destinations, the account

def test_probe_destination_and_account_from_outputs(recorder: Recorder) -> None:
    run(lambda: LinkMonitoring("team-mon", monitoring_args(
        probes=[ProbeArgs("orders-gcp", out(SUBNET_ARN), out("10.20.0.10"))], account_id=out("111122223333"))))
    probe = recorder.one("aws:networkmonitor/probe:Probe")
    assert probe.inputs["destination"] == "10.20.0.10" and probe.inputs["sourceArn"] == SUBNET_ARN
    alarm = recorder.one("aws:cloudwatch/metricAlarm:MetricAlarm", "team-mon-orders-gcp-latency")
    assert alarm.inputs["alarmDescription"] == "orders-gcp: latency to 10.20.0.10 above 50.0 ms"
    trust = json.loads(recorder.one("aws:iam/role:Role", "team-mon-flow-logs-role").inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Condition"]["StringEquals"] == {"aws:SourceAccount": "111122223333"}


@pytest.mark.parametrize(("changes", "expected", "stopped"), [
    ({"probes": [ProbeArgs("orders-gcp", SUBNET_ARN, out("gcp-vm.internal"))]},
     "probe 'orders-gcp': destination 'gcp-vm.internal' is not an IP address", "aws:networkmonitor/probe:Probe"),
    ({"account_id": out("1111-2222-3333")}, "account_id '1111-2222-3333' is not 12 digits", "aws:iam/role:Role"),
])
def test_monitoring_outputs_checked_when_known(changes: dict, expected: str, stopped: str) -> None:
    plain = {k: ([dataclasses.replace(p, destination="gcp-vm.internal") for p in v] if k == "probes"
                 else "1111-2222-3333") for k, v in changes.items()}
    with pytest.raises(ComponentArgsError, match=expected):  # the same message for a plain value
        run(lambda: LinkMonitoring("team-mon", monitoring_args(**plain)))
    recorder, error, logged = failing(lambda: LinkMonitoring("team-mon", monitoring_args(**changes)))
    assert f"LinkMonitoring 'team-mon': {expected}" in error
    assert logged == [f"LinkMonitoring 'team-mon': {expected}"]
    assert not recorder.of_type(stopped), "the resource takes the checked value"


# ---------------------------------------------------------------- every cross-stack field takes an Input

# Fields whose names say they hold a cloud identifier or address, which a team stack may read from the platform's
# outputs (docs/outputs.md): each must accept a pulumi.Input.
CROSS_STACK = ("_id", "_ids", "_arn", "_arns", "_url", "ip", "destination", "self_link", "actions", "subjects",
               "audience", "project", "condition", "service_account", "networks")
# ... except these, with the reason they stay plain values:
PLAIN = {
    # Pulumi needs them before any value is known: they name resources or pick which resources exist
    ("ResolverRuleArgs", "vpc_ids"): "keys name the associations (the values are Inputs)",
    ("ForwardingZoneArgs", "networks"): "keys name the zone's networks (the values are Inputs)",
    ("InboundPolicyArgs", "networks"): "keys name the policy's networks (the values are Inputs)",
    ("GcpWorkloadIdentityForAwsArgs", "pool_id"): "names the pool and its logical resource",
    ("GcpWorkloadIdentityForAwsArgs", "provider_id"): "names the provider and its logical resource",
    # the spec's own values, written where they are used, never another stack's
    ("EndpointAddress", "ip"): "a fixed address the spec picks in the endpoint's own subnet",
    ("OperatorRoleArgs", "account_id"): "the platform's own account; the policy is linted as a plain document",
}


def _fields():
    for name in sorted(c.__all__):
        cls = getattr(c, name)
        if isinstance(cls, type) and dataclasses.is_dataclass(cls):
            # pulumi.Input names Output[T] by a forward reference, resolved in pulumi.output's namespace
            hints = typing.get_type_hints(cls, localns=vars(pulumi.output))
            for f in dataclasses.fields(cls):
                yield cls.__name__, f.name, hints[f.name]


def _takes_input(hint: object) -> bool:
    """Whether an annotation admits a pulumi.Output where it holds values (Optional, Sequence and Mapping of it)."""
    if hint is pulumi.Output:
        return True
    return any(_takes_input(arg) for arg in typing.get_args(hint)) or typing.get_origin(hint) is pulumi.Output


def test_every_field_a_team_takes_from_another_stack_accepts_an_input() -> None:
    fields = list(_fields())
    assert len(fields) > 60, "the walk found the components' arguments"
    cross = [(cls, name) for cls, name, _hint in fields if name.endswith(CROSS_STACK) or name in CROSS_STACK]
    assert ("ProbeArgs", "destination") in cross and ("PeerHub", "account_id") in cross
    plain = [(cls, name) for cls, name, hint in fields
             if (cls, name) in cross and (cls, name) not in PLAIN and not _takes_input(hint)]
    assert plain == []
    stale = [key for key in PLAIN if key not in cross]
    assert stale == [], "allow-list entries that name no such field"
