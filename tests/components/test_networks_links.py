"""AwsNetwork, GcpNetwork (created or read) and DirectConnectLink."""

from __future__ import annotations

import pytest

from xcloud_iac.components import (
    AwsNetwork,
    AwsNetworkArgs,
    ComponentArgsError,
    DirectConnectLink,
    DirectConnectLinkArgs,
    GcpNetwork,
    GcpNetworkArgs,
    TgwAttachPoint,
)
from xcloud_iac.spec import models as m

from xcloud_iac.plan.mocks import association_attachment_id

from .mocks import Recorder, run


def aws_network(**changes) -> m.Network:
    spec = {"name": "aws-prod", "cloud": "aws", "region": "us-east-1", "cidrs": ["10.10.0.0/16", "10.11.0.0/16"],
            "subnets": [{"name": "a", "cidr": "10.10.0.0/24", "zone": "us-east-1a"},
                        {"name": "b", "cidr": "10.11.0.0/24", "zone": "us-east-1b"}]}
    spec.update(changes)
    return m.Network.model_validate(spec)


def test_aws_network_creates_vpc_secondary_range_and_subnets(recorder: Recorder) -> None:
    run(lambda: AwsNetwork("aws-prod", AwsNetworkArgs(aws_network(), "test")))
    vpc = recorder.one("aws:ec2/vpc:Vpc")
    assert vpc.name == "aws-prod-vpc"
    assert vpc.inputs["cidrBlock"] == "10.10.0.0/16"
    assert vpc.inputs["enableDnsSupport"] is True and vpc.inputs["enableDnsHostnames"] is True
    assert vpc.inputs["region"] == "us-east-1"
    secondary = recorder.one("aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation")
    assert secondary.inputs["cidrBlock"] == "10.11.0.0/16"
    subnets = {r.name: r for r in recorder.of_type("aws:ec2/subnet:Subnet")}
    assert subnets["aws-prod-subnet-a"].inputs["availabilityZone"] == "us-east-1a"
    # a subnet of the secondary range waits for the range
    assert secondary.urn in subnets["aws-prod-subnet-b"].dependencies
    assert secondary.urn not in subnets["aws-prod-subnet-a"].dependencies


def test_existing_aws_network_is_read_not_created(recorder: Recorder) -> None:
    net = aws_network(existing_id="vpc-0abc", subnets=[
        {"name": "a", "cidr": "10.10.0.0/24", "zone": "us-east-1a", "id": "subnet-0a"},
        {"name": "b", "cidr": "10.11.0.0/24", "zone": "us-east-1b"},
    ])
    component = run(lambda: AwsNetwork("aws-prod", AwsNetworkArgs(net, "test")))
    vpc = recorder.one("aws:ec2/vpc:Vpc")
    assert vpc.read
    assert recorder.one("aws:ec2/subnet:Subnet", "aws-prod-subnet-a").read
    # a subnet without an id is added to the existing VPC
    new = recorder.one("aws:ec2/subnet:Subnet", "aws-prod-subnet-b")
    assert not new.read and new.inputs["vpcId"] == "vpc-0abc"
    assert recorder.of_type("aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation") == []
    assert run(lambda: component.vpc_id) == "vpc-0abc"


def test_subnet_id_in_a_created_vpc_is_refused(recorder: Recorder) -> None:
    net = aws_network(subnets=[{"name": "a", "cidr": "10.10.0.0/24", "zone": "us-east-1a", "id": "subnet-0a"}])
    with pytest.raises(ComponentArgsError, match="set the network's existing_id"):
        run(lambda: AwsNetwork("aws-prod", AwsNetworkArgs(net)))
    assert recorder.registered == []


def test_gcp_network_sets_mtu_and_regional_subnetworks(recorder: Recorder) -> None:
    net = m.Network.model_validate({
        "name": "gcp-prod", "cloud": "gcp", "region": "us-east4", "account": "prod-project", "mtu": 1500,
        "cidrs": ["10.50.0.0/16"],
        "subnets": [{"name": "use4", "cidr": "10.50.0.0/20", "zone": "us-east4"},
                    {"name": "euw3", "cidr": "10.50.16.0/20", "zone": "europe-west3"}],
    })
    run(lambda: GcpNetwork("gcp-prod", GcpNetworkArgs(net, "test")))
    network = recorder.one("gcp:compute/network:Network")
    assert network.inputs["mtu"] == 1500
    assert network.inputs["autoCreateSubnetworks"] is False
    assert network.inputs["routingMode"] == "GLOBAL"
    assert network.inputs["project"] == "prod-project"
    regions = {r.name: r.inputs["region"] for r in recorder.of_type("gcp:compute/subnetwork:Subnetwork")}
    assert regions == {"gcp-prod-subnet-use4": "us-east4", "gcp-prod-subnet-euw3": "europe-west3"}


