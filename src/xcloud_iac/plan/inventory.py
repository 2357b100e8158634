"""The offline plan: every resource deploy() would register, found by running it under Pulumi mocks.

`plan_stack(stack)` runs deploy() in this process under fresh mocks (the plan/mocks recorder) and returns an
`Inventory`: for each resource its type, logical name, parent, the component it belongs to, whether it is protected
or read (an existing resource), and its inputs with every secret one masked as `[secret]`. Only those masked values
leave the run. `xcloud plan` and `xcloud diff` call it in a worker process (see runner.py) so Pulumi's global state
and event loop stay out of the caller; tests may call it directly.

A resource is identified like its URN without stack and project: the parent chain of types, `$`-joined, then `::`
and the logical name (`xcloud:aws:Network$aws:ec2/vpc:Vpc::aws-prod-vpc`). The mocks give every resource an id of
the shape its cloud gives (`plan.mocks.mock_id`), derived from its logical name.

`KEY_INPUTS` is the curated list of inputs per type a reviewer looks at; the others are only named.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi

from .. import collector
from ..checks import check_many
from ..spec import models as m

SECRET = "[secret]"
ROOT_TYPE = "pulumi:pulumi:Stack"

# type token -> the inputs that matter to a reviewer, in display order. Every input that forces a replacement
# (immutable.py) is among them, so the plan shows what a diff would replace on.
KEY_INPUTS: dict[str, tuple[str, ...]] = {
    "pulumi:providers:aws-native": ("region",),
    "aws:ec2/vpc:Vpc": ("cidrBlock", "region"),
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": ("cidrBlock", "vpcId", "region"),
    "aws:ec2/subnet:Subnet": ("cidrBlock", "availabilityZone", "vpcId", "region"),
    "aws:ec2/routeTable:RouteTable": ("vpcId", "region"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ("subnetId", "routeTableId", "region"),
    "aws:ec2/route:Route": (
        "routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "transitGatewayId", "coreNetworkArn",
        "region"),
    "gcp:compute/firewall:Firewall": (
        "network", "direction", "sourceRanges", "allows", "priority", "logConfig", "project"),
    "gcp:compute/networkPeering:NetworkPeering": (
        "network", "peerNetwork", "importCustomRoutes", "exportCustomRoutes", "stackType"),
    "aws:ec2/securityGroup:SecurityGroup": ("vpcId", "ingress", "egress", "description", "region"),
    "gcp:compute/network:Network": ("project", "mtu", "routingMode", "autoCreateSubnetworks"),
    "gcp:compute/subnetwork:Subnetwork": ("ipCidrRange", "region", "network", "stackType", "project"),
    "aws:ec2transitgateway/transitGateway:TransitGateway": (
        "amazonSideAsn", "region", "defaultRouteTableAssociation", "defaultRouteTablePropagation"),
    "aws:ec2transitgateway/routeTable:RouteTable": ("transitGatewayId", "region"),
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": ("vpcId", "subnetIds", "transitGatewayId", "region"),
    "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation": (
        "transitGatewayAttachmentId", "transitGatewayRouteTableId", "region"),
    "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation": (
        "transitGatewayAttachmentId", "transitGatewayRouteTableId", "region"),
    "aws:ec2transitgateway/route:Route": (
        "destinationCidrBlock", "transitGatewayAttachmentId", "blackhole", "transitGatewayRouteTableId", "region"),
    "aws:ec2transitgateway/peeringAttachment:PeeringAttachment": (
        "transitGatewayId", "peerTransitGatewayId", "peerRegion", "peerAccountId", "region"),
    "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter": (
        "transitGatewayAttachmentId", "region"),
    "aws:networkmanager/globalNetwork:GlobalNetwork": ("description",),
    "aws:networkmanager/coreNetwork:CoreNetwork": ("globalNetworkId", "basePolicyDocument"),
    "aws:networkmanager/coreNetworkPolicyAttachment:CoreNetworkPolicyAttachment": ("coreNetworkId", "policyDocument"),
    "aws:networkmanager/vpcAttachment:VpcAttachment": ("coreNetworkId", "vpcArn", "subnetArns"),
    "aws:networkmanager/dxGatewayAttachment:DxGatewayAttachment": (
        "coreNetworkId", "directConnectGatewayArn", "edgeLocations"),
    "aws:directconnect/gateway:Gateway": ("amazonSideAsn",),
    "aws:directconnect/gatewayAssociation:GatewayAssociation": (
        "dxGatewayId", "associatedGatewayId", "allowedPrefixes", "region"),
    "aws:directconnect/transitVirtualInterface:TransitVirtualInterface": (
        "connectionId", "dxGatewayId", "vlan", "bgpAsn", "addressFamily", "mtu", "region"),
    "aws:directconnect/bgpPeer:BgpPeer": ("virtualInterfaceId", "bgpAsn", "addressFamily", "region"),
    "gcp:networkconnectivity/transport:Transport": (
        "network", "remoteProfile", "region", "bandwidth", "stackType", "advertisedRoutes", "remoteAccountId",
        "providedActivationKey", "project"),
    "aws-native:interconnect:Connection": (
        "attachPoint", "bandwidth", "activationKey", "environmentId", "remoteAccount"),
    "aws:route53/resolverEndpoint:ResolverEndpoint": (
        "direction", "ipAddresses", "securityGroupIds", "region"),
    "aws:route53/resolverRule:ResolverRule": ("domainName", "ruleType", "targetIps", "resolverEndpointId", "region"),
    "aws:route53/resolverRuleAssociation:ResolverRuleAssociation": ("resolverRuleId", "vpcId", "region"),
    "gcp:dns/managedZone:ManagedZone": (
        "dnsName", "visibility", "forwardingConfig", "privateVisibilityConfig", "project"),
    "gcp:dns/policy:Policy": ("enableInboundForwarding", "networks", "project"),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": ("url", "clientIdLists"),
    "aws:iam/role:Role": ("assumeRolePolicy", "maxSessionDuration"),
    "aws:iam/rolePolicy:RolePolicy": ("role", "policy"),
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": ("workloadIdentityPoolId", "project"),
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": (
        "workloadIdentityPoolId", "workloadIdentityPoolProviderId", "attributeCondition", "aws", "project"),
    "gcp:serviceaccount/iAMMember:IAMMember": ("serviceAccountId", "role", "member"),
    "aws:networkmonitor/monitor:Monitor": ("monitorName", "region"),
    "aws:networkmonitor/probe:Probe": ("monitorName", "sourceArn", "destination", "protocol", "region"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("metricName", "comparisonOperator", "threshold", "dimensions"),
    "aws:cloudwatch/logGroup:LogGroup": ("name", "retentionInDays", "region"),
    "aws:kms/key:Key": ("enableKeyRotation", "region"),
    "aws:kms/alias:Alias": ("name", "region"),
    "aws:sns/topic:Topic": ("name", "kmsMasterKeyId", "region"),
    "aws:ec2/flowLog:FlowLog": (
        "vpcId", "transitGatewayId", "trafficType", "logDestinationType", "logDestination", "iamRoleArn",
        "maxAggregationInterval", "region"),
}


@dataclass(frozen=True)
class Resource:
    type: str
    name: str
    key: str
    """URN without stack and project: parent types `$`-joined, `::`, logical name. Identifies the resource."""
    parent: str
    """Logical name of the parent ("" under the stack itself)."""
    component: str
    """The top-level component the resource belongs to (itself, for a top-level one)."""
    component_type: str
    custom: bool
    inputs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    """Every input, camelCase, secrets masked."""
    secret_inputs: tuple[str, ...] = ()
    protect: bool = False
    read: bool = False
    """An existing resource read by id, never created."""
    depends_on: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    """input -> keys of the resources it takes its value from."""
    aliases: tuple[str, ...] = ()
    """Keys this resource had under earlier names (a renamed spec object's `previous_names`), oldest first."""
    ignore_changes: tuple[str, ...] = ()
    """Inputs whose changes `pulumi up` ignores once the resource exists (create-only values fed from outputs)."""
    replacement_trigger: str = ""
    """The `replacement_trigger` option (JSON): a change replaces the resource, whatever its inputs do."""
    provider: str = ""
    """Key of the explicit provider resource it is created with ("" for the default provider)."""

    def key_inputs(self) -> dict[str, Any]:
        """The curated inputs of this type that are set, in display order."""
        return {n: self.inputs[n] for n in KEY_INPUTS.get(self.type, ()) if n in self.inputs}

    def other_inputs(self) -> list[str]:
        """Names of the inputs that are set but not curated for this type."""
        curated = set(KEY_INPUTS.get(self.type, ()))
        return sorted(n for n in self.inputs if n not in curated)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type, "name": self.name, "parent": self.parent, "component": self.component,
            "key": self.key, "custom": self.custom, "protect": self.protect, "read": self.read,
            "inputs": self.key_inputs(), "other_inputs": self.other_inputs(),
            "secret_inputs": list(self.secret_inputs),
        }

    # the worker sends resources as dicts of plain data
    def to_wire(self) -> dict[str, Any]:
        return {**self.__dict__, "depends_on": {k: list(v) for k, v in self.depends_on.items()}}

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Resource:
        return cls(**{**data, "secret_inputs": tuple(data["secret_inputs"]), "aliases": tuple(data["aliases"]),
                      "ignore_changes": tuple(data["ignore_changes"]),
                      "depends_on": {k: tuple(v) for k, v in data["depends_on"].items()}})


