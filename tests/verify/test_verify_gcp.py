"""`xcloud verify` on the Google side, over real HTTP against the fake Google API of gcp_fake.py.

Each example stack is "deployed" into the fake from its offline plan; verify must find no drift. Then each kind
of drift is planted and must report its rule, and nothing else; faults (500s, 429, 403, a server killed mid-run,
no credentials) must end in the right exit status with what was read kept in the report.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import ROOT, STACKS
from gcp_fake import FakeGoogle, firewall, physical
from typer.testing import CliRunner

from xcloud_iac import load
from xcloud_iac.cli import app
from xcloud_iac.verify import GcpOptions, GoogleClients, render_change, unread, verify, watch

GOOGLE_ONLY = ("gcp",)


@pytest.fixture
def dr_pair():
    return load(ROOT / "stacks" / "dr-pair.yaml")


@pytest.fixture
def fake(plans, dr_pair):
    """dr-pair deployed into a fresh fake Google API."""
    server = FakeGoogle()
    server.seed_from_plan(dr_pair, plans["dr-pair"], "example-dr-project")
    server.start()
    yield server
    server.stop()


def options(fake: FakeGoogle, **more: Any) -> GcpOptions:
    return GcpOptions(endpoint=fake.url, anonymous=True, backoff=0.001, **{"max_attempts": 3, **more})


def gverify(spec, fake: FakeGoogle, **more: Any):
    return verify(spec, clouds=GOOGLE_ONLY, google=options(fake, **more))


def rules(report) -> list[str]:
    return [f.rule for f in report.findings]


# ---------------------------------------------------------------- clean deployments


@pytest.mark.parametrize("path", STACKS, ids=lambda p: p.stem)
def test_the_deployed_stack_verifies_clean_on_google(path: Path, plans) -> None:
    spec = load(path)
    server = FakeGoogle()
    server.seed_from_plan(spec, plans[path.stem], "unused-default-project")
    server.start()
    try:
        report = gverify(spec, server)
    finally:
        server.stop()
    assert report.findings == []
    google_side = spec.interconnects or spec.dns.forwarding_zones or spec.trust.workload_identity
    assert bool(server.calls) == bool(google_side)  # a stack with no Google side asks Google nothing


def test_every_answer_of_the_fake_validates_against_the_discovery_documents(fake: FakeGoogle, dr_pair) -> None:
    fake.firewalls["example-dr-project"].append(firewall(
        "example-dr-project", physical("gcp-dr-fw-peers"), fake.networks["example-dr-project"][0]["name"],
        {"sourceRanges": ["10.10.0.0/16"], "allows": [{"protocol": "tcp", "ports": ["443"]}]}))
    gverify(dr_pair, fake)
    served = {schema for _api, schema, _body in fake.answers}
    assert {"ListTransportsResponse", "NetworkList", "ExchangedPeeringRoutesList", "FirewallList",
            "RouteList", "ManagedZonesListResponse", "PoliciesListResponse", "WorkloadIdentityPool",
            "WorkloadIdentityPoolProvider"} <= served
    validators: dict[tuple[str, str], jsonschema.Draft7Validator] = {}
    for api, schema, body in fake.answers:
        if (api, schema) not in validators:  # compute's schemas are large: check and compile each once
            definition = discovery_json_schema(fake.docs[api], schema)
            jsonschema.Draft7Validator.check_schema(definition)
            validators[(api, schema)] = jsonschema.Draft7Validator(definition)
        validators[(api, schema)].validate(body)


def test_the_schema_check_catches_a_misshapen_answer(fake: FakeGoogle) -> None:
    validator = jsonschema.Draft7Validator(discovery_json_schema(fake.docs["networkconnectivity"],
                                                                 "ListTransportsResponse"))
    validator.validate({"transports": [{"name": "t", "state": "ACTIVE", "advertisedRoutes": ["10.0.0.0/8"]}]})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"transports": [{"name": "t", "state": "UP"}]})  # not an enum value
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"transports": [{"name": "t", "advertisedRoute": []}]})  # no such field


def discovery_json_schema(doc: dict[str, Any], name: str) -> dict[str, Any]:
    """A discovery schema as JSON Schema: $refs resolved, enums kept, unknown fields refused."""

    def convert(node: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in node:
            return {"$ref": f"#/definitions/{node['$ref']}"}
        kind = node.get("type")
        if kind == "object":
            out: dict[str, Any] = {"type": "object"}
            if "properties" in node:
                out["properties"] = {k: convert(v) for k, v in node["properties"].items()}
                out["additionalProperties"] = False
            if "additionalProperties" in node:
                out["additionalProperties"] = convert(node["additionalProperties"])
            return out
        if kind == "array":
            return {"type": "array", "items": convert(node.get("items", {}))}
        if kind == "string":
            return {"type": "string", **({"enum": node["enum"]} if "enum" in node else {})}
        if kind in ("integer", "number", "boolean"):
            return {"type": kind}
        return {}

    return {"$ref": f"#/definitions/{name}",
            "definitions": {key: convert(value) for key, value in doc["schemas"].items()}}


# ---------------------------------------------------------------- drift


def _network(fake: FakeGoogle) -> dict[str, Any]:
    return fake.networks["example-dr-project"][0]


def plant_pending_key(fake):
    fake.transports[0]["state"] = "PENDING_KEY"


def plant_extra_advertised(fake):
    fake.transports[0]["advertisedRoutes"].append("10.99.0.0/16")


def plant_no_custom_export(fake):
    _network(fake)["peerings"][0]["exportCustomRoutes"] = False


def plant_route_leak(fake):
    key = next(k for k in fake.peering_routes if k[2] == "INCOMING")
    fake.peering_routes[key].append({"destRange": "172.16.0.0/12", "type": "DYNAMIC_PEERING_ROUTE",
                                     "nextHopRegion": "us-east4", "priority": 100, "imported": True})


def plant_zone_target(fake):
    targets = fake.zones["example-dr-project"][0]["forwardingConfig"]["targetNameServers"]
    targets[0]["ipv4Address"] = "10.10.9.9"


def plant_policy_disabled(fake):
    fake.policies["example-dr-project"][0]["enableInboundForwarding"] = False


def plant_policy_removed(fake):
    fake.policies["example-dr-project"].clear()


def plant_condition_removed(fake):
    next(iter(fake.providers.values())).pop("attributeCondition")


def plant_condition_widened(fake):
    next(iter(fake.providers.values()))["attributeCondition"] = "attribute.aws_role.startsWith('arn:aws:sts::')"


def plant_firewall_world(fake):
    fake.firewalls["example-dr-project"].append(firewall(
        "example-dr-project", physical("gcp-dr-fw-peers"), _network(fake)["name"],
        {"sourceRanges": ["0.0.0.0/0"], "allows": [{"protocol": "tcp", "ports": ["22"]}]}))


def plant_firewall_wider(fake):
    fake.firewalls["example-dr-project"].append(firewall(
        "example-dr-project", physical("gcp-dr-fw-peers"), _network(fake)["name"],
        {"sourceRanges": ["10.10.0.0/16", "192.168.0.0/16"], "allows": [{"protocol": "tcp", "ports": ["443"]}]}))


def plant_owned_route(fake):
    fake.routes["example-dr-project"].append({
        "kind": "compute#route", "name": physical("gcp-dr-route-legacy"), "destRange": "172.31.0.0/16",
        "network": _network(fake)["selfLink"], "nextHopIp": "10.20.0.50", "priority": 1000})


def plant_network_replaced(fake):
    _network(fake)["description"] = "made by hand"


def plant_transport_deleted(fake):
    fake.transports.clear()


DRIFTS = [
    (plant_pending_key, "XC721", "is PENDING_KEY, not ACTIVE"),
    (plant_extra_advertised, "XC722", "advertises 10.99.0.0/16, which the spec does not (10.99.0.0/16 outside"),
    (plant_no_custom_export, "XC723", "does not export custom routes"),
    (plant_route_leak, "XC724", "receives 172.16.0.0/12, outside the AWS allow-list"),
    (plant_zone_target, "XC725", "forwards to 10.10.2.10 (private), 10.10.9.9 (private)"),
    (plant_policy_disabled, "XC726", "has inbound forwarding disabled"),
    (plant_policy_removed, "XC720", "no Cloud DNS server policy described"),
    (plant_condition_removed, "XC727", "has no attribute condition: every identity of the AWS account is admitted"),
    (plant_condition_widened, "XC727", "has attribute condition \"attribute.aws_role.startsWith('arn:aws:sts::')\""),
    (plant_firewall_world, "XC728", "admits 0.0.0.0/0 (tcp:22)"),
    (plant_firewall_wider, "XC729", "admits 192.168.0.0/16, which no declared peer of 'gcp-dr' holds"),
    (plant_owned_route, "XC730", "sends 172.31.0.0/16 to nextHopIp=10.20.0.50"),
    (plant_network_replaced, "XC720", "network 'gcp-dr': no Google network described 'xcloud dr-pair: network gcp-dr'"),
    (plant_transport_deleted, "XC720", "no Transport in projects/example-dr-project/locations/us-east4"),
]


@pytest.mark.parametrize(("plant", "rule", "says"), DRIFTS, ids=lambda v: getattr(v, "__name__", None))
def test_each_kind_of_google_drift_reports_its_rule(fake: FakeGoogle, dr_pair, plant, rule: str, says: str) -> None:
    plant(fake)
    report = gverify(dr_pair, fake)
    assert rules(report) == [rule], report.findings
    assert says in report.findings[0].message
    assert report.findings[0].location is not None  # the spec object it is about


def test_rules_the_stack_does_not_own_are_not_judged(fake: FakeGoogle, dr_pair) -> None:
    """Firewall rules and routes are the stack's by name prefix only: a team's own rule open to the world is theirs."""
    net = _network(fake)
    fake.firewalls["example-dr-project"].append(firewall(
        "example-dr-project", "allow-ssh-from-anywhere", net["name"], {"sourceRanges": ["0.0.0.0/0"],
                                                                        "allows": [{"protocol": "tcp"}]}))
    fake.routes["example-dr-project"].append({"kind": "compute#route", "name": "default-internet",
                                              "destRange": "0.0.0.0/0", "network": net["selfLink"],
                                              "nextHopGateway": "global/gateways/default-internet-gateway"})
    assert gverify(dr_pair, fake).findings == []


def test_a_transport_found_by_its_labels_not_its_name(fake: FakeGoogle, dr_pair) -> None:
    fake.transports[0]["name"] = fake.transports[0]["name"].rsplit("/", 1)[0] + "/renamed-in-console"
    fake.transports[0]["labels"] = {"team": "net"}
    [finding] = gverify(dr_pair, fake).findings
    assert finding.rule == "XC720" and "labelled xcloud-stack=dr-pair, xcloud-key=interconnect_use1-gcp" in finding.message


# ---------------------------------------------------------------- faults


def test_500s_then_success_are_retried_and_lose_nothing(fake: FakeGoogle, dr_pair) -> None:
    fake.fail("dns.managedZones.list", 500, 503)
    plant_pending_key(fake)
    report = gverify(dr_pair, fake)
    assert rules(report) == ["XC721"]
    assert fake.calls.count("dns.managedZones.list") == 3


def test_429_then_success_is_retried(fake: FakeGoogle, dr_pair) -> None:
    fake.fail("networkconnectivity.projects.locations.transports.list", 429)
    assert gverify(dr_pair, fake).findings == []
    assert fake.calls.count("networkconnectivity.projects.locations.transports.list") == 2


def test_retries_back_off_exponentially_with_jitter(fake: FakeGoogle, dr_pair) -> None:
    waits: list[float] = []
    fake.fail("dns.policies.list", 503, 503, 503, 429)
    clients = GoogleClients(GcpOptions(endpoint=fake.url, anonymous=True, max_attempts=5, backoff=0.5,
                                       max_backoff=1.5), sleep=waits.append)
    assert verify(dr_pair, clouds=GOOGLE_ONLY, google_clients=clients).findings == []
    assert len(waits) == 4 and fake.calls.count("dns.policies.list") == 5
    assert all(0 <= w <= ceiling for w, ceiling in zip(waits, (0.5, 1.0, 1.5, 1.5), strict=True))


def test_500s_beyond_the_attempts_give_a_partial_report_with_the_rest_intact(fake: FakeGoogle, dr_pair) -> None:
    fake.fail("dns.managedZones.list", 500, 500, 500)
    plant_condition_removed(fake)
    report = gverify(dr_pair, fake)
    assert rules(report) == ["XC700", "XC727"]
    [partial] = unread(report)
    assert "Cloud DNS managed zones of project example-dr-project" in partial.message
    assert "still after 3 attempts with backoff" in partial.message


def test_access_denied_is_reported_for_what_it_skips(fake: FakeGoogle, dr_pair) -> None:
    fake.fail("iam.projects.locations.workloadIdentityPools.get", 403)
    [partial] = gverify(dr_pair, fake).findings
    assert partial.rule == "XC700" and "access denied to iam.workloadIdentityPools.get" in partial.message


def test_a_server_killed_mid_run_gives_exit_3_with_the_rest_of_the_report(fake: FakeGoogle, dr_pair) -> None:
    plant_pending_key(fake)  # read before the kill
    plant_firewall_world(fake)
    fake.kill_on("dns.managedZones.list")
    result = run_cli(ROOT / "stacks" / "dr-pair.yaml", fake, "-f", "json")
    assert result.exit_code == 3, result.output
    findings = json.loads(result.stdout)["findings"]
    assert sorted(f["rule"] for f in findings if f["rule"] != "XC700") == ["XC721", "XC728"]
    skipped = sorted(f["path"] for f in findings if f["rule"] == "XC700")
    assert skipped == ["dns.forwarding_zones[0]", "dns.inbound_policies[0]", "trust.workload_identity[0]"]
    assert all("cannot reach" in f["message"] for f in findings if f["rule"] == "XC700")


def test_no_google_credentials_is_a_partial_report_not_a_traceback(monkeypatch, tmp_path: Path, dr_pair) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing.json"))
    report = verify(dr_pair, clouds=GOOGLE_ONLY, google=GcpOptions(endpoint="http://127.0.0.1:9"))
    assert report.findings and set(rules(report)) == {"XC700"}
    assert "no usable Google credentials" in report.findings[0].message


# ---------------------------------------------------------------- the command


def run_cli(spec: Path, fake: FakeGoogle, *args: str):
    return CliRunner().invoke(app, ["verify", str(spec), "--cloud", "gcp", "--gcp-endpoint", fake.url,
                                    "--gcp-anonymous", "--max-attempts", "2", *args])


def test_the_command_reports_google_drift_in_every_format(fake: FakeGoogle) -> None:
    spec = ROOT / "stacks" / "dr-pair.yaml"
    assert run_cli(spec, fake).exit_code == 0
    plant_policy_disabled(fake)
    text = run_cli(spec, fake)
    assert text.exit_code == 1 and " error XC726 inbound policy 'gcp-dr-inbound'" in text.output
    sarif = run_cli(spec, fake, "-f", "sarif")
    assert '"ruleId": "XC726"' in sarif.output
    github = run_cli(spec, fake, "-f", "github")
    assert github.output.startswith("::error ") and "XC726" in github.output


def test_watch_reports_a_change_on_the_google_side(fake: FakeGoogle, dr_pair) -> None:
    rounds = iter([lambda: None, lambda: plant_pending_key(fake), lambda: None])
    changes = []

    def check():
        next(rounds)()
        return gverify(dr_pair, fake)

    watch(check, 0, changes.append, stop=threading.Event(), wait=lambda _s: None, iterations=3)
    assert [(c.iteration, [f.rule for f in c.new]) for c in changes] == [(1, []), (2, ["XC721"])]
    assert "+ " in render_change(changes[1], "text") and "XC721" in render_change(changes[1], "text")


def test_a_project_the_spec_does_not_name_comes_from_the_option(fake: FakeGoogle, tmp_path: Path) -> None:
    text = (ROOT / "stacks" / "dr-pair.yaml").read_text(encoding="utf-8")
    spec = tmp_path / "dr-pair.yaml"
    spec.write_text(text.replace("    account: example-dr-project\n", "", 1), encoding="utf-8")
    without = run_cli(spec, fake, "-f", "json")
    assert without.exit_code == 3
    skipped = json.loads(without.stdout)["findings"]
    assert {f["rule"] for f in skipped} == {"XC700"}
    assert sorted(f["path"] for f in skipped) == ["dns.forwarding_zones[0]", "dns.inbound_policies[0]", "networks[1]"]
    assert all("no Google project" in f["message"] for f in skipped)
    assert run_cli(spec, fake, "--gcp-project", "example-dr-project").output == "no findings\n"
