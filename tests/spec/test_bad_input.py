"""The bad-input catalogue: every kind of unusable stack gives file:line:column, the field path and what was
expected, exit status 2, and never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from xcloud_iac.cli import app

GOOD_NETWORK = """\
name: bad
networks:
  - name: aws-a
    cloud: aws
    region: us-east-1
    cidrs: [10.1.0.0/16]
"""

CASES = {
    # name: (yaml, expected line, expected column, expected field path, words the message must contain)
    "malformed-yaml": ("name: bad\nnetworks: [\n  {name: a\n", 4, 1, "<root>", ["malformed YAML"]),
    "tab-indent": ("name: bad\nnetworks:\n\t- name: a\n", 3, 1, "<root>", ["malformed YAML"]),
    "not-a-mapping": ("- just\n- a list\n", 1, 1, "<root>", ["expected a mapping"]),
    "empty": ("", 1, 1, "<root>", ["empty document"]),
    "unknown-field-typo": (
        GOOD_NETWORK + "    mut: 1500\n", 7, 5, "networks[0].mut", ["unknown field 'mut'", "did you mean 'mtu'?", "Expected one of"]
    ),
    "unknown-top-level": ("name: bad\nnetwork: []\n", 2, 1, "network", ["did you mean 'networks'?"]),
    "wrong-type": (GOOD_NETWORK + "    mtu: jumbo\n", 7, 10, "networks[0].mtu", ["valid integer", "'jumbo'"]),
    "list-expected": (GOOD_NETWORK.replace("[10.1.0.0/16]", "10.1.0.0/16"), 6, 12, "networks[0].cidrs", ["valid list"]),
    "invalid-cidr": (GOOD_NETWORK.replace("10.1.0.0/16", "10.1.0.300/16"), 6, 13, "networks[0].cidrs[0]", ["is not a CIDR"]),
    "host-bits": (GOOD_NETWORK.replace("10.1.0.0/16", "10.1.2.0/16"), 6, 13, "networks[0].cidrs[0]", ["host bits", "10.1.0.0/16"]),
    "unknown-region": (
        GOOD_NETWORK.replace("us-east-1", "us-east1"), 5, 13, "networks[0].region", ["unknown AWS region", "did you mean 'us-east-1'?"]
    ),
    "unknown-gcp-region": (
        GOOD_NETWORK.replace("cloud: aws", "cloud: gcp").replace("us-east-1", "us-east9"), 5, 13, "networks[0].region",
        ["unknown Google Cloud region", "Expected one of"],
    ),
    "unknown-cloud": (
        GOOD_NETWORK.replace("cloud: aws", "cloud: ibm"), 4, 12, "networks[0].cloud", ["'aws'", "'onprem'"]
    ),
    "unknown-bandwidth": (
        GOOD_NETWORK
        + "interconnects:\n  - name: ic\n    bandwidth: fast\n    aws: {region: us-east-1, dx_gateway_asn: 64513, allowed_prefixes: [10.1.0.0/16]}\n"
        "    gcp: {region: us-east4, project: p, network: aws-a, allowed_prefixes: [10.2.0.0/16]}\n",
        9, 16, "interconnects[0].bandwidth", ["not a bandwidth", "1Gbps", "100Gbps"],
    ),
    "bad-name": (GOOD_NETWORK.replace("name: aws-a", "name: AWS_A"), 3, 11, "networks[0].name", ["not a valid name"]),
    "waiver-without-reason": (
        GOOD_NETWORK + "    ignore: [{rule: XC103}]\n", 7, 14, "networks[0].ignore[0].reason", ["required field 'reason'"]
    ),
    "waiver-blank-reason": (
        GOOD_NETWORK + "    ignore: [{rule: XC103, reason: '      '}]\n", 7, 36, "networks[0].ignore[0].reason",
        ["reason must say why", "besides blanks"],
    ),
    "waiver-unknown-rule": (
        GOOD_NETWORK + "    ignore: [{rule: XC199, reason: not connected yet}]\n", 7, 21, "networks[0].ignore[0].rule",
        ["no rule XC199 exists", "Expected one of: XC101, XC102, XC103"],
    ),
    "dangling-reference-no-guess": (
        GOOD_NETWORK
        + "hubs:\n  - name: h\n    kind: transit_gateway\n    region: us-east-1\n    route_tables: [{name: main}]\n"
        "    attachments:\n      - {name: x, network: zzzzzz, route_table: main}\n",
        13, 28, "hubs[0].attachments[0].network", ["network 'zzzzzz' is not declared. Expected one of: aws-a"],
    ),
    "ipv6-only-without-stack-type": (
        GOOD_NETWORK.replace("cloud: aws", "cloud: gcp").replace("us-east-1", "us-east4").replace("10.1.0.0/16", '"fd20::/48"'),
        3, 5, "networks[0]", ["without an IPv4 CIDR is IPv6-only: set stack_type: ipv6"],
    ),
    "ipv6-only-aws": (
        GOOD_NETWORK.replace("10.1.0.0/16", '"2600:1f18:100::/56"') + "    stack_type: ipv6\n",
        3, 5, "networks[0]", ["AWS VPC always has an IPv4 CIDR", "use stack_type: dual"],
    ),
    "ipv6-only-with-ipv4": (
        GOOD_NETWORK.replace("cloud: aws", "cloud: gcp").replace("us-east-1", "us-east4") + "    stack_type: ipv6\n",
        3, 5, "networks[0]", ["IPv6-only network (stack_type: ipv6) has IPv6 CIDRs only"],
    ),
    "ipv6-only-link": (
        GOOD_NETWORK
        + "interconnects:\n  - name: ic\n    bandwidth: 1Gbps\n    stack_type: ipv6\n"
        "    aws: {region: us-east-1, dx_gateway_asn: 64513, allowed_prefixes: [10.1.0.0/16]}\n"
        "    gcp: {region: us-east4, project: p, network: aws-a, allowed_prefixes: [10.2.0.0/16]}\n",
        10, 17, "interconnects[0].stack_type", ["a link carries ipv4 or dual"],
    ),
    "duplicate-key": (GOOD_NETWORK + "    region: us-east-2\n", 7, 5, "networks[0].region", ["duplicate key 'region'"]),
    "hub-kind": (
        "name: bad\nhubs:\n  - name: h\n    kind: tgw\n", 4, 11, "hubs[0].kind", ["'transit_gateway'", "'cloud_wan'"]
    ),
    "dangling-reference": (
        GOOD_NETWORK
        + "hubs:\n  - name: h\n    kind: transit_gateway\n    region: us-east-1\n    route_tables: [{name: main}]\n"
        "    attachments:\n      - {name: x, network: aws-b, route_table: main}\n",
        13, 28, "hubs[0].attachments[0].network", ["XC101", "network 'aws-b' is not declared", "did you mean 'aws-a'?"],
    ),
    "duplicate-name": (
        GOOD_NETWORK + GOOD_NETWORK.split("networks:\n", 1)[1].replace("10.1.", "10.2."), 7, 11, "networks[1].name",
        ["XC102", "network 'aws-a' is declared more than once"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_located_and_exits_2(case: str, tmp_path: Path) -> None:
    text, line, column, path, words = CASES[case]
    spec = tmp_path / "stack.yaml"
    spec.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(spec)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    first = result.output.splitlines()[0]
    assert first.startswith(f"{spec}:{line}:{column}: error "), result.output
    assert path in first, result.output
    for word in words:
        assert word in result.output, result.output


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 10)]
    spec = tmp_path / "bomb.yaml"
    spec.write_text("\n".join(lines) + "\nname: x\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(spec)])
    assert result.exit_code == 2
    assert "alias expansion" in result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "file not found" in result.output


def test_all_problems_of_a_file_are_reported_together(tmp_path: Path) -> None:
    spec = tmp_path / "stack.yaml"
    spec.write_text(GOOD_NETWORK.replace("10.1.0.0/16", "10.1.0.0/16, nope") + "    mtu: big\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(spec), "--format", "json"])
    assert result.exit_code == 2
    import json

    errors = json.loads(result.output)["errors"]
    assert [e["path"] for e in errors] == ["networks[0].cidrs[1]", "networks[0].mtu"]
    assert errors[0]["location"] == {"file": str(spec), "line": 6, "column": 26}
