"""`xcloud diff` on hand-made pairs of specs: one pair per risk label, a no-op pair without any, replacement from
the immutable-input table (and its cascade), findings compared without their lines, and specs absent on one side."""

from __future__ import annotations

import pytest

from xcloud_iac.plan.diff import (
    INTERCONNECT_OR_GATEWAY,
    OUTSIDE_ALLOW_LIST,
    OVERLAP_OR_HIJACK,
    TRUST_WIDENED,
    StackDiff,
)

from .support import STACK_NAMES, diff_texts, mutated, stack_text


def labels(diff: StackDiff) -> dict[str, list[str]]:
    return {r.id: list(r.details) for r in diff.risks}


def actions(diff: StackDiff) -> dict[str, str]:
    return {r.name: r.action for r in diff.resources or ()}


@pytest.mark.parametrize("name", STACK_NAMES)
def test_the_same_stack_written_again_changes_nothing(name: str) -> None:
    diff = diff_texts(stack_text(name), mutated(name, lambda data: None))  # re-serialised: other text, same spec
    assert diff.changes == [] and diff.risks == []
    assert diff.resources == [] and diff.unchanged > 40
    assert diff.introduced == [] and diff.resolved == []
    assert not diff.changed


# ---------------------------------------------------------------- interconnect or gateway


def _new_google_network(data: dict) -> None:
    data["networks"].append({"name": "gcp-dr2", "cloud": "gcp", "region": "us-east4", "account": "example-dr-project",
                             "cidrs": ["10.21.0.0/16"], "mtu": 1500,
                             "subnets": [{"name": "main", "cidr": "10.21.0.0/20", "zone": "us-east4"}]})
    gcp = data["interconnects"][0]["gcp"]
    gcp.update(network="gcp-dr2", allowed_prefixes=["10.21.0.0/16", "35.199.192.0/19"])


def test_moving_the_interconnect_to_another_google_network_replaces_both_ends() -> None:
    diff = diff_texts(stack_text("dr-pair"), mutated("dr-pair", _new_google_network))
    moved = actions(diff)
    assert moved["use1-gcp-transport"] == "replace" and moved["use1-gcp-connection"] == "replace"
    transport = next(r for r in diff.resources if r.name == "use1-gcp-transport")
    assert [(i.name, i.replaces) for i in transport.inputs if i.replaces] == [("network", True)]
    connection = next(r for r in diff.resources if r.name == "use1-gcp-connection")
    assert any("activationKey refers to use1-gcp-transport" in n for n in connection.notes)  # a new key
    assert connection.protected and any("protected" in n for n in connection.notes)
    assert any("use1-gcp-transport is replaced: network changes" in d for d in labels(diff)[INTERCONNECT_OR_GATEWAY])


def test_a_new_direct_connect_gateway_asn_replaces_the_gateway_and_what_is_attached_to_it() -> None:
    diff = diff_texts(stack_text("dr-pair"),
                      mutated("dr-pair", lambda d: d["interconnects"][0]["aws"].update(dx_gateway_asn=64514)))
    moved = actions(diff)
    assert moved["use1-gcp-dxgw"] == "replace"
    # the association and the connection name the gateway by id in inputs that force a replacement
    assert moved["use1-gcp-tgw-use1-dxgw-assoc"] == "replace" and moved["use1-gcp-connection"] == "replace"
    assert moved.get("use1-gcp-transport") is None
    assert len(labels(diff)[INTERCONNECT_OR_GATEWAY]) == 3


def test_removing_the_interconnect_deletes_it() -> None:
    def remove(data: dict) -> None:
        data["interconnects"] = []
        data["hubs"][0]["attachments"] = [a for a in data["hubs"][0]["attachments"] if "interconnect" not in a]

    diff = diff_texts(stack_text("dr-pair"), mutated("dr-pair", remove))
    moved = actions(diff)
    assert {moved[n] for n in ("use1-gcp-transport", "use1-gcp-connection", "use1-gcp-dxgw")} == {"delete"}
    assert "interconnect use1-gcp-transport is deleted" in labels(diff)[INTERCONNECT_OR_GATEWAY]
    assert ("objects", "removed", "interconnect 'use1-gcp'") in {(c.section, c.change, c.subject) for c in diff.changes}


