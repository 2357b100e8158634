from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule, prefixes


@register
class TransportAdvertisedDrift(LiveRule):
    """The Google Transport advertises other routes than the spec (`gcp.advertised_prefixes`, by default the
    Google allow-list): an extra route reaches AWS without review, possibly outside the allow-list; a missing one
    (35.199.192.0/19 above all) leaves AWS without a route back."""

    id = "XC722"
    title = "Transport advertised routes differ from the spec"
    severity = Severity.error
    fix_hint = "Set the Transport's advertised routes back to the spec's (pulumi up), or change the spec."

    def check_live(self, topo, live):
        for ic in topo.spec.interconnects:
            transport = live.transports.get(ic.name)
            if transport is None:
                continue
            spec = set(ic.gcp.advertised)
            field = ("gcp", "advertised_prefixes" if ic.gcp.advertised_prefixes is not None else "allowed_prefixes")
            extra, missing = transport.advertised - spec, spec - transport.advertised
            who = f"interconnect '{ic.name}': Transport {transport.name}"
            if extra:
                outside = [p for p in extra if not any(p.version == a.version and p.subnet_of(a)
                                                       for a in ic.gcp.allowed_prefixes)]
                tail = f" ({prefixes(outside)} outside the allow-list)" if outside else ""
                yield self.finding(topo, ic, f"{who} advertises {prefixes(extra)}, which the spec does not{tail}",
                                   field=field)
            if missing:
                yield self.finding(topo, ic, f"{who} does not advertise {prefixes(missing)}", field=field)
