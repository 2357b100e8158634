"""`deploy(stack)`: the whole stack as Pulumi components, inside a Pulumi program (`pulumi up`).

1. Check: any error finding (or an unusable spec) stops here, before anything is registered: the findings are
   printed and `DeploymentBlocked` is raised.
2. Preflight: every component's arguments are built from the spec, with placeholders where they will refer to
   other components' outputs, and validated. A problem stops here too, still with nothing registered.
3. Build, in graph order: networks, then hubs, then what attaches to them (interconnects, external links), DNS,
   trust, and monitoring last. Components receive each other's resources and outputs, never ids as strings, and
   depend only on what they use, so the resource graph stays wide.
4. Export the ids team stacks consume through a StackReference (sorted keys, present even when empty).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import networkx as nx
import pulumi
import pulumi_aws_native as aws_native

from . import components as c
from .checks import Finding, check
from .components._renames import alias_transformation, renamed_objects
from .components.networks import CREATED_ROUTE_TABLE
from .spec import catalog, load
from .spec import models as m
from .topology import Topology, build, dataplane

Node = tuple[str, str]  # (kind, key), e.g. ("hub", "tgw-use1")

# Build order between kinds that do not depend on each other (dependencies come first regardless).
_RANK = {"network": 0, "hub": 1, "hub_attachment": 2, "interconnect": 2, "link": 2, "resolver": 3, "cloud_dns": 3,
         "issuer": 4, "role": 5, "workload_identity": 5, "monitoring": 6, "operator": 6}


@dataclass(frozen=True)
class StackOutput:
    """One output of the platform stack, as team stacks read it with `StackReference.get_output(name)`."""

    name: str
    type: str
    """The value's shape, keyed by spec names."""
    description: str


# The platform stack's output contract. Every key is exported, present (possibly empty) even when the stack has
# nothing of its kind, and keyed by spec names, so a team stack's reference never breaks on a missing key. Keys
# and shapes are stable: a key is added, never renamed or removed, within a major version.
OUTPUT_CONTRACT: tuple[StackOutput, ...] = (
    StackOutput("dxGatewayIds", "{interconnect or link: string}",
                "Direct Connect gateway id of each interconnect and external link."),
    StackOutput("hubIds", "{hub: string}", "Transit gateway id, or Cloud WAN core network id, of each hub."),
    StackOutput("networkIds", "{network: string}",
                "VPC id of each AWS network; network id (projects/P/global/networks/N) of each Google network."),
    StackOutput("oidcIssuerUrls", "{issuer: string}",
                "The https URL of each OIDC issuer that has an IAM OIDC provider in the stack."),
    StackOutput("oidcProviderArns", "{issuer: string}",
                "ARN of the IAM OIDC provider of each issuer. AWS allows one provider per issuer URL in an "
                "account: a team stack passes it as `OidcTrustRoleArgs.provider_arn` instead of creating another."),
    StackOutput("operatorRoleArn", "string",
                "ARN of the stack's operator role (least privilege; deletes denied without MFA), for the people and "
                "pipelines that operate the interconnects and hubs; empty when the stack creates none."),
    StackOutput("resolverEndpointIds", "{endpoint: string}", "Id of each Route 53 Resolver endpoint."),
    StackOutput("resolverInboundAddresses", "{endpoint: [string]}",
                "The addresses of each inbound Resolver endpoint (sorted), the targets to forward queries to."),
    StackOutput("resolverRuleIds", "{rule: string}", "Id of each Route 53 Resolver forwarding rule."),
    StackOutput("roleArns", "{role: string}", "ARN of each OIDC-trusted IAM role."),
    StackOutput("routeTableIds", "{hub: {route table: string}}", "Id of each Transit Gateway route table."),
    StackOutput("subnetIds", "{network: {subnet: string}}", "Id of each subnet the stack creates, AWS and Google."),
    StackOutput("workloadIdentityProviders", "{workload identity: string}",
                "Full resource name of each Workload Identity pool provider."),
)
OUTPUT_KEYS = tuple(o.name for o in OUTPUT_CONTRACT)


def output_contract_markdown() -> str:
    """docs/outputs.md: the output contract as a table (regenerated from OUTPUT_CONTRACT; a test compares)."""
    lines = [
        "# Outputs of a platform stack",
        "",
        "`deploy()` exports these outputs. A team stack reads them with `pulumi.StackReference(\"org/platform/prod\")`",
        "and `.get_output(\"<name>\")`, then indexes by spec name (see `examples/team-stack`). Every key is present,",
        "possibly empty, and keyed by the names in the spec. Keys and shapes are stable: within a major version a key",
        "is added, never renamed or removed.",
        "",
        "| output | shape | what it holds |",
        "|---|---|---|",
        *(f"| `{o.name}` | `{o.type}` | {o.description} |" for o in OUTPUT_CONTRACT),
        "",
    ]
    return "\n".join(lines)


