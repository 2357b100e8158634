"""The topology: the spec as a networkx graph, with name indexes, a prefix index and the routing model.

Building never fails on a broken spec: references to undeclared objects are recorded in `dangling` (rule XC101) and
left out of the graph, and repeated names in `duplicates` (XC102), so every other rule can still run.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..spec import models as m
from .dns import Forwarding
from .prefixes import PrefixIndex
from .routing import Routing

if TYPE_CHECKING:
    import networkx as nx

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Dangling:
    """A reference to an object that is not declared."""

    obj: Any  # the spec object (network, attachment, route, resolver...): its fields differ by kind
    field: tuple[str | int, ...]
    kind: str
    name: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class Resolver:
    """Anything DNS queries can be forwarded to: a Route 53 inbound endpoint, a Cloud DNS inbound policy, or an
    external forwarder. `network` is where it lives; its forwarding is that network's."""

    name: str
    kind: str  # "inbound_endpoint" | "inbound_policy" | "external_forwarder"
    obj: Any  # the spec object (network, attachment, route, resolver...): its fields differ by kind
    network: str
    addresses: tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, ...]
    ranges: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    """Where the addresses will come from when they are not fixed: a Cloud DNS inbound policy without declared
    addresses gets one per subnet from Google (see `inbound_forwarder_ranges`), read back by deploy()."""

    @property
    def allocated(self) -> bool:
        """The provider picks the addresses (from `ranges`), and deploy() reads them after creating the resolver."""
        return not self.addresses and bool(self.ranges)


def inbound_forwarder_ranges(net: m.Network) -> tuple[ipaddress.IPv4Network, ...]:
    """Where Google allocates the inbound forwarder addresses of a Cloud DNS server policy: one address from the
    primary range of each subnet of the network (IPv4 only). For a network whose subnets the spec does not list,
    its IPv4 ranges (the subnets lie inside them). Every front end (checks, deploy, verify) asks here."""
    subnets = [s.cidr for s in net.subnets if s.cidr.version == 4]
    ranges = subnets or [c for c in net.cidrs if c.version == 4]
    return tuple(ranges)


@dataclass(frozen=True)
class Attachment:
    """An attachment of a hub, in either hub kind."""

    hub: str
    obj: m.TgwAttachment | m.WanAttachment

    @property
    def name(self) -> str:
        return self.obj.name

    @property
    def kind(self) -> str:
        return self.obj.kind

    @property
    def target(self) -> str:
        return self.obj.target


class _GraphOps:
    """The graph's nodes and edges, recorded while the topology is built and added to it, in the same order, on the
    first use of Topology.graph: the checks need the indexes and the routing model, not the graph, whose building
    was a tenth of a check at 10,000 networks."""

    def __init__(self) -> None:
        self.ops: list[tuple[Any, Any, dict[str, Any]]] = []  # (node, None, attributes) or (u, v, attributes)

    def add_node(self, node: Any, **attrs: Any) -> None:
        self.ops.append((node, None, attrs))

    def add_edge(self, u: Any, v: Any, **attrs: Any) -> None:
        self.ops.append((u, v, attrs))


