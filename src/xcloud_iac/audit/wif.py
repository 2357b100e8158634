"""Google Workload Identity pool providers (the REST / `gcloud ... providers describe --format=json` shape), XC506/XC503.

A provider maps the external token's claims to Google attributes (attributeMapping) and may require a CEL
condition on them (attributeCondition). Without a condition every identity the provider accepts can exchange its
credentials for Google tokens: for an `aws` provider, every role and user of the AWS account; for an `oidc`
provider, every token of the issuer (for GitHub: every workflow on GitHub).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..finding import Finding
from ..spec.errors import format_path
from ..spec.loader import SourceMap
from . import issuers as iss
from .cel import judge
from .trust import PathT, PolicyShapeError, severity_of


def looks_like_provider(node: Mapping[str, Any]) -> bool:
    name = node.get("name")
    if isinstance(name, str) and "/workloadIdentityPools/" in name and "/providers/" in name:
        return True
    return "attributeCondition" in node or "attributeMapping" in node or (
        isinstance(node.get("aws"), Mapping) and "accountId" in node["aws"]
    ) or (isinstance(node.get("oidc"), Mapping) and "issuerUri" in node["oidc"])


def audit_workload_identity_provider(
    provider: Mapping[str, Any], *, source: SourceMap | None = None, base: PathT = ()
) -> list[Finding]:
    """Findings on one Workload Identity pool provider: XC506 without an attribute condition, XC503 for an OIDC
    issuer that is not https. Disabled or deleted providers accept nothing and are skipped."""
    if not isinstance(provider, Mapping):
        raise PolicyShapeError(base, "a Workload Identity provider is a JSON object")
    if provider.get("disabled") is True or provider.get("state") in ("DELETED", "DISABLED"):
        return []
    name = provider.get("name") or "the Workload Identity provider"
    label = f"Workload Identity provider '{name}'" if provider.get("name") else name
    aws, oidc = provider.get("aws"), provider.get("oidc")
    findings = []

    def finding(rule: str, message: str, path: PathT, hint: str) -> Finding:
        loc = source.locate(path, key=True) if source else None
        return Finding(rule, severity_of(rule), message, format_path(path), loc, hint)

    issuer = None
    if isinstance(oidc, Mapping):
        uri = str(oidc.get("issuerUri", ""))
        issuer = iss.parse_federated(uri)
        if issuer is not None and (not issuer.identified or issuer.scheme != "https"):
            findings.append(
                finding(
                    "XC503", f"{label} trusts issuer '{uri}', which is not an https issuer URL",
                    (*base, "oidc", "issuerUri"), "Use the issuer's https URL (its OIDC discovery document).",
                )
            )
    condition = provider.get("attributeCondition")
    if condition is not None and not isinstance(condition, str):
        raise PolicyShapeError((*base, "attributeCondition"), "'attributeCondition' is a CEL expression (a string)")
    account = str(aws.get("accountId", "?")) if isinstance(aws, Mapping) else None
    verdict = judge(condition, aws_account=account) if condition and condition.strip() else None
    if verdict is None or verdict.open or verdict.invalid:
        if isinstance(aws, Mapping):
            who = f"every role and user of AWS account {account} can exchange its credentials for Google tokens"
            example = f"attribute.aws_role == 'arn:aws:sts::{account}:assumed-role/<role>'"
        elif issuer is not None and issuer.kind == "github":
            who = "every workflow of every repository on GitHub can exchange its token for Google tokens"
            example = "assertion.repository == '<org>/<repo>' && assertion.ref == 'refs/heads/main'"
        else:
            who = "every identity the provider accepts can exchange its credentials for Google tokens"
            example = "assertion.sub == '<subject>'"
        if verdict is None:
            stated = "has no attribute condition" if condition is None else "has an empty attribute condition"
        elif verdict.invalid:
            stated, who = f"has the attribute condition {condition!r}, which {verdict.describe()}", "Google refuses it"
        else:
            stated = f"has the attribute condition {condition!r}, which {verdict.describe()}"
        path = (*base, "attributeCondition") if condition is not None else base
        findings.append(
            finding("XC506", f"{label} {stated}: {who}", path, f"Set attributeCondition, e.g. {example}.")
        )
    return findings
