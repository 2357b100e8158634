"""`xcloud verify`: the live AWS side of a deployed stack against its spec (rules XC700..XC709).

    from xcloud_iac import load
    from xcloud_iac.verify import AwsOptions, verify
    report = verify(load("stacks/dr-pair.yaml"))            # boto3's standard credential chain
    report = verify(stack, options=AwsOptions(endpoint_url="http://127.0.0.1:5000"))   # an emulator

What is read: Transit Gateways (route tables, every static and propagated route, associations, propagations,
attachments), Direct Connect gateways and their associations, Route 53 Resolver endpoints, rules and rule
associations, IAM OIDC providers and role trust policies. Cloud WAN cores and the Google side are not read yet.

Exit status of the command: 0 clean, 1 findings at or above --fail-on, 2 unusable spec, 3 partial report (part
of the live state could not be read: XC700 says what and why; the findings that could be checked are reported).
"""

from __future__ import annotations

import boto3

from ..checks import BLOCKING_RULES, Finding, Report, all_rules, check
from ..checks.live import live_rule_classes
from ..spec import models as m
from .aws import AwsOptions, ClientFactory, Clients
from .read import read_live_state
from .watch import Change, render_change, stop_on_signals, watch

EXIT_PARTIAL = 3
UNREAD_RULE = "XC700"


def verify(
    stack: m.Stack,
    *,
    session: boto3.Session | None = None,
    options: AwsOptions | None = None,
    clients: ClientFactory | None = None,
    home_region: str | None = None,
) -> Report:
    """Findings of the live rules for a deployed stack, waivers applied, sorted. A report whose spec is unusable
    (XC101/XC102) is returned before anything is read. `clients` replaces the boto3 clients (tests: Stubber)."""
    blocking = check(stack, [r for r in all_rules() if r.id in BLOCKING_RULES])
    if blocking.unusable:
        return blocking
    if clients is None:
        factory = Clients(session, options or AwsOptions())
        clients, home_region = factory, home_region or factory.home_region
    live = read_live_state(stack, clients, home_region or "us-east-1")
    return check(stack, [cls(live) for cls in live_rule_classes()])


def unread(report: Report | None) -> list[Finding]:
    """The XC700 findings: what could not be read. A report with any is partial."""
    return [f for f in report.findings if f.rule == UNREAD_RULE] if report else []


__all__ = [
    "EXIT_PARTIAL", "AwsOptions", "Change", "Clients", "read_live_state", "render_change", "stop_on_signals",
    "unread", "verify", "watch",
]
