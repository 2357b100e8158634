from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import ContractRule


@register
class ExclusiveContract(ContractRule):
    """A planned resource sets properties the API treats as mutually exclusive (e.g. an activation key together with a bandwidth)."""

    id = "XC806"
    kind = "exclusive"
    title = "Mutually exclusive API properties set together"
    severity = Severity.error
    fix_hint = "Leave out one side: a resource that accepts an activation key takes its bandwidth and account from the key."
