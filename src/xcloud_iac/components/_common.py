"""What every component shares: argument errors, resource options, tags and labels, IAM policy JSON, name keys.

Resource options are built in exactly one place (`child_opts`), so protection, secret outputs and dependencies look
the same in every component, and a test can check them by looking at what the engine receives.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pulumi

from .. import tags as _tags

# IAM policy language version (the only current one).
IAM_POLICY_VERSION = "2012-10-17"
DNS_PORT = 53


@dataclass(frozen=True)
class DnsTarget:
    """A name server DNS queries are forwarded to. `ip` may be a `pulumi.Input` (a platform stack's Resolver
    inbound address through a StackReference): it is checked once known."""

    ip: pulumi.Input[str]
    port: int = DNS_PORT


@dataclass(frozen=True)
class TargetAddresses:
    """The `ip` of each DnsTarget of a component, in order: what `checked_args` resolves when some are Inputs."""

    ips: Sequence[pulumi.Input[str]]


@dataclass(frozen=True)
class AllocatedDnsTargets:
    """Name servers whose addresses the provider allocates (the inbound forwarders of a Cloud DNS server policy):
    known once the resolver exists (`addresses`, e.g. read back with an invoke), drawn from `ranges`."""

    addresses: pulumi.Input[Sequence[str]]
    ranges: Sequence[str]
    """CIDRs the addresses are allocated from (what a security group must let queries go to)."""
    port: int = DNS_PORT


class ComponentArgsError(ValueError):
    """The arguments of a component are inconsistent. Raised before the component creates any child."""

    def __init__(self, component: str, problems: Sequence[str]) -> None:
        self.component = component
        self.problems = list(problems)
        super().__init__(f"{component}: " + "; ".join(self.problems))


class DeferredArgsError(ComponentArgsError, pulumi.RunError):
    """Arguments that arrived as Outputs (from a StackReference, another resource) and, once known, are
    inconsistent. A RunError, so `pulumi up` fails with the message alone, not a traceback of the program."""


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


ArgsT = TypeVar("ArgsT")


def is_known(value: object) -> bool:
    """Whether a component input is a plain value all through (no Output or awaitable inside a list or dict)."""
    if isinstance(value, pulumi.Output) or inspect.isawaitable(value):
        return False
    if isinstance(value, Mapping):
        return all(is_known(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(is_known(v) for v in value)
    return True


def checked_args(args: ArgsT, fields: Sequence[str], validate: Callable[[ArgsT], object]) -> pulumi.Output[ArgsT]:
    """`args` with `fields` resolved, after `validate` accepted them.

    When every field is a plain value, `validate` runs now: a problem raises before the component registers
    anything. A field given as a `pulumi.Input` (a StackReference output, another resource's attribute) is checked
    when its value is known, with the same message: logged as an error and raised (DeferredArgsError), which
    fails the deployment and stops every resource that takes a checked value. During a
    preview an unknown value is not checked (Pulumi does not run the check until the value exists)."""
    values = {name: getattr(args, name) for name in fields}
    if is_known(values):
        validate(args)
        return pulumi.Output.from_input(args)

    def lists(value: Any) -> Any:  # Output.from_input looks into lists and dicts, not tuples
        if isinstance(value, (list, tuple)):
            return [lists(v) for v in value]
        return {k: lists(v) for k, v in value.items()} if isinstance(value, Mapping) else value

    def resolve(plain: dict[str, Any]) -> ArgsT:
        resolved = dataclasses.replace(args, **plain)  # type: ignore[type-var]
        try:
            validate(resolved)
        except ComponentArgsError as exc:
            error = DeferredArgsError(exc.component, exc.problems)
            # logged as an error of the deployment, so `pulumi up` shows the message on its own and fails
            # even where the SDK reports the exception wrapped in the input that could not be resolved
            pulumi.log.error(str(error))
            raise error from None
        return resolved

    return pulumi.Output.from_input(lists(values)).apply(resolve)


def child_opts(
    parent: pulumi.Resource,
    *,
    protect: bool | None = None,
    secret_outputs: Sequence[str] = (),
    depends_on: Sequence[pulumi.Resource] = (),
) -> pulumi.ResourceOptions:
    """The options of every child resource: parented to its component, and with `secret_outputs` (camelCase, as
    the engine names them) kept secret in state where the provider does not.

    Everything else is inherited from the component as Pulumi users expect: `protect` (unless given here),
    `providers` and the aliases of a renamed component. Only critical resources (interconnect, gateways, hubs) pass
    `protect`: the spec's value (protected by default) then overrides the component's option."""
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
