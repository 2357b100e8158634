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
