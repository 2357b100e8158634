from __future__ import annotations

import dataclasses

from ...audit import PolicyShapeError, audit_trust_policy, normalise_issuer, web_identity_grants
from ...audit.issuers import quoted
from ...spec.catalog import MAX_SESSION_SECONDS
from ..finding import Related, Severity
from ..registry import register
from . import LiveRule


@register
class TrustPolicyDrift(LiveRule):
    """A live IAM role's trust policy fails the trust audit (`xcloud audit-trust`: XC501..XC504, with the spec's
    issuers as the only declared ones) or differs from the spec: other audiences or subjects, or another maximum
    session. A role edited in the console to a wildcard subject is found here."""

    id = "XC709"
    title = "Live trust policy fails the audit or differs from the spec"
    severity = Severity.error
    fix_hint = "Re-apply the stack (pulumi up) to restore the trust policy, or change the spec and validate it."

    def check_live(self, topo, live):
        issuers = {i.name: i for i in topo.spec.trust.issuers}
        for role in topo.spec.trust.roles:
            found = live.roles.get(role.name)
            if found is None:
                continue
            who = f"role '{role.name}' ({found.arn})"
            try:
                audit = audit_trust_policy(
                    found.trust_policy, issuers=[i.url for i in issuers.values()], max_session_seconds=found.max_session
                )
                grants = web_identity_grants(found.trust_policy)
            except PolicyShapeError as exc:
                yield self.finding(topo, role, f"{who} has a trust policy that cannot be read: {exc}")
                continue
            for f in audit:
                finding = self.finding(topo, role, f"{who}: the live trust policy fails {f.rule}: {f.message}", hint=f.hint)
                # the other side is in the live document, which has no file: its path only
                yield dataclasses.replace(finding, related=(Related(f"{f.rule} in the live trust policy", f.path),))
            issuer = issuers.get(role.issuer)
            if issuer is None:
                continue
            mine = [g for g in grants if g.issuer.host_path.lower() == normalise_issuer(issuer.url).lower()]
            if not mine:
                yield self.finding(topo, role, f"{who} does not trust issuer '{issuer.name}' ({issuer.host_path})",
                                   field=("issuer",))
                continue
            for claim, spec_values, field in (
                ("aud", {role.audience} if role.audience else set(), ("audience",)),
                ("sub", set(role.subjects), ("subjects",)),
            ):
                pinned = [g.exact_values(claim) for g in mine]
                exact = [v for v in pinned if v is not None]
                if len(exact) < len(pinned):
                    continue  # not pinned in some statement: the audit finding above says so
                live_values: set[str] = set().union(*exact)
                extra, missing = sorted(live_values - spec_values), sorted(spec_values - live_values)
                if extra:
                    yield self.finding(topo, role, f"{who} accepts {claim} {quoted(extra)}, which the spec does not "
                                       "list", field=field)
                if missing:
                    yield self.finding(topo, role, f"{who} does not accept {claim} {quoted(missing)}", field=field)
            if found.max_session != role.max_session_seconds and found.max_session <= MAX_SESSION_SECONDS:
                yield self.finding(topo, role, f"{who} allows sessions of {found.max_session} s; the spec says "
                                   f"{role.max_session_seconds} s", field=("max_session_seconds",))
