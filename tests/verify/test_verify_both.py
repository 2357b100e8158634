"""One report for both clouds: dr-pair's AWS side on moto and its Google side on the fake Google API, verified by
one `xcloud verify` run."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from conftest import Deployed
from gcp_fake import FakeGoogle
from typer.testing import CliRunner

from xcloud_iac.cli import app
from xcloud_iac.spec import load_text


@pytest.fixture
def spec_file(spec_text: str, tmp_path: Path) -> Path:
    path = tmp_path / "dr-pair-moto.yaml"
    path.write_text(spec_text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def moto_plan(spec_text: str):
    """What the variant deployed on both sides plans to (without the interconnect, no peer reaches gcp-dr)."""
    from xcloud_iac.plan.inventory import plan_stack

    return plan_stack(load_text(spec_text, "dr-pair-moto.yaml"), past_errors=True)


@pytest.fixture
def google(spec_text: str, moto_plan) -> FakeGoogle:
    server = FakeGoogle()
    server.seed_from_plan(load_text(spec_text, "dr-pair-moto.yaml"), moto_plan, "example-dr-project")
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def cli_session(monkeypatch, session: boto3.Session) -> None:
    monkeypatch.setattr(boto3, "Session", lambda profile_name=None: session)


def run(spec: Path, deployed: Deployed, google: FakeGoogle, *args: str):
    return CliRunner().invoke(app, ["verify", str(spec), "--endpoint-url", deployed.url, "--gcp-endpoint", google.url,
                                    "--gcp-anonymous", "--max-attempts", "2", *args])


def test_the_deployed_stack_verifies_clean_on_both_clouds(spec_file: Path, deployed: Deployed,
                                                           google: FakeGoogle) -> None:
    result = run(spec_file, deployed, google)
    assert result.exit_code == 0, result.output
    assert result.output == "no findings\n"
    assert "dns.policies.list" in google.calls and "iam.projects.locations.workloadIdentityPools.get" in google.calls


def test_drift_on_both_sides_in_one_report(spec_file: Path, deployed: Deployed, google: FakeGoogle) -> None:
    deployed.ec2().create_transit_gateway_route(
        TransitGatewayRouteTableId=deployed.table, DestinationCidrBlock="10.98.0.0/16", Blackhole=True)
    google.policies["example-dr-project"][0]["enableInboundForwarding"] = False
    result = run(spec_file, deployed, google, "-f", "json")
    assert result.exit_code == 1
    assert sorted(f["rule"] for f in json.loads(result.stdout)["findings"]) == ["XC704", "XC726"]


def test_a_killed_google_server_gives_exit_3_with_the_aws_side_intact(spec_file: Path, deployed: Deployed,
                                                                      google: FakeGoogle) -> None:
    deployed.ec2().create_transit_gateway_route(
        TransitGatewayRouteTableId=deployed.table, DestinationCidrBlock="10.98.0.0/16", Blackhole=True)
    google.zones["example-dr-project"][0]["forwardingConfig"]["targetNameServers"][0]["ipv4Address"] = "10.10.9.9"
    google.kill_on("dns.policies.list")  # after the zones were read
    result = run(spec_file, deployed, google, "-f", "json")
    assert result.exit_code == 3
    findings = json.loads(result.stdout)["findings"]
    assert sorted(f["rule"] for f in findings if f["rule"] != "XC700") == ["XC704", "XC725"]
    assert sorted(f["path"] for f in findings if f["rule"] == "XC700") == [
        "dns.inbound_policies[0]", "trust.workload_identity[0]"]
    assert "partial report" in result.stderr
