"""Each kind of contract, planted once into a real plan, is reported with its rule id at the spec field; the
example stacks and synthetic organisations plan with no violation; deploy() registers nothing on a violation."""

from __future__ import annotations

import dataclasses

import pytest

from xcloud_iac.contracts import contract_report, diff_contract_findings
from xcloud_iac.contracts.mapping import TABLE
from xcloud_iac.plan import mocks
from xcloud_iac.plan.inventory import Inventory
from xcloud_iac.program import DeploymentBlocked, deploy


def violations_of(name: str, stack, inventory) -> set[tuple[str, str, str, str]]:
    found = set()
    for f in contract_report(stack, inventory).findings:
        resource = f.related[0].path.rsplit("::", 1)[-1]
        what = f.message.split(": ", 1)[0].split(f"'{resource}'", 1)[-1].strip()
        found.add((name, f.rule, resource, what))
    return found


def test_the_example_stacks_plan_with_no_violation(example_plans) -> None:
    found = set().union(*(violations_of(n, s, inv) for n, (s, inv) in example_plans.items()))
    assert found == set()


@pytest.mark.parametrize("size", [10, 40, 120])
def test_a_synthetic_organisation_plans_with_no_violation(size: int) -> None:
    from xcloud_iac.plan.inventory import plan_stack
    from xcloud_iac.synth import generate

    stack = generate(size, seed=1).stack()
    report = contract_report(stack, plan_stack(generate(size, seed=1).stack()))
    assert [f"{f.rule} {f.message}" for f in report.findings] == []


# ---------------------------------------------------------------- one planted violation per kind


def planted(example_plans, stack_name: str, resource_name: str, **changes):
    """The example's plan with one resource's inputs changed (None removes an input)."""
    stack, inventory = example_plans[stack_name]
    resources = []
    for r in inventory.resources:
        if r.name == resource_name and r.custom:
            inputs = {k: v for k, v in {**r.inputs, **changes}.items() if v is not None}
            r = dataclasses.replace(r, inputs=inputs)
        resources.append(r)
    return stack, Inventory(inventory.stack, resources)


def new_findings(example_plans, stack_name: str, stack, inventory) -> list:
    before = {(f.rule, f.message) for f in contract_report(*example_plans[stack_name]).findings}
    return [f for f in contract_report(stack, inventory).findings if (f.rule, f.message) not in before]


CASES = [
    # kind, rule, stack, resource, changes, expected located path
    ("pattern", "XC801", "dr-pair", "gke-orders-reader-role", {"name": "orders reader!"}, "trust.roles[0].name"),
    ("pattern", "XC801", "dr-pair", "use1-gcp-transport", {"name": "Use1_GCP"}, "interconnects[0].name"),
    ("length", "XC802", "dr-pair", "gke-orders-reader-role", {"name": "r" * 65}, "trust.roles[0].name"),
    ("enum", "XC803", "dr-pair", "use1-gcp-transport", {"bandwidth": "BPS_25G"}, "interconnects[0].bandwidth"),
    ("range", "XC804", "dr-pair", "gke-orders-reader-role", {"maxSessionDuration": 900},
     "trust.roles[0].max_session_seconds"),
    ("required", "XC805", "dr-pair", "use1-gcp-transport", {"remoteAccountId": None}, "interconnects[0].aws.account"),
    ("required", "XC805", "dr-pair", "aws-prod-vpc", {"cidrBlock": None}, "networks[0]"),  # requiredXor
    ("required", "XC805", "dr-pair", "aws-prod-resolver-use1-inbound-sg", {"vpcId": None},  # dependentRequired
     "dns.resolver_endpoints[0]"),
    ("exclusive", "XC806", "dr-pair", "use1-gcp-transport", {"providedActivationKey": "[secret]"},
     "interconnects[0].bandwidth"),
    ("read_only", "XC807", "dr-pair", "use1-gcp-transport", {"generatedActivationKey": "k", "mtuLimit": 1500},
     "interconnects[0]"),
    ("region", "XC809", "dr-pair", "monitoring-us-east-1-use1-gcp-monitor", {"region": "ap-east-2"},
     "interconnects[0].monitoring"),
    ("unknown", "XC810", "dr-pair", "use1-gcp-connection",
     {"attachPoint": {"directConnectGateway": "0a1b2c3d-0000-4000-8000-000000000000", "vpc": "x"}},
     "interconnects[0]"),
]