def test_a_transit_gateway_asn_is_updated_in_place_but_aws_refuses_while_attached() -> None:
    diff = diff_texts(stack_text("dr-pair"), mutated("dr-pair", lambda d: d["hubs"][0].update(asn=64600)))
    tgw = next(r for r in diff.resources if r.name == "tgw-use1-tgw")
    assert tgw.action == "update"
    assert [i.name for i in tgw.inputs] == ["amazonSideAsn"] and tgw.inputs[0].after == 64600
    assert any("BGP attachments" in n for n in tgw.notes)
    assert labels(diff)[INTERCONNECT_OR_GATEWAY] == [
        "Transit Gateway tgw-use1-tgw: amazonSideAsn change is refused by AWS while attached"]


# ---------------------------------------------------------------- trust widened


def _role(data: dict) -> dict:
    return data["trust"]["roles"][0]


GKE_CI = "https://container.googleapis.com/v1/projects/ci/locations/us-east4/clusters/ci"
TRUST_CASES = {
    "wildcard subject": (lambda d: _role(d).update(subjects=["system:serviceaccount:orders:*"]),
                         "role 'gke-orders-reader': new wildcard subject 'system:serviceaccount:orders:*'"),
    "another exact subject": (lambda d: _role(d)["subjects"].append("system:serviceaccount:orders:batch"),
                              "role 'gke-orders-reader': new subject 'system:serviceaccount:orders:batch'"),
    "audience removed": (lambda d: _role(d).pop("audience"),
                         "role 'gke-orders-reader': audience 'sts.amazonaws.com' removed (any audience accepted)"),
    "new issuer on the role": (
        lambda d: (d["trust"]["issuers"].append({"name": "gke-ci", "kind": "gke", "url": GKE_CI}),
                   _role(d).update(issuer="gke-ci")),
        "role 'gke-orders-reader': new issuer 'gke-ci' (was 'gke-dr')"),
    "longer session": (lambda d: _role(d).update(max_session_seconds=7200),
                       "role 'gke-orders-reader': longer session 3600 s -> 7200 s"),
    "wider permissions": (lambda d: _role(d)["permissions"][0]["actions"].append("s3:PutObject"),
                          ("role 'gke-orders-reader': wider permissions: s3:PutObject on "
                           "arn:aws:s3:::example-orders-exports/*")),
    "issuer moved": (lambda d: d["trust"]["issuers"][0].update(url="https://issuer.example.com/dr"),
                     ("issuer 'gke-dr': URL https://container.googleapis.com/v1/projects/example-dr-project/locations/"
                      "us-east4/clusters/dr -> https://issuer.example.com/dr (its roles now trust another issuer)")),
    "workload identity condition dropped": (
        lambda d: d["trust"]["workload_identity"][0].pop("attribute_condition"),
        "workload identity 'aws-to-gcp': attribute condition removed"),
}


@pytest.mark.parametrize("case", sorted(TRUST_CASES))
def test_trust_widened(case: str) -> None:
    change, detail = TRUST_CASES[case]
    diff = diff_texts(stack_text("dr-pair"), mutated("dr-pair", change))
    assert detail in labels(diff).get(TRUST_WIDENED, []), labels(diff)
    assert INTERCONNECT_OR_GATEWAY not in labels(diff)


def test_narrowing_trust_is_no_risk() -> None:
    base = mutated("dr-pair", lambda d: _role(d)["subjects"].append("system:serviceaccount:orders:batch"))
    diff = diff_texts(base, stack_text("dr-pair"))
    assert labels(diff) == {}
    assert [(c.change, c.item, c.before) for c in diff.changes if c.section == "trust"] == [
        ("removed", "subjects", "system:serviceaccount:orders:batch")]


# ---------------------------------------------------------------- overlap, hijack, allow-list


def test_a_new_network_overlapping_a_reachable_one() -> None:
    def overlap(data: dict) -> None:
        data["networks"].append({"name": "aws-new", "cloud": "aws", "region": "us-east-1", "account": "111122223333",
                                 "cidrs": ["10.20.128.0/17"], "subnets": [
                                     {"name": "a", "cidr": "10.20.128.0/24", "zone": "us-east-1a"},
                                     {"name": "b", "cidr": "10.20.129.0/24", "zone": "us-east-1b"}]})
        data["hubs"][0]["attachments"].append({"name": "aws-new", "network": "aws-new", "subnets": ["a", "b"],
                                               "route_table": "prod", "propagate_to": ["prod"]})

    diff = diff_texts(stack_text("dr-pair"), mutated("dr-pair", overlap))
    assert [d.split(" ")[0] for d in labels(diff)[OVERLAP_OR_HIJACK]] == ["XC201"]
    assert ("networks", "added", "network 'aws-new'") in {(c.section, c.change, c.subject) for c in diff.changes}
    assert actions(diff)["aws-new-vpc"] == "create"


