from __future__ import annotations

from ...audit import issuers as iss
from ..finding import Severity
from ..registry import Rule, register


@register
class UnusableTrust(Rule):
    """A trust condition no token of the issuer can meet: a subject the issuer never signs (a Kubernetes
    service-account issuer only signs `system:serviceaccount:<namespace>:<name>`), a condition keyed to another
    issuer's claims, or `StringEquals` with `*` / `?` (literal there). The role admits nobody: it is broken, not
    open, so it is a warning of its own rather than XC501/XC502. `xcloud audit-trust` reports the same for live
    trust policies (audit.trust)."""

    id = "XC508"
    title = "Trust condition no token can meet (unusable role)"
    severity = Severity.warning
    tags = ("identity",)
    fix_hint = (
        "List subjects the issuer really signs (for Kubernetes issuers system:serviceaccount:<namespace>:<name>), "
        "or trust the issuer that signs them."
    )

    def check(self, topo):
        for role in topo.spec.trust.roles:
            spec_issuer = topo.issuers.get(role.issuer)
            if spec_issuer is None:
                continue  # XC503's
            issuer = iss.declared(spec_issuer.url, spec_issuer.kind)
            subjects = [s for s in role.subjects if s.strip()]
            reasons = [iss.never_issued(issuer, "sub", s) for s in subjects]
            if subjects and all(reasons):
                yield self.finding(
                    topo, role, f"role '{role.name}' (trusts issuer '{role.issuer}') can never be assumed: "
                    f"{'; '.join(r for r in reasons if r)}",
                    field=("subjects",),
                )
