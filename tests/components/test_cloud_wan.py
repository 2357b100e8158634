"""CloudWanCore: global and core network, a policy document built in Python, VPC attachments tagged for it."""

from __future__ import annotations

import json

import pulumi
import pytest

from xcloud_iac.components import CloudWanCore, CloudWanCoreArgs, ComponentArgsError, WanVpcRef
from xcloud_iac.spec import models as m

from .mocks import Mocks, Recorder, run

POLICY = "aws:networkmanager/coreNetworkPolicyAttachment:CoreNetworkPolicyAttachment"
VPC_ATTACHMENT = "aws:networkmanager/vpcAttachment:VpcAttachment"


def core_spec(**changes) -> m.CloudWanCore:
    spec = {
        "name": "core",
        "kind": "cloud_wan",
        "asn_ranges": ["64520-64529"],
        "edges": [{"region": "us-east-1", "asn": 64520}, {"region": "eu-central-1"}],
        "segments": [
            {"name": "prod", "routes": [{"prefix": "10.99.0.0/16", "blackhole": True},
                                        {"prefix": "10.98.0.0/16", "attachment": "shared-use1"}]},
            {"name": "shared-svc", "share_with": ["prod"], "isolate_attachments": True,
             "edge_locations": ["us-east-1"]},
        ],
        "attachments": [
            {"name": "prod-use1", "network": "aws-prod", "subnets": ["a", "b"], "segment": "prod"},
            {"name": "shared-use1", "network": "aws-shared", "subnets": ["a"], "segment": "shared-svc"},
            {"name": "gcp-use1", "interconnect": "wan-use1-gcp", "segment": "prod"},
        ],
    }
    spec.update(changes)
    return m.CloudWanCore.model_validate(spec)


VPCS = {
    "aws-prod": WanVpcRef("arn:aws:ec2:us-east-1:1:vpc/vpc-p", {"a": "arn:sa", "b": "arn:sb"}),
    "aws-shared": WanVpcRef("arn:aws:ec2:us-east-1:1:vpc/vpc-s", {"a": "arn:ss"}),
}


def test_networks_are_created_protected_with_a_base_policy_for_every_edge(recorder: Recorder) -> None:
    run(lambda: CloudWanCore("core", CloudWanCoreArgs(core_spec(), VPCS, stack="test")))
    global_network = recorder.one("aws:networkmanager/globalNetwork:GlobalNetwork")
    core = recorder.one("aws:networkmanager/coreNetwork:CoreNetwork")
    assert global_network.protect and core.protect
    assert core.inputs["globalNetworkId"] == recorder.id_of("core-global")
    assert core.inputs["createBasePolicy"] is True
    # base_policy_regions would let AWS pick the edges' ASNs from its default range: the document sets them
    assert "basePolicyRegions" not in core.inputs
    base = json.loads(core.inputs["basePolicyDocument"])
    assert [e["location"] for e in base["core-network-configuration"]["edge-locations"]] == ["eu-central-1",
                                                                                              "us-east-1"]


@pulumi.runtime.test
def test_base_policy_agrees_with_the_final_policy(recorder: Recorder) -> pulumi.Output:
    """Edge ASNs are fixed when the core network is created: the final policy must find the same ones."""
    core = CloudWanCore("core", CloudWanCoreArgs(core_spec(), VPCS, stack="test"))

    def check(final_text: str) -> None:
        base = json.loads(recorder.one("aws:networkmanager/coreNetwork:CoreNetwork").inputs["basePolicyDocument"])
        final = json.loads(final_text)
        assert base["core-network-configuration"] == final["core-network-configuration"]
        assert base["core-network-configuration"]["asn-ranges"] == ["64520-64529"]
        assert {"location": "us-east-1", "asn": 64520} in base["core-network-configuration"]["edge-locations"]
        assert base["segments"] == final["segments"]
        assert base["attachment-policies"] == final["attachment-policies"]
        # only the route to an attachment (its id exists after the base policy) is left out; the blackhole stays
        routes = [a for a in final["segment-actions"] if a["action"] == "create-route"]
        assert [a for a in base["segment-actions"] if a["action"] == "create-route"] == [
            a for a in routes if a["destinations"] == ["blackhole"]]
        assert len(routes) == 2

    return core.policy_document.apply(check)


