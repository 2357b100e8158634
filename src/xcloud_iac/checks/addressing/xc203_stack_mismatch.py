from __future__ import annotations

from ...spec.models import StackType
from ..finding import Severity
from ..registry import Rule, register
from ..routing._common import link_views


@register
class StackMismatch(Rule):
    """The IP stack differs across an interconnect or external link: a dual-stack link whose far network (the Google
    network, or the external network) is IPv4-only; an IPv6 prefix in an allow-list or advertisement of an
    IPv4-only link; or an IPv4-only link between dual-stack networks that reach each other across it, so their IPv6
    ranges cannot cross; or an IPv4-only link to an IPv6-only network (Google IPv6-only subnets, an external IPv6
    network), across which nothing of it can cross."""

    id = "XC203"
    title = "IP stack mismatch across a link"
    severity = Severity.error
    tags = ("addressing",)
    fix_hint = (
        "Set the link's stack_type to what must cross it (dual for IPv6), and keep IPv6 prefixes off IPv4-only links."
    )

    def check(self, topo):
        routing = topo.routing
        for link in link_views(topo):
            far = topo.networks.get(link.far_network)
            if far is None:
                continue
            if link.obj.stack_type is StackType.dual:
                if far.stack_type is StackType.ipv4:
                    yield self.finding(
                        topo, link.obj, f"{link.label} is dual-stack, but its network '{far.name}' is IPv4-only",
                        field=("stack_type",), related=[(f"network '{far.name}' is IPv4-only", far, ("stack_type",))],
                    )
                continue
            ipv4_only = [(f"{link.label} is IPv4-only", link.obj, ("stack_type",))]
            if far.stack_type is StackType.ipv6:
                yield self.finding(
                    topo, link.obj, f"{link.label} carries IPv4 only, but its network '{far.name}' is IPv6-only "
                    f"({_ipv6(far)}): nothing of it can cross the link",
                    field=("stack_type",), related=[(f"network '{far.name}' is IPv6-only", far, ("stack_type",))],
                )
                continue
            lists = (
                ("on its AWS allow-list", link.aws, "allowed_prefixes"),
                (f"on its {link.far_side} allow-list", link.far, "allowed_prefixes"),
                (f"among its {link.far_side} advertised prefixes", link.far, "advertised_prefixes"),
            )
            for where, obj, fld in lists:
                for i, prefix in enumerate(getattr(obj, fld) or ()):
                    if prefix.version == 6:
                        yield self.finding(
                            topo, obj, f"{link.label} carries IPv4 only, but IPv6 prefix {prefix} is {where}",
                            field=(fld, i), related=ipv4_only,
                        )
            far_v6 = _ipv6(far)
            if far.stack_type is StackType.ipv4 or not far_v6:
                continue
            for dest, path in sorted(routing.reachable_from(far.name).items()):
                other = topo.networks[dest]
                if link.name in path.links and other.stack_type is not StackType.ipv4 and _ipv6(other):
                    yield self.finding(
                        topo, link.obj,
                        f"{link.label} carries IPv4 only, but dual-stack network '{far.name}' ({far_v6}) reaches "
                        f"dual-stack network '{dest}' ({_ipv6(other)}) across it: their IPv6 traffic cannot cross",
                        field=("stack_type",),
                        related=[(f"network '{dest}' is dual-stack", other, ("stack_type",)),
                                 (f"network '{far.name}' is dual-stack", far, ("stack_type",))],
                    )


def _ipv6(net) -> str:
    return ", ".join(str(c) for c in net.cidrs if c.version == 6)
