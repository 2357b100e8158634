"""The data plane inside the networks: a VPC's own route table and its routes towards a hub (created or existing
tables, Transit Gateway or Cloud WAN, IPv4 and IPv6), a Google network's ingress rules for its peers, and the
network's side of the Transport's peering."""

from __future__ import annotations

import pulumi
import pytest

from xcloud_iac.components import (
    AwsNetwork,
    AwsNetworkArgs,
    CloudWanCore,
    CloudWanCoreArgs,
    ComponentArgsError,
    GcpNetwork,
    GcpNetworkArgs,
    TransitHub,
    TransitHubArgs,
    VpcRef,
    WanVpcRef,
)
from xcloud_iac.spec import models as m

from .mocks import Recorder, run
from .test_cloud_wan import core_spec
from .test_networks_links import aws_network
from .test_transit_hub import hub_spec

ROUTE = "aws:ec2/route:Route"


def test_an_attached_network_gets_a_route_table_for_the_subnets_it_creates(recorder: Recorder) -> None:
    net = aws_network(existing_id="vpc-0abc", route_table_ids=["rtb-0123456789abcdef0"], subnets=[
        {"name": "a", "cidr": "10.10.0.0/24", "zone": "us-east-1a", "id": "subnet-0a"},
        {"name": "b", "cidr": "10.11.0.0/24", "zone": "us-east-1b"},
    ])
    component = run(lambda: AwsNetwork("aws-prod", AwsNetworkArgs(net, "test", route_table=True)))
    table = recorder.one("aws:ec2/routeTable:RouteTable")
    assert (table.name, table.inputs["vpcId"]) == ("aws-prod-rt", "vpc-0abc")
    # only the created subnet: the existing one keeps its table, which the spec names for the routes
    [assoc] = recorder.of_type("aws:ec2/routeTableAssociation:RouteTableAssociation")
    assert (assoc.name, assoc.inputs["subnetId"], assoc.inputs["routeTableId"]) == (
        "aws-prod-rt-b", recorder.id_of("aws-prod-subnet-b"), recorder.id_of("aws-prod-rt"))
    assert run(lambda: pulumi.Output.all(**component.route_table_ids)) == {
        "created": recorder.id_of("aws-prod-rt"), "rtb-0123456789abcdef0": "rtb-0123456789abcdef0"}


def test_an_unattached_network_keeps_its_route_tables(recorder: Recorder) -> None:
    run(lambda: AwsNetwork("aws-prod", AwsNetworkArgs(aws_network(), "test")))
    assert recorder.of_type("aws:ec2/routeTable:RouteTable") == []


def test_route_table_ids_need_an_existing_aws_vpc() -> None:
    with pytest.raises(ValueError, match="route_table_ids names route tables of an existing AWS VPC"):
        aws_network(route_table_ids=["rtb-0123456789abcdef0"])
    with pytest.raises(ValueError, match="rtb-"):
        aws_network(existing_id="vpc-0abc", route_table_ids=["vpc-0123"])


def test_transit_hub_routes_each_vpc_table_to_the_gateway_after_the_attachment(recorder: Recorder) -> None:
    vpcs = {
        "aws-prod": VpcRef("vpc-prod", {"a": "subnet-pa", "b": "subnet-pb"},
                           route_table_ids={"created": "rtb-created", "rtb-0old": "rtb-0old"}),
        "aws-shared": VpcRef("vpc-shared", {"a": "subnet-sa"}, ipv6=True, route_table_ids={"created": "rtb-s"}),
    }
    routes = {"aws-prod": ["10.50.0.0/16", "35.199.192.0/19"], "aws-shared": ["2600:1f18::/56"]}
    run(lambda: TransitHub("tgw-use1", TransitHubArgs(hub_spec(), vpcs, stack="test", vpc_routes=routes)))
    planned = {r.name: r for r in recorder.of_type(ROUTE)}
    assert sorted(planned) == [
        "tgw-use1-vpc-aws-prod-created-10-50-0-0-16", "tgw-use1-vpc-aws-prod-created-35-199-192-0-19",
        "tgw-use1-vpc-aws-prod-rtb-0old-10-50-0-0-16", "tgw-use1-vpc-aws-prod-rtb-0old-35-199-192-0-19",
        "tgw-use1-vpc-aws-shared-created-2600-1f18-56",
    ]
    route = planned["tgw-use1-vpc-aws-prod-rtb-0old-35-199-192-0-19"]
    assert route.inputs == {"destinationCidrBlock": "35.199.192.0/19", "routeTableId": "rtb-0old",
                            "transitGatewayId": recorder.id_of("tgw-use1-tgw"), "region": "us-east-1"}
    attachment = recorder.one("aws:ec2transitgateway/vpcAttachment:VpcAttachment", "tgw-use1-att-prod")
    assert attachment.urn in route.dependencies
    v6 = planned["tgw-use1-vpc-aws-shared-created-2600-1f18-56"]
    assert v6.inputs["destinationIpv6CidrBlock"] == "2600:1f18::/56" and "destinationCidrBlock" not in v6.inputs


def test_routes_for_a_network_the_hub_does_not_attach_are_refused(recorder: Recorder) -> None:
    args = TransitHubArgs(hub_spec(), {"aws-prod": VpcRef("v", {"a": "s", "b": "t"}),
                                       "aws-shared": VpcRef("w", {"a": "u"})},
                          vpc_routes={"aws-other": ["10.0.0.0/16"], "aws-prod": ["not-a-cidr"]})
    with pytest.raises(ComponentArgsError) as refused:
        run(lambda: TransitHub("tgw-use1", args))
    assert refused.value.problems == ["routes given for network 'aws-other', which is not attached here",
                                      "network 'aws-prod': route 'not-a-cidr' is not a CIDR"]
    assert recorder.registered == []


