"""The AWS side of `xcloud verify` tests for whole example stacks: moto, with Direct Connect served in front of it.

moto has no Direct Connect gateways, so `FakeAws` is one endpoint on 127.0.0.1 (real HTTP, threading http.server)
that answers the Direct Connect API itself and passes every other request, untouched, to moto. verify's boto3 code
runs unchanged against it with `--endpoint-url`.

Direct Connect is answered in either protocol its service model lists (JSON 1.1 with `X-Amz-Target:
OvertureService.<operation>`, which this botocore sends, or Smithy RPC v2 CBOR, POST
/service/OvertureService/operation/<operation>), in the protocol it was asked in. Every request is held against
the operation's input shape and every answer against its output shape in botocore's service model (as botocore's
Stubber does), so the fake speaks AWS's shapes, not ours; a request or answer off the model is answered with a 500
and kept in `invalid`.

What AWS does beyond the Direct Connect API, done here with moto's own objects (moto runs in this process,
`ThreadedMotoServer`, so its backends can be reached):
- Associating a Direct Connect gateway with a Transit Gateway creates a Transit Gateway attachment of type
  `direct-connect-gateway` (resource: the gateway id). The fake adds it to moto's ec2 backend with moto's own
  attachment class; associations and propagations of it then go through moto's ec2 API as for a VPC.
- Routes learned over a Direct Connect gateway (what the far side advertises over BGP: Google's advertised routes
  for an interconnect, the remote allow-list for an external link) are kept in `learned`;
  `emulate_hub_routes` adds them as propagated routes to SearchTransitGatewayRoutes answers of every table into
  which the gateway's attachment propagates (read from moto), as AWS would show them; likewise the CIDRs of a
  propagating VPC (moto installs no propagated routes; conftest.emulate_propagated_routes does the same for one
  region, this one for the table's own region).
- A Cloud WAN Direct Connect attachment (networkmanager, which verify does not read) shows in the Direct Connect API
  as an association with `associatedCoreNetwork`: `attach_core_network` stands in for it.
- A VPC route towards a Cloud WAN core network (`CoreNetworkArn`) is one moto's CreateRoute drops the target of:
  it is kept in `core_routes` and `emulate_hub_routes` adds it to DescribeRouteTables answers, as AWS shows it.

Faults: `kill_on(operation)` stops the whole endpoint when a request for that operation (Direct Connect or any
service passed to moto) arrives; the connection is dropped unanswered and every later request is refused.
"""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import botocore.session
import cbor2
from botocore.validate import ParamValidator
from gcp_fake import physical

from xcloud_iac.plan.mocks import association_attachment_id, mock_id
from xcloud_iac.spec import models as m

ACCOUNT = "123456789012"  # moto's default account
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
DX_MODEL = botocore.session.get_session().get_service_model("directconnect")
PAGE = 2  # small pages, so every listing is paginated
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"}


