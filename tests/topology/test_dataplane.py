"""topology.dataplane: the VPC routes and peer ranges the routing model asks for."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from xcloud_iac import synth
from xcloud_iac.spec import load, load_text
from xcloud_iac.topology import build, dataplane

STACKS = Path(__file__).parents[2] / "stacks"


def test_dr_pair_routes_the_google_range_and_the_cloud_dns_source_to_the_hub() -> None:
    topo = build(load(STACKS / "dr-pair.yaml"))
    routes = dataplane.vpc_routes(topo, "aws-prod")
    assert [(str(r.prefix), r.hub, r.domain) for r in routes] == [
        ("10.20.0.0/16", "tgw-use1", "rt:tgw-use1/prod"), ("35.199.192.0/19", "tgw-use1", "rt:tgw-use1/prod")]
    assert dataplane.vpc_routes(topo, "gcp-dr") == []  # Google's side is routed by the peering, not by us
    assert [str(p) for p in dataplane.peer_ranges(topo, "gcp-dr")] == ["10.10.0.0/16"]


TEXT = """
name: t
networks:
  - {name: a, cloud: aws, region: us-east-1, cidrs: [10.1.0.0/16], subnets: [{name: s, cidr: 10.1.0.0/24, zone: us-east-1a}]}
  - {name: b, cloud: aws, region: us-east-1, cidrs: [10.2.0.0/16], subnets: [{name: s, cidr: 10.2.0.0/24, zone: us-east-1a}]}
  - {name: c, cloud: aws, region: us-east-1, cidrs: [10.3.0.0/16], subnets: [{name: s, cidr: 10.3.0.0/24, zone: us-east-1a}]}
hubs:
  - name: tgw
    kind: transit_gateway
    region: us-east-1
    route_tables:
      - name: main
        routes:
          - {prefix: 10.0.0.0/8, blackhole: true}
          - {prefix: 10.1.128.0/17, attachment: b}
    attachments:
      - {name: a, network: a, subnets: [s], route_table: main, propagate_to: [main]}
      - {name: b, network: b, subnets: [s], route_table: main, propagate_to: [main]}
      - {name: c, network: c, subnets: [s], route_table: main}
"""


def test_blackholes_own_ranges_and_unrouted_prefixes_get_no_vpc_route() -> None:
    topo = build(load_text(TEXT, "t.yaml"))
    got = {n: [str(r.prefix) for r in dataplane.vpc_routes(topo, n)] for n in ("a", "b", "c")}
    # a: 10.1.128.0/17 lies in its own range (stays local); 10.0.0.0/8 is a blackhole; b's range goes to the hub.
    # c (associated, propagating nowhere): the static 10.1.128.0/17 goes to b, which does not own it (a route to
    # nowhere, XC303), so c sends it nothing of its own either
    assert got == {"a": ["10.2.0.0/16"], "b": ["10.1.0.0/16"], "c": ["10.1.0.0/16", "10.2.0.0/16"]}
    assert dataplane.peer_ranges(topo, "a") == [ipaddress.ip_network("10.2.0.0/16"),
                                                 ipaddress.ip_network("10.3.0.0/16")]


def test_route_counts_agree_with_the_routes_on_a_synthetic_organisation() -> None:
    topo = build(synth.generate(200, seed=4).stack())
    for name in sorted(topo.networks):
        assert dataplane.vpc_route_count(topo, name) == len(dataplane.vpc_routes(topo, name)), name


# ---------------------------------------------------------------- summarised routes

def _next_hop(routes, own, address) -> str | None:
    """Where a VPC sends `address`: 'local' inside its own ranges (the local route is the most specific there),
    else the domain of the longest route that holds it, else nowhere."""
    if any(address.version == c.version and address in c for c in own):
        return "local"
    holding = [r for r in routes if r.prefix.version == address.version and address in r.prefix]
    return max(holding, key=lambda r: r.prefix.prefixlen).domain if holding else None


def _probes(prefixes):
    """The addresses where a change of route would show: each prefix's first and last address and their
    neighbours outside it."""
    out = set()
    for p in prefixes:
        first, last = int(p.network_address), int(p.broadcast_address)
        top = (1 << p.max_prefixlen) - 1
        out |= {ipaddress.ip_address(a) if p.version == 4 else ipaddress.IPv6Address(a)
                for a in (first, last, first - 1, last + 1) if 0 <= a <= top}
    return out


def _same_forwarding(topo, name) -> None:
    net = topo.networks[name]
    per_prefix = dataplane._per_prefix(topo, net)
    summarised = dataplane.vpc_routes(topo, name)
    probes = _probes([r.prefix for r in per_prefix + summarised] + list(net.cidrs))
    for address in sorted(probes, key=lambda a: (a.version, a)):
        assert _next_hop(summarised, net.cidrs, address) == _next_hop(per_prefix, net.cidrs, address), (name, address)


def test_summarised_routes_send_every_address_where_one_route_per_prefix_would() -> None:
    for size, seed in [(300, 0), (300, 3), (120, 9)]:
        topo = build(synth.generate(size, seed=seed).stack())
        aws = sorted(n for n, net in topo.networks.items() if net.cloud.value == "aws" and dataplane.vpc_routes(topo, n))
        assert aws
        for name in aws[::7]:
            _same_forwarding(topo, name)
    for stack in sorted(STACKS.glob("*.yaml")):
        topo = build(load(stack))
        for name, net in topo.networks.items():
            if net.cloud.value == "aws":
                _same_forwarding(topo, name)


CONSECUTIVE = """
name: t
networks:
""" + "".join(
    f"  - {{name: n{i}, cloud: aws, region: us-east-1, cidrs: [10.{i}.0.0/16], "
    f"subnets: [{{name: s, cidr: 10.{i}.0.0/24, zone: us-east-1a}}]}}\n" for i in range(8)
) + """
hubs:
  - name: tgw
    kind: transit_gateway
    region: us-east-1
    route_tables: [{name: main}]
    attachments:
