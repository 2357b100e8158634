from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import ContractRule


@register
class RegionContract(ContractRule):
    """The resource type does not exist in the region it is planned in (cfn-lint's per-region provider schemas)."""

    id = "XC809"
    kind = "region"
    title = "Resource type not available in the region"
    severity = Severity.error
    fix_hint = "Plan the resource in a region where the type is offered, or change the spec's region."
