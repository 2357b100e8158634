from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import ContractRule


@register
class RangeContract(ContractRule):
    """A number of a planned resource is below the API's minimum or above its maximum (e.g. an IAM role's MaxSessionDuration outside 3600..43200)."""

    id = "XC804"
    kind = "range"
    title = "Number outside the API's range"
    severity = Severity.error
    fix_hint = "Set the spec value within the API's range."
