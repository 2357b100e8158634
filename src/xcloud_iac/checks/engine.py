"""Run the rules over a stack: shape first, then everything else; apply waivers; sort the findings."""

from __future__ import annotations

import dataclasses
import traceback
from dataclasses import dataclass, field

from .. import collector
from ..spec import models as m
from ..topology import Topology, build
from .finding import Finding, Severity
from .registry import Rule, spec_rules

# Shape errors that make the graph untrustworthy: later rules would report noise, and deploy() must not run.
BLOCKING_RULES = frozenset({"XC101", "XC102"})


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)  # active findings, sorted
    waived: list[Finding] = field(default_factory=list)
    topology: Topology | None = None

    @property
    def unusable(self) -> bool:
        """A dangling reference or duplicate name: the stack cannot be built as written."""
        return any(f.rule in BLOCKING_RULES for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.error]

    def at_or_above(self, severity: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity.rank >= severity.rank]


def check(stack: m.Stack, rules: list[Rule] | None = None) -> Report:
    """Every finding of `rules` (default: the whole catalogue but the live rules, which find nothing without what
    verify read) on a stack (its hub attachments joined to their hubs: `Stack.organised`)."""
    stack = stack.organised()
    with collector.paused():
        topo = build(stack)
        rules = spec_rules() if rules is None else rules
        owners = _Owners(stack)
        report = Report(topology=topo)
        shape = [r for r in rules if r.id in BLOCKING_RULES]
        _run(shape, topo, owners, report)
        if not report.unusable:
            _run([r for r in rules if r.id not in BLOCKING_RULES], topo, owners, report)
        report.findings.sort(key=Finding.sort_key)
        report.waived.sort(key=Finding.sort_key)
    return report


class _Owners:
    """(file, spec path) -> spec object, for waivers: built on the first finding (a clean stack never needs it)."""

    def __init__(self, stack: m.Stack) -> None:
        self.stack = stack
        self._map: dict | None = None

    def get(self, key: tuple) -> m.Model | None:
        if self._map is None:
            self._map = {(obj.spec_file, path): obj for path, obj in self.stack.objects() if path}
        return self._map.get(key)


def check_many(stacks: list[m.Stack]) -> Report:
    """Several stacks as one organisation-wide plan, so that conflicts between stacks that connect to each other
    are found too. Each object keeps its own file and path, so findings point into the right file.

    Only the plan is checked: adding the other files can only add conflicts (overlaps, hijacks, clashes) or
    resolve what a file alone lacks (a network another file attaches, a route back declared elsewhere), so a
    file's findings on its own are either repeated by the plan or made moot by it."""
    return check(stacks[0]) if len(stacks) == 1 else check(m.Stack.merge(stacks))


def _run(rules: list[Rule], topo: Topology, owners: _Owners, report: Report) -> None:
    for rule in rules:
        try:
            found = list(rule.check(topo))
        except Exception as exc:  # a rule bug must not hide the other findings
            where = traceback.extract_tb(exc.__traceback__)[-1]
            found = [
                Finding(
                    rule.id, Severity.error, f"internal error in rule {rule.id}: {exc!r} ({where.filename}:{where.lineno})",
                    "<root>", None, "Please report this with the spec that triggers it.",
                )
            ]
        seen: set[Finding] = set()
        for finding in found:
            if finding in seen:
                continue
            seen.add(finding)
            reason = _waiver(finding, owners)
            if reason is None:
                report.findings.append(finding)
            else:
                report.waived.append(dataclasses.replace(finding, waived=reason))


def _waiver(finding: Finding, owners: _Owners) -> str | None:
    """The reason of a waiver for the finding's rule on its object or one of the object's parents."""
    if not finding.subject:
        return None
    file, path = finding.subject
    for end in range(len(path), 0, -1):
        obj = owners.get((file, path[:end]))
        if isinstance(obj, m.Named):
            for waiver in obj.ignore:
                if waiver.rule == finding.rule:
                    return waiver.reason
    return None
