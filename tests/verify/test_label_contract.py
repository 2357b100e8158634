"""The contract between the components and `xcloud verify` on the Google side: what the offline plan of every example
stack registers is exactly what the Google reader looks for (labels, descriptions, ids, name prefixes).

A Google resource type the components start to create must be placed here: read by verify (with the convention it
is found by) or deliberately not read (with why). The AWS side's contract is tests/test_deploy.py's tags test.
"""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import STACKS

from xcloud_iac import load
from xcloud_iac.spec import models as m
from xcloud_iac.tags import gcp_firewall_prefix, gcp_labels, gcp_route_prefix
from xcloud_iac.verify.gcp_read import network_description, owned, policy_description

READ = {  # type -> how verify finds it
    "gcp:networkconnectivity/transport:Transport": "labels",
    "gcp:dns/managedZone:ManagedZone": "labels",
    "gcp:compute/network:Network": "description, or existing_id",
    "gcp:dns/policy:Policy": "description",
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": "pool id",
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": "provider id",
    "gcp:compute/firewall:Firewall": "name prefix",
    "gcp:compute/route:Route": "name prefix",
    "gcp:compute/networkPeering:NetworkPeering": "the Transport's peering network",
}
NOT_READ = {
    "gcp:compute/subnetwork:Subnetwork": "subnets are checked through the routes they give (peering routes)",
    "gcp:serviceaccount/iAMMember:IAMMember": "service account bindings are not drift verify judges yet",
}


@pytest.mark.parametrize("path", STACKS, ids=lambda p: p.stem)
def test_every_google_resource_is_found_the_way_verify_looks_for_it(path, plans) -> None:
    stack = load(path)
    google = [r for r in plans[path.stem].resources if r.type.startswith("gcp:")]
    unplaced = {r.type for r in google} - READ.keys() - NOT_READ.keys()
    assert not unplaced, f"decide how xcloud verify finds (or why it ignores) {sorted(unplaced)}"
    found: Counter[tuple[str, str]] = Counter()
    for r in google:
        if "labels" in r.inputs:  # every label set is the stack's, for a spec object
            assert r.inputs["labels"]["xcloud-stack"] == stack.name and r.inputs["labels"]["managed-by"] == "xcloud-iac"
        i = r.inputs
        if r.type == "gcp:networkconnectivity/transport:Transport":
            found.update(("interconnect", ic.name) for ic in stack.interconnects
                         if owned(i["labels"], stack.name, "interconnect", ic.name))
        elif r.type == "gcp:dns/managedZone:ManagedZone":
            found.update(("zone", z.name) for z in stack.dns.forwarding_zones
                         if owned(i["labels"], stack.name, "forwarding_zone", z.name))
        elif r.type == "gcp:compute/network:Network" and not r.read:
            found.update(("network", n.name) for n in stack.networks
                         if i.get("description") == network_description(stack.name, n.name))
        elif r.type == "gcp:dns/policy:Policy":
            found.update(("policy", p.name) for p in stack.dns.inbound_policies
                         if i.get("description") == policy_description(stack.name, p.name))
        elif r.type == "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider":
            found.update(("wif", w.name) for w in stack.trust.workload_identity
                         if (i["project"], i["workloadIdentityPoolId"], i["workloadIdentityPoolProviderId"])
                         == (w.project, w.pool_id, w.provider_id))
        elif r.type in ("gcp:compute/firewall:Firewall", "gcp:compute/route:Route"):
            prefix = gcp_firewall_prefix if r.type.endswith("Firewall") else gcp_route_prefix
            assert any(r.name.startswith(prefix(n.name)) for n in stack.networks if n.cloud is m.Cloud.gcp), r.name
    expected = Counter(
        [("interconnect", ic.name) for ic in stack.interconnects]
        + [("zone", z.name) for z in stack.dns.forwarding_zones]
        + [("network", n.name) for n in stack.networks if n.cloud is m.Cloud.gcp and not n.existing_id]
        + [("policy", p.name) for p in stack.dns.inbound_policies]
        + [("wif", w.name) for w in stack.trust.workload_identity]
    )
    assert found == expected  # each spec object found once, none twice


def test_the_conventions_themselves() -> None:
    assert gcp_labels("dr-pair", "interconnect", "use1-gcp") == {
        "xcloud-stack": "dr-pair", "xcloud-key": "interconnect_use1-gcp", "managed-by": "xcloud-iac"}
    assert gcp_labels("Prod.Stack", "forwarding_zone", "a" * 80)["xcloud-key"] == ("forwarding_zone_" + "a" * 80)[:63]
    assert gcp_labels("Prod.Stack", "x")["xcloud-stack"] == "prod_stack"  # what Google allows in a label value
    assert gcp_firewall_prefix("gcp-dr") == "gcp-dr-fw-" and gcp_route_prefix("gcp-dr") == "gcp-dr-route-"
    assert network_description("dr-pair", "gcp-dr") == "xcloud dr-pair: network gcp-dr"
    assert policy_description("dr-pair", "gcp-dr-inbound") == "xcloud dr-pair: inbound forwarding gcp-dr-inbound"