class DeploymentBlocked(Exception):
    """deploy() refused to register anything: the stack has error findings, or a component rejects its arguments."""

    def __init__(self, stack: str, findings: Iterable[Finding] = (), problems: Iterable[str] = ()) -> None:
        self.findings = list(findings)
        self.problems = list(problems)
        lines = [f"{f.severity.value} {f}\n    hint: {f.hint}" for f in self.findings] + self.problems
        count = len(self.findings) + len(self.problems)
        header = f"stack '{stack}' was not deployed (nothing registered): {count} problem(s)"
        super().__init__("\n".join([header, *lines]))


@dataclass
class Deployment:
    stack: m.Stack
    components: dict[Node, pulumi.ComponentResource] = field(default_factory=dict)
    """Every component, by (kind, key), in build order."""
    outputs: dict[str, Any] = field(default_factory=dict)
    """The stack outputs (also exported)."""


def deploy(stack_or_path: m.Stack | str | Path, *, export: bool = True,
           parent: pulumi.Resource | None = None,
           organisation: Sequence[m.Stack | str | Path] = (),
           contracts: bool | None = None) -> Deployment:
    """Build a checked stack inside the running Pulumi program. Raises DeploymentBlocked (registering nothing)
    on an error finding, an argument a component rejects, or a planned resource the clouds' APIs would refuse
    (contract findings, XC8xx); SpecError for a file that cannot be loaded.

    `organisation` names the other files of an organisation-wide plan: the checks see all of them, and this
    stack registers only what its own file declares (a hub attachment of this file to another file's hub
    included, with the hub's ids from the stack in its `hub_stack`). `parent` puts every component under one
    resource (the component provider's `Stack` does).

    `contracts`: hold the planned resources against the API contracts first. By default on under a real engine
    (`pulumi up`) and off under Pulumi mocks, where the caller (`xcloud plan`, the tests) records every
    registration and checks it itself."""
    stack = _loaded(stack_or_path)
    own = stack.organised()  # this file's objects, with its attachments to its own hubs
    others = [_loaded(o) for o in organisation]
    whole = m.Stack.merge([stack, *others], stack.name) if others else own
    report = check(whole)
    if report.unusable or report.errors:
        raise _blocked(DeploymentBlocked(stack.name, findings=report.errors or report.findings))
    for finding in report.findings:  # warnings and notes do not block; `pulumi up` shows them
        pulumi.log.warn(f"{finding.severity.value} {finding}")

    assert report.topology is not None
    builder = _StackBuilder(own, report.topology if own is whole else build(own), parent,
                            {h.name: h for h in whole.hubs}, report.topology)
    problems = builder.preflight()
    if problems:
        raise _blocked(DeploymentBlocked(stack.name, problems=problems))
    if contracts if contracts is not None else not _under_mocks():
        violations = _contract_errors(stack, others)
        if violations:
            raise _blocked(DeploymentBlocked(stack.name, findings=violations))
    deployment = Deployment(stack, builder.build(), builder.outputs())
    if export:
        for key, value in deployment.outputs.items():
            pulumi.export(key, value)
    return deployment


def _loaded(stack_or_path: m.Stack | str | Path) -> m.Stack:
    return stack_or_path if isinstance(stack_or_path, m.Stack) else load(stack_or_path)


def _under_mocks() -> bool:
    from pulumi.runtime.mocks import MockMonitor

    return isinstance(pulumi.runtime.settings.SETTINGS.monitor, MockMonitor)


def _contract_errors(stack: m.Stack, organisation: Sequence[m.Stack] = ()) -> list[Finding]:
    """The error findings of the contract check of this very stack's plan.

    Checking resource by resource as they register (a transform) would stop a real `pulumi up` half-way, after
    the first resources are created. So the whole program is first run under Pulumi mocks in a worker process
    (plan.runner: a fresh interpreter, so the mocks never touch this program's engine connection), which gives
    every input that will be sent; inputs built from other resources' outputs are placeholders there, the
    values the spec gives are the real ones. Only when that plan passes the contracts is anything registered.
    The contract stage comes after the plan, and both import this module: imported here, when needed."""
    import base64
    import pickle

    from .contracts import contract_report
    from .plan.runner import PlanJob, run_plans

    pickled = base64.b64encode(pickle.dumps((stack, list(organisation)))).decode()
    job = PlanJob(f"contract check of {stack.name}", "", "", pickled=pickled)
    outcome = run_plans([job])[0]
    if outcome.inventory is None:
        why = outcome.error or "; ".join(outcome.refused or []) or "no inventory"
        raise RuntimeError(f"the contract check could not plan stack '{stack.name}': {why}")
    return contract_report(stack, outcome.inventory).errors


def _blocked(blocked: DeploymentBlocked) -> DeploymentBlocked:
    print(blocked, file=sys.stderr)  # `pulumi up` shows the program's stderr next to the error
    return blocked


# ---------------------------------------------------------------- references between components


class _Refs(Protocol):
    """What a component's arguments take from components built before it."""

    def aws_network(self, name: str) -> c.AwsNetwork: ...
    def gcp_network_id(self, name: str) -> pulumi.Input[str]: ...
    def transit_gateway_id(self, hub: str) -> pulumi.Input[str]: ...
    def attach_point(self, hub: str, attachment: str) -> c.TgwAttachPoint | c.WanAttachPoint | None: ...
    def provider_arn(self, issuer: str) -> pulumi.Input[str]: ...
    def hub_outputs(self, stack: str, key: str) -> pulumi.Input[Any]: ...
    def gcp_network(self, name: str) -> c.GcpNetwork: ...
    def forwarder_addresses(self, policy: str) -> pulumi.Input[list[str]]: ...


