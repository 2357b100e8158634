"""The prefix index answers like a brute-force comparison of every pair, on random prefixes."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from xcloud_iac.topology import PrefixIndex


def v4_prefixes():
    return st.builds(
        lambda addr, length: ipaddress.ip_network((addr, length), strict=False),
        st.integers(0, 2**32 - 1).map(lambda n: n & 0x0A0FFFFF | 0x0A000000),  # keep them clustered in 10.0/12
        st.integers(8, 28),
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(v4_prefixes(), min_size=0, max_size=40), v4_prefixes())
def test_queries_match_brute_force(prefixes, query) -> None:
    index = PrefixIndex((p, i) for i, p in enumerate(prefixes))
    items = list(enumerate(prefixes))
    assert sorted(v for _p, v in index.overlapping(query)) == sorted(i for i, p in items if p.overlaps(query))
    assert sorted(v for _p, v in index.within(query)) == sorted(i for i, p in items if p.subnet_of(query))
    assert sorted(v for _p, v in index.containing(query)) == sorted(i for i, p in items if query.subnet_of(p))
    pairs = {tuple(sorted((a[1], b[1]))) for a, b in index.overlapping_pairs()}
    brute = {(i, j) for i, p in items for j, q in items if i < j and p.overlaps(q)}
    assert pairs == brute


def test_longest_match_prefers_the_most_specific() -> None:
    index = PrefixIndex(
        [(ipaddress.ip_network("10.0.0.0/8"), "wide"), (ipaddress.ip_network("10.1.0.0/16"), "narrow")]
    )
    assert index.longest_match(ipaddress.ip_network("10.1.2.0/24")) == (ipaddress.ip_network("10.1.0.0/16"), ["narrow"])
    assert index.longest_match(ipaddress.ip_network("10.2.0.0/24")) == (ipaddress.ip_network("10.0.0.0/8"), ["wide"])
    assert index.longest_match(ipaddress.ip_network("192.168.0.0/24")) is None


def test_ipv4_and_ipv6_never_mix() -> None:
    index = PrefixIndex([(ipaddress.ip_network("::/0"), "v6"), (ipaddress.ip_network("0.0.0.0/0"), "v4")])
    assert [v for _p, v in index.overlapping(ipaddress.ip_network("10.0.0.0/8"))] == ["v4"]
    assert [v for _p, v in index.overlapping(ipaddress.ip_network("2600::/16"))] == ["v6"]
    assert list(index.overlapping_pairs()) == []
