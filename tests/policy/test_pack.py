"""The pack as `pulumi preview --policy-pack policy/` runs it: policy/__main__.py, started with the Python of the
pack's own virtualenv (policy/venv, where pulumi-policy and its protobuf 5 live), serving the Analyzer gRPC
protocol. This test plays the engine: it configures the pack and sends every resource the example stacks register
(properties marshalled as the engine does, secrets included), and expects what the rules say, word for word.

Skipped without the pack's virtualenv: `python3 -m venv policy/venv && policy/venv/bin/pip install -r
policy/requirements.txt` (or point XCLOUD_POLICY_PYTHON at a Python that has pulumi-policy)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path

import grpc
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime import rpc
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
from xcloud_policies.rules import POLICIES, Resource, violations

from .recorded import ROOT, STACK_NAMES, copy_of, resource, resources

POLICY_DIR = ROOT / "policy"
PACK_PYTHON = Path(os.environ.get("XCLOUD_POLICY_PYTHON", POLICY_DIR / "venv" / "bin" / "python"))
pytestmark = pytest.mark.skipif(
    not PACK_PYTHON.exists(),
    reason=f"no policy-pack virtualenv at {PACK_PYTHON}: python3 -m venv policy/venv && "
           "policy/venv/bin/pip install -r policy/requirements.txt",
)

PRIVATE_RANGES = {"xcloud-dx-allowed-prefixes": {"allowedPrefixes": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]}}
UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's stand-in for a value known only after apply
GITHUB = "token.actions.githubusercontent.com"


@pytest.fixture(scope="module")
def analyzer() -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    process = subprocess.Popen([str(PACK_PYTHON), "-u", "__main__.py"], cwd=POLICY_DIR,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = process.stdout.readline().strip()  # PolicyPack prints its port, then serves
        if not port.isdigit():
            process.kill()
            pytest.fail(f"the policy pack did not start: {process.communicate(timeout=10)[1]}")
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield analyzer_pb2_grpc.AnalyzerStub(channel)
    finally:
        process.terminate()
        process.wait(timeout=10)


def configure(stub, properties: Mapping[str, dict] | None = None, levels: Mapping[str, int] | None = None) -> None:
    """What the engine sends from `--policy-pack-config`: every policy's level (the engine always sends one) and
    properties."""
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for policy in POLICIES:
        entry = request.policyConfig[policy.name]
        entry.enforcementLevel = (levels or {}).get(policy.name, analyzer_pb2.MANDATORY)
        entry.properties.update((properties or {}).get(policy.name, {}))
    stub.Configure(request)


def analyze(stub, resource: Resource) -> list[tuple[str, str, int]]:
    """One resource through the pack, marshalled as the engine does (secret inputs wrapped, KeepSecrets)."""
    secret = resource.secret_inputs or set()
    request = analyzer_pb2.AnalyzeRequest(
        type=resource.type, name=resource.name, urn=f"urn:pulumi:test::xcloud-iac::{resource.type}::{resource.name}",
        options=analyzer_pb2.AnalyzerResourceOptions(protect=resource.protect,
                                                     additionalSecretOutputs=list(resource.secret_outputs)),
    )
    request.properties.update({
        key: {rpc._special_sig_key: rpc._special_secret_sig, "value": value} if key in secret else value
        for key, value in resource.props.items()
    })
    return [(d.policyName, d.message, d.enforcementLevel) for d in stub.Analyze(request).diagnostics]


def expected(resource: Resource, config=None, level: int = analyzer_pb2.MANDATORY) -> list[tuple[str, str, int]]:
    """The rules' verdict as the pack reports it: the policy's description, then the message. The pack cannot
    see secret inputs (pulumi_policy unwraps them), so the rules are asked without them too."""
    descriptions = {p.name: p.description for p in POLICIES}
    found = violations(copy_of(resource, secret_inputs=None), config)
    return [(name, f"{descriptions[name]}\n{message}", level) for name, messages in found.items() for message in messages]


def test_the_pack_declares_every_policy_mandatory_with_its_config(analyzer) -> None:
    info = analyzer.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == "xcloud-iac" and info.supportsConfig
    assert [(p.name, p.enforcementLevel) for p in info.policies] == [(p.name, analyzer_pb2.MANDATORY) for p in POLICIES]
    schemas = {p.name: set(p.configSchema.properties) for p in info.policies}
    assert schemas["xcloud-dx-allowed-prefixes"] == {"allowedPrefixes", "waivers"}
    assert all("waivers" in s for s in schemas.values())


@pytest.mark.parametrize("stack", STACK_NAMES)
def test_everything_the_library_registers_passes_the_running_pack(analyzer, stack: str) -> None:
    configure(analyzer, PRIVATE_RANGES)
    found = {r.name: d for r in resources(stack) if (d := analyze(analyzer, r))}
    assert found == {}


def hand_written() -> list[Resource]:
    """Resources as a team would write them without this library, and the library's own, changed."""
    connection = resource("dr-pair", "use1-gcp-connection")
    association = resource("dr-pair", "use1-gcp-tgw-use1-dxgw-assoc")
    github_aud_only = (
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", '
        f'"Principal": {{"Federated": "arn:aws:iam::111122223333:oidc-provider/{GITHUB}"}}, '
        f'"Condition": {{"StringEquals": {{"{GITHUB}:aud": "sts.amazonaws.com"}}}}}}]}}'
    )
    return [
        Resource("aws:iam/role:Role", {"assumeRolePolicy": github_aud_only}, name="ci-deployer"),
        Resource("aws:ec2transitgateway/transitGateway:TransitGateway", {"amazonSideAsn": 64512}, name="team-tgw"),
        Resource("aws:route53/resolverRule:ResolverRule", {"domainName": "corp.example", "ruleType": "FORWARD"},
                 name="corp"),
        copy_of(association, props={**association.props, "allowedPrefixes": ["10.10.0.0/16", "0.0.0.0/0"]}),
        copy_of(connection, secret_inputs=frozenset(), secret_outputs=()),
    ]


