"""IAM role trust policies (and permission policies) read the way IAM evaluates them, and judged XC501..XC505.

How a trust policy is read:
- Allow statements are alternatives: a token gets in if ANY Allow statement matches it. So every statement is judged
  on its own, and one statement without conditions opens the role however tight the others are.
- Within a statement, condition operators and keys are all required (AND); the values of one key are
  alternatives (OR). A claim is pinned when at least one condition on it accepts exact values only.
- Only `StringLike`, `ArnLike` and `ArnEquals` give '*' and '?' a meaning; under `StringEquals` they are literal
  (the role is then unusable, not open).
- `ForAnyValue:` / `ForAllValues:` and `...IfExists` are understood. A condition that is true when the claim is
  absent (`IfExists`, `ForAllValues:`) pins only claims every token carries ('sub' and 'aud').
- A Deny statement with a single negated condition (`StringNotEquals` / `StringNotLike`) on a claim is an upper
  bound for every Allow statement of the same issuer; an unconditional Deny removes them.
- `Principal: "*"` or `{"AWS": "*"}` with an assume action is open trust (XC502) unless a condition names the
  caller's organisation, account or ARN (aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, ...).
"""

from __future__ import annotations

import json
import math
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from ..finding import Finding, Related, Severity, severity_of
from ..spec.catalog import MAX_SESSION_SECONDS
from ..spec.errors import Location, format_path
from ..spec.loader import SourceMap
from . import issuers as iss
from .issuers import Issuer

PathT = tuple[str | int, ...]


WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"
ASSUME_ACTIONS = ("sts:AssumeRole", WEB_IDENTITY, "sts:AssumeRoleWithSAML")
_POSITIVE = {"stringequals": False, "stringequalsignorecase": False, "stringlike": True, "arnequals": True, "arnlike": True}
_NEGATIVE = {"stringnotequals": False, "stringnotequalsignorecase": False, "stringnotlike": True}
_ALWAYS_PRESENT = frozenset({"sub", "aud"})  # claims every token STS accepts carries
# Condition keys that pin who the caller of sts:AssumeRole is, for a "*" principal.
_CALLER_KEYS = frozenset({
    "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn",
    "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths",
})


class PolicyShapeError(ValueError):
    """A policy document IAM would refuse, at `path`."""

    def __init__(self, path: PathT, message: str) -> None:
        super().__init__(f"{format_path(path)}: {message}")
        self.path = path
        self.message = message


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Operator:
    text: str  # as written, e.g. "ForAnyValue:StringLike"
    base: str  # lower-case, without set prefix and IfExists, e.g. "stringlike"
    vacuous_when_absent: bool  # IfExists / ForAllValues: true when the key is missing

    @classmethod
    def parse(cls, text: str) -> Operator:
        lower = text.lower()
        prefix, _, base = lower.rpartition(":")
        if_exists = base.endswith("ifexists")
        base = base.removesuffix("ifexists")
        return cls(text, base, if_exists or prefix == "forallvalues")

    @property
    def positive(self) -> bool:
        return self.base in _POSITIVE

    @property
    def negated(self) -> bool:
        return self.base in _NEGATIVE

    @property
    def wildcards(self) -> bool:
        return _POSITIVE.get(self.base, _NEGATIVE.get(self.base, False))


@dataclass(frozen=True)
class Condition:
    """One operator/key entry of a Condition block: the key's accepted values."""

    operator: Operator
    key: str  # as written
    values: tuple[str, ...]
    path: PathT  # to the key, e.g. Statement[0].Condition.StringLike.<key>

    @property
    def broad_values(self) -> tuple[str, ...]:
        return tuple(v for v in self.values if iss.has_wildcard(v)) if self.operator.wildcards else ()

    def pins(self, claim: str) -> bool:
        """Accepts exact values only (and cannot be true for a token without the claim, unless all have it)."""
        if self.operator.vacuous_when_absent and claim not in _ALWAYS_PRESENT:
            return False
        return bool(self.values) and not self.broad_values


