from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule


def _norm(condition: str | None) -> str:
    """A CEL condition without insignificant blanks, for comparison."""
    return " ".join((condition or "").split())


@register
class WorkloadIdentityDrift(LiveRule):
    """The Workload Identity provider trusting AWS differs from the spec: its attribute condition was changed or
    removed (removed admits every identity of the AWS account), it trusts another AWS account, or the pool or the
    provider is disabled or deleted (federation stops)."""

    id = "XC727"
    title = "Workload Identity provider differs from the spec"
    severity = Severity.error
    fix_hint = "Set the provider's attribute condition and AWS account back to the spec's (pulumi up)."

    def check_live(self, topo, live):
        for wif in topo.spec.trust.workload_identity:
            found = live.workload_identity.get(wif.name)
            if found is None:
                continue
            if found.pool_disabled or found.pool_state not in ("ACTIVE", ""):
                state = "disabled" if found.pool_disabled else found.pool_state
                yield self.finding(topo, wif, f"workload identity '{wif.name}': pool {found.pool} is {state}",
                                   field=("pool_id",))
            if found.provider is None:
                continue
            who = f"workload identity '{wif.name}': provider {found.provider}"
            if found.provider_disabled or found.provider_state not in ("ACTIVE", ""):
                state = "disabled" if found.provider_disabled else found.provider_state
                yield self.finding(topo, wif, f"{who} is {state}", field=("provider_id",))
            if _norm(found.condition) != _norm(wif.attribute_condition):
                if not found.condition:
                    what = "has no attribute condition: every identity of the AWS account is admitted"
                else:
                    what = f"has attribute condition {found.condition!r}"
                spec = repr(wif.attribute_condition) if wif.attribute_condition else "none"
                yield self.finding(topo, wif, f"{who} {what}; the spec's is {spec}", field=("attribute_condition",))
            if found.aws_account != wif.aws_account_id:
                yield self.finding(topo, wif, f"{who} trusts AWS account {found.aws_account or 'none'}; the spec's is "
                                   f"{wif.aws_account_id}", field=("aws_account_id",))
