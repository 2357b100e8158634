"""The plan held against the routing model: what the data plane test asks of an inventory.

From the model (topology.routing: reachable_from, domains and their routes; topology.dns), never from the code that
builds the resources, this derives every (network, prefix) pair that should carry traffic and looks in the planned
resources for each hop:
- the source VPC: every subnet it creates is associated with a route table of its own, and every route table of the
  network (created, or named by id) has a route towards the hub of the path for each range of each network it
  reaches (and for 35.199.192.0/19 where Cloud DNS forwards to an inbound endpoint in it);
- the hub: the source's attachment is associated with the route table of the path, and the destination (its VPC
  attachment, or the interconnect or link it is behind) propagates into it or has a static route there; on Cloud
  WAN, the destination's attachment is tagged into the segment or one it shares with;
- the interconnect: what AWS advertises (the Direct Connect gateway association's allowed prefixes) covers the AWS
  ranges a Google network reaches, what Google advertises (the Transport's advertised routes) covers the Google ranges
  an AWS network reaches, and the network's side of the Transport's peering imports custom routes;
- the destination: a Google network's ingress firewall rules admit every range of every network that reaches it, on
  the declared ports, with logging; Resolver endpoints' security groups admit exactly their allowed sources.
And the other way: no planned VPC route that the model does not explain.
"""

from __future__ import annotations

import ipaddress
import json
from collections import defaultdict

from xcloud_iac.plan.inventory import Inventory, Resource
from xcloud_iac.spec import catalog
from xcloud_iac.spec import models as m
from xcloud_iac.topology import Topology

ROUTE = "aws:ec2/route:Route"
ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"
FIREWALL = "gcp:compute/firewall:Firewall"
TGW_ASSOC = "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation"
TGW_PROP = "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation"
TGW_ROUTE = "aws:ec2transitgateway/route:Route"
DNS = catalog.CLOUD_DNS_FORWARDING_SOURCE