class _Placeholders:
    """References for the preflight: stand-in values where outputs will be. Validation reads the spec and the
    shape of the arguments, never these values. A reference to a network of the wrong cloud is a problem here,
    so it is reported before anything is registered."""

    def __init__(self, stack: m.Stack) -> None:
        self.networks = {n.name: n for n in stack.networks}

    def _network(self, name: str, cloud: m.Cloud) -> m.Network:
        net = self.networks.get(name)
        if net is None or net.cloud is not cloud:
            where = f"is in cloud '{net.cloud}'" if net else "is not declared"
            raise c.ComponentArgsError(f"network '{name}'", [f"used as a {cloud} network, but it {where}"])
        return net

    def aws_network(self, name: str) -> Any:
        net = self._network(name, m.Cloud.aws)
        subnets = {s.name: f"<subnet {name}/{s.name}>" for s in net.subnets}
        tables = {t: t for t in net.route_table_ids} | {CREATED_ROUTE_TABLE: f"<route table {name}>"}
        return _Stub(vpc_id=f"<vpc {name}>", vpc_arn=f"<vpc {name}>", subnet_ids=subnets, subnet_arns=subnets,
                     route_table_ids=tables)

    def gcp_network_id(self, name: str) -> str:
        self._network(name, m.Cloud.gcp)
        return f"<network {name}>"

    def transit_gateway_id(self, hub: str) -> str:
        return f"<hub {hub}>"

    def attach_point(self, hub: str, attachment: str) -> None:
        return None

    def provider_arn(self, issuer: str) -> str:
        return f"<oidc provider {issuer}>"

    def hub_outputs(self, stack: str, key: str) -> Any:
        return _Outputs(f"<{stack} {key}>")

    def gcp_network(self, name: str) -> Any:
        net = self._network(name, m.Cloud.gcp)
        return _GcpStub(
            network_id=f"<network {name}>",
            subnet_self_links={s.name: f"<subnet {name}/{s.name}>" for s in net.subnets},
            subnet_regions={s.name: s.zone if s.zone in catalog.GCP_REGIONS else net.region for s in net.subnets},
        )

    def forwarder_addresses(self, policy: str) -> list[str]:
        return [f"<inbound forwarders of {policy}>"]


