from __future__ import annotations

from ...audit.cel import judge
from ..finding import Severity
from ..registry import Rule, register


@register
class MissingAttributeCondition(Rule):
    """A Google Workload Identity pool provider for AWS has no attribute condition, or one that tokens an attacker
    holds satisfy: the condition is evaluated (CEL, cel-python) against tokens of other roles of the account and
    with empty claims, so `true || false` or `assertion.arn != ''` are found however they are spelled. A condition
    that is not valid CEL is reported too (Google refuses it). Every role and user of the AWS account can then
    exchange its credentials for Google tokens. `xcloud audit-trust` gives live providers the same verdict
    (audit.cel)."""

    id = "XC506"
    title = "Workload Identity provider without an attribute condition"
    severity = Severity.error
    tags = ("identity", "security", "gcp")
    fix_hint = (
        "Set attribute_condition to the AWS roles allowed, e.g. "
        "attribute.aws_role == 'arn:aws:sts::111122223333:assumed-role/replicator'."
    )

    def check(self, topo):
        for wif in topo.spec.trust.workload_identity:
            who = (
                f"workload identity '{wif.name}' (provider '{wif.provider_id}' of pool '{wif.pool_id}' in project "
                f"'{wif.project}', trusting AWS account {wif.aws_account_id})"
            )
            cond = (wif.attribute_condition or "").strip()
            if not cond:
                yield self.finding(
                    topo, wif, f"{who} has no attribute condition: every identity of the account can federate",
                    field=("attribute_condition",),
                )
                continue
            verdict = judge(cond, aws_account=wif.aws_account_id)
            if verdict.invalid:
                yield self.finding(
                    topo, wif, f"{who} has attribute condition '{cond}', which {verdict.describe()}: Google refuses it",
                    field=("attribute_condition",),
                )
            elif verdict.open:
                yield self.finding(
                    topo, wif, f"{who} has attribute condition '{cond}', which {verdict.describe()}: every identity "
                    "of the account can federate",
                    field=("attribute_condition",),
                )
