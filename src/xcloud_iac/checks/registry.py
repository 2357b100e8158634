"""The rule registry: every rule module registers one `Rule` subclass; ids are unique and never reused."""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from collections.abc import Iterable, Iterator
from typing import ClassVar

from ..finding import Finding, Related, Severity, install_severity_source
from ..spec import catalog
from ..spec import models as m
from ..spec.errors import format_path
from ..topology import Topology

_RULES: dict[str, type[Rule]] = {}
AREAS = ("shape", "addressing", "routing", "dns", "identity", "interconnect", "live", "contracts")
# The live rules (XC7xx) judge what `xcloud verify` read: constructed without it, as check() would, they find
# nothing. check() runs the other areas' rules only, so validating never imports the live rule modules.
JUDGED_ON_LIVE_STATE = ("live",)
SPEC_AREAS = tuple(a for a in AREAS if a not in JUDGED_ON_LIVE_STATE)
_discovered: set[str] = set()


class DuplicateRuleError(RuntimeError):
    pass


class Rule:
    """One check. Subclasses set the metadata and implement `check`; `finding` locates and words the result."""

    id: ClassVar[str]
    title: ClassVar[str]
    severity: ClassVar[Severity]
    tags: ClassVar[tuple[str, ...]] = ()
    fix_hint: ClassVar[str]

    def check(self, topo: Topology) -> Iterable[Finding]:
        raise NotImplementedError

    @classmethod
    def description(cls) -> str:
        return " ".join((cls.__doc__ or "").split())

    def finding(
        self,
        topo: Topology,
        obj: m.Model,
        message: str,
        *,
        field: tuple[str | int, ...] = (),
        related: Iterable[tuple[str, m.Model, tuple[str | int, ...]]] = (),
        severity: Severity | None = None,
        hint: str | None = None,
    ) -> Finding:
        """A finding on `obj` (optionally one of its fields), with `related` = (message, object, field) triples."""
        return Finding(
            rule=self.id,
            severity=severity or self.severity,
            message=message,
            path=format_path((*obj.spec_path, *field)),
            location=topo.locate(obj, *field),
            hint=hint or self.fix_hint,
            related=tuple(
                Related(msg, format_path((*o.spec_path, *f)), topo.locate(o, *f)) for msg, o, f in related
            ),
            subject=(obj.spec_file, obj.spec_path),
        )


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the registry. Fails on a malformed or repeated id."""
    if not re.fullmatch(r"XC\d{3}", getattr(cls, "id", "")):
        raise DuplicateRuleError(f"{cls.__name__}: rule id must look like XC123")
    if cls.id not in catalog.RULE_IDS:
        raise DuplicateRuleError(f"{cls.id}: not in the catalogue (spec.catalog.RULE_IDS)")
    for attr in ("title", "severity", "fix_hint"):
        if not getattr(cls, attr, None):
            raise DuplicateRuleError(f"{cls.id}: missing {attr}")
    if cls.id in _RULES and _RULES[cls.id] is not cls:
        raise DuplicateRuleError(f"rule id {cls.id} is used by both {_RULES[cls.id].__name__} and {cls.__name__}")
    _RULES[cls.id] = cls
    return cls


def _discover(areas: tuple[str, ...] = AREAS) -> None:
    for area in areas:
        if area in _discovered:
            continue
        package = importlib.import_module(f"{__package__}.{area}")
        for info in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{info.name}")
        _discovered.add(area)


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by id."""
    _discover()
    return [cls() for _id, cls in sorted(_RULES.items())]


def spec_rules() -> list[Rule]:
    """The rules that judge a stack without live state (all but the live rules), sorted by id."""
    _discover(SPEC_AREAS)
    elsewhere = tuple(f"{__package__}.{area}." for area in JUDGED_ON_LIVE_STATE)
    return [cls() for _id, cls in sorted(_RULES.items()) if not cls.__module__.startswith(elsewhere)]


def rule_classes() -> Iterator[type[Rule]]:
    _discover()
    yield from (cls for _id, cls in sorted(_RULES.items()))


@functools.cache
def _severity(rule: str) -> Severity | None:
    _discover()
    cls = _RULES.get(rule)
    return cls.severity if cls is not None else None


install_severity_source(_severity)
