from __future__ import annotations

from ...spec import models as m
from ..finding import Severity
from ..registry import Rule, register


@register
class ForwardingLoop(Rule):
    """DNS queries for a domain go round between networks: A forwards the domain to a resolver in B, and B forwards
    it (or a parent domain that covers it) back to A, directly or through more networks (A -> B -> C -> A). Queries
    time out or fail with SERVFAIL. A Route 53 rule that sends queries back into its own VPC is XC405."""

    id = "XC401"
    title = "DNS forwarding loop"
    severity = Severity.error
    tags = ("dns",)
    fix_hint = (
        "Break the loop in one network: remove its rule for the domain (or narrow the parent rule that covers it), "
        "or forward to a resolver that answers the domain instead of sending it back along the loop."
    )

    def check(self, topo):
        return self.findings_for(topo, topo.dns.loops())

    def findings_for(self, topo, loops):
        """The findings on forwarding loops (topology.dns.loops(), or a benchmark's search for the same)."""
        for loop in loops:
            if len(loop.steps) == 1 and _refused_by_route53(loop.steps[0]):
                continue
            first = loop.steps[0]
            cycle = " -> ".join(f"network '{s.network}'" for s in (*loop.steps, first))
            yield self.finding(
                topo, first.forwarder.obj, f"queries for '{loop.domain}' loop: {cycle}; {_step(first, loop.domain)}",
                field=first.forwarder.target_field(first.destination),
                related=[(_step(s, loop.domain), s.forwarder.obj, s.forwarder.target_field(s.destination))
                         for s in loop.steps[1:]],
            )


def _step(step, queried: str) -> str:
    parent = "" if step.forwarder.domain == queried else f" (for the parent domain '{step.forwarder.domain}')"
    return f"network '{step.network}' forwards them with {step.forwarder.label}{parent} to {step.destination.label}"


def _refused_by_route53(step) -> bool:
    """A Route 53 rule back to an inbound endpoint of a VPC it is associated with: XC405's finding."""
    res = step.destination.resolver
    return isinstance(step.forwarder.obj, m.ResolverRule) and res is not None and res.kind == "inbound_endpoint"
