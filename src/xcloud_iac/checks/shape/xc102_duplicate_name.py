from __future__ import annotations

from ..finding import Severity
from ..registry import Rule, register


@register
class DuplicateName(Rule):
    """Two objects of the same kind share a name, or one's previous name (an alias of its deployed resources)
    is another's name or previous name. Names key references and logical resource names, so the stack is
    ambiguous; across files this also catches two stacks claiming the same object."""

    id = "XC102"
    title = "Duplicate name"
    severity = Severity.error
    tags = ("shape",)
    fix_hint = "Give each object a unique name within its kind."

    def check(self, topo):
        for what, objs in topo.duplicates:
            first = objs[0]
            for dup in objs[1:]:
                yield self.finding(
                    topo, dup, f"{what} is declared more than once",
                    field=("name",), related=[(f"first declaration of '{first.name}'", first, ("name",))],
                )
        for what, obj, holder, where in topo.previous_name_clashes:
            yield self.finding(
                topo, obj, f"{what} is a previous name of '{obj.name}' and also claimed by '{holder.name}': a previous name "
                "belongs to one object only, and not to one that carries it now",
                field=("previous_names",),
                related=[(f"claimed by '{holder.name}'", holder, (where,))],
            )
