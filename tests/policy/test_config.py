"""`xcloud policy-config`: the pack config a stack's waivers need. Fed to the pack's own rules with what the stack
registers, it exempts exactly the resources of the waived objects, each with its reason."""

from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner
from xcloud_policies.rules import POLICIES as PACK
from xcloud_policies.rules import violations

from xcloud_iac.cli import app
from xcloud_iac.plan import plan_stack
from xcloud_iac.plan.policy_config import POLICIES, policy_config
from xcloud_iac.spec import load, load_text

from .recorded import STACK_NAMES, STACKS, resources


def waived_stack():
    """dr-pair with an unprotected interconnect and a wildcard subject, both waived with a reason."""
    data = yaml.safe_load((STACKS / "dr-pair.yaml").read_text())
    data["interconnects"][0].update(protect=False, ignore=[{"rule": "XC605", "reason": "lab link, rebuilt weekly"}])
    role = data["trust"]["roles"][0]
    role["subjects"].append("system:serviceaccount:orders:*")
    role["ignore"] = [{"rule": "XC502", "reason": "every orders workload reads"}]
    return load_text(yaml.safe_dump(data, sort_keys=False), "waived.yaml")


def test_the_library_knows_the_packs_resource_types() -> None:
    pack = {p.name: p.resource_types for p in PACK}
    for name, (rules, types) in POLICIES.items():
        assert pack[name] == types, name
        assert all(rule in next(p.description for p in PACK if p.name == name) for rule in rules), name


def test_waivers_reach_exactly_the_waived_objects_resources() -> None:
    stack = waived_stack()
    config = policy_config(stack, plan_stack(stack))
    assert config["xcloud-deletion-protection"] == {"waivers": {
        name: "lab link, rebuilt weekly (spec waiver of XC605 on interconnects[0] 'use1-gcp')"
        for name in ("use1-gcp-connection", "use1-gcp-dxgw", "use1-gcp-transport")}}
    assert config["xcloud-oidc-trust-pinned"] == {"waivers": {
        "gke-orders-reader-role": "every orders workload reads (spec waiver of XC502 on trust.roles[0] "
                                  "'gke-orders-reader')"}}
    assert config["xcloud-dx-allowed-prefixes"] == {"allowedPrefixes": ["10.10.0.0/16"]}

    registered = resources(stack)
    without = {r.name: sorted(violations(r)) for r in registered if violations(r)}
    assert without == {"use1-gcp-connection": ["xcloud-deletion-protection"],
                       "use1-gcp-dxgw": ["xcloud-deletion-protection"],
                       "use1-gcp-transport": ["xcloud-deletion-protection"],
                       "gke-orders-reader-role": ["xcloud-oidc-trust-pinned"]}
    assert [r.name for r in registered if violations(r, config)] == []


@pytest.mark.parametrize("name", STACK_NAMES)
def test_a_stack_without_waivers_gets_only_its_allow_list(name: str) -> None:
    stack = load(STACKS / f"{name}.yaml")
    config = policy_config(stack, plan_stack(stack))
    assert set(config) == {"xcloud-dx-allowed-prefixes"}
    assert [r.name for r in resources(name) if violations(r, config)] == []


def test_the_command_writes_the_config_or_refuses(tmp_path) -> None:
    runner = CliRunner()
    out = tmp_path / "policy-config.json"
    result = runner.invoke(app, ["policy-config", str(STACKS / "dr-pair.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == {"xcloud-dx-allowed-prefixes": {"allowedPrefixes": ["10.10.0.0/16"]}}

    broken = tmp_path / "broken.yaml"
    data = yaml.safe_load((STACKS / "dr-pair.yaml").read_text())
    data["trust"]["roles"][0]["subjects"] = ["system:serviceaccount:orders:*"]  # XC502, not waived
    broken.write_text(yaml.safe_dump(data))
    result = runner.invoke(app, ["policy-config", str(broken)])
    assert result.exit_code == 1
    assert "refused (error findings)" in result.output and "XC502" in result.output
    assert runner.invoke(app, ["policy-config", str(tmp_path / "missing.yaml")]).exit_code == 2
