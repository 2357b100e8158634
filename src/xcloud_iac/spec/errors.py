"""Locations in spec files, and the error raised for unusable input."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "column": self.column}


def format_path(path: tuple[str | int, ...]) -> str:
    """('networks', 0, 'cidrs', 1) -> 'networks[0].cidrs[1]'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<root>"


@dataclass(frozen=True)
class Problem:
    """One reason a spec cannot be used: where, which field, what was expected."""

    location: Location
    path: tuple[str | int, ...]
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {format_path(self.path)}: {self.message}"

    def sort_key(self) -> tuple:
        return (self.location.file, self.location.line, self.location.column, self.message)

    def to_dict(self) -> dict[str, object]:
        return {"path": format_path(self.path), "location": self.location.to_dict(), "message": self.message}


class SpecError(Exception):
    """The spec cannot be used. Carries every problem found, each with file:line:column and field path."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
