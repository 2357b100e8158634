from __future__ import annotations

import difflib
from urllib.parse import urlsplit

from ..finding import Severity
from ..registry import Rule, register


@register
class UntrustworthyIssuer(Rule):
    """A role trusts an issuer that the stack does not declare, or an issuer's URL is not a well-formed https URL
    (scheme https, a host, no user info, query or fragment). AWS IAM only accepts https OIDC providers, and the URL
    must equal the tokens' 'iss' claim."""

    id = "XC503"
    title = "Undeclared or non-https OIDC issuer"
    severity = Severity.error
    tags = ("identity", "security")
    fix_hint = "Declare the issuer under trust.issuers with its https URL (exactly the tokens' 'iss'), or fix the name."

    def check(self, topo):
        for issuer in topo.spec.trust.issuers:
            if (problem := url_problem(issuer.url)) is not None:
                yield self.finding(topo, issuer, f"issuer '{issuer.name}' URL '{issuer.url}' {problem}", field=("url",))
        for role in topo.spec.trust.roles:
            if role.issuer in topo.issuers:
                continue
            close = difflib.get_close_matches(role.issuer, list(topo.issuers), n=1)
            guess = f"; did you mean '{close[0]}'?" if close else ""
            declared = ", ".join(sorted(topo.issuers)) or "none"
            yield self.finding(
                topo, role, f"role '{role.name}' trusts issuer '{role.issuer}', which is not declared{guess} "
                f"(declared issuers: {declared})",
                field=("issuer",),
            )


def url_problem(url: str) -> str | None:
    """Why `url` is not usable as an OIDC issuer URL, or None."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        return f"is malformed ({exc})"
    if parts.scheme != "https":
        return "is not https: AWS IAM only accepts https OIDC issuers"
    if not parts.hostname or any(c.isspace() for c in url):
        return "is malformed: expected https://host/path"
    extra = [what for what, present in (("user info", parts.username is not None), ("a query", parts.query),
                                        ("a fragment", parts.fragment)) if present]
    return f"has {' and '.join(extra)}, which an OIDC issuer URL must not have" if extra else None