@dataclass
class Inventory:
    stack: str
    resources: list[Resource] = field(default_factory=list)
    """Sorted by component, then key."""

    def by_key(self) -> dict[str, Resource]:
        return {r.key: r for r in self.resources}

    def components(self) -> list[tuple[str, str, list[Resource]]]:
        """(component name, component type, its resources - the component first) in name order."""
        groups: dict[tuple[str, str], list[Resource]] = {}
        for r in self.resources:
            groups.setdefault((r.component, r.component_type), []).append(r)
        return [(name, token, rs) for (name, token), rs in sorted(groups.items())]

    def counts(self) -> Counter[str]:
        return Counter(r.type for r in self.resources)

    def to_dict(self) -> dict[str, Any]:
        return {"stack": self.stack, "resources": [r.to_dict() for r in self.resources]}


class PlanRefused(Exception):
    """deploy() registered nothing: error findings, or arguments a component rejects (the problems)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def plan_stack(stack: m.Stack, on_register: Callable[[int], None] | None = None, *,
               past_errors: bool = False, organisation: Sequence[m.Stack] = ()) -> Inventory:
    """Run deploy(stack) under fresh Pulumi mocks in this process and list what it registers. `on_register` is
    called with the running count. Raises PlanRefused when deploy() refuses (and so registers nothing).

    `past_errors` plans a stack whose error findings would stop deploy() as if each were waived on its object
    (waive_errors; changes `stack`) - for a diff, which must show what a change replaces even while it still has
    findings to fix. Unusable stacks (XC101, XC102) and arguments a component rejects still refuse.

    `organisation` holds the other files of an organisation-wide plan: checked with the stack, never registered.
    The outputs of the stacks this file attaches to (`hub_stack`) are those their files plan to."""
    from ..program import DeploymentBlocked, deploy
    from .mocks import install, run

    if past_errors:
        waive_errors(stack, organisation)
    references = _hub_stack_outputs(stack, organisation)

    count = 0

    def registered(_resource) -> None:
        nonlocal count
        count += 1
        if on_register is not None:
            on_register(count)

    quiet = logging.getLogger("xcloud_iac.plan.program")  # warnings are findings, which the plan lists itself
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False
    _mocks, recorder = install(registered, logger=quiet, stack_references=references)
    # The collector is paused for the whole plan: the SDK allocates a few dozen objects per resource, and the
    # collections walking them were 60% of a plan's time.
    with collector.paused():
        try:
            with contextlib.redirect_stderr(io.StringIO()):  # deploy() prints why it refuses; the caller reports it
                run(lambda: deploy(stack, export=False, organisation=organisation, contracts=False))
        except DeploymentBlocked as blocked:
            raise PlanRefused([f"{f.severity.value} {f}" for f in blocked.findings] + blocked.problems) from None
        return inventory_of(stack.name, recorder.registered)


def _hub_stack_outputs(stack: m.Stack, organisation: Sequence[m.Stack]) -> dict[str, dict[str, Any]]:
    """hub_stack -> the outputs the file declaring the hub plans to export, for this file's hub attachments."""
    from ..program import deploy
    from .mocks import install, run

    declared = {h.name: other for other in organisation for h in other.hubs}
    wanted = {a.hub_stack: declared[a.hub] for a in stack.hub_attachments if a.hub_stack and a.hub in declared}
    outputs = {}
    for name, other in sorted(wanted.items()):
        install()
        with contextlib.redirect_stderr(io.StringIO()):
            outputs[name] = run(lambda other=other: pulumi.Output.from_input(  # type: ignore[misc]
                deploy(other, export=False).outputs))
    return outputs


