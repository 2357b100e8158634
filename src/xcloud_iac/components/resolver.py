"""Route 53 Resolver forwarding for one VPC: inbound and outbound endpoints, their security groups, forwarding rules
and the rules' VPC associations.

Security groups open DNS (port 53, UDP and TCP) only where it is needed: an inbound endpoint accepts queries from
its `allowed_sources` (e.g. 35.199.192.0/19, where Cloud DNS forwarding comes from) and sends nothing; an outbound
endpoint sends queries only to its rules' targets and accepts nothing (security groups are stateful, so answers
come back either way). A source of 0.0.0.0/0 or ::/0 is refused: an endpoint never answers the whole world.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import pulumi
import pulumi_aws as aws

from ..tags import aws_tags
from ._common import (
    DNS_PORT,
    AllocatedDnsTargets,
    DnsTarget,
    Problems,
    TargetAddresses,
    checked_args,
    child_opts,
    is_known,
    stack_name,
)

DNS_PROTOCOLS = ("udp", "tcp")


@dataclass
class EndpointAddress:
    subnet_id: pulumi.Input[str]
    zone: str
    """Availability zone of the subnet: an endpoint needs addresses in two zones or more."""
    ip: str | None = None
    """Fixed address (needed when others forward to it); None lets AWS pick one."""


@dataclass
class ResolverEndpointArgs:
    name: str
    direction: Literal["inbound", "outbound"]
    addresses: Sequence[EndpointAddress]
    allowed_sources: Sequence[str] = ()
    """Inbound only: the CIDRs allowed to query the endpoint."""


@dataclass
class ResolverRuleArgs:
    name: str
    domain: str
    endpoint: str
    """Name of an outbound endpoint of this component."""
    targets: Sequence[DnsTarget | AllocatedDnsTargets]
    """Fixed addresses, or addresses a provider allocates (then read after the resolver exists)."""
    vpc_ids: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """VPCs (key -> id) the rule is associated with."""


@dataclass
class ResolverForwardingArgs:
    vpc_id: pulumi.Input[str]
    """The VPC the endpoints live in."""
    region: str | None = None
    endpoints: Sequence[ResolverEndpointArgs] = ()
    rules: Sequence[ResolverRuleArgs] = ()
    stack: str | None = None


class ResolverForwarding(pulumi.ComponentResource):
    endpoint_ids: dict[str, pulumi.Output[str]]
    inbound_addresses: dict[str, pulumi.Output[list[str]]]
    """The addresses of each inbound endpoint (fixed or picked by AWS), sorted: where others forward to."""
    security_group_ids: dict[str, pulumi.Output[str]]
    rule_ids: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: ResolverForwardingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        self.validate(name, args)  # all but the target addresses not known yet
        super().__init__("xcloud:dns:ResolverForwarding", name, None, opts)
        rules = _checked_rules(name, args)
        stack = stack_name(args.stack)

        self.endpoint_ids = {}
        self.inbound_addresses = {}
        self.security_group_ids = {}
        for ep in args.endpoints:
            if ep.direction == "inbound":
                # plain dicts are valid inputs (the SDK's ...ArgsDict); a list of them is typed as Any
                ingress: list[Any] = _dns_rules(ep.allowed_sources, DNS_PORT, "DNS queries")
                egress: list[Any] = []
            else:
                ingress = []
                egress = _with(rules, lambda rs, ep=ep: [  # type: ignore[misc]
                    rule
                    for port, targets in _targets_by_port(rs, ep.name).items()
                    for rule in _dns_rules(targets, port, "DNS forwarding")
                ])
            group = aws.ec2.SecurityGroup(
                f"{name}-{ep.name}-sg",
                vpc_id=args.vpc_id,
                description=f"Route 53 Resolver {ep.direction} endpoint {ep.name}: DNS only",
                ingress=ingress,
                egress=egress,
                region=args.region,
                tags=aws_tags(stack, "resolver_endpoint_sg", ep.name, name=f"{ep.name}-dns"),
                opts=child_opts(self),
            )
            endpoint = aws.route53.ResolverEndpoint(
                f"{name}-{ep.name}",
                name=ep.name,
                direction=ep.direction.upper(),
                security_group_ids=[group.id],
                ip_addresses=[_ip_address(a.subnet_id, a.ip) for a in ep.addresses],
                protocols=["Do53"],
                region=args.region,
                tags=aws_tags(stack, "resolver_endpoint", ep.name, name=ep.name),
                opts=child_opts(self),
            )
            self.endpoint_ids[ep.name] = endpoint.id
            if ep.direction == "inbound":
                self.inbound_addresses[ep.name] = endpoint.ip_addresses.apply(_addresses)
            self.security_group_ids[ep.name] = group.id

        self.rule_ids = {}
        for i, rule in enumerate(args.rules):
            resolver_rule = aws.route53.ResolverRule(
                f"{name}-rule-{rule.name}",
                name=rule.name,
                domain_name=rule.domain,
                rule_type="FORWARD",
                resolver_endpoint_id=self.endpoint_ids[rule.endpoint],
                target_ips=_with(rules, lambda rs, i=i: _target_ips(rs[i].targets)),  # type: ignore[misc]
                region=args.region,
                tags=aws_tags(stack, "resolver_rule", rule.name, name=rule.name),
                opts=child_opts(self),
            )
            for key in sorted(rule.vpc_ids):
                aws.route53.ResolverRuleAssociation(
                    f"{name}-rule-{rule.name}-{key}",
                    resolver_rule_id=resolver_rule.id,
                    vpc_id=rule.vpc_ids[key],
                    region=args.region,
                    opts=child_opts(self),
                )
            self.rule_ids[rule.name] = resolver_rule.id

        self.register_outputs({
            "endpoint_ids": self.endpoint_ids,
            "inbound_addresses": self.inbound_addresses,
            "security_group_ids": self.security_group_ids,
            "rule_ids": self.rule_ids,
        })

    @staticmethod
    def validate(name: str, args: ResolverForwardingArgs) -> None:
        _validate(name, args)


def _fixed_ips(rules: Sequence[ResolverRuleArgs]) -> list[pulumi.Input[str]]:
    return [t.ip for rule in rules for t in rule.targets if isinstance(t, DnsTarget)]


def _with_ips(rules: Sequence[ResolverRuleArgs], ips: Sequence[pulumi.Input[str]]) -> list[ResolverRuleArgs]:
    """`rules` with their fixed targets' addresses replaced, in `_fixed_ips` order."""
    given = iter(ips)
    return [replace(rule, targets=[replace(t, ip=next(given)) if isinstance(t, DnsTarget) else t
                                   for t in rule.targets]) for rule in rules]


