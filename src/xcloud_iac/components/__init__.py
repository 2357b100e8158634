"""Pulumi components, one module per logical entity. Each takes a typed Args dataclass, checks it before creating
any child (raising ComponentArgsError), names children from spec keys, and registers its outputs last.

`xcloud_iac.program.deploy()` builds all of them from a stack; each can also be used on its own in a team stack.
"""

from ._attach import TgwAttachPoint, TgwRoute, WanAttachPoint
from ._common import AllocatedDnsTargets, ComponentArgsError, DnsTarget
from .cloud_dns import (
    CloudDnsForwarding,
    CloudDnsForwardingArgs,
    ForwarderSubnet,
    ForwardingZoneArgs,
    InboundPolicyArgs,
)
from .cloud_wan import CloudWanCore, CloudWanCoreArgs, WanVpcRef
from .external_link import DirectConnectLink, DirectConnectLinkArgs
from .hub_attachment import AttachedVpc, HubAttachment, HubAttachmentArgs
from .interconnect import AwsGcpInterconnect, AwsGcpInterconnectArgs
from .monitoring import FlowLogTarget, LinkMonitoring, LinkMonitoringArgs, ProbeArgs
from .networks import AwsNetwork, AwsNetworkArgs, GcpNetwork, GcpNetworkArgs
from .oidc_trust import OidcIssuer, OidcIssuerArgs, OidcTrustRole, OidcTrustRoleArgs
from .operator import OperatorRole, OperatorRoleArgs
from .resolver import (
    EndpointAddress,
    ResolverEndpointArgs,
    ResolverForwarding,
    ResolverForwardingArgs,
    ResolverRuleArgs,
)
from .transit_hub import PeerHub, TransitHub, TransitHubArgs, VpcRef
from .workload_identity import GcpWorkloadIdentityForAws, GcpWorkloadIdentityForAwsArgs

__all__ = [
    "AllocatedDnsTargets",
    "AttachedVpc",
    "AwsGcpInterconnect",
    "AwsGcpInterconnectArgs",
    "AwsNetwork",
    "AwsNetworkArgs",
    "CloudDnsForwarding",
    "CloudDnsForwardingArgs",
    "CloudWanCore",
    "CloudWanCoreArgs",
    "ComponentArgsError",
    "DirectConnectLink",
    "DirectConnectLinkArgs",
    "DnsTarget",
    "EndpointAddress",
    "FlowLogTarget",
    "ForwarderSubnet",
    "ForwardingZoneArgs",
    "GcpNetwork",
    "GcpNetworkArgs",
    "GcpWorkloadIdentityForAws",
    "GcpWorkloadIdentityForAwsArgs",
    "HubAttachment",
    "HubAttachmentArgs",
    "InboundPolicyArgs",
    "LinkMonitoring",
    "LinkMonitoringArgs",
    "OidcIssuer",
    "OidcIssuerArgs",
    "OidcTrustRole",
    "OidcTrustRoleArgs",
    "OperatorRole",
    "OperatorRoleArgs",
    "PeerHub",
    "ProbeArgs",
    "ResolverEndpointArgs",
    "ResolverForwarding",
    "ResolverForwardingArgs",
    "ResolverRuleArgs",
    "TgwAttachPoint",
    "TgwRoute",
    "TransitHub",
    "TransitHubArgs",
    "VpcRef",
    "WanAttachPoint",
    "WanVpcRef",
]
