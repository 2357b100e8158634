"""What a JSON file holds, found by shape: trust policies, roles, permission policies, Workload Identity providers.

Understood shapes (a file may also be a JSON list of any of them):
- a policy document: {"Version", "Statement"}; a trust policy when a statement has a Principal, else a permission policy;
- a role: {"AssumeRolePolicyDocument", "RoleName", "MaxSessionDuration", ...}, alone or as `aws iam get-role`
  output {"Role": {...}}, `aws iam list-roles` output {"Roles": [...]}, or `aws iam
  get-account-authorization-details` output {"RoleDetailList": [{..., "RolePolicyList": [...]}]};
- `aws iam get-role-policy` output: {"RoleName", "PolicyName", "PolicyDocument"};
- a Google Workload Identity pool provider (REST / gcloud JSON), alone or as a list response
  {"workloadIdentityPoolProviders": [...]}.
Policy documents may be objects, JSON strings, or URL-encoded JSON strings (as the raw IAM API returns them).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..finding import Finding
from ..spec.errors import Problem, SpecError
from ..spec.files import read_input
from ..spec.loader import SourceMap
from .jsonpos import JsonInputError, PathT, parse_json
from .trust import PolicyShapeError, audit_permission_policy, audit_trust_policy
from .wif import audit_workload_identity_provider, looks_like_provider

EXPECTED = (
    "expected an IAM policy document (Statement), a role (AssumeRolePolicyDocument, e.g. `aws iam get-role` output), "
    "`aws iam get-role-policy` output (PolicyDocument) or a Google Workload Identity provider "
    "(name, attributeCondition, aws.accountId / oidc.issuerUri)"
)


class AuditInputError(Exception):
    """The file cannot be audited; carries problems with file:line:column."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def audit_file(path: str | Path, *, issuers: Iterable[str] | None = None) -> list[Finding]:
    """Every finding on the trust policies, roles and providers in one JSON file. Raises AuditInputError."""
    display = str(path)
    try:
        text = read_input(path, display)
    except SpecError as exc:
        raise AuditInputError(exc.problems) from None
    return audit_text(text, display, issuers=issuers)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The audit allocates many small, acyclic objects that live until it ends; the cyclic garbage collector's
    repeated passes over them made the time grow faster than the input (x2.8 per doubling at 5,000 statements
    instead of x2). Reference counting still frees everything; the collector runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def audit_text(text: str, file: str = "<string>", *, issuers: Iterable[str] | None = None) -> list[Finding]:
    with _collector_paused():
        return _audit_text(text, file, issuers)


def _audit_text(text: str, file: str, issuers: Iterable[str] | None) -> list[Finding]:
    try:
        data, source = parse_json(text, file)
    except JsonInputError as exc:
        raise AuditInputError([exc.problem]) from None
    issuers = list(issuers) if issuers is not None else None
    auditor = _Auditor(source, issuers)
    try:
        auditor.visit(data, ())
    except PolicyShapeError as exc:
        raise AuditInputError([Problem(source.locate(exc.path), exc.path, exc.message)]) from None
    if not auditor.found:
        raise AuditInputError([Problem(source.locate(()), (), f"nothing to audit: {EXPECTED}")])
    return sorted(auditor.findings, key=Finding.sort_key)


class _Auditor:
    def __init__(self, source: SourceMap, issuers: list[str] | None) -> None:
        self.source = source
        self.issuers = issuers
        self.findings: list[Finding] = []
        self.found = 0

    def visit(self, node: Any, path: PathT) -> None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                self.visit(item, (*path, i))
            return
        if not isinstance(node, Mapping):
            return
        listing = next((k for k in ("Roles", "RoleDetailList", "workloadIdentityPoolProviders")
                        if isinstance(node.get(k), list)), None)
        if isinstance(node.get("Role"), Mapping):  # aws iam get-role
            self.role(node["Role"], (*path, "Role"))
        elif listing is not None:
            self.visit(node[listing], (*path, listing))
        elif "AssumeRolePolicyDocument" in node:
            self.role(node, path)
        elif "Statement" in node:
            self.policy(node, path)
        elif "PolicyDocument" in node:  # aws iam get-role-policy
            self.found += 1
            self.findings += audit_permission_policy(
                node["PolicyDocument"], role=node.get("RoleName"), source=self.source, base=(*path, "PolicyDocument")
            )
        elif looks_like_provider(node):
            self.found += 1
            self.findings += audit_workload_identity_provider(node, source=self.source, base=path)

    def role(self, role: Mapping[str, Any], path: PathT) -> None:
        self.found += 1
        if "AssumeRolePolicyDocument" not in role:
            raise PolicyShapeError(path, "a role has an 'AssumeRolePolicyDocument' (its trust policy)")
        name = role.get("RoleName")
        if name is not None and not isinstance(name, str):
            raise PolicyShapeError((*path, "RoleName"), "'RoleName' is a string")
        inline = role.get("RolePolicyList") or []
        if not isinstance(inline, list):
            raise PolicyShapeError((*path, "RolePolicyList"), "'RolePolicyList' is a list of {PolicyName, PolicyDocument}")
        for i, entry in enumerate(inline):
            if not isinstance(entry, Mapping) or "PolicyDocument" not in entry:
                raise PolicyShapeError(
                    (*path, "RolePolicyList", i), "each entry of 'RolePolicyList' is an object {PolicyName, PolicyDocument}"
                )
        bases = [(*path, "RolePolicyList", i, "PolicyDocument") for i in range(len(inline))]
        self.findings += audit_trust_policy(
            role["AssumeRolePolicyDocument"],
            role=role.get("RoleName"),
            issuers=self.issuers,
            max_session_seconds=session if isinstance(session := role.get("MaxSessionDuration"), int) else None,
            permission_policies=[p["PolicyDocument"] for p in inline],
            source=self.source,
            base=(*path, "AssumeRolePolicyDocument"),
            permission_bases=bases,
        )

    def policy(self, document: Mapping[str, Any], path: PathT) -> None:
        self.found += 1
        statements = document["Statement"]
        statements = statements if isinstance(statements, list) else [statements]
        is_trust = any(isinstance(s, Mapping) and ("Principal" in s or "NotPrincipal" in s) for s in statements)
        if is_trust:
            self.findings += audit_trust_policy(document, issuers=self.issuers, source=self.source, base=path)
        else:
            self.findings += audit_permission_policy(document, source=self.source, base=path)


__all__ = ["AuditInputError", "audit_file", "audit_text"]
