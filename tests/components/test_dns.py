"""ResolverForwarding and CloudDnsForwarding: endpoints with security groups open to DNS only where needed,
forwarding rules and associations; Cloud DNS private forwarding zones and inbound policies."""

from __future__ import annotations

import pytest

import pulumi
import pulumi_gcp as gcp

from xcloud_iac.components import (
    CloudDnsForwarding,
    CloudDnsForwardingArgs,
    ComponentArgsError,
    DnsTarget,
    AllocatedDnsTargets,
    EndpointAddress,
    ForwarderSubnet,
    ForwardingZoneArgs,
    InboundPolicyArgs,
    ResolverEndpointArgs,
    ResolverForwarding,
    ResolverForwardingArgs,
    ResolverRuleArgs,
)

from .mocks import Recorder, run

SG = "aws:ec2/securityGroup:SecurityGroup"
ENDPOINT = "aws:route53/resolverEndpoint:ResolverEndpoint"
SUBNET_LINK = "https://www.googleapis.com/compute/v1/projects/dr-project/regions/us-east4/subnetworks/main"


def resolver_args(**changes) -> ResolverForwardingArgs:
    args = dict(
        vpc_id="vpc-prod",
        region="us-east-1",
        endpoints=[
            ResolverEndpointArgs("inbound", "inbound", [EndpointAddress("subnet-a", "us-east-1a", "10.10.1.10"),
                                                        EndpointAddress("subnet-b", "us-east-1b", "10.10.2.10")],
                                 ["35.199.192.0/19"]),
            ResolverEndpointArgs("outbound", "outbound", [EndpointAddress("subnet-a", "us-east-1a"),
                                                          EndpointAddress("subnet-b", "us-east-1b")]),
        ],
        rules=[
            ResolverRuleArgs("gcp", "gcp.example.internal", "outbound", [DnsTarget("10.20.0.2")],
                             {"aws-prod": "vpc-prod", "aws-dev": "vpc-dev"}),
            ResolverRuleArgs("onprem", "corp.example.com", "outbound",
                             [DnsTarget("192.168.1.53", 5353), DnsTarget("192.168.2.53", 5353)]),
        ],
        stack="test",
    )
    args.update(changes)
    return ResolverForwardingArgs(**args)


def rules_of(group) -> list[tuple[str, int, int, list[str]]]:
    return sorted((r["protocol"], int(r["fromPort"]), int(r["toPort"]), r.get("cidrBlocks", [])) for r in group)


def test_inbound_security_group_admits_dns_from_the_allowed_sources_only(recorder: Recorder) -> None:
    run(lambda: ResolverForwarding("aws-prod-resolver", resolver_args()))
    group = recorder.one(SG, "aws-prod-resolver-inbound-sg")
    assert rules_of(group.inputs["ingress"]) == [("tcp", 53, 53, ["35.199.192.0/19"]),
                                                 ("udp", 53, 53, ["35.199.192.0/19"])]
    assert group.inputs["egress"] == []
    assert group.inputs["vpcId"] == "vpc-prod"


def test_outbound_security_group_sends_dns_to_the_rule_targets_only(recorder: Recorder) -> None:
    run(lambda: ResolverForwarding("aws-prod-resolver", resolver_args()))
    group = recorder.one(SG, "aws-prod-resolver-outbound-sg")
    assert group.inputs["ingress"] == []
    assert rules_of(group.inputs["egress"]) == [
        ("tcp", 53, 53, ["10.20.0.2/32"]),
        ("tcp", 5353, 5353, ["192.168.1.53/32", "192.168.2.53/32"]),
        ("udp", 53, 53, ["10.20.0.2/32"]),
        ("udp", 5353, 5353, ["192.168.1.53/32", "192.168.2.53/32"]),
    ]