def test_cloud_wan_routes_go_to_the_core_network_after_attachment_and_policy(recorder: Recorder) -> None:
    vpcs = {
        "aws-prod": WanVpcRef("arn:vpc-p", {"a": "arn:sa", "b": "arn:sb"}, route_table_ids={"created": "rtb-p"},
                              region="us-east-1"),
        "aws-shared": WanVpcRef("arn:vpc-s", {"a": "arn:ss"}, region="us-east-1"),
    }
    run(lambda: CloudWanCore("core", CloudWanCoreArgs(core_spec(), vpcs, stack="test",
                                                      vpc_routes={"aws-prod": ["10.31.0.0/16"]})))
    route = recorder.one(ROUTE)
    assert route.name == "core-vpc-aws-prod-created-10-31-0-0-16"
    core = recorder.one("aws:networkmanager/coreNetwork:CoreNetwork")
    assert route.inputs["coreNetworkArn"].endswith(recorder.id_of("core-core")) and "transitGatewayId" not in route.inputs
    assert route.inputs["region"] == "us-east-1"
    policy = recorder.one("aws:networkmanager/coreNetworkPolicyAttachment:CoreNetworkPolicyAttachment")
    attachment = recorder.one("aws:networkmanager/vpcAttachment:VpcAttachment", "core-att-prod-use1")
    assert {policy.urn, attachment.urn, core.urn} <= set(route.dependencies)


def gcp_network(**changes) -> m.Network:
    spec = {"name": "gcp-prod", "cloud": "gcp", "region": "us-east4", "account": "prod-project",
            "stack_type": "dual", "cidrs": ["10.50.0.0/16", "fd20:a:b::/48"]}
    spec.update(changes)
    return m.Network.model_validate(spec)


def test_google_network_admits_its_peers_on_the_declared_ports_with_logging(recorder: Recorder) -> None:
    net = gcp_network(peer_ingress=[{"protocol": "tcp", "ports": ["443", "8000-8080"]}, {"protocol": "icmp"}])
    peers = ["10.10.0.0/16", "2600:1f18::/56", "10.11.0.0/16"]
    run(lambda: GcpNetwork("gcp-prod", GcpNetworkArgs(net, "test", peers)))
    rules = {r.name: r for r in recorder.of_type("gcp:compute/firewall:Firewall")}
    v4, v6 = rules["gcp-prod-fw-peers"], rules["gcp-prod-fw-peers-v6"]
    assert v4.inputs["sourceRanges"] == ["10.10.0.0/16", "10.11.0.0/16"]
    assert v4.inputs["direction"] == "INGRESS" and v4.inputs["network"] == recorder.id_of("gcp-prod-network")
    assert v4.inputs["allows"] == [{"protocol": "tcp", "ports": ["443", "8000-8080"]}, {"protocol": "icmp"}]
    assert v4.inputs["logConfig"] == {"metadata": "INCLUDE_ALL_METADATA"}
    assert v6.inputs["sourceRanges"] == ["2600:1f18::/56"]
    assert v6.inputs["allows"] == [{"protocol": "tcp", "ports": ["443", "8000-8080"]}, {"protocol": "58"}]


def test_google_network_without_peers_has_no_rule(recorder: Recorder) -> None:
    run(lambda: GcpNetwork("gcp-prod", GcpNetworkArgs(gcp_network(), "test")))
    assert recorder.of_type("gcp:compute/firewall:Firewall") == []


def test_peer_ingress_defaults_to_https_and_ping_and_refuses_what_has_no_ports() -> None:
    assert [r.model_dump() for r in gcp_network().peer_ingress] == [
        {"protocol": "tcp", "ports": ["443"]}, {"protocol": "icmp", "ports": []}]
    with pytest.raises(ValueError, match="protocol icmp has no ports"):
        gcp_network(peer_ingress=[{"protocol": "icmp", "ports": ["1"]}])
    with pytest.raises(ValueError, match="not within 1-65535"):
        gcp_network(peer_ingress=[{"protocol": "tcp", "ports": ["9000-80"]}])


def test_a_peer_range_of_everything_is_refused(recorder: Recorder) -> None:
    with pytest.raises(ComponentArgsError, match="peer range 0.0.0.0/0 admits every address"):
        run(lambda: GcpNetwork("gcp-prod", GcpNetworkArgs(gcp_network(), "test", ["0.0.0.0/0"])))
    assert recorder.registered == []


def test_the_network_side_of_the_transport_peering_exchanges_custom_routes(recorder: Recorder) -> None:
    from .test_interconnect import build, interconnect

    run(lambda: build(interconnect()))
    peering = recorder.one("gcp:compute/networkPeering:NetworkPeering")
    transport = recorder.one("gcp:networkconnectivity/transport:Transport")
    assert peering.name == "use1-gcp-peering"
    assert peering.inputs["network"] == "projects/dr-project/global/networks/gcp-dr"
    # the peer is the network the Transport created for the peering (an output of the Transport)
    assert peering.inputs["peerNetwork"].endswith("use1-gcp-transport-peering-network")
    assert transport.urn in peering.dependencies
    assert peering.inputs["importCustomRoutes"] is True and peering.inputs["exportCustomRoutes"] is True
    assert peering.inputs["stackType"] == transport.inputs["stackType"] == "IPV4_IPV6"  # the link's stack
    assert "autoAccept" not in transport.inputs  # the peering is accepted by creating this side of it
