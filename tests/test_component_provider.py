"""The component provider (provider/PulumiPlugin.yaml, xcloud_iac.component_provider): the schema Pulumi infers
(golden: provider/schema.json), `construct` through the provider interface registering exactly what the Python API
registers, and the Pulumi YAML example checked against the schema."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from components.mocks import install, run

from xcloud_iac import components as c
from xcloud_iac.component_provider import COMPONENTS, PACKAGE, SECTION_MODELS, provider
from xcloud_iac.program import OUTPUT_KEYS, deploy
from xcloud_iac.spec import load, load_section
from xcloud_iac.spec import models as m
from xcloud_iac.spec.schema import sections_source

ROOT = Path(__file__).parents[1]
GOLDEN = ROOT / "provider" / "schema.json"
YAML_EXAMPLE = ROOT / "examples" / "yaml-program" / "Pulumi.yaml"
GKE = "https://container.googleapis.com/v1/projects/dr-project/locations/us-east4/clusters/dr"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(provider("0.1.0").schema)


def test_schema_matches_golden(schema: dict[str, Any]) -> None:
    text = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    if os.environ.get("XCLOUD_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.read_text(encoding="utf-8") == text, "provider/schema.json is stale (XCLOUD_UPDATE_GOLDEN=1)"


def test_plugin_manifest_runs_python() -> None:
    manifest = yaml.safe_load((ROOT / "provider" / "PulumiPlugin.yaml").read_text())
    assert manifest == {"runtime": "python"}
    main = (ROOT / "provider" / "__main__.py").read_text()
    assert "component_provider_host(COMPONENTS, PACKAGE" in main


def _typed(prop: dict[str, Any]) -> bool:
    if "$ref" in prop:
        return True
    if prop.get("type") == "array":
        return _typed(prop["items"])
    if prop.get("type") == "object" and "additionalProperties" in prop:
        return _typed(prop["additionalProperties"])
    return prop.get("type") in {"string", "integer", "number", "boolean", "object"}


def test_every_component_has_typed_inputs_and_outputs(schema: dict[str, Any]) -> None:
    resources = schema["resources"]
    assert sorted(resources) == sorted(f"{PACKAGE}:index:{cls.__name__}" for cls in COMPONENTS)
    for token, resource in resources.items():
        assert resource["isComponent"], token
        assert resource["inputProperties"] and resource["properties"], token
        untyped = [n for n, p in {**resource["inputProperties"], **resource["properties"]}.items() if not _typed(p)]
        assert not untyped, (token, untyped)
    assert sorted(resources[f"{PACKAGE}:index:Stack"]["properties"]) == sorted(OUTPUT_KEYS)
    assert resources[f"{PACKAGE}:index:OidcTrustRole"]["requiredInputs"] == ["audience", "issuerUrl", "subjects"]


# ---------------------------------------------------------------- construct

def registered(program) -> list[tuple[str, str, str]]:
    """The custom resources a program registers: (type, name, inputs as JSON)."""
    _mocks, recorder = install()
    run(program)
    return sorted((r.type, r.name, json.dumps(r.inputs, sort_keys=True)) for r in recorder.registered if r.custom)


def constructed(token: str, name: str, inputs: dict[str, Any], setup=lambda: None) -> list[tuple[str, str, str]]:
    def program() -> pulumi.Output:
        setup()
        result = provider("0.1.0").construct(name, token, inputs, pulumi.ResourceOptions())
        return pulumi.Output.from_input(result.state)

    return registered(program)


PERMISSIONS = [{"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::orders/*"]}]
CASES = {
    "OidcTrustRole": (
        {"issuerUrl": GKE, "audience": "sts.amazonaws.com", "subjects": ["system:serviceaccount:orders:api"],
         "permissions": PERMISSIONS, "maxSessionSeconds": 3600},
        lambda: c.OidcTrustRole("reader", c.OidcTrustRoleArgs(
            issuer_url=GKE, audience="sts.amazonaws.com", subjects=["system:serviceaccount:orders:api"],
            permissions=PERMISSIONS, max_session_seconds=3600)),
    ),
    "OidcIssuer": (
        {"url": GKE, "clientIds": ["sts.amazonaws.com"]},
        lambda: c.OidcIssuer("reader", c.OidcIssuerArgs(url=GKE, client_ids=["sts.amazonaws.com"])),
    ),
    "GcpWorkloadIdentityForAws": (
        {"project": "dr-project", "poolId": "aws-callers", "providerId": "aws-prod",
         "awsAccountId": "111122223333", "attributeCondition": "attribute.aws_account == '111122223333'",
         "awsRoles": ["replicator"], "serviceAccount": "replicator@dr-project.iam.gserviceaccount.com"},
        lambda: c.GcpWorkloadIdentityForAws("reader", c.GcpWorkloadIdentityForAwsArgs(
            project="dr-project", pool_id="aws-callers", provider_id="aws-prod", aws_account_id="111122223333",
            attribute_condition="attribute.aws_account == '111122223333'", aws_roles=["replicator"],
            service_account="replicator@dr-project.iam.gserviceaccount.com")),
    ),
}


@pytest.mark.parametrize("component", sorted(CASES))
def test_construct_registers_what_the_python_api_does(component: str) -> None:
    inputs, python_program = CASES[component]
    through_provider = constructed(f"{PACKAGE}:index:{component}", "reader", inputs)
    assert through_provider, "construct registered nothing"
    assert through_provider == registered(python_program)


# ---- the components that take spec sections: sections from the example stacks, in the file's spelling

def section(stack: str, *keys: str | int) -> dict[str, Any]:
    node: Any = yaml.safe_load((ROOT / "stacks" / f"{stack}.yaml").read_text())
    for key in keys:
        node = node[key] if isinstance(key, int) else next(
            (item for item in node if item.get("name") == key), None) if isinstance(node, list) else node[key]
    return node


AWS_PROD = section("dr-pair", "networks", "aws-prod")
GCP_DR = section("dr-pair", "networks", "gcp-dr")
TGW = section("dr-pair", "hubs", "tgw-use1")
WAN = section("cloud-wan", "hubs", "core")
INTERCONNECT = section("dr-pair", "interconnects", "use1-gcp")
ALI_DX = section("alibaba-tencent", "links", "ali-dx")
TEAM = yaml.safe_load((ROOT / "examples" / "organisation" / "orders-team.yaml").read_text())["hub_attachments"][0]
WAN_VPCS = {
    net: {"vpc_arn": f"arn:aws:ec2:{region}:111122223333:vpc/vpc-0{i}bc1234",
          "subnet_arns": {z: f"arn:aws:ec2:{region}:111122223333:subnet/subnet-0{i}{z}1111" for z in "ab"}}
    for i, (net, region) in enumerate([("aws-prod-use1", "us-east-1"), ("aws-prod-euc1", "eu-central-1"),
                                       ("aws-shared-use1", "us-east-1")])
}
SUBNETS = {"tgw-a": "subnet-0aaa1111", "tgw-b": "subnet-0bbb2222"}
TGW_POINT = {"hub": "tgw-use1", "attachment": "to-gcp", "transit_gateway_id": "tgw-0123456789abcdef0",
             "region": "us-east-1", "route_table_id": "tgw-rtb-0aaa", "propagate_to": {"prod": "tgw-rtb-0aaa"},
             "routes": [{"table": "prod", "prefix": "10.20.0.0/16", "route_table_id": "tgw-rtb-0aaa"}]}
WAN_POINT = {"hub": "core", "attachment": "gcp-use1", "core_network_id": "core-network-0abc", "segment": "prod"}
ENDPOINTS = [
    {"name": "inbound", "direction": "inbound", "allowed_sources": ["35.199.192.0/19"],
     "addresses": [{"subnet_id": "subnet-0aaa1111", "zone": "us-east-1a", "ip": "10.10.1.10"},
                   {"subnet_id": "subnet-0bbb2222", "zone": "us-east-1b", "ip": "10.10.2.10"}]},
    {"name": "outbound", "direction": "outbound",
     "addresses": [{"subnet_id": "subnet-0aaa1111", "zone": "us-east-1a"},
                   {"subnet_id": "subnet-0bbb2222", "zone": "us-east-1b"}]},
]
RULES = [{"name": "gcp-internal", "domain": "gcp.example.internal", "endpoint": "outbound",
          "targets": [{"ip": "10.20.0.2"}],
          "allocated_targets": [{"addresses": ["10.20.0.3"], "ranges": ["10.20.0.0/20"]}],
          "vpc_ids": {"aws-prod": "vpc-0abc1234"}}]
GCP_NETWORK = "projects/example-dr-project/global/networks/gcp-dr"
ZONES = [{"name": "aws-rds", "domain": "rds.amazonaws.com", "networks": {"gcp-dr": GCP_NETWORK},
          "targets": [{"ip": "10.10.1.10"}, {"ip": "10.10.2.10"}]}]
SUBNET_LINK = "https://www.googleapis.com/compute/v1/projects/example-dr-project/regions/us-east4/subnetworks/main"
POLICIES = [{"name": "gcp-dr-inbound", "networks": {"gcp-dr": GCP_NETWORK},
             "subnets": {"main": {"self_link": SUBNET_LINK, "region": "us-east4"}}}]


def forwarder_subnet() -> None:
    """The subnetwork the inbound policy's forwarder addresses are allocated from (the mocks read its range)."""
    import pulumi_gcp as gcp

    gcp.compute.Subnetwork("main", name="main", project="example-dr-project", region="us-east4", network="gcp-dr",
                           ip_cidr_range="10.20.0.0/20")


