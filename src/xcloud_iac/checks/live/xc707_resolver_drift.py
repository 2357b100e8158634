from __future__ import annotations

import ipaddress

from ..finding import Severity
from ..registry import register
from . import LiveRule


@register
class ResolverDrift(LiveRule):
    """A Route 53 Resolver endpoint, forwarding rule or rule association differs from the spec: an endpoint in
    another direction or VPC, without its fixed addresses or with fewer addresses, or not operational; a rule for
    another domain, through another outbound endpoint or to other targets; a rule not associated with a network
    the spec lists, or associated with a VPC it does not. Queries then go elsewhere, or nowhere."""

    id = "XC707"
    title = "Route 53 Resolver endpoint, rule or association differs from the spec"
    severity = Severity.error
    fix_hint = "Re-apply the stack (pulumi up), or undo the change made outside it."

    def check_live(self, topo, live):
        for ep in topo.spec.dns.resolver_endpoints:
            yield from self._endpoint(topo, live, ep)
        for rule in topo.spec.dns.resolver_rules:
            yield from self._rule(topo, live, rule)

    def _endpoint(self, topo, live, ep):
        found = live.endpoints.get(ep.name)
        if found is None:
            return
        who = f"resolver endpoint '{ep.name}' ({found.id})"
        if found.direction != ep.direction:
            yield self.finding(topo, ep, f"{who} is {found.direction}; the spec says {ep.direction}", field=("direction",))
        vpc = live.vpcs.get(ep.network)
        if vpc is not None and found.vpc_id != vpc:
            yield self.finding(topo, ep, f"{who} is in {found.vpc_id}; network '{ep.network}' is {vpc}", field=("network",))
        if found.status != "OPERATIONAL":
            yield self.finding(topo, ep, f"{who} is {found.status}, not OPERATIONAL")
        if found.addresses is None:
            return
        live_ips = {ipaddress.ip_address(ip) for ip, _subnet in found.addresses}
        for i, addr in enumerate(ep.addresses):
            if addr.ip is not None and addr.ip not in live_ips:
                yield self.finding(topo, ep, f"{who} has no address {addr.ip} (it has "
                                   f"{', '.join(sorted(str(a) for a in live_ips)) or 'none'})", field=("addresses", i, "ip"))
        if len(found.addresses) != len(ep.addresses):
            yield self.finding(topo, ep, f"{who} has {len(found.addresses)} addresses; the spec declares "
                               f"{len(ep.addresses)}", field=("addresses",))

    def _rule(self, topo, live, rule):
        found = live.rules.get(rule.name)
        if found is None:
            return
        who = f"resolver rule '{rule.name}' ({found.id})"
        if found.domain != rule.domain or found.rule_type != "FORWARD":
            yield self.finding(topo, rule, f"{who} is a {found.rule_type} rule for {found.domain}; the spec forwards "
                               f"{rule.domain}", field=("domain",))
        endpoint = live.endpoints.get(rule.endpoint)
        if endpoint is not None and found.endpoint_id != endpoint.id:
            yield self.finding(topo, rule, f"{who} uses endpoint {found.endpoint_id}; the spec uses '{rule.endpoint}' "
                               f"({endpoint.id})", field=("endpoint",))
        targets = _targets(topo, rule, found.targets)
        if targets is not None and found.targets != targets:
            yield self.finding(topo, rule, f"{who} forwards to {_pairs(found.targets)}; the spec forwards to "
                               f"{_pairs(targets)}", field=("targets",))
        if found.vpc_ids is None:
            return
        wanted = {net: live.vpcs.get(net) for net in rule.networks}
        for i, (net, vpc) in enumerate(wanted.items()):
            if vpc is not None and vpc not in found.vpc_ids:
                yield self.finding(topo, rule, f"{who} is not associated with network '{net}' ({vpc})",
                                   field=("networks", i))
        known = set(wanted.values())
        if None in known:  # a network whose VPC was not found: other associations may be it
            return
        for vpc in sorted(found.vpc_ids - known):
            yield self.finding(topo, rule, f"{who} is also associated with {vpc}, which is not a network the spec lists",
                               field=("networks",))


def _targets(topo, rule, live) -> frozenset[tuple[str, int]] | None:
    """(ip, port) of every target, or None when a target names a resolver that is not declared (XC101's case).
    A resolver whose addresses the provider allocates (a Cloud DNS inbound policy without declared addresses)
    stands for the one live target in each range it allocates from (or a placeholder naming the range)."""
    out = set()
    for target in rule.targets:
        if target.ip is not None:
            out.add((str(target.ip), target.port))
            continue
        resolver = topo.resolvers.get(target.resolver)
        if resolver is None:
            return None
        out.update((str(a), target.port) for a in resolver.addresses)
        for cidr in resolver.ranges if not resolver.addresses else ():
            inside = [(ip, port) for ip, port in live or () if port == target.port and ipaddress.ip_address(ip) in cidr]
            out.add(inside[0] if len(inside) == 1 else (f"<one address in {cidr}>", target.port))
    return frozenset(out)


def _pairs(pairs) -> str:
    return ", ".join(f"{ip}:{port}" for ip, port in sorted(pairs)) or "nothing"
