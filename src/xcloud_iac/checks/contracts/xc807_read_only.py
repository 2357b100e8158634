from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import ContractRule


@register
class ReadOnlyContract(ContractRule):
    """A planned resource sets a property the API computes itself (readOnlyProperties, output only): the request is refused or the value ignored, and every later run shows a difference."""

    id = "XC807"
    kind = "read_only"
    title = "Read-only API property set"
    severity = Severity.error
    fix_hint = "Do not set the property; read it from the resource's outputs."
