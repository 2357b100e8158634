"""The DNS forwarding model: tables per network, longest-suffix match, where a query goes next, loops, return paths."""

from __future__ import annotations

import copy
import ipaddress
import time

from xcloud_iac.spec import Stack
from xcloud_iac.topology import build
from xcloud_iac.topology.dns import suffixes


def net(name: str, cidr: str, cloud: str = "aws", region: str = "us-east-1", **extra) -> dict:
    subnets = [{"name": "a", "cidr": cidr.replace("0.0/16", "0.0/24"), "zone": "us-east-1a"},
               {"name": "b", "cidr": cidr.replace("0.0/16", "1.0/24"), "zone": "us-east-1b"}] if cloud == "aws" else []
    return {"name": name, "cloud": cloud, "region": region, "cidrs": [cidr], "subnets": subnets, **extra}


# aws (TGW) <-> gcp (interconnect); ali reached over a Direct Connect link.
BASE = {
    "name": "t",
    "networks": [
        net("aws", "10.1.0.0/16"), net("gcp", "10.2.0.0/16", "gcp", "us-east4"),
        net("ali", "172.16.0.0/16", "alibaba", "ap-southeast-1"),
    ],
    "hubs": [{
        "name": "tgw", "kind": "transit_gateway", "region": "us-east-1", "route_tables": [{"name": "main"}],
        "attachments": [
            {"name": "aws", "network": "aws", "subnets": ["a", "b"], "route_table": "main", "propagate_to": ["main"]},
            {"name": "gcp", "interconnect": "ic", "route_table": "main", "propagate_to": ["main"]},
            {"name": "ali", "link": "ali", "route_table": "main", "propagate_to": ["main"]},
        ],
    }],
    "interconnects": [{
        "name": "ic", "bandwidth": "1Gbps",
        "aws": {"region": "us-east-1", "dx_gateway_asn": 64513, "allowed_prefixes": ["10.1.0.0/16"]},
        "gcp": {"region": "us-east4", "project": "example-project", "network": "gcp",
                "allowed_prefixes": ["10.2.0.0/16", "35.199.192.0/19"]},
    }],
    "links": [{
        "name": "ali", "location": "EqSG2", "region": "us-east-1", "bandwidth": "1Gbps",
        "aws": {"dx_gateway_asn": 64514, "allowed_prefixes": ["10.1.0.0/16"]},
        "remote": {"network": "ali", "asn": 65101, "allowed_prefixes": ["172.16.0.0/16"]},
    }],
    "dns": {
        "resolver_endpoints": [
            {"name": "aws-in", "network": "aws", "direction": "inbound",
             "addresses": [{"subnet": "a", "ip": "10.1.0.10"}, {"subnet": "b", "ip": "10.1.1.10"}]},
            {"name": "aws-out", "network": "aws", "direction": "outbound",
             "addresses": [{"subnet": "a"}, {"subnet": "b"}]},
        ],
        "inbound_policies": [{"name": "gcp-in", "network": "gcp", "addresses": ["10.2.0.2"]}],
        "external_forwarders": [{"name": "ali-fwd", "network": "ali", "addresses": ["172.16.0.53"]}],
    },
}


def rule(name: str, domain: str, target: dict, networks=("aws",), endpoint: str = "aws-out") -> dict:
    return {"name": name, "domain": domain, "endpoint": endpoint, "targets": [target], "networks": list(networks)}


def zone(name: str, domain: str, target: dict, networks=("gcp",)) -> dict:
    return {"name": name, "domain": domain, "networks": list(networks), "targets": [target]}


def model(rules=(), zones=(), ali_rules=(), mutate=None):
    spec = copy.deepcopy(BASE)
    spec["dns"]["resolver_rules"] = list(rules)
    spec["dns"]["forwarding_zones"] = list(zones)
    spec["dns"]["external_forwarders"][0]["rules"] = [{"domain": d, "targets": [t]} for d, t in ali_rules]
    if mutate:
        mutate(spec)
    return build(Stack.model_validate(spec)).dns


def cycle(loop) -> list[str]:
    return [s.network for s in loop.steps]


def test_suffixes_walk_label_boundaries() -> None:
    assert list(suffixes("a.corp.example.com")) == ["a.corp.example.com", "corp.example.com", "example.com", "com"]
    assert list(suffixes("localhost")) == ["localhost"]


