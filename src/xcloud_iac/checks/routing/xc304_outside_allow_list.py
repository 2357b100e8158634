from __future__ import annotations

from ...topology import PrefixIndex
from ..finding import Severity
from ..registry import Rule, register
from ._common import link_views


@register
class OutsideAllowList(Rule):
    """A prefix the far side of an interconnect or external link advertises (gcp.advertised_prefixes,
    remote.advertised_prefixes) lies outside that side's allow-list (allowed_prefixes): it is not inside any allowed
    prefix, so an unauthorised route propagates into AWS."""

    id = "XC304"
    title = "Advertised prefix outside the allow-list"
    severity = Severity.error
    tags = ("routing", "security")
    fix_hint = (
        "Stop advertising the prefix, or add it (or a prefix containing it) to the allow-list if it is authorised."
    )

    def check(self, topo):
        for link in link_views(topo):
            advertised = link.far.advertised_prefixes
            if advertised is None:
                continue  # advertises exactly the allow-list
            allowed = PrefixIndex((p, i) for i, p in enumerate(link.far.allowed_prefixes))
            for i, prefix in enumerate(advertised):
                if next(allowed.containing(prefix), None) is None:
                    yield self.finding(
                        topo, link.far, f"{prefix} advertised by the {link.far_side} side of {link.label} (network "
                        f"'{link.far_network}') is outside its allow-list ({_shown(link.far.allowed_prefixes)})",
                        field=("advertised_prefixes", i),
                        related=[(f"{link.far_side} allow-list of {link.label}", link.far, ("allowed_prefixes",))],
                    )


def _shown(prefixes, limit: int = 5) -> str:
    more = f" and {len(prefixes) - limit} more" if len(prefixes) > limit else ""
    return ", ".join(str(p) for p in prefixes[:limit]) + more
