"""Safe defaults, as the components register them under Pulumi's mocks (the example stacks, and variants of them):

- interconnects, Direct Connect gateways and virtual interfaces, Transit Gateways and Cloud WAN networks are
  protected from deletion; `protect: false` is refused (XC605) unless waived with a reason, and then unprotects only
  that object;
- activation keys and BGP keys are secrets: secret inputs, secret outputs, and never in clear text in an output the
  library produces (component outputs, stack exports);
- no generated permission policy has a wildcard action or resource, unless the spec waives XC505;
- resolver security groups open DNS (53, TCP and UDP) only, only from the declared sources (inbound) or to the
  rules' targets (outbound), never from or to everywhere.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
from parliament import iam_definition
import yaml
from google.protobuf import json_format
from pulumi.runtime import rpc

from xcloud_iac.components import DirectConnectLink, DirectConnectLinkArgs, TgwAttachPoint
from xcloud_iac.plan.mocks import Recorder, install, run
from xcloud_iac.program import DeploymentBlocked, deploy
from xcloud_iac.spec import load_text
from xcloud_iac.spec import models as m

STACKS = Path(__file__).parents[1] / "stacks"
STACK_NAMES = sorted(p.stem for p in STACKS.glob("*.yaml"))

PROTECTED = {
    "aws-native:interconnect:Connection",
    "gcp:networkconnectivity/transport:Transport",
    "aws:directconnect/gateway:Gateway",
    "aws:directconnect/transitVirtualInterface:TransitVirtualInterface",
    "aws:ec2transitgateway/transitGateway:TransitGateway",
    "aws:networkmanager/coreNetwork:CoreNetwork",
    "aws:networkmanager/globalNetwork:GlobalNetwork",
}
TRANSPORT = "gcp:networkconnectivity/transport:Transport"
CONNECTION = "aws-native:interconnect:Connection"
VIF = "aws:directconnect/transitVirtualInterface:TransitVirtualInterface"
# The keys the mocks generate (see xcloud_iac.plan.mocks): Google's for the transport, AWS's for the connection.
GOOGLE_KEY = "gcp-generated-key-use1-gcp-transport"
AWS_KEY = "aws-generated-key-use1-gcp-connection"


def spec(name: str, change: Callable[[dict], Any] | None = None) -> m.Stack:
    data = yaml.safe_load((STACKS / f"{name}.yaml").read_text())
    if change is not None:
        change(data)
    return load_text(yaml.safe_dump(data), f"{name}.yaml")


def deployed(stack: m.Stack) -> Recorder:
    _mocks, recorder = install()
    run(lambda: deploy(stack, export=False))
    return recorder


def blocked(stack: m.Stack) -> DeploymentBlocked:
    """deploy() refuses the stack, and has registered nothing."""
    _mocks, recorder = install()
    with pytest.raises(DeploymentBlocked) as refused:
        run(lambda: deploy(stack, export=False))
    assert recorder.registered == []
    return refused.value


def waive(obj: dict, rule: str) -> None:
    obj.setdefault("ignore", []).append({"rule": rule, "reason": "reviewed in CHG-1234"})


# ---------------------------------------------------------------- deletion protection


@pytest.mark.parametrize("name", STACK_NAMES)
def test_interconnects_gateways_and_hubs_are_protected(name: str) -> None:
    recorder = deployed(spec(name))
    protected = [r for r in recorder.registered if r.type in PROTECTED]
    assert protected and all(r.protect for r in protected), [r.name for r in protected if not r.protect]


def test_every_protected_kind_occurs_in_the_examples() -> None:
    """So the test above is not vacuous: the examples (and a link with its virtual interface) have every kind."""
    seen = {r.type for name in STACK_NAMES for r in deployed(spec(name)).registered}
    assert PROTECTED - seen == {VIF}
    recorder = deployed(spec("alibaba-tencent", with_virtual_interface))
    assert recorder.one(VIF).protect


def with_virtual_interface(data: dict) -> None:
    data["links"][0].update(connection_id="dxcon-ffabc123", vlan=101)


# (stack, where the object is in the spec, its name): the component of the same name owns its protected resources
OPT_OUTS = {
    "interconnect": ("dr-pair", lambda s: s["interconnects"][0], "use1-gcp"),
    "transit gateway": ("dr-pair", lambda s: s["hubs"][0], "tgw-use1"),
    "cloud wan core": ("cloud-wan", lambda s: s["hubs"][0], "core"),
    "external link": ("alibaba-tencent", lambda s: s["links"][0], "ali-dx"),
}


@pytest.mark.parametrize("case", sorted(OPT_OUTS))
def test_protect_false_without_a_waiver_is_refused_before_anything_is_registered(case: str) -> None:
    name, where, _owner = OPT_OUTS[case]
    refused = blocked(spec(name, lambda s: where(s).update(protect=False)))
    assert {f.rule for f in refused.findings} == {"XC605"}


@pytest.mark.parametrize("case", sorted(OPT_OUTS))
def test_protect_false_with_an_xc605_waiver_unprotects_that_object_only(case: str) -> None:
    name, where, owner = OPT_OUTS[case]

    def opt_out(data: dict) -> None:
        where(data)["protect"] = False
        waive(where(data), "XC605")

    recorder = deployed(spec(name, opt_out))
    protected = [r for r in recorder.registered if r.type in PROTECTED]
    assert {r.name for r in protected if not r.protect} == {r.name for r in protected if r.parent_name == owner} != set()


# ---------------------------------------------------------------- keys are secrets


def capture_component_outputs(recorder: Recorder) -> dict[str, dict]:
    """The outputs each component registers (register_outputs), by URN, as the engine receives them: a secret is
    a {sig: secret, value} wrapper."""
    outputs: dict[str, dict] = {}
    forward = recorder.RegisterResourceOutputs

    def capture(request):
        outputs[request.urn] = json_format.MessageToDict(request.outputs)
        return forward(request)

    recorder.RegisterResourceOutputs = capture  # type: ignore[method-assign]
    return outputs


def clear_text(value: Any) -> Iterator[str]:
    """Every string in a serialized value that is not inside a secret."""
    if isinstance(value, dict):
        if value.get(rpc._special_sig_key) == rpc._special_secret_sig:
            return
        for item in value.values():
            yield from clear_text(item)
    elif isinstance(value, list):
        for item in value:
            yield from clear_text(item)
    elif isinstance(value, str):
        yield value


def google_generates_the_key(data: dict) -> None:
    assert data["interconnects"][0]["activation_key_from"] == "gcp"


def aws_generates_the_key(data: dict) -> None:
    data["interconnects"][0]["activation_key_from"] = "aws"
    data["interconnects"][0]["aws"]["environment_id"] = "env-0123456789"


@pytest.mark.parametrize(("mode", "key", "given_to"), [
    (google_generates_the_key, GOOGLE_KEY, (CONNECTION, "activationKey")),
    (aws_generates_the_key, AWS_KEY, (TRANSPORT, "providedActivationKey")),
], ids=["google-generates", "aws-generates"])
def test_the_activation_key_is_a_secret_wherever_it_goes(mode, key: str, given_to: tuple[str, str]) -> None:
    _mocks, recorder = install()
    component_outputs = capture_component_outputs(recorder)
    run(lambda: deploy(spec("dr-pair", mode), export=False))

    token, field = given_to
    accepting = recorder.one(token)
    assert accepting.inputs[field] == key and field in accepting.secret_inputs
    # both ends keep every key field secret in state, given or generated (the providers mark none of them)
    assert "activationKey" in recorder.one(CONNECTION).secret_outputs
    assert {"generatedActivationKey", "providedActivationKey"} <= set(recorder.one(TRANSPORT).secret_outputs)

    [interconnect] = [urn for urn in component_outputs if urn.endswith("AwsGcpInterconnect::use1-gcp")]
    wrapped = component_outputs[interconnect]["activation_key"]
    assert wrapped == {rpc._special_sig_key: rpc._special_secret_sig, "value": key}
    leaks = {urn: s for urn, outputs in component_outputs.items() for s in clear_text(outputs) if key in s}
    assert leaks == {}


def exports_of(mode, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], str]:
    """What deploy() exports for the stack, and all of it as JSON once every output has resolved (run() waits)."""
    exported: dict[str, Any] = {}
    monkeypatch.setattr(pulumi, "export", exported.__setitem__)

    def program() -> pulumi.Output[str]:
        deploy(spec("dr-pair", mode))
        return pulumi.Output.from_input(exported).apply(lambda values: json.dumps(values, sort_keys=True))

    install()
    return exported, run(program)


def test_no_stack_export_carries_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    for mode in (google_generates_the_key, aws_generates_the_key):
        exported, text = exports_of(mode, monkeypatch)
        assert exported and GOOGLE_KEY not in text and AWS_KEY not in text


@pytest.mark.parametrize(("mode", "given_to"), [
    (google_generates_the_key, (CONNECTION, "activationKey")),
    (aws_generates_the_key, (TRANSPORT, "providedActivationKey")),
], ids=["google-generates", "aws-generates"])
def test_the_offline_plan_masks_the_activation_key(mode, given_to: tuple[str, str]) -> None:
    """What `xcloud plan` lists and `xcloud diff` compares: the resource inventory, every secret input masked."""
    from xcloud_iac.plan.inventory import SECRET, plan_stack

    inventory = plan_stack(spec("dr-pair", mode))
    token, field = given_to
    [accepting] = [r for r in inventory.resources if r.type == token]
    assert accepting.inputs[field] == SECRET
    text = json.dumps([inventory.to_dict(), [r.inputs for r in inventory.resources]])
    assert GOOGLE_KEY not in text and AWS_KEY not in text


def test_bgp_keys_of_virtual_interfaces_and_peers_are_secret() -> None:
    recorder = deployed(spec("alibaba-tencent", with_virtual_interface))
    assert "bgpAuthKey" in recorder.one(VIF).secret_outputs

    link = m.ExternalLink.model_validate({
        "name": "ali-dx", "location": "EqSG2", "region": "ap-southeast-1", "bandwidth": "1Gbps",
        "connection_id": "dxcon-ffabc123", "vlan": 101, "stack_type": "dual",
        "aws": {"dx_gateway_asn": 64601, "allowed_prefixes": ["10.70.0.0/16"]},
        "remote": {"network": "ali-prod", "asn": 65101, "allowed_prefixes": ["172.16.0.0/16"]},
    })
    point = TgwAttachPoint("tgw-apse1", "alibaba", "tgw-0123", "ap-southeast-1", "rtb-main", {"main": "rtb-main"})
    _mocks, recorder = install()
    run(lambda: DirectConnectLink("ali-dx", DirectConnectLinkArgs(link, [point], "test")))
    assert "bgpAuthKey" in recorder.one(VIF).secret_outputs
    assert "bgpAuthKey" in recorder.one("aws:directconnect/bgpPeer:BgpPeer").secret_outputs


# ---------------------------------------------------------------- no wildcard permissions


def _resource_level(action: str) -> bool:
    """Whether IAM lets `action` be scoped to a resource (per parliament's catalogue of AWS's definitions)."""
    service, name = action.split(":", 1)
    for entry in iam_definition:
        if entry["prefix"] == service:
            for privilege in entry["privileges"]:
                if privilege["privilege"] == name:
                    return any(r["resource_type"] for r in privilege["resource_types"])
    return True


def wildcards(policy: str) -> list[str]:
    """What an IAM policy document grants by wildcard: `*` and `service:*` actions, and `*` resources of Allow
    statements, except for actions IAM cannot scope to a resource (Describe* calls, which require `*`). A Deny
    over `*` restricts, so it is no wildcard grant."""
    found = []
    for statement in json.loads(policy)["Statement"]:
        if statement["Effect"] != "Allow":
            continue
        actions, resources = statement.get("Action", []), statement.get("Resource", [])
        actions = [actions] if isinstance(actions, str) else actions
        for action in actions:
            if action == "*" or action.endswith(":*"):
                found.append(f"action {action}")
        for resource in [resources] if isinstance(resources, str) else resources:
            if resource == "*" and any(_resource_level(a) for a in actions):
                found.append("resource *")
    return found


@pytest.mark.parametrize("name", STACK_NAMES)
def test_no_generated_permission_policy_has_a_wildcard(name: str) -> None:
    policies = deployed(spec(name)).of_type("aws:iam/rolePolicy:RolePolicy")
    assert any(p.name.endswith("-flow-logs-write") for p in policies)  # the flow-log delivery role is among them
    assert {p.name: w for p in policies if (w := wildcards(p.inputs["policy"]))} == {}


def every_s3_action(data: dict) -> None:
    data["trust"]["roles"][0]["permissions"][0]["actions"] = ["s3:*"]


def test_a_wildcard_permission_is_refused_without_a_waiver() -> None:
    refused = blocked(spec("dr-pair", every_s3_action))
    assert {f.rule for f in refused.findings} == {"XC505"}


def test_a_wildcard_permission_waived_with_a_reason_is_deployed_as_written() -> None:
    def waived(data: dict) -> None:
        every_s3_action(data)
        waive(data["trust"]["roles"][0], "XC505")

    policy = deployed(spec("dr-pair", waived)).one("aws:iam/rolePolicy:RolePolicy", "gke-orders-reader-permissions")
    assert wildcards(policy.inputs["policy"]) == ["action s3:*"]


# ---------------------------------------------------------------- resolver security groups

SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
# Read from the stacks: inbound endpoints admit their allowed_sources; outbound endpoints reach their rules' targets
# (a named resolver stands for all its addresses).
RESOLVER_GROUPS = {
    "dr-pair": {
        "aws-prod-resolver-use1-inbound-sg": ("ingress", {"35.199.192.0/19"}),
        # to the subnet Google allocates the inbound forwarder address from (read at deployment)
        "aws-prod-resolver-use1-outbound-sg": ("egress", {"10.20.0.0/20"}),
    },
    "alibaba-tencent": {
        "aws-hub-resolver-apse1-inbound-sg": ("ingress", {"172.16.0.0/16", "172.20.0.0/16"}),
        "aws-hub-resolver-apse1-outbound-sg": ("egress", {"172.16.0.53/32", "172.16.1.53/32", "172.20.0.53/32",
                                                          "172.20.1.53/32"}),
    },
}


@pytest.mark.parametrize("name", sorted(RESOLVER_GROUPS))
def test_resolver_security_groups_open_dns_only_where_declared(name: str) -> None:
    groups = {g.name: g for g in deployed(spec(name)).of_type(SECURITY_GROUP)}
    assert set(groups) == set(RESOLVER_GROUPS[name])
    for group_name, (direction, cidrs) in RESOLVER_GROUPS[name].items():
        group = groups[group_name]
        other = "egress" if direction == "ingress" else "ingress"
        assert group.inputs[other] == [], f"{group_name} has {other} rules"
        rules = group.inputs[direction]
        assert sorted(r["protocol"] for r in rules) == ["tcp", "udp"]
        for rule in rules:
            assert (rule["fromPort"], rule["toPort"]) == (53, 53)
            assert set(rule) <= {"protocol", "fromPort", "toPort", "cidrBlocks", "ipv6CidrBlocks", "description"}
            opened = set(rule.get("cidrBlocks", []) + rule.get("ipv6CidrBlocks", []))
            assert not [c for c in opened if ipaddress.ip_network(c).prefixlen == 0], f"{group_name} is open to all"
            assert opened == cidrs


def test_a_resolver_endpoint_open_to_everyone_is_refused() -> None:
    def open_to_all(data: dict) -> None:
        data["dns"]["resolver_endpoints"][0]["allowed_sources"] = ["0.0.0.0/0"]

    refused = blocked(spec("dr-pair", open_to_all))
    assert refused.problems == [
        ("ResolverForwarding 'aws-prod-resolver': endpoint 'use1-inbound': allowed source 0.0.0.0/0 admits every "
         "address; list the networks that query the endpoint"),
    ]

