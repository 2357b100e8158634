"""AwsGcpInterconnect: both ends in one program, the activation key wired between them as a secret, the Direct
Connect gateway attached to the hub with the AWS allow-list."""

from __future__ import annotations

import re

import pulumi
import pytest

from xcloud_iac.components import (
    AwsGcpInterconnect,
    AwsGcpInterconnectArgs,
    ComponentArgsError,
    TgwAttachPoint,
    TgwRoute,
    WanAttachPoint,
)
from xcloud_iac.spec import models as m

from xcloud_iac.plan.mocks import association_attachment_id

from .mocks import Recorder, run

TRANSPORT = "gcp:networkconnectivity/transport:Transport"
CONNECTION = "aws-native:interconnect:Connection"
GATEWAY = "aws:directconnect/gateway:Gateway"
ASSOCIATION = "aws:directconnect/gatewayAssociation:GatewayAssociation"


def interconnect(**changes) -> m.Interconnect:
    spec = {
        "name": "use1-gcp",
        "bandwidth": "10Gbps",
        "stack_type": "dual",
        "mtu": 1500,
        "aws": {"region": "us-east-1", "account": "111122223333", "dx_gateway_asn": 64513,
                "allowed_prefixes": ["10.10.0.0/16", "2600:1f18::/56"]},
        "gcp": {"region": "us-east4", "project": "dr-project", "network": "gcp-dr",
                "allowed_prefixes": ["10.20.0.0/16", "35.199.192.0/19"]},
    }
    for key, value in changes.items():
        if isinstance(value, dict):
            spec[key] = {**spec[key], **value}
        else:
            spec[key] = value
    return m.Interconnect.model_validate(spec)


TGW_POINT = TgwAttachPoint(
    hub="tgw-use1", attachment="to-gcp", transit_gateway_id="tgw-0123", region="us-east-1",
    route_table_id="tgw-rtb-prod", propagate_to={"prod": "tgw-rtb-prod", "inspect": "tgw-rtb-inspect"},
    routes=(TgwRoute("inspect", "10.20.0.0/16", "tgw-rtb-inspect"),),
)


def build(ic: m.Interconnect, attach=(TGW_POINT,)) -> AwsGcpInterconnect:
    return AwsGcpInterconnect(ic.name, AwsGcpInterconnectArgs(ic, "projects/dr-project/global/networks/gcp-dr",
                                                              list(attach), stack="test"))


def test_google_generated_key_is_wired_to_the_connection_as_a_secret(recorder: Recorder) -> None:
    run(lambda: build(interconnect()))
    transport, connection = recorder.one(TRANSPORT), recorder.one(CONNECTION)

    assert connection.inputs["activationKey"] == "gcp-generated-key-use1-gcp-transport"
    assert "activationKey" in connection.secret_inputs
    assert "activationKey" in connection.secret_outputs
    assert "generatedActivationKey" in transport.secret_outputs
    assert "environmentId" not in connection.inputs and "providedActivationKey" not in transport.inputs


@pulumi.runtime.test
def test_activation_key_output_is_secret(recorder: Recorder) -> pulumi.Output:
    def check(values: list) -> None:
        key, key_is_secret = values
        assert key == "gcp-generated-key-use1-gcp-transport"
        assert key_is_secret is True

    key = build(interconnect()).activation_key
    return pulumi.Output.all(key, pulumi.Output.from_input(key.is_secret())).apply(check)


def test_both_sides_spell_bandwidth_stack_type_and_routes_from_the_spec(recorder: Recorder) -> None:
    run(lambda: build(interconnect()))
    transport, connection = recorder.one(TRANSPORT), recorder.one(CONNECTION)

    # Google creates without a key: bandwidth, remote account and profile together; AWS accepts the key alone
    # (AWS::Interconnect::Connection: ActivationKey is exclusive with EnvironmentId and Bandwidth)
    assert transport.inputs["bandwidth"] == "BPS_10G"
    assert "bandwidth" not in connection.inputs
    assert transport.inputs["stackType"] == "IPV4_IPV6"
    # Google advertises its allow-list, including the Cloud DNS source range so AWS can answer Cloud DNS
    assert transport.inputs["advertisedRoutes"] == ["10.20.0.0/16", "35.199.192.0/19"]
    assert transport.inputs["remoteProfile"] == (
        "projects/dr-project/locations/us-east4/remoteTransportProfiles/aws-us-east-1"
    )
    assert transport.inputs["region"] == "us-east4" and transport.inputs["project"] == "dr-project"
    assert transport.inputs["network"] == "projects/dr-project/global/networks/gcp-dr"
    assert transport.inputs["remoteAccountId"] == "111122223333"
    # mtu_limit is output-only in the Google API: it is never sent
    assert "mtuLimit" not in transport.inputs


def test_ipv4_interconnect_asks_for_ipv4_only(recorder: Recorder) -> None:
    ic = interconnect(stack_type="ipv4", aws={"allowed_prefixes": ["10.10.0.0/16"]})
    run(lambda: build(ic))
    assert recorder.one(TRANSPORT).inputs["stackType"] == "IPV4_ONLY"


def test_dx_gateway_association_carries_exactly_the_aws_allow_list(recorder: Recorder) -> None:
    run(lambda: build(interconnect()))
    gateway, association = recorder.one(GATEWAY), recorder.one(ASSOCIATION)

    assert gateway.inputs["amazonSideAsn"] == "64513"
    assert association.inputs["allowedPrefixes"] == ["10.10.0.0/16", "2600:1f18::/56"]
    assert association.inputs["dxGatewayId"] == recorder.id_of("use1-gcp-dxgw")
    assert association.inputs["associatedGatewayId"] == "tgw-0123"
    assert recorder.one(CONNECTION).inputs["attachPoint"] == {"directConnectGateway": recorder.id_of("use1-gcp-dxgw")}


