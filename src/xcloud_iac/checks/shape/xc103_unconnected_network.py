from __future__ import annotations

from ..finding import Severity
from ..registry import Rule, register


@register
class UnconnectedNetwork(Rule):
    """A network is declared but attached to no hub, interconnect or link, so nothing in the stack reaches it.
    Usually a forgotten attachment."""

    id = "XC103"
    title = "Declared but unconnected network"
    severity = Severity.warning
    tags = ("shape",)
    fix_hint = "Attach the network to a hub (or name it in an interconnect or link), or remove it."

    def check(self, topo):
        # the graph's attachment and link edges of a network, from the indexes they are drawn from
        linked = {ic.gcp.network for ic in topo.spec.interconnects} | {link.remote.network for link in topo.spec.links}
        for name, net in topo.networks.items():
            if not (topo.attachments_of("network", name) or name in linked):
                yield self.finding(
                    topo, net, f"network '{name}' ({net.cloud.value} {net.region}) is not attached to any hub, "
                    "interconnect or link", field=("name",),
                )
