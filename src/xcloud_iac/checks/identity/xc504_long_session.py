from __future__ import annotations

from ...spec import catalog
from ..finding import Severity
from ..registry import Rule, register


@register
class LongSession(Rule):
    """A role trusted over OIDC allows sessions longer than one hour (catalog.MAX_SESSION_SECONDS): a leaked
    session stays usable longer than the token that created it."""

    id = "XC504"
    title = "Session longer than one hour"
    severity = Severity.error
    tags = ("identity", "security")
    fix_hint = f"Set max_session_seconds to {catalog.MAX_SESSION_SECONDS} or less; workloads re-assume the role."

    def check(self, topo):
        limit = catalog.MAX_SESSION_SECONDS
        for role in topo.spec.trust.roles:
            if role.max_session_seconds > limit:
                yield self.finding(
                    topo, role,
                    f"role '{role.name}' (trusts issuer '{role.issuer}') allows sessions of "
                    f"{role.max_session_seconds} s, more than {limit} s",
                    field=("max_session_seconds",),
                )
