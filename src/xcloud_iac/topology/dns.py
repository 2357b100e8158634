"""The DNS forwarding model: which network forwards a query where, and where the query is resolved next.

Every forwarding decision in the spec is a `Forwarder`: a Route 53 Resolver rule, a Cloud DNS forwarding zone, or
one rule of an external forwarder (e.g. Alibaba PrivateZone). A forwarder decides the queries of the networks that
see it (`networks`):
- a Route 53 rule: the VPCs it is associated with; the forwarded query leaves from its outbound endpoint's VPC;
- a Cloud DNS forwarding zone: the networks that see the zone; the query leaves from the querying network;
- an external forwarder rule: the forwarder's network.

A network forwards a query by the longest-suffix match over the forwarders it sees (a rule for example.com covers
a.example.com). A private zone of the network that is more specific than every matching forwarder answers the query
in the network; on a tie the forwarder wins (Route 53 gives forwarding rules precedence, and XC403 warns).

A query forwarded to a declared resolver (by name, or by one of its addresses) is resolved next in the resolver's
network, with that network's forwarding: a Route 53 inbound endpoint answers with its VPC's rules, a Cloud DNS
inbound policy with its network's zones. A target address that is no declared resolver is a server whose forwarding
the spec does not describe: the query ends there.

Lookups walk the query's suffixes through a domain-keyed table per network, so nothing compares forwarders pairwise;
loop search is one colouring depth-first search per forwarded domain (see `Forwarding.loops`).
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..spec import catalog
from ..spec import models as m

if TYPE_CHECKING:  # the topology is built before it is routed: build imports this module, not the reverse
    from .build import Resolver, Topology

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, eq=False)
class Destination:
    """One target of a forwarder, resolved against the topology."""

    index: int  # position in the forwarder's targets
    spec: m.ForwardTarget
    resolver: Resolver | None  # the declared resolver it names, or whose address it is
    networks: tuple[str, ...]  # where the query arrives: the resolver's network, or the networks owning the address
    addresses: tuple[IPAddress, ...]  # the addresses queries are sent to (a named resolver's, or the literal one)
    ranges: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()  # where allocated addresses come from

    @property
    def label(self) -> str:
        if self.resolver is None:
            return str(self.spec.ip) if self.spec.ip is not None else f"resolver '{self.spec.resolver}'"
        kind = self.resolver.kind.replace("_", " ")
        at = f" {self.spec.ip}" if self.spec.ip is not None else ""
        return f"{kind} '{self.resolver.name}'{at}"

    def key(self) -> frozenset[tuple[str, int]]:
        """What the target sends queries to, whichever way it is written: (address or resolver name, port)."""
        names = [str(a) for a in self.addresses] or [str(r) for r in self.ranges] or [self.label]
        return frozenset((n, self.spec.port) for n in names)


@dataclass(frozen=True, eq=False)
class Forwarder:
    """One forwarding decision: queries for `domain` (and its subdomains) from `networks` go to `destinations`."""

    kind: str  # "resolver rule" | "forwarding zone" | "external forwarder"
    obj: m.ResolverRule | m.ForwardingZone | m.ExternalForwarder
    domain: str
    field: tuple[str | int, ...]  # where domain and targets are inside obj: () or ("rules", j)
    networks: tuple[str, ...]  # declared networks whose queries it decides
    egress: str | None  # network the forwarded queries leave from, when it is not the deciding network (Route 53)
    destinations: tuple[Destination, ...]

    @property
    def label(self) -> str:
        return f"{self.kind} '{self.obj.name}'"

    def target_field(self, dest: Destination) -> tuple[str | int, ...]:
        return (*self.field, "targets", dest.index)

    def network_field(self, network: str) -> tuple[str | int, ...]:
        """The field that makes `network` see this forwarder (for an external forwarder: its rule)."""
        if isinstance(self.obj, m.ExternalForwarder):
            return (*self.field, "domain")
        return ("networks", self.obj.networks.index(network))

    def sources(self) -> tuple[str, ...]:
        """Networks the forwarded queries leave from (and must reach the targets from)."""
        if isinstance(self.obj, m.ResolverRule):
            return (self.egress,) if self.egress else ()
        return self.networks


@dataclass(frozen=True)
class Step:
    """One hop of a forwarded query: `network` uses `forwarder` to send it to `destination`."""

    network: str
    forwarder: Forwarder
    destination: Destination


@dataclass(frozen=True)
class DnsLoop:
    """Queries for `domain` go round: each step's destination is in the next step's network (the last: the first's)."""

    domain: str
    steps: tuple[Step, ...]


def suffixes(domain: str) -> Iterator[str]:
    """The domain and its parents, longest first: a.b.c, b.c, c."""
    yield domain
    dot = domain.find(".")
    while dot != -1:
        yield domain[dot + 1 :]
        dot = domain.find(".", dot + 1)


class Forwarding:
    def __init__(self, topo: Topology) -> None:
        self.topo = topo
        self.forwarders: list[Forwarder] = []
        self._by_domain: dict[str, list[Forwarder]] = defaultdict(list)
        self._tables: dict[str, dict[str, list[Forwarder]]] = defaultdict(dict)  # network -> domain -> forwarders
        self._zones = {net.name: frozenset(net.private_zones) for net in topo.networks.values()}
        self._by_address: dict[IPAddress, Resolver] = {}
        for res in topo.resolvers.values():
            for addr in res.addresses:
                self._by_address.setdefault(addr, res)
        self._build()

    def _build(self) -> None:
        topo, dns = self.topo, self.topo.spec.dns
        declared = topo.networks
        for rule in dns.resolver_rules:
            ep = topo.endpoints.get(rule.endpoint)
            egress = ep.network if ep is not None and ep.direction == "outbound" and ep.network in declared else None
            self._add("resolver rule", rule, rule.domain, (), rule.targets, rule.networks, egress)
        for zone in dns.forwarding_zones:
            self._add("forwarding zone", zone, zone.domain, (), zone.targets, zone.networks, None)
        for fwd in dns.external_forwarders:
            for j, fwd_rule in enumerate(fwd.rules):
                self._add("external forwarder", fwd, fwd_rule.domain, ("rules", j), fwd_rule.targets, [fwd.network],
                          None)

    def _add(
        self, kind: str, obj: m.ResolverRule | m.ForwardingZone | m.ExternalForwarder, domain: str, fld: tuple[str | int, ...], targets: list[m.ForwardTarget],
        networks: list[str], egress: str | None,
    ) -> None:
        nets = tuple(dict.fromkeys(n for n in networks if n in self.topo.networks))
        dests = tuple(self._destination(i, t) for i, t in enumerate(targets))
        fwd = Forwarder(kind, obj, domain, fld, nets, egress, dests)
        self.forwarders.append(fwd)
        self._by_domain[domain].append(fwd)
        for net in nets:
            self._tables[net].setdefault(domain, []).append(fwd)

    def _destination(self, index: int, target: m.ForwardTarget) -> Destination:
        if target.resolver is not None:
            res = self.topo.resolvers.get(target.resolver)
            if res is None:  # undeclared: XC101's finding
                return Destination(index, target, None, (), ())
            return Destination(index, target, res, (res.network,), res.addresses, res.ranges)
        assert target.ip is not None
        res = self._by_address.get(target.ip)
        networks = (res.network,) if res is not None else tuple(self.topo.owner_of(target.ip))
        return Destination(index, target, res, networks, (target.ip,))

    # ------------------------------------------------------------ queries

    def table(self, network: str) -> dict[str, list[Forwarder]]:
        """The forwarding table of a network: domain -> the forwarders (in spec order) it sees for that domain."""
        return self._tables.get(network, {})

    def tables(self) -> Iterator[tuple[str, dict[str, list[Forwarder]]]]:
        """Every network that forwards something, in declaration order, with its table."""
        return ((net, self._tables[net]) for net in self.topo.networks if net in self._tables)

    def decide(self, network: str, qname: str) -> list[Forwarder]:
        """The forwarders `network` sends a query for `qname` with; [] when the network answers it itself."""
        table, zones = self._tables.get(network, {}), self._zones.get(network, frozenset())
        for suffix in suffixes(qname):
            if suffix in table:  # checked before the zone: on the same name, forwarding wins
                return table[suffix]
            if suffix in zones:
                return []
        return []

    def next_hops(self, network: str, qname: str) -> list[tuple[str, Step]]:
        """Where `network` sends a query for `qname`: (next network, step), sorted, one per next network and
        forwarder. The next network resolves the query with its own forwarding."""
        hops: dict[tuple[str, int], tuple[str, Step]] = {}
        for fwd in self.decide(network, qname):
            for dest in fwd.destinations:
                if dest.resolver is None:  # an address the spec describes no forwarding for: resolved there
                    continue
                for nxt in dest.networks:
                    hops.setdefault((nxt, id(fwd)), (nxt, Step(network, fwd, dest)))
        return sorted(hops.values(), key=lambda h: h[0])

    def loops(self) -> list[DnsLoop]:
        """Forwarding loops, each once, the smallest network name first.

        A query for q.example.com meets exactly the forwarders of the forwarded domains that are suffixes of it, so
        every query behaves like the longest forwarded domain it ends with (private zones only stop queries):
        searching each forwarded domain finds every loop. A loop for a domain uses a forwarder of exactly that
        domain, or it is a parent domain's loop already found, so the search for a domain starts only at the
        networks that see one of its forwarders. Each search is an iterative depth-first colouring; every back edge
        is one cycle. So the work is linear in the forwarding steps examined, not in the chains from every network.
        """
        found: list[DnsLoop] = []
        seen: set[frozenset[tuple[str, int]]] = set()
        # parents first: a loop that a subdomain's query also meets is reported under the parent
        for domain in sorted(self._by_domain, key=lambda d: (d.count("."), d)):
            for cycle in self._cycles(domain):
                key = frozenset((s.network, id(s.forwarder)) for s in cycle)
                if key not in seen:
                    seen.add(key)
                    first = min(range(len(cycle)), key=lambda i: cycle[i].network)
                    found.append(DnsLoop(domain, tuple(cycle[first:] + cycle[:first])))
        return found

    def _cycles(self, qname: str) -> Iterator[list[Step]]:
        done: set[str] = set()
        starts = sorted({n for fwd in self._by_domain[qname] for n in fwd.networks})
        for start in starts:
            if start in done:
                continue
            # the current path: networks, the position of each, the step taken out of each, and unexplored hops
            path, position = [start], {start: 0}
            taken: list[Any] = []
            pending = [iter(self.next_hops(start, qname))]
            while pending:
                hop = next(pending[-1], None)
                if hop is None:  # every hop explored: the network is done
                    node = path.pop()
                    del position[node]
                    done.add(node)
                    pending.pop()
                    if taken:
                        taken.pop()
                    continue
                nxt, step = hop
                if nxt in position:  # back edge: the path from nxt, plus this step, is a loop
                    yield [*taken[position[nxt] :], step]
                elif nxt not in done:
                    position[nxt] = len(path)
                    path.append(nxt)
                    taken.append(step)
                    pending.append(iter(self.next_hops(nxt, qname)))

    # ------------------------------------------------------------ reachability of resolvers

    def returns_to_google(self, network: str, google: str) -> bool:
        """Whether replies from `network` to Cloud DNS's forwarding source (35.199.192.0/19) are routed to the
        Google network `google`. Google answers that range inside the network, so a walk that arrives at the
        network's routing domain and goes no further (`unrouted`) has its return path."""
        routing = self.topo.routing
        for dom in routing.source_domains(network):
            walk = routing.walk(dom, catalog.CLOUD_DNS_FORWARDING_SOURCE)
            if google in walk.reached or f"net:{google}" in walk.unrouted:
                return True
        return False
