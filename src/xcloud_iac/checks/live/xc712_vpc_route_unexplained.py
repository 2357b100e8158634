from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule
from ._vpc_routes import drift


@register
class VpcRouteUnexplained(LiveRule):
    """A VPC route table the stack owns sends a prefix to one of the stack's hubs (Transit Gateway or Cloud WAN
    core network) that the routing model does not send there: an extra prefix such as 0.0.0.0/0 to the Transit
    Gateway added in the console, or a prefix list. Traffic the model keeps local or out of the hubs now enters
    them, where it is dropped or, worse, reaches a network it should not."""

    id = "XC712"
    title = "VPC route towards a hub that the routing model does not explain"
    severity = Severity.error
    fix_hint = (
        "Remove the route (pulumi up removes nothing it did not create); if the traffic is meant to reach another "
        "network, declare that path in the spec (attachments, route tables, segments) and run xcloud validate."
    )

    def check_live(self, topo, live):
        for d in drift(topo, live):
            if d.kind == "unexplained":
                yield self.finding(topo, d.network, d.message, field=d.field,
                                   related=[("the hub it is sent to", d.hub, ())])
