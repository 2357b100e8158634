"""The Cloud DNS side of cross-cloud forwarding for one Google project: private forwarding zones (e.g.
rds.amazonaws.com -> the Route 53 inbound endpoint's addresses) and inbound server policies (so AWS can forward to
Google: the policy allocates the inbound forwarder addresses the Route 53 rules target).

Return path. Cloud DNS sends forwarded queries from 35.199.192.0/19 (`return_path_prefix`). With
`forwarding_path: private` they go through the VPC, so across the interconnect; the answers come back only if AWS
has a route for 35.199.192.0/19 towards Google and the inbound endpoint's security group admits it. Declare the
range in the interconnect's Google allow-list (and so in the Transport's advertised routes, which default to the
allow-list) and in the endpoint's `allowed_sources`; rule XC404 blocks a stack that misses either.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pulumi
import pulumi_gcp as gcp

from ..spec import catalog
from ._common import (
    DNS_PORT,
    ComponentArgsError,
    DnsTarget,
    Problems,
    TargetAddresses,
    checked_args,
    child_opts,
    gcp_labels,
    is_known,
    stack_name,
)


@dataclass
class ForwardingZoneArgs:
    name: str
    domain: str
    networks: Mapping[str, pulumi.Input[str]]
    """Networks (key -> id or URL) that see the zone."""
    targets: Sequence[DnsTarget]
    """Target name servers (port 53: Cloud DNS forwards to no other port)."""
    private_routing: bool = True
    """forwarding_path private: through the VPC (needed for targets reached over an interconnect)."""


@dataclass
class ForwarderSubnet:
    """A subnetwork Google allocates one inbound forwarder address from."""

    self_link: pulumi.Input[str]
    region: str


@dataclass
class InboundPolicyArgs:
    name: str
    networks: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    subnets: Mapping[str, ForwarderSubnet] = field(default_factory=dict)
    """The subnetworks of the policy's networks (key -> subnet): where the inbound forwarder addresses are read."""
    addresses: Sequence[str] = ()
    """The addresses the spec declares; when given, the read addresses must be exactly these."""


@dataclass
class CloudDnsForwardingArgs:
    project: pulumi.Input[str] | None = None
    zones: Sequence[ForwardingZoneArgs] = ()
    inbound_policies: Sequence[InboundPolicyArgs] = ()
    stack: str | None = None


