from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule
from ._routes import drift


@register
class LiveBlackhole(LiveRule):
    """A live route is a blackhole the spec does not declare: a static route whose attachment was deleted or is not
    available, or a blackhole route added outside the stack. Traffic for the prefix is dropped."""

    id = "XC704"
    title = "Undeclared blackhole route"
    severity = Severity.error
    fix_hint = "Restore the attachment the route points to (or re-apply the stack), or remove the blackhole route."

    def check_live(self, topo, live):
        for d in drift(topo, live):
            if d.kind == "blackhole":
                yield self.finding(topo, d.obj, d.message, field=d.field)