""" + "".join(
    f"      - {{name: n{i}, network: n{i}, subnets: [s], route_table: main, propagate_to: [main]}}\n" for i in range(8)
)


def test_vpcs_on_consecutive_ranges_cost_one_route_each_not_one_per_peer() -> None:
    topo = build(load_text(CONSECUTIVE, "t.yaml"))
    for i in range(8):
        # the table carries 10.0.0.0/16 .. 10.7.0.0/16: one summary, which also covers the VPC's own range
        assert [str(r.prefix) for r in dataplane.vpc_routes(topo, f"n{i}")] == ["10.0.0.0/13"]
        assert dataplane.vpc_route_count(topo, f"n{i}") == 1
        assert len(dataplane._per_prefix(topo, topo.networks[f"n{i}"])) == 7
        _same_forwarding(topo, f"n{i}")


EDGES = """
name: t
networks:
  - {name: a, cloud: aws, region: us-east-1, cidrs: [10.1.0.0/16], subnets: [{name: s, cidr: 10.1.0.0/24, zone: us-east-1a}]}
  - {name: b, cloud: aws, region: us-east-1, cidrs: [10.2.0.0/16], subnets: [{name: s, cidr: 10.2.0.0/24, zone: us-east-1a}]}
  - {name: c, cloud: aws, region: us-east-1, cidrs: [10.3.0.0/16], subnets: [{name: s, cidr: 10.3.0.0/24, zone: us-east-1a}]}
hubs:
  - name: tgw
    kind: transit_gateway
    region: us-east-1
    route_tables:
      - name: main
        routes:
          - {prefix: 10.9.0.0/16, attachment: b}
          - {prefix: 10.0.0.0/15, attachment: a}
    attachments:
      - {name: a, network: a, subnets: [s], route_table: main, propagate_to: [main]}
      - {name: b, network: b, subnets: [s], route_table: main, propagate_to: [main]}
      - {name: c, network: c, subnets: [s], route_table: main}
"""


def test_what_reaches_nowhere_or_only_the_network_itself_stays_out_of_its_summary() -> None:
    # 10.9.0.0/16 goes to b, which does not own it: nobody sends it. 10.0.0.0/15 goes to a: the others send it,
    # a does not (it would come straight back), although it holds more than a's own range
    topo = build(load_text(EDGES, "t.yaml"))
    got = {n: [str(r.prefix) for r in dataplane.vpc_routes(topo, n)] for n in "abc"}
    assert got == {"a": ["10.2.0.0/16"], "b": ["10.0.0.0/15"], "c": ["10.0.0.0/15", "10.2.0.0/16"]}
    for name in "abc":
        _same_forwarding(topo, name)
        assert dataplane.vpc_route_count(topo, name) == len(got[name])


def test_a_route_to_another_hub_inside_a_summary_keeps_what_it_would_swallow() -> None:
    def route(prefix, domain):
        return dataplane.VpcRoute("n", ipaddress.ip_network(prefix), dataplane.hub_of(domain), domain)

    quarters = [route(f"10.0.0.{q}/26", "rt:a/main") for q in (0, 64, 128, 192)]
    half = route("10.0.0.0/25", "rt:b/main")
    got = dataplane._summarised([*quarters, half])
    # collapsing the quarters to 10.0.0.0/24 would hand 10.0.0.0/26 and 10.0.0.64/26 to hub b's /25
    assert sorted((str(r.prefix), r.domain) for r in got) == sorted(
        [(str(r.prefix), r.domain) for r in quarters] + [("10.0.0.0/25", "rt:b/main")])
    assert [str(r.prefix) for r in dataplane._summarised(quarters)] == ["10.0.0.0/24"]