SETUP = {"CloudDnsForwarding": forwarder_subnet}
PROBES = [{"name": "use1-gcp", "source_subnet_arn": "arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0aaa1111",
           "destination": "10.20.0.10", "latency_alarm_ms": 20.0, "loss_alarm_percent": 0.5}]
FLOW_LOGS = [{"name": "aws-prod", "vpc_id": "vpc-0abc1234"},
             {"name": "tgw-use1", "transit_gateway_id": "tgw-0123456789abcdef0"}]


def _tgw_point(point: dict[str, Any]) -> c.TgwAttachPoint:
    return c.TgwAttachPoint(**{**point, "routes": [c.TgwRoute(**r) for r in point["routes"]]})


SECTION_CASES: dict[str, tuple[dict[str, Any], Any]] = {
    "AwsNetwork": (
        {"network": AWS_PROD, "route_table": True},
        lambda: c.AwsNetwork("net", c.AwsNetworkArgs(load_section(m.Network, AWS_PROD, "t"), route_table=True)),
    ),
    "GcpNetwork": (
        {"network": GCP_DR, "peer_ranges": ["10.10.0.0/16"], "flow_logs": True},
        lambda: c.GcpNetwork("net", c.GcpNetworkArgs(load_section(m.Network, GCP_DR, "t"),
                                                     peer_ranges=["10.10.0.0/16"], flow_logs=True)),
    ),
    "TransitHub": (
        {"hub": TGW, "vpcs": {"aws-prod": {"vpc_id": "vpc-0abc1234", "subnet_ids": SUBNETS,
                                           "route_table_ids": {"main": "rtb-0abc1234"}}},
         "vpc_routes": {"aws-prod": ["10.20.0.0/16"]}},
        lambda: c.TransitHub("net", c.TransitHubArgs(
            load_section(m.TransitGateway, TGW, "t"),
            vpcs={"aws-prod": c.VpcRef("vpc-0abc1234", SUBNETS, route_table_ids={"main": "rtb-0abc1234"})},
            vpc_routes={"aws-prod": ["10.20.0.0/16"]})),
    ),
    "CloudWanCore": (
        {"core": WAN, "vpcs": {net: {**ref, "region": ref["vpc_arn"].split(":")[3]} for net, ref in WAN_VPCS.items()}},
        lambda: c.CloudWanCore("net", c.CloudWanCoreArgs(load_section(m.CloudWanCore, WAN, "t"), vpcs={
            net: c.WanVpcRef(**ref, region=ref["vpc_arn"].split(":")[3]) for net, ref in WAN_VPCS.items()})),
    ),
    "HubAttachment": (
        {"transit_gateway": TGW, "attachment": TEAM, "hub_id": "tgw-0123456789abcdef0",
         "vpc": {"vpc_id": "vpc-0def5678", "vpc_arn": "arn:aws:ec2:us-east-1:111122223333:vpc/vpc-0def5678",
                 "subnet_ids": SUBNETS, "subnet_arns": {}},
         "route_table_ids": {"prod": "tgw-rtb-0aaa"}, "vpc_route_table_ids": {"main": "rtb-0def5678"},
         "vpc_routes": ["10.10.0.0/16", "10.20.0.0/16"]},
        lambda: c.HubAttachment("net", c.HubAttachmentArgs(
            load_section(m.TransitGateway, TGW, "t"), load_section(m.HubAttachment, TEAM, "t"),
            c.AttachedVpc("vpc-0def5678", "arn:aws:ec2:us-east-1:111122223333:vpc/vpc-0def5678", SUBNETS, {}),
            "tgw-0123456789abcdef0", route_table_ids={"prod": "tgw-rtb-0aaa"},
            vpc_route_table_ids={"main": "rtb-0def5678"}, vpc_routes=["10.10.0.0/16", "10.20.0.0/16"])),
    ),
    "AwsGcpInterconnect": (
        {"interconnect": INTERCONNECT, "gcp_network": GCP_NETWORK, "transit_gateway_attach_points": [TGW_POINT]},
        lambda: c.AwsGcpInterconnect("net", c.AwsGcpInterconnectArgs(
            load_section(m.Interconnect, INTERCONNECT, "t"), GCP_NETWORK, attach=[_tgw_point(TGW_POINT)])),
    ),
    "DirectConnectLink": (
        {"link": {**ALI_DX, "connection_id": "dxcon-fg5678gh"}, "cloud_wan_attach_points": [WAN_POINT]},
        lambda: c.DirectConnectLink("net", c.DirectConnectLinkArgs(
            load_section(m.ExternalLink, {**ALI_DX, "connection_id": "dxcon-fg5678gh"}, "t"),
            attach=[c.WanAttachPoint(**WAN_POINT)])),
    ),
    "LinkMonitoring": (
        {"region": "us-east-1", "probes": PROBES, "flow_logs": FLOW_LOGS, "account_id": "111122223333"},
        lambda: c.LinkMonitoring("net", c.LinkMonitoringArgs(
            region="us-east-1", probes=[c.ProbeArgs(**p) for p in PROBES],
            flow_logs=[c.FlowLogTarget(**f) for f in FLOW_LOGS], account_id="111122223333")),
    ),
    "ResolverForwarding": (
        {"vpc_id": "vpc-0abc1234", "region": "us-east-1", "endpoints": ENDPOINTS, "rules": RULES},
        lambda: c.ResolverForwarding("net", c.ResolverForwardingArgs(
            "vpc-0abc1234", region="us-east-1",
            endpoints=[c.ResolverEndpointArgs(**{**e, "addresses": [c.EndpointAddress(**a) for a in e["addresses"]]})
                       for e in ENDPOINTS],
            rules=[c.ResolverRuleArgs("gcp-internal", "gcp.example.internal", "outbound",
                                      [c.DnsTarget("10.20.0.2"), c.AllocatedDnsTargets(["10.20.0.3"], ["10.20.0.0/20"])],
                                      vpc_ids={"aws-prod": "vpc-0abc1234"})])),
    ),
    "CloudDnsForwarding": (
        {"project": "example-dr-project", "zones": ZONES, "inbound_policies": POLICIES},
        lambda: c.CloudDnsForwarding("net", c.CloudDnsForwardingArgs(
            "example-dr-project",
            zones=[c.ForwardingZoneArgs("aws-rds", "rds.amazonaws.com", {"gcp-dr": GCP_NETWORK},
                                        [c.DnsTarget("10.10.1.10"), c.DnsTarget("10.10.2.10")])],
            inbound_policies=[c.InboundPolicyArgs("gcp-dr-inbound", {"gcp-dr": GCP_NETWORK}, {
                "main": c.ForwarderSubnet(SUBNET_LINK, "us-east4")})])),
    ),
    "OperatorRole": (
        {"account_id": "111122223333", "regions": ["us-east-1"],
         "principals": ["arn:aws:iam::111122223333:role/network-oncall"]},
        lambda: c.OperatorRole("net", c.OperatorRoleArgs(
            "111122223333", ["us-east-1"], principals=["arn:aws:iam::111122223333:role/network-oncall"])),
    ),
}