def _checked_rules(name: str, args: ResolverForwardingArgs) -> Sequence[ResolverRuleArgs] | pulumi.Output[Any]:
    """The rules as given when every target address is known (checked already); otherwise an Output of them with
    the addresses resolved and checked (`checked_args`: a bad address fails the deployment with the message a plain
    one gets)."""
    ips = _fixed_ips(args.rules)
    if is_known(ips):
        return args.rules
    checked = checked_args(TargetAddresses(ips), ("ips",),
                           lambda t: _validate(name, replace(args, rules=_with_ips(args.rules, t.ips))))
    return checked.apply(lambda t: _with_ips(args.rules, t.ips))


def _with(rules: Sequence[ResolverRuleArgs] | pulumi.Output[Any], build: Callable[[Sequence[ResolverRuleArgs]], Any]
          ) -> Any:
    """`build(rules)`, now for known rules, once resolved for an Output of them."""
    return rules.apply(build) if isinstance(rules, pulumi.Output) else build(rules)


def _addresses(ip_addresses: Sequence[object] | None) -> list[str]:
    """The addresses of an endpoint's `ip_addresses` output (typed objects, or dicts), IPv4 and IPv6, sorted."""
    found = []
    for entry in ip_addresses or []:
        for key in ("ip", "ipv6"):
            value = entry.get(key) if isinstance(entry, Mapping) else getattr(entry, key, None)
            if value:
                found.append(str(value))
    return sorted(found, key=ipaddress.ip_address)


def _dns_rules(cidrs: Sequence[str], port: int, what: str) -> list[dict]:
    """Security group rules for DNS on `port`, UDP and TCP, to or from exactly `cidrs`."""
    if not cidrs:
        return []
    v4 = sorted(c for c in cidrs if ipaddress.ip_network(c).version == 4)
    v6 = sorted(c for c in cidrs if ipaddress.ip_network(c).version == 6)
    return [
        {
            "protocol": protocol,
            "from_port": port,
            "to_port": port,
            **({"cidr_blocks": v4} if v4 else {}),
            **({"ipv6_cidr_blocks": v6} if v6 else {}),
            "description": f"{what} ({protocol.upper()} {port})",
        }
        for protocol in DNS_PROTOCOLS
    ]


