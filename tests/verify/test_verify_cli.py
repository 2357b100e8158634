"""`xcloud verify` as a user runs it against moto: formats, exit status 0/1/2/3, and --watch stopped by SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import boto3
import pytest
from conftest import Deployed, free_port
from typer.testing import CliRunner

from xcloud_iac.cli import app


@pytest.fixture
def spec_file(spec_text: str, tmp_path: Path) -> Path:
    path = tmp_path / "dr-pair-moto.yaml"
    path.write_text(spec_text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def cli_session(monkeypatch, session: boto3.Session) -> None:
    """The command builds its session from the standard chain; here it gets the moto session (credentials and the
    propagated-route emulation of conftest.py)."""
    monkeypatch.setattr(boto3, "Session", lambda profile_name=None: session)


def run(*args: str | Path):
    return CliRunner().invoke(app, ["verify", "--cloud", "aws", *map(str, args)])


def test_clean_deployment_exits_0(spec_file: Path, deployed: Deployed) -> None:
    result = run(spec_file, "--endpoint-url", deployed.url)
    assert result.exit_code == 0, result.output
    assert result.output == "no findings\n"


def test_drift_exits_1_in_every_format(spec_file: Path, deployed: Deployed) -> None:
    deployed.ec2().create_transit_gateway_route(
        TransitGatewayRouteTableId=deployed.table, DestinationCidrBlock="10.98.0.0/16", Blackhole=True)
    text = run(spec_file, "--endpoint-url", deployed.url)
    assert text.exit_code == 1
    assert text.output.startswith(f"{spec_file}:64:5: error XC704 route table 'prod' of hub 'tgw-use1'")
    [finding] = json.loads(run(spec_file, "--endpoint-url", deployed.url, "-f", "json").output)["findings"]
    assert finding["rule"] == "XC704" and finding["location"]["line"] == 64
    sarif = json.loads(run(spec_file, "--endpoint-url", deployed.url, "-f", "sarif").output)["runs"][0]
    rules = [r["id"] for r in sarif["tool"]["driver"]["rules"]]
    assert rules[sarif["results"][0]["ruleIndex"]] == "XC704" and "XC700" in rules
    assert run(spec_file, "--endpoint-url", deployed.url, "--fail-on", "never").exit_code == 0


def test_a_partial_report_exits_3_and_says_so(spec_file: Path, deployed: Deployed) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    result = run(spec_file, "--endpoint-url", dead, "--max-attempts", "1", "--fail-on", "never")
    assert result.exit_code == 3
    assert "could not read Transit Gateway of hub 'tgw-use1' in us-east-1: cannot reach ec2" in result.stdout
    assert result.stderr == "partial report: 7 part(s) of the live state could not be read (XC700)\n"


def test_unusable_spec_exits_2(tmp_path: Path, deployed: Deployed) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nnetworks:\n  - {name: a, cloud: aws, region: us-east-1, cidrs: [10.0.0.0/16], mut: 1}\n")
    result = run(broken, "--endpoint-url", deployed.url)
    assert result.exit_code == 2 and "unknown field 'mut'" in result.output
    assert run(tmp_path / "missing.yaml").exit_code == 2


def test_watch_does_not_take_sarif(spec_file: Path) -> None:
    result = run(spec_file, "--watch", "5", "-f", "sarif")
    assert result.exit_code == 2 and "not sarif" in result.stderr


def test_watch_runs_until_sigterm(spec_file: Path, deployed: Deployed) -> None:
    timer = threading.Timer(0.6, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        result = run(spec_file, "--endpoint-url", deployed.url, "--watch", "0.05", "-f", "json")
    finally:
        timer.cancel()
    assert result.exit_code == 0, result.output
    [first] = [json.loads(line) for line in result.stdout.splitlines()]  # later rounds changed nothing
    assert (first["iteration"], first["new"], first["resolved"]) == (1, [], [])