class FakeAws:
    def __init__(self, moto_url: str) -> None:
        self.moto = urlsplit(moto_url)
        self.gateways: dict[str, dict[str, Any]] = {}  # id -> DirectConnectGateway
        self.associations: dict[str, dict[str, Any]] = {}  # association id -> DirectConnectGatewayAssociation
        self.learned: dict[str, list[str]] = defaultdict(list)  # gateway id -> prefixes the far side advertises
        self.core_routes: dict[str, list[dict[str, str]]] = defaultdict(list)  # VPC route table id -> routes
        self.core_arns: dict[str, str] = {}  # core network id -> ARN
        self.kill_on_operation: str | None = None
        self.killed = False  # once killed, requests still in flight are dropped too
        self.calls: list[str] = []  # operation names, in order (Direct Connect and passed-through)
        self.answers: list[tuple[str, Any]] = []  # (Direct Connect operation, answer), each valid for the model
        self.invalid: list[str] = []
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()
        self._handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "CreateDirectConnectGateway": self._create_gateway,
            "CreateDirectConnectGatewayAssociation": self._create_association,
            "UpdateDirectConnectGatewayAssociation": self._update_association,
            "DescribeDirectConnectGateways": self._describe_gateways,
            "DescribeDirectConnectGatewayAssociations": self._describe_associations,
        }

    # ------------------------------------------------------------ server

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # http.server's names
                fake._handle(self)

            def do_GET(self) -> None:
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

    def kill_on(self, operation: str) -> None:
        self.kill_on_operation = operation

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        body = req.rfile.read(int(req.headers.get("Content-Length") or 0))
        parts = urlsplit(req.path).path.strip("/").split("/")
        target = req.headers.get("X-Amz-Target") or ""
        prefix = DX_MODEL.metadata["targetPrefix"]
        if len(parts) == 4 and parts[:3] == ["service", prefix, "operation"]:
            operation, cbor = parts[3], True  # Smithy RPC v2 CBOR
        elif target.startswith(f"{prefix}."):
            operation, cbor = target.removeprefix(f"{prefix}."), False  # JSON 1.1
        else:
            operation, cbor = _operation(req.headers, body), None  # another service: moto's
        with self._lock:
            self.calls.append(operation)
            if self.kill_on_operation == operation and not self.killed:
                self.killed = True
                threading.Thread(target=self.stop, daemon=True).start()  # shutdown() waits for this handler
            if self.killed:
                req.close_connection = True
                return  # dropped unanswered
        if cbor is None:
            self._pass_to_moto(req, body)
        else:
            self._direct_connect(req, operation, body, cbor)

    def _pass_to_moto(self, req: BaseHTTPRequestHandler, body: bytes) -> None:
        conn = http.client.HTTPConnection(self.moto.hostname, self.moto.port, timeout=120)
        try:
            headers = {k: v for k, v in req.headers.items() if k.lower() not in ("connection", "keep-alive")}
            conn.request(req.command, req.path, body=body, headers=headers)
            answer = conn.getresponse()
            data = answer.read()
            req.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in HOP_BY_HOP:
                    req.send_header(key, value)
            req.send_header("Content-Length", str(len(data)))
            req.end_headers()
            req.wfile.write(data)
        finally:
            conn.close()

    def _direct_connect(self, req: BaseHTTPRequestHandler, operation: str, body: bytes, cbor: bool) -> None:
        params = (cbor2.loads(body) if cbor else json.loads(body)) if body else {}

        def send(status: int, answer: dict[str, Any]) -> None:
            self._send(req, status, answer, cbor)

        if operation not in self._handlers:
            return send(400, {"__type": "DirectConnectClientException",
                              "message": f"{operation} is not served by the fake"})
        op = DX_MODEL.operation_model(operation)
        problems = ParamValidator().validate(params, op.input_shape)
        if problems.has_errors():
            return self._invalid(send, f"{operation} request: {problems.generate_report()}")
        try:
            with self._lock:
                answer = self._handlers[operation](params)
        except LookupError as exc:
            return send(400, {"__type": "DirectConnectClientException", "message": str(exc)})
        problems = ParamValidator().validate(answer, op.output_shape)
        if problems.has_errors():
            return self._invalid(send, f"{operation} answer: {problems.generate_report()}")
        with self._lock:
            self.answers.append((operation, json.loads(json.dumps(answer))))
        send(200, answer)

    def _invalid(self, send: Callable[[int, dict[str, Any]], None], problem: str) -> None:
        with self._lock:
            self.invalid.append(problem)
        send(500, {"__type": "DirectConnectServerException", "message": problem})

    @staticmethod
    def _send(req: BaseHTTPRequestHandler, status: int, body: dict[str, Any], cbor: bool) -> None:
        data = cbor2.dumps(body) if cbor else json.dumps(body).encode()
        req.send_response(status)
        if cbor:
            req.send_header("smithy-protocol", "rpc-v2-cbor")
        req.send_header("Content-Type", "application/cbor" if cbor else "application/x-amz-json-1.1")
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)

    # ------------------------------------------------------------ Direct Connect operations

    def _create_gateway(self, p: dict[str, Any]) -> dict[str, Any]:
        gateway = {
            "directConnectGatewayId": str(uuid.uuid4()), "directConnectGatewayName": p["directConnectGatewayName"],
            "amazonSideAsn": p.get("amazonSideAsn", 64512), "ownerAccount": ACCOUNT,
            "directConnectGatewayState": "available",
            **({"tags": list(p["tags"])} if p.get("tags") else {}),  # the model's tag list is never empty
        }
        self.gateways[gateway["directConnectGatewayId"]] = gateway
        return {"directConnectGateway": gateway}

    def _create_association(self, p: dict[str, Any]) -> dict[str, Any]:
        gateway = self.gateways.get(p["directConnectGatewayId"])
        if gateway is None:
            raise LookupError(f"Direct Connect gateway {p['directConnectGatewayId']} does not exist")
        region = attach_to_transit_gateway(p["gatewayId"], gateway["directConnectGatewayId"])
        association = {
            "directConnectGatewayId": gateway["directConnectGatewayId"], "directConnectGatewayOwnerAccount": ACCOUNT,
            "associationState": "associated", "associationId": str(uuid.uuid4()),
            "associatedGateway": {"id": p["gatewayId"], "type": "transitGateway", "ownerAccount": ACCOUNT,
                                  "region": region},
            "allowedPrefixesToDirectConnectGateway": [
                {"cidr": c["cidr"]} for c in p.get("addAllowedPrefixesToDirectConnectGateway", [])],
        }
        self.associations[association["associationId"]] = association
        return {"directConnectGatewayAssociation": association}

    def _update_association(self, p: dict[str, Any]) -> dict[str, Any]:
        association = self.associations.get(p.get("associationId", ""))
        if association is None:
            raise LookupError(f"association {p.get('associationId')} does not exist")
        remove = {c["cidr"] for c in p.get("removeAllowedPrefixesToDirectConnectGateway", [])}
        kept = [c for c in association["allowedPrefixesToDirectConnectGateway"] if c["cidr"] not in remove]
        association["allowedPrefixesToDirectConnectGateway"] = kept + [
            {"cidr": c["cidr"]} for c in p.get("addAllowedPrefixesToDirectConnectGateway", [])]
        return {"directConnectGatewayAssociation": association}

    def _describe_gateways(self, p: dict[str, Any]) -> dict[str, Any]:
        wanted = p.get("directConnectGatewayId")
        found = [g for g in self.gateways.values() if wanted in (None, g["directConnectGatewayId"])]
        return _page(found, p, "directConnectGateways")

    def _describe_associations(self, p: dict[str, Any]) -> dict[str, Any]:
        found = [a for a in self.associations.values()
                 if p.get("directConnectGatewayId") in (None, a["directConnectGatewayId"])
                 and p.get("associatedGatewayId") in (None, a.get("associatedGateway", {}).get("id"))]
        return _page(found, p, "directConnectGatewayAssociations")

    # ------------------------------------------------------------ what other services do to Direct Connect

    def attach_core_network(self, gateway_id: str, core_network_id: str, attachment_id: str) -> None:
        """A Cloud WAN Direct Connect attachment, as the Direct Connect API shows it (an association)."""
        with self._lock:
            association_id = str(uuid.uuid4())
            self.associations[association_id] = {
                "directConnectGatewayId": gateway_id, "directConnectGatewayOwnerAccount": ACCOUNT,
                "associationState": "associated", "associationId": association_id,
                "associatedCoreNetwork": {"id": core_network_id, "ownerAccount": ACCOUNT,
                                          "attachmentId": attachment_id},
                "allowedPrefixesToDirectConnectGateway": [],
            }

    def gateway_of(self, stack: str, key: str) -> dict[str, Any]:
        """The gateway tagged as the stack's `key` (e.g. interconnect/use1-gcp)."""
        return next(g for g in self.gateways.values()
                    if {"key": "xcloud:stack", "value": stack} in g.get("tags", [])
                    and {"key": "xcloud:key", "value": key} in g.get("tags", []))

    def associations_of(self, gateway_id: str) -> list[dict[str, Any]]:
        return [a for a in self.associations.values() if a["directConnectGatewayId"] == gateway_id]


