"""Contract rules XC801..XC810: a planned resource that the cloud's API would refuse or replace.

The contract check (`xcloud_iac.contracts`, a stage after the plan) holds every planned resource against the
clouds' own API definitions and gives `Violation`s; these rules turn them into findings located at the spec field
that produced the value. Like the live rules, a contract rule is constructed with what it judges:
`Rule(violations)`; constructed without (as the registry does for `validate`), it finds nothing. Running them
through the ordinary engine (`checks.check(stack, [cls(violations) ...])`) gives waivers, de-duplication and sorting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from ...spec.errors import format_path
from ...topology import Topology
from ..finding import Finding, Related
from ..registry import Rule


@dataclass(frozen=True)
class Violation:
    kind: str
    """pattern | length | enum | range | required | exclusive | read_only | create_only | region | unknown"""
    resource: str
    """The resource's key (its URN without stack and project)."""
    type: str
    name: str
    """The resource's logical name."""
    input: str
    """The input (camelCase, dotted into nested values) the value came from; "" for the resource as a whole."""
    message: str
    contract: str
    """Which contract says so, e.g. `AWS::IAM::Role (cfn-lint 1.58.0) MaxSessionDuration: minimum 3600`."""
    subject: tuple = ()
    """(spec file, spec path) of the spec object the resource was built from, when known."""
    field: tuple[str | int, ...] = ()
    """The field of that object that produced the value, when known."""


class ContractRule(Rule):
    kind: ClassVar[str]
    tags: ClassVar[tuple[str, ...]] = ("contract",)

    def __init__(self, violations: Sequence[Violation] | None = None) -> None:
        self.violations = violations

    def check(self, topo: Topology) -> Iterable[Finding]:
        if not self.violations:
            return
        objects = {(obj.spec_file, path): obj for path, obj in topo.spec.objects() if path}
        for v in self.violations:
            if v.kind != self.kind:
                continue
            message = f"{v.type} '{v.name}'{f' {v.input}' if v.input else ''}: {v.message}"
            related = (Related(f"contract: {v.contract}", v.resource),)
            obj = objects.get(v.subject) if v.subject else None
            if obj is None:
                yield Finding(self.id, self.severity, message, v.resource, None, self.fix_hint, related)
                continue
            finding = self.finding(topo, obj, message, field=v.field)
            location = finding.location or topo.locate(obj)
            yield Finding(finding.rule, finding.severity, message, format_path((*obj.spec_path, *v.field)),
                          location, finding.hint, related, subject=finding.subject)


def contract_rule_classes() -> list[type[ContractRule]]:
    from ..registry import rule_classes

    return [cls for cls in rule_classes() if issubclass(cls, ContractRule)]