class CloudDnsForwarding(pulumi.ComponentResource):
    zone_names: dict[str, pulumi.Output[str]]
    policy_ids: dict[str, pulumi.Output[str]]
    forwarder_addresses: dict[str, pulumi.Output[list[str]]]
    """Per inbound policy: the inbound forwarder addresses Google allocated, read after the policy exists (sorted)."""
    return_path_prefix: str = str(catalog.CLOUD_DNS_FORWARDING_SOURCE)

    def __init__(self, name: str, args: CloudDnsForwardingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        self.validate(name, args)
        super().__init__("xcloud:dns:CloudDnsForwarding", name, None, opts)
        stack = stack_name(args.stack)

        self.zone_names = {}
        for zone in args.zones:
            path = "private" if zone.private_routing else "default"
            self.zone_names[zone.name] = gcp.dns.ManagedZone(
                f"{name}-zone-{zone.name}",
                project=args.project,
                dns_name=f"{zone.domain.rstrip('.')}.",
                visibility="private",
                description=f"xcloud {stack}: forward {zone.domain}",
                private_visibility_config={
                    "networks": [{"network_url": zone.networks[k]} for k in sorted(zone.networks)],
                },
                forwarding_config=_forwarding_config(name, args, zone, path),
                labels=gcp_labels(stack, "forwarding_zone", zone.name),
                opts=child_opts(self),
            ).name

        self.policy_ids, self.forwarder_addresses = {}, {}
        for policy in args.inbound_policies:
            created = gcp.dns.Policy(
                f"{name}-policy-{policy.name}",
                project=args.project,
                enable_inbound_forwarding=True,
                description=f"xcloud {stack}: inbound forwarding {policy.name}",
                networks=[{"network_url": policy.networks[k]} for k in sorted(policy.networks)],
                opts=child_opts(self),
            )
            self.policy_ids[policy.name] = created.id
            self.forwarder_addresses[policy.name] = _read_forwarders(self, created, policy, args.project)

        self.register_outputs({"zone_names": self.zone_names, "policy_ids": self.policy_ids,
                               "forwarder_addresses": self.forwarder_addresses,
                               "return_path_prefix": self.return_path_prefix})

    @staticmethod
    def validate(name: str, args: CloudDnsForwardingArgs) -> None:
        _validate(name, args)


def forwarder_filter(subnet_self_link: str) -> str:
    """The compute addresses list filter that finds the inbound forwarder address of one subnetwork (what `gcloud
    compute addresses list --filter='purpose=DNS_RESOLVER'` lists after an inbound policy is created)."""
    return f'(purpose = "DNS_RESOLVER") (subnetwork = "{subnet_self_link}")'


def _read_forwarders(parent: pulumi.Resource, policy: gcp.dns.Policy, args: InboundPolicyArgs,
                     project: pulumi.Input[str] | None) -> pulumi.Output[list[str]]:
    """The addresses Google allocated for `policy`, one per subnetwork, read once the policy exists. With declared
    addresses, anything else stops the deployment before a forwarder is pointed at a wrong address."""
    reads = [
        gcp.compute.get_addresses_output(
            filter=pulumi.Output.from_input(subnet.self_link).apply(forwarder_filter),
            project=project,
            region=subnet.region,
            opts=pulumi.InvokeOutputOptions(parent=parent, depends_on=[policy]),
        ).apply(lambda result, key=key: (key, [a.address for a in result.addresses]))  # type: ignore[misc]
        for key, subnet in sorted(args.subnets.items())
    ]

    def check(found: list[tuple[str, list[str]]]) -> list[str]:
        problems = [f"subnet '{key}' has {len(ips)} inbound forwarder addresses ({', '.join(ips) or 'none'}); "
                    "Google allocates one" for key, ips in found if len(ips) != 1]
        allocated = sorted((ip for _key, ips in found for ip in ips), key=ipaddress.ip_address)
        if args.addresses and set(allocated) != set(args.addresses):
            problems.append(f"Google allocated {', '.join(allocated) or 'nothing'}; the spec declares "
                            f"{', '.join(args.addresses)}: correct the spec's addresses (or leave them out)")
        if problems:
            raise ComponentArgsError(f"inbound policy '{args.name}'", problems)
        return allocated

    return pulumi.Output.all(*reads).apply(check)


def _address_field(ip: str) -> str:
    return "ipv4_address" if ipaddress.ip_address(ip).version == 4 else "ipv6_address"


def _forwarding_config(name: str, args: CloudDnsForwardingArgs, zone: ForwardingZoneArgs, path: str) -> Any:
    """The zone's target name servers: now when every address is known (checked already), else once they are,
    checked as plain ones are (`checked_args`: a bad address fails the deployment with the same message)."""

    def config(ips: Sequence[Any]) -> dict[str, Any]:
        return {"target_name_servers": [{_address_field(ip): ip, "forwarding_path": path} for ip in ips]}

    ips = [t.ip for t in zone.targets]
    if is_known(ips):
        return config(ips)

    def validate(resolved: TargetAddresses) -> None:
        targets = [replace(t, ip=ip) for t, ip in zip(zone.targets, resolved.ips, strict=True)]
        zones = [replace(z, targets=targets) if z is zone else z for z in args.zones]
        _validate(name, replace(args, zones=zones))

    return checked_args(TargetAddresses(ips), ("ips",), validate).apply(lambda t: config(t.ips))


def _validate(name: str, args: CloudDnsForwardingArgs) -> None:
    problems = Problems(f"CloudDnsForwarding '{name}'")
    for zone in args.zones:
        problems.require(zone.networks, f"zone '{zone.name}' is visible to no network")
        problems.require(zone.targets, f"zone '{zone.name}' has no targets")
        for target in zone.targets:
            if not is_known(target.ip):
                continue  # checked once known (_forwarding_config)
            problems.require(
                target.port == DNS_PORT,
                f"zone '{zone.name}': target {target.ip} port {target.port}; Cloud DNS forwards to port 53",
            )
            try:
                ipaddress.ip_address(target.ip)  # type: ignore[arg-type]  # known here
            except ValueError:
                problems.add(f"zone '{zone.name}': target {target.ip!r} is not an IP address")
    # a Google network has at most one DNS server policy
    owner: dict[str, str] = {}
    for policy in args.inbound_policies:
        problems.require(policy.networks, f"inbound policy '{policy.name}' applies to no network")
        problems.require(policy.subnets, f"inbound policy '{policy.name}': its networks have no subnets, and Google "
                                         "allocates the inbound forwarder addresses from their subnets")
        for ip in policy.addresses:
            try:
                ipaddress.ip_address(ip)
            except ValueError:
                problems.add(f"inbound policy '{policy.name}': address {ip!r} is not an IP address")
        for key in policy.networks:
            if key in owner:
                problems.add(f"network '{key}' is in inbound policies '{owner[key]}' and '{policy.name}'; "
                             "a network has one DNS server policy")
            owner[key] = policy.name
    problems.raise_if_any()
