"""The components for TypeScript, Go, C#, Java and YAML programs: a Pulumi component provider.

`provider/PulumiPlugin.yaml` (runtime python) runs `provider/__main__.py`, which hosts the classes below with
`component_provider_host`; `pulumi package add <path to provider/>` then generates an SDK for the consumer's
language, and a YAML program uses the types directly (`xcloud:index:OidcTrustRole`). Pulumi infers the package
schema from the annotations here: each class's `__init__(self, name, args: <TypedDict>, opts)` gives the inputs,
its `pulumi.Output` attributes the outputs. That is why this module keeps real (not postponed) annotations and
plain TypedDicts: the analyzer reads them at runtime.

Each class is a thin component that builds the Python component of the same name as its only child, so a program
in another language registers exactly the resources a Python program does (a test compares them):

- `Stack`: a whole stack file, checked and deployed as `deploy()` does, exporting the output contract
  (docs/outputs.md) as its outputs. This is how the networks, hubs, interconnects, links, DNS and monitoring
  components are used from other languages: they take spec objects, which the file describes.
- `OidcTrustRole`, `OidcIssuer`, `GcpWorkloadIdentityForAws`: the components team stacks use on their own.
"""

from typing import Any, NotRequired, TypedDict

import pulumi

from . import components as c
from .program import OUTPUT_CONTRACT, deploy
from .spec import load_text

PACKAGE = "xcloud"


class StackArgs(TypedDict):
    spec: str
    """The stack file's text (YAML), as `xcloud validate` reads it."""
    file: NotRequired[str]
    """The name findings and errors point at (default: stack.yaml)."""


