from __future__ import annotations

from ...spec import models as m
from ..finding import Severity
from ..registry import Rule, register
from ._connections import connections


@register
class NoDeletionProtection(Rule):
    """An interconnect, external link (their Direct Connect gateway) or hub (Transit Gateway, Cloud WAN core
    network) has `protect: false`: a `pulumi up` after it is dropped or renamed in the spec deletes it, and every
    network behind it loses connectivity."""

    id = "XC605"
    title = "Interconnect, gateway or hub without deletion protection"
    severity = Severity.error
    tags = ("interconnect", "resilience")
    fix_hint = (
        "Remove `protect: false` (protection is on by default); to retire the object, do it in a reviewed change."
    )

    def check(self, topo):
        for _kind, obj, _far, label in connections(topo):
            if not obj.protect:
                yield self.finding(topo, obj, f"{label} has protect: false", field=("protect",))
        for hub in topo.spec.hubs:
            if not hub.protect:
                if isinstance(hub, m.TransitGateway):
                    label = f"transit gateway '{hub.name}' ({hub.region})"
                else:
                    label = f"Cloud WAN core network '{hub.name}' ({', '.join(hub.regions)})"
                yield self.finding(topo, hub, f"{label} has protect: false", field=("protect",))
