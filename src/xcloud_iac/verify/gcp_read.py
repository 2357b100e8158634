"""Read the live Google side of a stack into the `LiveState` the AWS reader filled.

How the stack's resources are found (the contract with the components, pinned by tests/verify/test_label_contract.py):
- Transports and Cloud DNS forwarding zones carry `tags.gcp_labels(stack, kind, name)` (xcloud-stack, xcloud-key).
- Networks take no labels: a network is the spec's `existing_id`, else the one whose description the network
  component wrote (`xcloud <stack>: network <name>`).
- Cloud DNS policies take no labels: the one whose description is `xcloud <stack>: inbound forwarding <name>`.
- Workload Identity pools and providers: by the ids the spec names (`pool_id`, `provider_id`) in its project.
- Firewall rules and routes take no labels: those on the stack's network whose name starts with
  `tags.gcp_firewall_prefix(network)` / `tags.gcp_route_prefix(network)`.
- The peering of a transport: the peering of the transport's VPC towards the transport's `peeringNetwork`, and its
  exchanged routes (compute networks.listPeeringRoutes, both directions, in the transport's region).

Every read is guarded as on the AWS side: a failure is recorded as `Unread` (XC700) for the spec objects whose checks
it skips, and what was read before stays in the state. Missing credentials stop the Google side at once; an API
endpoint that does not answer (after retries) is not asked again.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from ..checks.live.state import (
    LiveDnsPolicy,
    LiveFirewall,
    LiveForwardingZone,
    LiveGcpRoute,
    LivePeering,
    LiveState,
    LiveTransport,
    LiveWorkloadIdentity,
    Unread,
)
from ..spec import models as m
from ..tags import GCP_KEY_LABEL, GCP_STACK_LABEL, gcp_firewall_prefix, gcp_labels, gcp_route_prefix
from .gcp import GoogleCallError, GoogleClients

T = TypeVar("T")
SpecObj = TypeVar("SpecObj", m.Network, m.ForwardingZone, m.InboundPolicy)  # spec objects read per project
UNREAD: Any = object()


def network_description(stack: str, network: str) -> str:
    """What the network component writes as a Google network's description (how verify finds it)."""
    return f"xcloud {stack}: network {network}"


def policy_description(stack: str, policy: str) -> str:
    """What the Cloud DNS component writes as an inbound server policy's description."""
    return f"xcloud {stack}: inbound forwarding {policy}"


def read_google_state(stack: m.Stack, clients: GoogleClients, state: LiveState) -> LiveState:
    """Add what is deployed on the Google side of `stack` to `state`, as far as it could be read."""
    _Reader(stack, clients, state).read()
    return state


