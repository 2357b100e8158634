from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule
from ._routes import drift


@register
class MissingRoute(LiveRule):
    """A route of the spec's effective routes is not in the live route table: a static or blackhole route was
    deleted, a VPC attachment no longer propagates its CIDRs, or the far side of an interconnect or link stopped
    advertising a prefix (BGP down, or a changed advertisement)."""

    id = "XC703"
    title = "Missing route in a live route table"
    severity = Severity.error
    fix_hint = (
        "Re-apply the stack (pulumi up) for static routes and propagations; for learned routes, check the BGP session "
        "and the far side's advertisements."
    )

    def check_live(self, topo, live):
        for d in drift(topo, live):
            if d.kind == "missing":
                yield self.finding(topo, d.obj, d.message, field=d.field)
