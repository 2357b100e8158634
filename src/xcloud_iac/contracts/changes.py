"""Create-only changes in a diff: an input whose contract property is create-only (CloudFormation
createOnlyProperties, a Google field marked Immutable) changes between two plans, so the resource is replaced.

This is the cross-check of `xcloud diff`'s replace table (plan/immutable.py, written from the Terraform providers):
a create-only change the table also lists is a replacement the diff already shows; one it does not list says so.
"""

from __future__ import annotations

from ..checks.contracts import Violation
from ..plan.immutable import replace_source
from ..plan.inventory import Inventory
from .mapping import TABLE, Prop
from .verdict import contract_of


def create_only_inputs(token: str) -> dict[str, str]:
    """input -> the create-only property it maps to, for a type in the table."""
    target = TABLE.get(token)
    contract = contract_of(target) if target else None
    if target is None or contract is None:
        return {}
    return {name: prop.path.split(".")[0] for name, prop in target.inputs.items()
            if isinstance(prop, Prop) and prop.path.split(".")[0] in contract.create_only}


def create_only_changes(before: Inventory, after: Inventory) -> list[Violation]:
    old = before.by_key()
    out = []
    for new in after.resources:
        prior = old.get(new.key)
        if prior is None or new.read or prior.read or not new.custom:
            continue
        for name, prop in sorted(create_only_inputs(new.type).items()):
            was, now = prior.inputs.get(name), new.inputs.get(name)
            if was == now:
                continue
            source = contract_of(TABLE[new.type]).source  # type: ignore[union-attr]
            listed = replace_source(new.type, name)
            protected = " (protected: `pulumi up` stops)" if new.protect else ""
            if listed:
                message = f"{prop} is create-only: changing it replaces the resource{protected}"
            else:  # the provider updates it in place (or the table misses it): the API may refuse the update
                message = (f"{prop} is create-only in the API, but xcloud diff's replace table (plan/immutable.py) "
                           "does not list it: the provider may try an update the API refuses")
            out.append(Violation(
                "create_only", new.key, new.type, new.name, name, message,
                f"{source} {prop}: createOnlyProperties / Immutable",
            ))
    return out
