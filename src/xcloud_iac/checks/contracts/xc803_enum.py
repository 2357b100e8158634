from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import ContractRule


@register
class EnumContract(ContractRule):
    """A value of a planned resource is not one of the values the API's enum allows (e.g. a bandwidth Google's Transport has no value for)."""

    id = "XC803"
    kind = "enum"
    title = "Value not among the API's allowed values"
    severity = Severity.error
    fix_hint = "Use one of the values the API allows (the message lists them)."
