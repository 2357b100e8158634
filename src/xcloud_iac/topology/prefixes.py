"""An index of IP prefixes for overlap and longest-match queries without comparing every pair.

CIDR blocks are aligned, so any two are either disjoint or nested. The index keeps, per IP version, the blocks
sorted by (start, -end): the blocks inside a query are one contiguous run found by bisection, and the blocks that
contain it are found by looking up each shorter prefix length that occurs. Overlapping pairs come from one sweep
with a stack of the enclosing blocks. Everything is O(log n) per query plus the size of the answer.

Lookups work on integers (start address, prefix length, masks per length) and yield the prefixes that were added,
never new `ipaddress` objects: building those dominated the routing queries at organisation scale.
"""

from __future__ import annotations

import bisect
import ipaddress
from collections.abc import Collection, Iterable, Iterator
from typing import Generic, TypeVar

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
V = TypeVar("V")

_BITS = {4: 32, 6: 128}
# MASKS[version][length]: the network mask of that length, as an int
MASKS = {v: [((1 << bits) - 1) ^ ((1 << (bits - n)) - 1) for n in range(bits + 1)] for v, bits in _BITS.items()}


def key(prefix: IPNetwork) -> tuple[int, int, int]:
    """(version, prefix length, first address as an int): what the index compares."""
    return prefix.version, prefix.prefixlen, int(prefix.network_address)


class PrefixIndex(Generic[V]):
    def __init__(self, items: Iterable[tuple[IPNetwork, V]] = ()) -> None:
        # (version, length, start) -> (the prefix, values in insertion order)
        self._exact: dict[tuple[int, int, int], tuple[IPNetwork, list[V]]] = {}
        self._lengths: dict[int, list[int]] = {4: [], 6: []}  # lengths in use, longest first
        self._entries: list[tuple[int, int, int, int, IPNetwork, V]] = []  # (version, start, -end, seq, prefix, value)
        self._sorted = True
        self._keys: list[tuple[int, int]] = []
        self._by_value: dict[V, list[int]] | None = None  # positions of each value's entries, for restricted()
        self.extend((prefix, value, None) for prefix, value in items)

    def add(self, prefix: IPNetwork, value: V, prefix_key: tuple[int, int, int] | None = None) -> None:
        """Add an entry; `prefix_key`: key(prefix), when the caller has it already."""
        self.extend(((prefix, value, prefix_key),))

    def extend(self, items: Iterable[tuple[IPNetwork, V, tuple[int, int, int] | None]]) -> None:
        """Add (prefix, value, key(prefix) or None) entries: add() for many (indexes of 100,000 routes are built)."""
        exact, entries, all_lengths = self._exact, self._entries, self._lengths
        for prefix, value, prefix_key in items:
            version, length, start = prefix_key or (prefix.version, prefix.prefixlen, int(prefix.network_address))
            slot = exact.get((version, length, start))
            if slot is None:
                exact[(version, length, start)] = (prefix, [value])
                lengths = all_lengths[version]
                if length not in lengths:
                    lengths.append(length)
                    lengths.sort(reverse=True)
            else:
                slot[1].append(value)
            entries.append((version, start, -(start | ((1 << (_BITS[version] - length)) - 1)), len(entries), prefix, value))
        self._sorted = False
        self._by_value = None

    def __len__(self) -> int:
        return len(self._entries)

    def groups(self) -> Iterator[tuple[IPNetwork, list[V]]]:
        """Each distinct prefix with its values (in insertion order), in the order the prefixes were first added."""
        return iter(self._exact.values())

    def distinct(self) -> int:
        """How many distinct prefixes there are."""
        return len(self._exact)

    def _ensure_sorted(self) -> None:
        if not self._sorted:
            self._entries.sort()  # by (version, start, -end, seq): seq is unique, so values are never compared
            self._keys = [(e[0], e[1]) for e in self._entries]
            self._sorted = True

    def exact(self, prefix: IPNetwork) -> list[V]:
        return self.at(key(prefix))

    def at(self, prefix_key: tuple[int, int, int]) -> list[V]:
        """exact(), for a prefix given by its key()."""
        slot = self._exact.get(prefix_key)
        return slot[1] if slot else []

    def containing(self, prefix: IPNetwork, *, strict: bool = False) -> Iterator[tuple[IPNetwork, V]]:
        """Entries whose prefix contains `prefix` (itself included unless strict), longest first."""
        version, length, start = key(prefix)
        masks, exact = MASKS[version], self._exact
        for n in self._lengths[version]:
            if n > length or (strict and n == length):
                continue
            slot = exact.get((version, n, start & masks[n]))
            if slot is not None:
                sup = slot[0]
                for value in slot[1]:
                    yield sup, value

    def containing_groups(self, prefix: IPNetwork) -> Iterator[tuple[IPNetwork, list[V]]]:
        """Like containing(), with the values of each matching prefix together (in insertion order)."""
        version, length, start = key(prefix)
        masks, exact = MASKS[version], self._exact
        for n in self._lengths[version]:
            if n <= length:
                slot = exact.get((version, n, start & masks[n]))
                if slot is not None:
                    yield slot

    def longest_match(self, prefix: IPNetwork) -> tuple[IPNetwork, list[V]] | None:
        """The most specific entries that contain `prefix`, with their prefix."""
        version, length, start = key(prefix)
        masks = MASKS[version]
        for n in self._lengths[version]:
            if n <= length:
                slot = self._exact.get((version, n, start & masks[n]))
                if slot is not None:
                    return slot[0], slot[1]
        return None

    def within(self, prefix: IPNetwork, *, strict: bool = False) -> Iterator[tuple[IPNetwork, V]]:
        """Entries inside `prefix` (itself included unless strict)."""
        self._ensure_sorted()
        version, length, start = key(prefix)
        end = start | ((1 << (_BITS[version] - length)) - 1)
        entries = self._entries
        i = bisect.bisect_left(self._keys, (version, start))
        while i < len(entries):
            v, s, neg_end, _seq, p, value = entries[i]
            if v != version or s > end:
                break
            if -neg_end <= end and not (strict and -neg_end == end and s == start):
                yield p, value
            i += 1

    def count_within(self, prefix: IPNetwork) -> int:
        """How many entries start inside `prefix`: an upper bound of len(list(within(prefix))), in O(log n)."""
        self._ensure_sorted()
        version, length, start = key(prefix)
        end = start | ((1 << (_BITS[version] - length)) - 1)
        return bisect.bisect_right(self._keys, (version, end)) - bisect.bisect_left(self._keys, (version, start))

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

    def restricted(self, values: Collection[V]) -> PrefixIndex[V]:
        """The entries whose value is in `values`: every query answers as on this index, minus the others, in the
        same order. Costs the size of the answer, not of this index."""
        self._ensure_sorted()
        if self._by_value is None:
            self._by_value = {}
            for i, entry in enumerate(self._entries):
                self._by_value.setdefault(entry[5], []).append(i)
        positions = sorted(i for v in values for i in self._by_value.get(v, ()))
        sub: PrefixIndex[V] = PrefixIndex()
        for i in positions:  # in sorted order, which keeps the insertion order of equal prefixes
            _v, _s, _e, _seq, prefix, value = self._entries[i]
            sub.add(prefix, value)
        return sub
