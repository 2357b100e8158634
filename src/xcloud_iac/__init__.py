"""xcloud-iac: one declarative, pre-checked stack for AWS <-> Google Cloud (and beyond) private networking.

    from xcloud_iac import load, check, deploy
    stack = load("stacks/dr-pair.yaml")
    report = check(stack)          # findings, no cloud access needed
    deploy(stack)                  # inside a Pulumi program: refuses to register anything on an error finding

Components can also be used one by one, e.g. `from xcloud_iac import OidcTrustRole, OidcTrustRoleArgs`.
Every name is imported on first use: validation never pays for importing the provider SDKs, and the `xcloud`
command (xcloud_iac.cli, below this package) starts without loading the spec models or the rules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .checks import Finding, Report, Severity, check
    from .program import DeploymentBlocked, deploy
    from .spec import Location, SpecError, Stack, load, load_text
    from .topology.build import Topology, build

_LAZY = {
    **dict.fromkeys(("Finding", "Report", "Severity", "check"), "xcloud_iac.checks"),
    **dict.fromkeys(("Location", "SpecError", "Stack", "load", "load_text"), "xcloud_iac.spec"),
    **dict.fromkeys(("Topology", "build"), "xcloud_iac.topology"),
    "deploy": "xcloud_iac.program",
    "DeploymentBlocked": "xcloud_iac.program",
}
_COMPONENTS = "xcloud_iac.components"
# The component classes and their Args, importable from here (kept equal to components.__all__ by a test).
COMPONENT_NAMES = (
    "AllocatedDnsTargets", "AttachedVpc", "AwsGcpInterconnect", "AwsGcpInterconnectArgs", "AwsNetwork",
    "AwsNetworkArgs", "CloudDnsForwarding", "CloudDnsForwardingArgs", "CloudWanCore", "CloudWanCoreArgs",
    "ComponentArgsError", "DirectConnectLink", "DirectConnectLinkArgs", "DnsTarget", "EndpointAddress",
    "FlowLogTarget", "ForwarderSubnet", "ForwardingZoneArgs", "GcpNetwork", "GcpNetworkArgs",
    "GcpWorkloadIdentityForAws", "GcpWorkloadIdentityForAwsArgs", "HubAttachment", "HubAttachmentArgs",
    "InboundPolicyArgs", "LinkMonitoring", "LinkMonitoringArgs", "OidcIssuer", "OidcIssuerArgs", "OidcTrustRole",
    "OidcTrustRoleArgs", "OperatorRole", "OperatorRoleArgs", "PeerHub", "ProbeArgs", "ResolverEndpointArgs",
    "ResolverForwarding", "ResolverForwardingArgs", "ResolverRuleArgs", "TgwAttachPoint", "TgwRoute", "TransitHub",
    "TransitHubArgs", "VpcRef", "WanAttachPoint", "WanVpcRef",
)

__all__ = [
    "DeploymentBlocked", "Finding", "Location", "Report", "Severity", "SpecError", "Stack", "Topology", "__version__",
    "build", "check", "deploy", "load", "load_text", *COMPONENT_NAMES,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in COMPONENT_NAMES:
        return getattr(importlib.import_module(_COMPONENTS), name)
    raise AttributeError(f"module 'xcloud_iac' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | set(COMPONENT_NAMES))
