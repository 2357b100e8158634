from __future__ import annotations

from ...spec import catalog
from ...spec import models as m
from ...topology import dataplane
from ..finding import Severity
from ..registry import Rule, register


@register
class VpcRouteQuota(Rule):
    """An AWS network needs more routes towards its hubs than a VPC route table can hold: 1,000 routes that are not
    propagated, the most the 'Routes per route table' quota (default 50) can be raised to. The stack adds a route
    for what the routing model says the network reaches over its hubs, summarised exactly (prefixes towards the
    same hub that make up a shorter one become one route; see topology.dataplane), so `pulumi up` would fail.
    Between the default and 1,000 the finding is a warning: the quota must be raised in the network's account and
    region before deploying, or the routes past it are refused."""

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
            if count <= catalog.DEFAULT_VPC_ROUTES_PER_TABLE:
                continue
            hubs = sorted({r.hub for r in dataplane.vpc_routes(topo, net.name)})
            needs = f"network '{net.name}' needs {count:,} routes towards hub {', '.join(map(repr, hubs))} in its route tables"
            if count > catalog.LIMIT_VPC_ROUTES_PER_TABLE:
                why, severity = f"a VPC route table holds at most {catalog.LIMIT_VPC_ROUTES_PER_TABLE:,}", None
            else:
                where = f"account {net.account}, {net.region}" if net.account else net.region
                why = (f"the 'Routes per route table' quota is {catalog.DEFAULT_VPC_ROUTES_PER_TABLE} until raised: "
                       f"raise it to at least {count:,} ({where}) before deploying")
                severity = Severity.warning
            yield self.finding(topo, net, f"{needs}; {why}", field=("name",), severity=severity)
