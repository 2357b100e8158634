"""Organisation-wide plans across files: a team file attaches its network to a hub another file declares. The
checks see the union; each file's deployment registers only what the file declares."""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pytest
from components.mocks import install, run

from xcloud_iac.checks import check, check_many
from xcloud_iac.plan.mocks import ACCOUNT, mock_id
from xcloud_iac.program import DeploymentBlocked, deploy
from xcloud_iac.spec import load, load_text
from xcloud_iac.topology import dataplane

ROOT = Path(__file__).parents[1]
PLATFORM = ROOT / "stacks" / "dr-pair.yaml"
TEAM = ROOT / "examples" / "organisation" / "orders-team.yaml"
HUB_STACK = "example-org/xcloud-iac/dr-pair"


@pytest.fixture(scope="module")
def platform_outputs() -> dict:
    install()
    return run(lambda: pulumi.Output.from_input(deploy(PLATFORM, export=False).outputs))


def registered(program, **mocks) -> list:
    _mocks, recorder = install(**mocks)
    run(program)
    return [r for r in recorder.registered if r.custom]


def test_team_file_alone_names_an_undeclared_hub() -> None:
    report = check(load(TEAM))
    [finding] = report.errors
    assert finding.rule == "XC101" and "hub 'tgw-use1' is not declared" in finding.message
    assert finding.to_dict()["path"] == "hub_attachments[0].hub"


def test_checks_see_the_union_with_findings_in_the_right_file() -> None:
    platform, team = load(PLATFORM), load(TEAM)
    report = check_many([platform, team])
    assert not report.errors
    attachment = report.topology.attachments["tgw-use1"]["aws-orders"]
    assert attachment.obj.spec_file == str(TEAM) and attachment.obj.spec_path == ("hub_attachments", 0)
    # the team's network reaches Google through the platform's hub, and nothing comes back: found across files
    [one_way] = [f for f in report.findings if f.rule == "XC306" and "aws-orders" in f.message]
    assert [r.location.file for r in one_way.related] == [str(TEAM)]
    # the platform file's own hub is left as it was loaded
    assert [a.name for a in platform.hubs[0].attachments] == ["aws-prod", "to-gcp"]


def test_an_error_in_the_team_file_is_located_there() -> None:
    team = load_text(TEAM.read_text().replace("route_table: prod", "route_table: shared"), "teams/orders.yaml")
    [finding] = [f for f in check_many([load(PLATFORM), team]).errors]
    assert finding.rule == "XC101" and finding.location.file == "teams/orders.yaml"
    assert finding.to_dict()["path"] == "hub_attachments[0].route_table"


def test_team_deploys_only_what_it_owns(platform_outputs: dict) -> None:
    resources = registered(lambda: deploy(TEAM, export=False, organisation=[PLATFORM]),
                           stack_references={HUB_STACK: platform_outputs})
    types = {r.type for r in resources}
    assert "aws:ec2transitgateway/transitGateway:TransitGateway" not in types
    assert not any(t.startswith("gcp:") or t.startswith("aws-native:") for t in types)
    [vpc] = [r for r in resources if r.type == "aws:ec2/vpc:Vpc"]
    assert vpc.inputs["cidrBlock"] == "10.30.0.0/16"
    [attachment] = [r for r in resources if r.type == "aws:ec2transitgateway/vpcAttachment:VpcAttachment"]
    assert attachment.inputs["transitGatewayId"] == platform_outputs["hubIds"]["tgw-use1"]
    assert attachment.inputs["tags"]["xcloud:key"] == "attachment/tgw-use1/aws-orders"
    prod = platform_outputs["routeTableIds"]["tgw-use1"]["prod"]
    [assoc] = [r for r in resources if r.type == "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation"]
    [prop] = [r for r in resources if r.type == "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation"]
    assert assoc.inputs["transitGatewayRouteTableId"] == prod == prop.inputs["transitGatewayRouteTableId"]
    [reference] = [r for r in resources if r.type == "pulumi:pulumi:StackReference"]
    assert reference.name == HUB_STACK


def test_team_network_routes_to_the_platform_hub_what_the_organisation_model_reaches(platform_outputs: dict) -> None:
    resources = registered(lambda: deploy(TEAM, export=False, organisation=[PLATFORM]),
                           stack_references={HUB_STACK: platform_outputs})
    expected = sorted(str(r.prefix) for r in dataplane.vpc_routes(check_many([load(PLATFORM), load(TEAM)]).topology,
                                                                  "aws-orders"))
    assert expected == ["10.10.0.0/16", "10.20.0.0/16", "35.199.192.0/19"]  # aws-prod, gcp-dr, Cloud DNS answers
    routes = [r for r in resources if r.type == "aws:ec2/route:Route"]
    assert sorted(r.inputs["destinationCidrBlock"] for r in routes) == expected
    [table] = [r for r in resources if r.type == "aws:ec2/routeTable:RouteTable"]
    assert {r.inputs["transitGatewayId"] for r in routes} == {platform_outputs["hubIds"]["tgw-use1"]}
    assert {r.inputs["routeTableId"] for r in routes} == {mock_id(table.type, table.name, table.inputs)}
    associations = [r for r in resources if r.type == "aws:ec2/routeTableAssociation:RouteTableAssociation"]
    assert len(associations) == 2  # both subnets of the team network use the routed table