class _Outputs(dict):
    """Placeholder of a StackReference output indexed by names: every name is present."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def __missing__(self, key: str) -> Any:
        return _Outputs(f"{self.label}[{key}]")

    def __contains__(self, key: object) -> bool:
        return True


@dataclass
class _GcpStub:
    network_id: str
    subnet_self_links: dict[str, str]
    subnet_regions: dict[str, str]


@dataclass
class _Stub:
    vpc_id: str
    vpc_arn: str
    subnet_ids: dict[str, str]
    subnet_arns: dict[str, str]
    route_table_ids: dict[str, str]


class _Built:
    """References to the components already built."""

    def __init__(self, components: dict[Node, pulumi.ComponentResource], parent: pulumi.Resource | None) -> None:
        self.components = components
        self.parent = parent
        self.references: dict[str, pulumi.StackReference] = {}

    def aws_network(self, name: str) -> c.AwsNetwork:
        return self.components[("network", name)]  # type: ignore[return-value]

    def gcp_network_id(self, name: str) -> pulumi.Input[str]:
        return self.components[("network", name)].network_id  # type: ignore[attr-defined]

    def transit_gateway_id(self, hub: str) -> pulumi.Input[str]:
        return self.components[("hub", hub)].transit_gateway_id  # type: ignore[attr-defined]

    def attach_point(self, hub: str, attachment: str) -> c.TgwAttachPoint | c.WanAttachPoint:
        return self.components[("hub", hub)].attach_point(attachment)  # type: ignore[attr-defined]

    def provider_arn(self, issuer: str) -> pulumi.Input[str]:
        return self.components[("issuer", issuer)].provider_arn  # type: ignore[attr-defined]

    def hub_outputs(self, stack: str, key: str) -> pulumi.Output[Any]:
        """An output of the stack that deploys a hub of another file (one StackReference per stack)."""
        if stack not in self.references:
            self.references[stack] = pulumi.StackReference(stack, opts=pulumi.ResourceOptions(parent=self.parent))
        return self.references[stack].require_output(key)

    def gcp_network(self, name: str) -> c.GcpNetwork:
        return self.components[("network", name)]  # type: ignore[return-value]

    def forwarder_addresses(self, policy: str) -> pulumi.Input[list[str]]:
        for comp in self.components.values():
            if isinstance(comp, c.CloudDnsForwarding) and policy in comp.forwarder_addresses:
                return comp.forwarder_addresses[policy]
        raise KeyError(policy)


# ---------------------------------------------------------------- the stack as components


@dataclass
class _Step:
    node: Node
    name: str
    component: Any  # a ComponentResource class: (name, args, opts) and its validate(name, args)
    args: Callable[..., Any]
    opts: Callable[..., pulumi.ResourceOptions | None] = lambda: None


class _StackBuilder:
    def __init__(self, stack: m.Stack, topo: Topology, parent: pulumi.Resource | None = None,
                 hubs: dict[str, m.Hub] | None = None, organisation: Topology | None = None) -> None:
        self.stack = stack
        self.topo = topo
        self.parent = parent
        self.all_hubs = hubs or {}
        """Every hub of the organisation-wide plan, for this file's attachments to hubs of other files."""
        self.organisation = organisation or topo
        """The organisation-wide model: what a hub of another file routes to this file's networks."""
        self.networks = {n.name: n for n in stack.networks}
        self.hubs = {h.name: h for h in stack.hubs}
        self.components: dict[Node, pulumi.ComponentResource] = {}
        self._aws_native: dict[str, aws_native.Provider] = {}
        self._reached_by: dict[str, set[str]] | None = None
        self.steps = self._steps()

    # ------------------------------------------------------------ driving

    def preflight(self) -> list[str]:
        refs = _Placeholders(self.stack)
        problems = self._unprobeable() + self._allocated_zone_targets()
        for step in self.steps:
            try:
                step.component.validate(step.name, step.args(refs))
            except c.ComponentArgsError as exc:
                problems.extend(f"{exc.component}: {p}" for p in exc.problems)
        return problems

    def build(self) -> dict[Node, pulumi.ComponentResource]:
        refs = _Built(self.components, self.parent)
        renames = renamed_objects(self.stack)
        # every resource named after a renamed object gets its earlier names as aliases (see components/_renames)
        common = pulumi.ResourceOptions(
            parent=self.parent, transformations=[alias_transformation(renames)] if renames else None)
        for step in self.steps:
            opts = pulumi.ResourceOptions.merge(step.opts(), common)
            self.components[step.node] = step.component(step.name, step.args(refs), opts)
        return self.components

    def _steps(self) -> list[_Step]:
        """One step per component, in graph order (dependencies first; ties by kind, then name)."""
        planned = list(self._plan())
        steps = {step.node: step for step, _needs in planned}
        dag = nx.DiGraph()
        dag.add_nodes_from(steps)
        # a need outside the deployment (a network in another cloud) is no dependency
        dag.add_edges_from((need, step.node) for step, needs in planned for need in needs if need in steps)
        order = nx.lexicographical_topological_sort(dag, key=lambda n: (_RANK[n[0]], n[1]))
        return [steps[n] for n in order]

    def _plan(self) -> Iterable[tuple[_Step, list[Node]]]:
        stack = self.stack
        for net in stack.networks:
            if net.cloud is m.Cloud.aws:
                yield _Step(("network", net.name), net.name, c.AwsNetwork,
                            lambda refs, net=net: c.AwsNetworkArgs(
                                net, stack.name, route_table=bool(self.topo.attachments_of("network", net.name))
                                or any(ha.network == net.name for ha in stack.hub_attachments),
                            )), []
            elif net.cloud is m.Cloud.gcp:
                yield _Step(("network", net.name), net.name, c.GcpNetwork,
                            lambda refs, net=net: c.GcpNetworkArgs(
                                net, stack.name,
                                [str(p) for p in dataplane.peer_ranges(self.organisation, net.name, self._reaching())],
                                flow_logs=net.name in self._flow_logged_gcp_networks(),
                            )), []

        for hub in stack.hubs:
            needs = [("network", a.network) for a in hub.attachments if a.network]
            if isinstance(hub, m.TransitGateway):
                needs += [("hub", p) for p in self._peers_requested_by(hub.name)]
                yield _Step(("hub", hub.name), hub.name, c.TransitHub,
                            lambda refs, hub=hub: self._transit_hub_args(hub, refs)), needs
            else:
                yield _Step(("hub", hub.name), hub.name, c.CloudWanCore,
                            lambda refs, hub=hub: self._cloud_wan_args(hub, refs)), needs

        own_hubs = {h.name for h in stack.hubs}
        for ha in stack.hub_attachments:
            if ha.hub not in own_hubs:  # a hub of another file: attached from here
                yield _Step(("hub_attachment", ha.name), f"{ha.hub}-{ha.name}", c.HubAttachment,
                            lambda refs, ha=ha: self._hub_attachment_args(ha, refs)), [("network", ha.network)]

        for ic in stack.interconnects:
            needs = [("network", ic.gcp.network), *self._attaching_hubs("interconnect", ic.name)]
            yield _Step(
                ("interconnect", ic.name), ic.name, c.AwsGcpInterconnect,
                lambda refs, ic=ic: c.AwsGcpInterconnectArgs(
                    ic, refs.gcp_network_id(ic.gcp.network), self._attach_points(refs, "interconnect", ic.name),
                    stack.name,
                ),
                # the Connection is an aws-native resource: its provider sets the AWS region
                lambda ic=ic: pulumi.ResourceOptions(
                    providers={"aws-native": self._aws_native_provider(ic.aws.region)}
                ),
            ), needs

        for link in stack.links:
            yield _Step(
                ("link", link.name), link.name, c.DirectConnectLink,
                lambda refs, link=link: c.DirectConnectLinkArgs(
                    link, self._attach_points(refs, "link", link.name), stack.name
                ),
            ), self._attaching_hubs("link", link.name)

        for network in sorted({e.network for e in stack.dns.resolver_endpoints}):
            rules = self._rules_of(network)
            needs = [("network", network), *(("network", n) for r in rules for n in r.networks)]
            # a rule towards an inbound policy waits for the policy: its targets are the addresses Google allocated
            needs += [("cloud_dns", self._project(self.topo.resolvers[t.resolver].network))
                      for r in rules for t in r.targets
                      if t.resolver in self.topo.resolvers and self.topo.resolvers[t.resolver].allocated]
            yield _Step(("resolver", network), f"{network}-resolver", c.ResolverForwarding,
                        lambda refs, network=network: self._resolver_args(network, refs)), needs

        for project, (zones, policies) in sorted(self._cloud_dns_by_project().items()):
            needs = [("network", n) for z in zones for n in z.networks] + [("network", p.network) for p in policies]
            yield _Step(("cloud_dns", project), f"{project}-cloud-dns", c.CloudDnsForwarding,
                        lambda refs, project=project, zones=zones, policies=policies:
                        self._cloud_dns_args(project, zones, policies, refs)), needs

        used = {r.issuer for r in stack.trust.roles}
        for issuer in stack.trust.issuers:
            if issuer.name in used:
                yield _Step(("issuer", issuer.name), issuer.name, c.OidcIssuer,
                            lambda refs, issuer=issuer: c.OidcIssuerArgs(
                                issuer.url, issuer.client_ids or self._audiences_of(issuer.name),
                                issuer.thumbprints, stack.name)), []
        for role in stack.trust.roles:
            yield _Step(("role", role.name), role.name, c.OidcTrustRole,
                        lambda refs, role=role: self._role_args(role, refs)), [("issuer", role.issuer)]
        for wif in stack.trust.workload_identity:
            yield _Step(
                ("workload_identity", wif.name), wif.name, c.GcpWorkloadIdentityForAws,
                lambda refs, wif=wif: c.GcpWorkloadIdentityForAwsArgs(
                    wif.project, wif.pool_id, wif.provider_id, wif.aws_account_id, wif.attribute_condition,
                    wif.aws_roles, wif.service_account, _waivers(wif), stack.name,
                ),
            ), []

        operator = self._operator_args()
        if operator is not None:
            yield _Step(("operator", stack.name), f"{stack.name}-operator", c.OperatorRole,
                        lambda refs, operator=operator: operator), []

        for region, needs in sorted(self._monitored_regions().items()):
            yield _Step(("monitoring", region), f"monitoring-{region}", c.LinkMonitoring,
                        lambda refs, region=region: self._monitoring_args(region, refs)), needs

    # ------------------------------------------------------------ arguments

    def _transit_hub_args(self, hub: m.TransitGateway, refs: _Refs) -> c.TransitHubArgs:
        vpcs = {}
        for att in hub.attachments:
            if att.network and att.network in self.networks:
                net = refs.aws_network(att.network)
                vpcs[att.network] = c.VpcRef(net.vpc_id, net.subnet_ids, _dual(self.networks[att.network]),
                                             net.route_table_ids)
        peers = []
        for other in self._peers_requested_by(hub.name):
            peer = self.hubs[other]
            assert isinstance(peer, m.TransitGateway)
            back = next((a.name for a in peer.attachments if a.peer == hub.name), None)
            peers.append(c.PeerHub(
                other, refs.transit_gateway_id(other), peer.region, peer.account,
                refs.attach_point(other, back) if back else None,  # type: ignore[arg-type]
            ))
        return c.TransitHubArgs(hub, vpcs, peers, self.stack.name, self._vpc_routes(hub.name, vpcs))

    def _hub_attachment_args(self, ha: m.HubAttachment, refs: _Refs) -> c.HubAttachmentArgs:
        hub = self.all_hubs[ha.hub]
        if ha.hub_stack is None:
            raise c.ComponentArgsError(f"hub attachment '{ha.name}'", [
                f"hub '{ha.hub}' is deployed by another stack: set hub_stack to it (org/project/stack), whose "
                "outputs hubIds and routeTableIds give the ids to attach to"])
        net = refs.aws_network(ha.network)
        outputs: Any = refs.hub_outputs  # a StackReference output, indexed by spec names (lifted by Output)
        tables = outputs(ha.hub_stack, "routeTableIds")[ha.hub] if isinstance(hub, m.TransitGateway) else {}
        return c.HubAttachmentArgs(
            hub=hub, attachment=ha,
            vpc=c.AttachedVpc(net.vpc_id, net.vpc_arn, net.subnet_ids, net.subnet_arns,
                              _dual(self.networks[ha.network]), region=self.networks[ha.network].region),
            hub_id=outputs(ha.hub_stack, "hubIds")[ha.hub],
            route_table_ids={t: tables[t] for t in [*([ha.route_table] if ha.route_table else []), *ha.propagate_to]},
            stack=self.stack.name,
            vpc_route_table_ids=net.route_table_ids,
            vpc_routes=[str(r.prefix) for r in dataplane.vpc_routes(self.organisation, ha.network) if r.hub == ha.hub],
        )

    def _cloud_wan_args(self, core: m.CloudWanCore, refs: _Refs) -> c.CloudWanCoreArgs:
        vpcs = {}
        for att in core.attachments:
            if att.network and att.network in self.networks:
                net = refs.aws_network(att.network)
                vpcs[att.network] = c.WanVpcRef(net.vpc_arn, net.subnet_arns, _dual(self.networks[att.network]),
                                                net.route_table_ids, self.networks[att.network].region)
        return c.CloudWanCoreArgs(core, vpcs, self.stack.name, self._vpc_routes(core.name, vpcs))

    def _vpc_routes(self, hub: str, vpcs: dict[str, Any]) -> dict[str, list[str]]:
        """Network -> the prefixes its route tables send to `hub`, as the routing model says (topology.dataplane)."""
        out = {}
        for network in sorted(vpcs):
            prefixes = [str(r.prefix) for r in dataplane.vpc_routes(self.organisation, network) if r.hub == hub]
            if prefixes:
                out[network] = prefixes
        return out

    def _reaching(self) -> dict[str, set[str]]:
        if self._reached_by is None:
            self._reached_by = dataplane.reaching(self.organisation)
        return self._reached_by

    def _resolver_args(self, network: str, refs: _Refs) -> c.ResolverForwardingArgs:
        net = self.networks[network]
        vpc = refs.aws_network(network)
        endpoints = [
            c.ResolverEndpointArgs(
                ep.name, ep.direction,
                [
                    c.EndpointAddress(vpc.subnet_ids[a.subnet], net.subnet(a.subnet).zone,  # type: ignore[union-attr]
                                      str(a.ip) if a.ip else None)
                    for a in ep.addresses
                ],
                [str(s) for s in ep.allowed_sources],
            )
            for ep in self.stack.dns.resolver_endpoints
            if ep.network == network
        ]
        rules = [
            c.ResolverRuleArgs(
                rule.name, rule.domain, rule.endpoint, self._targets(rule.targets, refs),
                {n: refs.aws_network(n).vpc_id for n in rule.networks},
            )
            for rule in self._rules_of(network)
        ]
        return c.ResolverForwardingArgs(vpc.vpc_id, net.region, endpoints, rules, self.stack.name)

    def _cloud_dns_args(self, project: str, zones: list[m.ForwardingZone], policies: list[m.InboundPolicy],
                        refs: _Refs) -> c.CloudDnsForwardingArgs:
        return c.CloudDnsForwardingArgs(
            project=None if project == "default" else project,
            zones=[
                c.ForwardingZoneArgs(z.name, z.domain, {n: refs.gcp_network_id(n) for n in z.networks},
                                     self._fixed_targets(z.targets), z.private_routing)
                for z in zones
            ],
            inbound_policies=[self._inbound_policy_args(p, refs) for p in policies],
            stack=self.stack.name,
        )

    def _role_args(self, role: m.TrustRole, refs: _Refs) -> c.OidcTrustRoleArgs:
        issuer = self.topo.issuers[role.issuer]
        return c.OidcTrustRoleArgs(
            issuer_url=issuer.url,
            audience=role.audience or "",
            subjects=role.subjects,
            permissions=role.permissions,
            max_session_seconds=role.max_session_seconds,
            provider_arn=refs.provider_arn(issuer.name),
            waivers=_waivers(role),
            stack=self.stack.name,
        )

    def _monitoring_args(self, region: str, refs: _Refs) -> c.LinkMonitoringArgs:
        probes = []
        for owner in self._probed():
            mon = owner.monitoring
            assert mon is not None and mon.source_network is not None
            if self.networks[mon.source_network].region != region:
                continue
            source = refs.aws_network(mon.source_network).subnet_arns.get(mon.source_subnet or "")
            probes.append(c.ProbeArgs(
                owner.name, source, str(mon.destination) if mon.destination else None,
                mon.protocol, mon.port, mon.latency_alarm_ms, mon.loss_alarm_percent,
                [mon.alarm_topic_arn] if mon.alarm_topic_arn else [],
            ))
        flow_logs = [
            c.FlowLogTarget(name, vpc_id=refs.aws_network(name).vpc_id) for name in self._flow_logged_networks(region)
        ] + [
            c.FlowLogTarget(hub.name, transit_gateway_id=refs.transit_gateway_id(hub.name))
            for hub in self.stack.hubs if isinstance(hub, m.TransitGateway) and hub.region == region
        ]
        accounts = {n.account for n in self.stack.networks if n.region == region and n.cloud is m.Cloud.aws}
        return c.LinkMonitoringArgs(
            region=region, probes=probes, flow_logs=flow_logs,
            account_id=accounts.pop() if len(accounts) == 1 else None, stack=self.stack.name,
        )

    def _operator_args(self) -> c.OperatorRoleArgs | None:
        """The operator role, for a stack with an AWS side to operate (hubs, interconnects, links) in one known
        account, or with principals named; else none (a stack spanning accounts gets one per account's stack)."""
        spec, op = self.stack, self.stack.operator
        regions = {ic.aws.region for ic in spec.interconnects} | {link.region for link in spec.links}
        for hub in spec.hubs:
            regions |= {hub.region} if isinstance(hub, m.TransitGateway) else {e.region for e in hub.edges}
        if not op.enabled or not regions:
            return None
        accounts = {h.account for h in spec.hubs if isinstance(h, m.TransitGateway) and h.account}
        accounts |= {ic.aws.account for ic in spec.interconnects if ic.aws.account}
        accounts |= {n.account for n in spec.networks if n.cloud is m.Cloud.aws and n.account}
        account = accounts.pop() if len(accounts) == 1 else None
        if account is None and not op.principals:
            return None
        return c.OperatorRoleArgs(account, sorted(regions), op.principals, op.max_session_seconds, spec.name)

    # ------------------------------------------------------------ spec lookups

    def _peers_requested_by(self, hub: str) -> list[str]:
        """Peer hubs of `hub` where `hub` requests: of two peered hubs, the one whose name sorts later requests
        (and accepts on the other's behalf), so the other is built first."""
        transit = {h.name: h for h in self.stack.hubs if isinstance(h, m.TransitGateway)}
        pairs = {
            tuple(sorted((h.name, a.peer)))
            for h in transit.values()
            for a in h.attachments
            if a.peer is not None and a.peer in transit
        }
        return sorted(first for first, second in pairs if second == hub)

    def _attaching_hubs(self, kind: str, name: str) -> list[Node]:
        return [("hub", a.hub) for a in self.topo.attachments_of(kind, name)]

    def _attach_points(self, refs: _Refs, kind: str, name: str) -> list:
        points = (refs.attach_point(a.hub, a.name) for a in self.topo.attachments_of(kind, name))
        return [p for p in points if p is not None]

    def _rules_of(self, network: str) -> list[m.ResolverRule]:
        outbound = {e.name for e in self.stack.dns.resolver_endpoints if e.network == network}
        return [r for r in self.stack.dns.resolver_rules if r.endpoint in outbound]

    def _targets(self, targets: list[m.ForwardTarget], refs: _Refs) -> list[c.DnsTarget | c.AllocatedDnsTargets]:
        """Forwarding targets as addresses: a named resolver stands for all its addresses; a Cloud DNS inbound
        policy without declared addresses for the addresses Google allocated, read after the policy exists."""
        out: list[c.DnsTarget | c.AllocatedDnsTargets] = []
        for t in targets:
            res = self.topo.resolvers[t.resolver] if t.resolver else None
            if res is not None and res.allocated:
                out.append(c.AllocatedDnsTargets(refs.forwarder_addresses(res.name), [str(r) for r in res.ranges],
                                                 t.port))
            else:
                out += [c.DnsTarget(str(a), t.port) for a in (res.addresses if res else (t.ip,))]
        return out

    def _fixed_targets(self, targets: list[m.ForwardTarget]) -> list[c.DnsTarget]:
        """Targets of a Cloud DNS zone: addresses known before deployment (see `_allocated_zone_targets`)."""
        return [
            c.DnsTarget(str(a), t.port)
            for t in targets
            for a in (self.topo.resolvers[t.resolver].addresses if t.resolver else (t.ip,))
        ]

    def _allocated_zone_targets(self) -> list[str]:
        """Cloud DNS zones forwarding to an inbound policy whose addresses Google allocates: not deployable (the
        zone and the policy are built by one component, which cannot wait for itself)."""
        return [
            f"forwarding zone '{z.name}' forwards to inbound policy '{t.resolver}', whose addresses Google allocates; "
            "declare the policy's addresses to forward to it from Cloud DNS"
            for z in self.stack.dns.forwarding_zones for t in z.targets
            if t.resolver in self.topo.resolvers and self.topo.resolvers[t.resolver].allocated
        ]

    def _inbound_policy_args(self, policy: m.InboundPolicy, refs: _Refs) -> c.InboundPolicyArgs:
        net = refs.gcp_network(policy.network)
        return c.InboundPolicyArgs(
            policy.name, {policy.network: net.network_id},
            {s: c.ForwarderSubnet(net.subnet_self_links[s], net.subnet_regions[s]) for s in net.subnet_self_links},
            [str(a) for a in policy.addresses],
        )

    def _project(self, network: str) -> str:
        return self.networks[network].account or "default"

    def _cloud_dns_by_project(self) -> dict[str, tuple[list[m.ForwardingZone], list[m.InboundPolicy]]]:
        project = self._project
        grouped: dict[str, tuple[list, list]] = {}
        for zone in self.stack.dns.forwarding_zones:
            grouped.setdefault(project(zone.networks[0]), ([], []))[0].append(zone)
        for policy in self.stack.dns.inbound_policies:
            grouped.setdefault(project(policy.network), ([], []))[1].append(policy)
        return grouped

    def _audiences_of(self, issuer: str) -> list[str]:
        return sorted({r.audience for r in self.stack.trust.roles if r.issuer == issuer and r.audience})

    def _monitored(self) -> list[m.Interconnect | m.ExternalLink]:
        links: list[m.Interconnect | m.ExternalLink] = [*self.stack.interconnects, *self.stack.links]
        return [o for o in links if o.monitoring is not None and o.monitoring.enabled]

    def _probed(self) -> list[m.Interconnect | m.ExternalLink]:
        """Links whose probe can run: from a subnet of an AWS network of the stack."""
        return [o for o in self._monitored() if self._aws_source(o) is not None]

    def _aws_source(self, owner: m.Interconnect | m.ExternalLink) -> m.Network | None:
        source = self.networks.get(owner.monitoring.source_network or "")  # type: ignore[union-attr]
        return source if source is not None and source.cloud is m.Cloud.aws else None

    def _unprobeable(self) -> list[str]:
        return [
            f"monitoring of '{o.name}': the probe runs from a subnet of an aws network of the stack; "
            "set source_network, source_subnet and destination"
            for o in self._monitored() if self._aws_source(o) is None
        ]

    def _flow_logged_networks(self, region: str) -> list[str]:
        return sorted(
            n.name for n in self.stack.networks
            if n.cloud is m.Cloud.aws and n.region == region and n.flow_logs
            and self.topo.attachments_of("network", n.name)
        )

    def _flow_logged_gcp_networks(self) -> set[str]:
        """Google networks whose subnetworks get flow logs: those an interconnect attaches (unless flow_logs: false)."""
        attached = {ic.gcp.network for ic in self.stack.interconnects}
        return {n.name for n in self.stack.networks if n.cloud is m.Cloud.gcp and n.flow_logs and n.name in attached}

    def _monitored_regions(self) -> dict[str, list[Node]]:
        """AWS regions with something to monitor, and what their monitoring needs built first."""
        regions: dict[str, list[Node]] = {}
        for owner in self._probed():
            source = owner.monitoring.source_network if owner.monitoring is not None else None
            if source is None:  # _probed() keeps only owners whose probe has a source network
                continue
            kind = "interconnect" if isinstance(owner, m.Interconnect) else "link"
            regions.setdefault(self.networks[source].region, []).extend([("network", source), (kind, owner.name)])
        for net in self.stack.networks:
            if net.cloud is m.Cloud.aws and net.name in self._flow_logged_networks(net.region):
                regions.setdefault(net.region, []).append(("network", net.name))
        for hub in self.stack.hubs:
            if isinstance(hub, m.TransitGateway):
                regions.setdefault(hub.region, []).append(("hub", hub.name))
        return regions

    def _aws_native_provider(self, region: str) -> aws_native.Provider:
        if region not in self._aws_native:
            self._aws_native[region] = aws_native.Provider(
                f"aws-native-{region}", region=region, opts=pulumi.ResourceOptions(parent=self.parent))
        return self._aws_native[region]

    # ------------------------------------------------------------ outputs

    def outputs(self) -> dict[str, Any]:
        """What team stacks consume: ids by spec name, sorted, every key present."""
        out: dict[str, dict[str, Any]] = {key: {} for key in OUTPUT_KEYS}
        for (_kind, key), comp in self.components.items():
            if isinstance(comp, c.AwsNetwork):
                out["networkIds"][key] = comp.vpc_id
                out["subnetIds"][key] = dict(sorted(comp.subnet_ids.items()))
            elif isinstance(comp, c.GcpNetwork):
                out["networkIds"][key] = comp.network_id
                out["subnetIds"][key] = dict(sorted(comp.subnet_ids.items()))
            elif isinstance(comp, c.TransitHub):
                out["hubIds"][key] = comp.transit_gateway_id
                out["routeTableIds"][key] = dict(sorted(comp.route_table_ids.items()))
            elif isinstance(comp, c.CloudWanCore):
                out["hubIds"][key] = comp.core_network_id
            elif isinstance(comp, (c.AwsGcpInterconnect, c.DirectConnectLink)):
                out["dxGatewayIds"][key] = comp.dx_gateway_id
            elif isinstance(comp, c.ResolverForwarding):
                out["resolverRuleIds"].update(comp.rule_ids)
                out["resolverEndpointIds"].update(comp.endpoint_ids)
                out["resolverInboundAddresses"].update(comp.inbound_addresses)
            elif isinstance(comp, c.OidcIssuer):
                out["oidcProviderArns"][key] = comp.provider_arn
                out["oidcIssuerUrls"][key] = comp.url
            elif isinstance(comp, c.OidcTrustRole):
                out["roleArns"][key] = comp.role_arn
            elif isinstance(comp, c.GcpWorkloadIdentityForAws):
                out["workloadIdentityProviders"][key] = comp.provider_name
        operator = next((comp.role_arn for comp in self.components.values() if isinstance(comp, c.OperatorRole)), "")
        return {key: operator if key == "operatorRoleArn" else dict(sorted(out[key].items())) for key in OUTPUT_KEYS}


def _dual(net: m.Network) -> bool:
    return net.stack_type is m.StackType.dual


def _waivers(obj: m.Named) -> dict[str, str]:
    return {w.rule: w.reason for w in obj.ignore}
