from __future__ import annotations

from ...spec import catalog
from ..finding import Severity
from ..registry import Rule, register
from ..routing._common import link_views


@register
class MtuMismatch(Rule):
    """MTU mismatch across an interconnect or external link. Errors: the link's MTU differs from the effective MTU
    of its far network (the Google network, or the external network; unset means the cloud default), or exceeds
    the 8500 bytes a Transit Gateway or Cloud WAN carries while the link is attached to one. Warning: a network that
    declares its MTU reaches a network across a link with a lower path MTU, so larger packets depend on path MTU
    discovery (one finding per network and set of links crossed, naming the lowest path)."""

    id = "XC204"
    title = "MTU mismatch across a link"
    severity = Severity.error
    tags = ("addressing",)
    fix_hint = (
        "Give the link and the networks on both sides the same MTU (at most 8500 through a hub), or clamp TCP MSS."
    )

    def check(self, topo):
        for link in link_views(topo):
            far = topo.networks.get(link.far_network)
            mtu = link.obj.mtu
            if far is not None and mtu != far.effective_mtu:
                unset = "" if far.mtu is not None else f" (the {far.cloud.value} default)"
                yield self.finding(
                    topo, link.obj, f"{link.label} has MTU {mtu}, but its network '{far.name}' has MTU "
                    f"{far.effective_mtu}{unset}", field=("mtu",),
                    related=[(f"network '{far.name}' MTU {far.effective_mtu}", far, ("mtu",))],
                )
            if mtu > catalog.TGW_MAX_MTU:
                for att in topo.attachments_of(link.kind, link.name):
                    yield self.finding(
                        topo, link.obj, f"{link.label} has MTU {mtu}, above the {catalog.TGW_MAX_MTU} that hub "
                        f"'{att.hub}' carries (attachment '{att.name}')", field=("mtu",),
                        related=[(f"attachment '{att.name}' of hub '{att.hub}'", att.obj, ("name",))],
                    )
        yield from self._path_mtu(topo)

    def _path_mtu(self, topo):
        routing = topo.routing
        below: dict[tuple[str, int], dict[tuple[str, ...], list[tuple[int, str]]]] = {}  # per (domain, MTU)

        def low_paths(dom: str, mtu: int) -> dict[tuple[str, ...], list[tuple[int, str]]]:
            # per set of links crossed, the two lowest (path MTU, destination): a network skips itself
            if (dom, mtu) not in below:
                groups: dict[tuple[str, ...], list[tuple[int, str]]] = {}
                for path_mtu, links, dests in routing.reach_by_path(dom):  # dests sorted: the first two suffice
                    if links and path_mtu is not None and path_mtu < mtu:
                        groups.setdefault(links, []).extend((path_mtu, dest) for dest in dests[:2])
                below[(dom, mtu)] = {links: sorted(found)[:2] for links, found in groups.items()}
            return below[(dom, mtu)]

        for net in topo.networks.values():
            if net.mtu is None:
                continue
            lowest: dict[tuple[str, ...], tuple[int, str]] = {}
            for dom in routing.source_domains(net.name):
                for links, found in low_paths(dom, net.mtu).items():
                    first = next((f for f in found if f[1] != net.name), None)
                    if first is not None and (links not in lowest or first < lowest[links]):
                        lowest[links] = first
            for links, (mtu, dest) in sorted(lowest.items()):
                crossed = [topo.interconnects.get(n) or topo.links[n] for n in links]
                yield self.finding(
                    topo, net, f"network '{net.name}' declares MTU {net.mtu}, but its path to network '{dest}' across "
                    f"{', '.join(routing.link_label(n) for n in links)} carries at most {mtu}",
                    field=("mtu",), severity=Severity.warning,
                    related=[(f"{routing.link_label(o.name)} MTU {o.mtu}", o, ("mtu",)) for o in crossed],
                )
