"""A small fake of the Google APIs `xcloud verify` reads, over real HTTP on 127.0.0.1 (threading http.server).

Requests are routed by the discovery documents google-api-python-client bundles: each served method is matched by
its `flatPath` under its API's `servicePath`, so a URL the real client would not build finds nothing (404). Every
answer is recorded with the discovery schema of the method's response (`FakeGoogle.answers`), and
test_verify_gcp.py validates them against those schemas: the fake speaks Google's shapes, not ours.

The store is plain dicts shaped like the API resources. `seed_from_plan` fills it with what deploying a stack
creates, from the offline plan's inventory (the inputs of every gcp resource) and the spec (what refers to what),
without relying on the mocks' ids. Faults: `fail(method, *statuses)` answers the next matching calls with those
HTTP statuses; `kill_on(method)` stops the server when a matching call arrives (the connection is dropped unanswered,
and every later call is refused).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
from collections import defaultdict
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from googleapiclient import discovery_cache

from xcloud_iac.spec import models as m

APIS = ("networkconnectivity", "compute", "dns", "iam")
PAGE = 2  # small pages, so every listing is paginated
TENANT = "aws-transport-tenant"  # Google's project holding the transports' networks


def documents() -> dict[str, dict[str, Any]]:
    return {api: json.loads(discovery_cache.get_static_doc(api, "v1")) for api in APIS}


def _methods(doc: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def walk(res: dict[str, Any]) -> None:
        out.extend(res.get("methods", {}).values())
        for child in res.get("resources", {}).values():
            walk(child)

    walk(doc)
    return out


def physical(logical: str) -> str:
    """A name as Pulumi auto-names: the logical name and a 7-character suffix."""
    return f"{logical}-{hashlib.sha256(logical.encode()).hexdigest()[:7]}"


def error(status: int, message: str) -> dict[str, Any]:
    names = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED",
             500: "INTERNAL", 503: "UNAVAILABLE"}
    return {"error": {"code": status, "message": message, "status": names.get(status, "UNKNOWN")}}


class FakeGoogle:
    def __init__(self) -> None:
        self.docs = documents()
        self.transports: list[dict[str, Any]] = []
        self.networks: dict[str, list[dict[str, Any]]] = defaultdict(list)  # project -> networks
        self.peering_routes: dict[tuple[str, str, str], list[dict[str, Any]]] = {}  # (network, peering, direction)
        self.firewalls: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.routes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.zones: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.policies: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.pools: dict[str, dict[str, Any]] = {}  # name -> pool
        self.providers: dict[str, dict[str, Any]] = {}  # name -> provider
        self.faults: dict[str, list[int]] = defaultdict(list)
        self.kill_on_method: str | None = None
        self.calls: list[str] = []  # method ids, in order
        self.answers: list[tuple[str, str, Any]] = []  # (api, response schema, body)
        self._routes = self._route_table()
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------ server

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's name for GET
                fake._handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

    def fail(self, method: str, *statuses: int) -> None:
        self.faults[method].extend(statuses)

    def kill_on(self, method: str) -> None:
        self.kill_on_method = method

    def _route_table(self) -> list[tuple[re.Pattern[str], str, str, str, Callable[..., Any]]]:
        handlers: dict[str, Callable[..., Any]] = {
            "networkconnectivity.projects.locations.transports.list": self._transports,
            "compute.networks.list": lambda p, q: self._page(self.networks[p["project"]], q, "items"),
            "compute.networks.get": self._network,
            "compute.networks.listPeeringRoutes": self._peering_routes,
            "compute.firewalls.list": lambda p, q: self._page(self.firewalls[p["project"]], q, "items"),
            "compute.routes.list": lambda p, q: self._page(self.routes[p["project"]], q, "items"),
            "dns.managedZones.list": lambda p, q: self._page(self.zones[p["project"]], q, "managedZones"),
            "dns.policies.list": lambda p, q: self._page(self.policies[p["project"]], q, "policies"),
            "iam.projects.locations.workloadIdentityPools.get": lambda p, q: self._get(self.pools, p),
            "iam.projects.locations.workloadIdentityPools.providers.get": lambda p, q: self._get(self.providers, p),
        }
        table = []
        for api, doc in self.docs.items():
            for method in _methods(doc):
                if method["id"] not in handlers or method["httpMethod"] != "GET":
                    continue
                flat = doc["servicePath"] + method.get("flatPath", method["path"])
                pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(flat))
                table.append((re.compile(f"^/{pattern}$"), api, method["id"], method["response"]["$ref"],
                              handlers[method["id"]]))
        assert len(table) == len(handlers), "a served method is missing from the discovery documents"
        return table

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        url = urlsplit(req.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        for pattern, api, method_id, schema, handler in self._routes:
            match = pattern.match(url.path)
            if match is None:
                continue
            with self._lock:
                self.calls.append(method_id)
                if self.kill_on_method == method_id:
                    self.stop()
                    req.close_connection = True
                    return  # dropped unanswered
                fault = self.faults[method_id].pop(0) if self.faults[method_id] else None
            if fault is not None:
                return self._send(req, fault, error(fault, f"injected {fault}"))
            params = {k: v for k, v in match.groupdict().items()}
            status, body = handler(params, query)
            if status == 200:
                with self._lock:
                    self.answers.append((api, schema, body))
            return self._send(req, status, body)
        self._send(req, 404, error(404, f"no such method: GET {url.path}"))

    @staticmethod
    def _send(req: BaseHTTPRequestHandler, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        req.send_response(status)
        req.send_header("Content-Type", "application/json; charset=UTF-8")
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)

    # ------------------------------------------------------------ methods

    @staticmethod
    def _page(items: list[dict[str, Any]], query: dict[str, str], key: str) -> tuple[int, dict[str, Any]]:
        start = int(query.get("pageToken", "0"))
        body: dict[str, Any] = {key: items[start:start + PAGE]}
        if start + PAGE < len(items):
            body["nextPageToken"] = str(start + PAGE)
        return 200, body

    def _transports(self, params: dict[str, str], query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        parent = f"projects/{params['projectsId']}/locations/{params['locationsId']}/transports/"
        return self._page([t for t in self.transports if t["name"].startswith(parent)], query, "transports")

    def _network(self, params: dict[str, str], query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        found = next((n for n in self.networks[params["project"]] if n["name"] == params["network"]), None)
        return (200, found) if found else (404, error(404, f"network {params['network']} not found"))

    def _peering_routes(self, params: dict[str, str], query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        key = (f"projects/{params['project']}/global/networks/{params['network']}", query.get("peeringName", ""),
               query.get("direction", ""))
        if key not in self.peering_routes or "region" not in query:
            return 400, error(400, "peeringName, direction and region are required")
        return self._page(self.peering_routes[key], query, "items")

    @staticmethod
    def _get(store: dict[str, dict[str, Any]], params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        name = "/".join(f"{k}/{params[i]}" for k, i in (
            ("projects", "projectsId"), ("locations", "locationsId"), ("workloadIdentityPools", "workloadIdentityPoolsId"),
            ("providers", "providersId")) if i in params)
        return (200, store[name]) if name in store else (404, error(404, f"{name} not found"))

    # ------------------------------------------------------------ seeding

    def network_url(self, project: str, name: str) -> str:
        return f"https://www.googleapis.com/compute/v1/projects/{project}/global/networks/{name}"

    def seed_from_plan(self, stack: m.Stack, inventory: Any, default_project: str) -> None:
        """What deploying `stack` creates on Google, from the plan's inputs; references resolved through the spec."""
        gcp = [r for r in copy.deepcopy(inventory.resources) if r.type.startswith("gcp:")]  # tests plant drift in them

        def of_type(token: str) -> list[Any]:
            return [r for r in gcp if r.type == token]

        networks: dict[str, tuple[str, str]] = {}  # spec network -> (project, physical name)
        for net in (n for n in stack.networks if n.cloud is m.Cloud.gcp):
            project = net.account or default_project
            planned = next(r for r in of_type("gcp:compute/network:Network")
                           if r.inputs.get("description") == f"xcloud {stack.name}: network {net.name}"
                           or (net.existing_id and r.name.startswith(net.name)))
            name = net.existing_id.rsplit("/", 1)[-1] if net.existing_id else physical(planned.name)
            networks[net.name] = (project, name)
            self.networks[project].append({
                "kind": "compute#network", "name": name, "selfLink": self.network_url(project, name),
                "description": planned.inputs.get("description", ""), "autoCreateSubnetworks": False,
                "routingConfig": {"routingMode": "GLOBAL"}, "mtu": net.mtu or 1460, "peerings": [],
            })
            for fw in of_type("gcp:compute/firewall:Firewall"):
                if fw.name.startswith(f"{net.name}-fw-"):
                    self.firewalls[project].append(firewall(project, physical(fw.name), name, fw.inputs))

        transports = {r.inputs["labels"]["xcloud-key"]: r for r in of_type(
            "gcp:networkconnectivity/transport:Transport")}
        for ic in stack.interconnects:
            planned = transports[f"interconnect_{ic.name}"]
            project, net_name = networks[ic.gcp.network]
            tname = f"projects/{ic.gcp.project}/locations/{ic.gcp.region}/transports/{physical(planned.name)}"
            peer_net = f"projects/{TENANT}/global/networks/transport-{physical(planned.name)}"
            self.transports.append({
                "name": tname, "state": "ACTIVE", "labels": planned.inputs["labels"],
                "advertisedRoutes": planned.inputs["advertisedRoutes"], "bandwidth": planned.inputs["bandwidth"],
                "stackType": planned.inputs["stackType"], "remoteProfile": planned.inputs["remoteProfile"],
                "network": self.network_url(project, net_name), "peeringNetwork": peer_net,
                "description": planned.inputs.get("description", ""), "mtuLimit": ic.mtu,
            })
            peering = f"transport-{ic.name}"
            vpc = self.find_network(project, net_name)
            vpc["peerings"].append({
                "name": peering, "network": f"https://www.googleapis.com/compute/v1/{peer_net}", "state": "ACTIVE",
                "stateDetails": "[2026-12-01T00:00:00Z]: Connected.", "exportCustomRoutes": True,
                "importCustomRoutes": True, "exchangeSubnetRoutes": True, "autoCreateRoutes": True,
            })
            path = f"projects/{project}/global/networks/{net_name}"
            spec_net = next(n for n in stack.networks if n.name == ic.gcp.network)
            self.peering_routes[(path, peering, "INCOMING")] = [
                {"destRange": str(p), "type": "DYNAMIC_PEERING_ROUTE", "nextHopRegion": ic.gcp.region,
                 "priority": 100, "imported": True} for p in ic.aws.allowed_prefixes]
            self.peering_routes[(path, peering, "OUTGOING")] = [
                {"destRange": str(c), "type": "SUBNET_PEERING_ROUTE", "nextHopRegion": ic.gcp.region,
                 "priority": 0, "imported": False} for c in spec_net.cidrs]

        zones = {r.inputs["labels"]["xcloud-key"]: r for r in of_type("gcp:dns/managedZone:ManagedZone")}
        for zone in stack.dns.forwarding_zones:
            planned = zones[f"forwarding_zone_{zone.name}"]
            project = networks[zone.networks[0]][0]
            self.zones[project].append({
                "kind": "dns#managedZone", "name": physical(planned.name), "dnsName": planned.inputs["dnsName"],
                "description": planned.inputs.get("description", ""), "visibility": "private",
                "labels": planned.inputs["labels"], "id": str(len(self.zones[project]) + 1000),
                "forwardingConfig": {"kind": "dns#managedZoneForwardingConfig", "targetNameServers": [
                    {"kind": "dns#managedZoneForwardingConfigNameServerTarget", **t}
                    for t in planned.inputs["forwardingConfig"]["targetNameServers"]]},
                "privateVisibilityConfig": {"kind": "dns#managedZonePrivateVisibilityConfig", "networks": [
                    {"kind": "dns#managedZonePrivateVisibilityConfigNetwork",
                     "networkUrl": self.network_url(*networks[n])} for n in zone.networks]},
            })
        for policy in stack.dns.inbound_policies:
            planned = next(r for r in of_type("gcp:dns/policy:Policy")
                           if r.inputs.get("description", "").endswith(f"inbound forwarding {policy.name}"))
            project = networks[policy.network][0]
            self.policies[project].append({
                "kind": "dns#policy", "name": physical(planned.name), "id": str(len(self.policies[project]) + 2000),
                "description": planned.inputs["description"],
                "enableInboundForwarding": planned.inputs["enableInboundForwarding"], "enableLogging": False,
                "networks": [{"kind": "dns#policyNetwork", "networkUrl": self.network_url(*networks[policy.network])}],
            })

        pools = of_type("gcp:iam/workloadIdentityPool:WorkloadIdentityPool")
        for planned in of_type("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider"):
            i = planned.inputs
            pool_name = f"projects/{i['project']}/locations/global/workloadIdentityPools/{i['workloadIdentityPoolId']}"
            pool = next(p for p in pools if p.inputs["workloadIdentityPoolId"] == i["workloadIdentityPoolId"])
            self.pools[pool_name] = {"name": pool_name, "state": "ACTIVE", "disabled": False,
                                     "displayName": pool.inputs.get("displayName", ""),
                                     "description": pool.inputs.get("description", "")}
            name = f"{pool_name}/providers/{i['workloadIdentityPoolProviderId']}"
            provider = {"name": name, "state": "ACTIVE", "disabled": False, "aws": {"accountId": i["aws"]["accountId"]},
                        "attributeMapping": i.get("attributeMapping", {}), "displayName": i.get("displayName", "")}
            if i.get("attributeCondition"):
                provider["attributeCondition"] = i["attributeCondition"]
            self.providers[name] = provider

    def find_network(self, project: str, name: str) -> dict[str, Any]:
        return next(n for n in self.networks[project] if n["name"] == name)


def firewall(project: str, name: str, network: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """A compute Firewall as the API returns it, from pulumi-gcp inputs (allows -> allowed)."""
    return {
        "kind": "compute#firewall", "name": name, "network":
            f"https://www.googleapis.com/compute/v1/projects/{project}/global/networks/{network}",
        "direction": inputs.get("direction", "INGRESS"), "priority": inputs.get("priority", 1000),
        "sourceRanges": list(inputs.get("sourceRanges", [])), "disabled": False,
        "allowed": [{"IPProtocol": a["protocol"], **({"ports": a["ports"]} if a.get("ports") else {})}
                    for a in inputs.get("allows", [])],
        "description": inputs.get("description", ""),
    }
