"""VPC route tables, live against the data plane the routing model asks for (shared by XC711 and XC712).

The expected routes of an AWS network are `topology.dataplane.vpc_routes`: each prefix the hubs carry to another
network goes to one hub, in every route table that carries the network's routes (the one the stack created and the
ones the spec names in `route_table_ids`). The program creates exactly these (components/_attach.py vpc_routes). A
route targets its hub by the hub's live id: a Transit Gateway's id, a Cloud WAN core network's ARN. Routes towards
other targets that the model does not ask for (a NAT or internet gateway, a peering, local) are the VPC owner's and
are not compared, unless one is more specific than a route the model asks for and so takes part of its traffic (the
expected routes are summaries, see topology.dataplane); routes in tables the stack neither created nor names are
never read.

A network is compared only when every hub it is attached to was read and found: without the hub's id no route can
be told to point at it (XC700 or XC701 say why).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ...spec import models as m
from ...tags import KEY_TAG, STACK_TAG, spec_key
from ...topology import Topology, dataplane
from .state import CREATED_TABLE, LiveState, LiveVpcRoutes


@dataclass(frozen=True)
class VpcDrift:
    kind: str  # "missing" (missing, elsewhere, blackholed, no table) | "unexplained"
    message: str
    network: m.Network
    field: tuple[str | int, ...]
    hub: m.Model


def hub_ids(topo: Topology, live: LiveState) -> dict[str, str]:
    """Hub name -> the live id VPC routes target: a Transit Gateway id or a core network ARN (hubs read and found)."""
    out: dict[str, str] = {}
    for hub in topo.spec.hubs:
        if isinstance(hub, m.TransitGateway):
            found = live.hubs.get(hub.name)
            if found is not None:
                out[hub.name] = found.id
        else:
            core = live.core_networks.get(hub.name)
            if core is not None and core.arn:
                out[hub.name] = core.arn
    return out


def drift(topo: Topology, live: LiveState) -> Iterator[VpcDrift]:
    ids = hub_ids(topo, live)
    hub_of_id = {v: k for k, v in ids.items()}
    hubs = {h.name: h for h in topo.spec.hubs}
    for net in topo.spec.networks:
        read = live.vpc_routes.get(net.name)
        attached = sorted({h.name for h in topo.spec.hubs for a in h.attachments
                           if a.kind == "network" and a.target == net.name})
        if read is None or not attached or any(h not in ids for h in attached):
            continue
        expected = [r for r in dataplane.vpc_routes(topo, net.name) if r.hub in hubs]
        if any(r.hub not in ids for r in expected):
            continue
        yield from _network_drift(live.stack, net, read, expected, ids, hub_of_id, hubs)


def _network_drift(
    stack: str, net: m.Network, read: LiveVpcRoutes, expected: list[dataplane.VpcRoute], ids: dict[str, str],
    hub_of_id: dict[str, str], hubs: Mapping[str, m.Model],
) -> Iterator[VpcDrift]:
    def hub_label(name: str) -> str:
        return f"hub '{name}' ({ids[name]})"

    def target_label(target: str) -> str:
        return hub_label(hub_of_id[target]) if target in hub_of_id else (target or "no target")

    wanted = {r.prefix: r.hub for r in expected}
    routes_to = ", ".join(str(p) for p in wanted) or "nothing"
    for key, table in read.tables.items():
        field: tuple[str | int, ...] = () if key == CREATED_TABLE else ("route_table_ids", net.route_table_ids.index(key))
        if table is None:
            if key == CREATED_TABLE:
                what = (f"network '{net.name}' ({read.vpc_id}) has no route table tagged {STACK_TAG}={stack}, "
                        f"{KEY_TAG}={spec_key('vpc_route_table', net.name)}")
            else:
                what = f"route table {key} of network '{net.name}' (route_table_ids) is not in its VPC {read.vpc_id}"
            if expected:
                yield VpcDrift("missing", f"{what}: its subnets have no route to {routes_to}, which the routing model "
                               f"sends to {', '.join(sorted({hub_label(r.hub) for r in expected}))}", net, field,
                               hubs[expected[0].hub])
            continue
        where = f"route table {table.id} of network '{net.name}' ({read.vpc_id})"
        live = {r.prefix: r for r in table.routes if r.prefix is not None}
        for route in expected:
            hub = hub_label(route.hub)
            found = live.get(route.prefix)
            if found is None:
                message = f"has no route {route.prefix} to {hub}, which the routing model sends there"
            elif found.target != ids[route.hub]:
                message = f"sends {route.prefix} to {target_label(found.target)}; the routing model sends it to {hub}"
            elif found.state == "blackhole":
                message = (f"drops traffic for {route.prefix}: its route to {hub} is a blackhole (the VPC's attachment "
                           "to the hub is gone or not available)")
            else:
                continue
            yield VpcDrift("missing", f"{where} {message}", net, field, hubs[route.hub])
        for found in sorted(table.routes, key=lambda r: (r.prefix is None, str(r.prefix or r.prefix_list))):
            hub_name = hub_of_id.get(found.target)
            if found.prefix is not None and found.prefix in wanted:
                continue  # a route the model asks for (compared above)
            if hub_name is None:
                # not towards a hub: the VPC owner's, unless it takes part of what the model sends to a hub (a more
                # specific route wins); the local route of the VPC's own range lies inside a summary harmlessly
                diverted = _diverted(found.prefix, expected, net)
                if diverted is not None:
                    yield VpcDrift(
                        "missing",
                        f"{where} sends {found.prefix}, part of {diverted.prefix}, to {target_label(found.target)}; "
                        f"the routing model sends it to {hub_label(diverted.hub)}",
                        net, field, hubs[diverted.hub],
                    )
                continue
            yield VpcDrift(
                "unexplained",
                f"{where} sends {found.destination} to {hub_label(hub_name)}, which the routing model does not "
                f"explain (it sends {routes_to} to the stack's hubs)",
                net, field, hubs[hub_name],
            )


def _diverted(prefix: dataplane.IPNetwork | None, expected: list[dataplane.VpcRoute],
              net: m.Network) -> dataplane.VpcRoute | None:
    """The expected route whose traffic a more specific route to another target takes part of, if any."""
    if prefix is None or any(c.version == prefix.version and prefix.subnet_of(c) for c in net.cidrs):  # type: ignore[arg-type]
        return None
    covering = [r for r in expected
                if r.prefix.version == prefix.version and prefix != r.prefix and prefix.subnet_of(r.prefix)]  # type: ignore[arg-type]
    return max(covering, key=lambda r: r.prefix.prefixlen) if covering else None
