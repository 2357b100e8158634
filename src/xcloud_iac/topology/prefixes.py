"""An index of IP prefixes for overlap and longest-match queries without comparing every pair.

CIDR blocks are aligned, so any two are either disjoint or nested. The index keeps, per IP version, the blocks
sorted by (start, -end): the blocks inside a query are one contiguous run found by bisection, and the blocks that
contain it are found by looking up each shorter prefix length that occurs. Overlapping pairs come from one sweep
with a stack of the enclosing blocks. Everything is O(log n) per query plus the size of the answer.
"""

from __future__ import annotations

import bisect
import ipaddress
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
V = TypeVar("V")


class PrefixIndex(Generic[V]):
    def __init__(self, items: Iterable[tuple[IPNetwork, V]] = ()) -> None:
        self._exact: dict[tuple[int, int, int], list[V]] = defaultdict(list)
        self._lengths: dict[int, set[int]] = {4: set(), 6: set()}
        self._entries: list[tuple[int, int, int, int, IPNetwork, V]] = []  # (version, start, -end, seq, prefix, value)
        self._sorted = True
        for prefix, value in items:
            self.add(prefix, value)

    def add(self, prefix: IPNetwork, value: V) -> None:
        start = int(prefix.network_address)
        self._exact[(prefix.version, prefix.prefixlen, start)].append(value)
        self._lengths[prefix.version].add(prefix.prefixlen)
        end = int(prefix.broadcast_address)
        self._entries.append((prefix.version, start, -end, len(self._entries), prefix, value))
        self._sorted = False

    def __len__(self) -> int:
        return len(self._entries)

    def _ensure_sorted(self) -> None:
        if not self._sorted:
            self._entries.sort(key=lambda e: e[:4])
            self._keys = [(e[0], e[1]) for e in self._entries]
            self._sorted = True
        elif not hasattr(self, "_keys"):
            self._keys = [(e[0], e[1]) for e in self._entries]

    def exact(self, prefix: IPNetwork) -> list[V]:
        return self._exact.get((prefix.version, prefix.prefixlen, int(prefix.network_address)), [])

    def containing(self, prefix: IPNetwork, *, strict: bool = False) -> Iterator[tuple[IPNetwork, V]]:
        """Entries whose prefix contains `prefix` (itself included unless strict), longest first."""
        lengths = sorted((n for n in self._lengths[prefix.version] if n <= prefix.prefixlen), reverse=True)
        for length in lengths:
            if strict and length == prefix.prefixlen:
                continue
            sup = prefix.supernet(new_prefix=length) if length < prefix.prefixlen else prefix
            for value in self._exact.get((prefix.version, length, int(sup.network_address)), ()):
                yield sup, value

    def longest_match(self, prefix: IPNetwork) -> tuple[IPNetwork, list[V]] | None:
        """The most specific entries that contain `prefix`, with their prefix."""
        for length in sorted((n for n in self._lengths[prefix.version] if n <= prefix.prefixlen), reverse=True):
            sup = prefix.supernet(new_prefix=length) if length < prefix.prefixlen else prefix
            values = self._exact.get((prefix.version, length, int(sup.network_address)))
            if values:
                return sup, values
        return None

    def within(self, prefix: IPNetwork, *, strict: bool = False) -> Iterator[tuple[IPNetwork, V]]:
        """Entries inside `prefix` (itself included unless strict)."""
        self._ensure_sorted()
        start, end = int(prefix.network_address), int(prefix.broadcast_address)
        i = bisect.bisect_left(self._keys, (prefix.version, start))
        while i < len(self._entries):
            version, s, neg_end, _seq, p, value = self._entries[i]
            if version != prefix.version or s > end:
                break
            if not (strict and p.prefixlen == prefix.prefixlen) and -neg_end <= end:
                yield p, value
            i += 1

    def overlapping(self, prefix: IPNetwork) -> Iterator[tuple[IPNetwork, V]]:
        """Entries that share at least one address with `prefix`."""
        yield from self.containing(prefix, strict=True)
        yield from self.within(prefix)

    def overlapping_pairs(self) -> Iterator[tuple[tuple[IPNetwork, V], tuple[IPNetwork, V]]]:
        """Every pair of entries that overlap (outer first), in one sweep."""
        self._ensure_sorted()
        stack: list[tuple[int, int, IPNetwork, V]] = []  # enclosing blocks: (version, end, prefix, value)
        for version, start, neg_end, _seq, prefix, value in self._entries:
            while stack and (stack[-1][0] != version or stack[-1][1] < start):
                stack.pop()
            for _v, _end, outer, outer_value in stack:
                yield (outer, outer_value), (prefix, value)
            stack.append((version, -neg_end, prefix, value))
