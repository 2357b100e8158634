from __future__ import annotations

import re

from ..finding import Severity
from ..registry import Rule, register

# A CEL condition tests the AWS identity only through these variables.
_IDENTITY = re.compile(r"\b(assertion|attribute)\.")


@register
class MissingAttributeCondition(Rule):
    """A Google Workload Identity pool provider for AWS has no attribute condition, or one that does not test the
    identity (e.g. `true`: it names neither `assertion.` nor `attribute.`). Every role and user of the AWS
    account can then exchange its credentials for Google tokens."""

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
            elif not _IDENTITY.search(cond):
                yield self.finding(
                    topo, wif, f"{who} has attribute condition '{cond}', which does not test the identity: every "
                    "identity of the account can federate",
                    field=("attribute_condition",),
                )