def net(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_network(text)


def overlaps(a, b) -> bool:
    return a.version == b.version and a.overlaps(b)


def covers(outer, inner) -> bool:
    return outer.version == inner.version and inner.subnet_of(outer)


class Plan:
    """The inventory, indexed the way the checks read it."""

    def __init__(self, inventory: Inventory) -> None:
        self.resources = inventory.resources
        self.by_key = inventory.by_key()
        self.of_type: dict[str, list[Resource]] = defaultdict(list)
        for r in self.resources:
            self.of_type[r.type].append(r)

    def source(self, r: Resource, name: str) -> Resource | None:
        """The resource an input takes its value from."""
        keys = r.depends_on.get(name, ())
        return self.by_key.get(keys[0]) if keys else None

    def table_of(self, route: Resource) -> str:
        """A VPC route's table: the created table's key, or the literal id of an existing one."""
        table = self.source(route, "routeTableId")
        return table.key if table is not None else route.inputs["routeTableId"]

    def hub_of(self, route: Resource) -> str | None:
        target = self.source(route, "transitGatewayId") or self.source(route, "coreNetworkArn")
        return target.component if target is not None else None


def vpc_route_prefix(route: Resource):
    return net(route.inputs.get("destinationCidrBlock") or route.inputs["destinationIpv6CidrBlock"])


def problems(topo: Topology, inventory: Inventory) -> list[str]:
    plan = Plan(inventory)
    routing = topo.routing
    found: list[str] = []
    routes_by_table: dict[str, list[Resource]] = defaultdict(list)
    for route in plan.of_type[ROUTE]:
        routes_by_table[plan.table_of(route)].append(route)
    explained_tables: set[str] = set()
    reach = {name: routing.reachable_from(name) for name in topo.networks}

    for name, network in sorted(topo.networks.items()):
        if network.cloud is not m.Cloud.aws or not routing.source_domains(name):
            continue
        tables = _tables(plan, network, found)
        explained_tables |= set(tables)
        hubs_to = _first_hubs(topo, name)
        wanted: list[tuple[str, object, set[str]]] = []  # (what, prefix, hubs that may carry it)
        for dest, _path in sorted(reach[name].items()):
            for cidr in reached_ranges(topo, name, dest):
                wanted.append((f"network '{dest}' {cidr}", cidr, hubs_to.get(dest, set())))
        for google in _cloud_dns_sources(topo, name):
            if topo.dns.returns_to_google(name, google):
                wanted.append((f"Cloud DNS answers to {DNS} (network '{google}')", DNS, _all_hubs(topo, name)))
        for table in tables:
            planned = routes_by_table.get(table, [])
            for what, prefix, hubs in wanted:
                carriers = [r for r in planned if overlaps(vpc_route_prefix(r), prefix)]
                if not any(plan.hub_of(r) in hubs for r in carriers):
                    found.append(f"network '{name}' route table {_label(plan, table)}: no route towards "
                                 f"{' or '.join(sorted(hubs)) or 'a hub'} for {what}")
            for route in planned:
                prefix = vpc_route_prefix(route)
                if not any(overlaps(prefix, p) for _w, p, _h in wanted) and not _learned(topo, name, prefix) \
                        and not _delivered(topo, name, prefix):
                    found.append(f"network '{name}' route table {_label(plan, table)}: route {prefix} "
                                 f"({route.name}) is not explained by the routing model")
                elif plan.hub_of(route) not in _all_hubs(topo, name):
                    found.append(f"network '{name}': route {prefix} ({route.name}) goes to a hub it is not "
                                 "attached to")
    for table, planned in routes_by_table.items():
        if table not in explained_tables:
            found += [f"route {vpc_route_prefix(r)} ({r.name}) is in a table of no attached network" for r in planned]

    found += _hub_hops(topo, plan, reach)
    found += _firewalls(topo, plan, reach)
    found += _resolver_groups(topo, plan)
    return found


def _tables(plan: Plan, network: m.Network, found: list[str]) -> list[str]:
    """The route tables of an AWS network: the created ones its created subnets are associated with (each created
    subnet must be), and the existing ones the spec names."""
    tables: set[str] = set(network.route_table_ids)
    for subnet in network.subnets:
        if subnet.id is not None:
            if not network.route_table_ids:
                found.append(f"network '{network.name}': existing subnet '{subnet.name}' is in no route table "
                             "the stack routes")
            continue
        associated = [a for a in plan.of_type[ASSOCIATION]
                      if (s := plan.source(a, "subnetId")) is not None and s.component == network.name
                      and s.name.endswith(f"-subnet-{subnet.name}")]
        if not associated:
            found.append(f"network '{network.name}': subnet '{subnet.name}' is associated with no route table")
        for assoc in associated:
            table = plan.source(assoc, "routeTableId")
            if table is not None:
                tables.add(table.key)
    return sorted(tables)


def _label(plan: Plan, table: str) -> str:
    r = plan.by_key.get(table)
    return r.name if r is not None else table


def _first_hubs(topo: Topology, name: str) -> dict[str, set[str]]:
    """Destination -> the hubs whose domains (of the network's) reach it."""
    routing = topo.routing
    out: dict[str, set[str]] = defaultdict(set)
    for dom in routing.source_domains(name):
        for dest in routing.domain_reach(dom):
            out[dest].add(dom.split(":", 1)[1].split("/")[0])
    return out


def _all_hubs(topo: Topology, name: str) -> set[str]:
    return {a.hub for a in topo.attachments_of("network", name)}


def _learned(topo: Topology, name: str, prefix) -> bool:
    """Whether a prefix is one a far network advertises into one of the network's hub domains (over a link)."""
    routing = topo.routing
    return any(
        route.prefix == prefix and route.hop.kind == "domain" and route.hop.target.startswith("net:")
        for dom in routing.source_domains(name) for route in routing.domains[dom].routes
    )


def _delivered(topo: Topology, name: str, prefix) -> bool:
    """Whether the model delivers traffic for the prefix itself (a default route to an egress VPC) to another
    network, from one of the network's hub domains."""
    routing = topo.routing
    return any(set(routing.walk(dom, prefix).reached) - {name} for dom in routing.source_domains(name))


def reached_ranges(topo: Topology, src: str, dest: str) -> list:
    """The ranges of `dest` that traffic from `src` reaches: the walk for the range (or, when only a part of it is
    routed, for a route inside it) from one of src's domains arrives at dest."""
    routing = topo.routing
    out = []
    for cidr in topo.networks[dest].cidrs:
        for dom in routing.source_domains(src):
            queries = [cidr, *(r.prefix for r in routing.domains[dom].routes
                               if r.origin != "local" and r.prefix != cidr and covers(cidr, r.prefix))]
            if any(dest in routing.walk(dom, q).reached for q in queries):
                out.append(cidr)
                break
    return out


def _cloud_dns_sources(topo: Topology, name: str) -> list[str]:
    """Google networks whose Cloud DNS forwarding zones send queries to a resolver in the AWS network."""
    out = set()
    for fwd in topo.dns.forwarders:
        if isinstance(fwd.obj, m.ForwardingZone) and any(name in d.networks for d in fwd.destinations):
            out.update(fwd.networks)
    return sorted(out)


# ---------------------------------------------------------------- hubs and interconnects


def _hub_hops(topo: Topology, plan: Plan, reach: dict) -> list[str]:
    found = []
    routing = topo.routing
    for src, dests in sorted(reach.items()):
        for dest, path in sorted(dests.items()):
            dom = path.domains[0] if path.domains else ""
            source_net, dest_net = topo.networks[src], topo.networks[dest]
            nxt = path.domains[1] if len(path.domains) > 1 else None
            if nxt is None:
                carrier = ("network", dest)  # delivered by the first domain
            elif nxt.startswith("net:"):
                carrier = ("link", path.links[0])  # over the link the first domain learned it from
            else:
                carrier = ("peer", nxt.split(":", 1)[1].split("/")[0])  # on to a peered hub
            if source_net.cloud is m.Cloud.aws and dom.startswith("rt:"):
                hub, table = dom[3:].split("/", 1)
                if not _tgw_associated(plan, hub, table, ("network", src), topo):
                    found.append(f"hub '{hub}': network '{src}' is not associated with route table '{table}'")
                if not _tgw_carried(plan, hub, table, carrier, topo):
                    found.append(f"hub '{hub}' route table '{table}': nothing propagates or routes "
                                 f"{carrier[0]} '{carrier[1]}' (towards network '{dest}')")
            elif source_net.cloud is m.Cloud.aws and dom.startswith(("seg:", "seg-isolated:")):
                core, segment = dom.split(":", 1)[1].split("/", 1)
                if not _wan_carried(plan, core, segment, carrier, topo):
                    found.append(f"core '{core}' segment '{segment}': {carrier[0]} '{carrier[1]}' (towards network "
                                 f"'{dest}') is in no segment it shares")
            for link in path.links:
                ic = topo.interconnects.get(link)
                if ic is None:
                    continue
                found += _interconnect_hop(topo, plan, ic, source_net, dest_net)
    del routing
    return found


def _attachment_resources(plan: Plan, hub: str, carrier: tuple[str, str], topo: Topology) -> set[str]:
    """Keys of the planned resources whose id is the hub attachment of `carrier` (a network or a link)."""
    kind, name = carrier
    atts = [a for a in topo.attachments.get(hub, {}).values()
            if (kind == "network" and a.obj.network == name)
            or (kind == "link" and name in (getattr(a.obj, "interconnect", None), getattr(a.obj, "link", None)))]
    keys = set()
    if kind == "peer":
        return {r.key for r in plan.resources if r.type.endswith((":PeeringAttachment", ":PeeringAttachmentAccepter"))
                and (f"{hub}-peer-{name}" in r.name or f"{name}-peer-{hub}" in r.name)}
    for r in plan.resources:
        if r.component == hub and r.type.endswith(":VpcAttachment") and any(r.name.endswith(f"-att-{a.name}")
                                                                            for a in atts):
            keys.add(r.key)
        if kind == "link" and r.component == name and r.name == f"{name}-{hub}-dxgw-assoc" and atts:
            keys.add(r.key)
        if kind == "link" and r.component == name and r.name == f"{name}-{hub}-dx-attachment" and atts:
            keys.add(r.key)
    return keys


def _in_table(plan: Plan, r: Resource, hub: str, table: str) -> bool:
    t = plan.source(r, "transitGatewayRouteTableId")
    return t is not None and t.component == hub and t.name.endswith(f"-rt-{table}")


def _tgw_associated(plan: Plan, hub: str, table: str, carrier: tuple[str, str], topo: Topology) -> bool:
    atts = _attachment_resources(plan, hub, carrier, topo)
    return any(_in_table(plan, r, hub, table) and set(r.depends_on.get("transitGatewayAttachmentId", ())) & atts
               for r in plan.of_type[TGW_ASSOC])


def _tgw_carried(plan: Plan, hub: str, table: str, carrier: tuple[str, str], topo: Topology) -> bool:
    atts = _attachment_resources(plan, hub, carrier, topo)
    return any(_in_table(plan, r, hub, table) and set(r.depends_on.get("transitGatewayAttachmentId", ())) & atts
               for r in [*plan.of_type[TGW_PROP], *plan.of_type[TGW_ROUTE]])


def _wan_carried(plan: Plan, core: str, segment: str, carrier: tuple[str, str], topo: Topology) -> bool:
    policy = next((r for r in plan.resources if r.component == core and r.type.endswith(":CoreNetworkPolicyAttachment")),
                  None)
    if policy is None:
        return False
    doc = json.loads(policy.inputs["policyDocument"])
    spelled = next((s["name"] for s in doc["segments"] if s["name"].lower() == segment.replace("-", "").lower()), None)
    shared = {spelled}
    for action in doc.get("segment-actions", []):
        if action.get("action") == "share":
            if action["segment"] == spelled:
                shared.update(action["share-with"])
            elif spelled in action["share-with"]:
                shared.add(action["segment"])
    keys = _attachment_resources(plan, core, carrier, topo)
    return any(plan.by_key[k].inputs.get("tags", {}).get("xcloud:segment") in shared for k in keys)


def _interconnect_hop(topo: Topology, plan: Plan, ic: m.Interconnect, src: m.Network, dest: m.Network) -> list[str]:
    found = []
    association = [r for r in plan.resources if r.component == ic.name and r.name.endswith("-dxgw-assoc")]
    transport = [r for r in plan.resources if r.component == ic.name and r.type.endswith(":Transport")]
    peering = [r for r in plan.resources if r.component == ic.name and r.type.endswith(":NetworkPeering")]
    if src.cloud is m.Cloud.gcp:  # Google -> AWS: Google learns the AWS ranges AWS advertises
        for cidr in reached_ranges(topo, src.name, dest.name):
            for assoc in association:
                if not any(covers(net(p), cidr) or overlaps(net(p), cidr) for p in assoc.inputs["allowedPrefixes"]):
                    found.append(f"interconnect '{ic.name}': {assoc.name} does not advertise {cidr} of network "
                                 f"'{dest.name}' to network '{src.name}'")
        if not any(p.inputs.get("importCustomRoutes") is True for p in peering):
            found.append(f"interconnect '{ic.name}': network '{src.name}' does not import the routes learned from AWS")
    if dest.cloud is m.Cloud.gcp:  # AWS -> Google: AWS learns the Google ranges Google advertises
        for cidr in reached_ranges(topo, src.name, dest.name):
            if not any(overlaps(net(p), cidr) for t in transport for p in t.inputs.get("advertisedRoutes", [])):
                found.append(f"interconnect '{ic.name}': the transport does not advertise {cidr} of network "
                             f"'{dest.name}'")
    return found


# ---------------------------------------------------------------- firewalls and security groups


def _firewalls(topo: Topology, plan: Plan, reach: dict) -> list[str]:
    found = []
    for name, network in sorted(topo.networks.items()):
        if network.cloud is not m.Cloud.gcp:
            continue
        peers = sorted(src for src, dests in reach.items() if name in dests)
        rules = [r for r in plan.of_type[FIREWALL] if r.component == name and r.inputs.get("direction") == "INGRESS"
                 and not r.inputs.get("disabled")]
        for rule in rules:
            if rule.inputs.get("logConfig", {}).get("metadata") is None:
                found.append(f"network '{name}': firewall rule {rule.name} does not log")
        for peer in peers:
            versions = {c.version for c in reached_ranges(topo, peer, name)}
            for cidr in (c for c in topo.networks[peer].cidrs if c.version in versions):
                admitting = [r for r in rules if any(covers(net(s), cidr) for s in r.inputs.get("sourceRanges", []))]
                if not admitting:
                    found.append(f"network '{name}': no firewall rule admits {cidr} of network '{peer}', which "
                                 "reaches it")
                for rule in admitting:
                    missing = _missing_ports(network.peer_ingress, rule.inputs.get("allows", []), cidr.version)
                    if missing:
                        found.append(f"network '{name}': firewall rule {rule.name} admits {cidr} of network "
                                     f"'{peer}' without {', '.join(missing)}")
        for rule in rules:  # and nothing wider than the peers' ranges
            for source in rule.inputs.get("sourceRanges", []):
                if not any(covers(c, net(source)) for peer in peers for c in topo.networks[peer].cidrs):
                    found.append(f"network '{name}': firewall rule {rule.name} admits {source}, which no network "
                                 "reaching it owns")
    return found


def _missing_ports(declared: list[m.PortRule], allows: list[dict], version: int) -> list[str]:
    given = {(a["protocol"], tuple(a.get("ports", []))) for a in allows}
    out = []
    for rule in declared:
        protocol = "58" if rule.protocol == "icmp" and version == 6 else rule.protocol
        if (protocol, tuple(rule.ports)) not in given:
            out.append(f"{rule.protocol} {','.join(rule.ports)}".strip())
    return out


def _resolver_groups(topo: Topology, plan: Plan) -> list[str]:
    found = []
    groups = {r.name: r for r in plan.of_type["aws:ec2/securityGroup:SecurityGroup"]}
    from_google = {d.resolver.name for f in topo.dns.forwarders if isinstance(f.obj, m.ForwardingZone)
                   for d in f.destinations if d.resolver is not None}
    for ep in topo.spec.dns.resolver_endpoints:
        if ep.direction != "inbound":
            continue
        group = groups.get(f"{ep.network}-resolver-{ep.name}-sg")
        if group is None:
            found.append(f"inbound endpoint '{ep.name}' has no security group")
            continue
        for protocol in ("tcp", "udp"):
            admitted = {net(c) for rule in group.inputs.get("ingress", [])
                        if rule["protocol"] == protocol and rule["fromPort"] <= 53 <= rule["toPort"]
                        for c in [*rule.get("cidrBlocks", []), *rule.get("ipv6CidrBlocks", [])]}
            if admitted != set(ep.allowed_sources):
                found.append(f"inbound endpoint '{ep.name}': {protocol} 53 admits {sorted(map(str, admitted))}, not "
                             f"exactly its allowed sources {sorted(map(str, ep.allowed_sources))}")
            if ep.name in from_google and not any(covers(c, DNS) for c in admitted):
                found.append(f"inbound endpoint '{ep.name}': Cloud DNS forwards to it, but {protocol} 53 does not "
                             f"admit {DNS}")
    return found
