from __future__ import annotations

from ...audit.issuers import iam_like
from ..finding import Severity
from ..registry import Rule, register


@register
class AudienceNotRegistered(Rule):
    """A role requires an audience that is not among its issuer's `client_ids`. STS accepts a web identity token
    only when its 'aud' is one of the client ids registered on the IAM OIDC provider, so every token the role's
    condition admits is refused ("InvalidIdentityToken: Incorrect token audience"): the role deploys, and nothing
    can ever assume it. An issuer without `client_ids` gets the audiences of its roles, so it never has this
    problem."""

    id = "XC507"
    title = "Role audience not registered on the issuer"
    severity = Severity.error
    tags = ("identity", "correctness")
    fix_hint = "Add the audience to the issuer's `client_ids`, or require one of them in the role's `audience`."

    def check(self, topo):
        for role in topo.spec.trust.roles:
            issuer = topo.issuers.get(role.issuer)
            audience = role.audience or ""
            if issuer is None or not issuer.client_ids or not audience.strip():  # XC503 and XC501 report those
                continue
            # compared as written: the trust policy requires exactly this value, spaces included
            if not any(iam_like(audience, client_id) for client_id in issuer.client_ids):
                registered = ", ".join(f"'{c}'" for c in issuer.client_ids)
                yield self.finding(
                    topo, role,
                    f"role '{role.name}' requires audience '{audience}', which is not a client id of issuer "
                    f"'{issuer.name}' ({registered}): STS refuses every token the role admits",
                    field=("audience",),
                    related=[("the issuer's client ids", issuer, ("client_ids",))],
                )
