"""Tags that identify what xcloud-iac deployed, so `xcloud verify` can find live resources by spec key.

Every AWS resource a component creates carries `aws_tags(stack, kind, *key)`: the stack name, and a key that
names the object in the spec, e.g. ("route_table", "tgw-use1", "prod") -> "route_table/tgw-use1/prod".
Google resources that take labels carry `gcp_labels(stack, kind, *key)`; firewall rules and routes, which take
none, carry the owner in their name (`gcp_firewall_prefix`, `gcp_route_prefix`).
"""

from __future__ import annotations

import re

STACK_TAG = "xcloud:stack"
KEY_TAG = "xcloud:key"
MANAGED_BY_TAG = "managed-by"
MANAGED_BY = "xcloud-iac"


def spec_key(kind: str, *key: str) -> str:
    return "/".join((kind, *key))


def aws_tags(stack: str, kind: str, *key: str, name: str | None = None) -> dict[str, str]:
    tags = {STACK_TAG: stack, KEY_TAG: spec_key(kind, *key), MANAGED_BY_TAG: MANAGED_BY}
    if name:
        tags["Name"] = name
    return tags


# ---------------------------------------------------------------- Google Cloud
# Google labels carry the same information as the AWS tags. Label keys and values allow only lower-case letters,
# digits, '_' and '-' (at most 63 characters), so the spec key is joined with '_' instead of '/'.
GCP_STACK_LABEL = "xcloud-stack"
GCP_KEY_LABEL = "xcloud-key"


def gcp_label_value(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "_", text.lower())[:63]


def gcp_labels(stack: str, kind: str, *key: str) -> dict[str, str]:
    """Labels of a Google resource that takes labels (Transport, Cloud DNS managed zone)."""
    return {
        GCP_STACK_LABEL: gcp_label_value(stack),
        GCP_KEY_LABEL: gcp_label_value("_".join((kind, *key))),
        MANAGED_BY_TAG: MANAGED_BY,
    }


# Google firewall rules and routes take no labels. Their names carry the owner instead: the components name them
# `<network>-fw-<rule>` and `<network>-route-<route>` (logical names; Pulumi appends a random suffix to the
# physical name, which keeps the prefix). `xcloud verify` takes a firewall rule or route on one of the stack's
# networks as the stack's when its name starts with the prefix below.
def gcp_firewall_prefix(network: str) -> str:
    return f"{network}-fw-"


def gcp_route_prefix(network: str) -> str:
    return f"{network}-route-"


# Resources without labels or naming freedom (Cloud DNS policies, Workload Identity pools and providers) are
# identified by what the spec names: the policy's network, the pool and provider ids.
