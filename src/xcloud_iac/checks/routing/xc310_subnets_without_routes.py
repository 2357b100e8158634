from __future__ import annotations

from ...spec import models as m
from ...topology import dataplane
from ..finding import Severity
from ..registry import Rule, register


@register
class SubnetsWithoutHubRoutes(Rule):
    """An existing AWS VPC attached to a hub lists existing subnets (with `id`) but no `route_table_ids`: the stack
    does not touch the route tables those subnets use, so they get none of the routes towards the hub that the
    routing model counts on, and their traffic to the other networks goes nowhere. (Subnets the stack creates get
    a route table of their own.)"""

    id = "XC310"
    title = "Existing subnets without routes to the hub"
    severity = Severity.warning
    tags = ("routing", "data-plane")
    fix_hint = "Name the route tables of the existing subnets in the network's route_table_ids (rtb-...)."

    def check(self, topo):
        for net in topo.networks.values():
            if net.cloud is not m.Cloud.aws or net.route_table_ids or not topo.attachments_of("network", net.name):
                continue
            existing = [s.name for s in net.subnets if s.id is not None]
            if not existing or not dataplane.vpc_route_count(topo, net.name):
                continue
            yield self.finding(
                topo, net,
                f"network '{net.name}' reaches other networks over its hubs, but its existing subnet(s) "
                f"{', '.join(map(repr, existing))} are in route tables the stack does not route "
                "(route_table_ids is empty)",
                field=("existing_id",),
            )