def test_endpoints_rules_and_associations(recorder: Recorder) -> None:
    run(lambda: ResolverForwarding("aws-prod-resolver", resolver_args()))
    inbound = recorder.one(ENDPOINT, "aws-prod-resolver-inbound")
    assert inbound.inputs["direction"] == "INBOUND"
    assert inbound.inputs["ipAddresses"] == [{"subnetId": "subnet-a", "ip": "10.10.1.10"},
                                             {"subnetId": "subnet-b", "ip": "10.10.2.10"}]
    assert inbound.inputs["securityGroupIds"] == [recorder.id_of("aws-prod-resolver-inbound-sg")]
    outbound = recorder.one(ENDPOINT, "aws-prod-resolver-outbound")
    assert outbound.inputs["ipAddresses"] == [{"subnetId": "subnet-a"}, {"subnetId": "subnet-b"}]

    rule = recorder.one("aws:route53/resolverRule:ResolverRule", "aws-prod-resolver-rule-gcp")
    assert rule.inputs["domainName"] == "gcp.example.internal"
    assert rule.inputs["ruleType"] == "FORWARD"
    assert rule.inputs["resolverEndpointId"] == recorder.id_of("aws-prod-resolver-outbound")
    assert rule.inputs["targetIps"] == [{"ip": "10.20.0.2", "port": 53}]
    associations = {r.name: r.inputs["vpcId"]
                    for r in recorder.of_type("aws:route53/resolverRuleAssociation:ResolverRuleAssociation")}
    assert associations == {"aws-prod-resolver-rule-gcp-aws-dev": "vpc-dev",
                            "aws-prod-resolver-rule-gcp-aws-prod": "vpc-prod"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"endpoints": [ResolverEndpointArgs("in", "inbound", [EndpointAddress("s", "us-east-1a", "10.0.0.1")])],
          "rules": []}, "two or more addresses in distinct availability zones"),
        ({"endpoints": [ResolverEndpointArgs("in", "inbound", [EndpointAddress("s", "us-east-1a"),
                                                               EndpointAddress("t", "us-east-1a")])],
          "rules": []}, "distinct availability zones"),
        ({"rules": [ResolverRuleArgs("r", "x.internal", "inbound", [DnsTarget("10.0.0.2")])]},
         "not an outbound endpoint"),
        ({"endpoints": [ResolverEndpointArgs("out", "outbound", [EndpointAddress("s", "a"), EndpointAddress("t", "b")],
                                             ["0.0.0.0/0"])], "rules": []}, "accepts no queries"),
    ],
    ids=["one-address", "one-zone", "rule-on-inbound", "outbound-with-sources"],
)
def test_resolver_bad_arguments_are_refused_before_any_child(recorder: Recorder, changes: dict, message: str) -> None:
    with pytest.raises(ComponentArgsError, match=message):
        run(lambda: ResolverForwarding("r", resolver_args(**changes)))
    assert recorder.registered == []


def cloud_dns_args(**changes) -> CloudDnsForwardingArgs:
    args = dict(
        project="dr-project",
        zones=[ForwardingZoneArgs("aws-rds", "rds.amazonaws.com", {"gcp-dr": "projects/dr-project/global/networks/n"},
                                  [DnsTarget("10.10.1.10"), DnsTarget("10.10.2.10")])],
        inbound_policies=[InboundPolicyArgs("gcp-dr-inbound", {"gcp-dr": "projects/dr-project/global/networks/n"},
                                            {"main": ForwarderSubnet(SUBNET_LINK, "us-east4")})],
        stack="test",
    )
    args.update(changes)
    return CloudDnsForwardingArgs(**args)


def dns(args: CloudDnsForwardingArgs) -> CloudDnsForwarding:
    """The component, with the subnetwork its inbound policy allocates forwarder addresses from."""
    _subnet()
    return CloudDnsForwarding("dns", args)


def test_forwarding_zone_is_private_and_forwards_through_the_vpc(recorder: Recorder) -> None:
    component = run(lambda: dns(cloud_dns_args()))
    zone = recorder.one("gcp:dns/managedZone:ManagedZone")
    assert zone.name == "dns-zone-aws-rds"
    assert zone.inputs["dnsName"] == "rds.amazonaws.com."
    assert zone.inputs["visibility"] == "private"
    assert zone.inputs["project"] == "dr-project"
    assert zone.inputs["privateVisibilityConfig"] == {
        "networks": [{"networkUrl": "projects/dr-project/global/networks/n"}]}
    assert zone.inputs["forwardingConfig"] == {"targetNameServers": [
        {"ipv4Address": "10.10.1.10", "forwardingPath": "private"},
        {"ipv4Address": "10.10.2.10", "forwardingPath": "private"},
    ]}
    # the range AWS must route back (carried by the interconnect's Google allow-list, see interconnect tests)
    assert component.return_path_prefix == "35.199.192.0/19"


