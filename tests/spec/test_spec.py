"""The spec: positions of every field, the Python API, merging, and the JSON Schema."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from xcloud_iac.spec import Stack, load, load_text
from xcloud_iac.spec import models as m
from xcloud_iac.spec.schema import stack_json_schema

ROOT = Path(__file__).parents[2]
STACKS = sorted((ROOT / "stacks").glob("*.yaml"))


def test_every_field_is_located_at_its_line_and_column() -> None:
    text = "name: s\nnetworks:\n  - name: a\n    cloud: aws\n    region: us-east-1\n    cidrs:\n      - 10.0.0.0/16\n"
    stack = load_text(text, "s.yaml")
    net = stack.networks[0]
    assert net.spec_path == ("networks", 0)
    assert str(stack.locate(net)) == "s.yaml:3:5"
    assert str(stack.locate(net, "region")) == "s.yaml:5:13"
    assert str(stack.locate(net, "cidrs", 0)) == "s.yaml:7:9"


def test_yaml_anchors_and_merge_keys_are_supported() -> None:
    text = (
        "name: s\nnetworks:\n"
        "  - &a {name: a, cloud: aws, region: us-east-1, cidrs: [10.0.0.0/16]}\n"
        "  - {<<: *a, name: b, cidrs: [10.1.0.0/16]}\n"
    )
    stack = load_text(text, "s.yaml")
    assert [(n.name, n.region, str(n.cidrs[0])) for n in stack.networks] == [
        ("a", "us-east-1", "10.0.0.0/16"),
        ("b", "us-east-1", "10.1.0.0/16"),
    ]


def test_python_api_builds_the_same_stack_as_yaml() -> None:
    from_yaml = load(ROOT / "stacks" / "dr-pair.yaml")
    in_code = Stack(
        name="dr-pair",
        description=from_yaml.description,
        networks=[
            m.Network(
                name="aws-prod", cloud="aws", region="us-east-1", account="111122223333", cidrs=["10.10.0.0/16"],
                subnets=[
                    m.Subnet(name="tgw-a", cidr="10.10.0.0/28", zone="us-east-1a"),
                    m.Subnet(name="tgw-b", cidr="10.10.0.16/28", zone="us-east-1b"),
                    m.Subnet(name="dns-a", cidr="10.10.1.0/24", zone="us-east-1a"),
                    m.Subnet(name="dns-b", cidr="10.10.2.0/24", zone="us-east-1b"),
                ],
                private_zones=["prod.aws.example.internal"],
            ),
            m.Network(
                name="gcp-dr", cloud="gcp", region="us-east4", account="example-dr-project", cidrs=["10.20.0.0/16"],
                mtu=1500, subnets=[m.Subnet(name="main", cidr="10.20.0.0/20", zone="us-east4")],
                private_zones=["gcp.example.internal"],
            ),
        ],
        hubs=[
            m.TransitGateway(
                name="tgw-use1", kind="transit_gateway", region="us-east-1", account="111122223333", asn=64512,
                route_tables=[m.RouteTable(name="prod")],
                attachments=[
                    m.TgwAttachment(name="aws-prod", network="aws-prod", subnets=["tgw-a", "tgw-b"], route_table="prod",
                                    propagate_to=["prod"]),
                    m.TgwAttachment(name="to-gcp", interconnect="use1-gcp", route_table="prod", propagate_to=["prod"]),
                ],
            )
        ],
        interconnects=[
            m.Interconnect(
                name="use1-gcp", bandwidth="1Gbps", mtu=1500,
                aws=m.InterconnectAws(region="us-east-1", account="111122223333", dx_gateway_asn=64513,
                                      allowed_prefixes=["10.10.0.0/16"]),
                gcp=m.InterconnectGcp(region="us-east4", project="example-dr-project", network="gcp-dr",
                                      allowed_prefixes=["10.20.0.0/16", "35.199.192.0/19"]),
                monitoring=m.Monitoring(source_network="aws-prod", source_subnet="dns-a", destination="10.20.0.10",
                                        latency_alarm_ms=20, loss_alarm_percent=0.5),
            )
        ],
        dns=from_yaml.dns.model_copy(deep=True),
        trust=from_yaml.trust.model_copy(deep=True),
        operator=m.Operator(principals=["arn:aws:iam::111122223333:role/network-oncall"]),
    )
    assert in_code.model_dump() == from_yaml.model_dump()
    assert in_code.hubs[0].attachments[1].spec_path == ("hubs", 0, "attachments", 1)
    assert in_code.interconnects[0].bandwidth == 1_000_000_000
    assert in_code.networks[0].cidrs[0] == ipaddress.ip_network("10.10.0.0/16")


def test_python_api_rejects_bad_values_like_the_loader() -> None:
    with pytest.raises(ValueError, match="host bits set"):
        m.Network(name="a", cloud="aws", region="us-east-1", cidrs=["10.0.0.1/16"])
    with pytest.raises(ValueError, match="unknown AWS region"):
        m.Network(name="a", cloud="aws", region="mars-1", cidrs=["10.0.0.0/16"])
    with pytest.raises(ValueError, match="exactly one of"):
        m.TgwAttachment(name="x", network="a", interconnect="b")


def test_merge_keeps_each_objects_file_and_path() -> None:
    stacks = [load(p) for p in STACKS]
    merged = Stack.merge(stacks)
    assert len(merged.networks) == sum(len(s.networks) for s in stacks)
    last = merged.networks[-1]
    assert last.spec_file == str(STACKS[-1]) or last.spec_file.endswith(STACKS[-1].name)
    assert merged.locate(last) == stacks[-1].locate(stacks[-1].networks[-1])


def test_every_field_has_a_description() -> None:
    schema = stack_json_schema()
    missing = [
        f"{name}.{prop}"
        for name, definition in schema["$defs"].items()
        for prop, body in definition.get("properties", {}).items()
        if "description" not in body
    ]
    missing += [f"Stack.{p}" for p, body in schema["properties"].items() if "description" not in body]
    assert missing == []


@pytest.mark.parametrize("path", STACKS, ids=lambda p: p.name)
def test_example_stacks_satisfy_the_json_schema(path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text()), stack_json_schema())


def test_json_schema_rejects_what_the_loader_rejects() -> None:
    bad = {"name": "s", "networks": [{"name": "a", "cloud": "aws", "region": "us-east-1", "cidrs": ["x"], "mut": 1}]}
    with pytest.raises(jsonschema.ValidationError, match="mut"):
        jsonschema.validate(bad, stack_json_schema())


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "schema" / "stack.schema.json").read_text())
    assert committed == stack_json_schema(), "run: xcloud schema -o schema/stack.schema.json"
