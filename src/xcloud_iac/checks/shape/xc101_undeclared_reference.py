from __future__ import annotations

import difflib

from ..finding import Severity
from ..registry import Rule, register


@register
class UndeclaredReference(Rule):
    """A field names an object (network, hub, route table, subnet, resolver...) that the stack does not declare.
    The stack cannot be built as written, so no other rule runs and deploy() refuses it."""

    id = "XC101"
    title = "Reference to an undeclared object"
    severity = Severity.error
    tags = ("shape",)
    fix_hint = "Declare the object, or correct the name to one that is declared."

    def check(self, topo):
        for d in topo.dangling:
            close = difflib.get_close_matches(d.name, d.expected, n=1)
            guess = f"; did you mean '{close[0]}'?" if close else ""
            shown = ", ".join(d.expected[:10]) + (f" (and {len(d.expected) - 10} more)" if len(d.expected) > 10 else "")
            kind = d.kind.replace("_", " ")
            expected = f" Expected one of: {shown}" if d.expected else f" No {kind} is declared."
            yield self.finding(topo, d.obj, f"{kind} '{d.name}' is not declared{guess}{expected}", field=d.field)