def test_inbound_policy_enables_inbound_forwarding(recorder: Recorder) -> None:
    run(lambda: dns(cloud_dns_args()))
    policy = recorder.one("gcp:dns/policy:Policy")
    assert policy.name == "dns-policy-gcp-dr-inbound"
    assert policy.inputs["enableInboundForwarding"] is True
    assert policy.inputs["networks"] == [{"networkUrl": "projects/dr-project/global/networks/n"}]


def test_public_forwarding_path_when_private_routing_is_off(recorder: Recorder) -> None:
    zones = [ForwardingZoneArgs("z", "example.com", {"n": "net"}, [DnsTarget("8.8.8.8")], private_routing=False)]
    run(lambda: CloudDnsForwarding("dns", cloud_dns_args(zones=zones, inbound_policies=[])))
    zone = recorder.one("gcp:dns/managedZone:ManagedZone")
    assert zone.inputs["forwardingConfig"]["targetNameServers"][0]["forwardingPath"] == "default"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"zones": [ForwardingZoneArgs("z", "x.com", {"n": "net"}, [DnsTarget("10.0.0.1", 5353)])]},
         "Cloud DNS forwards to port 53"),
        ({"inbound_policies": [InboundPolicyArgs("a", {"n": "net"}), InboundPolicyArgs("b", {"n": "net"})]},
         "a network has one DNS server policy"),
        ({"inbound_policies": [InboundPolicyArgs("a", {"n": "net"})]}, "allocates the inbound forwarder addresses"),
    ],
    ids=["port", "two-policies", "no-subnets"],
)
def test_cloud_dns_bad_arguments_are_refused_before_any_child(recorder: Recorder, changes: dict, message: str) -> None:
    with pytest.raises(ComponentArgsError, match=message):
        run(lambda: CloudDnsForwarding("dns", cloud_dns_args(**changes)))
    assert recorder.registered == []


def _subnet() -> gcp.compute.Subnetwork:
    return gcp.compute.Subnetwork("main", name="main", project="dr-project", region="us-east4", network="n",
                                  ip_cidr_range="10.20.0.0/20")


def test_inbound_policy_reads_the_forwarder_addresses_google_allocated(pulumi_mocks) -> None:
    mocks, recorder = pulumi_mocks

    def program():
        _subnet()
        return CloudDnsForwarding("dns", cloud_dns_args()).forwarder_addresses["gcp-dr-inbound"]

    assert run(program) == ["10.20.0.2"]  # what the mocks allocate, as Google does, from the subnet's range
    assert mocks.calls == ["gcp:compute/getAddresses:getAddresses"]


def test_declared_forwarder_addresses_that_google_did_not_allocate_stop_the_deployment(pulumi_mocks) -> None:
    policy = InboundPolicyArgs("gcp-dr-inbound", {"gcp-dr": "n"}, {"main": ForwarderSubnet(SUBNET_LINK, "us-east4")},
                               ["10.20.0.9"])

    def program():
        _subnet()
        return CloudDnsForwarding("dns", cloud_dns_args(inbound_policies=[policy])).forwarder_addresses[policy.name]

    with pytest.raises(Exception, match=r"Google allocated 10\.20\.0\.2; the spec declares 10\.20\.0\.9"):
        run(program)


def test_rule_targets_allocated_addresses_once_read_and_its_endpoint_may_reach_their_range(recorder) -> None:
    read = pulumi.Output.from_input(["10.20.0.2", "10.21.0.2"])
    rules = [ResolverRuleArgs("gcp", "gcp.example.internal", "outbound",
                              [AllocatedDnsTargets(read, ["10.20.0.0/20", "10.21.0.0/20"]), DnsTarget("10.30.0.53")])]
    run(lambda: ResolverForwarding("aws-prod-resolver", resolver_args(rules=rules)))
    rule = recorder.one("aws:route53/resolverRule:ResolverRule")
    assert rule.inputs["targetIps"] == [{"ip": "10.20.0.2", "port": 53}, {"ip": "10.21.0.2", "port": 53},
                                        {"ip": "10.30.0.53", "port": 53}]
    group = recorder.one(SG, "aws-prod-resolver-outbound-sg")
    assert rules_of(group.inputs["egress"]) == [
        ("tcp", 53, 53, ["10.20.0.0/20", "10.21.0.0/20", "10.30.0.53/32"]),
        ("udp", 53, 53, ["10.20.0.0/20", "10.21.0.0/20", "10.30.0.53/32"]),
    ]
