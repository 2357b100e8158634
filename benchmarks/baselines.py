"""Naive baselines, written the obvious way, that must find exactly what the library finds.

- XC201 by comparing every pair of network ranges (O(n^2)), asking the routing model about each overlapping pair;
  the library's prefix index finds the same pairs in one sweep.
- XC401 by following every forwarding chain from every network, for every domain it forwards; the library runs one
  colouring depth-first search per forwarded domain.

Both end in the rule's own wording (`findings_for`), so the comparison is of the search, and the findings can be
compared byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator

from xcloud_iac.checks.addressing.xc201_overlap import CidrOverlap
from xcloud_iac.checks.dns.xc401_forwarding_loop import ForwardingLoop
from xcloud_iac.topology import DnsLoop, Step, Topology


def pairwise_overlaps(topo: Topology) -> list:
    """XC201's findings from a comparison of every pair of network ranges."""
    return list(CidrOverlap().findings_for(topo, _overlapping_pairs(topo)))


def _overlapping_pairs(topo: Topology) -> Iterator[tuple]:
    items = [(cidr, net.name) for net in topo.networks.values() for cidr in net.cidrs]
    ranges = [(c.version, int(c.network_address), int(c.broadcast_address)) for c, _name in items]
    for i, (version, start, end) in enumerate(ranges):
        for j in range(i + 1, len(ranges)):
            other_version, other_start, other_end = ranges[j]
            if version == other_version and start <= other_end and other_start <= end:
                # the enclosing range first, as the index gives them (the earlier one when they are equal)
                inside = start <= other_start and other_end <= end
                yield (items[i], items[j]) if inside else (items[j], items[i])


def chained_dns_loops(topo: Topology) -> list:
    """XC401's findings from following every forwarding chain from every network."""
    return list(ForwardingLoop().findings_for(topo, _every_chain(topo)))


def _every_chain(topo: Topology) -> list[DnsLoop]:
    """Every loop met by a query for a forwarded domain from a network that forwards it, each reported once, under
    the first domain (parents first) that meets it, the smallest network first - as Forwarding.loops reports them."""
    model = topo.dns
    found: list[DnsLoop] = []
    seen: set[frozenset] = set()
    domains = sorted({d for _net, table in model.tables() for d in table}, key=lambda d: (d.count("."), d))
    for domain in domains:
        for network, table in model.tables():
            if domain not in table:
                continue
            for cycle in _chains(model, network, domain, [network], []):
                key = frozenset((s.network, id(s.forwarder)) for s in cycle)
                if key not in seen:
                    seen.add(key)
                    first = min(range(len(cycle)), key=lambda i: cycle[i].network)
                    found.append(DnsLoop(domain, tuple(cycle[first:] + cycle[:first])))
    return found


def _chains(model, network: str, qname: str, path: list[str], steps: list[Step]) -> Iterator[list[Step]]:
    """Follow every chain of forwarding from `network` (the end of `path`); yield each loop closed on the way."""
    for nxt, step in model.next_hops(network, qname):
        if nxt in path:
            yield [*steps[path.index(nxt):], step]
        else:
            yield from _chains(model, nxt, qname, [*path, nxt], [*steps, step])