def _page(items: list[dict[str, Any]], params: dict[str, Any], key: str) -> dict[str, Any]:
    start = int(params.get("nextToken") or 0)
    size = min(int(params.get("maxResults") or PAGE), PAGE)
    out: dict[str, Any] = {key: items[start:start + size]}
    if start + size < len(items):
        out["nextToken"] = str(start + size)
    return out


def _operation(headers: Any, body: bytes) -> str:
    """The operation of a request passed to moto: JSON protocols name it in X-Amz-Target, query protocols (EC2,
    IAM) in the form's Action."""
    target = headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]
    form = parse_qs(body.decode("utf-8", "replace"))
    return form.get("Action", ["?"])[0]


def attach_to_transit_gateway(tgw_id: str, gateway_id: str) -> str:
    """What AWS does on associating a Direct Connect gateway with a Transit Gateway: a `direct-connect-gateway`
    attachment, here in moto's backend with moto's own class. Returns the Transit Gateway's region."""
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachment

    for region, backend in list(ec2_backends[ACCOUNT].items()):
        tgw = backend.transit_gateways.get(tgw_id)
        if tgw is not None:
            attachment = TransitGatewayAttachment(backend, resource_id=gateway_id,
                                                  resource_type="direct-connect-gateway", transit_gateway=tgw)
            backend.transit_gateway_attachments[attachment.id] = attachment
            return region
    raise LookupError(f"Transit Gateway {tgw_id} does not exist")


