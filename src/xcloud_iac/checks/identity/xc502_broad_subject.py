from __future__ import annotations

from ...audit import issuers as iss
from ..finding import Severity
from ..registry import Rule, register


@register
class BroadSubject(Rule):
    """A role's subject or audience contains an IAM wildcard (`*` or `?` anywhere), such as `*`,
    `system:serviceaccount:*`, `system:serviceaccount:ns:*`, `repo:org/*` or `repo:org/repo:*`: every matching
    identity can assume the role, including ones created later. Waive it on the role with a reason when that is
    intended. Severity follows exposure (the auditor's verdict, audit.issuers.exposure): any repository,
    organisation or namespace is an error; every branch of one GitHub repository is a warning; an issuer's own
    documented pattern scoped to one unit (HCP Terraform `organization:O:project:P:workspace:W:run_phase:*`) is no
    finding. An exact GitHub subject that names no repository (e.g. `workflow:deploy`, possible with a customised
    subject template) is an error too: any repository can customise its template to get it."""

    id = "XC502"
    title = "Wildcard or over-broad trust subject"
    severity = Severity.error
    tags = ("identity", "security")
    fix_hint = (
        "List the exact subjects (e.g. system:serviceaccount:orders:orders-api, "
        "repo:org/repo:ref:refs/heads/main), or waive XC502 on the role with the reason."
    )

    def check(self, topo):
        for role in topo.spec.trust.roles:
            spec_issuer = topo.issuers.get(role.issuer)  # an undeclared one is XC503's
            issuer = iss.declared(spec_issuer.url, spec_issuer.kind) if spec_issuer else iss.declared("", "generic")
            for i, subject in enumerate(role.subjects):
                if iss.has_wildcard(subject):
                    # the words and the verdict `xcloud audit-trust` gives the same pattern in a live trust policy
                    reach = iss.exposure(issuer, "sub", subject)
                    if reach == iss.SCOPED:
                        continue
                    meaning = iss.explain_subject_pattern(issuer, "sub", subject)
                    one_repo = reach == iss.REPOSITORY
                    yield self.finding(
                        topo, role, f"role '{role.name}' trusts subject '{subject}' of issuer '{role.issuer}': {meaning}",
                        field=("subjects", i), severity=Severity.warning if one_repo else None,
                        hint=(
                            "Pin the ref or the environment (repo:<org>/<repo>:ref:refs/heads/main or "
                            "repo:<org>/<repo>:environment:<name>), or waive XC502 with the reason every branch "
                            "may deploy."
                        ) if one_repo else None,
                    )
                elif issuer.kind == "github" and subject.strip() and iss.github_forgeable(subject):
                    yield self.finding(
                        topo, role, f"role '{role.name}' trusts subject '{subject}' of issuer '{role.issuer}', which "
                        "names no repository: any repository whose owner customises its OIDC subject template to the "
                        "same claims gets a token with this 'sub'",
                        field=("subjects", i),
                    )
            if role.audience and iss.has_wildcard(role.audience):
                yield self.finding(
                    topo, role,
                    f"role '{role.name}' accepts audience '{role.audience}' from issuer '{role.issuer}': a wildcard, "
                    "so tokens issued for other audiences are accepted",
                    field=("audience",),
                )
