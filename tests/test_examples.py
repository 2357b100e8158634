"""The example stacks validate clean, and broken variants of each are caught by the rule that owns the mistake."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from xcloud_iac.checks import check
from xcloud_iac.spec import Stack, load

STACKS = Path(__file__).parents[1] / "stacks"


def named(items: list[dict], name: str) -> dict:
    return next(item for item in items if item["name"] == name)


@pytest.mark.parametrize("path", sorted(STACKS.glob("*.yaml")), ids=lambda p: p.stem)
def test_example_stack_is_clean(path: Path) -> None:
    report = check(load(path))
    assert [str(f) for f in report.findings] == []
    assert report.waived == []


BROKEN: dict[str, list[tuple[str, str, Callable[[dict], None]]]] = {
    "dr-pair": [
        ("XC201", "gcp overlaps aws", lambda s: named(s["networks"], "gcp-dr").update(
            cidrs=["10.10.128.0/17"], subnets=[{"name": "main", "cidr": "10.10.128.0/20", "zone": "us-east4"}])),
        ("XC404", "no return path for Cloud DNS",
         lambda s: s["interconnects"][0]["gcp"].update(allowed_prefixes=["10.20.0.0/16"])),
        ("XC404", "inbound endpoint closed to Cloud DNS",
         lambda s: named(s["dns"]["resolver_endpoints"], "use1-inbound").update(allowed_sources=["10.20.0.0/16"])),
        ("XC502", "wildcard subject",
         lambda s: s["trust"]["roles"][0].update(subjects=["system:serviceaccount:orders:*"])),
        ("XC406", "one resolver address",
         lambda s: named(s["dns"]["resolver_endpoints"], "use1-inbound")["addresses"].pop()),
        ("XC407", "inbound endpoint without fixed addresses",
         lambda s: [a.pop("ip") for a in named(s["dns"]["resolver_endpoints"], "use1-inbound")["addresses"]]),
        ("XC507", "audience the issuer does not register",
         lambda s: s["trust"]["roles"][0].update(audience="orders-api")),
        ("XC602", "bandwidth not offered", lambda s: s["interconnects"][0].update(bandwidth="3Gbps")),
        ("XC605", "hub not protected", lambda s: s["hubs"][0].update(protect=False)),
        ("XC506", "open workload identity", lambda s: s["trust"]["workload_identity"][0].pop("attribute_condition")),
        ("XC204", "MTU mismatch", lambda s: named(s["networks"], "gcp-dr").update(mtu=1460)),
        ("XC604", "no monitoring", lambda s: s["interconnects"][0].pop("monitoring")),
    ],
    "cloud-wan": [
        ("XC307", "DX gateway ASN clashes with an edge", lambda s: s["interconnects"][0]["aws"].update(dx_gateway_asn=64520)),
        ("XC601", "region pair not offered", lambda s: s["interconnects"][1]["gcp"].update(region="europe-west1")),
        ("XC603", "critical without a second interconnect",
         lambda s: (s["hubs"][0]["attachments"].pop(), s["interconnects"].pop())),
        ("XC201", "prod VPCs overlap across regions",
         lambda s: named(s["networks"], "aws-prod-euc1").update(
             cidrs=["10.30.128.0/17"], subnets=[
                 {"name": "a", "cidr": "10.30.128.0/24", "zone": "eu-central-1a"},
                 {"name": "b", "cidr": "10.30.129.0/24", "zone": "eu-central-1b"}])),
    ],
    "alibaba-tencent": [
        ("XC306", "Alibaba has no route back to Tencent",
         lambda s: named(s["links"], "ali-dx")["aws"].update(allowed_prefixes=["10.70.0.0/16"])),
        ("XC401", "aliyuncs.com forwarded in a circle",
         lambda s: named(s["dns"]["external_forwarders"], "ali-pvtz")["rules"].append(
             {"domain": "aliyuncs.com", "targets": [{"resolver": "tencent-dns"}]})),
        ("XC501", "role without subjects", lambda s: s["trust"]["roles"][0].update(subjects=[])),
        ("XC503", "issuer over http",
         lambda s: s["trust"]["issuers"][1].update(url="http://tke-oidc.ap-singapore.tencentcloudapi.com/id/cls-a1b2c3d4")),
        ("XC302", "Tencent announces a piece of the AWS hub",
         lambda s: named(s["links"], "tencent-dx")["remote"].update(advertised_prefixes=["172.20.0.0/16", "10.70.1.0/24"])),
        ("XC304", "Tencent announces outside its allow-list",
         lambda s: named(s["links"], "tencent-dx")["remote"].update(advertised_prefixes=["172.20.0.0/16", "172.21.0.0/16"])),
        ("XC505", "wildcard permission",
         lambda s: s["trust"]["roles"][1]["permissions"][0].update(actions=["s3:*"])),
    ],
}


@pytest.mark.parametrize(
    ("stack", "rule", "mutate"),
    [(stack, rule, mutate) for stack, cases in BROKEN.items() for rule, _why, mutate in cases],
    ids=[f"{stack}-{rule}-{why}" for stack, cases in BROKEN.items() for rule, why, _m in cases],
)
def test_broken_variant_is_caught(stack: str, rule: str, mutate: Callable[[dict], None]) -> None:
    spec = yaml.safe_load((STACKS / f"{stack}.yaml").read_text())
    mutate(spec)
    report = check(Stack.model_validate(spec))
    assert rule in {f.rule for f in report.findings}, [str(f) for f in report.findings]
