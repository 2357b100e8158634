"""The policy pack's rules, called directly: on everything the example stacks register under mocks (all must pass),
on the same inputs mutated, and on resources written by hand as a team would without this library."""

from __future__ import annotations

import importlib
import json

import pulumi
import pytest
import yaml
from xcloud_policies import rules
from xcloud_policies.rules import POLICIES, Resource, violations

from xcloud_iac.spec import load_text

from .recorded import STACK_NAMES, STACKS, copy_of, resource, resources

PRIVATE_RANGES = {"xcloud-dx-allowed-prefixes": {"allowedPrefixes": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]}}
GITHUB = "token.actions.githubusercontent.com"
GITHUB_PROVIDER = f"arn:aws:iam::111122223333:oidc-provider/{GITHUB}"


def by_name(name: str) -> rules.Policy:
    [policy] = [p for p in POLICIES if p.name == name]
    return policy


def trust(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def web_identity(conditions: dict | None, sid: str | None = None, provider: str = GITHUB_PROVIDER) -> dict:
    statement = {"Effect": "Allow", "Principal": {"Federated": provider}, "Action": "sts:AssumeRoleWithWebIdentity"}
    if sid:
        statement["Sid"] = sid
    if conditions is not None:
        statement["Condition"] = conditions
    return statement


def role(policy: str) -> Resource:
    return Resource(rules.ROLE, {"assumeRolePolicy": policy}, name="ci-deployer")


# ---------------------------------------------------------------- the tokens are the installed SDKs'


def sdk_class(token: str) -> type:
    """The class an installed provider SDK registers under `token` (e.g. aws:iam/role:Role -> pulumi_aws.iam.Role)."""
    package, module, name = token.split(":")
    sdk = importlib.import_module("pulumi_" + package.replace("-", "_"))
    return getattr(getattr(sdk, module.split("/")[0]), name)


def input_names(cls: type) -> set[str]:
    """The camelCase property names of a resource class, as the engine (and so a policy) sees them."""
    return {getattr(p.fget, "_pulumi_name", None) for p in vars(cls).values() if isinstance(p, property)}


def test_every_type_token_is_registered_by_an_installed_sdk() -> None:
    tokens = set().union(*(p.resource_types for p in POLICIES))
    for token in sorted(tokens):
        cls = sdk_class(token)
        assert issubclass(cls, pulumi.CustomResource) and cls.pulumi_type == token, token


@pytest.mark.parametrize(("token", "fields"), [
    (rules.ROLE, {"assumeRolePolicy"}),
    (rules.RESOLVER_RULE, {"ruleType", "targetIps", "domainName"}),
    (rules.DX_ASSOCIATION, {"allowedPrefixes"}),
    *((token, set(keys)) for token, keys in sorted(rules.SECRET_KEYS.items())),
])
def test_every_property_a_policy_reads_exists(token: str, fields: set[str]) -> None:
    assert fields <= input_names(sdk_class(token))


# ---------------------------------------------------------------- the library's own output


@pytest.mark.parametrize("stack", STACK_NAMES)
@pytest.mark.parametrize("config", [None, PRIVATE_RANGES], ids=["default-config", "private-allow-list"])
def test_everything_the_library_registers_passes_every_policy(stack: str, config) -> None:
    found = {r.name: v for r in resources(stack) if (v := violations(r, config))}
    assert found == {}


def test_the_library_passes_when_aws_generates_the_activation_key() -> None:
    data = yaml.safe_load((STACKS / "dr-pair.yaml").read_text())
    data["interconnects"][0].update(activation_key_from="aws")
    data["interconnects"][0]["aws"]["environment_id"] = "env-0123456789"
    stack = load_text(yaml.safe_dump(data), "dr-pair.yaml")
    found = {r.name: v for r in resources(stack) if (v := violations(r, PRIVATE_RANGES))}
    assert found == {}


def test_the_example_stacks_give_every_policy_something_to_judge() -> None:
    judged = {p.name for stack in STACK_NAMES for r in resources(stack) for p in POLICIES if r.type in p.resource_types}
    assert judged == {p.name for p in POLICIES}


# ---------------------------------------------------------------- the library's output, mutated

ROLE_NAME = "gke-orders-reader-role"
GKE = "container.googleapis.com/v1/projects/example-dr-project/locations/us-east4/clusters/dr"


def mutated_trust(change) -> Resource:
    original = resource("dr-pair", ROLE_NAME)
    document = json.loads(original.props["assumeRolePolicy"])
    change(document["Statement"][0]["Condition"])
    return copy_of(original, props={**original.props, "assumeRolePolicy": json.dumps(document)})


def test_trust_without_the_sub_condition_is_open() -> None:
    role = mutated_trust(lambda c: c["StringEquals"].pop(f"{GKE}:sub"))
    [message] = violations(role)["xcloud-oidc-trust-pinned"]
    assert message.startswith("XC501 Statement[0].Condition: ") and "'sub' is not constrained" in message


def test_trust_without_the_aud_condition_is_open() -> None:
    role = mutated_trust(lambda c: c["StringEquals"].pop(f"{GKE}:aud"))
    [message] = violations(role)["xcloud-oidc-trust-pinned"]
    assert message.startswith("XC501 Statement[0].Condition: ") and "'aud' is not constrained" in message


def test_trust_with_a_wildcard_service_account_is_open() -> None:
    def widen(conditions: dict) -> None:
        conditions["StringEquals"].pop(f"{GKE}:sub")
        conditions["StringLike"] = {f"{GKE}:sub": "system:serviceaccount:*"}

    [message] = violations(mutated_trust(widen))["xcloud-oidc-trust-pinned"]
    assert message.startswith(f"XC502 Statement[0].Condition.StringLike.{GKE}:sub: ")
    assert "any service account in any namespace of the cluster can assume this role" in message


def test_resolver_rule_mutated_to_no_targets() -> None:
    original = resource("dr-pair", "aws-prod-resolver-rule-gcp-internal")
    emptied = copy_of(original, props={**original.props, "targetIps": []})
    assert violations(emptied) == {"xcloud-resolver-rule-targets": [
        "FORWARD rule for 'gcp.example.internal' has no targetIps: its queries are forwarded nowhere",
    ]}


ASSOCIATION = "use1-gcp-tgw-use1-dxgw-assoc"


@pytest.mark.parametrize(("prefixes", "config", "expected"), [
    (["0.0.0.0/0"], None, ["allowed prefix 0.0.0.0/0 is a default route: it advertises every address"]),
    (["10.10.0.0/16", "::/0"], None, ["allowed prefix ::/0 is a default route: it advertises every address"]),
    ([], None, ["allowedPrefixes is empty: what the gateway advertises is not an explicit, reviewed list"]),
    (["10.10.0.0/16", "10.99.0.0/16"], {"allowedPrefixes": ["10.10.0.0/16", "10.20.0.0/16"]},
     ["allowed prefix 10.99.0.0/16 is outside the allow-list (10.10.0.0/16, 10.20.0.0/16)"]),
    (["10.10.0.0/8"], {"allowedPrefixes": ["10.10.0.0/16"]},
     ["allowed prefix 10.10.0.0/8 is outside the allow-list (10.10.0.0/16)"]),
    (["10.10.4.0/24"], {"allowedPrefixes": ["10.10.0.0/16"]}, []),
    (["not-a-cidr"], None, ["allowed prefix 'not-a-cidr' is not a CIDR"]),
], ids=["default-route", "ipv6-default-route", "empty", "outside", "wider-than-allowed", "inside", "garbage"])
def test_allowed_prefixes_mutated(prefixes: list[str], config, expected: list[str]) -> None:
    original = resource("dr-pair", ASSOCIATION)
    changed = copy_of(original, props={**original.props, "allowedPrefixes": prefixes})
    assert by_name("xcloud-dx-allowed-prefixes").validate(changed, config) == expected


def test_an_unreadable_allow_list_in_the_config_is_an_error_not_a_pass() -> None:
    with pytest.raises(ValueError, match="policy config allowedPrefixes"):
        by_name("xcloud-dx-allowed-prefixes").validate(resource("dr-pair", ASSOCIATION), {"allowedPrefixes": ["x"]})


@pytest.mark.parametrize(("stack", "name", "what"), [
    ("dr-pair", "use1-gcp-connection", "AWS Interconnect - multicloud connection"),
    ("dr-pair", "use1-gcp-transport", "Google Cross-Cloud Interconnect transport"),
    ("dr-pair", "use1-gcp-dxgw", "Direct Connect gateway"),
    ("dr-pair", "tgw-use1-tgw", "Transit Gateway"),
    ("cloud-wan", "core-core", "Cloud WAN core network"),
    ("cloud-wan", "core-global", "Cloud WAN global network"),
])
def test_unprotecting_an_interconnect_gateway_or_hub_is_a_violation(stack: str, name: str, what: str) -> None:
    unprotected = copy_of(resource(stack, name), protect=False)
    assert violations(unprotected) == {"xcloud-deletion-protection": [
        f"{what} is not protected from deletion: set the resource option protect=True",
    ]}


def test_a_waiver_by_name_with_a_reason_exempts_one_resource() -> None:
    gateway = copy_of(resource("dr-pair", "use1-gcp-dxgw"), protect=False)
    policy = by_name("xcloud-deletion-protection")
    assert policy.validate(gateway, {"waivers": {"use1-gcp-dxgw": "retired in CHG-1234"}}) == []
    assert policy.validate(gateway, {"waivers": {"use1-gcp-dxgw": " "}}) != []  # a reason is required
    assert policy.validate(gateway, {"waivers": {"another-dxgw": "retired"}}) != []


def test_an_activation_key_in_plain_text_is_a_violation() -> None:
    original = resource("dr-pair", "use1-gcp-connection")
    assert "activationKey" in original.secret_inputs and "activationKey" in original.secret_outputs
    plain = copy_of(original, secret_inputs=frozenset(), secret_outputs=())
    assert violations(plain) == {"xcloud-secret-keys": [
        "activationKey is given as a plain input: wrap it in pulumi.Output.secret()",
        "activationKey is not in additional_secret_outputs: the provider stores it in plain text",
    ]}
    # inside `pulumi preview` the pack cannot see secret inputs; the option is what it checks there
    assert violations(copy_of(original, secret_inputs=None)) == {}
    assert violations(copy_of(plain, secret_inputs=None)) == {"xcloud-secret-keys": [
        "activationKey is not in additional_secret_outputs: the provider stores it in plain text",
    ]}


# ---------------------------------------------------------------- resources created without this library


@pytest.mark.parametrize(("policy", "expected"), [
    # GitHub Actions role pinning only the audience: every repository on GitHub may assume it
    (trust(web_identity({"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"}}, sid="GitHub")),
     [("XC501 Statement[0].Condition", "'sub' is not constrained")]),
    # every repository of the organisation
    (trust(web_identity({"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"},
                         "StringLike": {f"{GITHUB}:sub": "repo:example/*"}})),
     [(f"XC502 Statement[0].Condition.StringLike.{GITHUB}:sub", "any repository of 'example'")]),
    # no condition at all
    (trust(web_identity(None)), [("XC501 Statement[0]", "neither 'aud' nor 'sub' is constrained")]),
    # '?' in the organisation is a wildcard too, and ForAnyValue:StringLike is still a pattern match
    (trust(web_identity({"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"},
                         "ForAnyValue:StringLike": {f"{GITHUB}:sub": ["repo:exampl?/infra:ref:refs/heads/main"]}})),
     [(f"XC502 Statement[0].Condition.ForAnyValue:StringLike.{GITHUB}:sub", "organisation matching 'exampl?'")]),
    # IfExists is true for a token without the claim: on an optional claim it pins nothing
    (trust(web_identity({"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"},
                         "StringEqualsIfExists": {f"{GITHUB}:job_workflow_ref":
                                                  "example/infra/.github/workflows/d.yml@refs/heads/main"}})),
     [("XC502 Statement[0].Condition", "also true for tokens that do not carry the claim")]),
    # a subject that names no repository: any repository can customise its subject template to get it
    (trust(web_identity({"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com", f"{GITHUB}:sub": "workflow:deploy"}})),
     [(f"XC502 Statement[0].Condition.StringEquals.{GITHUB}:sub", "names no repository")]),
    # one open statement opens the role, however tight the others are
    (trust(web_identity({"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com",
                                          f"{GITHUB}:sub": "repo:example/infra:ref:refs/heads/main"}}, sid="Main"),
           web_identity({"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"}}, sid="Any")),
     [("XC501 Statement[1].Condition", "even though Statement[0] is tight")]),
    # any AWS principal
    (trust({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}),
     [("XC502 Statement[0].Principal", "any AWS principal ('*')")]),
    (trust({"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}, "Action": "sts:*"}),
     [("XC502 Statement[0].Principal", "any AWS principal ('*')")]),
    ("not json", [("assumeRolePolicy cannot be read (not a JSON policy document)", "")]),
    (trust({"Effect": "Allow", "Principal": "*", "Action": 123}),
     [("assumeRolePolicy cannot be read ('Action' must be a string", "")]),
], ids=["github-audience-only", "github-org-wildcard", "no-condition", "question-mark", "if-exists",
        "forgeable-subject", "second-statement-open", "principal-star", "aws-star", "unreadable", "action-number"])
