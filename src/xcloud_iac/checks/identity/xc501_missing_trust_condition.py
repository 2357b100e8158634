from __future__ import annotations

from ..finding import Severity
from ..registry import Rule, register


@register
class MissingTrustCondition(Rule):
    """A role trusts an OIDC issuer without requiring an audience ('aud'), or without a subject condition (no
    'sub' in `subjects`). Without them, any token the issuer signs for anyone (any cluster workload, any
    repository) can assume the role."""

    id = "XC501"
    title = "Trust without audience or subject condition"
    severity = Severity.error
    tags = ("identity", "security")
    fix_hint = "Set `audience` (e.g. sts.amazonaws.com) and list the exact `subjects` allowed to assume the role."

    def check(self, topo):
        for role in topo.spec.trust.roles:
            who = f"role '{role.name}' (trusts issuer '{role.issuer}')"
            if not (role.audience or "").strip():
                yield self.finding(
                    topo, role, f"{who} has no audience condition: tokens issued for any audience are accepted",
                    field=("audience",),
                )
            if not any(s.strip() for s in role.subjects):
                yield self.finding(
                    topo, role, f"{who} has no subject condition: every identity of the issuer can assume it",
                    field=("subjects",),
                )
