"""A small IAM identity-policy evaluator, for asking what a generated policy allows instead of reading its text.

It follows the documented evaluation logic for identity policies of one account: an explicit Deny in any policy
wins; otherwise an Allow in any policy allows; otherwise the request is implicitly denied. A statement applies when
its Action (or NotAction) and Resource (or NotResource) match, with IAM wildcards (`*`, `?`; actions match without
regard to case), and every condition holds: condition operators are ANDed, keys within an operator are ANDed, the
values of one key are ORed; an operator ending in IfExists holds when the key is absent, any other operator does
not. Operators: String{Equals,NotEquals,Like,NotLike}, Bool, Arn{Equals,Like}, Null.

(moto's `moto.iam.access_control.IAMPolicy` was considered: it returns DENIED when an Allow statement's condition
does not hold - where IAM simply does not apply the statement - and knows neither Bool nor the IfExists suffix, so
it cannot judge an MFA condition.)
"""

from __future__ import annotations

import fnmatch
import json
import re
from enum import Enum
from typing import Any


class Decision(Enum):
    ALLOW = "allow"
    EXPLICIT_DENY = "explicit deny"
    IMPLICIT_DENY = "implicit deny"


def _wild(pattern: str, value: str, *, case: bool) -> bool:
    regex = fnmatch.translate(pattern)  # '*' and '?' as IAM means them; no [] in IAM patterns
    return re.match(regex, value, 0 if case else re.IGNORECASE) is not None


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _matches(statement: dict, key: str, value: str, *, case: bool) -> bool:
    if key in statement:
        return any(_wild(p, value, case=case) for p in _listed(statement[key]))
    negated = "Not" + key
    return not any(_wild(p, value, case=case) for p in _listed(statement[negated]))


def _operator(name: str, wanted: list[str], actual: str) -> bool:
    if name == "StringEquals":
        return actual in wanted
    if name == "StringNotEquals":
        return actual not in wanted
    if name in ("StringLike", "ArnLike", "ArnEquals"):
        return any(_wild(w, actual, case=True) for w in wanted)
    if name == "StringNotLike":
        return not any(_wild(w, actual, case=True) for w in wanted)
    if name == "Bool":
        return actual.lower() in [w.lower() for w in wanted]
    raise ValueError(f"condition operator {name} is not supported by this evaluator")


def _condition_holds(conditions: dict, context: dict[str, str]) -> bool:
    lowered = {k.lower(): v for k, v in context.items()}  # condition keys are case-insensitive
    for operator, keys in conditions.items():
        if_exists = operator.endswith("IfExists")
        name = operator.removesuffix("IfExists")
        for key, values in keys.items():
            wanted = [str(v).lower() if isinstance(v, bool) else str(v) for v in _listed(values)]
            actual = lowered.get(key.lower())
            if name == "Null":
                if (actual is None) != (wanted[0].lower() == "true"):
                    return False
                continue
            if actual is None:
                if not if_exists:
                    return False
                continue
            if not _operator(name, wanted, actual):
                return False
    return True


def _applies(statement: dict, action: str, resource: str, context: dict[str, str]) -> bool:
    return (
        _matches(statement, "Action", action, case=False)
        and _matches(statement, "Resource", resource, case=True)
        and _condition_holds(statement.get("Condition", {}), context)
    )


def evaluate(policies: list[str | dict], action: str, resource: str = "*",
             context: dict[str, str] | None = None) -> Decision:
    """The decision for one request against every identity policy attached to the caller."""
    allowed = False
    for policy in policies:
        doc = json.loads(policy) if isinstance(policy, str) else policy
        statements = doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]
        for statement in statements:
            if not _applies(statement, action, resource, context or {}):
                continue
            if statement["Effect"] == "Deny":
                return Decision.EXPLICIT_DENY
            allowed = True
    return Decision.ALLOW if allowed else Decision.IMPLICIT_DENY
