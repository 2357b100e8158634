from __future__ import annotations

from ..finding import Severity
from ..registry import Rule, register


@register
class KeyFlowIncomplete(Rule):
    """An interconnect lacks what its activation-key flow needs, so one end's create call is refused. When Google
    generates the key (`activation_key_from: gcp`), the Transport is created without a key, and Google then
    requires bandwidth, remote account id and remote profile together: the remote account is the AWS account
    (`aws.account`). When AWS generates it, the Connection is created from `aws.environment_id`, bandwidth and the
    remote account, and `environment_id` is refused with a key (the two are mutually exclusive)."""

    id = "XC606"
    title = "Interconnect key flow incomplete"
    severity = Severity.error
    tags = ("interconnect",)
    fix_hint = ("With activation_key_from: gcp set aws.account (the AWS account id); with activation_key_from: aws "
                "set aws.environment_id.")

    def check(self, topo):
        for ic in topo.spec.interconnects:
            if ic.activation_key_from == "gcp":
                if not ic.aws.account:
                    yield self.finding(
                        topo, ic.aws,
                        f"interconnect '{ic.name}': Google generates the key, so its transport is created with "
                        "the AWS account as remote account (with bandwidth and remote profile), but aws.account "
                        "is not set",
                    )
                if ic.aws.environment_id:
                    yield self.finding(
                        topo, ic.aws,
                        f"interconnect '{ic.name}': aws.environment_id creates the connection on the AWS side, "
                        "which is exclusive with accepting Google's key (activation_key_from: gcp)",
                        field=("environment_id",),
                    )
            elif not ic.aws.environment_id:
                yield self.finding(
                    topo, ic.aws,
                    f"interconnect '{ic.name}': AWS generates the key, so its connection is created from "
                    "aws.environment_id, which is not set",
                )
