"""Reachability and effective routes honour route-table associations, propagations and each link's allow-list."""

from __future__ import annotations

import copy
import ipaddress

from xcloud_iac.spec import Stack
from xcloud_iac.topology import build


def net(name: str, cidr: str, cloud: str = "aws", region: str = "us-east-1") -> dict:
    return {"name": name, "cloud": cloud, "region": region, "cidrs": [cidr]}


BASE = {
    "name": "t",
    "networks": [net("prod", "10.1.0.0/16"), net("dev", "10.2.0.0/16"), net("gcp", "10.9.0.0/16", "gcp", "us-east4")],
    "hubs": [
        {
            "name": "tgw",
            "kind": "transit_gateway",
            "region": "us-east-1",
            "route_tables": [{"name": "prod"}, {"name": "dev"}, {"name": "edge"}],
            "attachments": [
                {"name": "prod", "network": "prod", "route_table": "prod", "propagate_to": ["prod", "edge"]},
                {"name": "dev", "network": "dev", "route_table": "dev", "propagate_to": ["dev"]},
                {"name": "ic", "interconnect": "ic", "route_table": "edge", "propagate_to": ["prod"]},
            ],
        }
    ],
    "interconnects": [
        {
            "name": "ic",
            "bandwidth": "1Gbps",
            "aws": {"region": "us-east-1", "dx_gateway_asn": 64513, "allowed_prefixes": ["10.1.0.0/16"]},
            "gcp": {"region": "us-east4", "project": "example-project", "network": "gcp", "allowed_prefixes": ["10.9.0.0/16"]},
        }
    ],
}


def topology(mutate=None):
    spec = copy.deepcopy(BASE)
    if mutate:
        mutate(spec)
    return build(Stack.model_validate(spec))


def test_associations_and_propagations_decide_who_reaches_whom() -> None:
    routing = topology().routing
    assert sorted(routing.reachable_from("prod")) == ["gcp"]
    assert sorted(routing.reachable_from("gcp")) == ["prod"]
    assert routing.reachable_from("dev") == {}  # dev's table has only dev's own routes


def test_propagating_into_another_table_connects_the_networks() -> None:
    def connect(spec):
        spec["hubs"][0]["attachments"][1]["propagate_to"] = ["dev", "prod"]
        spec["hubs"][0]["attachments"][0]["propagate_to"] = ["prod", "edge", "dev"]

    routing = topology(connect).routing
    assert routing.reaches("prod", "dev") and routing.reaches("dev", "prod")
    assert not routing.reaches("dev", "gcp")  # dev's table learned nothing from the interconnect


def test_the_allow_list_limits_what_crosses_the_link() -> None:
    def allow_dev(spec):
        spec["hubs"][0]["attachments"][1]["propagate_to"] = ["dev", "edge"]
        spec["hubs"][0]["attachments"][2]["propagate_to"] = ["prod", "dev"]

    routing = topology(allow_dev).routing
    # dev's table routes to Google, but Google does not learn dev's range: AWS only advertises 10.1.0.0/16.
    assert routing.reaches("dev", "gcp") is not None
    assert routing.reaches("gcp", "dev") is None

    def allow_both(spec):
        allow_dev(spec)
        spec["interconnects"][0]["aws"]["allowed_prefixes"] = ["10.1.0.0/16", "10.2.0.0/16"]

    routing = topology(allow_both).routing
    assert routing.reaches("gcp", "dev")


def test_effective_routes_of_a_route_table() -> None:
    routing = topology().routing
    routes = sorted((str(r.prefix), r.origin, r.hop.kind, r.hop.target) for r in routing.domains["rt:tgw/prod"].routes)
    assert routes == [
        ("10.1.0.0/16", "propagated", "deliver", "prod"),
        ("10.9.0.0/16", "propagated", "domain", "net:gcp"),
    ]
    learned = [(str(r.prefix), r.origin, r.hop.target) for r in routing.domains["net:gcp"].routes]
    assert learned == [("10.9.0.0/16", "local", "gcp"), ("10.1.0.0/16", "learned", "rt:tgw/edge")]


def test_static_and_blackhole_routes() -> None:
    def statics(spec):
        spec["hubs"][0]["route_tables"][1]["routes"] = [
            {"prefix": "10.1.0.0/16", "attachment": "prod"},
            {"prefix": "10.9.0.0/16", "blackhole": True},
        ]

    routing = topology(statics).routing
    assert routing.reaches("dev", "prod")
    walk = routing.walk("rt:tgw/dev", ipaddress.ip_network("10.9.0.0/16"))
    assert walk.reached == {} and [r.prefix for _d, r in walk.blackholed] == [ipaddress.ip_network("10.9.0.0/16")]


def test_the_more_specific_route_wins() -> None:
    def specific(spec):
        spec["hubs"][0]["route_tables"][0]["routes"] = [{"prefix": "10.9.1.0/24", "blackhole": True}]

    routing = topology(specific).routing
    assert routing.walk("rt:tgw/prod", ipaddress.ip_network("10.9.1.0/24")).reached == {}
    assert "gcp" in routing.walk("rt:tgw/prod", ipaddress.ip_network("10.9.2.0/24")).reached


def test_path_records_links_and_mtu() -> None:
    path = topology().routing.reaches("prod", "gcp")
    assert path.links == ("ic",)
    assert path.mtu == 1500  # the interconnect's MTU caps the Transit Gateway's 8500


def test_peering_loop_is_detected() -> None:
    def peered(spec):
        spec["hubs"].append(
            {
                "name": "tgw2",
                "kind": "transit_gateway",
                "region": "us-east-2",
                "asn": 64600,
                "route_tables": [{"name": "main", "routes": [{"prefix": "10.50.0.0/16", "attachment": "to-tgw"}]}],
                "attachments": [{"name": "to-tgw", "peer": "tgw", "route_table": "main"}],
            }
        )
        hub = spec["hubs"][0]
        hub["attachments"].append({"name": "to-tgw2", "peer": "tgw2", "route_table": "prod"})
        hub["route_tables"][0]["routes"] = [{"prefix": "10.50.0.0/16", "attachment": "to-tgw2"}]

    walk = topology(peered).routing.walk("rt:tgw/prod", ipaddress.ip_network("10.50.0.0/16"))
    assert walk.loops == [("rt:tgw/prod", "rt:tgw2/main", "rt:tgw/prod")]


def test_cloud_wan_segments_share_and_isolate() -> None:
    spec = {
        "name": "wan",
        "networks": [net("a", "10.1.0.0/16"), net("b", "10.2.0.0/16"), net("s", "10.3.0.0/16")],
        "hubs": [
            {
                "name": "core",
                "kind": "cloud_wan",
                "edges": [{"region": "us-east-1"}],
                "segments": [{"name": "prod", "isolate_attachments": True}, {"name": "shared", "share_with": ["prod"]}],
                "attachments": [
                    {"name": "a", "network": "a", "segment": "prod"},
                    {"name": "b", "network": "b", "segment": "prod"},
                    {"name": "s", "network": "s", "segment": "shared"},
                ],
            }
        ],
    }
    routing = build(Stack.model_validate(spec)).routing
    assert sorted(routing.reachable_from("a")) == ["s"]  # isolated from b, shares with s
    assert sorted(routing.reachable_from("s")) == ["a", "b"]