def test_resources_written_without_the_library_get_the_rules_violations(analyzer) -> None:
    configure(analyzer, PRIVATE_RANGES)
    for bad in hand_written():
        verdict = expected(bad, PRIVATE_RANGES)
        assert verdict, bad.name  # each is a violation of some policy
        assert analyze(analyzer, bad) == verdict


def test_allow_list_and_waivers_come_from_the_pack_config(analyzer) -> None:
    association = resource("dr-pair", "use1-gcp-tgw-use1-dxgw-assoc")
    config = {"xcloud-dx-allowed-prefixes": {"allowedPrefixes": ["10.20.0.0/16"]}}
    configure(analyzer, config)
    assert analyze(analyzer, association) == expected(association, config) != []

    waived = {"xcloud-dx-allowed-prefixes": {"allowedPrefixes": ["10.20.0.0/16"],
                                             "waivers": {association.name: "transit range, reviewed in NET-42"}}}
    configure(analyzer, waived)
    assert analyze(analyzer, association) == []


def test_deletion_protection_is_mandatory_or_advisory_per_config(analyzer) -> None:
    tgw = Resource("aws:ec2transitgateway/transitGateway:TransitGateway", {"amazonSideAsn": 64512}, name="team-tgw")
    policy = "xcloud-deletion-protection"
    for level in (analyzer_pb2.MANDATORY, analyzer_pb2.ADVISORY):
        configure(analyzer, levels={policy: level})
        assert analyze(analyzer, tgw) == expected(tgw, level=level) != []
    configure(analyzer, levels={policy: analyzer_pb2.DISABLED})
    assert analyze(analyzer, tgw) == []


def test_a_key_unknown_during_preview_is_still_judged_by_its_options(analyzer) -> None:
    configure(analyzer)
    connection = resource("dr-pair", "use1-gcp-connection")  # the key comes from the Transport, unknown in preview
    previewed = copy_of(connection, props={**connection.props, "activationKey": UNKNOWN_STRING})
    assert analyze(analyzer, previewed) == []
    assert analyze(analyzer, copy_of(previewed, secret_outputs=())) == [(
        "xcloud-secret-keys",
        ("Interconnect activation keys and BGP keys are Pulumi secrets.\n"
         "activationKey is not in additional_secret_outputs: the provider stores it in plain text"),
        analyzer_pb2.MANDATORY,
    )]


def test_a_trust_policy_unknown_during_preview_is_reported_as_not_yet_checkable(analyzer) -> None:
    configure(analyzer)
    role = Resource("aws:iam/role:Role", {"assumeRolePolicy": UNKNOWN_STRING}, name="new-role")
    [(policy, message, level)] = analyze(analyzer, role)
    assert (policy, level) == ("xcloud-oidc-trust-pinned", analyzer_pb2.ADVISORY)
    assert "can't run policy 'xcloud-oidc-trust-pinned'" in message and "during preview" in message