@dataclass
class Topology:
    spec: m.Stack
    networks: dict[str, m.Network] = field(default_factory=dict)
    hubs: dict[str, m.TransitGateway | m.CloudWanCore] = field(default_factory=dict)
    interconnects: dict[str, m.Interconnect] = field(default_factory=dict)
    links: dict[str, m.ExternalLink] = field(default_factory=dict)
    endpoints: dict[str, m.ResolverEndpoint] = field(default_factory=dict)
    resolvers: dict[str, Resolver] = field(default_factory=dict)
    issuers: dict[str, m.Issuer] = field(default_factory=dict)
    roles: dict[str, m.TrustRole] = field(default_factory=dict)
    # attachments by hub, and the hub attachments that reference each interconnect / link / network
    attachments: dict[str, dict[str, Attachment]] = field(default_factory=dict)
    attached: dict[tuple[str, str], list[Attachment]] = field(default_factory=lambda: defaultdict(list))
    dangling: list[Dangling] = field(default_factory=list)
    duplicates: list[tuple[str, list[m.Named]]] = field(default_factory=list)  # ("network 'a'", [first, again...])
    # ("network 'a'", obj, holder, holder's field): obj lists 'a' in previous_names, and holder carries it too
    # (as its "name", or in its "previous_names")
    previous_name_clashes: list[tuple[str, m.Named, m.Named, str]] = field(default_factory=list)
    _graph_ops: _GraphOps = field(default_factory=_GraphOps, repr=False, compare=False)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The stack as a networkx graph: a node per object ((kind, name) tuples), edges for attachments,
        associations, propagations, links, DNS and trust."""
        import networkx as nx  # here, not at the top: importing networkx costs more than a validation run

        g = nx.MultiDiGraph()
        for u, v, attrs in self._graph_ops.ops:
            if v is None:
                g.add_node(u, **attrs)
            else:
                g.add_edge(u, v, **attrs)
        return g

    # ------------------------------------------------------------ helpers for rules

    def locate(self, obj: m.Model, *fields: str | int) -> Any:
        return self.spec.locate(obj, *fields)

    def attachments_of(self, kind: str, name: str) -> list[Attachment]:
        """Hub attachments whose target is the network / interconnect / link `name`."""
        return self.attached.get((kind, name), [])

    @cached_property
    def network_prefixes(self) -> PrefixIndex[str]:
        """Every network CIDR, valued by network name."""
        return PrefixIndex((cidr, net.name) for net in self.networks.values() for cidr in net.cidrs)

    @cached_property
    def routing(self) -> Routing:
        return Routing(self)

    @cached_property
    def dns(self) -> Forwarding:
        return Forwarding(self)

    def owner_of(self, address: IPNetwork | ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[str]:
        """Networks whose CIDRs contain the address or prefix."""
        prefix = ipaddress.ip_network(address) if not isinstance(address, IPNetwork) else address
        return sorted({name for _p, name in self.network_prefixes.containing(prefix)})


_EXPECTED_KIND = {
    "network": "networks",
    "hub": "hubs",
    "interconnect": "interconnects",
    "link": "links",
    "route_table": "route tables of the hub",
    "attachment": "attachments of the hub",
    "segment": "segments of the core network",
    "subnet": "subnets of the network",
    "endpoint": "outbound resolver endpoints",
    "resolver": "resolvers (inbound endpoints, inbound policies, external forwarders)",
    "issuer": "trust.issuers",
    "edge": "edge locations of the core network",
}


def build(spec: m.Stack) -> Topology:
    """The topology of a stack."""
    topo = Topology(spec)
    g = topo._graph_ops
    _index(topo)

    def ref(obj: m.Model, fld: tuple[str | int, ...], kind: str, name: str | None, pool: Any) -> bool:
        if name is None or name in pool:
            return True
        topo.dangling.append(Dangling(obj, fld, kind, name, tuple(sorted(pool))))
        return False

    for net in spec.networks:
        g.add_node(("network", net.name), kind="network", cloud=net.cloud.value, obj=net)

    pools = {"network": topo.networks, "interconnect": topo.interconnects, "link": topo.links, "peer": topo.hubs}
    for hub in spec.hubs:
        g.add_node(("hub", hub.name), kind="hub", hub_kind=hub.kind, obj=hub)
        topo.attachments[hub.name] = {}
        if isinstance(hub, m.TransitGateway):
            tables = {rt.name for rt in hub.route_tables}
            for rt in hub.route_tables:
                g.add_node(("route_table", hub.name, rt.name), kind="route_table", obj=rt)
                g.add_edge(("hub", hub.name), ("route_table", hub.name, rt.name), kind="has")
        else:
            tables = {s.name for s in hub.segments}
            for seg in hub.segments:
                g.add_node(("segment", hub.name, seg.name), kind="segment", obj=seg)
                g.add_edge(("hub", hub.name), ("segment", hub.name, seg.name), kind="has")
                for i, other in enumerate(seg.share_with):
                    ref(seg, ("share_with", i), "segment", other, tables)
        for att in hub.attachments:
            kind, target = att.kind, att.target  # properties that look through the target fields: read them once
            topo.attachments[hub.name][att.name] = Attachment(hub.name, att)
            target_ok = ref(att, (kind,), kind if kind != "peer" else "hub", target, pools[kind])
            target_node = ("hub", target) if kind == "peer" else (kind, target)
            if target_ok:
                topo.attached[(kind, target)].append(Attachment(hub.name, att))
                g.add_edge(("hub", hub.name), target_node, kind="attachment", attachment=att.name)
                g.add_edge(target_node, ("hub", hub.name), kind="attachment", attachment=att.name)
            if kind == "network" and target_ok:
                net = topo.networks[target]
                subnets = {s.name for s in net.subnets}
                for j, sub in enumerate(att.subnets):
                    ref(att, ("subnets", j), "subnet", sub, subnets)
            if isinstance(att, m.TgwAttachment):
                if ref(att, ("route_table",), "route_table", att.route_table, tables) and target_ok:
                    g.add_edge(target_node, ("route_table", hub.name, att.route_table), kind="association")
                for j, rt_name in enumerate(att.propagate_to):
                    if ref(att, ("propagate_to", j), "route_table", rt_name, tables) and target_ok:
                        g.add_edge(target_node, ("route_table", hub.name, rt_name), kind="propagation")
            elif ref(att, ("segment",), "segment", att.segment, tables) and target_ok:
                g.add_edge(target_node, ("segment", hub.name, att.segment), kind="association")
        if isinstance(hub, m.TransitGateway):
            for rt in hub.route_tables:
                for route in rt.routes:
                    if route.attachment is not None:
                        ref(route, ("attachment",), "attachment", route.attachment, topo.attachments[hub.name])
        else:
            for seg in hub.segments:
                for route in seg.routes:
                    if route.attachment is not None:
                        ref(route, ("attachment",), "attachment", route.attachment, topo.attachments[hub.name])
                for j, region in enumerate(seg.edge_locations):
                    ref(seg, ("edge_locations", j), "edge", region, set(hub.regions))

    # a hub attachment whose hub no file declares (the others joined their hub's attachments: Stack.merge)
    for ha in spec.hub_attachments:
        ref(ha, ("hub",), "hub", ha.hub, topo.hubs)

    for ic in spec.interconnects:
        g.add_node(("interconnect", ic.name), kind="interconnect", obj=ic)
        if ref(ic.gcp, ("network",), "network", ic.gcp.network, topo.networks):
            g.add_edge(("interconnect", ic.name), ("network", ic.gcp.network), kind="link")
            g.add_edge(("network", ic.gcp.network), ("interconnect", ic.name), kind="link")
        _monitoring_refs(topo, ic, ref)
    for link in spec.links:
        g.add_node(("link", link.name), kind="link", obj=link)
        if ref(link.remote, ("network",), "network", link.remote.network, topo.networks):
            g.add_edge(("link", link.name), ("network", link.remote.network), kind="link")
            g.add_edge(("network", link.remote.network), ("link", link.name), kind="link")
        _monitoring_refs(topo, link, ref)

    _build_dns(topo, ref)
    _build_trust(topo, ref)
    return topo


def _monitoring_refs(topo: Topology, owner: m.Interconnect | m.ExternalLink, ref) -> None:
    mon = owner.monitoring
    if mon is None or mon.source_network is None:
        return
    if ref(mon, ("source_network",), "network", mon.source_network, topo.networks) and mon.source_subnet:
        subnets = {s.name for s in topo.networks[mon.source_network].subnets}
        ref(mon, ("source_subnet",), "subnet", mon.source_subnet, subnets)


def _index(topo: Topology) -> None:
    """Name indexes, and XC102 duplicates (each namespace separately)."""
    spec = topo.spec
    namespaces: list[tuple[str, Sequence[m.Named], dict]] = [
        ("network", spec.networks, topo.networks),
        ("hub", spec.hubs, topo.hubs),
        ("interconnect", spec.interconnects, topo.interconnects),
        ("link", spec.links, topo.links),
        ("resolver endpoint", spec.dns.resolver_endpoints, topo.endpoints),
        ("issuer", spec.trust.issuers, topo.issuers),
        ("role", spec.trust.roles, topo.roles),
    ]
    for kind, objs, index in namespaces:
        _unique(topo, kind, objs, index)
    for kind, objs in (
        ("resolver rule", spec.dns.resolver_rules),
        ("forwarding zone", spec.dns.forwarding_zones),
        ("inbound policy", spec.dns.inbound_policies),
        ("external forwarder", spec.dns.external_forwarders),
        ("workload identity", spec.trust.workload_identity),
    ):
        _unique(topo, kind, objs, {})
    for net in spec.networks:
        _unique(topo, "subnet", net.subnets, {}, f" of network '{net.name}'")
    for hub in spec.hubs:
        children = hub.route_tables if isinstance(hub, m.TransitGateway) else hub.segments
        kind = "route table" if isinstance(hub, m.TransitGateway) else "segment"
        _unique(topo, kind, children, {}, f" of hub '{hub.name}'")
        _unique(topo, "attachment", hub.attachments, {}, f" of hub '{hub.name}'")
    # resolvers share one namespace: a forwarding target names any of them
    by_name: dict[str, list[m.Named]] = defaultdict(list)
    for obj in (
        *(e for e in spec.dns.resolver_endpoints if e.direction == "inbound"),
        *spec.dns.inbound_policies,
        *spec.dns.external_forwarders,
    ):
        by_name[obj.name].append(obj)
    for name, group in by_name.items():
        if len({type(o) for o in group}) > 1:
            topo.duplicates.append((f"resolver '{name}'", group))


def _unique(topo: Topology, kind: str, objs: Sequence[Any], index: dict, scope: str = "") -> None:
    _unique_previous_names(topo, kind, objs, scope)
    names = [obj.name for obj in objs]
    if len(set(names)) == len(names):  # the usual case: nothing repeated
        index.update(zip(names, objs))
        return
    groups: dict[str, list] = defaultdict(list)
    for obj in objs:
        groups[obj.name].append(obj)
        index.setdefault(obj.name, obj)
    for name, group in groups.items():
        if len(group) > 1:
            topo.duplicates.append((f"{kind} '{name}'{scope}", group))


def _unique_previous_names(topo: Topology, kind: str, objs: Sequence[Any], scope: str) -> None:
    """A previous name is an alias of the object's resources: it must not be another object's name or previous
    name of the same kind, or two objects would claim the same deployed resources."""
    if not any(getattr(obj, "previous_names", None) for obj in objs):
        return
    holders: dict[str, Any] = {obj.name: obj for obj in objs}
    for obj in objs:
        for old in obj.previous_names:
            holder = holders.setdefault(old, obj)
            if holder is not obj:
                where = "name" if holder.name == old else "previous_names"
                topo.previous_name_clashes.append((f"{kind} '{old}'{scope}", obj, holder, where))


def _build_dns(topo: Topology, ref) -> None:
    spec, g = topo.spec, topo._graph_ops
    for ep in spec.dns.resolver_endpoints:
        if not ref(ep, ("network",), "network", ep.network, topo.networks):
            continue
        subnets = {s.name for s in topo.networks[ep.network].subnets}
        for addr in ep.addresses:
            ref(addr, ("subnet",), "subnet", addr.subnet, subnets)
        g.add_node(("endpoint", ep.name), kind="endpoint", obj=ep)
        g.add_edge(("endpoint", ep.name), ("network", ep.network), kind="in")
        if ep.direction == "inbound":
            addrs = tuple(a.ip for a in ep.addresses if a.ip is not None)
            topo.resolvers.setdefault(ep.name, Resolver(ep.name, "inbound_endpoint", ep, ep.network, addrs))
    for pol in spec.dns.inbound_policies:
        if ref(pol, ("network",), "network", pol.network, topo.networks):
            ranges = () if pol.addresses else inbound_forwarder_ranges(topo.networks[pol.network])
            topo.resolvers.setdefault(
                pol.name, Resolver(pol.name, "inbound_policy", pol, pol.network, tuple(pol.addresses), ranges)
            )
    for fwd in spec.dns.external_forwarders:
        if ref(fwd, ("network",), "network", fwd.network, topo.networks):
            topo.resolvers.setdefault(
                fwd.name, Resolver(fwd.name, "external_forwarder", fwd, fwd.network, tuple(fwd.addresses))
            )
    for res in topo.resolvers.values():
        g.add_node(("resolver", res.name), kind="resolver", resolver_kind=res.kind, obj=res.obj)
        g.add_edge(("resolver", res.name), ("network", res.network), kind="in")

    outbound = {e.name: e for e in spec.dns.resolver_endpoints if e.direction == "outbound"}
    for rule in spec.dns.resolver_rules:
        ref(rule, ("endpoint",), "endpoint", rule.endpoint, outbound)
        for i, net in enumerate(rule.networks):
            ref(rule, ("networks", i), "network", net, topo.networks)
        _target_refs(topo, rule, rule.targets, ("targets",), ref)
    for zone in spec.dns.forwarding_zones:
        for i, net in enumerate(zone.networks):
            ref(zone, ("networks", i), "network", net, topo.networks)
        _target_refs(topo, zone, zone.targets, ("targets",), ref)
    for fwd in spec.dns.external_forwarders:
        for j, fwd_rule in enumerate(fwd.rules):
            _target_refs(topo, fwd, fwd_rule.targets, ("rules", j, "targets"), ref)


def _target_refs(topo: Topology, owner: m.Model, targets: list[m.ForwardTarget], base: tuple, ref) -> None:
    for target in targets:
        if target.resolver is not None:
            ref(target, ("resolver",), "resolver", target.resolver, topo.resolvers)


def _build_trust(topo: Topology, ref) -> None:
    g = topo._graph_ops
    for issuer in topo.spec.trust.issuers:
        g.add_node(("issuer", issuer.name), kind="issuer", obj=issuer)
    for role in topo.spec.trust.roles:
        g.add_node(("role", role.name), kind="role", obj=role)
        # an undeclared issuer is XC503's finding, not XC101's
        if role.issuer in topo.issuers:
            g.add_edge(("issuer", role.issuer), ("role", role.name), kind="trusts")
    for wif in topo.spec.trust.workload_identity:
        g.add_node(("workload_identity", wif.name), kind="workload_identity", obj=wif)
        for role_name in wif.aws_roles:
            if role_name in topo.roles:
                g.add_edge(("role", role_name), ("workload_identity", wif.name), kind="trusts")