def last_segment(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def network_path(url: str) -> str:
    """projects/<p>/global/networks/<n> from a self link, a path, or a bare name (as the APIs spell it)."""
    tail = url.split("/projects/", 1)[-1] if "/projects/" in url else url.removeprefix("projects/")
    return f"projects/{tail}" if "/" in tail else tail


def owned(labels: dict[str, str] | None, stack: str, kind: str, *key: str) -> bool:
    want = gcp_labels(stack, kind, *key)
    labels = labels or {}
    return labels.get(GCP_STACK_LABEL) == want[GCP_STACK_LABEL] and labels.get(GCP_KEY_LABEL) == want[GCP_KEY_LABEL]


def _prefix(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


class _Reader:
    def __init__(self, stack: m.Stack, clients: GoogleClients, state: LiveState) -> None:
        self.stack = stack
        self.clients = clients
        self.state = state
        self._stopped: str | None = None
        self._down: dict[str, str] = {}  # api -> why it is not asked again
        self._lists: dict[tuple[str, str], Any] = {}  # (what, project) -> listing (or UNREAD)
        self._raw_networks: dict[str, dict[str, Any]] = {}  # network name -> networks.get answer

    # ------------------------------------------------------------ plumbing

    def attempt(self, what: str, objs: Sequence[m.Model], api: str, read: Callable[..., T], /, *args: Any,
                where: str | None = None, **kwargs: Any) -> T:
        """`read(*args, **kwargs)`, or UNREAD after recording why for each spec object whose checks it skips."""
        reason = self._stopped or self._down.get(api)
        if reason is None:
            try:
                return read(*args, **kwargs)
            except GoogleCallError as exc:
                reason = exc.failure.reason
                if exc.failure.scope == "everything":
                    self._stopped = reason
                elif exc.failure.scope == "endpoint":
                    self._down[api] = reason
        self.state.unread.extend(Unread(what, reason, obj, where) for obj in objs)
        return UNREAD

    def list_all(self, api: str, collection: Callable[[Any], Any], method: str, key: str, what: str,
                 **params: Any) -> list[dict[str, Any]]:
        """Every item of a paginated list call (pageToken / nextPageToken); `collection(client)` is the resource."""
        resource = collection(self.clients(api))
        request = getattr(resource, method)(**params)
        items: list[dict[str, Any]] = []
        while request is not None:
            response = self.clients.call(request, what)
            items.extend(response.get(key, []))
            request = getattr(resource, f"{method}_next")(request, response)
        return items

    def get(self, api: str, request: Callable[[Any], Any], what: str) -> dict[str, Any] | None:
        """A get; None when the object is not there (404)."""
        return self.clients.call(request(self.clients(api)), what, missing_ok=True)

    def project_of(self, network: str | None) -> str | None:
        net = next((n for n in self.stack.networks if n.name == network), None)
        if net is not None and net.account:
            return net.account
        project = self.clients.default_project
        if project is None and not self.clients.options.anonymous and self._stopped is None:
            try:
                self.clients.credentials()  # ADC may name a project
            except GoogleCallError as exc:
                self._stopped = exc.failure.reason
            project = self.clients.default_project
        return project

    def no_project(self, what: str, objs: Sequence[m.Model]) -> None:
        reason = self._stopped or ("no Google project: the spec names none (network `account`) and neither "
                                   "--gcp-project nor Application Default Credentials give one")
        self.state.unread.extend(Unread(what, reason, obj) for obj in objs)

    def per_project(self, objs: Sequence[SpecObj], network_of: Callable[[SpecObj], str], one: str, many: str,
                    api: str, collection: Callable[[Any], Any], key: str, method: str,
                    ) -> Iterator[tuple[str, list[SpecObj], list[dict[str, Any]]]]:
        """(project, its objects, the project's listing) for each project of `objs` (the project of each one's
        network) whose listing was read; listed once per project. An object without a project, or in a project
        whose listing failed, is recorded as unread (`one`, `many`: what is read, for the reason)."""
        by_project: dict[str, list[SpecObj]] = {}
        for obj in objs:
            project = self.project_of(network_of(obj))
            if project is None:
                self.no_project(f"{one} of '{obj.name}'", [obj])
                continue
            by_project.setdefault(project, []).append(obj)
        for project, here in sorted(by_project.items()):
            listed = self.attempt(f"{many} of project {project}", here, api, self.list_all, api, collection, "list",
                                  key, f"{method} in {project}", project=project)
            if listed is not UNREAD:
                yield project, here, listed

    # ------------------------------------------------------------ read

    def read(self) -> None:
        if self._has_google_side():
            try:
                self.clients.credentials()
            except GoogleCallError as exc:
                self._stopped = exc.failure.reason
        self._networks()
        self._transports()
        self._firewalls_and_routes()
        self._zones()
        self._policies()
        self._workload_identity()

    def _has_google_side(self) -> bool:
        s = self.stack
        return bool(self._gcp_networks() or s.interconnects or s.dns.forwarding_zones or s.dns.inbound_policies
                    or s.trust.workload_identity)

    def _gcp_networks(self) -> list[m.Network]:
        return [n for n in self.stack.networks if n.cloud is m.Cloud.gcp]

    def _networks(self) -> None:
        for project, nets, listed in self.per_project(
                self._gcp_networks(), lambda n: n.name, "Google network", "Google networks", "compute",
                lambda c: c.networks(), "items", "compute.networks.list"):
            for net in nets:
                wanted = last_segment(net.existing_id) if net.existing_id else None
                found = next((n for n in listed if (n.get("name") == wanted if wanted else
                                                    n.get("description") == network_description(self.stack.name,
                                                                                               net.name))), None)
                if found is None:
                    self.state.gcp_networks[net.name] = None
                    continue
                self.state.gcp_networks[net.name] = f"projects/{project}/global/networks/{found['name']}"
                self._raw_networks[net.name] = found

    def _network_of_path(self, path: str) -> str | None:
        return next((name for name, p in self.state.gcp_networks.items() if p == path), None)

    def _transports(self) -> None:
        for ic in self.stack.interconnects:
            g = ic.gcp
            parent = f"projects/{g.project}/locations/{g.region}"
            key = ("transports", parent)
            if key not in self._lists:
                self._lists[key] = self.attempt(
                    f"transports in {parent}", [], "networkconnectivity", self.list_all, "networkconnectivity",
                    lambda c: c.projects().locations().transports(), "list", "transports",
                    f"networkconnectivity.transports.list in {parent}", parent=parent)
            listed = self._lists[key]
            if listed is UNREAD:
                reason = self._stopped or self._down.get("networkconnectivity") or "the listing failed"
                self.state.unread.append(Unread(f"transport of interconnect '{ic.name}' in {parent}", reason, ic))
                continue
            mine = sorted((t for t in listed if owned(t.get("labels"), self.stack.name, "interconnect", ic.name)
                           and t.get("state") not in ("DELETING", "DEPROVISIONED")), key=lambda t: t.get("name", ""))
            if not mine:
                self.state.transports[ic.name] = None
                continue
            raw = mine[0]
            transport = LiveTransport(
                raw.get("name", ""), raw.get("state", "STATE_UNSPECIFIED"),
                frozenset(p for p in map(_prefix, raw.get("advertisedRoutes", [])) if p is not None),
                raw.get("network", ""), raw.get("peeringNetwork", ""), raw.get("bandwidth", ""),
                raw.get("stackType", ""),
            )
            self.state.transports[ic.name] = transport
            if transport.network and transport.peering_network:
                self._peering(ic, transport)

    def _peering(self, ic: m.Interconnect, transport: LiveTransport) -> None:
        path = network_path(transport.network)
        parts = path.split("/")
        if len(parts) != 5:
            return
        project, network = parts[1], parts[4]
        name = self._network_of_path(path)
        raw = self._raw_networks.get(name) if name else None
        if raw is None:
            raw = self.attempt(f"network {path} of interconnect '{ic.name}'", [ic], "compute", self.get, "compute",
                               lambda c: c.networks().get(project=project, network=network),
                               f"compute.networks.get {path}")
            if raw is UNREAD:
                return
        transport.network_read = True
        if raw is None:
            return
        towards = network_path(transport.peering_network)
        peering = next((p for p in raw.get("peerings", []) if network_path(p.get("network", "")) == towards), None)
        if peering is None:
            return
        live = LivePeering(peering.get("name", ""), peering.get("state", ""),
                           bool(peering.get("exportCustomRoutes")), bool(peering.get("importCustomRoutes")))
        transport.peering = live
        for direction in ("INCOMING", "OUTGOING"):
            routes = self.attempt(
                f"{direction.lower()} routes of peering '{live.name}' of interconnect '{ic.name}'", [ic], "compute",
                self.list_all, "compute", lambda c: c.networks(), "listPeeringRoutes", "items",
                f"compute.networks.listPeeringRoutes of {path}", project=project, network=network,
                peeringName=live.name, direction=direction, region=ic.gcp.region, where=ic.gcp.region)
            if routes is UNREAD:
                continue
            prefixes = frozenset(p for p in (_prefix(r.get("destRange", "")) for r in routes) if p is not None)
            if direction == "INCOMING":
                live.imported = prefixes
            else:
                live.exported = prefixes

    def _firewalls_and_routes(self) -> None:
        for net in self._gcp_networks():
            path = self.state.gcp_networks.get(net.name)
            if path is None:
                continue
            project = path.split("/")[1]
            for kind, method, prefix in (("firewalls", "firewalls", gcp_firewall_prefix(net.name)),
                                         ("routes", "routes", gcp_route_prefix(net.name))):
                key = (kind, project)
                if key not in self._lists or self._lists[key] is UNREAD:
                    self._lists[key] = self.attempt(
                        f"{'firewall rules' if kind == 'firewalls' else 'routes'} of network '{net.name}'", [net],
                        "compute", self.list_all, "compute", lambda c, m=method: getattr(c, m)(), "list", "items",
                        f"compute.{method}.list in {project}", project=project)
                listed = self._lists[key]
                if listed is UNREAD:
                    continue
                here = [r for r in listed
                        if network_path(r.get("network", "")) == path and r.get("name", "").startswith(prefix)]
                if kind == "firewalls":
                    self.state.firewalls[net.name] = sorted((_firewall(r) for r in here), key=lambda f: f.name)
                else:
                    self.state.gcp_routes[net.name] = sorted(
                        (LiveGcpRoute(r["name"], p, _next_hop(r)) for r in here
                         if (p := _prefix(r.get("destRange", ""))) is not None), key=lambda r: r.name)

    def _zones(self) -> None:
        for _, zones, listed in self.per_project(
                self.stack.dns.forwarding_zones, lambda z: z.networks[0], "Cloud DNS zone", "Cloud DNS managed zones",
                "dns", lambda c: c.managedZones(), "managedZones", "dns.managedZones.list"):
            for zone in zones:
                raw = next((z for z in sorted(listed, key=lambda z: z.get("name", ""))
                            if owned(z.get("labels"), self.stack.name, "forwarding_zone", zone.name)), None)
                if raw is None:
                    self.state.zones[zone.name] = None
                    continue
                targets = raw.get("forwardingConfig", {}).get("targetNameServers", [])
                networks = raw.get("privateVisibilityConfig", {}).get("networks", [])
                self.state.zones[zone.name] = LiveForwardingZone(
                    raw.get("name", ""), raw.get("dnsName", "").rstrip(".").lower(), raw.get("visibility", ""),
                    frozenset((t.get("ipv4Address") or t.get("ipv6Address") or t.get("domainName", ""),
                               t.get("forwardingPath", "default")) for t in targets),
                    frozenset(last_segment(n.get("networkUrl", "")) for n in networks),
                )

    def _policies(self) -> None:
        for _, policies, listed in self.per_project(
                self.stack.dns.inbound_policies, lambda p: p.network, "Cloud DNS policy", "Cloud DNS policies", "dns",
                lambda c: c.policies(), "policies", "dns.policies.list"):
            for policy in policies:
                want = policy_description(self.stack.name, policy.name)
                raw = next((p for p in sorted(listed, key=lambda p: p.get("name", ""))
                            if p.get("description") == want), None)
                self.state.dns_policies[policy.name] = None if raw is None else LiveDnsPolicy(
                    raw.get("name", ""), bool(raw.get("enableInboundForwarding")),
                    frozenset(last_segment(n.get("networkUrl", "")) for n in raw.get("networks", [])),
                )

    def _workload_identity(self) -> None:
        for wif in self.stack.trust.workload_identity:
            def pools(c: Any) -> Any:
                return c.projects().locations().workloadIdentityPools()

            pool_name = f"projects/{wif.project}/locations/global/workloadIdentityPools/{wif.pool_id}"
            pool = self.attempt(f"Workload Identity pool {pool_name}", [wif], "iam", self.get, "iam",
                                lambda c, n=pool_name: pools(c).get(name=n), f"iam.workloadIdentityPools.get {pool_name}")
            if pool is UNREAD:
                continue
            if pool is None or pool.get("state") == "DELETED":
                self.state.workload_identity[wif.name] = None
                continue
            provider_name = f"{pool_name}/providers/{wif.provider_id}"
            provider = self.attempt(f"Workload Identity provider {provider_name}", [wif], "iam", self.get, "iam",
                                    lambda c, n=provider_name: pools(c).providers().get(name=n),
                                    f"iam.workloadIdentityPools.providers.get {provider_name}")
            if provider is UNREAD:
                continue
            base = {"pool": pool.get("name", pool_name), "pool_state": pool.get("state", ""),
                    "pool_disabled": bool(pool.get("disabled"))}
            if provider is None or provider.get("state") == "DELETED":
                self.state.workload_identity[wif.name] = LiveWorkloadIdentity(provider=None, **base)
                continue
            self.state.workload_identity[wif.name] = LiveWorkloadIdentity(
                provider=provider.get("name", provider_name), provider_state=provider.get("state", ""),
                provider_disabled=bool(provider.get("disabled")), condition=provider.get("attributeCondition"),
                aws_account=provider.get("aws", {}).get("accountId"), **base,
            )


def _firewall(raw: dict[str, Any]) -> LiveFirewall:
    allowed = []
    for rule in raw.get("allowed", []):
        proto = rule.get("IPProtocol", "")
        ports = rule.get("ports") or []
        allowed += [f"{proto}:{p}" for p in ports] or [proto]
    return LiveFirewall(
        raw.get("name", ""), raw.get("direction", "INGRESS"), bool(raw.get("disabled")), tuple(sorted(allowed)),
        bool(raw.get("denied")) and not raw.get("allowed"),
        frozenset(p for p in map(_prefix, raw.get("sourceRanges", [])) if p is not None),
        int(raw.get("priority", 1000)),
    )


def _next_hop(raw: dict[str, Any]) -> str:
    for key in ("nextHopIp", "nextHopGateway", "nextHopInstance", "nextHopIlb", "nextHopVpnTunnel", "nextHopPeering",
                "nextHopNetwork", "nextHopInterconnectAttachment", "nextHopHub"):
        if raw.get(key):
            return f"{key}={last_segment(str(raw[key]))}"
    return "no next hop"
