"""Audit trust wherever it comes from: IAM role trust policies and Google Workload Identity providers, including
ones this library did not generate, with the XC5xx rule ids of the catalogue.

    from xcloud_iac.audit import audit_trust_policy
    findings = audit_trust_policy(doc, role="ci-deploy", issuers=["https://token.actions.githubusercontent.com"])

- `audit_trust_policy(document, ...)`: one trust policy (dict, JSON or URL-encoded JSON) -> sorted findings
  (XC501 audience/subject not constrained, XC502 wildcard or over-broad subject/audience and open `*` principals,
  XC503 issuer not https / unidentifiable / undeclared, XC504 session over one hour, XC505 `*` in permission policies).
- `audit_workload_identity_provider(provider)`: XC506 (no attribute condition), XC503.
- `audit_file(path)` / `audit_text(text, file)`: every policy, role and provider a JSON file holds, located at
  file:line:column; AuditInputError for unreadable or invalid input.
- `web_identity_grants(document)`: the parsed view (issuer and the conditions on each claim, per Allow statement),
  for comparing a live policy with what was meant (`xcloud verify`).
"""

from .documents import AuditInputError, audit_file, audit_text
from .issuers import Issuer
from .issuers import normalise as normalise_issuer
from .trust import (
    PolicyShapeError,
    WebIdentityGrant,
    audit_permission_policy,
    audit_trust_policy,
    decode_document,
    web_identity_grants,
)
from .wif import audit_workload_identity_provider

__all__ = [
    "AuditInputError", "Issuer", "PolicyShapeError", "WebIdentityGrant", "audit_file",
    "audit_permission_policy", "audit_text", "audit_trust_policy", "audit_workload_identity_provider", "decode_document",
    "normalise_issuer", "web_identity_grants",
]
