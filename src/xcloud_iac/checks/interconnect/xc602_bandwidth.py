from __future__ import annotations

import bisect

from ...spec import catalog
from ..finding import Severity
from ..registry import Rule, register


@register
class BandwidthNotOffered(Rule):
    """An interconnect's bandwidth is not one AWS Interconnect - multicloud and Google's transport offer
    (catalog.OFFERED_BANDWIDTHS, 50 Mbps to 100 Gbps in fixed steps). The message gives both sides' spellings."""

    id = "XC602"
    title = "Interconnect bandwidth not offered"
    severity = Severity.error
    tags = ("interconnect",)
    fix_hint = "Use an offered bandwidth: " + ", ".join(
        f"{catalog.aws_bandwidth(b)}/{catalog.gcp_bandwidth(b)}" for b in sorted(catalog.OFFERED_BANDWIDTHS)
    )

    def check(self, topo):
        offered = sorted(catalog.OFFERED_BANDWIDTHS)
        for ic in topo.spec.interconnects:
            bps = ic.bandwidth
            if bps in catalog.OFFERED_BANDWIDTHS:
                continue
            i = bisect.bisect(offered, bps)
            near = [_both(b) for b in offered[max(i - 1, 0) : i + 1]]
            yield self.finding(
                topo, ic,
                f"interconnect '{ic.name}' (AWS {ic.aws.region} <-> Google {ic.gcp.region}) has bandwidth "
                f"{_both(bps)}, which is not offered; nearest offered: {' or '.join(near)}",
                field=("bandwidth",),
            )


def _both(bps: int) -> str:
    return f"{catalog.aws_bandwidth(bps)} / {catalog.gcp_bandwidth(bps)}"
