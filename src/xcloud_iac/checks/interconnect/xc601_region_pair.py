from __future__ import annotations

from ...spec import catalog
from ..finding import Severity
from ..registry import Rule, register


@register
class RegionPairNotOffered(Rule):
    """An interconnect joins an AWS region and a Google Cloud region that AWS Interconnect - multicloud does not
    offer as a pair (catalog.INTERCONNECT_REGION_PAIRS: each offered AWS region has one Google partner region)."""

    id = "XC601"
    title = "Interconnect region pair not offered"
    severity = Severity.error
    tags = ("interconnect",)
    fix_hint = "Use an offered pair: " + ", ".join(f"{a} <-> {g}" for a, g in catalog.INTERCONNECT_REGION_PAIRS.items())

    def check(self, topo):
        pairs = catalog.INTERCONNECT_REGION_PAIRS
        for ic in topo.spec.interconnects:
            aws, gcp = ic.aws.region, ic.gcp.region
            partner = pairs.get(aws)
            if partner == gcp:
                continue
            what = f"interconnect '{ic.name}' joins AWS {aws} and Google {gcp}"
            if partner is not None:
                yield self.finding(
                    topo, ic, f"{what}, but AWS {aws} is offered only with Google {partner}", field=("gcp", "region"),
                )
                continue
            others = [a for a, g in pairs.items() if g == gcp]
            alt = f"; Google {gcp} is offered with AWS {', '.join(others)}" if others else ""
            yield self.finding(
                topo, ic, f"{what}, but AWS {aws} is not an offered interconnect region{alt}", field=("aws", "region"),
            )