@dataclass(frozen=True)
class Statement:
    path: PathT
    label: str  # the path within the policy document, for messages: "Statement[1]"
    effect: str  # "Allow" | "Deny"
    principals: dict[str, tuple[str, ...]]  # {"*": ("*",)} for Principal "*"
    not_principal: bool
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...]
    not_resource: bool
    conditions: tuple[Condition, ...]
    has_condition_block: bool

    def covers(self, action: str) -> bool:
        hit = any(fnmatchcase(action.lower(), a.lower()) for a in self.actions)
        return hit != self.not_action

    @property
    def assumes(self) -> bool:
        return any(self.covers(a) for a in ASSUME_ACTIONS)

    @property
    def open_principal(self) -> bool:
        return self.not_principal or "*" in self.principals.get("*", ()) or "*" in self.principals.get("AWS", ())

    @property
    def condition_path(self) -> PathT:
        return (*self.path, "Condition") if self.has_condition_block else self.path


def _strings(value: Any, path: PathT, what: str, *, scalars: bool = False) -> tuple[str, ...]:
    """A policy element that is one string or a list of them, as IAM requires (a condition value may also be a
    boolean or a number). Raises PolicyShapeError at the offending value for anything else."""
    if value is None:
        return ()
    items = [(path, value)] if not isinstance(value, list) else [((*path, i), v) for i, v in enumerate(value)]
    out = []
    for where, item in items:
        if isinstance(item, str):
            out.append(item)
        elif scalars and isinstance(item, bool):
            out.append("true" if item else "false")
        elif scalars and isinstance(item, int | float) and math.isfinite(item):
            out.append(json.dumps(item))
        else:
            allowed = "a string, a boolean or a number" if scalars else "a string"
            raise PolicyShapeError(where, f"{what} must be {allowed} (or a list of them), not {_kind(item)}")
    return tuple(out)


