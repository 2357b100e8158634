from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule
from ._vpc_routes import drift


@register
class VpcRouteDrift(LiveRule):
    """A route the routing model asks for in a VPC route table the stack owns (the one it created, tagged
    vpc_route_table/<network>, or one the spec names in `route_table_ids`) is missing, points elsewhere than its hub
    (another target: an internet or NAT gateway, a peering, another hub), is a blackhole (the VPC's attachment to
    the hub is gone), or loses part of its traffic to a more specific route towards another target (outside the
    VPC's own ranges, where the local route rightly wins). The subnets' traffic for a network the model says they reach does not get there. A table the
    stack owns that is gone from the VPC is reported here too. Targets: a Transit Gateway by its id, a Cloud WAN
    core network by its ARN."""

    id = "XC711"
    title = "VPC route towards a hub missing, retargeted or blackholed"
    severity = Severity.error
    fix_hint = (
        "Re-apply the stack (pulumi up) to restore the route; a blackhole means the VPC's hub attachment is gone: "
        "restore the attachment first."
    )

    def check_live(self, topo, live):
        for d in drift(topo, live):
            if d.kind == "missing":
                yield self.finding(topo, d.network, d.message, field=d.field,
                                   related=[("the hub the routing model sends it to", d.hub, ())])