class Stack(pulumi.ComponentResource):
    """A whole xcloud stack: checked (an error finding registers nothing) and deployed, with the platform output
    contract (docs/outputs.md) as outputs."""

    dx_gateway_ids: pulumi.Output[dict[str, str]]
    hub_ids: pulumi.Output[dict[str, str]]
    network_ids: pulumi.Output[dict[str, str]]
    oidc_issuer_urls: pulumi.Output[dict[str, str]]
    oidc_provider_arns: pulumi.Output[dict[str, str]]
    operator_role_arn: pulumi.Output[str]
    resolver_endpoint_ids: pulumi.Output[dict[str, str]]
    resolver_inbound_addresses: pulumi.Output[dict[str, list[str]]]
    resolver_rule_ids: pulumi.Output[dict[str, str]]
    role_arns: pulumi.Output[dict[str, str]]
    route_table_ids: pulumi.Output[dict[str, dict[str, str]]]
    subnet_ids: pulumi.Output[dict[str, dict[str, str]]]
    workload_identity_providers: pulumi.Output[dict[str, str]]

    def __init__(self, name: str, args: StackArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        stack = load_text(args["spec"], args.get("file") or "stack.yaml")  # SpecError: located, nothing registered
        super().__init__(f"{PACKAGE}:index:Stack", name, {}, opts)
        outputs = deploy(stack, export=False, parent=self).outputs
        for output in OUTPUT_CONTRACT:
            setattr(self, _snake(output.name), pulumi.Output.from_input(outputs[output.name]))
        self.register_outputs({o.name: outputs[o.name] for o in OUTPUT_CONTRACT})


class PermissionArgs(TypedDict):
    actions: list[str]
    resources: list[pulumi.Input[str]]
    conditions: NotRequired[dict[str, Any]]
    """IAM condition block: operator -> {key: value or values}."""


class OidcTrustRoleArgs(TypedDict):
    issuer_url: pulumi.Input[str]
    audience: pulumi.Input[str]
    subjects: pulumi.Input[list[pulumi.Input[str]]]
    """Exact 'sub' claims allowed."""
    permissions: NotRequired[list[PermissionArgs]]
    max_session_seconds: NotRequired[int]
    provider_arn: NotRequired[pulumi.Input[str]]
    """An existing IAM OIDC provider for the issuer (the platform stack's oidcProviderArns); unset creates one."""
    client_ids: NotRequired[pulumi.Input[list[pulumi.Input[str]]]]
    thumbprints: NotRequired[pulumi.Input[list[pulumi.Input[str]]]]
    waivers: NotRequired[dict[str, str]]
    """Rule id -> reason (XC502, XC504, XC505, XC507)."""
    description: NotRequired[str]
    stack: NotRequired[str]


class OidcTrustRole(pulumi.ComponentResource):
    """An AWS role assumed with OIDC tokens of one issuer, for an exact audience and exact subjects."""

    role_arn: pulumi.Output[str]
    role_name: pulumi.Output[str]
    provider_arn: pulumi.Output[str]
    trust_policy: pulumi.Output[str]

    def __init__(self, name: str, args: OidcTrustRoleArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(f"{PACKAGE}:index:OidcTrustRole", name, {}, opts)
        role = c.OidcTrustRole(name, c.OidcTrustRoleArgs(**args), pulumi.ResourceOptions(parent=self))
        self.role_arn, self.role_name = role.role_arn, role.role_name
        self.provider_arn, self.trust_policy = role.provider_arn, role.trust_policy
        self.register_outputs({"roleArn": self.role_arn, "roleName": self.role_name,
                               "providerArn": self.provider_arn, "trustPolicy": self.trust_policy})


class OidcIssuerArgs(TypedDict):
    url: pulumi.Input[str]
    client_ids: pulumi.Input[list[pulumi.Input[str]]]
    """Audiences the IAM OIDC provider accepts (e.g. sts.amazonaws.com)."""
    thumbprints: NotRequired[pulumi.Input[list[pulumi.Input[str]]]]
    stack: NotRequired[str]


class OidcIssuer(pulumi.ComponentResource):
    """The IAM OIDC provider of one issuer, shared by every role that trusts it."""

    provider_arn: pulumi.Output[str]
    url: pulumi.Output[str]

    def __init__(self, name: str, args: OidcIssuerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(f"{PACKAGE}:index:OidcIssuer", name, {}, opts)
        issuer = c.OidcIssuer(name, c.OidcIssuerArgs(**args), pulumi.ResourceOptions(parent=self))
        self.provider_arn, self.url = issuer.provider_arn, issuer.url
        self.register_outputs({"providerArn": self.provider_arn, "url": self.url})


class GcpWorkloadIdentityForAwsArgs(TypedDict):
    project: pulumi.Input[str]
    pool_id: str
    provider_id: str
    aws_account_id: pulumi.Input[str]
    attribute_condition: pulumi.Input[str]
    """CEL condition on the AWS identity (required unless XC506 is waived)."""
    aws_roles: NotRequired[list[str]]
    service_account: NotRequired[pulumi.Input[str]]
    waivers: NotRequired[dict[str, str]]
    stack: NotRequired[str]


class GcpWorkloadIdentityForAws(pulumi.ComponentResource):
    """A Workload Identity pool and AWS provider, and the roles that may impersonate a service account."""

    pool_name: pulumi.Output[str]
    provider_name: pulumi.Output[str]
    principal_sets: pulumi.Output[dict[str, str]]

    def __init__(
        self, name: str, args: GcpWorkloadIdentityForAwsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(f"{PACKAGE}:index:GcpWorkloadIdentityForAws", name, {}, opts)
        wif = c.GcpWorkloadIdentityForAws(name, c.GcpWorkloadIdentityForAwsArgs(**args),
                                          pulumi.ResourceOptions(parent=self))
        self.pool_name, self.provider_name = wif.pool_name, wif.provider_name
        sets = wif.principal_sets
        self.principal_sets = pulumi.Output.all(**sets) if sets else pulumi.Output.from_input({})
        self.register_outputs({"poolName": self.pool_name, "providerName": self.provider_name,
                               "principalSets": self.principal_sets})


COMPONENTS: list[type[pulumi.ComponentResource]] = [
    Stack, OidcTrustRole, OidcIssuer, GcpWorkloadIdentityForAws,
]


def provider(version: str | None = None) -> Any:
    """The component provider (what `provider/__main__.py` hosts): its schema and `construct`."""
    from importlib.metadata import version as installed

    from pulumi.provider.experimental.component import ComponentProvider

    return ComponentProvider(COMPONENTS, PACKAGE, None, version or installed("xcloud-iac"))


def _snake(camel: str) -> str:
    return "".join(f"_{ch.lower()}" if ch.isupper() else ch for ch in camel)
