"""Read the live AWS side of a stack into a `LiveState`, region by region.

Resources are found by the tags every component sets (`xcloud:stack` = the stack name, `xcloud:key` = the spec key,
see tags.py), and by `existing_id` where the spec names one. Tags are matched in Python on what the describe calls
return rather than by server-side filters, so an emulator that ignores a filter cannot make verify see foreign
resources as the stack's.

Each read is guarded: an error is recorded as `Unread` (with the spec objects whose checks it skips) and the rest
goes on. Missing credentials stop everything at once; an endpoint that does not answer is not asked again for the
other objects of that region.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from ..audit import PolicyShapeError, decode_document, normalise_issuer
from ..checks.live.state import (
    CREATED_TABLE,
    IPNetwork,
    LiveAttachment,
    LiveCoreNetwork,
    LiveDxAssociation,
    LiveDxGateway,
    LiveHub,
    LiveOidcProvider,
    LiveResolverEndpoint,
    LiveResolverRule,
    LiveRole,
    LiveRoute,
    LiveRouteTable,
    LiveState,
    LiveVpcRoute,
    LiveVpcRoutes,
    LiveVpcRouteTable,
    Unread,
)
from ..spec import models as m
from ..tags import KEY_TAG, STACK_TAG, spec_key
from .aws import ClientFactory, explain

T = TypeVar("T")
UNREAD: Any = object()  # what `attempt` returns for a read that failed (and was recorded)

GONE = frozenset({"deleting", "deleted", "failed", "failing", "rejected", "rejecting"})
ROUTE_FILTERS = [
    {"Name": "type", "Values": ["static", "propagated"]},
    {"Name": "state", "Values": ["active", "blackhole"]},  # every state the filter accepts
]

CORE_GONE = frozenset({"DELETING"})
# Cloud WAN's API (Network Manager) is global, served from its home region
NETWORK_MANAGER_REGION = "us-west-2"
# where a VPC route sends its traffic, in the order DescribeRouteTables may give several (an instance and its ENI)
VPC_ROUTE_TARGETS = (
    "TransitGatewayId", "CoreNetworkArn", "GatewayId", "NatGatewayId", "VpcPeeringConnectionId", "InstanceId",
    "NetworkInterfaceId", "EgressOnlyInternetGatewayId", "LocalGatewayId", "CarrierGatewayId", "OdbNetworkArn",
)


def read_live_state(stack: m.Stack, clients: ClientFactory, home_region: str = "us-east-1") -> LiveState:
    """What is deployed for `stack`, as far as it could be read."""
    return _Reader(stack, clients, home_region).read()


def pages(client: Any, operation: str, key: str, **params: Any) -> list[Any]:
    """Every item of a (possibly paginated) list call."""
    if not client.can_paginate(operation):
        return list(getattr(client, operation)(**params).get(key, []))
    return [item for page in client.get_paginator(operation).paginate(**params) for item in page.get(key, [])]


def tag_map(tags: Iterable[dict[str, str]] | None) -> dict[str, str]:
    """{key: value} from AWS tag lists, in either spelling ({"Key","Value"} or Direct Connect's {"key","value"})."""
    out: dict[str, str] = {}
    for tag in tags or ():
        key, value = tag.get("Key", tag.get("key")), tag.get("Value", tag.get("value"))
        if key is not None:
            out[key] = value or ""
    return out


class _Reader:
    def __init__(self, stack: m.Stack, clients: ClientFactory, home_region: str) -> None:
        self.stack = stack
        self.clients = clients
        self.home_region = home_region
        self.state = LiveState(stack.name)
        self._stopped: str | None = None  # why nothing more can be read (no usable credentials)
        self._down: dict[tuple[str, str], str] = {}  # (service, region) that did not answer -> why

    def read(self) -> LiveState:
        for net in self.stack.networks:
            if net.cloud is m.Cloud.aws and net.existing_id:
                self.state.vpcs[net.name] = net.existing_id
        self._dx_gateways()
        self._hubs()
        self._core_networks()
        self._resolver()
        self._iam()
        self._vpcs()
        self._vpc_route_tables()
        return self.state

    def attempt(
        self, what: str, objs: Sequence[m.Model], service: str, region: str, read: Callable[..., T], /, *args: Any,
        **kwargs: Any,
    ) -> T:
        """`read(*args, **kwargs)`, or UNREAD after recording why for each spec object whose checks it skips."""
        reason = self._stopped or self._down.get((service, region))
        if reason is None:
            try:
                return read(*args, **kwargs)
            except (ClientError, BotoCoreError) as exc:
                failure = explain(exc, service, region)
                reason = failure.reason
                if failure.scope == "everything":
                    self._stopped = reason
                elif failure.scope == "endpoint":
                    self._down[(service, region)] = reason
        self.state.unread.extend(Unread(what, reason, obj, region) for obj in objs)
        return UNREAD

    def ours(self, tags: dict[str, str], kind: str, *key: str) -> bool:
        return tags.get(STACK_TAG) == self.stack.name and tags.get(KEY_TAG) == spec_key(kind, *key)

    # ------------------------------------------------------------ Direct Connect

    def _dx_gateways(self) -> None:
        owners: list[m.Interconnect | m.ExternalLink] = [*self.stack.interconnects, *self.stack.links]
        if not owners:
            return
        region = _dx_region(owners[0])  # Direct Connect gateways are global: one listing serves every owner
        client = self.clients("directconnect", region)
        gateways = self.attempt("Direct Connect gateways", owners, "directconnect", region,
                                pages, client, "describe_direct_connect_gateways", "directConnectGateways")
        if gateways is UNREAD:
            return
        for owner in owners:
            kind = "interconnect" if isinstance(owner, m.Interconnect) else "link"
            mine = sorted(
                (g for g in gateways if g.get("directConnectGatewayState") not in GONE
                 and self.ours(tag_map(g.get("tags")), kind, owner.name)),
                key=lambda g: g["directConnectGatewayId"],
            )
            if not mine:
                self.state.dx_gateways[owner.name] = None
                continue
            raw = mine[0]
            gateway = LiveDxGateway(raw["directConnectGatewayId"], raw.get("directConnectGatewayName", ""),
                                    raw.get("amazonSideAsn"))
            associations = self.attempt(
                f"associations of Direct Connect gateway {gateway.id} of {kind} '{owner.name}'", [owner],
                "directconnect", region, pages, client, "describe_direct_connect_gateway_associations",
                "directConnectGatewayAssociations", directConnectGatewayId=gateway.id,
            )
            if associations is not UNREAD:
                gateway.associations = [
                    LiveDxAssociation(
                        a.get("associationId", ""),
                        *_associated(a),
                        a.get("associationState", ""),
                        frozenset(ipaddress.ip_network(p["cidr"], strict=False)
                                  for p in a.get("allowedPrefixesToDirectConnectGateway", [])),
                    )
                    for a in associations
                ]
            self.state.dx_gateways[owner.name] = gateway

    # ------------------------------------------------------------ Transit Gateways

    def _hubs(self) -> None:
        for hub in self.stack.hubs:
            if not isinstance(hub, m.TransitGateway):
                continue  # Cloud WAN cores: _core_networks
            ec2 = self.clients("ec2", hub.region)
            found = self.attempt(f"Transit Gateway of hub '{hub.name}'", [hub], "ec2", hub.region,
                                 self._find_transit_gateway, ec2, hub)
            if found is UNREAD:
                continue
            if found is None:
                self.state.hubs[hub.name] = None
                continue
            live = LiveHub(found, hub.region)
            listed = self.attempt(f"route tables and attachments of hub '{hub.name}' ({found})", [hub], "ec2",
                                  hub.region, self._tables_and_attachments, ec2, hub, live)
            if listed is UNREAD:
                continue
            unmatched = [a for a in live.attachments.values()
                         if a.name is None and a.resource_type == "direct-connect-gateway"]
            unknown = [a for a in hub.attachments
                       if a.kind in ("interconnect", "link") and a.target not in self.state.dx_gateways]
            if unmatched and unknown:  # which attachment is which cannot be told: comparing would invent drift
                self.state.unread.append(Unread(
                    f"attachments of hub '{hub.name}' ({found})", "its Direct Connect attachments cannot be matched to "
                    "the spec while the Direct Connect gateways are unread", hub, hub.region))
                continue
            self.state.hubs[hub.name] = live
            for table in live.tables.values():
                declared = next((t for t in hub.route_tables if t.name == table.name), None)
                label = f"route table '{table.name}' of hub '{hub.name}' ({table.id})" if declared else (
                    f"route table {table.id} of hub '{hub.name}'")
                self.attempt(f"associations and propagations of {label}", [declared or hub], "ec2", hub.region,
                             self._associations, ec2, table)
                if declared is not None:
                    self.attempt(f"routes of {label}", [declared], "ec2", hub.region, self._routes, ec2, table)

    def _find_transit_gateway(self, ec2: Any, hub: m.TransitGateway) -> str | None:
        if hub.existing_id:
            try:
                found = ec2.describe_transit_gateways(TransitGatewayIds=[hub.existing_id])["TransitGateways"]
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code", "").startswith("InvalidTransitGatewayID"):
                    return None
                raise
        else:
            found = [g for g in pages(ec2, "describe_transit_gateways", "TransitGateways")
                     if self.ours(tag_map(g.get("Tags")), "hub", hub.name)]
        found = sorted((g for g in found if g.get("State") not in GONE), key=lambda g: g["TransitGatewayId"])
        return found[0]["TransitGatewayId"] if found else None

    def _tables_and_attachments(self, ec2: Any, hub: m.TransitGateway, live: LiveHub) -> None:
        on_this = [{"Name": "transit-gateway-id", "Values": [live.id]}]
        declared_tables = {t.name for t in hub.route_tables}
        for raw in pages(ec2, "describe_transit_gateway_route_tables", "TransitGatewayRouteTables", Filters=on_this):
            if raw.get("TransitGatewayId") != live.id or raw.get("State") in GONE:
                continue
            tags = tag_map(raw.get("Tags"))
            name = next((n for n in declared_tables if self.ours(tags, "route_table", hub.name, n)), None)
            live.tables[raw["TransitGatewayRouteTableId"]] = LiveRouteTable(raw["TransitGatewayRouteTableId"], name)
        for raw in pages(ec2, "describe_transit_gateway_attachments", "TransitGatewayAttachments", Filters=on_this):
            if raw.get("TransitGatewayId") != live.id or raw.get("State") in GONE:
                continue
            att_id = raw["TransitGatewayAttachmentId"]
            kind, resource = raw.get("ResourceType", ""), raw.get("ResourceId", "")
            name = self._attachment_name(hub, tag_map(raw.get("Tags")), kind, resource)
            live.attachments[att_id] = LiveAttachment(att_id, kind, resource, raw.get("State", ""), name)

    def _attachment_name(
        self, hub: m.TransitGateway, tags: dict[str, str], resource_type: str, resource_id: str
    ) -> str | None:
        """The spec attachment a live one is: by tag, else by the VPC or Direct Connect gateway it attaches."""
        for att in hub.attachments:
            if self.ours(tags, "attachment", hub.name, att.name):
                return att.name
        for att in hub.attachments:
            if att.kind == "network" and resource_type == "vpc" and self.state.vpcs.get(att.target) == resource_id:
                return att.name
            if att.kind in ("interconnect", "link") and resource_type == "direct-connect-gateway":
                gateway = self.state.dx_gateways.get(att.target)
                if gateway is not None and gateway.id == resource_id:
                    return att.name
        return None

    def _associations(self, ec2: Any, table: LiveRouteTable) -> None:
        table.associations = {
            a["TransitGatewayAttachmentId"]
            for a in pages(ec2, "get_transit_gateway_route_table_associations", "Associations",
                           TransitGatewayRouteTableId=table.id)
            if a.get("State") in ("associating", "associated")
        }
        table.propagations = {
            p["TransitGatewayAttachmentId"]
            for p in pages(ec2, "get_transit_gateway_route_table_propagations", "TransitGatewayRouteTablePropagations",
                           TransitGatewayRouteTableId=table.id)
            if p.get("State") in ("enabling", "enabled")
        }

    def _routes(self, ec2: Any, table: LiveRouteTable) -> None:
        raw = pages(ec2, "search_transit_gateway_routes", "Routes", TransitGatewayRouteTableId=table.id,
                    Filters=ROUTE_FILTERS)
        table.routes = [
            LiveRoute(
                ipaddress.ip_network(r["DestinationCidrBlock"], strict=False) if r.get("DestinationCidrBlock") else None,
                r.get("PrefixListId"),
                r.get("Type", ""),
                r.get("State", ""),
                tuple(a["TransitGatewayAttachmentId"] for a in r.get("TransitGatewayAttachments", [])
                      if a.get("TransitGatewayAttachmentId")),
            )
            for r in raw
        ]

    # ------------------------------------------------------------ Cloud WAN

    def _core_networks(self) -> None:
        """The core network of each Cloud WAN hub, by its tag (hub/<name>): its ARN is what the VPC routes towards
        it target. Segments, attachments and the core's own routes are not read yet."""
        cores = [h for h in self.stack.hubs if isinstance(h, m.CloudWanCore)]
        if not cores:
            return
        region = NETWORK_MANAGER_REGION
        client = self.clients("networkmanager", region)
        listed = self.attempt("Cloud WAN core networks", cores, "networkmanager", region,
                              pages, client, "list_core_networks", "CoreNetworks")
        if listed is UNREAD:
            return
        for core in cores:
            mine = sorted((c for c in listed if c.get("State") not in CORE_GONE
                           and self.ours(tag_map(c.get("Tags")), "hub", core.name)), key=lambda c: c["CoreNetworkId"])
            self.state.core_networks[core.name] = (
                LiveCoreNetwork(mine[0]["CoreNetworkId"], mine[0].get("CoreNetworkArn", ""), mine[0].get("State", ""))
                if mine else None
            )

    # ------------------------------------------------------------ VPC route tables (the data plane)

    def _vpc_route_tables(self) -> None:
        """The route tables of every AWS network attached to one of the stack's hubs that carry its routes towards
        them: the table the stack created (tagged vpc_route_table/<network>, when it created subnets) and the tables
        the spec names by id (`route_table_ids`, for existing subnets). Other tables of the VPC are not the stack's
        and are not read into the state."""
        routed = self._routed_networks()
        for net in (n for n in self.stack.networks if n.name in routed):
            keys = ([CREATED_TABLE] if any(s.id is None for s in net.subnets) else []) + list(net.route_table_ids)
            if not keys:
                continue  # nothing of the stack's carries routes in this VPC (XC310 says so before deploying)
            vpc = self.state.vpcs.get(net.name)
            if vpc is None:
                if not any(u.obj is net for u in self.state.unread):  # looked for, not found (else XC700 says why)
                    self.state.vpc_routes[net.name] = None
                continue
            ec2 = self.clients("ec2", net.region)
            raw = self.attempt(f"route tables of network '{net.name}' ({vpc})", [net], "ec2", net.region,
                               pages, ec2, "describe_route_tables", "RouteTables",
                               Filters=[{"Name": "vpc-id", "Values": [vpc]}])
            if raw is UNREAD:
                continue
            found = LiveVpcRoutes(vpc, {key: None for key in keys})
            for table in sorted((t for t in raw if t.get("VpcId") == vpc), key=lambda t: t["RouteTableId"]):
                table_id = table["RouteTableId"]
                if table_id in found.tables:
                    key = table_id
                elif CREATED_TABLE in found.tables and found.tables[CREATED_TABLE] is None and self.ours(
                        tag_map(table.get("Tags")), "vpc_route_table", net.name):
                    key = CREATED_TABLE
                else:
                    continue
                found.tables[key] = LiveVpcRouteTable(table_id, [vpc_route(r) for r in table.get("Routes") or []])
            self.state.vpc_routes[net.name] = found

    def _routed_networks(self) -> list[str]:
        """AWS networks attached to the stack's hubs whose hubs were all read and found: only against a hub's live
        id (a Transit Gateway id, a core network ARN) can a VPC route be told to go to it."""
        attached: dict[str, set[str]] = {}
        for hub in self.stack.hubs:
            for att in hub.attachments:
                if att.kind == "network":
                    attached.setdefault(att.target, set()).add(hub.name)
        found = {h for h, v in self.state.hubs.items() if v is not None} | {
            h for h, v in self.state.core_networks.items() if v is not None}
        return [n.name for n in self.stack.networks
                if n.cloud is m.Cloud.aws and n.name in attached and attached[n.name] <= found]

    # ------------------------------------------------------------ Route 53 Resolver

    def _resolver(self) -> None:
        dns = self.stack.dns
        region_of = {n.name: n.region for n in self.stack.networks if n.cloud is m.Cloud.aws}
        endpoint_region = {ep.name: region_of.get(ep.network, "") for ep in dns.resolver_endpoints}
        endpoints = [ep for ep in dns.resolver_endpoints if endpoint_region[ep.name]]
        rules = [r for r in dns.resolver_rules if endpoint_region.get(r.endpoint)]
        for region in sorted({endpoint_region[e.name] for e in endpoints} | {endpoint_region[r.endpoint] for r in rules}):
            client = self.clients("route53resolver", region)
            here = [e for e in endpoints if endpoint_region[e.name] == region]
            if here:
                self.attempt("Route 53 Resolver endpoints", here, "route53resolver", region,
                             self._endpoints, client, here, region)
            here_rules = [r for r in rules if endpoint_region[r.endpoint] == region]
            if here_rules:
                self.attempt("Route 53 Resolver rules", here_rules, "route53resolver", region,
                             self._rules, client, here_rules, region)

    def _endpoints(self, client: Any, wanted: list[m.ResolverEndpoint], region: str) -> None:
        listed = pages(client, "list_resolver_endpoints", "ResolverEndpoints")
        found: dict[str, LiveResolverEndpoint] = {}
        for raw in listed:
            tags = tag_map(pages(client, "list_tags_for_resource", "Tags", ResourceArn=raw["Arn"]))
            spec = next((ep for ep in wanted if self.ours(tags, "resolver_endpoint", ep.name)), None)
            if spec is not None and raw.get("Status") not in ("DELETING",):
                found[spec.name] = LiveResolverEndpoint(raw["Id"], raw.get("Direction", "").lower(),
                                                        raw.get("HostVPCId", ""), raw.get("Status", ""),
                                                        security_group_ids=tuple(raw.get("SecurityGroupIds") or ()))
        for ep in wanted:
            live = found.get(ep.name)
            self.state.endpoints[ep.name] = live
            if live is None:
                continue
            addresses = self.attempt(
                f"addresses of resolver endpoint '{ep.name}' ({live.id})", [ep], "route53resolver", region,
                pages, client, "list_resolver_endpoint_ip_addresses", "IpAddresses", ResolverEndpointId=live.id,
            )
            if addresses is not UNREAD:
                live.addresses = [(a.get("Ip") or a.get("Ipv6", ""), a.get("SubnetId", "")) for a in addresses]
            if live.security_group_ids:
                ec2 = self.clients("ec2", region)
                groups = self.attempt(
                    f"security groups of resolver endpoint '{ep.name}' ({live.id})", [ep], "ec2", region,
                    pages, ec2, "describe_security_groups", "SecurityGroups", GroupIds=list(live.security_group_ids),
                )
                if groups is not UNREAD:
                    live.admitted = {g["GroupId"]: dns_sources(g.get("IpPermissions") or []) for g in groups}

    def _rules(self, client: Any, wanted: list[m.ResolverRule], region: str) -> None:
        found: dict[str, LiveResolverRule] = {}
        for raw in pages(client, "list_resolver_rules", "ResolverRules"):
            if raw.get("RuleType") == "SYSTEM" or raw.get("ShareStatus") == "SHARED_WITH_ME":
                continue  # AWS's own rules, and rules another account owns, are not the stack's
            tags = tag_map(pages(client, "list_tags_for_resource", "Tags", ResourceArn=raw["Arn"]))
            spec = next((r for r in wanted if self.ours(tags, "resolver_rule", r.name)), None)
            if spec is not None and raw.get("Status") != "DELETING":
                found[spec.name] = LiveResolverRule(
                    raw["Id"], raw.get("DomainName", "").rstrip(".").lower(), raw.get("RuleType", ""),
                    raw.get("ResolverEndpointId"),
                    frozenset((t.get("Ip") or t.get("Ipv6", ""), int(t.get("Port", 53))) for t in raw.get("TargetIps", [])),
                )
        for rule in wanted:
            live = found.get(rule.name)
            self.state.rules[rule.name] = live
            if live is None:
                continue
            associations = self.attempt(
                f"associations of resolver rule '{rule.name}' ({live.id})", [rule], "route53resolver", region,
                pages, client, "list_resolver_rule_associations", "ResolverRuleAssociations",
                Filters=[{"Name": "ResolverRuleId", "Values": [live.id]}],
            )
            if associations is not UNREAD:
                live.vpc_ids = {a["VPCId"] for a in associations
                                if a.get("ResolverRuleId") == live.id and a.get("Status") not in ("DELETING", "FAILED")}

    # ------------------------------------------------------------ IAM

    def _iam(self) -> None:
        trust = self.stack.trust
        if not trust.roles:
            return
        iam = self.clients("iam", self.home_region)
        issuers = [i for i in trust.issuers if any(r.issuer == i.name for r in trust.roles)]
        if issuers:
            arns = self.attempt("IAM OIDC providers", issuers, "iam", self.home_region,
                                pages, iam, "list_open_id_connect_providers", "OpenIDConnectProviderList")
            if arns is not UNREAD:
                for issuer in issuers:
                    self._provider(iam, issuer, [p["Arn"] for p in arns])
        listing: list[dict[str, Any]] = []
        for role in trust.roles:
            found = self.attempt(f"IAM role of '{role.name}'", [role], "iam", self.home_region,
                                 self._find_role, iam, role, listing)
            if found is not UNREAD:
                self.state.roles[role.name] = found

    def _provider(self, iam: Any, issuer: m.Issuer, arns: list[str]) -> None:
        wanted = normalise_issuer(issuer.url).lower()
        arn = next((a for a in arns if normalise_issuer(a).lower() == wanted), None)
        if arn is None:
            self.state.oidc_providers[issuer.name] = None
            return
        raw = self.attempt(f"IAM OIDC provider {arn}", [issuer], "iam", self.home_region,
                           iam.get_open_id_connect_provider, OpenIDConnectProviderArn=arn)
        if raw is not UNREAD:
            self.state.oidc_providers[issuer.name] = LiveOidcProvider(
                arn, raw.get("Url", ""), frozenset(raw.get("ClientIDList", [])), frozenset(raw.get("ThumbprintList", []))
            )

    def _find_role(self, iam: Any, role: m.TrustRole, listing: list[dict[str, Any]]) -> LiveRole | None:
        """The role named as the spec names it (unless its tags say it belongs elsewhere), else one whose name
        Pulumi derived from it (`<name>-<suffix>`) and whose tags say it is this stack's."""
        exact = self._get_role(iam, role.name)
        if exact is not None:
            tags = tag_map(exact.get("Tags"))
            if KEY_TAG not in tags or self.ours(tags, "role", role.name):
                return _live_role(exact)
        if not listing:
            listing.extend(pages(iam, "list_roles", "Roles"))  # once for all roles of the stack
        for candidate in sorted(r["RoleName"] for r in listing if r["RoleName"].startswith(f"{role.name}-")):
            raw = self._get_role(iam, candidate)
            if raw is not None and self.ours(tag_map(raw.get("Tags")), "role", role.name):
                return _live_role(raw)
        return None

    @staticmethod
    def _get_role(iam: Any, name: str) -> dict[str, Any] | None:
        try:
            return iam.get_role(RoleName=name)["Role"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "NoSuchEntity":
                return None
            raise

    # ------------------------------------------------------------ VPCs of networks, where rules need them

    def _vpcs(self) -> None:
        """VPC ids of the networks resolver endpoints and rules name: from what was found (attachments, endpoints),
        else from the VPC's own tag (network/<name>)."""
        for hub in self.stack.hubs:
            live = self.state.hubs.get(hub.name)
            if live is None:
                continue
            for att in hub.attachments:
                found = live.attachment(att.name)
                if att.kind == "network" and found is not None and found.resource_type == "vpc":
                    self.state.vpcs.setdefault(att.target, found.resource_id)
        for ep in self.stack.dns.resolver_endpoints:
            endpoint = self.state.endpoints.get(ep.name)
            if endpoint is not None and endpoint.vpc_id:
                self.state.vpcs.setdefault(ep.network, endpoint.vpc_id)
        needed = {ep.network for ep in self.stack.dns.resolver_endpoints} | {
            n for r in self.stack.dns.resolver_rules for n in r.networks} | set(self._routed_networks())
        unknown = [n for n in self.stack.networks
                   if n.name in needed and n.cloud is m.Cloud.aws and n.name not in self.state.vpcs]
        for region in sorted({n.region for n in unknown}):
            here = [n for n in unknown if n.region == region]
            ec2 = self.clients("ec2", region)
            vpcs = self.attempt("VPCs of networks by tag", here, "ec2", region, pages, ec2, "describe_vpcs", "Vpcs",
                                Filters=[{"Name": f"tag:{STACK_TAG}", "Values": [self.stack.name]}])
            for net in here if vpcs is not UNREAD else ():
                match = next((v["VpcId"] for v in vpcs if self.ours(tag_map(v.get("Tags")), "network", net.name)), None)
                if match is not None:
                    self.state.vpcs[net.name] = match


def dns_sources(permissions: list[dict[str, Any]]) -> frozenset[IPNetwork]:
    """The CIDRs a security group's ingress admits to DNS (port 53, UDP or TCP, or every protocol)."""
    out: set[IPNetwork] = set()
    for perm in permissions:
        protocol = str(perm.get("IpProtocol", ""))
        if protocol not in ("-1", "udp", "tcp", "17", "6"):
            continue
        low, high = perm.get("FromPort", 0), perm.get("ToPort", 65535)
        if protocol != "-1" and not (low is None or (low <= 53 <= (high if high is not None else 65535))):
            continue
        out.update(ipaddress.ip_network(r["CidrIp"]) for r in perm.get("IpRanges") or [])
        out.update(ipaddress.ip_network(r["CidrIpv6"]) for r in perm.get("Ipv6Ranges") or [])
    return frozenset(out)


def _associated(association: dict[str, Any]) -> tuple[str, str]:
    """(id, type) of what a Direct Connect gateway association joins: a Transit Gateway or virtual private gateway
    (`associatedGateway`), or a Cloud WAN core network (`associatedCoreNetwork`, made by a Cloud WAN attachment)."""
    if core := association.get("associatedCoreNetwork"):
        return core.get("id", ""), "coreNetwork"
    gateway = association.get("associatedGateway") or {}
    return gateway.get("id", association.get("virtualGatewayId", "")), gateway.get("type", "virtualPrivateGateway")


def vpc_route(raw: dict[str, Any]) -> LiveVpcRoute:
    """A route of ec2:DescribeRouteTables: its destination, target and state."""
    cidr = raw.get("DestinationCidrBlock") or raw.get("DestinationIpv6CidrBlock")
    try:
        prefix = ipaddress.ip_network(cidr, strict=False) if cidr else None
    except ValueError:  # not a CIDR (an emulator's answer): shown as given, compared with nothing the model routes
        prefix = None
    return LiveVpcRoute(
        prefix,
        raw.get("DestinationPrefixListId") or (None if prefix is not None or not cidr else str(cidr)),
        next((str(raw[k]) for k in VPC_ROUTE_TARGETS if raw.get(k)), ""),
        raw.get("State", ""),
    )


def _dx_region(owner: m.Interconnect | m.ExternalLink) -> str:
    return owner.aws.region if isinstance(owner, m.Interconnect) else owner.region


def _live_role(raw: dict[str, Any]) -> LiveRole:
    try:  # boto3 decodes the document; a raw API response (or an emulator) may give it URL-encoded
        document = decode_document(raw.get("AssumeRolePolicyDocument", {}), ("AssumeRolePolicyDocument",))
    except PolicyShapeError:
        document = {}
    return LiveRole(raw["RoleName"], raw["Arn"], document, int(raw.get("MaxSessionDuration", 3600)))