def _targets_by_port(rules: Sequence[ResolverRuleArgs], endpoint: str) -> dict[int, list[str]]:
    """The host CIDRs an outbound endpoint forwards to, by target port."""
    out: dict[int, set[str]] = {}
    for rule in rules:
        if rule.endpoint == endpoint:
            for target in rule.targets:
                cidrs = ([str(ipaddress.ip_network(target.ip))] if isinstance(target, DnsTarget)  # type: ignore[arg-type]
                         else [str(ipaddress.ip_network(r)) for r in target.ranges])  # allocated: the ranges
                out.setdefault(target.port, set()).update(cidrs)
    return {port: sorted(cidrs) for port, cidrs in sorted(out.items())}


def _target_ip(ip: str, port: int) -> dict:
    return {_ip_key(ip): ip, "port": port}


def _target_ips(targets: Sequence[DnsTarget | AllocatedDnsTargets]) -> pulumi.Input[list]:
    """The rule's target_ips: fixed ones as they are; allocated ones once read, in target order."""
    if all(isinstance(t, DnsTarget) for t in targets):
        return [_target_ip(t.ip, t.port) for t in targets]  # type: ignore[union-attr,arg-type]
    parts = [
        pulumi.Output.from_input([_target_ip(t.ip, t.port)]) if isinstance(t, DnsTarget)  # type: ignore[arg-type]
        else pulumi.Output.from_input(t.addresses).apply(
            lambda ips, port=t.port: [_target_ip(ip, port) for ip in ips])  # type: ignore[misc]
        for t in targets
    ]
    return pulumi.Output.all(*parts).apply(lambda lists: [item for part in lists for item in part])


def _ip_key(ip: str) -> str:
    """Route 53 Resolver takes IPv4 and IPv6 addresses in separate fields."""
    return "ip" if ipaddress.ip_address(ip).version == 4 else "ipv6"


def _validate(name: str, args: ResolverForwardingArgs) -> None:
    problems = Problems(f"ResolverForwarding '{name}'")
    directions: dict[str, str] = {}
    for ep in args.endpoints:
        problems.require(ep.name not in directions, f"endpoint '{ep.name}' is declared twice")
        directions[ep.name] = ep.direction
        zones = {a.zone for a in ep.addresses}
        problems.require(len(ep.addresses) >= 2 and len(zones) >= 2,
                         f"endpoint '{ep.name}' needs two or more addresses in distinct availability zones")
        if ep.direction == "outbound":
            problems.require(not ep.allowed_sources, f"outbound endpoint '{ep.name}' accepts no queries: "
                                                     "allowed_sources is for inbound endpoints")
        for cidr in ep.allowed_sources:
            try:
                source = ipaddress.ip_network(cidr)
            except ValueError:
                problems.add(f"endpoint '{ep.name}': allowed source {cidr!r} is not a CIDR")
                continue
            problems.require(source.prefixlen > 0, f"endpoint '{ep.name}': allowed source {cidr} admits every "
                                                   "address; list the networks that query the endpoint")
    for rule in args.rules:
        problems.require(directions.get(rule.endpoint) == "outbound",
                         f"rule '{rule.name}' uses '{rule.endpoint}', which is not an outbound endpoint here")
        problems.require(rule.targets, f"rule '{rule.name}' has no targets")
        for target in rule.targets:
            if isinstance(target, AllocatedDnsTargets):
                problems.require(target.ranges, f"rule '{rule.name}': allocated targets need the ranges they come "
                                                "from (the security group lets queries go there)")
                for cidr in target.ranges:
                    try:
                        ipaddress.ip_network(cidr)
                    except ValueError:
                        problems.add(f"rule '{rule.name}': target range {cidr!r} is not a CIDR")
                continue
            if not is_known(target.ip):
                continue  # checked once known (_checked_rules)
            try:
                ipaddress.ip_address(target.ip)  # type: ignore[arg-type]  # known here
            except ValueError:
                problems.add(f"rule '{rule.name}': target {target.ip!r} is not an IP address")
    problems.raise_if_any()


def _ip_address(subnet_id: pulumi.Input[str], ip: str | None) -> Any:
    """One address of a Resolver endpoint: its subnet, and its fixed address when the spec gives one."""
    return {"subnet_id": subnet_id, **({_ip_key(ip): ip} if ip else {})}
