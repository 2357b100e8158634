"""What moto cannot hold, against AWS's own service models with botocore's Stubber: Direct Connect gateways and their
associations' allowed prefixes, the Transit Gateway attachment a Direct Connect association creates, routes learned
over the interconnect (inside and outside the allow-list), static routes with their targets, pagination, and the
Cloud WAN side (moto has no Cloud WAN routes in VPC route tables): core networks found by tag in Network Manager, and
VPC routes whose target is the core network's ARN.
Stubber checks every request verify sends, and every canned response, against the botocore service model."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
import yaml
from botocore.stub import Stubber

from xcloud_iac.spec import load_text
from xcloud_iac.tags import aws_tags
from xcloud_iac.verify import verify

AWS_ONLY = ("aws",)  # these cases are about the AWS side
from xcloud_iac.verify.read import ROUTE_FILTERS

ROOT = Path(__file__).parents[2]
TGW, RT = "tgw-0a1b2c3d4e5f60718", "tgw-rtb-0123456789abcdef0"
VPC_ATT, DX_ATT = "tgw-attach-0aaaaaaaaaaaaaaa1", "tgw-attach-0ddddddddddddddd2"
VPC, DXGW = "vpc-0c0ffee0c0ffee001", "5f3c1b2a-7d6e-4f80-9a1b-2c3d4e5f6a7b"


def tags(kind: str, *key: str, style: str = "Key") -> list[dict[str, str]]:
    k, v = ("Key", "Value") if style == "Key" else ("key", "value")
    return [{k: name, v: value} for name, value in aws_tags("dr-pair", kind, *key).items()]


def routing_spec(static_routes: list[dict] | None = None):
    """dr-pair's routing part (hub, interconnect, networks): the DNS and trust parts are checked against moto."""
    doc = yaml.safe_load((ROOT / "stacks" / "dr-pair.yaml").read_text(encoding="utf-8"))
    doc.pop("dns")
    doc.pop("trust")
    if static_routes:
        doc["hubs"][0]["route_tables"][0]["routes"] = static_routes
    return load_text(yaml.safe_dump(doc, sort_keys=False), "dr-pair-routing.yaml")


def route(prefix: str, kind: str, attachment: str | None, state: str = "active") -> dict:
    out = {"DestinationCidrBlock": prefix, "Type": kind, "State": state}
    if attachment:
        resource = ("vpc", VPC) if attachment == VPC_ATT else ("direct-connect-gateway", DXGW)
        out["TransitGatewayAttachments"] = [
            {"TransitGatewayAttachmentId": attachment, "ResourceType": resource[0], "ResourceId": resource[1]}
        ]
    return out


