from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import ContractRule


@register
class PatternContract(ContractRule):
    """A value of a planned resource does not match the pattern the cloud's API definition requires (a CloudFormation schema's `pattern`, a botocore shape's `pattern`, or the regular expression a Google discovery document states): the create call is refused."""

    id = "XC801"
    kind = "pattern"
    title = "Value does not match the API's pattern"
    severity = Severity.error
    fix_hint = "Change the spec value (names, descriptions) to the characters the API allows."
