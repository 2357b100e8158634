"""What every component shares: argument errors, resource options, tags and labels, IAM policy JSON, name keys.

Resource options are built in exactly one place (`child_opts`), so protection, secret outputs and dependencies look
the same in every component, and a test can check them by looking at what the engine receives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

from .. import tags as _tags

# IAM policy language version (the only current one).
IAM_POLICY_VERSION = "2012-10-17"
DNS_PORT = 53


@dataclass(frozen=True)
class DnsTarget:
    """A name server DNS queries are forwarded to."""

    ip: str
    port: int = DNS_PORT


class ComponentArgsError(ValueError):
    """The arguments of a component are inconsistent. Raised before the component creates any child."""

    def __init__(self, component: str, problems: Sequence[str]) -> None:
        self.component = component
        self.problems = list(problems)
        super().__init__(f"{component}: " + "; ".join(self.problems))


class Problems:
    """Collects argument problems so a component reports all of them at once, then raises before any child."""

    def __init__(self, component: str) -> None:
        self.component = component
        self.items: list[str] = []

    def require(self, condition: object, message: str) -> None:
        if not condition:
            self.items.append(message)

    def add(self, message: str) -> None:
        self.items.append(message)

    def raise_if_any(self) -> None:
        if self.items:
            raise ComponentArgsError(self.component, self.items)


def child_opts(
    parent: pulumi.Resource,
    *,
    protect: bool = False,
    secret_outputs: Sequence[str] = (),
    depends_on: Sequence[pulumi.Resource] = (),
) -> pulumi.ResourceOptions:
    """The options of every child resource: parented to its component, optionally protected from deletion, and
    with `secret_outputs` (camelCase, as the engine names them) kept secret in state where the provider does not."""
    return pulumi.ResourceOptions(
        parent=parent,
        protect=protect,
        additional_secret_outputs=list(secret_outputs) or None,
        depends_on=list(depends_on) or None,
    )


def aws_native_tags(stack: str, kind: str, *key: str, name: str | None = None) -> list[dict[str, str]]:
    """The same tags in the key/value list shape aws-native (CloudFormation) resources take."""
    return [{"key": k, "value": v} for k, v in sorted(_tags.aws_tags(stack, kind, *key, name=name).items())]


def gcp_labels(stack: str, kind: str, *key: str) -> dict[str, str]:
    """Google labels carrying the same information as the AWS tags (see tags.py, which `xcloud verify` reads)."""
    return _tags.gcp_labels(stack, kind, *key)


def stack_name(explicit: str | None) -> str:
    """The stack name used in tags: the spec's, or the Pulumi stack's when a component is used on its own."""
    return explicit or pulumi.get_stack()


def name_key(text: object) -> str:
    """A spec value (CIDR, address, domain) as a fragment of a logical name: '10.0.0.0/16' -> '10-0-0-0-16'."""
    return re.sub(r"[^A-Za-z0-9]+", "-", str(text)).strip("-").lower()


def policy_document(statements: Iterable[Mapping[str, Any]]) -> str:
    """An IAM policy document as JSON, built in Python (never aws.iam.get_policy_document: that is computed by
    the provider plugin and returns nothing under mocks). Keys are sorted so the text is stable across runs."""
    return json.dumps({"Version": IAM_POLICY_VERSION, "Statement": list(statements)}, sort_keys=True)


def to_strings(values: Iterable[object]) -> list[str]:
    """CIDRs, addresses and other spec values as strings, in their given order."""
    return [str(v) for v in values]
