"""Renaming a spec object with `previous_names`: every resource named after it gets its old name as an alias, so
`xcloud diff` shows updates in place (tags, names) and no create, replace or delete; without `previous_names` the
same rename replaces."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from xcloud_iac.cli import app
from xcloud_iac.components._renames import earlier_names

from .support import diff_texts, mutated, stack_text


def renamed_network(data: dict, *, keep_alias: bool = True) -> None:
    """dr-pair with network aws-prod renamed aws-main, and every reference to it."""
    [net] = [n for n in data["networks"] if n["name"] == "aws-prod"]
    net["name"] = "aws-main"
    if keep_alias:
        net["previous_names"] = ["aws-prod"]
    for hub in data["hubs"]:
        for att in hub["attachments"]:
            if att.get("network") == "aws-prod":
                att["network"] = "aws-main"
    for ic in data["interconnects"]:
        if ic.get("monitoring", {}).get("source_network") == "aws-prod":
            ic["monitoring"]["source_network"] = "aws-main"
    for ep in data["dns"]["resolver_endpoints"]:
        ep["network"] = "aws-main" if ep["network"] == "aws-prod" else ep["network"]
    for rule in data["dns"]["resolver_rules"]:
        rule["networks"] = ["aws-main" if n == "aws-prod" else n for n in rule["networks"]]


def renamed_hub(data: dict) -> None:
    [hub] = data["hubs"]
    hub["previous_names"] = [hub["name"]]
    hub["name"] = "tgw-east"


def actions(diff) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in diff.resources or ():
        out.setdefault(r.action, set()).add(r.name)
    return out


@pytest.mark.parametrize("rename", [renamed_network, renamed_hub], ids=["network", "hub"])
def test_rename_with_previous_name_updates_in_place(rename) -> None:
    diff = diff_texts(stack_text("dr-pair"), mutated("dr-pair", rename))
    found = actions(diff)
    assert set(found) == {"update"}, found  # tags and the names shown in the console change; nothing is recreated
    assert diff.unchanged > 20
    renamed = {r.name for r in diff.resources or ()}
    assert all("aws-main" in n or "tgw-east" in n for n in renamed), renamed


def test_rename_without_previous_name_replaces() -> None:
    found = actions(diff_texts(stack_text("dr-pair"),
                               mutated("dr-pair", lambda d: renamed_network(d, keep_alias=False))))
    assert {"create", "delete"} <= set(found)
    assert "aws-main-vpc" in found["create"] and "aws-prod-vpc" in found["delete"]


def test_diff_cli_counts_a_rename_as_updates(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    base, head = tmp_path / "base.yaml", tmp_path / "head.yaml"
    base.write_text(stack_text("dr-pair"))
    head.write_text(mutated("dr-pair", renamed_network))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["diff", "--base", str(base), str(head), "--format", "json"])
    assert result.exit_code == 0, result.output
    [stack] = json.loads(result.output)["stacks"]
    resources = stack["resources"]
    assert {k for k, v in resources["counts"].items() if v} == {"update"}, resources["counts"]
    assert resources["unchanged"] > 20


@pytest.mark.parametrize("name, renames, expected", [
    ("aws-main-vpc", {"aws-main": ["aws-prod"]}, ["aws-prod-vpc"]),
    ("tgw-east-rt-main", {"tgw-east": ["tgw"], "main": ["prod"]}, ["tgw-rt-prod", "tgw-rt-main", "tgw-east-rt-prod"]),
    ("aws-mainline-vpc", {"aws-main": ["aws-prod"]}, []),  # a whole run of tokens only
    ("x-main", {"main": ["old", "older"]}, ["x-old", "x-older"]),
])
def test_earlier_names(name: str, renames: dict, expected: list[str]) -> None:
    assert earlier_names(name, renames) == expected


def test_an_alias_that_is_a_live_resource_refuses_the_plan() -> None:
    from xcloud_iac.plan.inventory import PlanRefused, inventory_of
    from xcloud_iac.plan.mocks import Registered

    urn = "urn:pulumi:test::xcloud-iac::aws:ec2/vpc:Vpc::"
    registered = [
        Registered("aws:ec2/vpc:Vpc", "b-vpc", urn + "b-vpc", "", {}, aliases=["a-vpc"]),
        Registered("aws:ec2/vpc:Vpc", "a-vpc", urn + "a-vpc", "", {}),
    ]
    with pytest.raises(PlanRefused, match=r"a-vpc \(an earlier name of b-vpc\) is the name of another"):
        inventory_of("s", registered)
    assert [r.aliases for r in inventory_of("s", registered[:1]).resources] == [("aws:ec2/vpc:Vpc::a-vpc",)]