WAN_PLATFORM = ROOT / "stacks" / "cloud-wan.yaml"
WAN_TEAM = """\
name: analytics-team
networks:
  - name: aws-analytics
    cloud: aws
    region: eu-central-1
    account: "444455556666"
    cidrs: [10.60.0.0/16]
    subnets:
      - {name: a, cidr: 10.60.0.0/28, zone: eu-central-1a}
      - {name: b, cidr: 10.60.0.16/28, zone: eu-central-1b}
hub_attachments:
  - name: aws-analytics
    hub: core
    hub_stack: example-org/xcloud-iac/cloud-wan
    network: aws-analytics
    subnets: [a, b]
    segment: prod
"""


def test_team_network_routes_to_the_platform_cloud_wan_core_by_the_arn_its_attachment_reports() -> None:
    install()
    wan_outputs = run(lambda: pulumi.Output.from_input(deploy(WAN_PLATFORM, export=False).outputs))
    team = load_text(WAN_TEAM, "teams/analytics.yaml")
    resources = registered(lambda: deploy(team, export=False, organisation=[WAN_PLATFORM]),
                           stack_references={"example-org/xcloud-iac/cloud-wan": wan_outputs})
    expected = sorted(str(r.prefix) for r in dataplane.vpc_routes(
        check_many([load(WAN_PLATFORM), team]).topology, "aws-analytics"))
    assert "10.50.0.0/16" in expected  # the Google network, over the interconnects attached in segment prod
    routes = [r for r in resources if r.type == "aws:ec2/route:Route"]
    assert sorted(r.inputs["destinationCidrBlock"] for r in routes) == expected
    core = wan_outputs["hubIds"]["core"]
    [attachment] = [r for r in resources if r.type == "aws:networkmanager/vpcAttachment:VpcAttachment"]
    assert attachment.inputs["coreNetworkId"] == core
    # the ARN the attachment reports (the core's, in the platform's account), in the team network's region
    assert {(r.inputs["coreNetworkArn"], r.inputs["region"]) for r in routes} == {
        (f"arn:aws:networkmanager::{ACCOUNT}:core-network/{core}", "eu-central-1")}
    assert not any("transitGatewayId" in r.inputs for r in routes)


def test_platform_adds_only_routes_to_the_team_ranges_with_the_team_file() -> None:
    def by_name(resources: list) -> dict:
        return {(r.type, r.name): r.inputs for r in resources}

    alone = by_name(registered(lambda: deploy(PLATFORM, export=False)))
    together = by_name(registered(lambda: deploy(PLATFORM, export=False, organisation=[TEAM])))
    added = sorted(set(together) - set(alone))
    changed = sorted(k for k in alone if together.get(k) != alone[k])
    # the platform's VPC sends the team's range to the hub, and Google admits it: nothing else changes
    assert set(alone) <= set(together)
    assert [(t, together[(t, n)]["destinationCidrBlock"]) for t, n in added] == [("aws:ec2/route:Route", "10.30.0.0/16")]
    assert changed == [("gcp:compute/firewall:Firewall", "gcp-dr-fw-peers")]
    firewall = changed[0]
    assert together[firewall]["sourceRanges"] == ["10.10.0.0/16", "10.30.0.0/16"]
    assert alone[firewall]["sourceRanges"] == ["10.10.0.0/16"]


def test_a_hub_attachment_needs_the_hub_stack() -> None:
    team = load_text(TEAM.read_text().replace(f"    hub_stack: {HUB_STACK}\n", ""), "teams/orders.yaml")
    install()
    with pytest.raises(DeploymentBlocked, match="set hub_stack"):
        run(lambda: deploy(team, export=False, organisation=[PLATFORM]))


def test_a_file_may_attach_to_its_own_hub() -> None:
    text = PLATFORM.read_text() + (
        "hub_attachments:\n"
        "  - {name: extra, hub: tgw-use1, network: aws-prod, subnets: [tgw-a], route_table: prod}\n"
    )
    stack = load_text(text, "dr-pair.yaml")
    report = check(stack)
    assert "extra" in report.topology.attachments["tgw-use1"]
    resources = registered(lambda: deploy(stack, export=False))
    assert any(r.name == "tgw-use1-att-extra" for r in resources)


def test_plan_cli_with_the_organisation(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from xcloud_iac.cli import app

    monkeypatch.chdir(ROOT)
    team = str(TEAM.relative_to(ROOT))
    alone = CliRunner().invoke(app, ["plan", team, "--format", "json"])
    assert alone.exit_code == 2, alone.output  # the hub is in no file given: unusable input
    result = CliRunner().invoke(app, ["plan", team, "--with", "stacks/dr-pair.yaml", "--format", "json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    types = {r["type"] for r in plan["resources"]}
    assert "xcloud:aws:HubAttachment" in types
    assert "aws:ec2transitgateway/transitGateway:TransitGateway" not in types
    [attachment] = [r for r in plan["resources"] if r["type"].endswith("vpcAttachment:VpcAttachment")]
    # the hub's id as the platform's plan exports it
    assert attachment["inputs"]["transitGatewayId"] == mock_id("aws:ec2transitgateway/transitGateway:TransitGateway",
                                                               "tgw-use1-tgw")
