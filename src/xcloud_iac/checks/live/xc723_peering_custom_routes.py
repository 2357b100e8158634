from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule


@register
class PeeringWithoutCustomRoutes(LiveRule):
    """The VPC peering between the stack's network and the Transport's network does not exchange custom routes
    (export_custom_routes / import_custom_routes off) or is not ACTIVE: the routes AWS advertises never reach the
    VPC's route table, or the VPC's routes never reach the Transport."""

    id = "XC723"
    title = "Interconnect peering does not exchange custom routes"
    severity = Severity.error
    fix_hint = "Turn on import and export of custom routes on the peering (pulumi up re-applies it)."

    def check_live(self, topo, live):
        for ic in topo.spec.interconnects:
            transport = live.transports.get(ic.name)
            peering = transport.peering if transport else None
            if peering is None:
                continue
            who = f"interconnect '{ic.name}': peering '{peering.name}' of {transport.network}"
            if peering.state != "ACTIVE":
                yield self.finding(topo, ic, f"{who} is {peering.state or 'in no state'}, not ACTIVE", field=("gcp",))
            off = [what for what, on in (("import", peering.import_custom_routes),
                                         ("export", peering.export_custom_routes)) if not on]
            if off:
                yield self.finding(topo, ic, f"{who} does not {' or '.join(off)} custom routes", field=("gcp",))
