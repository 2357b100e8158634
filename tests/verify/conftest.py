"""moto's real server for `xcloud verify`, seeded with what deploying the dr-pair example stack creates.

One `moto_server` process serves the whole test session (started on 127.0.0.1 at a free port, killed at
teardown); each test resets it and seeds it again, so tests are independent and cheap.

What moto lacks, and how the tests stand in for AWS:
- Direct Connect gateways (moto has no DescribeDirectConnectGateways/associations): the stack mirrored here is
  dr-pair without its interconnect, and test_verify_stubbed.py checks the Direct Connect side against AWS's own
  service model with botocore's Stubber.
- Propagated routes: moto records propagations but installs no routes for them. AWS installs one propagated route
  per CIDR of a VPC whose attachment propagates into the table; `emulate_propagated_routes` adds exactly those to
  SearchTransitGatewayRoutes answers, computed from moto's own propagation and VPC state, so disabling a
  propagation or adding a VPC CIDR in moto changes them as it would on AWS.
- moto always creates a default route table for a Transit Gateway (AWS does not when default association is
  disabled) and associates new attachments with it; the seed deletes it first, as verify ignores deleted tables.
- moto drops the TagSpecifications of a VPC attachment; the seed tags it with CreateTags instead.
- VPC routes: moto keeps a route to a Transit Gateway `active` whatever happens to the attachment (AWS turns it into
  a blackhole); tests that need a blackhole mark it in the DescribeRouteTables answer (test_verify_moto.py).
  moto has no Cloud WAN routes in VPC route tables: test_verify_stubbed.py covers routes to a core network ARN.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
import yaml

from xcloud_iac.spec import load_text
from xcloud_iac.tags import aws_tags

ROOT = Path(__file__).parents[2]
STACK = "dr-pair"
REGION = "us-east-1"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
AWS_ONLY = ("aws",)  # cases about the AWS side read only it (the Google side has its own fakes, test_verify_gcp.py)
GKE_ISSUER = "container.googleapis.com/v1/projects/example-dr-project/locations/us-east4/clusters/dr"


def timeout_scale() -> float:
    """How much longer than on an idle machine to wait for moto: from XCLOUD_TEST_TIMEOUT_SCALE, else from the load
    per CPU when the session starts (a busy 2-core machine shared by several test runs answers late, not never)."""
    if (given := os.environ.get("XCLOUD_TEST_TIMEOUT_SCALE")) is not None:
        return max(1.0, float(given))
    try:
        load = os.getloadavg()[0] / (os.cpu_count() or 1)
    except OSError:  # not available on this platform
        load = 0.0
    return min(10.0, 1.0 + load)


SCALE = timeout_scale()


def boto_config() -> Config:
    """Timeouts that scale with the load, and retries with backoff for what a busy server drops."""
    return Config(connect_timeout=10 * SCALE, read_timeout=60 * SCALE,
                  retries={"mode": "standard", "total_max_attempts": 5})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    command = shutil.which("moto_server")
    if command is None:
        pytest.fail("moto_server is not installed: pip install 'moto[server]' (the test extra should bring it)")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    proc = subprocess.Popen(
        [command, "-H", "127.0.0.1", "-p", str(port)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        # ready when it answers (importing moto's services takes seconds, longer on a busy machine)
        deadline = time.monotonic() + 60 * SCALE
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=2 * SCALE).close()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"moto_server exited with status {proc.returncode}") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not answer within {60 * SCALE:.0f} s") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.kill()
        proc.wait(timeout=10)


def reset(url: str) -> None:
    """Empty moto's state; retried, with a timeout that scales, as a busy machine may answer late."""
    for attempt in range(4):
        try:
            request = urllib.request.Request(f"{url}/moto-api/reset", method="POST")
            urllib.request.urlopen(request, timeout=15 * SCALE).close()
            return
        except OSError:
            if attempt == 3:
                raise
            time.sleep(0.5 * 2**attempt)


def client(url: str, service: str):
    """A client straight to moto, for seeding and drifting (no hooks)."""
    return boto3.client(service, endpoint_url=url, region_name=REGION, config=boto_config(), **CREDENTIALS)


