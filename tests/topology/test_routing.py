"""The routing model's query helpers used by the addressing and routing rules: follow one route, what a summary
route reaches, the domains a network takes part in, and paths in words."""

from __future__ import annotations

import ipaddress

from xcloud_iac.spec import Stack
from xcloud_iac.topology import Path, build


def vpc(name: str, cidr: str) -> dict:
    return {"name": name, "cloud": "aws", "region": "us-east-1", "cidrs": [cidr]}


# Two VPCs claim 10.1.0.0/16 in table 'main'; 'ops' is associated with 'ops' and propagates into 'main' and
# 'inspect'; the Google network learns the summary 10.0.0.0/8 and reaches the VPCs behind it.
SPEC = {
    "name": "t",
    "networks": [
        vpc("a", "10.1.0.0/16"), vpc("b", "10.1.0.0/16"), vpc("ops", "10.2.0.0/16"),
        {"name": "gcp", "cloud": "gcp", "region": "us-east4", "cidrs": ["10.9.0.0/16"], "mtu": 1500},
    ],
    "hubs": [
        {
            "name": "tgw",
            "kind": "transit_gateway",
            "region": "us-east-1",
            "route_tables": [{"name": "main"}, {"name": "ops"}, {"name": "inspect"}],
            "attachments": [
                {"name": "a", "network": "a", "route_table": "main", "propagate_to": ["main"]},
                {"name": "b", "network": "b", "route_table": "main", "propagate_to": ["main"]},
                {"name": "ops", "network": "ops", "route_table": "ops", "propagate_to": ["main", "inspect"]},
                {"name": "ic", "interconnect": "ic", "route_table": "main", "propagate_to": ["main", "ops"]},
            ],
        }
    ],
    "interconnects": [
        {
            "name": "ic",
            "bandwidth": "1Gbps",
            "aws": {"region": "us-east-1", "dx_gateway_asn": 64513, "allowed_prefixes": ["10.0.0.0/8"]},
            "gcp": {"region": "us-east4", "project": "example-project", "network": "gcp", "allowed_prefixes": ["10.9.0.0/16"]},
        }
    ],
}


def routing():
    return build(Stack.model_validate(SPEC)).routing


def test_reaches_answers_like_reachable_from() -> None:
    r = routing()
    names = ["a", "b", "ops", "gcp"]
    for src in names:
        everything = r.reachable_from(src)
        for dst in names:
            assert r.reaches(src, dst) == everything.get(dst), (src, dst)


def test_follow_takes_one_route_of_a_tie() -> None:
    r = routing()
    main = r.domains["rt:tgw/main"]
    prefix = ipaddress.ip_network("10.1.0.0/16")
    tie = [route for route in main.routes if route.prefix == prefix]
    assert [route.hop.target for route in tie] == ["a", "b"]
    assert sorted(r.walk("rt:tgw/main", prefix).reached) == ["a", "b"]
    assert [sorted(r.follow("rt:tgw/main", route).reached) for route in tie] == [["a"], ["b"]]
    # a narrower prefix through the same route
    part = ipaddress.ip_network("10.1.4.0/24")
    assert list(r.follow("rt:tgw/main", tie[1], part).reached) == ["b"]


def test_route_reach_finds_the_networks_behind_a_summary() -> None:
    r = routing()
    summary = next(route for route in r.domains["net:gcp"].routes if route.origin == "learned")
    assert str(summary.prefix) == "10.0.0.0/8"
    walk = r.follow("net:gcp", summary)
    assert walk.reached == {} and walk.unrouted == ["rt:tgw/main"]  # no route in the table holds all of 10/8
    assert sorted(r.route_reach("net:gcp", summary)) == ["a", "b", "ops"]
    assert set(r.route_reach("net:gcp", summary, first_only=True)) < {"a", "b", "ops"}  # stops early
    assert r.route_reach("net:gcp", summary)["ops"].links == ("ic",)


def test_attached_domains_are_association_and_propagations() -> None:
    r = routing()
    assert r.attached_domains("ops") == ["rt:tgw/ops", "rt:tgw/main", "rt:tgw/inspect"]
    assert r.attached_domains("a") == ["rt:tgw/main"]
    # a network behind an interconnect takes part in the tables its interconnect's attachment is associated with
    # and propagates into (XC201's "same route table" counts it)
    assert r.attached_domains("gcp") == ["net:gcp", "rt:tgw/main", "rt:tgw/ops"]
    assert r.attached_domains("nope") == []


def test_attached_domains_of_a_cloud_wan_vpc() -> None:
    spec = {
        "name": "wan",
        "networks": [vpc("a", "10.1.0.0/16")],
        "hubs": [{
            "name": "core", "kind": "cloud_wan", "edges": [{"region": "us-east-1"}],
            "segments": [{"name": "prod", "isolate_attachments": True}],
            "attachments": [{"name": "a", "network": "a", "segment": "prod"}],
        }],
    }
    r = build(Stack.model_validate(spec)).routing
    assert r.attached_domains("a") == ["seg-isolated:core/prod", "seg:core/prod"]


def test_describe_names_the_links_crossed_else_the_hub_domains() -> None:
    r = routing()
    assert r.describe(r.reaches("gcp", "ops")) == "interconnect 'ic'"
    assert r.describe(r.reaches("a", "ops")) == "route table 'main' of hub 'tgw'"
    assert r.link_label("ic") == "interconnect 'ic'"
    assert r.link_label("dx") == "link 'dx'"


def test_describe_joins_several_hops() -> None:
    r = routing()
    assert r.describe(Path(None, ("ic", "dx", "dx2"), ())) == "interconnect 'ic', link 'dx' and link 'dx2'"
    assert r.describe(Path(None, (), ("rt:tgw/main", "net:gcp", "rt:tgw/ops"))) == (
        "route table 'main' of hub 'tgw' and route table 'ops' of hub 'tgw'"
    )
