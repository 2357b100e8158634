from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import ContractRule


@register
class CreateOnlyContract(ContractRule):
    """A change to a property the API fixes at creation (createOnlyProperties, immutable) means Pulumi deletes and re-creates the resource. On a protected resource `pulumi up` stops; on an interconnect or gateway it is an outage. Reported by `xcloud diff`."""

    id = "XC808"
    kind = "create_only"
    title = "Change replaces the resource (create-only property)"
    severity = Severity.warning
    fix_hint = "Keep the value, or plan the replacement (a new resource beside the old one, then move traffic)."
