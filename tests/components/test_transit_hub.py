"""TransitHub: the gateway without default tables, declared route tables, VPC attachments wired as declared,
blackhole routes, attach points for the attachments other components own, and peering."""

from __future__ import annotations

import pytest

from xcloud_iac.components import ComponentArgsError, PeerHub, TransitHub, TransitHubArgs, VpcRef
from xcloud_iac.spec import models as m

from .mocks import Recorder, run

TGW = "aws:ec2transitgateway/transitGateway:TransitGateway"
ASSOC = "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation"
PROP = "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation"
ROUTE = "aws:ec2transitgateway/route:Route"


def hub_spec(**changes) -> m.TransitGateway:
    spec = {
        "name": "tgw-use1",
        "kind": "transit_gateway",
        "region": "us-east-1",
        "asn": 64512,
        "route_tables": [
            {"name": "prod", "routes": [{"prefix": "10.99.0.0/16", "blackhole": True},
                                        {"prefix": "10.50.0.0/16", "attachment": "shared"}]},
            {"name": "shared"},
        ],
        "attachments": [
            {"name": "prod", "network": "aws-prod", "subnets": ["a", "b"], "route_table": "prod",
             "propagate_to": ["prod", "shared"]},
            {"name": "shared", "network": "aws-shared", "subnets": ["a"], "route_table": "shared",
             "propagate_to": ["prod"]},
            {"name": "to-gcp", "interconnect": "use1-gcp", "route_table": "prod", "propagate_to": ["prod"]},
        ],
    }
    spec.update(changes)
    return m.TransitGateway.model_validate(spec)


VPCS = {
    "aws-prod": VpcRef("vpc-prod", {"a": "subnet-pa", "b": "subnet-pb"}),
    "aws-shared": VpcRef("vpc-shared", {"a": "subnet-sa"}, ipv6=True),
}


def test_gateway_has_no_default_tables_and_is_protected(recorder: Recorder) -> None:
    run(lambda: TransitHub("tgw-use1", TransitHubArgs(hub_spec(), VPCS, stack="test")))
    tgw = recorder.one(TGW)
    assert tgw.name == "tgw-use1-tgw"
    assert tgw.inputs["defaultRouteTableAssociation"] == "disable"
    assert tgw.inputs["defaultRouteTablePropagation"] == "disable"
    assert tgw.inputs["amazonSideAsn"] == 64512
    assert tgw.inputs["region"] == "us-east-1"
    assert tgw.protect
    assert tgw.inputs["tags"]["xcloud:key"] == "hub/tgw-use1"


def test_route_tables_attachments_and_wiring_follow_the_spec(recorder: Recorder) -> None:
    run(lambda: TransitHub("tgw-use1", TransitHubArgs(hub_spec(), VPCS, stack="test")))
    tables = {r.name for r in recorder.of_type("aws:ec2transitgateway/routeTable:RouteTable")}
    assert tables == {"tgw-use1-rt-prod", "tgw-use1-rt-shared"}

    prod = recorder.one("aws:ec2transitgateway/vpcAttachment:VpcAttachment", "tgw-use1-att-prod")
    assert prod.inputs["vpcId"] == "vpc-prod"
    assert prod.inputs["subnetIds"] == ["subnet-pa", "subnet-pb"]
    assert prod.inputs["transitGatewayDefaultRouteTableAssociation"] is False
    assert prod.inputs["transitGatewayDefaultRouteTablePropagation"] is False
    shared = recorder.one("aws:ec2transitgateway/vpcAttachment:VpcAttachment", "tgw-use1-att-shared")
    assert shared.inputs["ipv6Support"] == "enable"

    assocs = {r.name: r.inputs for r in recorder.of_type(ASSOC)}
    assert assocs == {
        "tgw-use1-att-prod-assoc": {"transitGatewayAttachmentId": recorder.id_of("tgw-use1-att-prod"),
                                    "transitGatewayRouteTableId": recorder.id_of("tgw-use1-rt-prod"), "region": "us-east-1"},
        "tgw-use1-att-shared-assoc": {"transitGatewayAttachmentId": recorder.id_of("tgw-use1-att-shared"),
                                      "transitGatewayRouteTableId": recorder.id_of("tgw-use1-rt-shared"), "region": "us-east-1"},
    }
    props = {(r.inputs["transitGatewayAttachmentId"], r.inputs["transitGatewayRouteTableId"])
             for r in recorder.of_type(PROP)}
    assert props == {
        (recorder.id_of("tgw-use1-att-prod"), recorder.id_of("tgw-use1-rt-prod")),
        (recorder.id_of("tgw-use1-att-prod"), recorder.id_of("tgw-use1-rt-shared")),
        (recorder.id_of("tgw-use1-att-shared"), recorder.id_of("tgw-use1-rt-prod")),
    }


def test_static_and_blackhole_routes(recorder: Recorder) -> None:
    run(lambda: TransitHub("tgw-use1", TransitHubArgs(hub_spec(), VPCS, stack="test")))
    routes = {r.name: r.inputs for r in recorder.of_type(ROUTE)}
    assert routes["tgw-use1-rt-prod-blackhole-10-99-0-0-16"]["blackhole"] is True
    assert routes["tgw-use1-rt-prod-blackhole-10-99-0-0-16"]["destinationCidrBlock"] == "10.99.0.0/16"
    to_shared = routes["tgw-use1-att-shared-route-prod-10-50-0-0-16"]
    assert to_shared["transitGatewayAttachmentId"] == recorder.id_of("tgw-use1-att-shared")
    assert to_shared["transitGatewayRouteTableId"] == recorder.id_of("tgw-use1-rt-prod")
    assert len(routes) == 2


