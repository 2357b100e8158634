"""Findings: what a rule reports, located in the spec."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..spec.errors import Location


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
