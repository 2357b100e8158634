"""Trust policies for the auditor's benchmark: the shapes that were quadratic (issue 14).

- `missing_sub(n)`: n Allow statements for one GitHub issuer, each pinning the audience but not the subject (every
  one is an XC501 finding, and each finding looks for a tight statement of the same issuer);
- `allow_deny(n)`: n/2 Allow statements with exact subjects and n/2 Deny statements, each bounding the subject
  with StringNotEquals (every Allow statement is bounded by every Deny statement of its issuer);
- `mixed(n)`: both shapes, two issuers, some wildcards: the realistic worst case.
The documents are JSON text, as `xcloud audit-trust` reads them.
"""

from __future__ import annotations

import json

GITHUB = "token.actions.githubusercontent.com"
EKS = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"


def _arn(issuer: str) -> str:
    return f"arn:aws:iam::111122223333:oidc-provider/{issuer}"


def _allow(issuer: str, conditions: dict) -> dict:
    return {"Effect": "Allow", "Principal": {"Federated": _arn(issuer)}, "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": conditions}


def _deny(issuer: str, subject: str) -> dict:
    return {"Effect": "Deny", "Principal": {"Federated": _arn(issuer)}, "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringNotEquals": {f"{issuer}:sub": subject}}}


def missing_sub(n: int) -> str:
    statements = [_allow(GITHUB, {"StringEquals": {f"{GITHUB}:aud": f"aud-{i}"}}) for i in range(n)]
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=1)


def allow_deny(n: int) -> str:
    half = n // 2
    allows = [_allow(GITHUB, {"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com",
                                               f"{GITHUB}:sub": f"repo:o/r{i}:ref:refs/heads/main"}})
              for i in range(half)]
    denies = [_deny(GITHUB, f"repo:o/r{i}:ref:refs/heads/main") for i in range(n - half)]
    return json.dumps({"Version": "2012-10-17", "Statement": allows + denies}, indent=1)


def mixed(n: int) -> str:
    statements = []
    for i in range(n):
        issuer = (GITHUB, EKS)[i % 2]
        kind = i % 5
        if kind == 0:
            statements.append(_allow(issuer, {"StringEquals": {f"{issuer}:aud": "sts.amazonaws.com"}}))
        elif kind == 1:
            statements.append(_allow(issuer, {"StringEquals": {f"{issuer}:aud": "sts.amazonaws.com"},
                                              "StringLike": {f"{issuer}:sub": f"repo:o{i}/*"}}))
        elif kind == 2:
            statements.append(_allow(issuer, {"StringEquals": {f"{issuer}:aud": "sts.amazonaws.com",
                                                               f"{issuer}:sub": f"s-{i}"}}))
        else:
            statements.append(_deny(issuer, f"s-{i}"))
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=1)


SHAPES = {"missing-sub": missing_sub, "allow-deny": allow_deny, "mixed": mixed}
