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
        "    gcp: {region: us-east4, project: example-project, network: aws-a, allowed_prefixes: [10.2.0.0/16]}\n",
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


# ---------------------------------------------------------------- hostile input (issue 15)

import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import yaml  # noqa: E402

from xcloud_iac import synth  # noqa: E402
from xcloud_iac.spec.loader import MAX_ALIAS_NODES  # noqa: E402

ROOT = Path(__file__).parents[2]
DR_PAIR = ROOT / "stacks" / "dr-pair.yaml"


def xcloud(*args: str, timeout: float = 120, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed command in its own process, so a hang is a timeout here and not a stuck test run."""
    return subprocess.run([sys.executable, "-c", "from xcloud_iac.cli import main; main()", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, check=False)


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    both = result.stdout + result.stderr
    assert result.returncode == 2, both
    assert "Traceback" not in both, both
    for word in words:
        assert word in both, both


def key_bomb(levels: int) -> str:
    """377 bytes at 7 levels: the bomb is a mapping KEY, which no value limit sees."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + f"\n? *a{levels - 1}\n: boom\nname: x\n"


@pytest.mark.parametrize("command", ["validate", "plan", "graph"])
def test_alias_bomb_in_a_mapping_key_is_refused_quickly(command: str, tmp_path: Path) -> None:
    spec = tmp_path / "bomb.yaml"
    spec.write_text(key_bomb(7), encoding="utf-8")
    started = time.monotonic()
    result = xcloud(command, str(spec), timeout=60)
    assert time.monotonic() - started < 30
    assert_refused(result)
    assert len(result.stdout + result.stderr) < 10_000  # the expansion is never printed


def test_a_mapping_key_that_is_a_list_is_located() -> None:
    from xcloud_iac.spec import SpecError, load_text

    with pytest.raises(SpecError) as err:
        load_text("name: x\n? [a, b]\n: c\n", "k.yaml")
    assert "mapping key must be a plain name" in str(err.value)
    assert err.value.problems[0].location.line == 2


def test_a_large_stack_without_aliases_is_not_an_alias_bomb(tmp_path: Path) -> None:
    """2600 synthetic networks: more nodes than the old node limit (200,000) counted, and no alias at all."""
    data = synth.generate(2600).data()
    nodes = 0
    stack = [data]
    while stack:
        value = stack.pop()
        nodes += 1
        if isinstance(value, dict):
            nodes += len(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    assert nodes > 200_000 > MAX_ALIAS_NODES
    spec = tmp_path / "org.yaml"
    spec.write_text(yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False))
    result = CliRunner().invoke(app, ["validate", str(spec)])
    # it loads and is checked (exit 2 would be unusable input); at this size the synthetic hubs route more than a
    # VPC route table holds, which XC309 reports
    assert result.exit_code in (0, 1), result.output[:2000]
    assert "alias" not in result.output
    assert {line.split()[2] for line in result.output.splitlines() if " error XC" in line} <= {"XC309"}


def test_the_alias_limit_is_documented() -> None:
    assert f"{MAX_ALIAS_NODES:,}" in (ROOT / "docs" / "spec-limits.md").read_text()


# every command that reads a stack (or a trust document): what a FIFO, a directory, a symbolic-link loop and a file
# that is not UTF-8 give
READERS = {
    "validate": lambda p: ["validate", p],
    "plan": lambda p: ["plan", p],
    "graph": lambda p: ["graph", p],
    "policy-config": lambda p: ["policy-config", p],
    "verify": lambda p: ["verify", p, "--endpoint-url", "http://127.0.0.1:9"],
    "diff": lambda p: ["diff", "--base", str(DR_PAIR), p],
    "diff-base": lambda p: ["diff", "--base", p, str(DR_PAIR)],
    "audit-trust": lambda p: ["audit-trust", p],
}


def special_file(kind: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{kind}.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "link-loop":
        path.symlink_to(tmp_path / "loop-b.yaml")
        (tmp_path / "loop-b.yaml").symlink_to(path)
    elif kind == "latin-1":
        path.write_bytes(DR_PAIR.read_bytes().replace(b"name: dr-pair", b"name: dr-pair\ndescription: caf\xe9"))
    return path


EXPECTED_WORDS = {"fifo": "not a regular file", "directory": "is a directory", "link-loop": "symbolic link loop",
                  "latin-1": "not UTF-8"}


@pytest.mark.parametrize("kind", sorted(EXPECTED_WORDS))
@pytest.mark.parametrize("command", sorted(READERS))
def test_unreadable_inputs_are_refused_in_every_command(command: str, kind: str, tmp_path: Path) -> None:
    path = special_file(kind, tmp_path)
    result = xcloud(*READERS[command](str(path)), timeout=60)  # a FIFO opened for reading would block: a timeout
    assert_refused(result, EXPECTED_WORDS[kind], str(path))
    if kind == "latin-1":
        data = path.read_bytes()
        line = data[: data.index(b"\xe9")].count(b"\n") + 1
        assert f"{path}:{line}:17:" in result.stdout + result.stderr  # the line and column of the first bad byte


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True,
                   capture_output=True)


def test_diff_base_revision_whose_file_is_not_utf8(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "stacks").mkdir(parents=True)
    spec = repo / "stacks" / "dr-pair.yaml"
    spec.write_bytes(DR_PAIR.read_bytes() + b"# caf\xe9\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    spec.write_bytes(DR_PAIR.read_bytes())
    result = xcloud("diff", "--base", "main", "--format", "json", cwd=repo)
    assert_refused(result, "main:stacks/dr-pair.yaml", "not UTF-8")


def test_diff_base_with_a_spec_symlinked_outside_the_repository(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "dr-pair.yaml"
    outside.parent.mkdir()
    outside.write_bytes(DR_PAIR.read_bytes())
    repo = tmp_path / "repo"
    (repo / "stacks").mkdir(parents=True)
    (repo / "stacks" / "dr-pair.yaml").symlink_to(outside)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    result = xcloud("diff", "--base", "HEAD", "stacks/dr-pair.yaml", "--format", "json", cwd=repo)
    # git stores the link, not the file it points to: its content at HEAD is unknown, and that is what is said
    assert_refused(result, "symbolic link", "outside the repository", "--base FILE")


def test_diff_base_follows_a_symbolic_link_inside_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "stacks").mkdir(parents=True)
    (repo / "shared").mkdir()
    (repo / "shared" / "dr-pair.yaml").write_bytes(DR_PAIR.read_bytes())
    (repo / "stacks" / "dr-pair.yaml").symlink_to("../shared/dr-pair.yaml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    result = xcloud("diff", "--base", "HEAD", "stacks/dr-pair.yaml", "--format", "json", cwd=repo, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "HEAD:shared/dr-pair.yaml" in result.stdout


# every command with -o: a missing folder, a directory, an unwritable file
WRITERS = {
    "validate": ["validate", str(DR_PAIR)],
    "schema": ["schema"],
    "graph": ["graph", str(DR_PAIR)],
    "plan": ["plan", str(DR_PAIR)],
    "policy-config": ["policy-config", str(DR_PAIR)],
    "diff": ["diff", "--base", str(DR_PAIR), str(DR_PAIR)],
    "audit-trust": ["audit-trust", str(ROOT / "tests" / "audit" / "fixtures")],
    "verify": ["verify", str(DR_PAIR), "--endpoint-url", "http://127.0.0.1:9"],
}


def output_path(kind: str, tmp_path: Path) -> Path:
    if kind == "missing-folder":
        return tmp_path / "no" / "such" / "out.txt"
    if kind == "directory":
        return tmp_path
    if kind == "under-a-file":
        (tmp_path / "file").write_text("x")
        return tmp_path / "file" / "out.txt"
    path = tmp_path / "read-only.txt"
    path.write_text("x")
    path.chmod(0o444)
    return path


@pytest.mark.parametrize("kind", ["missing-folder", "directory", "under-a-file", "read-only"])
@pytest.mark.parametrize("command", sorted(WRITERS))
def test_output_paths_that_cannot_be_written_exit_2(command: str, kind: str, tmp_path: Path) -> None:
    if kind == "read-only" and os.geteuid() == 0:
        pytest.skip("root writes read-only files; /dev/full covers the failed write")
    args = list(WRITERS[command])
    if command == "audit-trust":
        args = ["audit-trust", str(next((ROOT / "tests" / "audit" / "fixtures").rglob("*.json")))]
    out = output_path(kind, tmp_path)
    result = xcloud(*args, "-o", str(out))
    assert_refused(result, "cannot write", str(out))


@pytest.mark.parametrize("command", ["validate", "schema", "graph", "audit-trust"])
def test_a_write_that_fails_midway_exits_2(command: str) -> None:
    args = list(WRITERS[command])
    if command == "audit-trust":
        args = ["audit-trust", str(next((ROOT / "tests" / "audit" / "fixtures").rglob("*.json")))]
    result = xcloud(*args, "-o", "/dev/full")  # every write fails: no space left on device
    assert_refused(result, "cannot write /dev/full")


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999", "127.0.0.1:5000", "ftp://127.0.0.1", "http://:80",
                                 "http://127.0.0.1:0", "http://127.0.0.1:port"])
def test_verify_endpoint_url_is_checked(url: str) -> None:
    result = xcloud("verify", str(DR_PAIR), "--endpoint-url", url)
    assert_refused(result, "--endpoint-url")


# values the clouds refuse (or that change the meaning of what they are put in), refused at load time
WIF = """\
name: bad
trust:
  workload_identity:
    - name: aws-to-gcp
      project: example-dr-project
      pool_id: aws-pool
      provider_id: aws-prod
      aws_account_id: "111122223333"
      attribute_condition: "assertion.arn.startsWith('arn:aws:sts::111122223333:assumed-role/orders-')"
      aws_roles: [orders-api]
      service_account: reader@example-project.iam.gserviceaccount.com
"""
INTERCONNECT = GOOD_NETWORK + """\
  - name: gcp-a
    cloud: gcp
    region: us-east4
    cidrs: [10.2.0.0/16]
interconnects:
  - name: ic
    bandwidth: 1Gbps
    aws: {region: us-east-1, dx_gateway_asn: 64513, allowed_prefixes: [10.1.0.0/16]}
    gcp: {region: us-east4, project: example-dr-project, network: gcp-a, allowed_prefixes: [10.2.0.0/16]}
"""
FORMAT_CASES = {
    "pool-id": (WIF.replace("pool_id: aws-pool", "pool_id: 'aws pool/x'"), "trust.workload_identity[0].pool_id",
                ["not a Workload Identity pool or provider id"]),
    "reserved-pool-id": (WIF.replace("pool_id: aws-pool", "pool_id: gcp-pool"), "trust.workload_identity[0].pool_id",
                         ["'gcp-'"]),
    "wif-project": (WIF.replace("project: example-dr-project", "project: evil/locations/x y"),
                    "trust.workload_identity[0].project", ["not a Google Cloud project id"]),
    "interconnect-project": (INTERCONNECT.replace("project: example-dr-project", "project: evil/locations/x y"),
                             "interconnects[0].gcp.project", ["not a Google Cloud project id"]),
    "all-users": (WIF.replace("reader@example-project.iam.gserviceaccount.com", "allUsers"),
                  "trust.workload_identity[0].service_account", ["not a service account", "allUsers"]),
    "wildcard-role": (WIF.replace("[orders-api]", "['*']"), "trust.workload_identity[0].aws_roles[0]",
                      ["not an IAM role name"]),
    "wif-account-star": (WIF.replace('"111122223333"', '"*"'), "trust.workload_identity[0].aws_account_id",
                         ["12 digits"]),
    "network-account-star": (GOOD_NETWORK + '    account: "*"\n', "networks[0].account", ["12 digits"]),
    "network-account-short": (GOOD_NETWORK + '    account: "12345"\n', "networks[0].account", ["12 digits"]),
    "network-account-number": (GOOD_NETWORK + "    account: 111122223333\n", "networks[0].account", ["in quotes"]),
    "gcp-network-project": (GOOD_NETWORK.replace("cloud: aws", "cloud: gcp").replace("us-east-1", "us-east4")
                            + "    account: evil/x\n", "networks[0].account", ["not a Google Cloud project id"]),
    "interconnect-account": (INTERCONNECT.replace("dx_gateway_asn: 64513,", "dx_gateway_asn: 64513, account: '*',"),
                             "interconnects[0].aws.account", ["12 digits"]),
    "role-account": ("name: bad\ntrust:\n  issuers: [{name: gh, kind: github, url: 'https://token.actions."
                     "githubusercontent.com'}]\n  roles: [{name: r, issuer: gh, account: '*', audience: sts, "
                     "subjects: [x]}]\n", "trust.roles[0].account", ["12 digits"]),
    "zone-outside-region": (GOOD_NETWORK + "    subnets: [{name: a, cidr: 10.1.1.0/24, zone: eu-west-9z}]\n",
                            "networks[0].subnets", ["zone 'eu-west-9z' is not in region us-east-1"]),
    "gcp-zone-unknown": (GOOD_NETWORK.replace("cloud: aws", "cloud: gcp").replace("us-east-1", "us-east4")
                         + "    subnets: [{name: a, cidr: 10.1.1.0/24, zone: mars-north1}]\n",
                         "networks[0].subnets", ["not a Google Cloud region or zone"]),
    "integer-bandwidth": (INTERCONNECT.replace("bandwidth: 1Gbps", "bandwidth: -1000"),
                          "interconnects[0].bandwidth", ["not a bandwidth", "1Gbps"]),
    "thumbprint": ("name: bad\ntrust:\n  issuers: [{name: gh, kind: github, url: 'https://x.example.com', "
                   "thumbprints: [abc]}]\n", "trust.issuers[0].thumbprints[0]", ["40 hexadecimal"]),
    "iam-action": ("name: bad\ntrust:\n  issuers: [{name: gh, kind: github, url: 'https://x.example.com'}]\n"
                   "  roles: [{name: r, issuer: gh, audience: sts, subjects: [x], permissions: [{actions: "
                   "['s3 GetObject'], resources: ['*']}]}]\n", "trust.roles[0].permissions[0].actions[0]",
                   ["not an IAM action"]),
    "edge-location": ("name: bad\nhubs:\n  - name: w\n    kind: cloud_wan\n    edges: [{region: us-east-1}]\n"
                      "    segments: [{name: prod, edge_locations: [us-esat-1]}]\n",
                      "hubs[0].segments[0].edge_locations[0]", ["unknown AWS region"]),
}


@pytest.mark.parametrize("case", sorted(FORMAT_CASES))
def test_values_are_checked_against_the_clouds_formats(case: str, tmp_path: Path) -> None:
    text, path, words = FORMAT_CASES[case]
    spec = tmp_path / "stack.yaml"
    spec.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(spec), "--format", "json"])
    assert result.exit_code == 2, result.output
    errors = json.loads(result.output)["errors"]
    assert path in [e["path"] for e in errors], errors
    message = next(e["message"] for e in errors if e["path"] == path)
    for word in words:
        assert word in message, message


def test_the_valid_spellings_pass(tmp_path: Path) -> None:
    spec = tmp_path / "stack.yaml"
    spec.write_text(WIF, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(spec), "--format", "json"])
    assert json.loads(result.output).get("errors", []) == [], result.output
