from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule, prefixes


@register
class EndpointSecurityGroupDrift(LiveRule):
    """A security group of a Route 53 Resolver endpoint admits DNS from other sources than the spec declares: an
    inbound endpoint's groups admit a source outside its `allowed_sources` (more: anyone there may query it) or no
    longer admit a declared one (fewer: those queries time out, e.g. Cloud DNS forwarding from 35.199.192.0/19);
    an outbound endpoint's groups admit any source at all (it receives nothing). Ingress to port 53 over UDP or
    TCP (or every protocol) counts, summed over all the endpoint's groups."""

    id = "XC710"
    title = "Resolver endpoint security group admits other sources than declared"
    severity = Severity.error
    fix_hint = "Re-apply the stack (pulumi up), or declare the sources in the endpoint's allowed_sources."

    def check_live(self, topo, live):
        for ep in topo.spec.dns.resolver_endpoints:
            found = live.endpoints.get(ep.name)
            if found is None or found.admitted is None:
                continue
            admitted = frozenset().union(*found.admitted.values())
            declared = frozenset(ep.allowed_sources) if ep.direction == "inbound" else frozenset()
            groups = ", ".join(sorted(found.admitted)) or "none"
            who = f"{ep.direction} resolver endpoint '{ep.name}' ({found.id}, security groups {groups})"
            if admitted - declared:
                yield self.finding(topo, ep, f"{who} admits DNS from {prefixes(admitted - declared)}, which the spec "
                                   f"does not declare (allowed_sources: {prefixes(declared)})",
                                   field=("allowed_sources",))
            if declared - admitted:
                yield self.finding(topo, ep, f"{who} does not admit DNS from {prefixes(declared - admitted)}, which "
                                   "the spec declares in allowed_sources", field=("allowed_sources",))
