"""IAM policies through parliament (an IAM policy linter), as the tests use it.

parliament lints identity policies. Two of its checks cannot apply to a role *trust* policy, and only those two
are set aside, only for trust policies:
- MALFORMED "Statement contains neither Resource nor NotResource": a trust policy has no Resource element (IAM
  rejects one);
- UNKNOWN_FEDERATION_SOURCE for an IAM OIDC provider ARN: parliament's list of federation sources predates IAM
  OIDC providers (it knows Cognito, Amazon, Facebook, Google and SAML providers only).
Everything else (actions, condition keys and operators, principals, resource formats) is checked as usual.
"""

from __future__ import annotations

import json
import re

import parliament

_OIDC_PROVIDER = re.compile(r"^arn:aws:iam::\d{12}:oidc-provider/.+")


def findings(policy: str | dict, *, trust: bool = False) -> list[str]:
    text = policy if isinstance(policy, str) else json.dumps(policy)
    out = []
    for finding in parliament.analyze_policy_string(text).findings:
        if trust and _not_applicable_to_trust(finding):
            continue
        out.append(f"{finding.issue}: {finding.detail}")
    return out


def _not_applicable_to_trust(finding) -> bool:
    if finding.issue == "MALFORMED" and finding.detail == "Statement contains neither Resource nor NotResource":
        return True
    return finding.issue == "UNKNOWN_FEDERATION_SOURCE" and bool(_OIDC_PROVIDER.match(str(finding.detail)))
