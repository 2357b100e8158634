"""Findings: what a rule reports, located in the spec. A shared value type on the ground floor: the checks, the
trust auditor, verify and the renderers all use it, and it imports nothing above the spec's locations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from .spec.errors import Location


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    note = "note"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "note": 0}[self.value]


@dataclass(frozen=True)
class Related:
    """The other side of a finding (the network it overlaps, the rule it loops with...)."""

    message: str
    path: str
    location: Location | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "message": self.message,
            "path": self.path,
            "location": self.location.to_dict() if self.location else None,
        }


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    path: str
    location: Location | None
    hint: str
    related: tuple[Related, ...] = ()
    waived: str | None = field(default=None, compare=False)  # the waiver's reason, when waived
    # (file, spec path) of the object the finding is about: waivers on it or its parents apply
    subject: tuple = field(default=(), compare=False, repr=False)

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file if loc else "", loc.line if loc else 0, loc.column if loc else 0, self.rule, self.message)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "location": self.location.to_dict() if self.location else None,
            "related": [r.to_dict() for r in self.related],
            "hint": self.hint,
        }
        if self.waived is not None:
            out["waived"] = self.waived
        return out

    def __str__(self) -> str:
        where = f" at {self.location}" if self.location else ""
        return f"{self.rule} {self.message}{where}"


# The catalogue's severity of a rule id. The rules live in checks/, above this floor; the registry installs its
# lookup here when it is imported (the package root imports it), so the trust auditor and verify word their findings
# with the catalogue's severity without importing the checks.
_severity_source: Callable[[str], Severity | None] | None = None


def install_severity_source(source: Callable[[str], Severity | None]) -> None:
    global _severity_source
    _severity_source = source


def severity_of(rule: str) -> Severity:
    """The catalogue's severity of `rule` (error when the catalogue does not know it)."""
    found = _severity_source(rule) if _severity_source is not None else None
    return found if found is not None else Severity.error
