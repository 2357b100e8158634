"""What interconnect-area rules say about a connection: both of its sides, in words."""

from __future__ import annotations

from collections.abc import Iterator

from ...spec import models as m
from ...topology import Topology


def connections(topo: Topology) -> Iterator[tuple[str, m.Interconnect | m.ExternalLink, str, str]]:
    """Every interconnect and external link as (kind, object, far network, label naming both sides)."""
    for ic in topo.spec.interconnects:
        yield "interconnect", ic, ic.gcp.network, (
            f"interconnect '{ic.name}' (AWS {ic.aws.region} <-> Google network '{ic.gcp.network}' in {ic.gcp.region})"
        )
    for link in topo.spec.links:
        yield "link", link, link.remote.network, (
            f"link '{link.name}' (AWS {link.region} <-> network '{link.remote.network}' via {link.provider} "
            f"{link.location})"
        )
