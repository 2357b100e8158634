"""The offline plan: what deploy() registers under the package's mocks, with curated key inputs and masked secrets;
the immutable-input table checked against the installed provider SDKs; plans in worker processes."""

from __future__ import annotations

import gc
import importlib
import inspect
import re

import pytest

from xcloud_iac.plan.immutable import REFUSED_UPDATES, REPLACE_ON_CHANGE, forces_replacement, replace_source
from xcloud_iac.plan.inventory import KEY_INPUTS, SECRET, PlanRefused, plan_stack
from xcloud_iac.plan.runner import PlanJob, run_plans
from xcloud_iac.spec import load, load_text

from .support import STACK_NAMES, STACKS, mutated, stack_text


@pytest.fixture(scope="module")
def inventories():
    return {name: plan_stack(load(STACKS / f"{name}.yaml")) for name in STACK_NAMES}


def test_every_registered_resource_is_listed_once_with_its_component(inventories) -> None:
    for name, inventory in inventories.items():
        keys = [r.key for r in inventory.resources]
        assert len(keys) == len(set(keys)), name
        by_name = {r.name: r for r in inventory.resources}
        for r in inventory.resources:
            assert r.parent == "" or r.parent in by_name
            assert by_name[r.component].parent == ""  # the component is top-level
    dr = inventories["dr-pair"].by_key()
    vpc = dr["xcloud:aws:Network$aws:ec2/vpc:Vpc::aws-prod-vpc"]
    assert (vpc.parent, vpc.component, vpc.component_type) == ("aws-prod", "aws-prod", "xcloud:aws:Network")
    assert vpc.key_inputs() == {"cidrBlock": "10.10.0.0/16", "region": "us-east-1"}
    assert vpc.other_inputs() == ["enableDnsHostnames", "enableDnsSupport", "tags"]


def test_every_type_has_curated_key_inputs(inventories) -> None:
    types = {r.type for inv in inventories.values() for r in inv.resources if r.custom}
    assert types - set(KEY_INPUTS) == set()


def test_secrets_are_masked(inventories) -> None:
    connection = next(r for r in inventories["dr-pair"].resources if r.type == "aws-native:interconnect:Connection")
    assert connection.inputs["activationKey"] == SECRET and connection.secret_inputs == ("activationKey",)
    assert connection.key_inputs()["activationKey"] == SECRET
    # and the other way round: AWS generates the key, Google is given it
    text = mutated("dr-pair", lambda d: d["interconnects"][0].update(activation_key_from="aws")
                   or d["interconnects"][0]["aws"].update(environment_id="env-123"))
    transport = next(r for r in plan_stack(load_text(text, "x.yaml")).resources
                     if r.type == "gcp:networkconnectivity/transport:Transport")
    assert transport.inputs["providedActivationKey"] == SECRET
    assert "gcp-generated-key" not in repr(transport.inputs) and "aws-generated-key" not in repr(transport.inputs)


def test_numbers_come_back_as_the_program_gave_them(inventories) -> None:
    tgw = next(r for r in inventories["dr-pair"].resources if r.name == "tgw-use1-tgw")
    assert tgw.inputs["amazonSideAsn"] == 64512 and isinstance(tgw.inputs["amazonSideAsn"], int)


def test_error_findings_refuse_the_plan_unless_planned_past_them() -> None:
    text = mutated("dr-pair", lambda d: d["trust"]["roles"][0].update(subjects=["system:serviceaccount:orders:*"]))
    with pytest.raises(PlanRefused, match="XC502"):
        plan_stack(load_text(text, "x.yaml"))
    role = next(r for r in plan_stack(load_text(text, "x.yaml"), past_errors=True).resources
                if r.name == "gke-orders-reader-role")
    assert "system:serviceaccount:orders:*" in role.inputs["assumeRolePolicy"]


def test_a_plan_runs_with_the_cyclic_collector_paused_and_restores_it() -> None:
    seen: list[bool] = []
    gc.enable()
    plan_stack(load(STACKS / "dr-pair.yaml"), lambda _count: seen.append(gc.isenabled()))
    assert seen and not any(seen)  # off while every resource registered
    assert gc.isenabled()
    text = mutated("dr-pair", lambda d: d["trust"]["roles"][0].update(subjects=["system:serviceaccount:orders:*"]))
    with pytest.raises(PlanRefused):
        plan_stack(load_text(text, "x.yaml"))
    assert gc.isenabled()


