"""Tags that identify what xcloud-iac deployed, so `xcloud verify` can find live resources by spec key.

Every AWS resource a component creates carries `aws_tags(stack, kind, *key)`: the stack name, and a key that
names the object in the spec, e.g. ("route_table", "tgw-use1", "prod") -> "route_table/tgw-use1/prod".
"""

from __future__ import annotations

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