def test_tables_follow_associations_zone_visibility_and_forwarder_network() -> None:
    fw = model(
        rules=[rule("r", "gcp.example.com", {"resolver": "gcp-in"})],
        zones=[zone("z", "aws.example.com", {"resolver": "aws-in"})],
        ali_rules=[("aws.example.com", {"resolver": "aws-in"})],
    )
    assert {n: sorted(t) for n, t in fw.tables()} == {
        "aws": ["gcp.example.com"], "gcp": ["aws.example.com"], "ali": ["aws.example.com"],
    }
    (r53,) = fw.table("aws")["gcp.example.com"]
    assert (r53.kind, r53.egress, r53.sources()) == ("resolver rule", "aws", ("aws",))
    (ext,) = fw.table("ali")["aws.example.com"]
    assert (ext.kind, ext.field, ext.sources()) == ("external forwarder", ("rules", 0), ("ali",))


def test_route53_queries_leave_from_the_outbound_endpoint_not_the_associated_vpc() -> None:
    def add_vpc(spec):
        spec["networks"].append(net("app", "10.5.0.0/16"))

    fw = model(rules=[rule("r", "gcp.example.com", {"resolver": "gcp-in"}, networks=["app"])], mutate=add_vpc)
    (fwd,) = fw.forwarders
    assert fwd.networks == ("app",) and fwd.sources() == ("aws",)
    assert fw.table("aws") == {}


def test_longest_suffix_wins_and_a_parent_rule_covers_subdomains() -> None:
    fw = model(rules=[
        rule("parent", "example.com", {"resolver": "gcp-in"}),
        rule("child", "a.example.com", {"resolver": "ali-fwd"}),
    ])

    def decided(qname: str) -> list[str]:
        return [f.obj.name for f in fw.decide("aws", qname)]

    assert decided("x.a.example.com") == ["child"]
    assert decided("a.example.com") == ["child"]
    assert decided("b.example.com") == ["parent"]
    assert decided("example.org") == []
    assert decided("notexample.com") == []  # suffixes are whole labels


def test_private_zones_answer_when_more_specific_and_lose_on_a_tie() -> None:
    def zones(spec):
        spec["networks"][0]["private_zones"] = ["example.com", "in.corp.example.com"]

    fw = model(rules=[rule("corp", "corp.example.com", {"resolver": "gcp-in"}),
                      rule("example", "example.com", {"resolver": "gcp-in"})], mutate=zones)
    assert [f.obj.name for f in fw.decide("aws", "x.corp.example.com")] == ["corp"]
    assert fw.decide("aws", "x.in.corp.example.com") == []  # the more specific private zone answers
    assert [f.obj.name for f in fw.decide("aws", "example.com")] == ["example"]  # tie: forwarding wins


def test_destinations_by_name_by_address_and_unknown() -> None:
    fw = model(rules=[{
        "name": "r", "domain": "example.com", "endpoint": "aws-out", "networks": ["aws"],
        "targets": [{"resolver": "gcp-in"}, {"ip": "172.16.0.53"}, {"ip": "172.16.9.9"}, {"ip": "192.0.2.1"}],
    }])
    by_name, by_address, unknown_server, unowned = fw.forwarders[0].destinations
    assert (by_name.resolver.name, by_name.networks, by_name.addresses) == (
        "gcp-in", ("gcp",), (ipaddress.ip_address("10.2.0.2"),))
    assert (by_address.resolver.name, by_address.networks) == ("ali-fwd", ("ali",))
    assert (unknown_server.resolver, unknown_server.networks) == (None, ("ali",))
    assert (unowned.resolver, unowned.networks) == (None, ())
    # only declared resolvers forward further: an unknown server ends the query
    assert [(nxt, step.destination.index) for nxt, step in fw.next_hops("aws", "a.example.com")] == [
        ("ali", 1), ("gcp", 0)]


