from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule


@register
class OidcProviderDrift(LiveRule):
    """The IAM OIDC provider of an issuer lists other audiences (client ids) or thumbprints than the spec. An extra
    audience lets tokens minted for it into every role that does not pin 'aud'; a missing one makes roles that
    require it unusable."""

    id = "XC708"
    title = "IAM OIDC provider differs from the spec"
    severity = Severity.error
    fix_hint = "Set the provider's client ids (and thumbprints) to the issuer's in the spec (pulumi up)."

    def check_live(self, topo, live):
        for issuer in topo.spec.trust.issuers:
            provider = live.oidc_providers.get(issuer.name)
            if provider is None:
                continue
            who = f"IAM OIDC provider {provider.arn} of issuer '{issuer.name}'"
            checks = [("client_ids", "audiences", set(issuer.client_ids), provider.client_ids)]
            if issuer.thumbprints:  # optional on AWS: compared only when the spec names them
                thumbprints = {t.lower() for t in issuer.thumbprints}
                checks.append(("thumbprints", "thumbprints", thumbprints, {t.lower() for t in provider.thumbprints}))
            for field, what, spec, found in checks:
                extra, missing = sorted(found - spec), sorted(spec - found)
                if extra:
                    yield self.finding(topo, issuer, f"{who} also accepts {what} {', '.join(extra)}, which the spec "
                                       "does not list", field=(field,))
                if missing:
                    yield self.finding(topo, issuer, f"{who} does not list {what} {', '.join(missing)}",
                                       field=(field,))
