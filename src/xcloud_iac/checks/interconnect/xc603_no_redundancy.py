from __future__ import annotations

from collections import Counter

from ..finding import Severity
from ..registry import Rule, register
from ._connections import connections


@register
class CriticalWithoutRedundancy(Rule):
    """An interconnect or external link marked critical is the only connection between an AWS hub it is attached
    to and its Google (or remote) network: no second interconnect or link joins the same hub and network, so one
    failure cuts them apart."""

    id = "XC603"
    title = "Critical link without redundancy"
    severity = Severity.warning
    tags = ("interconnect", "resilience")
    fix_hint = (
        "Add a second interconnect or link (ideally in another region or location) between the same hub and network."
    )

    def check(self, topo):
        # each connection with the (hub, far network) pairs it joins; an unattached one joins (None, far)
        joined = [
            (obj, far, label, sorted({att.hub for att in topo.attachments_of(kind, obj.name)}) or [None])
            for kind, obj, far, label in connections(topo)
        ]
        count = Counter((hub, far) for _obj, far, _label, hubs in joined for hub in hubs)
        for obj, far, label, hubs in joined:
            if not obj.critical:
                continue
            for hub in hubs:
                if count[(hub, far)] < 2:
                    side = f"hub '{hub}'" if hub else "AWS (it is attached to no hub)"
                    yield self.finding(
                        topo, obj,
                        f"{label} is marked critical but is the only interconnect or link between {side} and "
                        f"network '{far}'",
                        field=("critical",),
                    )
