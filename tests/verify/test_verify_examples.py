"""Every example stack, deployed whole (interconnects and links included) into the fakes, verified by one
`xcloud verify` run over both clouds: AWS on moto with Direct Connect served in front of it (aws_fake.py), Google
on the fake Google API (gcp_fake.py), both seeded from the stack's plan. Clean, with drift planted on each stack,
and with one server killed mid-run."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from aws_fake import CREDENTIALS, FakeAws, emulate_hub_routes, seed_from_plan
from conftest import ROOT, free_port, reset
from gcp_fake import FakeGoogle
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from typer.testing import CliRunner

from xcloud_iac import load
from xcloud_iac.cli import app

EXAMPLES = ("dr-pair", "cloud-wan", "alibaba-tencent")
HOME = {"dr-pair": "us-east-1", "cloud-wan": "us-east-1", "alibaba-tencent": "ap-southeast-1"}


@pytest.fixture(scope="module")
def moto_here() -> Iterator[str]:
    """moto in this process (ThreadedMotoServer), so the Direct Connect fake can add what AWS adds to EC2."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@dataclass
class Deployed:
    name: str
    spec: Path
    aws: FakeAws
    google: FakeGoogle
    ids: dict[str, str]  # plan logical name -> live id

    def ec2(self, region: str | None = None) -> Any:
        return boto3.client("ec2", endpoint_url=self.aws.url, region_name=region or HOME[self.name], **CREDENTIALS)

    def directconnect(self) -> Any:
        return boto3.client("directconnect", endpoint_url=self.aws.url, region_name=HOME[self.name], **CREDENTIALS)


@pytest.fixture(params=EXAMPLES)
def example(request, moto_here: str, plans: dict[str, Any], monkeypatch) -> Iterator[Deployed]:
    name = request.param
    path = ROOT / "stacks" / f"{name}.yaml"
    stack = load(path)
    reset(moto_here)
    aws = FakeAws(moto_here)
    aws.start()
    google = FakeGoogle()
    google.seed_from_plan(stack, plans[name], "example-project")
    google.start()
    ids = seed_from_plan(stack, plans[name], aws, HOME[name])
    session = boto3.Session(region_name=HOME[name], **CREDENTIALS)
    emulate_hub_routes(session, aws, moto_here)
    monkeypatch.setattr(boto3, "Session", lambda profile_name=None: session)  # the CLI's session
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # so boto3.client's default, made from it, goes too
    yield Deployed(name, path, aws, google, ids)
    aws.stop()
    google.stop()
    assert aws.invalid == [], "the Direct Connect fake was asked or answered off botocore's model"


def run(d: Deployed, *args: str):
    return CliRunner().invoke(app, ["verify", str(d.spec), "--endpoint-url", d.aws.url, "--gcp-endpoint", d.google.url,
                                    "--gcp-anonymous", "--max-attempts", "2", *args])


def findings(result) -> list[dict[str, Any]]:
    return json.loads(result.stdout)["findings"]


def test_each_example_stack_verifies_clean_on_both_clouds(example: Deployed) -> None:
    result = run(example)
    assert result.exit_code == 0, result.output
    assert result.output == "no findings\n"
    # the Direct Connect side was read from the fake, not skipped
    assert {"DescribeDirectConnectGateways", "DescribeDirectConnectGatewayAssociations"} <= {
        op for op, _ in example.aws.answers}
    has_google = any(n.cloud.value == "gcp" for n in load(example.spec).networks)
    assert bool(example.google.calls) == has_google


# ---------------------------------------------------------------- planted drift, one set per stack

