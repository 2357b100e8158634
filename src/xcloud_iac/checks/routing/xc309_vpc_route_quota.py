from __future__ import annotations

from ...spec import catalog
from ...spec import models as m
from ...topology import dataplane
from ..finding import Severity
from ..registry import Rule, register


@register
class VpcRouteQuota(Rule):
    """An AWS network needs more routes towards its hubs than a VPC route table can hold: 1,000 routes that are not
    propagated, the most the 'Routes per route table' quota (default 50) can be raised to. The stack adds one
    route per prefix the routing model says the network reaches over its hubs (see topology.dataplane), so
    `pulumi up` would fail. (Between 50 and 1,000 the quota must be raised before deploying.)"""

    id = "XC309"
    title = "VPC route table quota exceeded"
    severity = Severity.error
    tags = ("routing", "limits", "data-plane")
    fix_hint = (
        "Summarise what the hub routes to the network: shorter allow-lists, static summary routes in the hub, "
        "propagating fewer attachments into the network's route table."
    )

    def check(self, topo):
        for net in topo.networks.values():
            if net.cloud is not m.Cloud.aws or not topo.attachments_of("network", net.name):
                continue
            count = dataplane.vpc_route_count(topo, net.name)
            if count > catalog.LIMIT_VPC_ROUTES_PER_TABLE:
                hubs = sorted({r.hub for r in dataplane.vpc_routes(topo, net.name)})
                yield self.finding(
                    topo, net,
                    f"network '{net.name}' needs {count:,} routes towards hub {', '.join(map(repr, hubs))} in its "
                    f"route tables; a VPC route table holds at most {catalog.LIMIT_VPC_ROUTES_PER_TABLE:,}",
                    field=("name",),
                )