def test_interconnect_attachment_is_left_to_its_owner_through_an_attach_point(recorder: Recorder) -> None:
    hub = run(lambda: TransitHub("tgw-use1", TransitHubArgs(hub_spec(), VPCS, stack="test")))
    point = hub.attach_point("to-gcp")
    assert (point.hub, point.attachment, point.region) == ("tgw-use1", "to-gcp", "us-east-1")
    assert sorted(point.propagate_to) == ["prod"]
    # nothing of the interconnect's attachment is created by the hub
    assert not [r for r in recorder.registered if "to-gcp" in r.name]


def test_reordering_the_spec_renames_nothing(recorder: Recorder) -> None:
    spec = hub_spec()
    run(lambda: TransitHub("tgw-use1", TransitHubArgs(spec, VPCS, stack="test")))
    first = {(r.type, r.name) for r in recorder.registered}

    from .mocks import install

    _mocks, again = install()
    reordered = hub_spec(route_tables=list(reversed(spec.model_dump()["route_tables"])),
                         attachments=list(reversed(spec.model_dump()["attachments"])))
    run(lambda: TransitHub("tgw-use1", TransitHubArgs(reordered, VPCS, stack="test")))
    assert {(r.type, r.name) for r in again.registered} == first


def peering_specs() -> tuple[m.TransitGateway, m.TransitGateway]:
    east = m.TransitGateway.model_validate({
        "name": "tgw-east", "kind": "transit_gateway", "region": "us-east-1", "asn": 64512,
        "route_tables": [{"name": "main", "routes": [{"prefix": "10.60.0.0/16", "attachment": "to-west"}]}],
        "attachments": [{"name": "to-west", "peer": "tgw-west", "route_table": "main"}],
    })
    west = m.TransitGateway.model_validate({
        "name": "tgw-west", "kind": "transit_gateway", "region": "us-west-2", "asn": 64513, "account": "222233334444",
        "route_tables": [{"name": "main", "routes": [{"prefix": "10.10.0.0/16", "attachment": "to-east"}]}],
        "attachments": [{"name": "to-east", "peer": "tgw-east", "route_table": "main"}],
    })
    return east, west


def test_peering_is_requested_accepted_and_wired_on_both_sides(recorder: Recorder) -> None:
    east_spec, west_spec = peering_specs()

    def program() -> None:
        east = TransitHub("tgw-east", TransitHubArgs(east_spec, stack="test"))
        TransitHub("tgw-west", TransitHubArgs(west_spec, peers=[
            PeerHub("tgw-east", east.transit_gateway_id, "us-east-1", None, east.attach_point("to-west")),
        ], stack="test"))

    run(program)
    peering = recorder.one("aws:ec2transitgateway/peeringAttachment:PeeringAttachment")
    accepter = recorder.one("aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter")
    assert peering.name == "tgw-west-peer-tgw-east"
    assert peering.inputs["transitGatewayId"] == recorder.id_of("tgw-west-tgw")
    assert peering.inputs["peerTransitGatewayId"] == recorder.id_of("tgw-east-tgw")
    assert (peering.inputs["region"], peering.inputs["peerRegion"]) == ("us-west-2", "us-east-1")
    assert accepter.inputs == {"transitGatewayAttachmentId": recorder.id_of("tgw-west-peer-tgw-east"), "region": "us-east-1",
                               "tags": accepter.inputs["tags"]}

    routes = {r.inputs["transitGatewayRouteTableId"]: r for r in recorder.of_type(ROUTE)}
    assert routes[recorder.id_of("tgw-west-rt-main")].inputs["destinationCidrBlock"] == "10.10.0.0/16"
    assert routes[recorder.id_of("tgw-east-rt-main")].inputs["destinationCidrBlock"] == "10.60.0.0/16"
    assert routes[recorder.id_of("tgw-east-rt-main")].inputs["region"] == "us-east-1"
    assert {r.inputs["transitGatewayAttachmentId"] for r in recorder.of_type(ROUTE)} == {recorder.id_of("tgw-west-peer-tgw-east")}
    assert {r.inputs["transitGatewayRouteTableId"] for r in recorder.of_type(ASSOC)} == {
        recorder.id_of("tgw-west-rt-main"), recorder.id_of("tgw-east-rt-main")}
    # routes and associations on a peering wait for the accepter
    assert all(accepter.urn in r.dependencies for r in [*recorder.of_type(ROUTE), *recorder.of_type(ASSOC)])
    assert recorder.of_type(PROP) == []


def test_existing_gateway_is_read_not_created(recorder: Recorder) -> None:
    spec = hub_spec(existing_id="tgw-0abc", attachments=[], route_tables=[{"name": "prod"}])
    run(lambda: TransitHub("tgw-use1", TransitHubArgs(spec, {}, stack="test")))
    tgw = recorder.one(TGW)
    assert tgw.read and tgw.inputs.get("region") == "us-east-1"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (lambda: TransitHubArgs(hub_spec(), {"aws-prod": VPCS["aws-prod"]}), "no VPC given for network 'aws-shared'"),
        (lambda: TransitHubArgs(hub_spec(), {**VPCS, "aws-prod": VpcRef("vpc", {"a": "s"})}), "has no subnet 'b'"),
        (lambda: TransitHubArgs(hub_spec(attachments=[{"name": "p", "peer": "x", "propagate_to": ["prod"]}])),
         "peering cannot propagate"),
    ],
    ids=["missing-vpc", "missing-subnet", "propagating-peering"],
)
def test_bad_arguments_are_refused_before_any_child(recorder: Recorder, args, message: str) -> None:
    with pytest.raises(ComponentArgsError, match=message):
        run(lambda: TransitHub("tgw-use1", args()))
    assert recorder.registered == []