def _kind(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return {dict: "an object", list: "a list", type(None): "null", bool: "a boolean", int: "a number",
            float: "a number", str: "a string"}.get(type(value), type(value).__name__) + (
        f" ({json.dumps(value)[:40]})" if isinstance(value, int | float) and not isinstance(value, bool) else "")


def read_statements(document: Mapping[str, Any], base: PathT = ()) -> list[Statement]:
    """The statements of a policy document. Raises PolicyShapeError for a shape IAM would refuse."""
    if not isinstance(document, Mapping):
        raise PolicyShapeError(base, "a policy document is a JSON object with 'Version' and 'Statement'")
    raw = document.get("Statement")
    if isinstance(raw, Mapping):
        items = [((*base, "Statement"), raw)]
    elif isinstance(raw, list):
        items = [((*base, "Statement", i), s) for i, s in enumerate(raw)]
    else:
        raise PolicyShapeError(base, "'Statement' is missing or is neither a statement nor a list of statements")
    out = []
    for path, stmt in items:
        if not isinstance(stmt, Mapping):
            raise PolicyShapeError(path, "a statement is a JSON object with 'Effect', 'Action' and (for trust) 'Principal'")
        effect = stmt.get("Effect")
        if effect not in ("Allow", "Deny"):
            raise PolicyShapeError((*path, "Effect"), f"'Effect' must be 'Allow' or 'Deny', not {effect!r}")
        principal = stmt.get("Principal", stmt.get("NotPrincipal"))
        if principal == "*":
            principals: dict[str, tuple[str, ...]] = {"*": ("*",)}
        elif isinstance(principal, Mapping):
            principals = {
                str(k): _strings(v, (*path, "Principal", k), f"Principal.{k}") for k, v in principal.items()
            }
        elif principal is None:
            principals = {}
        else:
            raise PolicyShapeError((*path, "Principal"), "'Principal' is \"*\" or an object such as {\"Federated\": ...}")
        action_key = "Action" if "Action" in stmt else "NotAction"
        resource_key = "Resource" if "Resource" in stmt else "NotResource"
        block = stmt.get("Condition")
        if block is not None and not isinstance(block, Mapping):
            raise PolicyShapeError((*path, "Condition"), "'Condition' is an object of operator -> {key: values}")
        conditions = []
        for op_text, entries in (block or {}).items():
            if not isinstance(entries, Mapping):
                raise PolicyShapeError((*path, "Condition", op_text), "each condition operator maps keys to values")
            operator = Operator.parse(op_text)
            for key, values in entries.items():
                where = (*path, "Condition", op_text, key)
                conditions.append(Condition(operator, key, _strings(values, where, "a condition value", scalars=True), where))
        out.append(
            Statement(
                path=path,
                label=format_path(path[len(base):]),
                effect=effect,
                principals=principals,
                not_principal="NotPrincipal" in stmt,
                actions=_strings(stmt.get("Action", stmt.get("NotAction")), (*path, action_key), f"'{action_key}'"),
                not_action="NotAction" in stmt,
                resources=_strings(
                    stmt.get("Resource", stmt.get("NotResource")), (*path, resource_key), f"'{resource_key}'"
                ),
                not_resource="NotResource" in stmt,
                conditions=tuple(conditions),
                has_condition_block=bool(block),
            )
        )
    return out


def decode_document(value: Any, path: PathT) -> Any:
    """A policy as IAM APIs return it: an object, a JSON string, or a URL-encoded JSON string (the raw API)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text.startswith("{"):
        text = urllib.parse.unquote(text)
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise PolicyShapeError(path, f"the policy string is not JSON (nor URL-encoded JSON): {exc.msg}") from None
    except _DuplicateKey as exc:
        raise PolicyShapeError(path, f"the policy string has the key '{exc.key}' twice; each key may appear once "
                                     "in an object") from None


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.loads' object hook that refuses a repeated key (json keeps the last one silently)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


# ---------------------------------------------------------------- web identity grants


@dataclass
class WebIdentityGrant:
    """One Allow statement that lets tokens of one OIDC issuer assume the role, with the conditions on its claims
    (including upper bounds from Deny statements)."""

    statement: Statement
    issuer: Issuer
    claims: dict[str, list[Condition]] = field(default_factory=dict)  # claim name -> conditions on it
    foreign_keys: list[Condition] = field(default_factory=list)  # conditions on another issuer's claims
    # conditions no token of the issuer can meet, with why: the statement admits nobody (unusable, not open)
    impossible: list[tuple[Condition, str]] = field(default_factory=list)

    def pinned(self, claim: str) -> bool:
        return any(c.pins(claim) for c in self.claims.get(claim, ()))

    def exact_values(self, claim: str) -> set[str] | None:
        """The values a pinned claim may take (the tightest pinning condition's), or None when not pinned."""
        sets = [set(c.values) for c in self.claims.get(claim, ()) if c.pins(claim)]
        return set.intersection(*sets) if sets else None

    @property
    def subject_pinned(self) -> bool:
        if self.pinned("sub"):
            return True
        kind = self.issuer.kind
        if kind == "github":  # AWS STS evaluates these GitHub claims since 2026
            repo = self.pinned("repository") or self.pinned("repository_id")
            return self.pinned("job_workflow_ref") or (repo and (self.pinned("ref") or self.pinned("environment")))
        if kind == "cognito":  # identity pool (aud) + authenticated users is the documented pattern
            return self.pinned("amr")
        return False

    @property
    def subject_claims(self) -> tuple[str, ...]:
        if self.issuer.kind == "github":
            return ("sub", "job_workflow_ref", "repository", "repository_id", "ref", "environment")
        return ("sub", "amr") if self.issuer.kind == "cognito" else ("sub",)


def web_identity_grants(document: Mapping[str, Any], base: PathT = ()) -> list[WebIdentityGrant]:
    """Every way an OIDC token can assume the role: one grant per (Allow statement, issuer). Linear in the number of
    statements: what the Deny statements do to an issuer is worked out once per issuer, not once per grant."""
    statements = read_statements(document, base)
    grants: list[WebIdentityGrant] = []
    for stmt in statements:
        if stmt.effect != "Allow" or stmt.not_principal or not stmt.covers(WEB_IDENTITY):
            continue
        for value in stmt.principals.get("Federated", ()):
            issuer = iss.parse_federated(value)
            if issuer is None:
                continue  # SAML
            grant = WebIdentityGrant(stmt, issuer)
            for cond in stmt.conditions:
                _file_condition(grant, cond)
            grants.append(grant)
    denies = [s for s in statements if s.effect == "Deny" and not s.not_principal and s.covers(WEB_IDENTITY)]
    effects: dict[str, _DenyEffect | None] = {}
    for grant in grants:
        key = grant.issuer.host_path.lower()
        if key not in effects:
            effects[key] = _deny_effect(grant.issuer, denies)
        effect = effects[key]
        if effect is None:
            continue  # an unconditional Deny removes every grant of the issuer
        for claim, cond in effect.bounds.items():
            grant.claims.setdefault(claim, []).append(cond)
        grant.impossible.extend(effect.impossible)
    return [g for g in grants if effects[g.issuer.host_path.lower()] is not None]


@dataclass
class _DenyEffect:
    """What the Deny statements of one issuer leave of its grants: per claim one upper bound (the exact values all
    negated StringNotEquals conditions together allow, or else the first pattern), and the bounds nothing meets."""

    bounds: dict[str, Condition] = field(default_factory=dict)
    impossible: list[tuple[Condition, str]] = field(default_factory=list)


def _deny_effect(issuer: Issuer, denies: list[Statement]) -> _DenyEffect | None:
    """None when an unconditional Deny removes the issuer's grants entirely."""
    exact: dict[str, tuple[Condition, set[str]]] = {}
    patterns: dict[str, Condition] = {}
    host = issuer.host_path.lower()
    for deny in denies:
        federated = {iss.normalise(v).lower() for v in deny.principals.get("Federated", ())}
        if not (deny.open_principal or host in federated):
            continue
        if not deny.conditions:
            return None
        if len(deny.conditions) != 1:
            continue  # several conditions are ANDed: none of them alone bounds the claim
        cond = deny.conditions[0]
        claim = _claim_of(cond.key, issuer)
        if not (cond.operator.negated and claim is not None):
            continue
        # "deny unless the claim is one of these" is "allow only these"
        positive = Condition(
            Operator(cond.operator.text, cond.operator.base.replace("not", "", 1), False), cond.key, cond.values,
            cond.path,
        )
        if positive.pins(claim):
            if claim in exact:
                first, values = exact[claim]
                exact[claim] = (first, values & set(cond.values))
            else:
                exact[claim] = (positive, set(cond.values))
        else:
            patterns.setdefault(claim, positive)
    effect = _DenyEffect()
    for claim, (first, values) in exact.items():
        kept = tuple(v for v in first.values if v in values)
        effect.bounds[claim] = Condition(first.operator, first.key, kept, first.path)
        if not kept:
            effect.impossible.append(
                (first, f"the Deny statements together leave no value of '{claim}' that a token may carry")
            )
    for claim, cond in patterns.items():
        effect.bounds.setdefault(claim, cond)
    return effect


def _claim_of(key: str, issuer: Issuer) -> str | None:
    """The claim a condition key tests when it belongs to `issuer` (keys are case-insensitive in IAM)."""
    prefix, sep, claim = key.rpartition(":")
    if sep and iss.normalise(prefix).lower() == issuer.host_path.lower():
        return claim.lower()
    return None


def _file_condition(grant: WebIdentityGrant, cond: Condition) -> None:
    if not cond.operator.positive:
        return  # a negated condition in an Allow statement excludes some tokens but admits all others
    claim = _claim_of(cond.key, grant.issuer)
    if claim is not None:
        grant.claims.setdefault(claim, []).append(cond)
        if cond.operator.vacuous_when_absent or not cond.values:
            return
        if not cond.operator.wildcards and all(iss.has_wildcard(v) for v in cond.values):
            grant.impossible.append((cond, (
                f"{cond.operator.text} gives '*' and '?' no meaning: only a token whose '{claim}' is literally "
                f"{iss.quoted(cond.values)} matches, and the issuer signs none"
            )))
        elif not cond.broad_values and all(iss.never_issued(grant.issuer, claim, v) for v in cond.values):
            grant.impossible.append((cond, iss.never_issued(grant.issuer, claim, cond.values[0]) or ""))
        return
    prefix = cond.key.rpartition(":")[0].lower()
    if prefix not in ("aws", "sts") and ("/" in prefix or "." in prefix):
        grant.foreign_keys.append(cond)  # names another issuer: absent from these tokens
        if not cond.operator.vacuous_when_absent:
            grant.impossible.append((cond, (
                f"the condition on {cond.key} names another issuer: tokens of {grant.issuer.host_path} never "
                "carry that key, so the condition is never met"
            )))


# ---------------------------------------------------------------- findings


@dataclass
class _Context:
    role: str | None
    source: SourceMap | None
    declared: set[str] | None

    @property
    def who(self) -> str:
        return f"role '{self.role}'" if self.role else "the trust policy"

    def locate(self, path: PathT) -> Location | None:
        return self.source.locate(path, key=True) if self.source else None

    def finding(
        self, rule: str, message: str, path: PathT, hint: str, related: Iterable[Related] = (),
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            rule, severity or severity_of(rule), message, format_path(path), self.locate(path), hint, tuple(related)
        )


def audit_trust_policy(
    document: Mapping[str, Any] | str,
    *,
    role: str | None = None,
    issuers: Iterable[str] | None = None,
    max_session_seconds: int | None = None,
    permission_policies: Iterable[Mapping[str, Any] | str] = (),
    source: SourceMap | None = None,
    base: PathT = (),
    permission_bases: Iterable[PathT] = (),
) -> list[Finding]:
    """Findings (XC501..XC505) on one IAM role trust policy, sorted.

    - `document`: the trust policy as a dict, a JSON string or a URL-encoded JSON string.
    - `role`: the role's name, for messages.
    - `issuers`: issuer URLs (or host paths, or provider ARNs) the role may trust; any other issuer is XC503.
      None accepts any identified https issuer.
    - `max_session_seconds`: the role's MaxSessionDuration, when known (XC504 above one hour).
    - `permission_policies`: the role's permission policy documents, when known (XC505).
    - `source`, `base`, `permission_bases`: where the documents sit in a parsed JSON file, for file:line:column;
      leave them out for documents built in code (findings then have no location; paths start at Statement).
    Raises PolicyShapeError for a document IAM would refuse.
    """
    ctx = _Context(role, source, {iss.normalise(i).lower() for i in issuers} if issuers is not None else None)
    decoded = decode_document(document, base)
    findings = list(_open_trust(ctx, read_statements(decoded, base)))
    grants = web_identity_grants(decoded, base)
    tight: dict[str, WebIdentityGrant] = {}  # per issuer, the first statement that pins both 'aud' and the subject
    for grant in grants:
        if grant.issuer.identified and not grant.impossible and grant.pinned("aud") and grant.subject_pinned:
            tight.setdefault(grant.issuer.host_path, grant)
    for grant in grants:
        findings += _issuer_findings(ctx, grant)
        if grant.impossible:
            findings.append(_unusable_finding(ctx, grant))
        elif grant.issuer.identified:
            findings += _claim_findings(ctx, grant, tight.get(grant.issuer.host_path))
    # XC504 is about roles OIDC tokens assume (a leaked workload token renews itself; a session outlives it): an
    # account-trust role with MFA and long sessions is a different, documented trade-off.
    if grants and max_session_seconds is not None and max_session_seconds > MAX_SESSION_SECONDS:
        # beside the document in get-role output (Role.MaxSessionDuration); top level for a bare document
        path = (*base[:-1], "MaxSessionDuration") if base else ("MaxSessionDuration",)
        findings.append(
            ctx.finding(
                "XC504", f"{ctx.who} allows sessions of {max_session_seconds} s ({max_session_seconds / 3600:g} h), "
                "longer than one hour: stolen session credentials stay valid that long", path,
                f"Lower MaxSessionDuration to {MAX_SESSION_SECONDS} seconds or less.",
            )
        )
    bases = list(permission_bases)
    for i, policy in enumerate(permission_policies):
        findings += audit_permission_policy(policy, role=role, source=source, base=bases[i] if i < len(bases) else ())
    return sorted(findings, key=_order)


def _order(f: Finding) -> tuple:
    return (*f.sort_key(), f.path)


def _open_trust(ctx: _Context, statements: list[Statement]) -> Iterator[Finding]:
    for stmt in statements:
        if stmt.effect != "Allow" or not stmt.open_principal or not stmt.assumes:
            continue
        if any(c.operator.positive and c.key.lower() in _CALLER_KEYS and _pins_caller(c) for c in stmt.conditions):
            continue
        who = "everyone except the principals in NotPrincipal" if stmt.not_principal else "any AWS principal ('*')"
        extra = (
            "; sts:ExternalId is a shared value, not a check of who the caller is"
            if any(c.key.lower() == "sts:externalid" for c in stmt.conditions) else ""
        )
        actions = ", ".join(a for a in ASSUME_ACTIONS if stmt.covers(a))
        path = (*stmt.path, "NotPrincipal" if stmt.not_principal else "Principal")
        yield ctx.finding(
            "XC502", f"{stmt.label} of {ctx.who} lets {who} assume the role ({actions}) with no condition on "
            f"the caller's organisation, account or ARN: users and roles of any AWS account can assume it{extra}", path,
            "Name the trusted account or role ARNs in Principal.AWS, or add a StringEquals condition on "
            "aws:PrincipalOrgID or aws:PrincipalAccount.",
        )


def _pins_caller(cond: Condition) -> bool:
    if cond.operator.vacuous_when_absent or not cond.values:
        return False
    if cond.key.lower() in ("aws:principalarn", "aws:sourcearn"):  # a wildcard in the path is fine, in the account not
        return all(not iss.has_wildcard((v.split(":") + [""] * 5)[4]) for v in cond.values)
    return not cond.broad_values


def _issuer_findings(ctx: _Context, grant: WebIdentityGrant) -> Iterator[Finding]:
    issuer = grant.issuer
    path = (*grant.statement.path, "Principal", "Federated")
    hint = (
        "Trust the https issuer of a declared OIDC provider: "
        "Principal.Federated = arn:aws:iam::<account>:oidc-provider/<issuer host and path>."
    )
    if not issuer.identified:
        yield ctx.finding(
            "XC503", f"{grant.statement.label} of {ctx.who} trusts federated principal '{issuer.raw}', which names "
            "no identifiable OIDC issuer",
            path, hint,
        )
    elif issuer.scheme != "https":
        yield ctx.finding(
            "XC503", f"{grant.statement.label} of {ctx.who} trusts issuer '{issuer.raw}' over {issuer.scheme}, "
            "not https: its discovery document "
            "and signing keys can be forged in transit", path, hint,
        )
    elif ctx.declared is not None and issuer.host_path.lower() not in ctx.declared:
        known = ", ".join(sorted(ctx.declared)) or "none"
        yield ctx.finding(
            "XC503", f"{grant.statement.label} of {ctx.who} trusts issuer {issuer.host_path}, which is not a "
            f"declared issuer (declared: {known})",
            path, hint,
        )


def _verdict(grant: WebIdentityGrant, claims: tuple[str, ...], pinned: bool) -> str:
    """'pinned', 'open' (no condition on any of the claims) or 'broad' (conditions that still let many in)."""
    if pinned:
        return "pinned"
    return "broad" if any(grant.claims.get(c) for c in claims) else "open"


def _unusable_finding(ctx: _Context, grant: WebIdentityGrant) -> Finding:
    cond, why = grant.impossible[0]
    return ctx.finding(
        "XC508", f"{grant.statement.label} of {ctx.who} trusts {grant.issuer.label}, but no token can meet its "
        f"conditions: {why}. The statement admits nobody (it is broken, not open)", cond.path,
        "Key the condition to this issuer's claims (<issuer host/path>:<claim>), use StringLike for patterns, and "
        "list values the issuer really signs; or delete the statement.",
    )


def _claim_findings(ctx: _Context, grant: WebIdentityGrant, tight: WebIdentityGrant | None) -> Iterator[Finding]:
    issuer, stmt = grant.issuer, grant.statement
    where = stmt.label
    aud = _verdict(grant, ("aud",), grant.pinned("aud"))
    sub = _verdict(grant, grant.subject_claims, grant.subject_pinned)
    missing = [claim for claim, verdict in (("aud", aud), ("sub", sub)) if verdict == "open"]
    if missing:
        yield _missing_finding(ctx, grant, tight if tight is not grant else None, missing)
    prefix = f"{where} of {ctx.who} trusts {issuer.label} with"
    hint = (
        "Replace the pattern with the exact values (StringEquals), or waive XC502 with a reason if every match is "
        "meant to have this access."
    )
    if aud == "broad":
        for cond in grant.claims["aud"]:
            if cond.broad_values:
                yield ctx.finding(
                    "XC502", f"{prefix} {cond.operator.text} 'aud' matching {iss.quoted(cond.broad_values)}: tokens for "
                    "every matching audience are accepted", cond.path, hint,
                )
    if sub == "pinned":
        yield from _forgeable_subjects(ctx, grant, prefix)
    if sub != "broad":
        return
    broad = [(claim, c) for claim in grant.subject_claims for c in grant.claims.get(claim, []) if c.broad_values]
    for claim, cond in broad:
        reach = {iss.exposure(issuer, claim, v) for v in cond.broad_values}
        if reach == {iss.SCOPED}:
            continue  # the issuer's own documented pattern for one unit (e.g. an HCP Terraform workspace)
        why = "; ".join(dict.fromkeys(iss.explain_subject_pattern(issuer, claim, v) for v in cond.broad_values))
        if iss.ANY in reach:
            yield ctx.finding(
                "XC502", f"{prefix} {cond.operator.text} '{claim}' matching {iss.quoted(cond.broad_values)}: {why}",
                cond.path, hint,
            )
        else:  # every branch of one repository: narrower, still more than one workflow run needs
            yield ctx.finding(
                "XC502", f"{prefix} {cond.operator.text} '{claim}' matching {iss.quoted(cond.broad_values)}: {why}",
                cond.path,
                "Pin the ref or the environment: 'sub' = repo:<org>/<repo>:ref:refs/heads/main or "
                "repo:<org>/<repo>:environment:<name> (StringEquals); waive XC502 with a reason if every branch "
                "is meant to deploy.",
                severity=Severity.warning,
            )
    if not broad:  # exact conditions that still do not pin the subject
        cond, why, gap_hint = _subject_gap(grant)
        gap_claim = _claim_of(cond.key, issuer)
        yield ctx.finding(
            "XC502", f"{prefix} {cond.operator.text} '{gap_claim}' = {iss.quoted(cond.values)}, but {why}", cond.path, gap_hint
        )


def _forgeable_subjects(ctx: _Context, grant: WebIdentityGrant, prefix: str) -> Iterator[Finding]:
    """GitHub: an exact `sub` that no repository claim scopes can be minted by any repository that customises its
    subject template, unless another pinned condition names the repository."""
    if grant.issuer.kind != "github" or grant.pinned("repository") or grant.pinned("repository_id"):
        return
    for cond in grant.claims.get("sub", []):
        if not cond.pins("sub"):
            continue
        forged = [v for v in cond.values if iss.github_forgeable(v)]
        if forged and len(forged) == len(cond.values):
            yield ctx.finding(
                "XC502", f"{prefix} {cond.operator.text} 'sub' = {iss.quoted(forged)}, which names no repository: "
                "any repository whose owner customises its OIDC subject template to the same claims gets a token "
                "with this 'sub', so workflows of any repository can assume this role", cond.path,
                "Pin 'sub' to a value with the repository in it (repo:<org>/<repo>:... or repository_id:<id>:...), "
                "or add a StringEquals condition on the issuer's :repository_id.",
            )
            return


def _subject_gap(grant: WebIdentityGrant) -> tuple[Condition, str, str]:
    """The condition to point at, why exact conditions on subject claims still let many workflows in, and a hint."""
    conditions = [c for claim in grant.subject_claims for c in grant.claims.get(claim, [])]
    vacuous = next((c for c in conditions if not c.pins(_claim_of(c.key, grant.issuer) or "")), None)
    if vacuous is not None:
        why = (
            "the condition is also true for tokens that do not carry the claim: it does not narrow who can assume "
            "this role"
        )
        return vacuous, why, "Use the operator without IfExists / ForAllValues: for this claim."
    repo = [c for c in conditions if _claim_of(c.key, grant.issuer) in ("repository", "repository_id")]
    if repo:
        why = (
            "no condition on 'ref', 'environment', 'job_workflow_ref' or 'sub' narrows it further: any workflow of the "
            "repository on any branch, tag or pull request can assume this role"
        )
        hint = (
            "Add a StringEquals condition on the issuer's :ref or :environment (or pin 'sub' to "
            "repo:<org>/<repo>:ref:refs/heads/main)."
        )
        return repo[0], why, hint
    why = (
        "no condition names the repository ('sub', 'repository', 'repository_id' or 'job_workflow_ref'): matching "
        "workflows of any repository of the issuer can assume this role"
    )
    hint = (
        "Pin 'sub' to repo:<org>/<repo>:ref:refs/heads/<branch>, or add a StringEquals condition on the issuer's "
        ":repository or :repository_id."
    )
    return conditions[0], why, hint


def _missing_finding(
    ctx: _Context, grant: WebIdentityGrant, tight_grant: WebIdentityGrant | None, missing: list[str]
) -> Finding:
    issuer, stmt = grant.issuer, grant.statement
    if len(missing) == 2:
        detail = "neither 'aud' nor 'sub' is constrained: every token of the issuer can assume this role"
    elif missing == ["sub"]:
        detail = f"'sub' is not constrained: {iss.anyone_phrase(issuer)}"
    else:
        detail = "'aud' is not constrained: a token minted for any audience registered on the IAM OIDC provider is accepted"
    related: list[Related] = []
    if tight_grant is not None:
        other = tight_grant.statement
        detail += f", even though {other.label} is tight (statements are alternatives: a token needs to match only one)"
        related.append(Related(f"{other.label} is tight", format_path(other.path), ctx.locate(other.path)))
    foreign = sorted({c.key for c in grant.foreign_keys})
    if foreign:
        keys = ", ".join(foreign)
        detail += (
            f"; the condition on {keys} names another issuer and does not apply to these tokens" if len(foreign) == 1
            else f"; the conditions on {keys} name another issuer and do not apply to these tokens"
        )
    return ctx.finding(
        "XC501", f"{stmt.label} of {ctx.who} trusts {issuer.label}: {detail}", stmt.condition_path,
        _missing_hint(issuer, missing), related,
    )


def _missing_hint(issuer: Issuer, missing: list[str]) -> str:
    key = issuer.host_path
    parts = []
    if "aud" in missing:
        parts.append(f"a StringEquals condition on {key}:aud (e.g. sts.amazonaws.com)")
    if "sub" in missing:
        if issuer.kind == "github":
            example = "repo:<org>/<repo>:ref:refs/heads/main or repo:<org>/<repo>:environment:<name>"
        elif issuer.kind in iss.KUBERNETES_KINDS:
            example = "system:serviceaccount:<namespace>:<service-account>"
        else:
            example = "the exact subject identifiers"
        parts.append(f"a StringEquals condition on {key}:sub with {example}")
    return "Add " + " and ".join(parts) + " to the statement."


# ---------------------------------------------------------------- permission policies (XC505)


def audit_permission_policy(
    document: Mapping[str, Any] | str, *, role: str | None = None, source: SourceMap | None = None, base: PathT = ()
) -> list[Finding]:
    """XC505 on a permission policy: Allow statements with a '*' (or whole-service 'svc:*') action or '*' resource."""
    ctx = _Context(role, source, None)
    owner = f"a permission policy of role '{role}'" if role else "the permission policy"
    out = []
    for stmt in read_statements(decode_document(document, base), base):
        if stmt.effect != "Allow":
            continue
        actions = (
            ["every action except those in NotAction"] if stmt.not_action
            else [f"action '{a}'" for a in stmt.actions if a == "*" or a.endswith(":*")]
        )
        resources = (
            ["every resource except those in NotResource"] if stmt.not_resource
            else ["resource '*'"] if "*" in stmt.resources else []
        )
        if not (actions or resources):
            continue
        if actions:
            key = "NotAction" if stmt.not_action else "Action"
        else:
            key = "NotResource" if stmt.not_resource else "Resource"
        what = " on ".join(x for x in (", ".join(actions), ", ".join(resources)) if x)
        out.append(
            ctx.finding(
                "XC505", f"{stmt.label} of {owner} allows {what}", (*stmt.path, key),
                "Name the actions and resource ARNs the role needs.",
            )
        )
    return out
