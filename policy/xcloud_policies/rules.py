"""The policies of the xcloud-iac policy pack, as pure functions.

The trust verdict is the library's own (xcloud_iac.audit, the auditor `xcloud audit-trust` and the components call):
one answer per question, whichever front end asks it. The auditor needs pydantic, networkx, PyYAML and cel-python
(policy/requirements.txt), not Pulumi's provider SDKs, so it fits the pack's own virtualenv; run from this
repository, the pack imports the library from ../src when it is not installed.

Each policy looks at one resource as the Pulumi engine hands it to a policy pack - type token, inputs (camelCase),
`protect`, `additional_secret_outputs` - and returns its violations as messages. `pack.py` wraps them in
pulumi_policy; tests call them directly with what Pulumi's mocks record. They judge any resource of the types they
name, whether xcloud-iac created it or not.

| policy                       | resources                                  | library rule |
|------------------------------|--------------------------------------------|--------------|
| xcloud-oidc-trust-pinned     | aws:iam/role:Role                          | XC501, XC502 |
| xcloud-resolver-rule-targets | aws:route53/resolverRule:ResolverRule      | -            |
| xcloud-dx-allowed-prefixes   | aws:directconnect/gatewayAssociation       | XC304        |
| xcloud-deletion-protection   | interconnects, DX gateways, hubs           | XC605        |
| xcloud-secret-keys           | activation keys, BGP keys                  | -            |

Every policy takes a `waivers` config (logical resource name -> reason): the pack's counterpart of a spec's
`ignore: [{rule, reason}]`, so an object the spec waives (e.g. `protect: false` with an XC605 waiver) can pass
the pack too, by name and with a reason, without turning the policy off for the whole stack.
"""

from __future__ import annotations

import ipaddress
import json
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    from xcloud_iac.audit import AuditInputError, PolicyShapeError, audit_trust_policy
except ImportError:  # the pack run from a checkout: the library's source is beside it
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    from xcloud_iac.audit import AuditInputError, PolicyShapeError, audit_trust_policy

MANDATORY = "mandatory"  # every policy's default; `--policy-pack-config` can lower it to advisory or disabled
WAIVERS = "waivers"
ALLOWED_PREFIXES = "allowedPrefixes"


@dataclass(frozen=True)
class Resource:
    """One resource as a policy sees it."""

    type: str
    props: Mapping[str, Any]
    """Inputs, camelCase, as the engine sends them."""
    name: str = ""
    """Logical name (what `waivers` refer to)."""
    protect: bool = False
    secret_outputs: Collection[str] = ()
    """`additional_secret_outputs` of the resource."""
    secret_inputs: Collection[str] | None = None
    """Inputs given as secrets, when the caller can tell (Pulumi's mocks can). None: unknown - pulumi_policy strips
    the secret markers before a policy sees the inputs, so inside `pulumi preview` only the option is visible."""


Check = Callable[[Resource, Mapping[str, Any]], list[str]]


@dataclass(frozen=True)
class Policy:
    name: str
    description: str
    resource_types: frozenset[str]
    check: Check
    remediation: str
    enforcement: str = MANDATORY
    config_schema: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """JSON Schema of the policy's own config properties (besides `waivers` and `enforcementLevel`)."""

    def validate(self, resource: Resource, config: Mapping[str, Any] | None = None) -> list[str]:
        """The violations of `resource`: none for another type or for a resource waived by name."""
        config = config or {}
        if resource.type not in self.resource_types:
            return []
        reason = (config.get(WAIVERS) or {}).get(resource.name)
        if isinstance(reason, str) and reason.strip():
            return []
        return self.check(resource, config)

    @property
    def schema(self) -> dict[str, dict[str, Any]]:
        """Every config property of the policy, as the pack declares them."""
        return {**self.config_schema, WAIVERS: WAIVERS_SCHEMA}


WAIVERS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Logical resource name -> reason: resources exempted from this policy.",
    "additionalProperties": {"type": "string", "minLength": 1},
}


# ---------------------------------------------------------------- reading inputs


def _plain(value: Any) -> Any:
    """Inputs as plain dicts and lists (pulumi_policy hands out read-only proxies of both)."""
    if isinstance(value, Mapping):
        return {k: _plain(value[k]) for k in value}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [_plain(v) for v in value]
    return value


