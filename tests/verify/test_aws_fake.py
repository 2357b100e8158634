"""The Direct Connect fake speaks botocore's model: what it answers is checked against the operation's output
shape (an answer off the model is refused, not passed on), in both protocols the model lists."""

from __future__ import annotations

import urllib.request

import boto3
import pytest
from aws_fake import CREDENTIALS, DX_MODEL, FakeAws
from botocore import parsers, serialize
from botocore.awsrequest import prepare_request_dict
from botocore.exceptions import ClientError


@pytest.fixture
def fake():
    server = FakeAws("http://127.0.0.1:9")  # nothing behind it: only Direct Connect is asked
    server.start()
    yield server
    server.stop()


def client(fake: FakeAws):
    return boto3.client("directconnect", endpoint_url=fake.url, region_name="us-east-1", **CREDENTIALS)


def test_gateways_are_created_and_listed_page_by_page(fake: FakeAws) -> None:
    dx = client(fake)
    made = [dx.create_direct_connect_gateway(directConnectGatewayName=f"gw-{i}", amazonSideAsn=64512 + i)
            ["directConnectGateway"]["directConnectGatewayId"] for i in range(3)]
    pages = list(dx.get_paginator("describe_direct_connect_gateways").paginate())
    assert len(pages) == 2  # pages of two
    assert [g["directConnectGatewayId"] for p in pages for g in p["directConnectGateways"]] == made
    assert fake.invalid == []


def test_an_answer_off_the_model_is_refused(fake: FakeAws) -> None:
    dx = client(fake)
    gateway = dx.create_direct_connect_gateway(directConnectGatewayName="gw", amazonSideAsn=64512)[
        "directConnectGateway"]["directConnectGatewayId"]
    fake.gateways[gateway]["amazonSideAsn"] = "64512"  # a string where the model has a long
    with pytest.raises(ClientError) as err:
        dx.describe_direct_connect_gateways()
    assert err.value.response["Error"]["Code"] == "DirectConnectServerException"
    assert fake.invalid and all("directConnectGateways[0].amazonSideAsn" in p for p in fake.invalid)  # each retry


def test_the_cbor_protocol_of_the_model_is_answered_too(fake: FakeAws) -> None:
    client(fake).create_direct_connect_gateway(directConnectGatewayName="gw", amazonSideAsn=64512)
    operation = DX_MODEL.operation_model("DescribeDirectConnectGateways")
    request = serialize.create_serializer("smithy-rpc-v2-cbor").serialize_to_request({}, operation)
    prepare_request_dict(request, fake.url)
    with urllib.request.urlopen(urllib.request.Request(
            request["url"], data=request["body"], headers=request["headers"], method="POST")) as answer:
        parsed = parsers.create_parser("smithy-rpc-v2-cbor").parse(
            {"status_code": answer.status, "headers": dict(answer.headers), "body": answer.read()},
            operation.output_shape)
    assert [g["directConnectGatewayName"] for g in parsed["directConnectGateways"]] == ["gw"]