def test_direct_parent_and_three_hop_loops() -> None:
    direct = model(rules=[rule("r", "corp.example.com", {"resolver": "gcp-in"})],
                   zones=[zone("z", "corp.example.com", {"resolver": "aws-in"})]).loops()
    assert [(lp.domain, cycle(lp)) for lp in direct] == [("corp.example.com", ["aws", "gcp"])]

    parent = model(rules=[rule("r", "a.corp.example.com", {"resolver": "gcp-in"})],
                   zones=[zone("z", "corp.example.com", {"ip": "10.1.0.10"})]).loops()
    assert [(lp.domain, cycle(lp), [s.forwarder.domain for s in lp.steps]) for lp in parent] == [
        ("a.corp.example.com", ["aws", "gcp"], ["a.corp.example.com", "corp.example.com"])]

    three = model(rules=[rule("r", "corp.example.com", {"resolver": "ali-fwd"})],
                  zones=[zone("z", "corp.example.com", {"resolver": "aws-in"})],
                  ali_rules=[("corp.example.com", {"resolver": "gcp-in"})]).loops()
    assert [cycle(lp) for lp in three] == [["ali", "gcp", "aws"]]  # smallest network first


def test_no_loop_for_a_chain_or_for_different_domains() -> None:
    chain = model(rules=[rule("r", "corp.example.com", {"resolver": "ali-fwd"})],
                  ali_rules=[("corp.example.com", {"resolver": "gcp-in"})])
    assert chain.loops() == []
    assert [nxt for nxt, _ in chain.next_hops("ali", "x.corp.example.com")] == ["gcp"]
    assert chain.next_hops("gcp", "x.corp.example.com") == []
    siblings = model(rules=[rule("r", "gcp.example.com", {"resolver": "gcp-in"})],
                     zones=[zone("z", "aws.example.com", {"resolver": "aws-in"})])
    assert siblings.loops() == []


def test_a_loop_is_reported_once_whichever_domain_finds_it() -> None:
    # corp.example.com loops; a.corp.example.com (a rule on a network outside the loop) meets the same forwarders
    def add_vpc(spec):
        spec["networks"].append(net("app", "10.5.0.0/16"))

    fw = model(rules=[rule("r", "corp.example.com", {"resolver": "gcp-in"}),
                      rule("a", "a.corp.example.com", {"resolver": "gcp-in"}, networks=["app"])],
               zones=[zone("z", "corp.example.com", {"resolver": "aws-in"})], mutate=add_vpc)
    assert [(lp.domain, cycle(lp)) for lp in fw.loops()] == [("corp.example.com", ["aws", "gcp"])]


def test_return_path_for_cloud_dns_follows_the_interconnect_advertisements() -> None:
    assert model().returns_to_google("aws", "gcp")

    def withdraw(spec):
        spec["interconnects"][0]["gcp"]["allowed_prefixes"] = ["10.2.0.0/16"]

    assert not model(mutate=withdraw).returns_to_google("aws", "gcp")


def test_model_is_built_once_per_topology() -> None:
    topo = build(Stack.model_validate(BASE))
    assert topo.dns is topo.dns


def test_organisation_scale_is_fast() -> None:
    """3000 networks in a forwarding ring per domain family, 6000 forwarders: loops and tables in well under a
    second each way (a pairwise or every-chain search would take minutes)."""
    n = 3000
    networks = [net(f"n{i}", f"10.{i // 250}.{i % 250}.0/24", "onprem", "dc") for i in range(n)]
    forwarders = [
        {"name": f"f{i}", "network": f"n{i}", "addresses": [f"10.{i // 250}.{i % 250}.53"],
         "rules": [
             # a ring: every network forwards ring.example.com to the next one, the last back to the first
             {"domain": "ring.example.com", "targets": [{"resolver": f"f{(i + 1) % n}"}]},
             # a chain per network for its own domain, ending at a network without a rule
             {"domain": f"d{i}.example.org", "targets": [{"resolver": f"f{(i + 1) % n}"}]},
         ]}
        for i in range(n)
    ]
    spec = {"name": "org", "networks": networks, "dns": {"external_forwarders": forwarders}}
    topo = build(Stack.model_validate(spec))
    start = time.perf_counter()
    loops = topo.dns.loops()
    elapsed = time.perf_counter() - start
    assert [(lp.domain, len(lp.steps), lp.steps[0].network) for lp in loops] == [("ring.example.com", n, "n0")]
    assert elapsed < 5, f"loop search took {elapsed:.1f}s"
