from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule

WHY = {
    "PENDING_KEY": "waiting for an activation key: the side that generates it has not passed it to the other, or AWS "
                   "has not accepted it",
    "PENDING_CONFIG": "waiting for its configuration to be completed",
    "CREATING": "still being created",
    "SUSPENDED": "suspended by Google",
    "DEPROVISIONED": "deprovisioned",
    "DELETING": "being deleted",
}


@register
class TransportNotActive(LiveRule):
    """The Google Transport of an interconnect is not ACTIVE (networkconnectivity.v1 Transport.state): stuck in
    PENDING_KEY because the activation key never reached the other side, PENDING_CONFIG, CREATING for too long,
    SUSPENDED or DEPROVISIONED. No traffic crosses the interconnect."""

    id = "XC721"
    title = "Interconnect transport not ACTIVE"
    severity = Severity.error
    fix_hint = ("For PENDING_KEY, pass the activation key to the other side (the stack wires it: run pulumi up); "
                "otherwise see the Transport's state in the Google console.")

    def check_live(self, topo, live):
        for ic in topo.spec.interconnects:
            transport = live.transports.get(ic.name)
            if transport is None or transport.state == "ACTIVE":
                continue
            why = WHY.get(transport.state, "not carrying traffic")
            yield self.finding(topo, ic, f"interconnect '{ic.name}': Transport {transport.name} is {transport.state}, "
                               f"not ACTIVE ({why}; key from {ic.activation_key_from})", field=("gcp",))
