from __future__ import annotations

from ..finding import Severity
from ..registry import Rule, register
from ._connections import connections


@register
class NoMonitoring(Rule):
    """An interconnect or external link has no monitoring (no `monitoring` block, or `enabled: false`): no
    synthetic probe measures latency and loss across it, and no alarm tells anyone it is down."""

    id = "XC604"
    title = "Interconnect without monitoring"
    severity = Severity.warning
    tags = ("interconnect", "observability")
    fix_hint = (
        "Add a monitoring block: source_network and source_subnet on AWS, and a destination address across the link."
    )

    def check(self, topo):
        for _kind, obj, _far, label in connections(topo):
            if obj.monitoring is None:
                yield self.finding(topo, obj, f"{label} has no monitoring", field=("monitoring",))
            elif not obj.monitoring.enabled:
                yield self.finding(topo, obj, f"{label} has monitoring disabled", field=("monitoring", "enabled"))