@pytest.mark.parametrize(("kind", "rule", "stack_name", "resource", "changes", "path"), CASES,
                         ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_a_planted_violation_is_reported_with_its_rule(example_plans, kind, rule, stack_name, resource, changes,
                                                       path) -> None:
    stack, inventory = planted(example_plans, stack_name, resource, **changes)
    found = new_findings(example_plans, stack_name, stack, inventory)
    assert [f.rule for f in found if f.rule == rule], [str(f) for f in found]
    finding = next(f for f in found if f.rule == rule)
    assert f"'{resource}'" in finding.message
    assert finding.path == path
    assert finding.location is not None and finding.location.file.endswith(f"{stack_name}.yaml")


def test_a_long_role_name_is_too_long_after_the_auto_naming_suffix(example_plans) -> None:
    """64 characters for RoleName: a 57-character logical name fits, 58 does not (plus '-' and 7 characters)."""
    stack, inventory = example_plans["dr-pair"]
    role = next(r for r in inventory.resources if r.type == "aws:iam/role:Role")
    assert "name" not in role.inputs
    for length, expected in ((56, []), (57, ["XC802"])):
        renamed = dataclasses.replace(role, name="r" * length)
        inv = Inventory(inventory.stack, [renamed if r is role else r for r in inventory.resources])
        rules = [f.rule for f in new_findings(example_plans, "dr-pair", stack, inv) if "r" * length in f.message]
        assert rules == expected, length


def test_a_create_only_change_is_reported_by_the_diff(example_plans) -> None:
    stack, inventory = example_plans["dr-pair"]
    _s, changed = planted(example_plans, "dr-pair", "use1-gcp-dxgw", amazonSideAsn=64999)
    _base, head = diff_contract_findings((stack, inventory), (stack, changed))
    found = [f for f in head if f.rule == "XC808"]
    assert len(found) == 1
    assert "AmazonSideAsn is create-only: changing it replaces the resource (protected" in found[0].message
    assert found[0].path == "interconnects[0].aws.dx_gateway_asn"


def test_a_create_only_change_the_replace_table_misses_says_so(example_plans) -> None:
    """A Transit Gateway's ASN is create-only in CloudFormation; the Terraform provider updates it in place."""
    stack, inventory = example_plans["dr-pair"]
    _s, changed = planted(example_plans, "dr-pair", "tgw-use1-tgw", amazonSideAsn=64600)
    _base, head = diff_contract_findings((stack, inventory), (stack, changed))
    (found,) = [f for f in head if f.rule == "XC808"]
    assert "does not list it: the provider may try an update the API refuses" in found.message
    assert found.path == "hubs[0].asn"


def test_the_replace_table_agrees_with_the_create_only_markers(example_plans) -> None:
    """Every input the diff's replace table says replaces is create-only in the contract, or written down here."""
    from xcloud_iac.contracts.changes import create_only_inputs
    from xcloud_iac.plan.immutable import REPLACE_ON_CHANGE

    table_only = {(t, n) for t, names in REPLACE_ON_CHANGE.items() for n in names if n not in create_only_inputs(t)}
    assert table_only == REPLACED_WITHOUT_A_MARKER
    contract_only = {(t, n) for t in TABLE for n in create_only_inputs(t) if n not in REPLACE_ON_CHANGE.get(t, {})}
    assert contract_only == CREATE_ONLY_NOT_IN_THE_TABLE


# Replacements the diff's table takes from the Terraform providers where the contract has no create-only marker:
# botocore request shapes have no such notion, compute.v1 / dns.v1 / iam.v1 descriptions do not say "Immutable",
# and a Subnetwork or Transport region is a URL parameter.
REPLACED_WITHOUT_A_MARKER = {
    ("gcp:compute/firewall:Firewall", "network"), ("gcp:compute/firewall:Firewall", "direction"),
    ("gcp:compute/networkPeering:NetworkPeering", "network"),
    ("gcp:compute/networkPeering:NetworkPeering", "peerNetwork"),
    ("aws:directconnect/bgpPeer:BgpPeer", "addressFamily"), ("aws:directconnect/bgpPeer:BgpPeer", "bgpAsn"),
    ("aws:directconnect/bgpPeer:BgpPeer", "virtualInterfaceId"),
    ("aws:directconnect/transitVirtualInterface:TransitVirtualInterface", "addressFamily"),
    ("aws:directconnect/transitVirtualInterface:TransitVirtualInterface", "bgpAsn"),
    ("aws:directconnect/transitVirtualInterface:TransitVirtualInterface", "connectionId"),
    ("aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter", "transitGatewayAttachmentId"),
    ("aws:networkmanager/coreNetworkPolicyAttachment:CoreNetworkPolicyAttachment", "coreNetworkId"),
    ("aws:networkmonitor/probe:Probe", "monitorName"), ("aws:networkmonitor/probe:Probe", "sourceArn"),
    ("aws:route53/resolverRule:ResolverRule", "domainName"),
    ("gcp:compute/network:Network", "autoCreateSubnetworks"), ("gcp:compute/subnetwork:Subnetwork", "ipCidrRange"),
    ("gcp:compute/subnetwork:Subnetwork", "network"), ("gcp:compute/subnetwork:Subnetwork", "region"),
    ("gcp:dns/managedZone:ManagedZone", "dnsName"), ("gcp:dns/managedZone:ManagedZone", "visibility"),
    ("gcp:iam/workloadIdentityPool:WorkloadIdentityPool", "workloadIdentityPoolId"),
    ("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", "workloadIdentityPoolId"),
    ("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", "workloadIdentityPoolProviderId"),
    ("gcp:networkconnectivity/transport:Transport", "region"),
    ("gcp:serviceaccount/iAMMember:IAMMember", "member"), ("gcp:serviceaccount/iAMMember:IAMMember", "role"),
    ("gcp:serviceaccount/iAMMember:IAMMember", "serviceAccountId"),
}
# Create-only in the contract, missing from the diff's replace table. Some are Terraform updating in place what
# CloudFormation replaces (TransitGateway.amazonSideAsn: REFUSED_UPDATES; VpcAttachment.subnetIds: modified in
# place); the others are gaps the table should close (XC808 says so in a diff until it does).
CREATE_ONLY_NOT_IN_THE_TABLE = {
    ("aws:kms/alias:Alias", "name"), ("aws:sns/topic:Topic", "name"),
    # CloudFormation recreates the association; the Terraform provider moves the subnet with
    # ReplaceRouteTableAssociation, in place
    ("aws:ec2/routeTableAssociation:RouteTableAssociation", "routeTableId"),
    ("aws:cloudwatch/metricAlarm:MetricAlarm", "name"), ("aws:ec2/flowLog:FlowLog", "logFormat"),
    ("aws:ec2/securityGroup:SecurityGroup", "name"),
    ("aws:ec2transitgateway/transitGateway:TransitGateway", "amazonSideAsn"),
    ("aws:ec2transitgateway/vpcAttachment:VpcAttachment", "subnetIds"),
    ("aws:iam/role:Role", "name"), ("aws:iam/role:Role", "path"), ("aws:iam/rolePolicy:RolePolicy", "name"),
    ("aws:route53/resolverRuleAssociation:ResolverRuleAssociation", "name"),
    ("gcp:networkconnectivity/transport:Transport", "providedActivationKey"),
    ("gcp:networkconnectivity/transport:Transport", "remoteAccountId"),
}


def test_deploy_registers_nothing_on_a_contract_violation() -> None:
    """A role name too long for IAM once Pulumi adds its suffix: XC830 finds it when the stack is validated; with
    that finding waived, the contract gate of deploy() still refuses the planned Role (XC802) before registering."""
    from tests.contracts.conftest import ROOT
    from xcloud_iac.spec import load_text

    long_name = "tencent-report-writer-with-a-name-too-long-for-iam-x"
    text = (ROOT / "stacks" / "alibaba-tencent.yaml").read_text(encoding="utf-8").replace(
        "    - name: tencent-report-writer\n",
        f"    - name: {long_name}\n      ignore: [{{rule: XC830, reason: the contract gate is under test}}]\n")
    stack = load_text(text, "stacks/alibaba-tencent.yaml")
    _m, recorder = mocks.install()
    with pytest.raises(DeploymentBlocked) as blocked:
        mocks.run(lambda: deploy(stack, export=False, contracts=True))
    assert recorder.registered == []
    [finding] = blocked.value.findings
    assert finding.rule == "XC802" and f"'{long_name}-role'" in finding.message
    assert finding.path == "trust.roles[1].name"


def test_deploy_registers_a_stack_that_passes_the_contracts() -> None:
    """The same gate lets a stack through whose plan breaks no contract (the example's networks and trust)."""
    import yaml

    from tests.contracts.conftest import ROOT
    from xcloud_iac.spec import load_text

    data = yaml.safe_load((ROOT / "stacks" / "dr-pair.yaml").read_text(encoding="utf-8"))
    text = yaml.safe_dump({k: data[k] for k in ("version", "name", "networks", "trust")}, sort_keys=False)
    _m, recorder = mocks.install()
    mocks.run(lambda: deploy(load_text(text, "small.yaml"), export=False, contracts=True))
    assert len([r for r in recorder.registered if r.custom]) > 10


def test_under_mocks_deploy_leaves_the_contract_check_to_the_caller(example_plans) -> None:
    """Under mocks (tests, `xcloud plan`'s worker) deploy() does not plan again; the caller checks what it records."""
    stack, _inventory = example_plans["alibaba-tencent"]
    _m, recorder = mocks.install()
    mocks.run(lambda: deploy(stack, export=False))
    assert recorder.registered


def test_a_contract_finding_can_be_waived_on_its_spec_object(example_plans) -> None:
    from xcloud_iac.spec import models as m

    stack, inventory = planted(example_plans, "alibaba-tencent", "tencent-report-writer-role",
                               maxSessionDuration=1800)
    assert "XC804" in {f.rule for f in contract_report(stack, inventory).findings}
    waived = stack.model_copy(deep=True)
    role = next(r for r in waived.trust.roles if r.name == "tencent-report-writer")
    role.ignore.append(m.Waiver(rule="XC804", reason="the account's SCP caps sessions; accepted until the fix"))
    report = contract_report(waived, inventory)
    assert "XC804" not in {f.rule for f in report.findings}
    assert [f.rule for f in report.waived] == ["XC804"]


def test_what_a_discovery_description_states_is_read() -> None:
    from xcloud_iac.contracts.sources import google_contract, stated

    pool_id = google_contract("iam.v1", "WorkloadIdentityPool", "projects.locations.workloadIdentityPools.create") \
        .property("workloadIdentityPoolId")
    assert pool_id is not None
    assert (pool_id["minLength"], pool_id["maxLength"], pool_id["pattern"], pool_id["required"]) == \
        (4, 32, "^[a-z0-9-]+$", True)
    assert stated("Output only. [Output Only] The unique identifier.") == {"readOnly": True}
    assert stated("Optional. Immutable. The user supplied account id.") == {"immutable": True}
    mtu = google_contract("compute.v1", "Network").property("mtu")
    assert (mtu["minimum"], mtu["maximum"]) == (1300, 8896)  # the description narrows int32