def wire(value: Any, prop: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A Python-spelled value as a program in another language sends it: the schema's camelCase property names
    (map keys stay as they are)."""
    if "$ref" in prop and prop["$ref"].startswith("#/types/"):
        type_def = schema["types"][prop["$ref"].removeprefix("#/types/")]
        return wire_object(value, type_def.get("properties", {}), schema) if "properties" in type_def else value
    if prop.get("type") == "array":
        return [wire(v, prop["items"], schema) for v in value]
    if prop.get("type") == "object" and "additionalProperties" in prop:
        return {k: wire(v, prop["additionalProperties"], schema) for k, v in value.items()}
    return value


def wire_object(value: dict[str, Any], properties: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    by_python_name = {re.sub(r"([A-Z])", lambda g: "_" + g.group(1).lower(), k): k for k in properties}
    unknown = [k for k in value if k not in by_python_name]
    assert not unknown, f"not inputs of the schema: {unknown}"
    return {by_python_name[k]: wire(v, properties[by_python_name[k]], schema) for k, v in value.items()}


@pytest.mark.parametrize("component", sorted(SECTION_CASES))
def test_construct_of_a_spec_section_component_registers_what_the_python_api_does(
        component: str, schema: dict[str, Any]) -> None:
    inputs, python_program = SECTION_CASES[component]
    token = f"{PACKAGE}:index:{component}"
    sent = wire_object(inputs, schema["resources"][token]["inputProperties"], schema)
    setup = SETUP.get(component, lambda: None)
    through_provider = constructed(token, "net", sent, setup)
    assert len(through_provider) >= 2, "construct registered (almost) nothing"
    assert through_provider == registered(lambda: (setup(), python_program()))


def test_every_public_component_is_served() -> None:
    python_components = {name for name in c.__all__
                         if isinstance(getattr(c, name), type) and issubclass(getattr(c, name), pulumi.ComponentResource)}
    served = {cls.__name__ for cls in COMPONENTS}
    assert python_components <= served, python_components - served
    assert python_components <= set(CASES) | set(SECTION_CASES), "a served component has no construct test"


@pytest.mark.parametrize("component, inputs, expected", [
    ("AwsNetwork", {"network": {**AWS_PROD, "cidrs": ["10.10.0.0/33"]}}, "bad: network: cidrs[0]"),
    ("AwsNetwork", {"network": {**AWS_PROD, "account": "*"}}, "bad: network: account"),
    ("TransitHub", {"hub": {**TGW, "route_tables": []}}, "bad: hub: route_tables"),
    ("AwsGcpInterconnect", {"interconnect": {**INTERCONNECT, "bandwidth": "-1000"}, "gcp_network": GCP_NETWORK},
     "bad: interconnect: bandwidth"),
    ("HubAttachment", {"attachment": TEAM, "hub_id": "tgw-0123456789abcdef0",
                       "vpc": {"vpc_id": "v", "vpc_arn": "a", "subnet_ids": {}, "subnet_arns": {}}},
     "exactly one of transit_gateway or cloud_wan"),
])
def test_an_invalid_section_names_the_field_and_registers_nothing(
        component: str, inputs: dict[str, Any], expected: str, schema: dict[str, Any]) -> None:
    token = f"{PACKAGE}:index:{component}"
    sent = wire_object(inputs, schema["resources"][token]["inputProperties"], schema)
    _mocks, recorder = install()
    with pytest.raises(Exception) as raised:
        run(lambda: provider("0.1.0").construct("bad", token, sent, pulumi.ResourceOptions()))
    assert expected in str(raised.value.__cause__ or raised.value)
    assert not recorder.registered


def test_an_output_inside_a_section_is_refused_with_its_path(schema: dict[str, Any]) -> None:
    _mocks, recorder = install()

    def program() -> None:
        subnets = [{**AWS_PROD["subnets"][0], "id": pulumi.Output.from_input("subnet-0aaa1111")}]
        provider("0.1.0").construct("bad", f"{PACKAGE}:index:AwsNetwork",
                                    {"network": {**AWS_PROD, "subnets": subnets}}, pulumi.ResourceOptions())

    with pytest.raises(Exception) as raised:
        run(program)
    assert "bad: network: subnets[0].id: is an Output; a spec section takes plain values" in str(
        raised.value.__cause__ or raised.value)
    assert not recorder.registered


# provider TypedDict -> the Python dataclass it feeds, and the fields that differ on purpose (a union split in two)
MIRRORS = {
    "OidcTrustRoleArgs": (c.OidcTrustRoleArgs, {}), "OidcIssuerArgs": (c.OidcIssuerArgs, {}),
    "GcpWorkloadIdentityForAwsArgs": (c.GcpWorkloadIdentityForAwsArgs, {}),
    "AwsNetworkArgs": (c.AwsNetworkArgs, {}), "GcpNetworkArgs": (c.GcpNetworkArgs, {}),
    "TransitHubArgs": (c.TransitHubArgs, {}), "CloudWanCoreArgs": (c.CloudWanCoreArgs, {}),
    "HubAttachmentArgs": (c.HubAttachmentArgs, {"hub": {"transit_gateway", "cloud_wan"}}),
    "AwsGcpInterconnectArgs": (c.AwsGcpInterconnectArgs,
                               {"attach": {"transit_gateway_attach_points", "cloud_wan_attach_points"}}),
    "DirectConnectLinkArgs": (c.DirectConnectLinkArgs,
                              {"attach": {"transit_gateway_attach_points", "cloud_wan_attach_points"}}),
    "LinkMonitoringArgs": (c.LinkMonitoringArgs, {}), "ProbeArgs": (c.ProbeArgs, {}),
    "FlowLogTargetArgs": (c.FlowLogTarget, {}),
    "ResolverForwardingArgs": (c.ResolverForwardingArgs, {}), "ResolverEndpointArgs": (c.ResolverEndpointArgs, {}),
    "EndpointAddressArgs": (c.EndpointAddress, {}), "DnsTargetArgs": (c.DnsTarget, {}),
    "AllocatedDnsTargetsArgs": (c.AllocatedDnsTargets, {}),
    "ResolverRuleArgs": (c.ResolverRuleArgs, {"targets": {"targets", "allocated_targets"}}),
    "CloudDnsForwardingArgs": (c.CloudDnsForwardingArgs, {}), "ForwardingZoneArgs": (c.ForwardingZoneArgs, {}),
    "InboundPolicyArgs": (c.InboundPolicyArgs, {}), "ForwarderSubnetArgs": (c.ForwarderSubnet, {}),
    "OperatorRoleArgs": (c.OperatorRoleArgs, {}),
    "VpcRefArgs": (c.VpcRef, {}), "PeerHubArgs": (c.PeerHub, {}), "WanVpcRefArgs": (c.WanVpcRef, {}),
    "AttachedVpcArgs": (c.AttachedVpc, {}), "TgwAttachPointArgs": (c.TgwAttachPoint, {}),
    "TgwRouteArgs": (c.TgwRoute, {}), "WanAttachPointArgs": (c.WanAttachPoint, {}),
}


@pytest.mark.parametrize("typed_dict", sorted(MIRRORS))
def test_provider_arguments_mirror_the_python_args(typed_dict: str) -> None:
    """A field added to a Python Args dataclass and not to its provider TypedDict (or the reverse) fails here."""
    import dataclasses

    import xcloud_iac.component_provider as cp

    dataclass, renamed = MIRRORS[typed_dict]
    expected = set()
    for f in dataclasses.fields(dataclass):
        expected |= renamed.get(f.name, {f.name})
    assert set(getattr(cp, typed_dict).__annotations__) == expected


def test_every_provider_argument_type_is_checked_for_drift() -> None:
    import typing

    import xcloud_iac.component_provider as cp

    typed_dicts = {n for n, v in vars(cp).items() if typing.is_typeddict(v) and v.__module__ == cp.__name__}
    assert typed_dicts - {"StackArgs", "PermissionArgs"} == set(MIRRORS)


def test_sections_module_is_generated_from_the_models() -> None:
    text = sections_source(SECTION_MODELS)
    path = ROOT / "src" / "xcloud_iac" / "spec" / "sections.py"
    if os.environ.get("XCLOUD_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, "spec/sections.py is stale (XCLOUD_UPDATE_GOLDEN=1)"


@pytest.mark.parametrize("stack", ["dr-pair", "cloud-wan", "alibaba-tencent"])
def test_construct_stack_registers_what_deploy_does(stack: str) -> None:
    path = ROOT / "stacks" / f"{stack}.yaml"
    through_provider = constructed(f"{PACKAGE}:index:Stack", stack,
                                   {"spec": path.read_text(encoding="utf-8"), "file": f"stacks/{stack}.yaml"})
    assert len(through_provider) > 20
    assert through_provider == registered(lambda: deploy(load(path), export=False))


def test_construct_stack_with_error_finding_registers_nothing() -> None:
    bad = (ROOT / "stacks" / "dr-pair.yaml").read_text().replace("audience: sts.amazonaws.com", "audience: '*'", 1)
    _mocks, recorder = install()
    with pytest.raises(Exception, match="was not deployed"):
        run(lambda: provider("0.1.0").construct("bad", f"{PACKAGE}:index:Stack", {"spec": bad},
                                                 pulumi.ResourceOptions()))
    assert not [r for r in recorder.registered if r.custom]


# ---------------------------------------------------------------- the YAML program

def _check_value(value: Any, prop: dict[str, Any], schema: dict[str, Any], where: str) -> list[str]:
    if isinstance(value, str) and value.startswith("${"):
        return []  # an interpolation: its type is the referenced output's, checked by the engine
    if "$ref" in prop:
        type_def = schema["types"][prop["$ref"].removeprefix("#/types/")]
        if "enum" in type_def:
            allowed = [e["value"] for e in type_def["enum"]]
            return [] if value in allowed else [f"{where}: {value!r} is not one of {allowed}"]
        return _check_object(value, type_def.get("properties", {}), type_def.get("required", []), schema, where)
    kind = prop.get("type")
    expected = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list,
                "object": dict}[kind]
    if not isinstance(value, expected) or (kind == "integer" and isinstance(value, bool)):
        return [f"{where}: expected {kind}, got {type(value).__name__}"]
    if kind == "array":
        return [p for i, v in enumerate(value) for p in _check_value(v, prop["items"], schema, f"{where}[{i}]")]
    if kind == "object" and "additionalProperties" in prop:
        return [p for k, v in value.items()
                for p in _check_value(v, prop["additionalProperties"], schema, f"{where}.{k}")]
    return []


def _check_object(value: Any, properties: dict, required: list[str], schema: dict, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: expected an object"]
    problems = [f"{where}.{k}: not an input of the schema" for k in value if k not in properties]
    problems += [f"{where}.{k}: required" for k in required if k not in value]
    return problems + [p for k, v in value.items() if k in properties
                       for p in _check_value(v, properties[k], schema, f"{where}.{k}")]


def yaml_problems(program: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    problems = []
    ours = {}
    for name, resource in program["resources"].items():
        token = resource["type"]
        if not token.startswith(f"{PACKAGE}:"):
            continue
        ours[name] = definition = schema["resources"].get(token)
        if definition is None:
            problems.append(f"{name}: {token} is not a resource of the package")
            continue
        problems += _check_object(resource.get("properties", {}), definition["inputProperties"],
                                  definition.get("requiredInputs", []), schema, name)
    for key, value in program.get("outputs", {}).items():
        for resource, prop in re.findall(r"\$\{(\w+)\.(\w+)", str(value)):
            if resource in ours and prop not in ours[resource]["properties"]:
                problems.append(f"outputs.{key}: {resource} has no output {prop}")
    return problems


def test_yaml_example_validates_against_the_schema(schema: dict[str, Any]) -> None:
    program = yaml.safe_load(YAML_EXAMPLE.read_text())
    assert (YAML_EXAMPLE.parent / program["packages"][PACKAGE] / "PulumiPlugin.yaml").is_file()
    assert sum(r["type"].startswith(f"{PACKAGE}:") for r in program["resources"].values()) >= 2
    assert yaml_problems(program, schema) == []
    # the spec sections in it are valid as the component validates them (the model, past the schema's types)
    snake = lambda v: ({re.sub(r"([A-Z])", lambda g: "_" + g.group(1).lower(), k): snake(x) for k, x in v.items()}
                       if isinstance(v, dict) else [snake(x) for x in v] if isinstance(v, list) else v)
    network = program["resources"]["ordersNetwork"]["properties"]["network"]
    assert load_section(m.Network, snake(network), "ordersNetwork: network").name == "aws-orders"


@pytest.mark.parametrize("change, expected", [
    (lambda p: p["resources"]["ordersReader"]["properties"].pop("audience"), "ordersReader.audience: required"),
    (lambda p: p["resources"]["ordersReader"]["properties"].update(maxSessionSeconds="1h"),
     "ordersReader.maxSessionSeconds: expected integer, got str"),
    (lambda p: p["resources"]["awsCallers"]["properties"].update(poolID="x"),
     "awsCallers.poolID: not an input of the schema"),
    (lambda p: p["outputs"].update(arn="${ordersReader.arn}"), "outputs.arn: ordersReader has no output arn"),
    (lambda p: p["resources"]["ordersNetwork"]["properties"]["network"].update(cloud="amazon"),
     "ordersNetwork.network.cloud: 'amazon' is not one of"),
    (lambda p: p["resources"]["ordersNetwork"]["properties"]["network"]["subnets"][0].pop("zone"),
     "ordersNetwork.network.subnets[0].zone: required"),
])
def test_yaml_check_catches_mistakes(schema: dict[str, Any], change, expected: str) -> None:
    program = yaml.safe_load(YAML_EXAMPLE.read_text())
    change(program)
    assert any(expected in problem for problem in yaml_problems(program, schema))
