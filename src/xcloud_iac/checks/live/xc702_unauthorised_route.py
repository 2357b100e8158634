from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule
from ._routes import drift


@register
class UnauthorisedRoute(LiveRule):
    """A Transit Gateway route table holds a route the spec does not allow: a static route it does not declare (or
    to another attachment), a propagated route from an attachment that should not propagate into the table, a VPC
    range the spec does not declare, or a prefix learned over an interconnect or link outside that side's allow-list
    (rule XC304, observed at run time). Traffic for the prefix goes somewhere the spec never meant."""

    id = "XC702"
    title = "Unauthorised route in a live route table"
    severity = Severity.error
    fix_hint = (
        "Remove the route (or the propagation, or stop the far side advertising it); if it is meant, declare it in "
        "the spec (static route, allow-list) and run xcloud validate."
    )

    def check_live(self, topo, live):
        for d in drift(topo, live):
            if d.kind == "unauthorised":
                yield self.finding(topo, d.obj, d.message, field=d.field)
