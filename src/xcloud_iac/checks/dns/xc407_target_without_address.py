from __future__ import annotations

from ...spec import models as m
from ...topology.build import inbound_forwarder_ranges
from ..finding import Severity
from ..registry import Rule, register


@register
class TargetWithoutAddress(Rule):
    """A forwarder targets a resolver by name whose addresses the forwarder cannot be given.

    - A Route 53 inbound endpoint none of whose addresses has a fixed `ip`: AWS picks the addresses when it creates
      the endpoint, so there is nothing to write into the resolver rule, the Cloud DNS forwarding zone or an
      external forwarder's configuration.
    - A Cloud DNS inbound policy without declared addresses, targeted by an external forwarder: Google allocates the
      addresses when the policy is created. deploy() reads them back for the Route 53 rules and Cloud DNS zones it
      creates, but a forwarder configured outside the stack cannot be given them: declare them (after the first
      deployment) so they can be configured there.
    - A Cloud DNS inbound policy whose declared addresses Google cannot give: Google allocates exactly one address
      from the primary range of each subnet of the network, so a declared address outside every subnet, two in one
      subnet, or a subnet without one, can never match; deploy() would stop when it reads Google's addresses."""

    id = "XC407"
    title = "Forwarding target without an address the forwarder can be given"
    severity = Severity.error
    tags = ("dns", "correctness")
    fix_hint = (
        "Give the endpoint's addresses a fixed `ip` in their subnets, or target a literal address; for a Cloud DNS "
        "inbound policy, declare the addresses Google allocated (one per subnet), or leave them out where the stack "
        "creates the forwarder."
    )

    def check(self, topo):
        for fwd in topo.dns.forwarders:
            for dest in fwd.destinations:
                res = dest.resolver
                if res is None or dest.spec.resolver is None:
                    continue
                if res.kind == "inbound_policy":
                    yield from self._policy(topo, fwd, dest)
                elif not dest.addresses:
                    yield self.finding(
                        topo, fwd.obj,
                        f"{fwd.label} forwards '{fwd.domain}' to {dest.label}, which has no fixed address: AWS "
                        "assigns its addresses at creation, so the forwarder has nothing to send queries to",
                        field=fwd.target_field(dest),
                        related=[(f"{dest.label}, its addresses", res.obj, ("addresses",))],
                    )

    def _policy(self, topo, fwd, dest):
        policy = dest.resolver.obj
        related = [(f"{dest.label}, its addresses", policy, ("addresses",))]
        if dest.resolver.allocated:
            if isinstance(fwd.obj, m.ExternalForwarder):
                yield self.finding(
                    topo, fwd.obj,
                    f"{fwd.label} forwards '{fwd.domain}' to {dest.label}, whose addresses Google allocates when "
                    "the policy is created: a forwarder outside the stack cannot be given them",
                    field=fwd.target_field(dest), related=related,
                )
            return
        ranges = inbound_forwarder_ranges(topo.networks[policy.network])
        taken: dict[object, str] = {}
        problems = []
        for addr in policy.addresses:
            home = next((r for r in ranges if addr in r), None)
            if home is None:
                problems.append(f"{addr} lies in no subnet of network '{policy.network}'")
            elif home in taken:
                problems.append(f"{taken[home]} and {addr} lie in one subnet ({home})")
            else:
                taken[home] = str(addr)
        if topo.networks[policy.network].subnets:
            problems += [f"subnet {r} has none" for r in ranges if r not in taken]
        if problems:
            yield self.finding(
                topo, fwd.obj,
                f"{fwd.label} forwards '{fwd.domain}' to {dest.label}, whose declared addresses Google cannot "
                f"allocate (one per subnet of network '{policy.network}'): {'; '.join(problems)}",
                field=fwd.target_field(dest), related=related,
            )