def _as_list(value: Any) -> list[Any]:
    """An IAM element that may be one value or a list of them."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


# ---------------------------------------------------------------- open OIDC trust

ROLE = "aws:iam/role:Role"
# The auditor's rules that say who can assume a role (XC501 unpinned claims, XC502 over-broad or open principals,
# XC503 issuer); the pack enforces their errors. Warnings (e.g. every branch of one repository) are advisory.
TRUST_RULES = frozenset({"XC501", "XC502", "XC503"})


def open_oidc_trust(resource: Resource, config: Mapping[str, Any]) -> list[str]:
    """A role's trust policy lets callers in unpinned, as the library's trust auditor judges it (xcloud_iac.audit):
    an OIDC statement without exact conditions on the audience and subject, a subject pattern or forgeable subject
    that reaches any repository or namespace, or `Principal: "*"` without a condition on the caller."""
    raw = resource.props.get("assumeRolePolicy")
    if raw is None:
        return []
    try:
        document = json.loads(raw) if isinstance(raw, str) else _plain(raw)
        findings = audit_trust_policy(document, role=resource.name or None)
    except (ValueError, PolicyShapeError, AuditInputError) as exc:
        why = exc.message if isinstance(exc, PolicyShapeError) else "not a JSON policy document"
        return [f"assumeRolePolicy cannot be read ({why}), so it cannot be shown to pin its callers"]
    return [
        f"{f.rule} {f.path}: {f.message}" for f in findings
        if f.rule in TRUST_RULES and f.severity.value == "error"
    ]


# ---------------------------------------------------------------- resolver rules without targets

RESOLVER_RULE = "aws:route53/resolverRule:ResolverRule"


def resolver_rule_without_targets(resource: Resource, config: Mapping[str, Any]) -> list[str]:
    """A FORWARD rule with no target address: queries for its domain are forwarded nowhere."""
    props = resource.props
    if str(props.get("ruleType") or "").upper() != "FORWARD":
        return []
    targets = _as_list(_plain(props.get("targetIps")))
    if any(isinstance(t, dict) and (t.get("ip") or t.get("ipv6")) for t in targets):
        return []
    return [f"FORWARD rule for '{props.get('domainName', '?')}' has no targetIps: its queries are forwarded nowhere"]


# ---------------------------------------------------------------- Direct Connect allowed prefixes

DX_ASSOCIATION = "aws:directconnect/gatewayAssociation:GatewayAssociation"


def _networks(values: list[Any], what: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [ipaddress.ip_network(str(v), strict=False) for v in values]
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from exc


def dx_allowed_prefixes(resource: Resource, config: Mapping[str, Any]) -> list[str]:
    """A Direct Connect gateway association advertises exactly its allowed prefixes to the far side. They must be
    an explicit list, contain no default route, and (with `allowedPrefixes` configured) lie inside the allow-list."""
    prefixes = _as_list(_plain(resource.props.get("allowedPrefixes")))
    if not prefixes:
        return ["allowedPrefixes is empty: what the gateway advertises is not an explicit, reviewed list"]
    allow_list = _networks(_as_list(_plain(config.get(ALLOWED_PREFIXES))), f"policy config {ALLOWED_PREFIXES}")
    problems = []
    for text in prefixes:
        try:
            prefix = ipaddress.ip_network(str(text), strict=False)
        except ValueError:
            problems.append(f"allowed prefix {text!r} is not a CIDR")
            continue
        if prefix.prefixlen == 0:
            problems.append(f"allowed prefix {text} is a default route: it advertises every address")
        elif allow_list and not any(prefix.version == a.version and prefix.subnet_of(a) for a in allow_list):
            problems.append(f"allowed prefix {text} is outside the allow-list ({', '.join(map(str, allow_list))})")
    return problems


# ---------------------------------------------------------------- deletion protection

# What losing each of these disconnects (every network behind it), by type token.
PROTECTED = {
    "aws-native:interconnect:Connection": "AWS Interconnect - multicloud connection",
    "gcp:networkconnectivity/transport:Transport": "Google Cross-Cloud Interconnect transport",
    "aws:directconnect/gateway:Gateway": "Direct Connect gateway",
    "aws:ec2transitgateway/transitGateway:TransitGateway": "Transit Gateway",
    "aws:networkmanager/coreNetwork:CoreNetwork": "Cloud WAN core network",
    "aws:networkmanager/globalNetwork:GlobalNetwork": "Cloud WAN global network",
}


def unprotected(resource: Resource, config: Mapping[str, Any]) -> list[str]:
    """An interconnect, gateway or hub without `protect`: dropping or renaming it in a program deletes it."""
    if resource.protect:
        return []
    return [f"{PROTECTED[resource.type]} is not protected from deletion: set the resource option protect=True"]


# ---------------------------------------------------------------- keys as secrets

# Key fields by type token, each with whether the cloud may generate the key (it is then in the state even when
# the program gives none). The providers mark none of them secret, so a key given in plain text, or generated,
# would sit in the state (and `pulumi stack output`) in plain text.
SECRET_KEYS: dict[str, dict[str, bool]] = {
    "aws-native:interconnect:Connection": {"activationKey": True},  # AWS generates it when it creates the connection
    "gcp:networkconnectivity/transport:Transport": {"generatedActivationKey": True, "providedActivationKey": False},
    "aws:directconnect/bgpPeer:BgpPeer": {"bgpAuthKey": True},  # AWS generates a BGP key when none is given
    "aws:directconnect/transitVirtualInterface:TransitVirtualInterface": {"bgpAuthKey": True},
    "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface": {"bgpAuthKey": True},
    "aws:directconnect/publicVirtualInterface:PublicVirtualInterface": {"bgpAuthKey": True},
    "aws:directconnect/hostedTransitVirtualInterface:HostedTransitVirtualInterface": {"bgpAuthKey": True},
    "aws:directconnect/hostedPrivateVirtualInterface:HostedPrivateVirtualInterface": {"bgpAuthKey": True},
    "aws:directconnect/hostedPublicVirtualInterface:HostedPublicVirtualInterface": {"bgpAuthKey": True},
}


def plain_keys(resource: Resource, config: Mapping[str, Any]) -> list[str]:
    """Every activation or BGP key in the state must be listed in `additional_secret_outputs` (the provider's
    output, given or generated, is then a secret), and a key given as an input must be a secret (checked where the
    caller can see secret inputs: pulumi_policy does not show them to policies)."""
    problems = []
    # Input names only, never values: a key wired from another resource is unknown during preview, and reading
    # it would stop the policy there (the engine leaves out inputs that are not set).
    given_inputs = set(resource.props)
    for key, generated in SECRET_KEYS[resource.type].items():
        given = key in given_inputs
        if given and resource.secret_inputs is not None and key not in resource.secret_inputs:
            problems.append(f"{key} is given as a plain input: wrap it in pulumi.Output.secret()")
        if (given or generated) and key not in resource.secret_outputs:
            problems.append(f"{key} is not in additional_secret_outputs: the provider stores it in plain text")
    return problems


# ---------------------------------------------------------------- the pack

POLICIES: tuple[Policy, ...] = (
    Policy(
        name="xcloud-oidc-trust-pinned",
        description="An IAM role trusting OIDC tokens pins the exact audience and subjects (XC501, XC502); no role "
                    "trusts every AWS principal.",
        resource_types=frozenset({ROLE}),
        check=open_oidc_trust,
        remediation="Condition every sts:AssumeRoleWithWebIdentity statement with StringEquals on <issuer>:aud and "
                    "<issuer>:sub listing exact values (e.g. repo:org/repo:ref:refs/heads/main).",
    ),
    Policy(
        name="xcloud-resolver-rule-targets",
        description="A Route 53 Resolver FORWARD rule has at least one target address.",
        resource_types=frozenset({RESOLVER_RULE}),
        check=resolver_rule_without_targets,
        remediation="Set targetIps to the resolvers the domain is forwarded to, or delete the rule.",
    ),
    Policy(
        name="xcloud-dx-allowed-prefixes",
        description="A Direct Connect gateway association advertises an explicit list of prefixes, without a default "
                    "route, inside the configured allow-list (XC304).",
        resource_types=frozenset({DX_ASSOCIATION}),
        check=dx_allowed_prefixes,
        remediation="List the exact prefixes AWS may advertise over the gateway in allowedPrefixes.",
        config_schema={
            ALLOWED_PREFIXES: {
                "type": "array",
                "items": {"type": "string"},
                "description": "CIDRs every allowed prefix must lie inside (unset: only empty lists and default "
                               "routes are refused).",
            },
        },
    ),
    Policy(
        name="xcloud-deletion-protection",
        description="Interconnects, Direct Connect gateways, Transit Gateways and Cloud WAN networks are protected "
                    "from deletion (XC605).",
        resource_types=frozenset(PROTECTED),
        check=unprotected,
        remediation="Create the resource with ResourceOptions(protect=True); retire it in a reviewed change.",
    ),
    Policy(
        name="xcloud-secret-keys",
        description="Interconnect activation keys and BGP keys are Pulumi secrets.",
        resource_types=frozenset(SECRET_KEYS),
        check=plain_keys,
        remediation="Pass the key as pulumi.Output.secret(...) and list the key field in additional_secret_outputs.",
    ),
)


def violations(resource: Resource, config: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, list[str]]:
    """Every policy's violations of one resource, by policy name (policies it passes are left out). `config` is
    the pack's config: policy name -> that policy's properties."""
    config = config or {}
    found = {p.name: p.validate(resource, config.get(p.name)) for p in POLICIES}
    return {name: messages for name, messages in found.items() if messages}