def _dr_pair(d: Deployed) -> None:
    gateway = d.aws.gateway_of("dr-pair", "interconnect/use1-gcp")
    [association] = d.aws.associations_of(gateway["directConnectGatewayId"])
    d.directconnect().update_direct_connect_gateway_association(  # AWS now advertises 10.99/16 to Google too
        associationId=association["associationId"], addAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.99.0.0/16"}])
    firewall = d.google.firewalls["example-dr-project"][0]
    firewall["sourceRanges"] = [*firewall["sourceRanges"], "192.168.0.0/16"]


def _cloud_wan(d: Deployed) -> None:
    ec2 = d.ec2("us-east-1")
    stray = ec2.create_transit_gateway(Description="someone else's")["TransitGateway"]["TransitGatewayId"]
    gateway = d.aws.gateway_of("cloud-wan", "interconnect/wan-use1-gcp")
    d.directconnect().create_direct_connect_gateway_association(
        directConnectGatewayId=gateway["directConnectGatewayId"], gatewayId=stray,
        addAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.30.0.0/16"}])
    transport = next(t for t in d.google.transports if t["name"].split("/")[3] == "europe-west3")
    transport["advertisedRoutes"] = ["10.50.0.0/17"]


def _alibaba_tencent(d: Deployed) -> None:
    ali = d.aws.gateway_of("alibaba-tencent", "link/ali-dx")
    d.aws.learned[ali["directConnectGatewayId"]].append("192.168.0.0/16")  # Alibaba advertises more than allowed
    tencent = d.aws.gateway_of("alibaba-tencent", "link/tencent-dx")
    [association] = d.aws.associations_of(tencent["directConnectGatewayId"])
    d.directconnect().update_direct_connect_gateway_association(
        associationId=association["associationId"],
        removeAllowedPrefixesToDirectConnectGateway=[{"cidr": "172.16.0.0/16"}])


DRIFT: dict[str, tuple[Callable[[Deployed], None], list[tuple[str, str]]]] = {
    "dr-pair": (_dr_pair, [("XC706", "interconnects[0].aws.allowed_prefixes"), ("XC729", "networks[1]")]),
    "cloud-wan": (_cloud_wan, [("XC706", "interconnects[0]"),  # 10.50.0.0/17 advertised, 10.50.0.0/16 not
                               ("XC722", "interconnects[1].gcp.allowed_prefixes"),
                               ("XC722", "interconnects[1].gcp.allowed_prefixes")]),
    "alibaba-tencent": (_alibaba_tencent, [("XC702", "hubs[0].route_tables[0]"),
                                           ("XC706", "links[1].aws.allowed_prefixes")]),
}


def test_drift_planted_on_each_example_stack_reports_its_rules(example: Deployed) -> None:
    plant, expected = DRIFT[example.name]
    plant(example)
    result = run(example, "-f", "json")
    assert result.exit_code == 1, result.output
    got = findings(result)
    assert sorted((f["rule"], f["path"]) for f in got) == expected, [f["message"] for f in got]


# stack, which server dies on which call; what stays in the report (the planted drift read before it, or on the
# other cloud) and what is reported unread
KILLS = [
    ("dr-pair", "aws", "ListResolverRules", [
        ("XC706", "interconnects[0].aws.allowed_prefixes"), ("XC729", "networks[1]")],
        ["dns.resolver_rules[0]", "networks[0]", "trust.issuers[0]", "trust.roles[0]"]),  # networks[0]: its route table
    ("dr-pair", "google", "compute.firewalls.list", [("XC706", "interconnects[0].aws.allowed_prefixes")],
        ["dns.forwarding_zones[0]", "dns.inbound_policies[0]", "networks[1]", "networks[1]",
         "trust.workload_identity[0]"]),
    ("cloud-wan", "google", "compute.firewalls.list", [
        ("XC706", "interconnects[0]"), ("XC722", "interconnects[1].gcp.allowed_prefixes"),
        ("XC722", "interconnects[1].gcp.allowed_prefixes")],
        ["networks[3]", "networks[3]"]),  # its firewall rules and its routes
    ("cloud-wan", "aws", "DescribeDirectConnectGatewayAssociations", [
        ("XC722", "interconnects[1].gcp.allowed_prefixes"), ("XC722", "interconnects[1].gcp.allowed_prefixes")],
        ["hubs[0]", "interconnects[0]", "interconnects[1]"]),  # hubs[0]: the core network, read after
    ("alibaba-tencent", "aws", "ListResolverRules", [
        ("XC702", "hubs[0].route_tables[0]"), ("XC706", "links[1].aws.allowed_prefixes")],
        ["dns.resolver_rules[0]", "dns.resolver_rules[1]", "networks[0]", "trust.issuers[0]", "trust.issuers[1]",
         "trust.roles[0]", "trust.roles[1]"]),
]


@pytest.mark.parametrize(("example", "server", "call", "kept", "unread"), KILLS, indirect=["example"],
                         ids=[f"{k[0]}-{k[1]}" for k in KILLS])
def test_a_server_killed_mid_run_gives_exit_3_with_the_rest_of_the_report(
        example: Deployed, server: str, call: str, kept: list[tuple[str, str]], unread: list[str]) -> None:
    plant, _ = DRIFT[example.name]
    plant(example)
    (example.aws if server == "aws" else example.google).kill_on(call)
    result = run(example, "-f", "json")
    assert result.exit_code == 3, result.output
    got = findings(result)
    assert sorted((f["rule"], f["path"]) for f in got if f["rule"] != "XC700") == kept, [f["message"] for f in got]
    assert sorted(f["path"] for f in got if f["rule"] == "XC700") == unread
    assert "partial report" in result.stderr


@pytest.mark.parametrize("example", ["cloud-wan"], indirect=True)
def test_a_direct_connect_gateway_detached_from_cloud_wan(example: Deployed) -> None:
    gateway = example.aws.gateway_of("cloud-wan", "interconnect/wan-euc1-gcp")["directConnectGatewayId"]
    [core] = [a for a in example.aws.associations_of(gateway) if "associatedCoreNetwork" in a]
    del example.aws.associations[core["associationId"]]  # the Cloud WAN attachment was deleted
    result = run(example, "-f", "json")
    assert result.exit_code == 1, result.output
    assert [(f["rule"], f["path"], f["message"]) for f in findings(result)] == [
        ("XC706", "interconnects[1]", f"Direct Connect gateway {gateway} of interconnect 'wan-euc1-gcp' is not "
         "attached to Cloud WAN hub 'core' (no core network association)")]
