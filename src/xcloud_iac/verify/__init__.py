"""`xcloud verify`: the live AWS and Google sides of a deployed stack against its spec (rules XC700..XC712 for
AWS, XC720..XC730 for Google; XC700 for whatever could not be read on either side).

    from xcloud_iac import load
    from xcloud_iac.verify import AwsOptions, GcpOptions, verify
    report = verify(load("stacks/dr-pair.yaml"))            # boto3's chain and Application Default Credentials
    report = verify(stack, options=AwsOptions(endpoint_url="http://127.0.0.1:5000"),           # emulators
                    google=GcpOptions(endpoint="http://127.0.0.1:8085", anonymous=True))
    report = verify(stack, clouds=("gcp",))                 # one side only

What is read on AWS: Transit Gateways (route tables, every static and propagated route, associations, propagations,
attachments), Direct Connect gateways and their associations (with Transit Gateways, and the core network
association a Cloud WAN attachment makes), Route 53 Resolver endpoints, rules and rule associations, IAM OIDC
providers and role trust policies, Cloud WAN core networks (their ARN; segments, attachments and the core's routes
are not read yet), and the route tables of the VPCs attached to the stack's hubs that the stack owns (XC711, XC712:
the routes towards the hubs against topology.dataplane.vpc_routes).
On Google (gcp_read.py): Transports (state, advertised routes), their VPC peering (custom route exchange, routes
received and sent), the stack's networks, firewall rules and routes, Cloud DNS forwarding zones and server
policies, Workload Identity pools and providers.

Exit status of the command: 0 clean, 1 findings at or above --fail-on, 2 unusable spec, 3 partial report (part
of the live state could not be read: XC700 says what and why; the findings that could be checked are reported).
"""

from __future__ import annotations

from collections.abc import Collection

import boto3

from ..checks import BLOCKING_RULES, Finding, Report, all_rules, check
from ..checks.live import live_rule_classes
from ..checks.live.state import LiveState
from ..spec import models as m
from .aws import AwsOptions, ClientFactory, Clients
from .gcp import GcpOptions, GoogleClients
from .gcp_read import read_google_state
from .read import read_live_state
from .watch import Change, render_change, stop_on_signals, watch

CLOUDS = ("aws", "gcp")
EXIT_PARTIAL = 3
UNREAD_RULE = "XC700"


def verify(
    stack: m.Stack,
    *,
    session: boto3.Session | None = None,
    options: AwsOptions | None = None,
    clients: ClientFactory | None = None,
    home_region: str | None = None,
    google: GcpOptions | None = None,
    google_clients: GoogleClients | None = None,
    clouds: Collection[str] = CLOUDS,
) -> Report:
    """Findings of the live rules for a deployed stack, waivers applied, sorted. A report whose spec is unusable
    (XC101/XC102) is returned before anything is read. `clients` replaces the boto3 clients (tests: Stubber);
    `clouds` limits the read to one side (the other side's rules then find nothing)."""
    blocking = check(stack, [r for r in all_rules() if r.id in BLOCKING_RULES])
    if blocking.unusable:
        return blocking
    unknown = set(clouds) - set(CLOUDS)
    if unknown:
        raise ValueError(f"unknown cloud(s) {', '.join(sorted(unknown))}; expected {' or '.join(CLOUDS)}")
    if "aws" in clouds:
        if clients is None:
            factory = Clients(session, options or AwsOptions())
            clients, home_region = factory, home_region or factory.home_region
        live = read_live_state(stack, clients, home_region or "us-east-1")
    else:
        live = LiveState(stack.name)
    if "gcp" in clouds:
        read_google_state(stack, google_clients or GoogleClients(google), live)
    return check(stack, [cls(live) for cls in live_rule_classes()])


def unread(report: Report | None) -> list[Finding]:
    """The XC700 findings: what could not be read. A report with any is partial."""
    return [f for f in report.findings if f.rule == UNREAD_RULE] if report else []


__all__ = [
    "CLOUDS", "EXIT_PARTIAL", "AwsOptions", "Change", "Clients", "GcpOptions", "GoogleClients", "read_google_state",
    "read_live_state", "render_change", "stop_on_signals",
    "unread", "verify", "watch",
]
