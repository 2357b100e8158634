from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import ContractRule


@register
class UnknownContract(ContractRule):
    """A planned resource sends a nested property the API's definition does not have (additionalProperties: false)."""

    id = "XC810"
    kind = "unknown"
    title = "Property not in the API's definition"
    severity = Severity.error
    fix_hint = "Remove the property, or correct its name."