def waive_errors(stack: m.Stack, organisation: Sequence[m.Stack] = ()) -> int:
    """Waive, on the objects they are about, the error findings that would stop deploy(): the stack then plans as
    a pull request's author would deploy it once they are dealt with. Returns how many are left (unwaivable: not
    about an object, or the stack is unusable). Changes `stack` in place."""
    report = check_many([stack, *organisation])
    if report.unusable:
        return len(report.errors)
    owners = {(obj.spec_file, path): obj for path, obj in stack.objects() if path}
    left = 0
    for finding in report.errors:
        file, path = finding.subject or (None, ())
        owner = next((o for end in range(len(path), 0, -1)
                      if isinstance(o := owners.get((file, path[:end])), m.Named)), None)
        if owner is None:
            left += 1
        else:  # the object or its nearest named parent, as the engine looks waivers up
            owner.ignore.append(m.Waiver(rule=finding.rule, reason="planned past this finding by xcloud diff"))
    return left


def inventory_of(stack: str, registered: list) -> Inventory:
    """An inventory from the recorder's registrations (plan/mocks.Registered)."""
    by_urn = {r.urn: r for r in registered}

    def key(urn: str) -> str:  # drop "urn:pulumi:<stack>", "<project>" and the root stack (as real URNs do)
        return urn.split("::", 2)[2].removeprefix(f"{ROOT_TYPE}$")

    def top(r) -> Any:
        while r.parent in by_urn:
            r = by_urn[r.parent]
        return r

    resources = []
    for r in registered:
        owner = top(r)
        parent = by_urn.get(r.parent)
        resources.append(Resource(
            type=r.type, name=r.name, key=key(r.urn), parent=parent.name if parent else "",
            component=owner.name, component_type=owner.type, custom=r.custom,
            inputs={k: SECRET if k in r.secret_inputs else _plain(v) for k, v in sorted(r.inputs.items())},
            secret_inputs=tuple(sorted(r.secret_inputs)), protect=r.protect, read=r.read,
            depends_on={k: tuple(sorted(key(u) for u in urns if u in by_urn))
                        for k, urns in sorted(r.property_dependencies.items())},
            aliases=tuple(f"{key(r.urn).rsplit('::', 1)[0]}::{alias}" for alias in r.aliases),
            ignore_changes=tuple(sorted(r.ignore_changes)),
            replacement_trigger=r.replacement_trigger,
            provider=key(r.provider) if r.provider in by_urn else "",
        ))
    live = {r.key for r in resources}
    clashes = sorted(f"{alias.rsplit('::', 1)[-1]} (an earlier name of {r.name}) is the name of another "
                     f"{r.type} of the stack: choose another new name, or drop that previous name"
                     for r in resources for alias in r.aliases if alias in live)
    if clashes:  # the engine refuses an alias that is a live resource's URN
        raise PlanRefused(clashes)
    # a component first in its group, then its children by key
    resources.sort(key=lambda r: (r.component, r.component_type, r.custom, r.key))
    return Inventory(stack, resources)


def _plain(value: Any) -> Any:
    """An input as the program gave it: the engine's protobuf numbers are doubles, so 64512 arrives as 64512.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):  # keys sorted: the engine does not keep their order
        return {k: _plain(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