def test_ipv6_only_gcp_network_gets_ipv6_only_subnetworks(recorder: Recorder) -> None:
    net = m.Network.model_validate({
        "name": "gcp-v6", "cloud": "gcp", "region": "us-east4", "account": "prod-project", "stack_type": "ipv6",
        "cidrs": ["fd20::/48"], "subnets": [{"name": "use4", "cidr": "fd20::/64", "zone": "us-east4"}],
    })
    run(lambda: GcpNetwork("gcp-v6", GcpNetworkArgs(net, "test")))
    network = recorder.one("gcp:compute/network:Network")
    assert network.inputs["enableUlaInternalIpv6"] is True and network.inputs["internalIpv6Range"] == "fd20::/48"
    subnet = recorder.one("gcp:compute/subnetwork:Subnetwork")
    assert subnet.inputs["stackType"] == "IPV6_ONLY" and subnet.inputs["ipv6AccessType"] == "INTERNAL"
    assert "ipCidrRange" not in subnet.inputs  # Google allocates an IPv6-only subnet's range from the network's


def test_existing_gcp_network_is_read_by_its_path(recorder: Recorder) -> None:
    net = m.Network.model_validate({"name": "gcp-prod", "cloud": "gcp", "region": "us-east4", "account": "example-project",
                                    "cidrs": ["10.50.0.0/16"], "existing_id": "shared-vpc"})
    run(lambda: GcpNetwork("gcp-prod", GcpNetworkArgs(net)))
    network = recorder.one("gcp:compute/network:Network")
    assert network.read
    assert network.urn.endswith("gcp-prod-network")


def link(**changes) -> m.ExternalLink:
    spec = {"name": "ali-dx", "location": "EqSG2", "region": "ap-southeast-1", "bandwidth": "1Gbps",
            "connection_id": "dxcon-ffabc123", "vlan": 101, "mtu": 8500,
            "aws": {"dx_gateway_asn": 64601, "allowed_prefixes": ["10.70.0.0/16"]},
            "remote": {"network": "ali-prod", "asn": 65101, "allowed_prefixes": ["172.16.0.0/16"]}}
    spec.update(changes)
    return m.ExternalLink.model_validate(spec)


POINT = TgwAttachPoint("tgw-apse1", "alibaba", "tgw-0123", "ap-southeast-1", "rtb-main", {"main": "rtb-main"})


def test_link_builds_gateway_association_and_virtual_interface(recorder: Recorder) -> None:
    run(lambda: DirectConnectLink("ali-dx", DirectConnectLinkArgs(link(), [POINT], "test")))
    gateway = recorder.one("aws:directconnect/gateway:Gateway")
    association = recorder.one("aws:directconnect/gatewayAssociation:GatewayAssociation")
    vif = recorder.one("aws:directconnect/transitVirtualInterface:TransitVirtualInterface")

    assert gateway.protect and vif.protect
    assert association.inputs["allowedPrefixes"] == ["10.70.0.0/16"]
    assert association.inputs["associatedGatewayId"] == "tgw-0123"
    assert vif.inputs["connectionId"] == "dxcon-ffabc123"
    assert vif.inputs["vlan"] == 101
    assert vif.inputs["bgpAsn"] == 65101
    assert vif.inputs["mtu"] == 8500
    assert vif.inputs["dxGatewayId"] == recorder.id_of("ali-dx-dxgw")
    assert recorder.of_type("aws:directconnect/bgpPeer:BgpPeer") == []
    assert recorder.one("aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation").inputs[
        "transitGatewayAttachmentId"] == association_attachment_id("ali-dx-tgw-apse1-dxgw-assoc")


def test_dual_stack_link_adds_an_ipv6_bgp_peer(recorder: Recorder) -> None:
    run(lambda: DirectConnectLink("ali-dx", DirectConnectLinkArgs(link(stack_type="dual"), [POINT])))
    peer = recorder.one("aws:directconnect/bgpPeer:BgpPeer")
    assert peer.inputs["addressFamily"] == "ipv6" and peer.inputs["bgpAsn"] == 65101


def test_link_without_connection_builds_the_gateway_side_only(recorder: Recorder) -> None:
    run(lambda: DirectConnectLink("ali-dx", DirectConnectLinkArgs(link(connection_id=None), [POINT])))
    assert recorder.of_type("aws:directconnect/transitVirtualInterface:TransitVirtualInterface") == []
    assert len(recorder.of_type("aws:directconnect/gatewayAssociation:GatewayAssociation")) == 1


def test_link_mtu_a_virtual_interface_cannot_take_is_refused(recorder: Recorder) -> None:
    with pytest.raises(ComponentArgsError, match="takes 1500 or 8500"):
        run(lambda: DirectConnectLink("ali-dx", DirectConnectLinkArgs(link(mtu=9001), [POINT])))
    assert recorder.registered == []
