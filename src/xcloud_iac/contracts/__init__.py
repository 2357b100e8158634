"""The contract stage (after the plan): every planned resource held against the clouds' own API contracts.

`contract_report(stack, inventory)` checks an inventory (from `plan.inventory.plan_stack` or a plan worker) and
returns the findings of the XC8xx rules, located at the spec fields the values came from, with waivers applied
like every other rule. `replacements(before, after)` (in `diff.py`) finds the create-only changes of a diff.
Schemas are read lazily (see `sources`): only the files of the types and regions a plan registers.
"""

from __future__ import annotations

import dataclasses

from ..checks import Report, check
from ..checks.contracts import Violation, contract_rule_classes
from ..plan.inventory import Inventory
from ..spec import models as m
from .changes import create_only_changes
from .provenance import Provenance
from .verdict import check_inventory

__all__ = ["Violation", "check_inventory", "contract_report", "diff_contract_findings", "locate"]


def locate(stack: m.Stack, inventory: Inventory, violations: list[Violation]) -> list[Violation]:
    """The violations with the spec object and field each came from."""
    provenance = Provenance(stack)
    by_key = inventory.by_key()
    out = []
    for v in violations:
        resource = by_key.get(v.resource)
        if resource is None:
            out.append(v)
            continue
        subject, field = provenance.subject(resource, v.input)
        out.append(dataclasses.replace(v, subject=subject, field=field))
    return out


def contract_report(stack: m.Stack, inventory: Inventory, violations: list[Violation] | None = None) -> Report:
    """The XC8xx findings of a planned stack (waivers applied, sorted)."""
    found = locate(stack, inventory, check_inventory(inventory) if violations is None else violations)
    return check(stack, [cls(found) for cls in contract_rule_classes()])


def diff_contract_findings(base: tuple[m.Stack, Inventory] | None,
                           head: tuple[m.Stack, Inventory] | None) -> tuple[list, list]:
    """(base findings, head findings) of a diff's two plans: each side's contract findings; the head also gets
    the create-only changes from base to head (XC808)."""
    base_findings = contract_report(*base).findings if base else []
    if head is None:
        return base_findings, []
    stack, inventory = head
    violations = check_inventory(inventory)
    if base is not None:
        violations += create_only_changes(base[1], inventory)
    return base_findings, contract_report(stack, inventory, violations).findings