def tag_list(kind: str, *key: str) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in aws_tags(STACK, kind, *key).items()]


SHARED = "aws-shared"  # a second VPC on the hub, so that the VPCs' route tables hold routes to each other


def moto_spec_text() -> str:
    """dr-pair as moto can hold it: without the interconnect (no Direct Connect in moto), with a second VPC attached
    to the hub (so each VPC's route table sends the other's range to the Transit Gateway), and a blackhole route for
    a decommissioned range so that static routes are covered too."""
    doc = yaml.safe_load((ROOT / "stacks" / "dr-pair.yaml").read_text(encoding="utf-8"))
    doc.pop("interconnects")
    doc["networks"].append({
        "name": SHARED, "cloud": "aws", "region": REGION, "account": "111122223333", "cidrs": ["10.40.0.0/16"],
        "subnets": [{"name": "tgw-a", "cidr": "10.40.0.0/28", "zone": f"{REGION}a"},
                    {"name": "tgw-b", "cidr": "10.40.0.16/28", "zone": f"{REGION}b"}],
    })
    hub = doc["hubs"][0]
    hub["attachments"] = [a for a in hub["attachments"] if "interconnect" not in a]
    hub["attachments"].append({"name": SHARED, "network": SHARED, "subnets": ["tgw-a", "tgw-b"], "route_table": "prod",
                               "propagate_to": ["prod"]})
    hub["route_tables"][0]["routes"] = [{"prefix": "10.30.0.0/16", "blackhole": True}]
    return yaml.safe_dump(doc, sort_keys=False)


STACKS = sorted((ROOT / "stacks").glob("*.yaml"))


@pytest.fixture(scope="session")
def plans() -> dict[str, Any]:
    """The offline plan of every example stack (run once; each takes seconds): what the Google fake is seeded from."""
    from xcloud_iac import load
    from xcloud_iac.plan.inventory import plan_stack

    return {path.stem: plan_stack(load(path)) for path in STACKS}


@pytest.fixture(scope="session")
def spec_text() -> str:
    return moto_spec_text()


@pytest.fixture
def spec(spec_text: str):
    return load_text(spec_text, "dr-pair-moto.yaml")


@dataclass
class Deployed:
    """Ids of what the seed created, for drifting it and for the exact messages tests expect."""

    url: str
    vpc: str = ""
    subnets: dict[str, str] = field(default_factory=dict)
    inbound_sg: str = ""
    outbound_sg: str = ""
    tgw: str = ""
    table: str = ""
    attachment: str = ""
    inbound: str = ""
    outbound: str = ""
    rule: str = ""
    provider_arn: str = ""
    role: str = ""
    role_arn: str = ""
    vpc_table: str = ""  # the route table AwsNetwork creates for aws-prod's subnets
    shared_vpc: str = ""
    shared_attachment: str = ""
    shared_table: str = ""

    def ec2(self):
        return client(self.url, "ec2")


TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": f"arn:aws:iam::123456789012:oidc-provider/{GKE_ISSUER}"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {
            f"{GKE_ISSUER}:aud": "sts.amazonaws.com",
            f"{GKE_ISSUER}:sub": "system:serviceaccount:orders:orders-api",
        }},
    }],
}