def test_vpc_attachments_carry_the_segment_tag(recorder: Recorder) -> None:
    run(lambda: CloudWanCore("core", CloudWanCoreArgs(core_spec(), VPCS, stack="test")))
    attachments = {r.name: r.inputs for r in recorder.of_type(VPC_ATTACHMENT)}
    assert sorted(attachments) == ["core-att-prod-use1", "core-att-shared-use1"]
    assert attachments["core-att-prod-use1"]["tags"]["xcloud:segment"] == "prod"
    assert attachments["core-att-shared-use1"]["tags"]["xcloud:segment"] == "sharedsvc"
    assert attachments["core-att-prod-use1"]["subnetArns"] == ["arn:sa", "arn:sb"]
    assert attachments["core-att-prod-use1"]["coreNetworkId"] == recorder.id_of("core-core")


def test_policy_document_is_built_in_python(pulumi_mocks: tuple[Mocks, Recorder]) -> None:
    mocks, recorder = pulumi_mocks
    run(lambda: CloudWanCore("core", CloudWanCoreArgs(core_spec(), VPCS, stack="test")))
    attachment = recorder.one(POLICY)
    document = json.loads(attachment.inputs["policyDocument"])

    assert mocks.calls == []  # no invoke (get_policy_document returns nothing under mocks)
    assert attachment.inputs["coreNetworkId"] == recorder.id_of("core-core")
    assert document["version"] == "2021.12"
    assert document["core-network-configuration"] == {
        "asn-ranges": ["64520-64529"],
        "edge-locations": [{"location": "eu-central-1"}, {"location": "us-east-1", "asn": 64520}],
    }
    assert document["segments"] == [
        {"name": "prod", "require-attachment-acceptance": False, "isolate-attachments": False},
        {"name": "sharedsvc", "require-attachment-acceptance": False, "isolate-attachments": True,
         "edge-locations": ["us-east-1"]},
    ]
    assert {"action": "share", "mode": "attachment-route", "segment": "prod", "share-with": ["sharedsvc"]} \
        in document["segment-actions"]
    routes = [a for a in document["segment-actions"] if a["action"] == "create-route"]
    assert routes == [
        {"action": "create-route", "segment": "prod", "destination-cidr-blocks": ["10.98.0.0/16"],
         "destinations": [recorder.id_of("core-att-shared-use1")]},
        {"action": "create-route", "segment": "prod", "destination-cidr-blocks": ["10.99.0.0/16"],
         "destinations": ["blackhole"]},
    ]
    assert document["attachment-policies"] == [
        {"rule-number": 100, "condition-logic": "or",
         "conditions": [{"type": "tag-value", "operator": "equals", "key": "xcloud:segment", "value": "prod"}],
         "action": {"association-method": "constant", "segment": "prod"}},
        {"rule-number": 200, "condition-logic": "or",
         "conditions": [{"type": "tag-value", "operator": "equals", "key": "xcloud:segment", "value": "sharedsvc"}],
         "action": {"association-method": "constant", "segment": "sharedsvc"}},
    ]


@pulumi.runtime.test
def test_policy_document_output_maps_segments_by_tag(recorder: Recorder) -> pulumi.Output:
    def check(document: str) -> None:
        rules = json.loads(document)["attachment-policies"]
        assert [r["conditions"][0]["key"] for r in rules] == ["xcloud:segment", "xcloud:segment"]
        assert [r["action"]["segment"] for r in rules] == ["prod", "sharedsvc"]

    core = CloudWanCore("core", CloudWanCoreArgs(core_spec(), VPCS, stack="test"))
    return core.policy_document.apply(check)


def test_attach_point_names_the_policy_segment(recorder: Recorder) -> None:
    core = run(lambda: CloudWanCore("core", CloudWanCoreArgs(core_spec(), VPCS, stack="test")))
    point = core.attach_point("gcp-use1")
    assert (point.hub, point.attachment, point.segment) == ("core", "gcp-use1", "prod")
    assert not [r for r in recorder.registered if "gcp-use1" in r.name]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"segments": [{"name": "a-b"}, {"name": "ab"}], "attachments": []}, "are both 'ab' in the policy"),
        ({"segments": [{"name": "prod", "routes": [{"prefix": "10.0.0.0/8", "attachment": "gcp-use1"}]}]},
         "Direct Connect routes come over BGP"),
    ],
    ids=["segment-names-collide", "static-route-to-dx"],
)
def test_bad_arguments_are_refused_before_any_child(recorder: Recorder, changes: dict, message: str) -> None:
    with pytest.raises(ComponentArgsError, match=message):
        run(lambda: CloudWanCore("core", CloudWanCoreArgs(core_spec(**changes), VPCS)))
    assert recorder.registered == []
