"""The data plane the routing model asks for: routes inside the AWS networks towards their hubs, and which peer
ranges each Google network admits. One answer, read by the program (which builds the resources) and by the tests
that hold the plan against the model.

- An AWS VPC sends to a hub what the hub's domain (its attachment's route table or segment) routes somewhere: each
  non-local route of the domain whose walk reaches another network, or arrives at the network that advertised it
  over a link and is answered there (35.199.192.0/19, where Cloud DNS forwarding comes from, is one: Google answers
  it inside the network). Prefixes inside the VPC's own ranges stay local (AWS refuses a route that shadows the
  local one), blackholed and unrouted prefixes get no route (the VPC does not send what the hub drops). A VPC
  attached to two hubs sends a prefix that both route to the first one (attachment order), as `reachable_from`
  reads the model.
- Those prefixes are summarised, exactly: prefixes that go to the same hub and together make up a shorter prefix
  become one route (ipaddress.collapse_addresses), so a table of many VPCs on consecutive ranges costs a few routes
  rather than one per VPC ('Routes per route table' defaults to 50). A summary never changes where a packet goes:
  it covers exactly the addresses of what it replaces, and it is not used where a route to another hub lies inside
  it. A summary may cover the VPC's own range (its local route is more specific and still wins); one inside that
  range is dropped. For a VPC behind one hub domain the summary is the domain's, computed once and shared.
- A Google network admits, on its declared `peer_ingress` ports, the ranges of every network that reaches it.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from ..spec import models as m
from .build import Topology
from .routing import Routing

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class VpcRoute:
    """A route in the route tables of an AWS network: `prefix` goes to `hub` (whose domain is `domain`)."""

    network: str
    prefix: IPNetwork
    hub: str
    domain: str


def hub_of(domain: str) -> str:
    """The hub of a hub domain id: 'rt:<hub>/<table>', 'seg:<core>/<segment>', 'seg-isolated:<core>/<segment>'."""
    return domain.split(":", 1)[1].split("/", 1)[0]


def vpc_routes(topo: Topology, network: str) -> list[VpcRoute]:
    """The routes an AWS network's route tables need towards its hubs, summarised, sorted by (version, prefix)."""
    net = topo.networks.get(network)
    if net is None or net.cloud is not m.Cloud.aws:
        return []
    shared = _shared_summary(topo, network)
    if shared is not None:
        dom, prefixes = shared
        return [VpcRoute(network, p, hub_of(dom), dom) for p in prefixes]
    return _summarised(_per_prefix(topo, net))


def vpc_route_count(topo: Topology, network: str) -> int:
    """len(vpc_routes(topo, network)), without building them for a network behind one hub domain (the usual case;
    rules ask for every network of an organisation)."""
    net = topo.networks.get(network)
    if net is None or net.cloud is not m.Cloud.aws:
        return 0
    shared = _shared_summary(topo, network)
    return len(shared[1]) if shared is not None else len(vpc_routes(topo, network))


def _per_prefix(topo: Topology, net: m.Network) -> list[VpcRoute]:
    """One route per prefix the network's hub domains carry elsewhere (see the module docstring)."""
    routing = topo.routing
    own = [_span(c) for c in net.cidrs]
    out: dict[IPNetwork, VpcRoute] = {}
    for dom in routing.source_domains(net.name):
        hub = hub_of(dom)
        for prefix, (version, start, end), reached, answered in _carried(routing, dom):
            if prefix in out or any(v == version and s <= start and end <= e for v, s, e in own):
                continue  # a prefix inside the VPC's own ranges stays local
            if answered or len(reached) > 1 or (reached and net.name not in reached):
                out[prefix] = VpcRoute(net.name, prefix, hub, dom)
    return list(out.values())


def _summarised(routes: list[VpcRoute]) -> list[VpcRoute]:
    """The routes with each hub domain's prefixes collapsed, except where a route to another domain lies inside a
    summary (it would then no longer be the most specific match for part of what it carried)."""
    by_domain: dict[tuple[str, int], list[VpcRoute]] = defaultdict(list)
    for route in routes:
        by_domain[(route.domain, route.prefix.version)].append(route)
    out: list[VpcRoute] = []
    for (dom, _version), group in by_domain.items():
        others = [_span(r.prefix) for r in routes if r.domain != dom]
        for summary in ipaddress.collapse_addresses([r.prefix for r in group]):  # type: ignore[type-var]
            version, start, end = _span(summary)
            if any(v == version and start <= s and e <= end for v, s, e in others):
                out += [r for r in group if r.prefix.subnet_of(summary)]  # type: ignore[arg-type]
            else:
                out.append(VpcRoute(group[0].network, summary, hub_of(dom), dom))
    return sorted(out, key=lambda r: _span(r.prefix))


