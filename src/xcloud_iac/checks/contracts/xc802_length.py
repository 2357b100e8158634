from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import ContractRule


@register
class LengthContract(ContractRule):
    """A string (or list) of a planned resource is outside the API's minLength/maxLength. A name left to Pulumi's auto-naming gets a 7-character suffix after a dash, so the limit applies to the logical name plus 8."""

    id = "XC802"
    kind = "length"
    title = "Value too long or too short for the API"
    severity = Severity.error
    fix_hint = "Shorten the spec name (or set an explicit shorter name) so it fits the API's limit."