VPC_RTB = "rtb-0123456789abcdef0"
# the route table AwsNetwork creates for aws-prod: what the model sends to the hub (Google's range, and where Cloud
# DNS forwarding comes from), beside the local route
VPC_ROUTES = [
    {"DestinationCidrBlock": "10.10.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
    *({"DestinationCidrBlock": p, "TransitGatewayId": TGW, "Origin": "CreateRoute", "State": "active"}
      for p in ("10.20.0.0/16", "35.199.192.0/19")),
]
LEARNED = [route("10.20.0.0/16", "propagated", DX_ATT), route("35.199.192.0/19", "propagated", DX_ATT)]
HEALTHY = [route("10.10.0.0/16", "propagated", VPC_ATT), *LEARNED]


class Aws:
    """Stubbed clients, one per service; verify gets them through its `clients` factory."""

    def __init__(self) -> None:
        self.clients = {
            service: boto3.client(service, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
            for service in ("ec2", "directconnect")
        }
        self.stubs = {service: Stubber(c) for service, c in self.clients.items()}
        for stub in self.stubs.values():
            stub.activate()

    def __call__(self, service: str, region: str):
        assert region == "us-east-1"
        return self.clients[service]

    def dx(self, allowed: list[str], *, deny: bool = False) -> None:
        stub = self.stubs["directconnect"]
        if deny:
            stub.add_client_error("describe_direct_connect_gateways", "DirectConnectClientException", http_status_code=403,
                                  service_message="User is not authorized to perform: directconnect:DescribeDirectConnectGateways")
            return
        stub.add_response("describe_direct_connect_gateways", {"directConnectGateways": [
            {"directConnectGatewayId": "0" * 8 + "-aaaa-bbbb-cccc-" + "d" * 12, "directConnectGatewayName": "someone-else",
             "amazonSideAsn": 64600, "directConnectGatewayState": "available"},
            {"directConnectGatewayId": DXGW, "directConnectGatewayName": "dr-pair-use1-gcp", "amazonSideAsn": 64513,
             "directConnectGatewayState": "available", "tags": tags("interconnect", "use1-gcp", style="key")},
        ]}, {})
        stub.add_response("describe_direct_connect_gateway_associations", {"directConnectGatewayAssociations": [{
            "directConnectGatewayId": DXGW, "associationState": "associated", "associationId": "assoc-1",
            "associatedGateway": {"id": TGW, "type": "transitGateway", "ownerAccount": "111122223333", "region": "us-east-1"},
            "allowedPrefixesToDirectConnectGateway": [{"cidr": c} for c in allowed],
        }]}, {"directConnectGatewayId": DXGW})

    def hub(self, route_pages: list[list[dict]] | None, vpc_routes: list[dict] = VPC_ROUTES) -> None:
        stub = self.stubs["ec2"]
        on_tgw = {"Filters": [{"Name": "transit-gateway-id", "Values": [TGW]}]}
        stub.add_response("describe_transit_gateways", {"TransitGateways": [
            {"TransitGatewayId": TGW, "State": "available", "Tags": tags("hub", "tgw-use1")}]}, {})
        stub.add_response("describe_transit_gateway_route_tables", {"TransitGatewayRouteTables": [
            {"TransitGatewayRouteTableId": RT, "TransitGatewayId": TGW, "State": "available",
             "Tags": tags("route_table", "tgw-use1", "prod")}]}, on_tgw)
        stub.add_response("describe_transit_gateway_attachments", {"TransitGatewayAttachments": [
            {"TransitGatewayAttachmentId": VPC_ATT, "TransitGatewayId": TGW, "ResourceType": "vpc", "ResourceId": VPC,
             "State": "available", "Tags": tags("attachment", "tgw-use1", "aws-prod")},
            # created by the Direct Connect association, untagged: matched by its Direct Connect gateway
            {"TransitGatewayAttachmentId": DX_ATT, "TransitGatewayId": TGW, "ResourceType": "direct-connect-gateway",
             "ResourceId": DXGW, "State": "available"},
        ]}, on_tgw)
        if route_pages is None:
            return
        both = [{"TransitGatewayAttachmentId": a, "State": "associated"} for a in (VPC_ATT, DX_ATT)]
        stub.add_response("get_transit_gateway_route_table_associations", {"Associations": both},
                          {"TransitGatewayRouteTableId": RT})
        stub.add_response("get_transit_gateway_route_table_propagations", {"TransitGatewayRouteTablePropagations": [
            {"TransitGatewayAttachmentId": a, "State": "enabled"} for a in (VPC_ATT, DX_ATT)]},
            {"TransitGatewayRouteTableId": RT})
        for i, page in enumerate(route_pages):
            last = i == len(route_pages) - 1
            params = {"TransitGatewayRouteTableId": RT, "Filters": ROUTE_FILTERS, **({"NextToken": f"p{i}"} if i else {})}
            response = {"Routes": page, "AdditionalRoutesAvailable": not last, **({} if last else {"NextToken": f"p{i + 1}"})}
            stub.add_response("search_transit_gateway_routes", response, params)
        stub.add_response("describe_route_tables", {"RouteTables": [
            {"RouteTableId": VPC_RTB, "VpcId": VPC, "Routes": vpc_routes, "Tags": tags("vpc_route_table", "aws-prod")},
        ]}, {"Filters": [{"Name": "vpc-id", "Values": [VPC]}]})

    def done(self) -> None:
        for stub in self.stubs.values():
            stub.assert_no_pending_responses()


def triples(report) -> list[tuple[str, str, str]]:
    return [(f.rule, f.path, f.message) for f in report.findings]


def test_dr_pair_routing_verifies_clean_across_route_pages() -> None:
    aws = Aws()
    aws.dx(["10.10.0.0/16"])
    aws.hub([HEALTHY[:1], HEALTHY[1:]])  # two pages: the second one must be read too
    assert verify(routing_spec(), clients=aws, clouds=AWS_ONLY).findings == []
    aws.done()


def test_allowed_prefixes_and_a_learned_route_outside_the_allow_list() -> None:
    aws = Aws()
    aws.dx(["10.10.0.0/16", "10.99.0.0/16"])  # AWS now advertises 10.99/16 to Google too
    aws.hub([[*HEALTHY, route("10.20.128.0/20", "propagated", DX_ATT), route("192.168.0.0/16", "propagated", DX_ATT)]])
    report = verify(routing_spec(), clients=aws, clouds=AWS_ONLY)
    aws.done()
    table = f"route table 'prod' of hub 'tgw-use1' ({RT})"
    assert triples(report) == [
        ("XC702", "hubs[0].route_tables[0]",
         (f"{table} has a propagated route 192.168.0.0/16 from 'to-gcp' ({DX_ATT}): learned over interconnect 'use1-gcp' "
         "and outside its allow-list (10.20.0.0/16, 35.199.192.0/19): only authorised routes may propagate (XC304 at "
         "run time)")),
        ("XC706", "interconnects[0].aws.allowed_prefixes",
         (f"Direct Connect gateway {DXGW} of interconnect 'use1-gcp': the association with hub 'tgw-use1' ({TGW}) allows "
         "10.10.0.0/16, 10.99.0.0/16; the allow-list is 10.10.0.0/16 (not in the allow-list: 10.99.0.0/16)")),
    ]  # 10.20.128.0/20 lies inside the allow-list: authorised, so not reported


def test_a_learned_route_that_stopped_is_missing() -> None:
    aws = Aws()
    aws.dx(["10.10.0.0/16"])
    aws.hub([HEALTHY[:2]])  # Google no longer advertises 35.199.192.0/19 (Cloud DNS answers cannot come back)
    assert triples(verify(routing_spec(), clients=aws, clouds=AWS_ONLY)) == [
        ("XC703", "hubs[0].attachments[1].propagate_to",
         f"route table 'prod' of hub 'tgw-use1' ({RT}) has no propagated route 35.199.192.0/19 from attachment 'to-gcp'"),
    ]


def test_static_routes_with_their_targets() -> None:
    spec = routing_spec([{"prefix": "10.40.0.0/16", "attachment": "aws-prod"}, {"prefix": "10.41.0.0/16", "attachment": "aws-prod"}])
    aws = Aws()
    aws.dx(["10.10.0.0/16"])
    aws.hub([[*HEALTHY,
              route("10.40.0.0/16", "static", None, state="blackhole"),  # its attachment was deleted
              route("10.41.0.0/16", "static", DX_ATT)]])  # now sent to Google instead of the VPC
    table = f"route table 'prod' of hub 'tgw-use1' ({RT})"
    assert triples(verify(spec, clients=aws, clouds=AWS_ONLY)) == [
        ("XC704", "hubs[0].route_tables[0].routes[0]",
         (f"{table} drops traffic for 10.40.0.0/16: the static route to attachment 'aws-prod' is a blackhole (its "
         "attachment is gone or not available)")),
        ("XC702", "hubs[0].route_tables[0].routes[1]",
         f"{table} sends 10.41.0.0/16 to 'to-gcp' ({DX_ATT}); the spec sends it to attachment 'aws-prod'"),
    ]


def test_direct_connect_access_denied_makes_the_hub_unreadable_rather_than_guessing() -> None:
    aws = Aws()
    aws.dx([], deny=True)
    aws.hub(None)  # the hub is listed, then not compared: its Direct Connect attachment cannot be told apart
    report = verify(routing_spec(), clients=aws, clouds=AWS_ONLY)
    aws.done()
    assert [(f.rule, f.path) for f in report.findings] == [("XC700", "hubs[0]"), ("XC700", "interconnects[0]")]
    assert "access denied to directconnect:DescribeDirectConnectGateways" not in report.findings[0].message
    assert report.findings[1].message.startswith(
        "could not read Direct Connect gateways in us-east-1: directconnect:DescribeDirectConnectGateways failed "
        "(DirectConnectClientException: User is not authorized"
    )
    assert "cannot be matched to the spec while the Direct Connect gateways are unread" in report.findings[0].message


@pytest.mark.parametrize("state", ["deleting", "deleted"])
def test_gateways_on_their_way_out_are_not_the_stacks(state: str) -> None:
    aws = Aws()
    aws.stubs["directconnect"].add_response("describe_direct_connect_gateways", {"directConnectGateways": [
        {"directConnectGatewayId": DXGW, "amazonSideAsn": 64513, "directConnectGatewayState": state,
         "tags": tags("interconnect", "use1-gcp", style="key")}]}, {})
    aws.hub(None)
    report = verify(routing_spec(), clients=aws, clouds=AWS_ONLY)
    assert ("XC701", "interconnects[0]") in [(f.rule, f.path) for f in report.findings]


# ---------------------------------------------------------------- Cloud WAN: VPC routes to the core network's ARN

CORE_ID = "core-network-0123456789abcdef0"
CORE_ARN = f"arn:aws:networkmanager::444455556666:core-network/{CORE_ID}"
WAN_VPCS = {"aws-prod-use1": ("vpc-0aaaaaaaaaaaaaaa1", "us-east-1"), "aws-shared-use1": ("vpc-0a1b2c3d4e5f60718", "us-east-1"),
            "aws-prod-euc1": ("vpc-0eeeeeeeeeeeeeee1", "eu-central-1")}
WAN_TABLES = {"aws-prod-use1": "rtb-0aaaaaaaaaaaaaaa2", "aws-shared-use1": "rtb-0a1b2c3d4e5f60719",  # named by id
              "aws-prod-euc1": "rtb-0eeeeeeeeeeeeeee2"}
# what the model sends to the core from each VPC: the other VPCs its segment reaches (prod <-> shared, prod <-> prod),
# summarised (10.30.0.0/16 and 10.31.0.0/16 make 10.30.0.0/15, which may cover the VPC's own range)
WAN_EXPECTED = {"aws-prod-use1": ["10.30.0.0/15", "10.40.0.0/16"], "aws-shared-use1": ["10.30.0.0/15", "10.40.0.0/16"],
                "aws-prod-euc1": ["10.30.0.0/15"]}


def wan_spec():
    """cloud-wan's core network and VPCs (the interconnects' Direct Connect side is covered above)."""
    doc = yaml.safe_load((ROOT / "stacks" / "cloud-wan.yaml").read_text(encoding="utf-8"))
    doc.pop("interconnects")
    doc["hubs"][0]["attachments"] = [a for a in doc["hubs"][0]["attachments"] if "interconnect" not in a]
    return load_text(yaml.safe_dump(doc, sort_keys=False), "cloud-wan-vpcs.yaml")


def wan_tags(kind: str, *key: str) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in aws_tags("cloud-wan", kind, *key).items()]


class Wan:
    """Stubbed Network Manager (us-west-2, Cloud WAN's home region) and EC2 clients of both regions."""

    def __init__(self) -> None:
        self.clients = {
            (service, region): boto3.client(service, region_name=region, aws_access_key_id="t", aws_secret_access_key="t")
            for service, region in (("networkmanager", "us-west-2"), ("ec2", "us-east-1"), ("ec2", "eu-central-1"))
        }
        self.stubs = {key: Stubber(c) for key, c in self.clients.items()}
        for stub in self.stubs.values():
            stub.activate()

    def __call__(self, service: str, region: str):
        return self.clients[(service, region)]

    def core(self, *, tagged: bool = True) -> None:
        self.stubs[("networkmanager", "us-west-2")].add_response("list_core_networks", {"CoreNetworks": [
            {"CoreNetworkId": "core-network-0fffffffffffffff0", "State": "AVAILABLE",  # another stack's core
             "CoreNetworkArn": "arn:aws:networkmanager::444455556666:core-network/core-network-0fffffffffffffff0",
             "Tags": [{"Key": "xcloud:stack", "Value": "other"}, {"Key": "xcloud:key", "Value": "hub/core"}]},
            {"CoreNetworkId": CORE_ID, "CoreNetworkArn": CORE_ARN, "State": "AVAILABLE", "GlobalNetworkId": "global-network-01",
             "Tags": wan_tags("hub", "core") if tagged else []},
        ]}, {})

    def vpcs(self, gone: str = "") -> None:
        for region in ("eu-central-1", "us-east-1"):  # created VPCs, found by their tag, region by region
            here = [(n, v) for n, (v, r) in WAN_VPCS.items() if r == region and n not in ("aws-shared-use1", gone)]
            self.stubs[("ec2", region)].add_response("describe_vpcs", {"Vpcs": [
                {"VpcId": vpc, "Tags": wan_tags("network", name)} for name, vpc in here]},
                {"Filters": [{"Name": "tag:xcloud:stack", "Values": ["cloud-wan"]}]})

    def tables(self, change: dict[str, list[dict]] | None = None, gone: str = "") -> None:
        for name in ("aws-prod-use1", "aws-shared-use1", "aws-prod-euc1"):  # the spec's order
            if name == gone:
                continue
            vpc, region = WAN_VPCS[name]
            routes = [{"DestinationCidrBlock": p, "CoreNetworkArn": CORE_ARN, "Origin": "CreateRoute", "State": "active"}
                      for p in WAN_EXPECTED[name]]
            routes = (change or {}).get(name, routes)
            table = {"RouteTableId": WAN_TABLES[name], "VpcId": vpc, "Routes": routes}
            if name != "aws-shared-use1":
                table["Tags"] = wan_tags("vpc_route_table", name)
            main = {"RouteTableId": "rtb-0bbbbbbbbbbbbbbb9", "VpcId": vpc, "Routes": [  # the main table: not the stack's
                {"DestinationCidrBlock": "0.0.0.0/0", "CoreNetworkArn": CORE_ARN, "State": "active"}]}
            on_vpc = {"Filters": [{"Name": "vpc-id", "Values": [vpc]}]}
            stub = self.stubs[("ec2", region)]
            if name == "aws-prod-use1":  # two pages: the stack's table is on the second
                stub.add_response("describe_route_tables", {"RouteTables": [main], "NextToken": "p1"}, on_vpc)
                stub.add_response("describe_route_tables", {"RouteTables": [table]}, {**on_vpc, "NextToken": "p1"})
            else:
                stub.add_response("describe_route_tables", {"RouteTables": [main, table]}, on_vpc)

    def done(self) -> None:
        for stub in self.stubs.values():
            stub.assert_no_pending_responses()


def test_the_cloud_wan_vpcs_route_to_the_core_network_by_its_arn() -> None:
    wan = Wan()
    wan.core()
    wan.vpcs()
    wan.tables()
    assert verify(wan_spec(), clients=wan, clouds=AWS_ONLY).findings == []
    wan.done()


def test_cloud_wan_vpc_routes_retargeted_and_added() -> None:
    wan = Wan()
    wan.core()
    wan.vpcs()
    wan.tables({
        "aws-shared-use1": [  # 10.30/15 now over a peering; 10.40/16 blackholed (its attachment is gone)
            {"DestinationCidrBlock": "10.30.0.0/15", "VpcPeeringConnectionId": "pcx-0123456789abcdef0", "State": "active"},
            {"DestinationCidrBlock": "10.40.0.0/16", "CoreNetworkArn": CORE_ARN, "State": "blackhole"},
            {"DestinationCidrBlock": "10.31.0.0/16", "GatewayId": "local", "State": "active"}],  # its own range
        "aws-prod-use1": [  # part of the summary taken by a more specific route through a NAT gateway
            *({"DestinationCidrBlock": p, "CoreNetworkArn": CORE_ARN, "State": "active"}
              for p in WAN_EXPECTED["aws-prod-use1"]),
            {"DestinationCidrBlock": "10.31.8.0/24", "NatGatewayId": "nat-0123456789abcdef0", "State": "active"},
            {"DestinationCidrBlock": "10.30.0.0/16", "GatewayId": "local", "State": "active"}],
        "aws-prod-euc1": [  # and a default route into the core added by hand
            {"DestinationCidrBlock": p, "CoreNetworkArn": CORE_ARN, "State": "active"}
            for p in (*WAN_EXPECTED["aws-prod-euc1"], "0.0.0.0/0")],
    })
    report = verify(wan_spec(), clients=wan, clouds=AWS_ONLY)
    wan.done()
    core = f"hub 'core' ({CORE_ARN})"
    use1 = f"route table {WAN_TABLES['aws-prod-use1']} of network 'aws-prod-use1' ({WAN_VPCS['aws-prod-use1'][0]})"
    shared = f"route table {WAN_TABLES['aws-shared-use1']} of network 'aws-shared-use1' ({WAN_VPCS['aws-shared-use1'][0]})"
    euc1 = f"route table {WAN_TABLES['aws-prod-euc1']} of network 'aws-prod-euc1' ({WAN_VPCS['aws-prod-euc1'][0]})"
    assert triples(report) == [
        ("XC711", "networks[0]",
         f"{use1} sends 10.31.8.0/24, part of 10.30.0.0/15, to nat-0123456789abcdef0; the routing model sends it to "
         f"{core}"),
        ("XC711", "networks[1].route_table_ids[0]",
         (f"{shared} drops traffic for 10.40.0.0/16: its route to {core} is a blackhole (the VPC's attachment to the "
          "hub is gone or not available)")),
        ("XC711", "networks[1].route_table_ids[0]",
         f"{shared} sends 10.30.0.0/15 to pcx-0123456789abcdef0; the routing model sends it to {core}"),
        ("XC712", "networks[2]",
         f"{euc1} sends 0.0.0.0/0 to {core}, which the routing model does not explain (it sends 10.30.0.0/15 "
         "to the stack's hubs)"),
    ]


def test_a_core_network_not_found_is_reported_and_its_vpcs_not_compared() -> None:
    wan = Wan()
    wan.core(tagged=False)
    assert triples(verify(wan_spec(), clients=wan, clouds=AWS_ONLY)) == [
        ("XC701", "hubs[0]", "hub 'core': no Cloud WAN core network tagged xcloud:stack=cloud-wan, xcloud:key=hub/core"),
    ]
    wan.done()  # no VPC or route table was asked for: without the core's ARN no route can be told to go to it


def test_a_cloud_wan_vpc_not_found() -> None:
    wan = Wan()
    wan.core()
    wan.vpcs(gone="aws-prod-euc1")
    wan.tables(gone="aws-prod-euc1")
    assert triples(verify(wan_spec(), clients=wan, clouds=AWS_ONLY)) == [
        ("XC701", "networks[2]", ("network 'aws-prod-euc1': no VPC tagged xcloud:stack=cloud-wan, "
                                  "xcloud:key=network/aws-prod-euc1 in eu-central-1")),
    ]
    wan.done()