def _shared_summary(topo: Topology, network: str) -> tuple[str, list[IPNetwork]] | None:
    """For a network behind exactly one hub domain, the domain's summary less what lies inside the network's own
    ranges; None when the network needs its own (two domains, or a prefix of the domain that reaches this network
    alone and lies outside its ranges, which it must not send to the hub)."""
    routing = topo.routing
    domains = routing.source_domains(network)
    if len(domains) != 1:
        return None
    summary, self_only = _domain_summary(routing, domains[0])
    own = [_span(c) for c in topo.networks[network].cidrs]
    inside = lambda span: any(v == span[0] and s <= span[1] and span[2] <= e for v, s, e in own)  # noqa: E731
    if any(not inside(span) for span in self_only.get(network, ())):
        return None
    return domains[0], [p for p, span in summary if not inside(span)]


_Span = tuple[int, int, int]  # (version, first address, last address), see _span
# per routing model: domain -> (its summary with spans, sorted; network -> spans of the prefixes reaching it alone)
_DomainSummary = tuple[list[tuple[IPNetwork, _Span]], dict[str, list[_Span]]]
_SUMMARY: WeakKeyDictionary[Routing, dict[str, _DomainSummary]] = WeakKeyDictionary()


def _domain_summary(routing: Routing, dom: str) -> _DomainSummary:
    """The collapsed prefixes a domain carries to some network (with their spans, sorted), and for each network
    the spans of the prefixes that reach it alone (it sends those nowhere). Once per domain."""
    memo = _SUMMARY.setdefault(routing, {})
    found = memo.get(dom)
    if found is None:
        routed: dict[int, list[IPNetwork]] = defaultdict(list)
        self_only: dict[str, list[_Span]] = defaultdict(list)
        for prefix, span, reached, answered in _carried(routing, dom):
            if answered or reached:
                routed[prefix.version].append(prefix)
            if not answered and len(reached) == 1:
                self_only[next(iter(reached))].append(span)
        summary = [(p, _span(p)) for v in sorted(routed) for p in ipaddress.collapse_addresses(routed[v])]  # type: ignore[type-var]
        found = memo[dom] = (sorted(summary, key=lambda item: item[1]), dict(self_only))
    return found


# per routing model: domain -> (prefix, networks its walk reaches, whether it arrives at a network that answers it)
_Carried = tuple[IPNetwork, tuple[int, int, int], frozenset[str], bool]
_CARRIED: WeakKeyDictionary[Routing, dict[str, list[_Carried]]] = WeakKeyDictionary()


def _span(prefix: IPNetwork) -> tuple[int, int, int]:
    """(version, first, last address) as integers: containment without ipaddress's slow comparisons."""
    start = int(prefix.network_address)
    return prefix.version, start, start | ((1 << (prefix.max_prefixlen - prefix.prefixlen)) - 1)


def _carried(routing: Routing, dom: str) -> list[_Carried]:
    """The non-local route prefixes of a domain with where their walks end: computed once per domain, shared by the
    VPCs attached to it (a Transit Gateway table serves hundreds)."""
    memo = _CARRIED.setdefault(routing, {})
    found = memo.get(dom)
    if found is None:
        found, seen = [], set()
        for route in routing.domains[dom].routes:
            if route.origin == "local" or route.prefix in seen:
                continue
            seen.add(route.prefix)
            walk = routing.walk(dom, route.prefix)
            answered = any(d.startswith("net:") for d in walk.unrouted)
            found.append((route.prefix, _span(route.prefix), frozenset(walk.reached), answered))
        memo[dom] = found
    return found


def reaching(topo: Topology) -> dict[str, set[str]]:
    """Network -> the other networks whose traffic the routing model delivers to it. Asked per source domain (a
    route table, a segment, a Google or external network), so each domain's reach is computed once."""
    routing = topo.routing
    sources: dict[str, list[str]] = defaultdict(list)
    for name in topo.networks:
        for dom in routing.source_domains(name):
            sources[dom].append(name)
    out: dict[str, set[str]] = defaultdict(set)
    for dom, names in sources.items():
        for dest in routing.reached_names(dom):
            out[dest].update(n for n in names if n != dest)
    return out


def peer_ranges(topo: Topology, network: str, reached_by: dict[str, set[str]] | None = None) -> list[IPNetwork]:
    """The ranges of the networks that reach `network`, sorted by (version, prefix), without duplicates: of each
    such peer, its ranges of the IP versions in which it reaches the network (a VPC that reaches a Google network
    over IPv4 only sends it nothing from its IPv6 range)."""
    by = reaching(topo) if reached_by is None else reached_by
    routing = topo.routing
    own = topo.networks[network].cidrs
    ranges: set[IPNetwork] = set()
    for peer in by.get(network, ()):
        domains = routing.source_domains(peer)
        versions = {c.version for c in own if any(network in routing.walk(d, c).reached for d in domains)}
        if not versions:  # reached through a part of its ranges only (a longer allow-list prefix)
            versions = {p.version for d in domains for r in routing.domains[d].routes
                        if r.origin != "local" for p in own if r.prefix.version == p.version
                        and r.prefix.subnet_of(p) and network in routing.walk(d, r.prefix).reached}  # type: ignore[arg-type]
        ranges.update(c for c in topo.networks[peer].cidrs if c.version in versions)
    return sorted(ranges, key=lambda p: (p.version, p))