def test_a_more_specific_prefix_advertised_over_the_interconnect_hijacks() -> None:
    hijack = "10.10.128.0/17"  # inside aws-prod 10.10.0.0/16
    diff = diff_texts(stack_text("dr-pair"), mutated("dr-pair", lambda d: d["interconnects"][0]["gcp"].update(
        allowed_prefixes=["10.20.0.0/16", "35.199.192.0/19", hijack])))
    assert "XC302" in {d.split(" ")[0] for d in labels(diff)[OVERLAP_OR_HIJACK]}
    assert f"interconnect 'use1-gcp': Google allow-list widened by {hijack}" in labels(diff)[OUTSIDE_ALLOW_LIST]


def test_an_advertisement_outside_the_allow_list() -> None:
    def advertise(data: dict) -> None:
        data["networks"][1]["cidrs"].append("10.21.0.0/16")
        data["interconnects"][0]["gcp"]["advertised_prefixes"] = ["10.20.0.0/16", "10.21.0.0/16", "35.199.192.0/19"]

    diff = diff_texts(stack_text("dr-pair"), mutated("dr-pair", advertise))
    assert [d.split(" ")[0] for d in labels(diff)[OUTSIDE_ALLOW_LIST]] == ["XC304"]
    assert set(labels(diff)) == {OUTSIDE_ALLOW_LIST}
    assert diff.introduced and diff.introduced[0].rule == "XC304"


def test_a_widened_allow_list_without_a_finding() -> None:
    def widen(data: dict) -> None:
        data["networks"][0]["cidrs"].append("10.11.0.0/16")
        data["interconnects"][0]["aws"]["allowed_prefixes"].append("10.11.0.0/16")

    diff = diff_texts(stack_text("dr-pair"), mutated("dr-pair", widen))
    assert labels(diff) == {OUTSIDE_ALLOW_LIST: ["interconnect 'use1-gcp': AWS allow-list widened by 10.11.0.0/16"]}
    assert diff.introduced == []
    association = next(r for r in diff.resources if r.name == "use1-gcp-tgw-use1-dxgw-assoc")
    assert association.action == "update"  # allowed prefixes change in place
    assert ("prefixes", "added", "network 'aws-prod'", "ranges", "10.11.0.0/16") in {
        (c.section, c.change, c.subject, c.item, c.after) for c in diff.changes}


def test_effective_routes_and_dns_follow_the_change() -> None:
    diff = diff_texts(stack_text("dr-pair"), mutated("dr-pair", _new_google_network))
    routes = {(c.change, c.subject, c.item) for c in diff.changes if c.section == "routes"}
    assert ("added", "route table 'prod' of hub 'tgw-use1'", "10.21.0.0/16") in routes
    assert ("removed", "route table 'prod' of hub 'tgw-use1'", "10.20.0.0/16") in routes
    assert diff.highlight == {"interconnect_use1_gcp": "changed", "network_gcp_dr2": "added"}
    assert {change for change in diff.edge_highlight.values()} == {"added", "removed"}


# ---------------------------------------------------------------- findings and absent sides


def test_findings_are_compared_without_their_lines() -> None:
    broken = mutated("dr-pair", lambda d: _role(d).update(subjects=["system:serviceaccount:orders:*"]))
    diff = diff_texts(broken, "# a comment and a blank line move every finding down\n\n" + broken)
    assert diff.introduced == [] and diff.resolved == []


def test_fixing_a_finding_resolves_it() -> None:
    broken = mutated("dr-pair", lambda d: _role(d).update(max_session_seconds=7200))
    diff = diff_texts(broken, stack_text("dr-pair"))
    assert [f.rule for f in diff.resolved] == ["XC504"] and diff.introduced == []
    assert labels(diff) == {}


def test_a_new_spec_adds_everything_and_a_deleted_one_removes_everything() -> None:
    added = diff_texts(None, stack_text("dr-pair"))
    assert added.base is None and set(actions(added).values()) == {"create"} and len(added.resources) == 67
    assert TRUST_WIDENED in labels(added)  # every role of a new spec is new trust
    removed = diff_texts(stack_text("dr-pair"), None)
    assert removed.head is None and set(actions(removed).values()) == {"delete"}
    assert any("deleted" in d for d in labels(removed)[INTERCONNECT_OR_GATEWAY])
    assert {c.change for c in removed.changes} == {"removed"}


def test_an_unloadable_head_is_unusable_input() -> None:
    diff = diff_texts(stack_text("dr-pair"), "name: broken\nnetworks: [{name: x, cloud: aws, mut: 1}]\n")
    assert diff.unusable and diff.problems and diff.resources is None