def test_gateway_attachment_is_wired_into_the_hub_route_tables(recorder: Recorder) -> None:
    run(lambda: build(interconnect()))
    attachment = association_attachment_id("use1-gcp-tgw-use1-dxgw-assoc")
    assoc = recorder.one("aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation")
    props = recorder.of_type("aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation")
    route = recorder.one("aws:ec2transitgateway/route:Route")

    assert assoc.name == "use1-gcp-tgw-use1-assoc"
    assert assoc.inputs["transitGatewayAttachmentId"] == attachment
    assert assoc.inputs["transitGatewayRouteTableId"] == "tgw-rtb-prod"
    assert sorted(p.name for p in props) == ["use1-gcp-tgw-use1-prop-inspect", "use1-gcp-tgw-use1-prop-prod"]
    assert {p.inputs["transitGatewayAttachmentId"] for p in props} == {attachment}
    assert route.name == "use1-gcp-tgw-use1-route-inspect-10-20-0-0-16"
    assert route.inputs["destinationCidrBlock"] == "10.20.0.0/16"
    assert route.inputs["transitGatewayAttachmentId"] == attachment


def test_aws_generated_key_flows_from_the_connection_to_the_transport(recorder: Recorder) -> None:
    ic = interconnect(activation_key_from="aws", aws={"environment_id": "env-123"})
    run(lambda: build(ic))
    transport, connection = recorder.one(TRANSPORT), recorder.one(CONNECTION)

    assert connection.inputs["environmentId"] == "env-123"
    assert connection.inputs["remoteAccount"] == {"identifier": "dr-project"}
    assert connection.inputs["bandwidth"] == "10Gbps"
    assert "activationKey" not in connection.inputs
    assert transport.inputs["providedActivationKey"] == "aws-generated-key-use1-gcp-connection"
    assert "providedActivationKey" in transport.secret_inputs
    # Google: with a provided key, bandwidth and the remote account come from the key and are not sent
    assert "bandwidth" not in transport.inputs and "remoteAccountId" not in transport.inputs


@pytest.mark.parametrize("key_from", ["gcp", "aws"])
def test_descriptions_fit_the_connection_pattern(recorder: Recorder, key_from: str) -> None:
    changes = {"activation_key_from": key_from} | ({"aws": {"environment_id": "env-1"}} if key_from == "aws" else {})
    run(lambda: build(interconnect(**changes)))
    description = recorder.one(CONNECTION).inputs["description"]
    # AWS::Interconnect::Connection Description: ^[-a-zA-Z0-9_ ]+$, at most 255 characters
    assert re.fullmatch(r"[-a-zA-Z0-9_ ]{1,255}", description), description
    assert description == "xcloud test use1-gcp us-east-1 to us-east4"
    assert recorder.one(TRANSPORT).inputs["description"] == description


def test_create_only_keys_and_echoed_profile_never_replace(recorder: Recorder) -> None:
    run(lambda: build(interconnect()))
    assert recorder.one(CONNECTION).ignore_changes == ["activationKey"]
    assert sorted(recorder.one(TRANSPORT).ignore_changes) == ["providedActivationKey", "remoteProfile"]


def test_connection_transport_and_gateway_are_protected_by_default(recorder: Recorder) -> None:
    run(lambda: build(interconnect()))
    assert recorder.one(CONNECTION).protect
    assert recorder.one(TRANSPORT).protect
    assert recorder.one(GATEWAY).protect


def test_protect_false_in_the_spec_unprotects(recorder: Recorder) -> None:
    run(lambda: build(interconnect(protect=False)))
    assert not any(r.protect for r in recorder.registered)


def test_children_are_parented_to_the_component(recorder: Recorder) -> None:
    run(lambda: build(interconnect()))
    component = recorder.one("xcloud:interconnect:AwsGcpInterconnect")
    assert component.name == "use1-gcp"
    assert {r.parent for r in recorder.registered if r is not component} == {component.urn}


def test_cloud_wan_attach_point_gets_a_tagged_dx_gateway_attachment(recorder: Recorder) -> None:
    point = WanAttachPoint(hub="core", attachment="gcp-use1", core_network_id="core-network-0a1", segment="prod")
    run(lambda: build(interconnect(), attach=[point]))
    attachment = recorder.one("aws:networkmanager/dxGatewayAttachment:DxGatewayAttachment")

    assert recorder.of_type(ASSOCIATION) == []
    assert attachment.inputs["coreNetworkId"] == "core-network-0a1"
    assert attachment.inputs["edgeLocations"] == ["us-east-1"]
    assert attachment.inputs["tags"]["xcloud:segment"] == "prod"
    assert attachment.inputs["directConnectGatewayArn"].startswith("arn:aws:directconnect:")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"gcp": {"region": "europe-west3"}}, "pairs with Google us-east4, not europe-west3"),
        ({"activation_key_from": "aws"}, "set aws.environment_id"),
        ({"aws": {"environment_id": "env-1"}}, "used only when AWS generates the key"),
        ({"aws": {"account": None}}, r"the transport needs the AWS account \(aws.account\)"),
        ({"bandwidth": "3Gbps"}, "is not offered"),
        ({"stack_type": "ipv4"}, "is IPv6 but the interconnect's stack_type is ipv4"),
    ],
    ids=["region-pair", "aws-key-without-environment", "environment-with-google-key", "google-key-without-account",
         "bandwidth", "stack-type"],
)
def test_bad_arguments_are_refused_before_any_child(recorder: Recorder, changes: dict, message: str) -> None:
    with pytest.raises(ComponentArgsError, match=message):
        run(lambda: build(interconnect(**changes)))
    assert recorder.registered == []
