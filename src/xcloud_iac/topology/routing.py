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
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from dataclasses import dataclass, field

from ..spec import catalog
from ..spec import models as m
from .build import Topology
from .prefixes import PrefixIndex

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
    obj: m.Model  # spec object that declares it, for locations


@dataclass
class Domain:
    id: str
    label: str
    obj: m.Model
    routes: list[Route] = field(default_factory=list)
    mtu: int | None = None

    def __post_init__(self) -> None:
        self._index: PrefixIndex[Route] | None = None

    @property
    def index(self) -> PrefixIndex[Route]:
        if self._index is None:
            self._index = PrefixIndex((r.prefix, r) for r in self.routes)
        return self._index

    def lookup(self, prefix: IPNetwork, *, skip_local: bool = False) -> list[Route]:
        """The longest-match routes for `prefix` (several when sources tie). A static route beats propagated
        routes for the same prefix, as on a Transit Gateway."""
        best: list[Route] = []
        for matched, route in self.index.containing(prefix):
            if skip_local and route.origin == "local":
                continue
            if best and matched.prefixlen < best[0].prefix.prefixlen:
                break
            best.append(route)
        static = [r for r in best if r.origin == "static"]
        return static or best


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


class Routing:
    def __init__(self, topo: Topology) -> None:
        self.topo = topo
        self.domains: dict[str, Domain] = {}
        self._walks: dict[tuple[str, IPNetwork], Walk] = {}
        self._domain_reach: dict[str, dict[str, Path]] = {}
        self._sources: dict[str, tuple[str, ...]] = {}  # source_domains, for reaches(): rules ask about many pairs
        self._build()

    # ------------------------------------------------------------ construction

    def _build(self) -> None:
        topo = self.topo
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
        out = []
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
            far, prefixes, mtu, obj = ic.gcp.network, ic.gcp.advertised, ic.mtu, ic.gcp
        else:
            link = topo.links[name]
            far, prefixes, mtu, obj = link.remote.network, link.remote.advertised, link.mtu, link.remote
        if far not in topo.networks:
            return []
        hop = Hop("domain", f"net:{far}", f"{kind} '{name}'", link=name, mtu=min(mtu, hub_mtu))
        return [Route(p, hop, "propagated", f"{kind} '{name}'", obj) for p in prefixes]

    def _attachment_routes(self, hub: str, att: m.TgwAttachment | m.WanAttachment, mtu: int) -> list[Route]:
        topo = self.topo
        if att.kind == "network":
            net = topo.networks.get(att.target)
            if net is None:
                return []
            hop = Hop("deliver", net.name, f"attachment '{att.name}' of hub '{hub}'", mtu=mtu)
            return [Route(c, hop, "propagated", f"attachment '{att.name}'", att) for c in net.cidrs]
        if att.kind in ("interconnect", "link") and att.target in (topo.interconnects if att.kind == "interconnect" else topo.links):
            return self._link_routes(att.kind, att.target, att, mtu)
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
            back = [
                a for a in self.topo.attachments.get(obj.target, {}).values() if a.kind == "peer" and a.target == hub
            ]
            table = back[0].obj.route_table if back else None
            hop = (
                Hop("domain", f"rt:{obj.target}/{table}", f"peering '{obj.name}' to hub '{obj.target}'", mtu=mtu)
                if table
                else Hop("unattached", "", f"peering '{obj.name}' (hub '{obj.target}' has no associated attachment back)")
            )
        return Route(route.prefix, hop, "static", f"static route to '{route.attachment}'", route)

    def _far_network(self, kind: str, name: str) -> str | None:
        obj = (self.topo.interconnects if kind == "interconnect" else self.topo.links).get(name)
        if obj is None:
            return None
        far = obj.gcp.network if kind == "interconnect" else obj.remote.network
        return far if far in self.topo.networks else None

    def _link_mtu(self, kind: str, name: str) -> int:
        obj = (self.topo.interconnects if kind == "interconnect" else self.topo.links)[name]
        return obj.mtu

    def _transit_gateway(self, hub: m.TransitGateway) -> None:
        mtu = catalog.TGW_MAX_MTU
        for rt in hub.route_tables:
            domain = self._add(Domain(f"rt:{hub.name}/{rt.name}", f"route table '{rt.name}' of hub '{hub.name}'", rt, mtu=mtu))
            for att in hub.attachments:
                if rt.name in att.propagate_to:
                    domain.routes.extend(self._attachment_routes(hub.name, att, mtu))
            domain.routes.extend(self._static(hub.name, r, mtu) for r in rt.routes)

    def _cloud_wan(self, core: m.CloudWanCore) -> None:
        mtu = catalog.TGW_MAX_MTU
        shares: dict[str, set[str]] = defaultdict(set)
        for seg in core.segments:
            for other in seg.share_with:
                shares[seg.name].add(other)
                shares[other].add(seg.name)
        members: dict[str, list[m.WanAttachment]] = defaultdict(list)
        for att in core.attachments:
            members[att.segment].append(att)
        for seg in core.segments:
            views = [(f"seg:{core.name}/{seg.name}", False)]
            if seg.isolate_attachments:
                views.append((f"seg-isolated:{core.name}/{seg.name}", True))
            for dom_id, isolated in views:
                label = f"segment '{seg.name}' of core network '{core.name}'"
                domain = self._add(Domain(dom_id, label, seg, mtu=mtu))
                for seg_name in (seg.name, *sorted(shares[seg.name])):
                    for att in members.get(seg_name, ()):
                        if isolated and seg_name == seg.name and att.kind == "network":
                            continue
                        domain.routes.extend(self._attachment_routes(core.name, att, mtu))
                domain.routes.extend(self._static(core.name, r, mtu) for r in seg.routes)

    def _network(self, net: m.Network) -> None:
        domain = self._add(Domain(f"net:{net.name}", f"network '{net.name}'", net, mtu=net.effective_mtu))
        local = Hop("deliver", net.name, f"network '{net.name}'")
        domain.routes.extend(Route(c, local, "local", "local", net) for c in net.cidrs)
        topo = self.topo
        sides = [
            ("interconnect", ic.name, ic.aws.allowed_prefixes, ic.mtu, ic.aws)
            for ic in topo.spec.interconnects
            if ic.gcp.network == net.name and topo.interconnects.get(ic.name) is ic
        ] + [
            ("link", link.name, link.aws.allowed_prefixes, link.mtu, link.aws)
            for link in topo.spec.links
            if link.remote.network == net.name and topo.links.get(link.name) is link
        ]
        for kind, name, prefixes, mtu, obj in sides:
            targets = self.aws_side(kind, name)
            hops = [Hop("domain", dom, f"{kind} '{name}'", link=name, mtu=mtu) for dom, _att in targets] or [
                Hop("unattached", "", f"{kind} '{name}' (not attached to a hub)", link=name)
            ]
            for hop in hops:
                domain.routes.extend(Route(p, hop, "learned", f"{kind} '{name}'", obj) for p in prefixes)

    # ------------------------------------------------------------ queries

    def source_domains(self, network: str) -> list[str]:
        """Where a network's outgoing traffic is routed."""
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
                seg = next((s for s in core.segments if s.name == att.obj.segment), None)  # type: ignore[union-attr]
                if seg is not None:
                    out.append(f"{'seg-isolated' if seg.isolate_attachments else 'seg'}:{att.hub}/{seg.name}")
        return [d for d in dict.fromkeys(out) if d in self.domains]

    def walk(self, domain_id: str, prefix: IPNetwork) -> Walk:
        """Follow longest-match routes for `prefix` from a domain, through every tie, until delivered or dropped."""
        key = (domain_id, prefix)
        if key not in self._walks:
            result = Walk()
            self._step(domain_id, prefix, result, (domain_id,), None, (), first=True)
            self._walks[key] = result
        return self._walks[key]

    def _step(
        self, dom_id: str, prefix: IPNetwork, out: Walk, stack: tuple[str, ...], mtu: int | None,
        links: tuple[str, ...], *, first: bool = False,
    ) -> None:
        domain = self.domains.get(dom_id)
        if domain is None:
            out.unrouted.append(dom_id)
            return
        routes = domain.lookup(prefix, skip_local=first)
        if not routes:
            out.unrouted.append(dom_id)
            return
        for route in routes:
            self._take(dom_id, route, prefix, out, stack, mtu, links, first=first)

    def _take(
        self, dom_id: str, route: Route, prefix: IPNetwork, out: Walk, stack: tuple[str, ...], mtu: int | None,
        links: tuple[str, ...], *, first: bool,
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
            if any(c.version == prefix.version and c.overlaps(prefix) for c in net.cidrs):
                if not (first and route.origin == "local"):
                    out.reached.setdefault(net.name, Path(_min(hop_mtu, net.mtu), hop_links, stack))
            else:
                out.unowned.append((dom_id, route))
        elif hop.target in stack:
            out.loops.append((*stack, hop.target))
        else:
            target = self.domains.get(hop.target)
            if target is not None and hop.target.startswith("net:"):
                # arriving at a network: delivered there if it owns the prefix, else routed on by it
                net = target.obj
                if any(c.version == prefix.version and c.overlaps(prefix) for c in net.cidrs):  # type: ignore[union-attr]
                    out.reached.setdefault(net.name, Path(_min(hop_mtu, net.mtu), hop_links, (*stack, hop.target)))  # type: ignore[union-attr]
                    return
            self._step(hop.target, prefix, out, (*stack, hop.target), hop_mtu, hop_links)

    def follow(self, domain_id: str, route: Route, prefix: IPNetwork | None = None) -> Walk:
        """Where traffic for `prefix` (default: the route's own prefix) goes when it takes this one route of the
        domain, not the others that tie with it: how rules tell apart the sources of one prefix."""
        out = Walk()
        self._take(domain_id, route, prefix or route.prefix, out, (domain_id,), None, (), first=False)
        return out

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

    def domain_reach(self, dom_id: str) -> dict[str, Path]:
        """Every network a domain's routes deliver to, with the path taken."""
        if dom_id not in self._domain_reach:
            reach: dict[str, Path] = {}
            domain = self.domains[dom_id]
            index = self.topo.network_prefixes
            for route in domain.routes:
                if route.origin == "local":
                    continue
                for cidr, dest in index.overlapping(route.prefix):
                    if dest in reach:
                        continue
                    query = cidr if cidr.prefixlen >= route.prefix.prefixlen else route.prefix
                    found = self.walk(dom_id, query).reached.get(dest)
                    if found is not None:
                        reach[dest] = found
            self._domain_reach[dom_id] = reach
        return self._domain_reach[dom_id]

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
        if src == dst:
            return None
        if src not in self._sources:
            self._sources[src] = tuple(self.source_domains(src))
        for dom in self._sources[src]:
            path = self.domain_reach(dom).get(dst)
            if path is not None:
                return path
        return None

    def attached_domains(self, network: str) -> list[str]:
        """Domains a network takes part in: where its traffic is routed, and where its ranges are propagated."""
        out = self.source_domains(network)
        for att in self.topo.attachments_of("network", network):
            if isinstance(att.obj, m.TgwAttachment):
                out += [f"rt:{att.hub}/{table}" for table in att.obj.propagate_to]
            else:
                out.append(f"seg:{att.hub}/{att.obj.segment}")
        return [d for d in dict.fromkeys(out) if d in self.domains]

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
        prefix = ipaddress.ip_network(address)
        net = self.topo.networks.get(src)
        if net is not None and any(prefix.subnet_of(c) for c in net.cidrs if c.version == prefix.version):
            return {src: Path(net.mtu, (), ())}
        out: dict[str, Path] = {}
        for dom in self.source_domains(src):
            out.update(self.walk(dom, prefix).reached)
        return out


def _min(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)
