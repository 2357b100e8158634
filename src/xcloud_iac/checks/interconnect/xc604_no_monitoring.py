from __future__ import annotations

from ..finding import Severity
from ..registry import Rule, register
from ._connections import connections


@register
class NoMonitoring(Rule):
    """An interconnect or external link has no monitoring (no `monitoring` block, or `enabled: false`): no
    synthetic probe measures latency and loss across it, and no alarm tells anyone it is down. Or its probe cannot
    be answered (an error): the destination must be an address of the network across the link (the interconnect's
    Google network, the link's remote network), reached from the probe's source network; a probe to anywhere else
    measures nothing, or fails forever and keeps its alarms firing."""

    id = "XC604"
    title = "Interconnect without monitoring"
    severity = Severity.warning
    tags = ("interconnect", "observability")
    fix_hint = (
        "Add a monitoring block: source_network and source_subnet on AWS, and a destination address across the link "
        "(in the far network, reached from the source over the link)."
    )

    def check(self, topo):
        for _kind, obj, far, label in connections(topo):
            if obj.monitoring is None:
                yield self.finding(topo, obj, f"{label} has no monitoring", field=("monitoring",))
            elif not obj.monitoring.enabled:
                yield self.finding(topo, obj, f"{label} has monitoring disabled", field=("monitoring", "enabled"))
            else:
                yield from self._destination(topo, obj, far, label)

    def _destination(self, topo, obj, far, label):
        mon = obj.monitoring
        dest, source = mon.destination, mon.source_network
        if dest is None or source not in topo.networks or far not in topo.networks:
            return  # nothing to probe (deploy() refuses it) or an undeclared network (XC101)
        owners = topo.owner_of(dest)
        if far not in owners:
            where = f"network {', '.join(map(repr, owners))}" if owners else "no declared network"
            problem = f"an address of {where}, not of network '{far}' across the link"
        elif far not in topo.routing.reaches_address(source, dest):
            problem = f"in network '{far}', but network '{source}' does not reach it"
        else:
            return
        yield self.finding(
            topo, obj, f"{label} probes {dest} from network '{source}': {problem}; the probe cannot be answered "
            "and its alarms keep firing", field=("monitoring", "destination"), severity=Severity.error,
        )