def dx_attachment(tgw_id: str, gateway_id: str) -> str:
    """The id of the attachment `attach_to_transit_gateway` made."""
    from moto.ec2.models import ec2_backends

    for backend in list(ec2_backends[ACCOUNT].values()):
        for att in backend.transit_gateway_attachments.values():
            if att.transit_gateway_id == tgw_id and att.resource_id == gateway_id:
                return att.id
    raise LookupError(f"no attachment of {gateway_id} on {tgw_id}")


def emulate_hub_routes(session: boto3.Session, fake: FakeAws, moto_url: str) -> None:
    """Add to SearchTransitGatewayRoutes answers the propagated routes AWS would show and moto does not install:
    one per CIDR of a VPC whose attachment propagates into the table (as conftest.emulate_propagated_routes, in the
    table's own region), and the routes learned over a Direct Connect gateway whose attachment does (see the module
    docstring). Both are read from moto's propagations, so a disabled propagation takes its routes away."""
    def remember_table(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["xcloud_dx_table"] = params["TransitGatewayRouteTableId"]
        context["xcloud_dx_first_page"] = "NextToken" not in params

    def add_routes(parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if not context.get("xcloud_dx_first_page"):
            return
        table = context["xcloud_dx_table"]
        for region in regions_of_table(table):
            admin = boto3.client("ec2", endpoint_url=moto_url, region_name=region, **CREDENTIALS)
            propagations = admin.get_transit_gateway_route_table_propagations(TransitGatewayRouteTableId=table)
            for prop in propagations["TransitGatewayRouteTablePropagations"]:
                if prop["State"] != "enabled":
                    continue
                if prop["ResourceType"] == "vpc":
                    vpc = admin.describe_vpcs(VpcIds=[prop["ResourceId"]])["Vpcs"][0]
                    prefixes = [c["CidrBlock"] for c in vpc["CidrBlockAssociationSet"]]
                elif prop["ResourceType"] == "direct-connect-gateway":
                    prefixes = fake.learned.get(prop["ResourceId"], [])
                else:
                    continue
                for prefix in prefixes:
                    parsed.setdefault("Routes", []).append({
                        "DestinationCidrBlock": prefix, "Type": "propagated", "State": "active",
                        "TransitGatewayAttachments": [{
                            "TransitGatewayAttachmentId": prop["TransitGatewayAttachmentId"],
                            "ResourceId": prop["ResourceId"], "ResourceType": prop["ResourceType"],
                        }],
                    })

    def add_core_routes(parsed: dict[str, Any], **_: Any) -> None:
        for table in parsed.get("RouteTables") or []:
            table.setdefault("Routes", []).extend(dict(r) for r in fake.core_routes.get(table["RouteTableId"], []))

    session.events.register("provide-client-params.ec2.SearchTransitGatewayRoutes", remember_table)
    session.events.register("after-call.ec2.SearchTransitGatewayRoutes", add_routes)
    session.events.register("after-call.ec2.DescribeRouteTables", add_core_routes)


def regions_of_table(table_id: str) -> list[str]:
    from moto.ec2.models import ec2_backends

    return [region for region, backend in list(ec2_backends[ACCOUNT].items())
            if table_id in backend.transit_gateways_route_tables]


# ---------------------------------------------------------------- seeding from the plan

# the order AWS needs them in (what a resource refers to comes first)
SEED_ORDER = (
    "aws:ec2/vpc:Vpc",
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2transitgateway/transitGateway:TransitGateway",
    "aws:networkmanager/globalNetwork:GlobalNetwork",
    "aws:networkmanager/coreNetwork:CoreNetwork",
    "aws:ec2transitgateway/routeTable:RouteTable",
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
    "aws:directconnect/gateway:Gateway",
    "aws:directconnect/gatewayAssociation:GatewayAssociation",
    "aws:networkmanager/dxGatewayAttachment:DxGatewayAttachment",
    "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
    "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
    "aws:ec2transitgateway/route:Route",
    "aws:route53/resolverEndpoint:ResolverEndpoint",
    "aws:route53/resolverRule:ResolverRule",
    "aws:route53/resolverRuleAssociation:ResolverRuleAssociation",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    "aws:iam/role:Role",
    "aws:ec2/route:Route",
)


def seed_from_plan(stack: m.Stack, inventory: Any, fake: FakeAws, home_region: str = "us-east-1") -> dict[str, str]:
    """What deploying `stack` creates on AWS, from the plan's inputs, through the APIs (moto's, and Direct
    Connect's on the fake). References between resources are the mocks' ids in the plan (`mock_id`); each is
    replaced by the id the emulator gave. Returns plan logical name -> live id. Resources verify does not read
    (flow logs, alarms, Cloud WAN segments and attachments) are left out."""
    ids: dict[str, str] = {}  # the mocks' id -> live id
    by_name: dict[str, str] = {}

    def ref(value: Any) -> Any:
        if isinstance(value, str):
            return ids[value] if value in ids else value
        if isinstance(value, list):
            return [ref(v) for v in value]
        if isinstance(value, dict):
            return {k: ref(v) for k, v in value.items()}
        return value

    def aws(service: str, region: str | None) -> Any:
        return boto3.client(service, endpoint_url=fake.url, region_name=region or home_region, **CREDENTIALS)

    seed_existing_vpcs(stack, aws)
    planned = [r for r in inventory.resources if r.custom and not r.read and r.type in SEED_ORDER]
    planned.sort(key=lambda r: SEED_ORDER.index(r.type))
    for r in planned:
        i = ref(r.inputs)
        region = i.get("region") or home_region
        created = _create(r, i, region, aws, fake, ids, stack)
        if created is not None:
            ids[mock_id(r.type, r.name, r.inputs)] = created
            by_name[r.name] = created
        if r.type == "aws:networkmanager/coreNetwork:CoreNetwork" and created is not None:
            # VPC routes name the core network by its ARN (the mocks' ARN is made from the mocks' id)
            planned_arn = f"arn:aws:networkmanager::{ACCOUNT}:core-network/{mock_id(r.type, r.name, r.inputs)}"
            ids[planned_arn] = fake.core_arns[created]
    return by_name


def seed_existing_vpcs(stack: m.Stack, aws: Callable[[str, str | None], Any]) -> None:
    """The brownfield VPCs the spec names by id (`existing_id`), with their subnets and `route_table_ids`, under
    exactly those ids: the stack reads them and routes through them, it does not create them. moto draws every id
    at random; its id functions are replaced for the one call that makes each object (moto runs in this
    process). The first named route table is the VPC's main table, so the subnets use it as in a default VPC."""
    from unittest import mock

    for net in stack.networks:
        if net.cloud is not m.Cloud.aws or net.existing_id is None:
            continue
        ec2 = aws("ec2", net.region)
        tables = iter(net.route_table_ids)
        with mock.patch("moto.ec2.models.vpcs.random_vpc_id", return_value=net.existing_id), \
                mock.patch("moto.ec2.models.route_tables.random_route_table_id",
                           side_effect=lambda: next(tables, None) or _random("rtb")):
            ec2.create_vpc(CidrBlock=str(net.cidrs[0]))
            for _ in tables:  # more named tables than the main one
                ec2.create_route_table(VpcId=net.existing_id)
        for cidr in net.cidrs[1:]:
            ec2.associate_vpc_cidr_block(VpcId=net.existing_id, CidrBlock=str(cidr))
        for subnet in net.subnets:
            with mock.patch("moto.ec2.models.subnets.random_subnet_id", return_value=subnet.id or _random("subnet")):
                ec2.create_subnet(VpcId=net.existing_id, CidrBlock=str(subnet.cidr), AvailabilityZone=subnet.zone)


def _random(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:17]}"


def _tags(inputs: dict[str, Any], key: str = "Key", value: str = "Value") -> list[dict[str, str]]:
    return [{key: k, value: v} for k, v in (inputs.get("tags") or {}).items()]


def _create(r: Any, i: dict[str, Any], region: str, aws: Callable[[str, str | None], Any], fake: FakeAws,
            ids: dict[str, str], stack: m.Stack) -> str | None:
    kind = r.type

    def spec(resource: str) -> list[dict[str, Any]]:
        return [{"ResourceType": resource, "Tags": _tags(i)}]

    if kind == "aws:ec2/vpc:Vpc":
        return aws("ec2", region).create_vpc(CidrBlock=i["cidrBlock"], TagSpecifications=spec("vpc"))["Vpc"]["VpcId"]
    if kind == "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation":
        return aws("ec2", region).associate_vpc_cidr_block(VpcId=i["vpcId"], CidrBlock=i["cidrBlock"])[
            "CidrBlockAssociation"]["AssociationId"]
    if kind == "aws:ec2/subnet:Subnet":
        return aws("ec2", region).create_subnet(VpcId=i["vpcId"], CidrBlock=i["cidrBlock"],
                                                AvailabilityZone=i["availabilityZone"],
                                                TagSpecifications=spec("subnet"))["Subnet"]["SubnetId"]
    if kind == "aws:ec2/securityGroup:SecurityGroup":
        ec2 = aws("ec2", region)
        group = ec2.create_security_group(GroupName=physical(r.name), Description=i.get("description", ""),
                                          VpcId=i["vpcId"])["GroupId"]
        rules = [{"IpProtocol": rule["protocol"], "FromPort": rule["fromPort"], "ToPort": rule["toPort"],
                  "IpRanges": [{"CidrIp": c} for c in rule.get("cidrBlocks", [])],
                  "Ipv6Ranges": [{"CidrIpv6": c} for c in rule.get("ipv6CidrBlocks", [])]}
                 for rule in i.get("ingress", [])]
        if rules:
            ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=rules)
        return group
    if kind == "aws:ec2/routeTable:RouteTable":
        return aws("ec2", region).create_route_table(VpcId=i["vpcId"], TagSpecifications=spec("route-table"))[
            "RouteTable"]["RouteTableId"]
    if kind == "aws:ec2/routeTableAssociation:RouteTableAssociation":
        return aws("ec2", region).associate_route_table(RouteTableId=i["routeTableId"], SubnetId=i["subnetId"])[
            "AssociationId"]
    if kind == "aws:ec2/route:Route":
        if i.get("coreNetworkArn"):
            fake.core_routes[i["routeTableId"]].append({
                "DestinationCidrBlock": i["destinationCidrBlock"], "CoreNetworkArn": i["coreNetworkArn"],
                "Origin": "CreateRoute", "State": "active"})
        else:
            aws("ec2", region).create_route(RouteTableId=i["routeTableId"],
                                            DestinationCidrBlock=i["destinationCidrBlock"],
                                            TransitGatewayId=i["transitGatewayId"])
        return None
    if kind == "aws:networkmanager/globalNetwork:GlobalNetwork":
        return aws("networkmanager", "us-west-2").create_global_network(
            Description=i.get("description", ""), Tags=_tags(i))["GlobalNetwork"]["GlobalNetworkId"]
    if kind == "aws:networkmanager/coreNetwork:CoreNetwork":
        core = aws("networkmanager", "us-west-2").create_core_network(
            GlobalNetworkId=i["globalNetworkId"], Description=i.get("description", ""),
            PolicyDocument=i["basePolicyDocument"], Tags=_tags(i))["CoreNetwork"]
        fake.core_arns[core["CoreNetworkId"]] = core["CoreNetworkArn"]
        return core["CoreNetworkId"]
    if kind == "aws:ec2transitgateway/transitGateway:TransitGateway":
        ec2 = aws("ec2", region)
        tgw = ec2.create_transit_gateway(Description=i.get("description", ""), Options={
            "AmazonSideAsn": i["amazonSideAsn"], "DefaultRouteTableAssociation": i["defaultRouteTableAssociation"],
            "DefaultRouteTablePropagation": i["defaultRouteTablePropagation"]},
            TagSpecifications=spec("transit-gateway"))["TransitGateway"]["TransitGatewayId"]
        # moto makes a default route table even when default association is disabled (AWS does not)
        for table in ec2.describe_transit_gateway_route_tables()["TransitGatewayRouteTables"]:
            if table["TransitGatewayId"] == tgw:
                ec2.delete_transit_gateway_route_table(TransitGatewayRouteTableId=table["TransitGatewayRouteTableId"])
        return tgw
    if kind == "aws:ec2transitgateway/routeTable:RouteTable":
        return aws("ec2", region).create_transit_gateway_route_table(
            TransitGatewayId=i["transitGatewayId"], TagSpecifications=spec("transit-gateway-route-table"),
        )["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
    if kind == "aws:ec2transitgateway/vpcAttachment:VpcAttachment":
        ec2 = aws("ec2", region)
        att = ec2.create_transit_gateway_vpc_attachment(
            TransitGatewayId=i["transitGatewayId"], VpcId=i["vpcId"], SubnetIds=i["subnetIds"],
        )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        ec2.create_tags(Resources=[att], Tags=_tags(i))  # moto drops an attachment's TagSpecifications
        return att
    if kind == "aws:directconnect/gateway:Gateway":
        return aws("directconnect", region).create_direct_connect_gateway(
            directConnectGatewayName=physical(r.name), amazonSideAsn=int(i["amazonSideAsn"]),
            tags=_tags(i, "key", "value"),
        )["directConnectGateway"]["directConnectGatewayId"]
    if kind == "aws:directconnect/gatewayAssociation:GatewayAssociation":
        association = aws("directconnect", region).create_direct_connect_gateway_association(
            directConnectGatewayId=i["dxGatewayId"], gatewayId=i["associatedGatewayId"],
            addAllowedPrefixesToDirectConnectGateway=[{"cidr": c} for c in i.get("allowedPrefixes", [])],
        )["directConnectGatewayAssociation"]
        ids[association_attachment_id(r.name)] = dx_attachment(i["associatedGatewayId"], i["dxGatewayId"])
        fake.learned[i["dxGatewayId"]] = far_side_prefixes(stack, i["dxGatewayId"], fake)
        return association["associationId"]
    if kind == "aws:networkmanager/dxGatewayAttachment:DxGatewayAttachment":
        gateway = i["directConnectGatewayArn"].rsplit("/", 1)[-1]
        attachment = _random("attachment")
        fake.attach_core_network(ids.get(gateway, gateway), i["coreNetworkId"], attachment)
        return attachment
    if kind == "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation":
        aws("ec2", region).associate_transit_gateway_route_table(
            TransitGatewayRouteTableId=i["transitGatewayRouteTableId"],
            TransitGatewayAttachmentId=i["transitGatewayAttachmentId"])
        return None
    if kind == "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation":
        aws("ec2", region).enable_transit_gateway_route_table_propagation(
            TransitGatewayRouteTableId=i["transitGatewayRouteTableId"],
            TransitGatewayAttachmentId=i["transitGatewayAttachmentId"])
        return None
    if kind == "aws:ec2transitgateway/route:Route":
        target = ({"Blackhole": True} if i.get("blackhole") else
                  {"TransitGatewayAttachmentId": i["transitGatewayAttachmentId"]})
        aws("ec2", region).create_transit_gateway_route(
            TransitGatewayRouteTableId=i["transitGatewayRouteTableId"], DestinationCidrBlock=i["destinationCidrBlock"],
            **target)
        return None
    if kind == "aws:route53/resolverEndpoint:ResolverEndpoint":
        addresses = [{"SubnetId": a["subnetId"], **({"Ip": a["ip"]} if a.get("ip") else {})}
                     for a in i["ipAddresses"]]
        return aws("route53resolver", region).create_resolver_endpoint(
            CreatorRequestId=r.name, Name=i.get("name", r.name), SecurityGroupIds=i["securityGroupIds"],
            Direction=i["direction"], IpAddresses=addresses, Tags=_tags(i),
        )["ResolverEndpoint"]["Id"]
    if kind == "aws:route53/resolverRule:ResolverRule":
        targets = [{"Ip": t["ip"], "Port": int(t.get("port", 53))} for t in i.get("targetIps", [])]
        return aws("route53resolver", region).create_resolver_rule(
            CreatorRequestId=r.name, Name=i.get("name", r.name), RuleType=i["ruleType"], DomainName=i["domainName"],
            TargetIps=targets, ResolverEndpointId=i["resolverEndpointId"], Tags=_tags(i),
        )["ResolverRule"]["Id"]
    if kind == "aws:route53/resolverRuleAssociation:ResolverRuleAssociation":
        return aws("route53resolver", region).associate_resolver_rule(
            ResolverRuleId=i["resolverRuleId"], VPCId=i["vpcId"], Name=r.name,
        )["ResolverRuleAssociation"]["Id"]
    if kind == "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
        return aws("iam", None).create_open_id_connect_provider(
            Url=i["url"], ClientIDList=i.get("clientIdLists", []), Tags=_tags(i),
            **({"ThumbprintList": i["thumbprintLists"]} if i.get("thumbprintLists") else {}),
        )["OpenIDConnectProviderArn"]
    if kind == "aws:iam/role:Role":
        return aws("iam", None).create_role(
            RoleName=i.get("name") or physical(r.name), AssumeRolePolicyDocument=i["assumeRolePolicy"],
            MaxSessionDuration=int(i.get("maxSessionDuration", 3600)), Tags=_tags(i),
        )["Role"]["RoleName"]
    raise AssertionError(f"no seed for {kind}")


def far_side_prefixes(stack: m.Stack, gateway_id: str, fake: FakeAws) -> list[str]:
    """What the far side of the gateway advertises over BGP: Google advertises the interconnect's gcp allow-list,
    an external network its remote allow-list."""
    gateway = fake.gateways[gateway_id]
    key = next(t["value"] for t in gateway["tags"] if t["key"] == "xcloud:key")
    kind, name = key.split("/", 1)
    if kind == "interconnect":
        owner = next(ic for ic in stack.interconnects if ic.name == name)
        return [str(p) for p in owner.gcp.allowed_prefixes]
    link = next(lk for lk in stack.links if lk.name == name)
    return [str(p) for p in link.remote.allowed_prefixes]
