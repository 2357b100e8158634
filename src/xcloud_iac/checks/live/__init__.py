"""Live rules XC700..XC719: the deployed AWS side compared with the spec (`xcloud verify`).

A live rule needs what verify read (a `LiveState`), so it is constructed with one: `Rule(live)`. Constructed
without (as the registry does for `validate`), it finds nothing. Running live rules through the ordinary engine
(`checks.check(stack, [cls(live) ...])`) gives them waivers, de-duplication and sorting like every other rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from ...topology import Topology
from ..finding import Finding
from ..registry import Rule
from .state import IPNetwork, LiveState


class LiveRule(Rule):
    tags: ClassVar[tuple[str, ...]] = ("live",)

    def __init__(self, live: LiveState | None = None) -> None:
        self.live = live

    def check(self, topo: Topology) -> Iterable[Finding]:
        return () if self.live is None else self.check_live(topo, self.live)

    def check_live(self, topo: Topology, live: LiveState) -> Iterable[Finding]:
        raise NotImplementedError


def live_rule_classes() -> list[type[LiveRule]]:
    from ..registry import rule_classes

    return [cls for cls in rule_classes() if issubclass(cls, LiveRule)]


def prefixes(values: Iterable) -> str:
    """Prefixes sorted (IPv4 first) and joined, for messages."""
    return ", ".join(str(p) for p in sorted(values, key=lambda p: (p.version, p))) or "none"


def admitted(prefix: IPNetwork, sources: Iterable[IPNetwork]) -> bool:
    """`prefix` lies inside one of `sources` (of its IP version)."""
    return any(prefix.version == s.version and prefix.subnet_of(s) for s in sources)  # type: ignore[arg-type]
