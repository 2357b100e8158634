from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import ContractRule


@register
class RequiredContract(ContractRule):
    """A planned resource lacks a property the API requires, either in the schema's `required` list or in a group the API's documentation states (e.g. bandwidth, remote account and remote profile of a Transport created without an activation key)."""

    id = "XC805"
    kind = "required"
    title = "Required API property missing"
    severity = Severity.error
    fix_hint = "Set the spec field that provides the missing property."