def test_plans_run_in_worker_processes_in_parallel() -> None:
    broken = "name: broken\nnetworks: [{name: a, cloud: aws, region: us-east-1, cidrs: [10.0.0.0/16]}]\n" \
             "hubs: [{name: h, kind: transit_gateway, region: us-east-1, route_tables: [{name: t}], " \
             "attachments: [{name: a, network: nowhere}]}]\n"
    good, refused = run_plans([PlanJob("dr-pair", stack_text("dr-pair"), "stacks/dr-pair.yaml"),
                               PlanJob("broken", broken, "broken.yaml")])
    assert good.error is None and len(good.inventory.resources) == 67
    assert refused.inventory is None and any("XC101" in reason for reason in refused.refused)


# ---------------------------------------------------------------- the immutable-input table


def _sdk_class(token: str):
    """`aws:ec2/vpc:Vpc` -> pulumi_aws.ec2.Vpc (the class the components instantiate)."""
    package, module, name = token.split(":")
    sdk = {"aws": "pulumi_aws", "gcp": "pulumi_gcp", "aws-native": "pulumi_aws_native"}[package]
    return getattr(importlib.import_module(f"{sdk}.{module.split('/')[0]}"), name)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@pytest.mark.parametrize("token", sorted(set(REPLACE_ON_CHANGE) | set(REFUSED_UPDATES)))
def test_immutable_inputs_are_real_inputs_of_the_installed_sdk(token: str) -> None:
    cls = _sdk_class(token)
    args = inspect.signature(cls._internal_init).parameters  # every input the SDK takes, snake_case
    names = [*REPLACE_ON_CHANGE.get(token, {}), *REFUSED_UPDATES.get(token, {})]
    assert [n for n in names if _snake(n) not in args] == []
    assert set(REPLACE_ON_CHANGE.get(token, {})) <= set(KEY_INPUTS[token]), "the plan must show what replaces"


def test_aws_native_entries_are_the_sdks_replace_on_changes() -> None:
    source = inspect.getsource(_sdk_class("aws-native:interconnect:Connection")._internal_init)
    listed = re.search(r"replace_on_changes=\[([^\]]*)\]", source).group(1)
    assert set(re.findall(r'"(\w+)"', listed)) == set(REPLACE_ON_CHANGE["aws-native:interconnect:Connection"])


# the changes the brief of `xcloud diff` names as replacements (the Transit Gateway ASN is not one: see immutable.py)
REPLACING = [
    ("gcp:networkconnectivity/transport:Transport", "network"),
    ("gcp:networkconnectivity/transport:Transport", "remoteProfile"),
    ("aws-native:interconnect:Connection", "environmentId"),
    ("aws-native:interconnect:Connection", "attachPoint"),
    ("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "url"),
    ("aws:ec2/vpc:Vpc", "cidrBlock"),
    ("aws:ec2/subnet:Subnet", "cidrBlock"),
    ("aws:ec2/subnet:Subnet", "availabilityZone"),
    ("aws:directconnect/gateway:Gateway", "amazonSideAsn"),
    ("aws:route53/resolverEndpoint:ResolverEndpoint", "direction"),
]


@pytest.mark.parametrize("token, name", REPLACING)
def test_named_replacements(token: str, name: str) -> None:
    assert forces_replacement(token, name, "a", "b")


def test_replacement_rules() -> None:
    assert replace_source("aws:ec2/vpc:Vpc", "cidrBlock")
    assert replace_source("aws:ec2/subnet:Subnet", "region")  # every pulumi-aws resource with a region
    assert replace_source("gcp:dns/policy:Policy", "project")
    assert replace_source("aws:ec2transitgateway/transitGateway:TransitGateway", "amazonSideAsn") is None
    assert not forces_replacement("aws:ec2/vpc:Vpc", "tags", {}, {"a": "b"})
    subnet = "gcp:compute/subnetwork:Subnetwork"
    assert not forces_replacement(subnet, "ipCidrRange", "10.0.0.0/24", "10.0.0.0/20")  # expanded in place
    assert forces_replacement(subnet, "ipCidrRange", "10.0.0.0/20", "10.0.0.0/24")
    assert forces_replacement(subnet, "ipCidrRange", "10.0.0.0/24", "10.1.0.0/24")