def test_open_trust_written_by_hand(policy: str, expected: list[tuple[str, str]]) -> None:
    got = by_name("xcloud-oidc-trust-pinned").validate(role(policy))
    assert len(got) == len(expected), got
    for message, (start, phrase) in zip(got, expected, strict=True):
        assert message.startswith(start) and phrase in message, message


@pytest.mark.parametrize("policy", [
    trust(web_identity({"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com",
                                         f"{GITHUB}:sub": ["repo:example/infra:ref:refs/heads/main"]}})),
    # an exact condition bounds a pattern beside it (conditions are ANDed)
    trust(web_identity({"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com",
                                         f"{GITHUB}:sub": "repo:example/infra:environment:prod"},
                        "StringLike": {f"{GITHUB}:sub": "repo:example/*"}})),
    # under StringEquals '*' is a literal character: the role is unusable (XC508, a warning), not open
    trust(web_identity({"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com", f"{GITHUB}:sub": "*"}})),
    # every branch of one repository: a warning with a hint, advisory for the pack
    trust(web_identity({"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"},
                        "StringLike": {f"{GITHUB}:sub": "repo:example/infra:*"}})),
    # every token carries 'sub': IfExists on it pins as much as StringEquals
    trust(web_identity({"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"},
                        "StringEqualsIfExists": {f"{GITHUB}:sub": "repo:example/infra:ref:refs/heads/main"}})),
    # HCP Terraform's documented pattern for one workspace
    trust(web_identity({"StringEquals": {"app.terraform.io:aud": "aws.workload.identity"},
                        "StringLike": {"app.terraform.io:sub":
                                       "organization:example:project:net:workspace:prod:run_phase:*"}},
                       provider="arn:aws:iam::111122223333:oidc-provider/app.terraform.io")),
    # condition keys are case-insensitive; a web identity provider may be named without an ARN
    trust(web_identity({"StringEquals": {"Accounts.Google.com:aud": "123.apps.googleusercontent.com",
                                         "accounts.google.com:SUB": "110000000000000000000"}},
                       provider="accounts.google.com")),
    trust({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
           "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}),
    trust({"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"}),
    trust({"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}),
], ids=["exact", "exact-beside-pattern", "literal-star", "one-repository", "if-exists-on-sub", "terraform-workspace", "google-web-identity", "star-in-org", "service", "deny"])
def test_pinned_trust_written_by_hand_passes(policy: str) -> None:
    assert by_name("xcloud-oidc-trust-pinned").validate(role(policy)) == []


@pytest.mark.parametrize(("props", "expected"), [
    ({"domainName": "corp.example", "ruleType": "FORWARD", "resolverEndpointId": "rslvr-out-1"},
     ["FORWARD rule for 'corp.example' has no targetIps: its queries are forwarded nowhere"]),
    ({"domainName": "corp.example", "ruleType": "FORWARD", "targetIps": [{"port": 53}]},
     ["FORWARD rule for 'corp.example' has no targetIps: its queries are forwarded nowhere"]),
    ({"domainName": "corp.example", "ruleType": "FORWARD", "targetIps": [{"ipv6": "fd00::53"}]}, []),
    ({"domainName": "corp.example", "ruleType": "SYSTEM"}, []),
], ids=["no-targets", "target-without-address", "ipv6-target", "system-rule"])
def test_resolver_rules_written_by_hand(props: dict, expected: list[str]) -> None:
    rule = Resource(rules.RESOLVER_RULE, props, name="corp")
    assert by_name("xcloud-resolver-rule-targets").validate(rule) == expected


def test_a_transit_gateway_created_without_protect() -> None:
    tgw = Resource("aws:ec2transitgateway/transitGateway:TransitGateway", {"amazonSideAsn": 64512}, name="team-tgw")
    assert violations(tgw) == {"xcloud-deletion-protection": [
        "Transit Gateway is not protected from deletion: set the resource option protect=True",
    ]}
    assert violations(copy_of(tgw, protect=True)) == {}


@pytest.mark.parametrize(("token", "props", "secret_outputs", "expected"), [
    ("gcp:networkconnectivity/transport:Transport", {"providedActivationKey": "key-from-aws"}, (),
     ["generatedActivationKey is not in additional_secret_outputs: the provider stores it in plain text",
      "providedActivationKey is not in additional_secret_outputs: the provider stores it in plain text"]),
    # a transport whose key Google generates: the provided-key field is not in play
    ("gcp:networkconnectivity/transport:Transport", {"network": "default"}, ("generatedActivationKey",), []),
    ("aws:directconnect/transitVirtualInterface:TransitVirtualInterface", {"bgpAuthKey": "md5-key"}, (),
     ["bgpAuthKey is not in additional_secret_outputs: the provider stores it in plain text"]),
    # the key is left out (AWS generates one), but it lands in the state all the same
    ("aws:directconnect/bgpPeer:BgpPeer", {"addressFamily": "ipv6"}, (),
     ["bgpAuthKey is not in additional_secret_outputs: the provider stores it in plain text"]),
    ("aws:directconnect/bgpPeer:BgpPeer", {"addressFamily": "ipv6"}, ("bgpAuthKey",), []),
], ids=["transport", "transport-generating", "virtual-interface", "generated-bgp-key", "bgp-key-secret"])
def test_keys_written_by_hand(token: str, props: dict, secret_outputs: tuple, expected: list[str]) -> None:
    keyed = Resource(token, props, name="link", secret_outputs=secret_outputs)
    assert by_name("xcloud-secret-keys").validate(keyed) == expected