def seed(url: str) -> Deployed:
    """What deploying dr-pair (moto's part of it) creates, tagged as the components tag it."""
    d = Deployed(url)
    ec2, r53r, iam = client(url, "ec2"), client(url, "route53resolver"), client(url, "iam")
    d.vpc = ec2.create_vpc(CidrBlock="10.10.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": tag_list("network", "aws-prod")}])["Vpc"]["VpcId"]
    for name, cidr, zone in (("tgw-a", "10.10.0.0/28", "a"), ("tgw-b", "10.10.0.16/28", "b"),
                             ("dns-a", "10.10.1.0/24", "a"), ("dns-b", "10.10.2.0/24", "b")):
        d.subnets[name] = ec2.create_subnet(VpcId=d.vpc, CidrBlock=cidr, AvailabilityZone=f"{REGION}{zone}")["Subnet"]["SubnetId"]
    d.tgw = ec2.create_transit_gateway(
        Options={"AmazonSideAsn": 64512, "DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable"},
        TagSpecifications=[{"ResourceType": "transit-gateway", "Tags": tag_list("hub", "tgw-use1")}],
    )["TransitGateway"]["TransitGatewayId"]
    for table in ec2.describe_transit_gateway_route_tables()["TransitGatewayRouteTables"]:
        ec2.delete_transit_gateway_route_table(TransitGatewayRouteTableId=table["TransitGatewayRouteTableId"])
    d.table = ec2.create_transit_gateway_route_table(TransitGatewayId=d.tgw, TagSpecifications=[
        {"ResourceType": "transit-gateway-route-table", "Tags": tag_list("route_table", "tgw-use1", "prod")}],
    )["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
    d.attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=d.tgw, VpcId=d.vpc, SubnetIds=[d.subnets["tgw-a"], d.subnets["tgw-b"]],
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    ec2.create_tags(Resources=[d.attachment], Tags=tag_list("attachment", "tgw-use1", "aws-prod"))
    ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=d.table, TransitGatewayAttachmentId=d.attachment)
    ec2.enable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=d.table, TransitGatewayAttachmentId=d.attachment)
    ec2.create_transit_gateway_route(TransitGatewayRouteTableId=d.table, DestinationCidrBlock="10.30.0.0/16", Blackhole=True)

    # the second VPC, attached as TransitHub attaches it
    d.shared_vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": tag_list("network", SHARED)}])["Vpc"]["VpcId"]
    shared_subnets = [ec2.create_subnet(VpcId=d.shared_vpc, CidrBlock=cidr, AvailabilityZone=f"{REGION}{zone}")["Subnet"]["SubnetId"]
                      for cidr, zone in (("10.40.0.0/28", "a"), ("10.40.0.16/28", "b"))]
    d.shared_attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=d.tgw, VpcId=d.shared_vpc, SubnetIds=shared_subnets,
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    ec2.create_tags(Resources=[d.shared_attachment], Tags=tag_list("attachment", "tgw-use1", SHARED))
    ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=d.table, TransitGatewayAttachmentId=d.shared_attachment)
    ec2.enable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=d.table,
                                                       TransitGatewayAttachmentId=d.shared_attachment)

    # the data plane (AwsNetwork's route table for the subnets it creates; TransitHub's routes in it): each VPC
    # sends the other's range to the Transit Gateway, as topology.dataplane.vpc_routes says
    for vpc, subnets, network, other in ((d.vpc, list(d.subnets.values()), "aws-prod", "10.40.0.0/16"),
                                         (d.shared_vpc, shared_subnets, SHARED, "10.10.0.0/16")):
        table = ec2.create_route_table(VpcId=vpc, TagSpecifications=[
            {"ResourceType": "route-table", "Tags": tag_list("vpc_route_table", network)}])["RouteTable"]["RouteTableId"]
        for subnet in subnets:
            ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
        ec2.create_route(RouteTableId=table, DestinationCidrBlock=other, TransitGatewayId=d.tgw)
        if network == "aws-prod":
            d.vpc_table = table
        else:
            d.shared_table = table

    # as ResolverForwarding creates them: the inbound endpoint admits DNS from its allowed sources only, the
    # outbound one admits nothing
    d.inbound_sg = ec2.create_security_group(GroupName="use1-inbound-dns", Description="DNS", VpcId=d.vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=d.inbound_sg, IpPermissions=[
        {"IpProtocol": protocol, "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "35.199.192.0/19"}]}
        for protocol in ("udp", "tcp")])
    sg = ec2.create_security_group(GroupName="use1-outbound-dns", Description="DNS", VpcId=d.vpc)["GroupId"]
    d.outbound_sg = sg
    d.inbound = r53r.create_resolver_endpoint(
        CreatorRequestId="use1-inbound", Name="use1-inbound", SecurityGroupIds=[d.inbound_sg], Direction="INBOUND",
        IpAddresses=[{"SubnetId": d.subnets["dns-a"], "Ip": "10.10.1.10"}, {"SubnetId": d.subnets["dns-b"], "Ip": "10.10.2.10"}],
        Tags=tag_list("resolver_endpoint", "use1-inbound"),
    )["ResolverEndpoint"]["Id"]
    d.outbound = r53r.create_resolver_endpoint(
        CreatorRequestId="use1-outbound", Name="use1-outbound", SecurityGroupIds=[sg], Direction="OUTBOUND",
        IpAddresses=[{"SubnetId": d.subnets["dns-a"]}, {"SubnetId": d.subnets["dns-b"]}],
        Tags=tag_list("resolver_endpoint", "use1-outbound"),
    )["ResolverEndpoint"]["Id"]
    d.rule = r53r.create_resolver_rule(
        CreatorRequestId="gcp-internal", Name="gcp-internal", RuleType="FORWARD", DomainName="gcp.example.internal",
        TargetIps=[{"Ip": "10.20.0.2", "Port": 53}], ResolverEndpointId=d.outbound, Tags=tag_list("resolver_rule", "gcp-internal"),
    )["ResolverRule"]["Id"]
    r53r.associate_resolver_rule(ResolverRuleId=d.rule, VPCId=d.vpc, Name="gcp-internal-aws-prod")

    d.provider_arn = iam.create_open_id_connect_provider(
        Url=f"https://{GKE_ISSUER}", ClientIDList=["sts.amazonaws.com"], Tags=tag_list("oidc_provider", "gke-dr"),
    )["OpenIDConnectProviderArn"]
    d.role = "gke-orders-reader-3f9a1c2"  # the name Pulumi derives from the logical name
    d.role_arn = iam.create_role(
        RoleName=d.role, AssumeRolePolicyDocument=json.dumps(TRUST_POLICY), MaxSessionDuration=3600,
        Tags=tag_list("role", "gke-orders-reader"),
    )["Role"]["Arn"]
    return d


@pytest.fixture
def deployed(moto_url: str) -> Deployed:
    reset(moto_url)
    return seed(moto_url)


def emulate_propagated_routes(session: boto3.Session, url: str) -> None:
    """Add to SearchTransitGatewayRoutes answers the propagated routes AWS would show (see the module docstring)."""
    admin = client(url, "ec2")

    def remember_table(params, context, **_):
        context["xcloud_table"] = params["TransitGatewayRouteTableId"]
        context["xcloud_first_page"] = "NextToken" not in params

    def add_routes(parsed, context, **_):
        if not context.get("xcloud_first_page"):
            return
        table = context["xcloud_table"]
        propagations = admin.get_transit_gateway_route_table_propagations(TransitGatewayRouteTableId=table)
        for prop in propagations["TransitGatewayRouteTablePropagations"]:
            if prop["ResourceType"] != "vpc" or prop["State"] != "enabled":
                continue
            vpc = admin.describe_vpcs(VpcIds=[prop["ResourceId"]])["Vpcs"][0]
            for cidr in vpc["CidrBlockAssociationSet"]:
                parsed.setdefault("Routes", []).append({
                    "DestinationCidrBlock": cidr["CidrBlock"], "Type": "propagated", "State": "active",
                    "TransitGatewayAttachments": [{
                        "TransitGatewayAttachmentId": prop["TransitGatewayAttachmentId"],
                        "ResourceId": prop["ResourceId"], "ResourceType": "vpc",
                    }],
                })

    session.events.register("provide-client-params.ec2.SearchTransitGatewayRoutes", remember_table)
    session.events.register("after-call.ec2.SearchTransitGatewayRoutes", add_routes)


@pytest.fixture
def session(moto_url: str) -> boto3.Session:
    """The session verify uses: credentials for moto, and the propagated-route emulation."""
    s = boto3.Session(region_name=REGION, **CREDENTIALS)
    emulate_propagated_routes(s, moto_url)
    return s
