"""The routing model: forwarding domains, their effective routes, and where traffic for a prefix ends up.

A forwarding domain is a place where a longest-prefix-match decision is taken:
- a Transit Gateway route table (`rt:<hub>/<table>`): routes propagated from attachments that propagate into it,
  plus its static and blackhole routes;
- a Cloud WAN segment (`seg:<core>/<segment>`): the routes of every attachment in the segment and in the segments
  it shares with (`seg-isolated:` is the view of a VPC in a segment whose attachments are isolated);
- a Google or external network (`net:<name>`): its own ranges, plus what it learns over its interconnects and links.
An AWS VPC sends everything that is not local to the hubs it is attached to, so its domains are its attachments'
route tables or segments.

Routes that cross an interconnect or link are exactly what the far side advertises: on AWS the Direct Connect gateway
association's allowed prefixes (AWS enforces the allow-list), on Google the transport's advertised routes, on an
external link what the far end announces. Advertisements outside an allow-list do propagate, which is why XC304 exists.

How the queries stay fast at organisation scale (10,000 networks, 100,000 routes), with the same answers as the plain
definitions they implement:
- A walk that enters a domain continues the same way whoever sent it there, so the rest of the walk (its
  *continuation*) is computed once per (domain, prefix) and shared; it is only walked again when it would run into a
  domain already on the caller's path, where the caller sees a loop.
- `domain_reach` asks about network ranges only of the networks a walk from the domain can end in at all (what its
  routes deliver to, and what the next domains' routes overlapping each route's prefix lead to), so a default route
  or a 10.0.0.0/8 blackhole does not make every table look at every network.
- Domains whose routes have the same prefixes and next hops (the Google and external networks behind one hub, which
  learn the same allow-lists over their own links) reach the same networks, differing only in their first hop: their
  reach is computed once per such *class*, and `reach_key`, `reached_names` and `reach_by_path` answer per class so
  that rules need not build one map per network. `reaches(a, b)` looks only at the routes that overlap b's ranges.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..spec import catalog
from ..spec import models as m
from .prefixes import PrefixIndex, key

if TYPE_CHECKING:  # the topology is built before it is routed: build imports this module, not the reverse
    from .build import Attachment, Topology

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Hop:
    kind: str  # "deliver" (to a network), "domain" (another forwarding domain), "blackhole", "unattached"
    target: str  # network name or domain id ("" for blackhole)
    via: str  # what carries the traffic, for messages
    link: str | None = None  # interconnect or external link crossed
    mtu: int | None = None


@dataclass(frozen=True)
class Route:
    prefix: IPNetwork
    hop: Hop
    origin: str  # "local", "propagated", "learned" (over a link), "static"
    source: str  # what put the route there (attachment, link or route name)
    obj: Any  # spec object that declares it, for locations (its fields differ by kind)
    prefix_key: tuple[int, int, int] = field(init=False, repr=False, compare=False)  # prefixes.key(prefix)

    def __post_init__(self) -> None:
        object.__setattr__(self, "prefix_key", key(self.prefix))  # once per route, for the indexes


@dataclass
class Domain:
    id: str
    label: str
    obj: Any  # the spec object of the domain (network, route table, segment)
    routes: list[Route] = field(default_factory=list)
    mtu: int | None = None

    def __post_init__(self) -> None:
        self._index: PrefixIndex[Route] | None = None

    @property
    def index(self) -> PrefixIndex[Route]:
        if self._index is None:
            self._index = PrefixIndex()
            self._index.extend((r.prefix, r, r.prefix_key) for r in self.routes)
        return self._index

    def lookup(self, prefix: IPNetwork, *, skip_local: bool = False) -> list[Route]:
        """The longest-match routes for `prefix` (several when sources tie). A static route beats propagated
        routes for the same prefix, as on a Transit Gateway."""
        for _matched, routes in self.index.containing_groups(prefix):
            best = [r for r in routes if r.origin != "local"] if skip_local else routes
            if best:
                static = [r for r in best if r.origin == "static"]
                return static or list(best)
        return []


@dataclass(frozen=True)
class Path:
    mtu: int | None
    links: tuple[str, ...]
    domains: tuple[str, ...]


@dataclass
class Walk:
    """Where traffic for one prefix goes from one domain."""

    reached: dict[str, Path] = field(default_factory=dict)
    blackholed: list[tuple[str, Route]] = field(default_factory=list)  # dropped by an explicit blackhole route
    unowned: list[tuple[str, Route]] = field(default_factory=list)  # delivered to a network that does not own it
    unattached: list[tuple[str, Route]] = field(default_factory=list)  # sent to a link not attached to a hub
    unrouted: list[str] = field(default_factory=list)  # a domain on the way has no route
    loops: list[tuple[str, ...]] = field(default_factory=list)


# what a walk from a domain reaches, per destination: (position of the first route among the domain's non-local
# routes, then the MTU, links and domains of the path after that route)
_Entry = tuple[int, int | None, tuple[str, ...], tuple[str, ...]]


@dataclass(eq=False)
class _ReachClass:
    """Domains whose routes (local ones aside) have the same prefixes, origins and next hops, in the same order:
    typically the Google and external networks behind one hub, which learn the same allow-list, each over its own
    link. Every walk from them takes the same routes (by position) and goes on the same way after the first one,
    so domain_reach is computed once, from the first member, as (position of the first route, MTU, links and
    domains of the path after it) per destination; a member's path puts its own first route in front.

    A member that the walks look at as a next hop (or whose continuations do) would meet a loop there that the
    other members do not: it is *irregular*, and its reach is computed from the definition."""

    members: list[str]
    entries: dict[str, _Entry] | None = None
    irregular: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    _groups: dict[tuple, list[str]] | None = None  # (position, MTU after, links after) -> destinations, sorted

    def compute(self, routing: Routing) -> None:
        domain = routing.domains[self.members[0]]
        routes, position = routing._nonlocal(domain.id)
        candidates = routing._reachable_networks(domain.id)
        entries: dict[str, _Entry] = {}
        firsts: dict[IPNetwork, dict] = {}  # query -> _first_hops
        touched: set[str] = set()
        lone, networks = routing._lone_ranges(), routing.topo.networks
        for k, route in enumerate(routes):  # the order of the definition (see domain_reach)
            prefix_key = route.prefix_key
            owner = lone.get(prefix_key)
            if owner is not None and len(domain.index.at(prefix_key)) == 1:
                # most routes: for a range of one network, which no other range overlaps, and the only route for
                # it. The only range to ask about is that one, and the only route the walk takes is this one.
                if owner not in entries and owner in candidates:
                    hop = route.hop
                    if hop.kind == "deliver" and hop.target == owner:  # propagated from the network's attachment
                        entries[owner] = (k, networks[owner].mtu, (), ())
                        continue
                    if hop.kind == "domain" and hop.target == f"net:{owner}" and hop.target in routing.domains:
                        touched.add(hop.target)  # advertised by the network, over a link: arrives there
                        entries[owner] = (k, networks[owner].mtu, (), (hop.target,))
                        continue
                    found = routing._first_hops(domain, route.prefix, position, touched, [route])
                    if owner in found:
                        entries[owner] = found[owner]
                continue
            # A summary (an allow-list, a peer's block, 0.0.0.0/0): when no other route lies inside it, every query
            # inside it matches the routes for the summary itself.
            inner = any(r.origin != "local" for _p, r in domain.index.within(route.prefix, strict=True))
            matched = None if inner else domain.lookup(route.prefix, skip_local=True)
            for cidr, dest in routing._ranges_under(route.prefix, candidates):
                if dest in entries:
                    continue
                query = cidr if cidr.prefixlen >= route.prefix.prefixlen else route.prefix
                if query not in firsts:
                    firsts[query] = routing._first_hops(domain, query, position, touched, matched)
                found = firsts[query]
                entry = found.get(dest)
                if entry is not None:
                    entries[dest] = entry
        self.entries = entries
        self.irregular = frozenset(d for d in self.members if d in touched)
        self.names = frozenset(entries)

    def reach_of(self, routing: Routing, dom_id: str) -> dict[str, Path]:
        assert self.entries is not None
        routes, _position = routing._nonlocal(dom_id)
        reach = {}
        for dest, (k, mtu, links, domains) in self.entries.items():
            hop = routes[k].hop
            reach[dest] = Path(_min(hop.mtu, mtu), _join_links((hop.link,) if hop.link else (), links), (dom_id, *domains))
        return reach

    def groups_of(self, routing: Routing, dom_id: str) -> list[tuple[int | None, tuple[str, ...], list[str]]]:
        assert self.entries is not None
        if self._groups is None:
            groups: dict[tuple, list[str]] = defaultdict(list)
            for dest, (k, mtu, links, _domains) in self.entries.items():
                groups[(k, mtu, links)].append(dest)
            self._groups = {group: sorted(dests) for group, dests in groups.items()}
        routes, _position = routing._nonlocal(dom_id)
        out = []
        for (k, mtu, links), dests in self._groups.items():
            hop = routes[k].hop
            out.append((_min(hop.mtu, mtu), _join_links((hop.link,) if hop.link else (), links), dests))
        return out


class Routing:
    def __init__(self, topo: Topology) -> None:
        self.topo = topo
        self.domains: dict[str, Domain] = {}
        self._walks: dict[tuple[str, IPNetwork], Walk] = {}
        # (domain, prefix) -> the walk from entering the domain, and every next-hop domain it looked at
        self._continuations: dict[tuple[str, IPNetwork], tuple[Walk, frozenset[str]]] = {}
        self._pending: set[tuple[str, IPNetwork]] = set()  # continuations being computed (a cycle through them)
        self._domain_reach: dict[str, dict[str, Path]] = {}
        self._sources: dict[str, tuple[str, ...]] = {}  # source_domains: rules ask about every network, often
        self._ranges: dict[str, tuple[tuple[int, int, int], ...]] = {}  # network -> (version, start, end) of CIDRs
        self._classes: dict[str, _ReachClass] | None = None  # domain -> its reach class
        self._closure: dict[str, frozenset[str]] | None = None  # domain -> networks reachable on entering it
        self._entered: dict[tuple[str, IPNetwork], frozenset[str]] = {}  # the same, for queries inside a prefix
        self._candidates: dict[str, frozenset[str]] = {}  # domain -> networks its walks can end in
        self._far_end_map: dict[str, list[Attachment]] | None = None  # network -> attachments of its links
        self._lone: dict[tuple[int, int, int], str] | None = None
        self._hosts: dict[ipaddress.IPv4Address | ipaddress.IPv6Address, IPNetwork] = {}  # address -> its /32 or /128
        self._nonlocals: dict[str, tuple[list[Route], dict[int, int]]] = {}  # see _nonlocal
        self._peer_index: dict[str, dict[str, Attachment]] = {}  # see _peerings
        self._narrowed: dict[frozenset[str], PrefixIndex[str]] = {}  # network index restricted to candidates
        self._build()

    # ------------------------------------------------------------ construction

    def _build(self) -> None:
        topo = self.topo
        # the interconnects, then the links, whose far side is each network (building a domain must not scan them all)
        self._far_sides: dict[str, list[tuple]] = defaultdict(list)
        for ic in topo.spec.interconnects:
            if topo.interconnects.get(ic.name) is ic:
                self._far_sides[ic.gcp.network].append(("interconnect", ic.name, ic.aws.allowed_prefixes, ic.mtu, ic.aws))
        for link in topo.spec.links:
            if topo.links.get(link.name) is link:
                self._far_sides[link.remote.network].append(("link", link.name, link.aws.allowed_prefixes, link.mtu, link.aws))
        for hub in topo.spec.hubs:
            if hub.name not in topo.attachments or topo.hubs.get(hub.name) is not hub:
                continue
            if isinstance(hub, m.TransitGateway):
                self._transit_gateway(hub)
            else:
                self._cloud_wan(hub)
        for net in topo.networks.values():
            if net.cloud is not m.Cloud.aws:
                self._network(net)

    def _add(self, domain: Domain) -> Domain:
        self.domains[domain.id] = domain
        return domain

    def aws_side(self, kind: str, name: str) -> list[tuple[str, m.Model]]:
        """Domains (with the attachment object) where traffic arriving over an interconnect or link is routed."""
        out: list[tuple[str, m.Model]] = []
        for att in self.topo.attachments_of(kind, name):
            if isinstance(att.obj, m.TgwAttachment):
                if att.obj.route_table is not None:
                    out.append((f"rt:{att.hub}/{att.obj.route_table}", att.obj))
            else:
                out.append((f"seg:{att.hub}/{att.obj.segment}", att.obj))
        return out

    def _link_routes(self, kind: str, name: str, att: m.Model, hub_mtu: int) -> list[Route]:
        """Routes a hub learns over an interconnect or link attached to it (the far side's advertisements)."""
        topo = self.topo
        if kind == "interconnect":
            ic = topo.interconnects[name]
            far, prefixes, mtu = ic.gcp.network, ic.gcp.advertised, ic.mtu
            obj: m.Model = ic.gcp
        else:
            link = topo.links[name]
            far, prefixes, mtu, obj = link.remote.network, link.remote.advertised, link.mtu, link.remote
        if far not in topo.networks:
            return []
        hop = Hop("domain", f"net:{far}", f"{kind} '{name}'", link=name, mtu=min(mtu, hub_mtu))
        return [Route(p, hop, "propagated", f"{kind} '{name}'", obj) for p in prefixes]

    def _attachment_routes(self, hub: str, att: m.TgwAttachment | m.WanAttachment, mtu: int) -> list[Route]:
        topo = self.topo
        kind, target = att.kind, att.target
        if kind == "network":
            net = topo.networks.get(target)
            if net is None:
                return []
            hop = Hop("deliver", net.name, f"attachment '{att.name}' of hub '{hub}'", mtu=mtu)
            return [Route(c, hop, "propagated", f"attachment '{att.name}'", att) for c in net.cidrs]
        if kind in ("interconnect", "link") and target in (topo.interconnects if kind == "interconnect" else topo.links):
            return self._link_routes(kind, target, att, mtu)
        return []  # peering attachments do not propagate

    def _static(self, hub: str, route: m.StaticRoute, mtu: int) -> Route:
        if route.blackhole:
            return Route(route.prefix, Hop("blackhole", "", "blackhole route"), "static", "static route", route)
        att = self.topo.attachments.get(hub, {}).get(route.attachment or "")
        if att is None:
            return Route(route.prefix, Hop("unattached", "", f"attachment '{route.attachment}'"), "static", "static", route)
        obj = att.obj
        if obj.kind == "network" and obj.target not in self.topo.networks:
            hop = Hop("unattached", "", f"attachment '{obj.name}' (network '{obj.target}' is not declared)")
        elif obj.kind == "network":
            hop = Hop("deliver", obj.target, f"attachment '{obj.name}' of hub '{hub}'", mtu=mtu)
        elif obj.kind in ("interconnect", "link"):
            far = self._far_network(obj.kind, obj.target)
            link_mtu = self._link_mtu(obj.kind, obj.target)
            hop = (
                Hop("domain", f"net:{far}", f"{obj.kind} '{obj.target}'", link=obj.target, mtu=min(mtu, link_mtu))
                if far
                else Hop("unattached", "", f"{obj.kind} '{obj.target}'")
            )
        else:  # peer: the peer hub's attachment back to this hub decides the route table
            back = self._peerings(obj.target).get(hub)
            table = getattr(back.obj, "route_table", None) if back else None
            hop = (
                Hop("domain", f"rt:{obj.target}/{table}", f"peering '{obj.name}' to hub '{obj.target}'", mtu=mtu)
                if table
                else Hop("unattached", "", f"peering '{obj.name}' (hub '{obj.target}' has no associated attachment back)")
            )
        return Route(route.prefix, hop, "static", f"static route to '{route.attachment}'", route)

    def _peerings(self, hub: str) -> dict[str, Attachment]:
        """The first peering attachment of `hub` to each hub it peers with (static routes ask for the one back)."""
        found = self._peer_index.get(hub)
        if found is None:
            found = self._peer_index[hub] = {}
            for att in self.topo.attachments.get(hub, {}).values():
                if att.obj.kind == "peer":
                    found.setdefault(att.obj.target, att)
        return found

    def _far_network(self, kind: str, name: str) -> str | None:
        ic, link = self.topo.interconnects.get(name), self.topo.links.get(name)
        if kind == "interconnect":
            far = ic.gcp.network if ic is not None else None
        else:
            far = link.remote.network if link is not None else None
        return far if far in self.topo.networks else None

    def _link_mtu(self, kind: str, name: str) -> int:
        obj = (self.topo.interconnects if kind == "interconnect" else self.topo.links)[name]
        return obj.mtu

    def _transit_gateway(self, hub: m.TransitGateway) -> None:
        mtu = catalog.TGW_MAX_MTU
        # an attachment's routes are the same in every table it propagates into (routes are immutable: share them)
        propagated = [(att.propagate_to, self._attachment_routes(hub.name, att, mtu)) for att in hub.attachments]
        for rt in hub.route_tables:
            domain = self._add(Domain(f"rt:{hub.name}/{rt.name}", f"route table '{rt.name}' of hub '{hub.name}'", rt, mtu=mtu))
            for tables, routes in propagated:
                if rt.name in tables:
                    domain.routes.extend(routes)
            domain.routes.extend(self._static(hub.name, r, mtu) for r in rt.routes)

    def _cloud_wan(self, core: m.CloudWanCore) -> None:
        mtu = catalog.TGW_MAX_MTU
        shares: dict[str, set[str]] = defaultdict(set)
        for seg in core.segments:
            for other in seg.share_with:
                shares[seg.name].add(other)
                shares[other].add(seg.name)
        members: dict[str, list[tuple[m.WanAttachment, list[Route]]]] = defaultdict(list)
        for att in core.attachments:  # an attachment's routes, shared by every segment (view) they are in
            members[att.segment].append((att, self._attachment_routes(core.name, att, mtu)))
        for seg in core.segments:
            views = [(f"seg:{core.name}/{seg.name}", False)]
            if seg.isolate_attachments:
                views.append((f"seg-isolated:{core.name}/{seg.name}", True))
            for dom_id, isolated in views:
                label = f"segment '{seg.name}' of core network '{core.name}'"
                domain = self._add(Domain(dom_id, label, seg, mtu=mtu))
                for seg_name in (seg.name, *sorted(shares[seg.name])):
                    for att, routes in members.get(seg_name, ()):
                        if isolated and seg_name == seg.name and att.network is not None:
                            continue
                        domain.routes.extend(routes)
                domain.routes.extend(self._static(core.name, r, mtu) for r in seg.routes)

    def _network(self, net: m.Network) -> None:
        domain = self._add(Domain(f"net:{net.name}", f"network '{net.name}'", net, mtu=net.effective_mtu))
        local = Hop("deliver", net.name, f"network '{net.name}'")
        domain.routes.extend(Route(c, local, "local", "local", net) for c in net.cidrs)
        for kind, name, prefixes, mtu, obj in self._far_sides.get(net.name, ()):  # interconnects, then links
            targets = self.aws_side(kind, name)
            hops = [Hop("domain", dom, f"{kind} '{name}'", link=name, mtu=mtu) for dom, _att in targets] or [
                Hop("unattached", "", f"{kind} '{name}' (not attached to a hub)", link=name)
            ]
            for hop in hops:
                domain.routes.extend(Route(p, hop, "learned", f"{kind} '{name}'", obj) for p in prefixes)

    # ------------------------------------------------------------ queries

    def source_domains(self, network: str) -> list[str]:
        """Where a network's outgoing traffic is routed."""
        return list(self._source_tuple(network))

    def _source_tuple(self, network: str) -> tuple[str, ...]:
        found = self._sources.get(network)
        if found is None:
            found = self._sources[network] = tuple(self._source_domains(network))
        return found

    def _source_domains(self, network: str) -> list[str]:
        net = self.topo.networks.get(network)
        if net is None:
            return []
        if net.cloud is not m.Cloud.aws:
            return [f"net:{network}"]
        out = []
        for att in self.topo.attachments_of("network", network):
            if isinstance(att.obj, m.TgwAttachment):
                if att.obj.route_table is not None:
                    out.append(f"rt:{att.hub}/{att.obj.route_table}")
            else:
                core = self.topo.hubs[att.hub]
                segments = core.segments if isinstance(core, m.CloudWanCore) else []
                seg = next((s for s in segments if s.name == att.obj.segment), None)
                if seg is not None:
                    out.append(f"{'seg-isolated' if seg.isolate_attachments else 'seg'}:{att.hub}/{seg.name}")
        return [d for d in dict.fromkeys(out) if d in self.domains]

    def walk(self, domain_id: str, prefix: IPNetwork) -> Walk:
        """Follow longest-match routes for `prefix` from a domain, through every tie, until delivered or dropped."""
        found = self._walks.get((domain_id, prefix))
        if found is None:
            found = self._walks[(domain_id, prefix)] = Walk()
            self._step(domain_id, prefix, found, (domain_id,), None, (), None, first=True)
        return found

    def _step(
        self, dom_id: str, prefix: IPNetwork, out: Walk, stack: tuple[str, ...], mtu: int | None,
        links: tuple[str, ...], touched: set[str] | None, *, first: bool = False,
    ) -> None:
        """Route `prefix` in `dom_id`, arrived at along `stack`. `touched` (while computing a continuation)
        collects every next-hop domain looked at."""
        domain = self.domains.get(dom_id)
        if domain is None:
            out.unrouted.append(dom_id)
            return
        routes = domain.lookup(prefix, skip_local=first)
        if not routes:
            out.unrouted.append(dom_id)
            return
        for route in routes:
            self._take(dom_id, route, prefix, out, stack, mtu, links, touched, first=first)

    def _take(
        self, dom_id: str, route: Route, prefix: IPNetwork, out: Walk, stack: tuple[str, ...], mtu: int | None,
        links: tuple[str, ...], touched: set[str] | None, *, first: bool,
    ) -> None:
        """Follow one route of `dom_id` for `prefix`."""
        hop = route.hop
        hop_mtu = _min(mtu, hop.mtu)
        hop_links = links + ((hop.link,) if hop.link and hop.link not in links else ())
        if hop.kind == "blackhole":
            out.blackholed.append((dom_id, route))
        elif hop.kind == "unattached":
            out.unattached.append((dom_id, route))
        elif hop.kind == "deliver":
            net = self.topo.networks[hop.target]
            if self._owns(net.name, prefix):
                if not (first and route.origin == "local"):
                    out.reached.setdefault(net.name, Path(_min(hop_mtu, net.mtu), hop_links, stack))
            else:
                out.unowned.append((dom_id, route))
        else:
            if touched is not None:
                touched.add(hop.target)
            if hop.target in stack:
                out.loops.append((*stack, hop.target))
                return
            target = self.domains.get(hop.target)
            if target is not None and hop.target.startswith("net:") and self._owns(target.obj.name, prefix):
                # arriving at a network that owns the prefix: delivered there
                net = target.obj
                out.reached.setdefault(net.name, Path(_min(hop_mtu, net.mtu), hop_links, (*stack, hop.target)))
                return
            self._enter(hop.target, prefix, out, stack, hop_mtu, hop_links, touched)

    def _enter(
        self, dom_id: str, prefix: IPNetwork, out: Walk, stack: tuple[str, ...], mtu: int | None,
        links: tuple[str, ...], touched: set[str] | None,
    ) -> None:
        """Continue a walk into `dom_id`. The continuation is shared by every walk that enters the domain for the
        prefix, unless it looks at a domain on this walk's path: then this walk meets a loop there, and goes on
        by itself."""
        cont = self._continuation(dom_id, prefix)
        if cont is None or not cont[1].isdisjoint(stack):
            self._step(dom_id, prefix, out, (*stack, dom_id), mtu, links, touched)
            return
        walk, looked_at = cont
        if touched is not None:
            touched |= looked_at
        for name, path in walk.reached.items():
            if name not in out.reached:
                out.reached[name] = Path(_min(mtu, path.mtu), _join_links(links, path.links), stack + path.domains)
        out.blackholed += walk.blackholed
        out.unowned += walk.unowned
        out.unattached += walk.unattached
        out.unrouted += walk.unrouted
        out.loops += [stack + loop for loop in walk.loops]

    def _continuation(self, dom_id: str, prefix: IPNetwork) -> tuple[Walk, frozenset[str]] | None:
        """The walk from entering `dom_id` for `prefix` (as if it started there, not at a first domain), and the
        next-hop domains it looked at; None while that very walk is being computed (a cycle through it)."""
        memo = (dom_id, prefix)
        found = self._continuations.get(memo)
        if found is None and memo not in self._pending:
            self._pending.add(memo)
            walk, looked_at = Walk(), set[str]()
            self._step(dom_id, prefix, walk, (dom_id,), None, (), looked_at)
            self._pending.discard(memo)
            found = self._continuations[memo] = (walk, frozenset(looked_at))
        return found

    def _owns(self, network: str, prefix: IPNetwork) -> bool:
        """Whether one of the network's CIDRs overlaps the prefix (compared as integers)."""
        ranges = self._ranges.get(network)
        if ranges is None:
            ranges = self._ranges[network] = tuple(
                (v, start, start | ((1 << ((32 if v == 4 else 128) - n)) - 1))
                for v, n, start in map(key, self.topo.networks[network].cidrs)
            )
        version, length, start = key(prefix)
        end = start | ((1 << ((32 if version == 4 else 128) - length)) - 1)
        return any(v == version and s <= end and start <= e for v, s, e in ranges)

    def follow(self, domain_id: str, route: Route, prefix: IPNetwork | None = None) -> Walk:
        """Where traffic for `prefix` (default: the route's own prefix) goes when it takes this one route of the
        domain, not the others that tie with it: how rules tell apart the sources of one prefix."""
        out = Walk()
        self._take(domain_id, route, prefix or route.prefix, out, (domain_id,), None, (), None, first=False)
        return out

    def arrives(self, domain_id: str, route: Route) -> bool:
        """Whether the route hands traffic for its own prefix straight to a network that owns it (its next hop is
        that network's domain, and not `domain_id` itself): following it reaches that network, and nothing else.
        Most advertised routes do; rules skip their walks."""
        hop = route.hop
        if hop.kind != "domain" or hop.target == domain_id or not hop.target.startswith("net:"):
            return False
        target = self.domains.get(hop.target)
        return target is not None and self._owns(target.obj.name, route.prefix)

    def route_reach(self, domain_id: str, route: Route, *, first_only: bool = False) -> dict[str, Path]:
        """Networks that traffic for any part of the route's prefix reaches when it takes this route: a summary
        route reaches the networks behind the more specific routes of the next domain. With first_only, stop as
        soon as some network is reached (enough to know that the route leads somewhere)."""
        reach: dict[str, Path] = {}
        for cidr, dest in self.topo.network_prefixes.overlapping(route.prefix):
            if dest in reach:
                continue
            query = cidr if cidr.prefixlen >= route.prefix.prefixlen else route.prefix
            reach.update(self.follow(domain_id, route, query).reached)
            if reach and first_only:
                break
        return reach

    # ------------------------------------------------------------ what each domain reaches

    def domain_reach(self, dom_id: str) -> dict[str, Path]:
        """Every network a domain's routes deliver to, with the path taken.

        By definition: for each route (in order, local ones aside) and each network range overlapping it, the walk
        for that range (or for the route's prefix, when the range is wider) reaches the range's network or not;
        the first walk that does gives the path. Computed once per reach class, see _ReachClass."""
        found = self._domain_reach.get(dom_id)
        if found is None:
            cls = self._class(dom_id)
            found = self._reach_by_definition(dom_id) if dom_id in cls.irregular else cls.reach_of(self, dom_id)
            self._domain_reach[dom_id] = found
        return found

    def reach_key(self, dom_id: str) -> object:
        """Equal for domains that reach the same networks (their reach class): rules group networks by it."""
        cls = self._class(dom_id)
        return dom_id if dom_id in cls.irregular else cls

    def reached_names(self, dom_id: str) -> frozenset[str]:
        """The networks of domain_reach(dom_id), without building the map."""
        cls = self._class(dom_id)
        return frozenset(self.domain_reach(dom_id)) if dom_id in cls.irregular else cls.names

    def reach_by_path(self, dom_id: str) -> list[tuple[int | None, tuple[str, ...], list[str]]]:
        """domain_reach(dom_id) grouped by path: (path MTU, links crossed, destinations sorted by name). Every
        destination comes once; one MTU and set of links can come in several groups."""
        cls = self._class(dom_id)
        if dom_id in cls.irregular:
            groups: dict[tuple, list[str]] = defaultdict(list)
            for dest, path in self.domain_reach(dom_id).items():
                groups[(path.mtu, path.links)].append(dest)
            return [(mtu, links, sorted(dests)) for (mtu, links), dests in groups.items()]
        return cls.groups_of(self, dom_id)

    def _reach_by_definition(self, dom_id: str) -> dict[str, Path]:
        reach: dict[str, Path] = {}
        candidates = self._reachable_networks(dom_id)
        for route in self.domains[dom_id].routes:
            if route.origin == "local":
                continue
            for cidr, dest in self._ranges_under(route.prefix, candidates):
                if dest in reach:
                    continue
                query = cidr if cidr.prefixlen >= route.prefix.prefixlen else route.prefix
                found = self.walk(dom_id, query).reached.get(dest)
                if found is not None:
                    reach[dest] = found
        return reach

    def _ranges_under(self, prefix: IPNetwork, candidates: frozenset[str]) -> Iterator[tuple[IPNetwork, str]]:
        """The network ranges overlapping `prefix` (network_prefixes.overlapping order) of candidate networks only.
        A wide route (0.0.0.0/0, a 10.0.0.0/8 blackhole) overlaps every range: it looks only at the candidates'."""
        index = self.topo.network_prefixes
        for item in index.containing(prefix, strict=True):
            if item[1] in candidates:
                yield item
        if index.count_within(prefix) > 4 * len(candidates) + 64:
            narrowed = self._narrowed.get(candidates)
            if narrowed is None:
                narrowed = self._narrowed[candidates] = index.restricted(candidates)
            yield from narrowed.within(prefix)
        else:
            for item in index.within(prefix):
                if item[1] in candidates:
                    yield item

    def _lone_ranges(self) -> dict[tuple[int, int, int], str]:
        """Each network range that no other range overlaps (by its key) -> its network."""
        if self._lone is None:
            index = self.topo.network_prefixes
            shared = {key(p) for pair in index.overlapping_pairs() for p, _net in pair}
            self._lone = {
                k: net.name for net in self.topo.networks.values() for k in map(key, net.cidrs) if k not in shared
            }
        return self._lone

    def _reachable_networks(self, dom_id: str) -> frozenset[str]:
        """Every network a walk from the domain could end in (a superset, so domain_reach need ask about no other):
        a route takes only queries inside its prefix, to the network it delivers to or into the next domain."""
        found = self._candidates.get(dom_id)
        if found is None:
            own: set[str] = set()
            parts: dict[int, frozenset[str]] = {}
            for route in self.domains[dom_id].routes:
                hop = route.hop
                if route.origin == "local":
                    continue
                if hop.kind == "deliver":
                    own.add(hop.target)
                elif hop.kind == "domain":
                    part = self._entering(hop.target, route.prefix, set())
                    parts[id(part)] = part
            found = self._candidates[dom_id] = frozenset(own).union(*parts.values())
        return found

    def _entering(self, dom_id: str, prefix: IPNetwork, active: set) -> frozenset[str]:
        """Every network a walk could end in after entering `dom_id` with a query inside `prefix` (a superset): the
        domain's own network, and for each of its routes that overlaps the prefix, what it delivers to or what the
        next domain leads to for the part of the prefix the route covers."""
        memo = (dom_id, prefix)
        found = self._entered.get(memo)
        if found is not None:
            return found
        domain = self.domains.get(dom_id)
        if domain is None:
            return frozenset()
        if memo in active:  # a cycle of next hops: everything the domain leads to, whatever the prefix
            return self._entry_closure()[dom_id]
        active.add(memo)
        own = {domain.obj.name} if dom_id.startswith("net:") else set()
        parts: dict[int, frozenset[str]] = {}
        for route_prefix, route in domain.index.overlapping(prefix):
            hop = route.hop
            if hop.kind == "deliver":
                own.add(hop.target)
            elif hop.kind == "domain":
                inside = route_prefix if route_prefix.prefixlen > prefix.prefixlen else prefix
                part = self._entering(hop.target, inside, active)
                parts[id(part)] = part
        active.discard(memo)
        found = self._entered[memo] = frozenset(own).union(*parts.values())
        return found

    def _entry_closure(self) -> dict[str, frozenset[str]]:
        """Domain -> the networks a walk entering it can end in, whatever the prefix: its own network, its routes'
        deliveries, and the same for the domains they lead to. One pass over the strongly connected components of
        next hops; _entering falls back on it when next hops go round in a cycle."""
        if self._closure is None:
            import networkx as nx  # only here: cycles of next hops are rare, and the import is slow

            hops = nx.DiGraph()
            own: dict[str, set[str]] = {}
            for dom in self.domains.values():
                hops.add_node(dom.id)
                own[dom.id] = {dom.obj.name} if dom.id.startswith("net:") else set()
                for route in dom.routes:
                    if route.hop.kind == "deliver":
                        own[dom.id].add(route.hop.target)
                    elif route.hop.kind == "domain" and route.hop.target in self.domains:
                        hops.add_edge(dom.id, route.hop.target)
            dag = nx.condensation(hops)
            sets: dict[int, frozenset[str]] = {}
            for scc in reversed(list(nx.topological_sort(dag))):
                mine = set().union(*(own[d] for d in dag.nodes[scc]["members"]))
                after = [sets[s] for s in dag.successors(scc)]
                sets[scc] = after[0] if len(after) == 1 and mine <= after[0] else frozenset(mine).union(*after)
            self._closure = {d: sets[scc] for d, scc in dag.graph["mapping"].items()}
        return self._closure

    def _class(self, dom_id: str) -> _ReachClass:
        if self._classes is None:
            # Only networks' domains come in classes worth finding (a hub's route tables differ); the others are
            # classes of one.
            self._classes = {}
            by_routes: dict[tuple, _ReachClass] = {}
            for dom in self.domains.values():
                cls = _ReachClass([])
                if dom.id.startswith("net:"):
                    shape = tuple((r.prefix, r.origin, r.hop.kind, r.hop.target) for r in dom.routes if r.origin != "local")
                    cls = by_routes.setdefault(shape, cls)
                cls.members.append(dom.id)
                self._classes[dom.id] = cls
        cls = self._classes[dom_id]
        if cls.entries is None:
            cls.compute(self)
        return cls

    def _nonlocal(self, dom_id: str) -> tuple[list[Route], dict[int, int]]:
        """A domain's routes other than local ones (what its walks start with), and the first position of each route
        object among them."""
        found = self._nonlocals.get(dom_id)
        if found is None:
            routes = [r for r in self.domains[dom_id].routes if r.origin != "local"]
            position: dict[int, int] = {}
            for k, route in enumerate(routes):
                position.setdefault(id(route), k)
            found = self._nonlocals[dom_id] = (routes, position)
        return found

    def _first_hops(
        self, domain: Domain, query: IPNetwork, position: dict[int, int], touched: set[str],
        routes: list[Route] | None = None,
    ) -> dict[str, _Entry]:
        """What walk(domain, query) reaches, as (position of the first route among the domain's non-local routes,
        MTU, links and domains of the path after that route): the part of the walk every domain of the class
        shares. `routes`: the lookup's answer, when known. Next-hop domains looked at go into `touched`."""
        out: dict[str, _Entry] = {}
        for route in domain.lookup(query, skip_local=True) if routes is None else routes:
            k, hop = position[id(route)], route.hop
            if hop.kind == "deliver":
                if self._owns(hop.target, query) and hop.target not in out:
                    out[hop.target] = (k, self.topo.networks[hop.target].mtu, (), ())
            elif hop.kind == "domain":
                touched.add(hop.target)
                target = self.domains.get(hop.target)
                if target is not None and hop.target.startswith("net:") and self._owns(target.obj.name, query):
                    out.setdefault(target.obj.name, (k, target.obj.mtu, (), (hop.target,)))
                    continue
                cont = self._continuation(hop.target, query)
                assert cont is not None  # no walk is under way while a class is computed
                walk, looked_at = cont
                touched |= looked_at
                for name, path in walk.reached.items():
                    if name not in out:
                        out[name] = (k, path.mtu, path.links, path.domains)
        return out

    def reachable_from(self, network: str) -> dict[str, Path]:
        """Networks that traffic from `network` reaches, with a path (the first domain's)."""
        out: dict[str, Path] = {}
        for dom in self.source_domains(network):
            for dest, path in self.domain_reach(dom).items():
                if dest != network:
                    out.setdefault(dest, path)
        return out

    def reaches(self, src: str, dst: str) -> Path | None:
        # same answer as reachable_from(src).get(dst), without building the whole map for one pair
        if src == dst or dst not in self.topo.networks:
            return None
        for dom in self._source_tuple(src):
            known = self._domain_reach.get(dom)
            path = known.get(dst) if known is not None else self._reach_to(dom, dst)
            if path is not None:
                return path
        return None

    def _reach_to(self, dom_id: str, dest: str) -> Path | None:
        """domain_reach(dom_id).get(dest) by its definition, for this one destination: only the routes that overlap
        one of its ranges (found in the domain's index), in route order, and only its ranges."""
        domain = self.domains[dom_id]
        ranges = self.topo.networks[dest].cidrs
        _routes, position = self._nonlocal(dom_id)
        routes = {position[id(r)]: r for c in ranges for _p, r in domain.index.overlapping(c) if r.origin != "local"}
        for k in sorted(routes):
            route = routes[k]
            for cidr in _ranges_over(ranges, route.prefix):
                query = cidr if cidr.prefixlen >= route.prefix.prefixlen else route.prefix
                found = self.walk(dom_id, query).reached.get(dest)
                if found is not None:
                    return found
        return None

    def attached_domains(self, network: str) -> list[str]:
        """Domains a network takes part in: where its traffic is routed, and where its ranges are propagated -
        through its own attachments, or through the attachments of the interconnects and links it is the far
        network of (a Google or external network takes part in the tables its link is associated with and
        propagates into)."""
        out = self.source_domains(network)
        far_ends = self._far_ends().get(network, [])
        for att in [*self.topo.attachments_of("network", network), *far_ends]:
            if isinstance(att.obj, m.TgwAttachment) and att in far_ends and att.obj.route_table is not None:
                out.append(f"rt:{att.hub}/{att.obj.route_table}")
            if isinstance(att.obj, m.TgwAttachment):
                out += [f"rt:{att.hub}/{table}" for table in att.obj.propagate_to]
            else:
                out.append(f"seg:{att.hub}/{att.obj.segment}")
        return [d for d in dict.fromkeys(out) if d in self.domains]

    def _far_ends(self) -> dict[str, list[Attachment]]:
        """Network -> the hub attachments of the interconnects and links it is the far network of (built once)."""
        if self._far_end_map is None:
            found: dict[str, list[Attachment]] = {}
            for kind, names in (("interconnect", self.topo.interconnects), ("link", self.topo.links)):
                for name in names:
                    far = self._far_network(kind, name)
                    if far is not None:
                        found.setdefault(far, []).extend(self.topo.attachments_of(kind, name))
            self._far_end_map = found
        return self._far_end_map

    def link_label(self, name: str) -> str:
        """'interconnect 'x'' or 'link 'x'' for a name in Path.links."""
        return f"interconnect '{name}'" if name in self.topo.interconnects else f"link '{name}'"

    def describe(self, path: Path) -> str:
        """How a path goes, for messages: the interconnects and links it crosses, else the hub domains it uses."""
        if path.links:
            parts = [self.link_label(name) for name in path.links]
        else:
            parts = [self.domains[d].label for d in path.domains if d in self.domains and not d.startswith("net:")]
        return f"{', '.join(parts[:-1])} and {parts[-1]}" if len(parts) > 1 else "".join(parts)

    def reaches_address(self, src: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> dict[str, Path]:
        """Networks that traffic from `src` to one address is delivered to."""
        prefix = self._hosts.get(address)
        if prefix is None:  # (ip_network(address) would format the address and parse it again)
            prefix = self._hosts[address] = ipaddress.ip_network((int(address), address.max_prefixlen))
        net = self.topo.networks.get(src)
        if net is not None and self._owns(src, prefix):  # a host inside one of its ranges
            return {src: Path(net.mtu, (), ())}
        out: dict[str, Path] = {}
        for dom in self.source_domains(src):
            out.update(self.walk(dom, prefix).reached)
        return out

    def reaches_prefix(self, src: str, prefix: IPNetwork) -> dict[str, Path]:
        """Networks that traffic from `src` to every address of `prefix` is delivered to (longest-match routes for
        the whole prefix, as `walk` follows them)."""
        net = self.topo.networks.get(src)
        if net is not None and self._owns(src, prefix):
            return {src: Path(net.mtu, (), ())}
        out: dict[str, Path] = {}
        for dom in self.source_domains(src):
            out.update(self.walk(dom, prefix).reached)
        return out


def _min(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


def _ranges_over(ranges: list[IPNetwork], prefix: IPNetwork) -> list[IPNetwork]:
    """The ranges (of one network) that overlap `prefix`, in the order network_prefixes.overlapping gives them:
    those that strictly contain it, longest first, then those inside it, by address."""
    version, length, start = key(prefix)
    end = start | ((1 << (prefix.max_prefixlen - length)) - 1)
    around, inside = [], []
    for i, cidr in enumerate(ranges):
        v, n, s = key(cidr)
        e = s | ((1 << (cidr.max_prefixlen - n)) - 1)
        if v != version or e < start or s > end:
            continue
        if n < length:
            around.append((-n, i, cidr))
        else:
            inside.append((s, -e, i, cidr))
    return [c for *_k, c in sorted(around)] + [c for *_k, c in sorted(inside)]


def _join_links(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[str, ...]:
    """The links of a path that crosses `before`, then `after` (each link once, where first crossed)."""
    return before + tuple(x for x in after if x not in before) if before else after
