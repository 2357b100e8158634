"""Pulumi mocks that record every registration: the engine `xcloud plan` runs deploy() against, and the one the
component and deploy() tests use.

`Recorder` is a MockMonitor: besides answering like the stock one, it keeps what the engine receives for each
resource - type token, logical name, parent URN, inputs (camelCase, secrets unwrapped, with the names of the secret
ones), the options the engine sees (protect, additional secret outputs, dependencies) and which resource each input
takes its value from (property dependencies) - and the outputs each component registers. `Mocks` echoes inputs and
fills in the outputs a provider would compute that the components read (ARNs, generated keys, ids). Ids have the
shapes the clouds give them (`vpc-<17 hex>`, Direct Connect gateway UUIDs, Google resource names; `mock_id`), derived
from the logical name, so plans are the same from run to run and references meet the APIs' patterns.

`install()` gives fresh mocks for one program: it resets Pulumi's runtime settings (monitor, engine, root stack), so
runs in one process do not see each other. `run(program)` runs `program` under `@pulumi.runtime.test`, which waits
for every registration (and for the Output `program` returns, so assertions inside `.apply` run), then returns what
`program` returned.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import re
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi
from google.protobuf import json_format
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor

ACCOUNT = "123456789012"
PROJECT_ID = "example-project"  # the Google project of resources that name none
PROJECT_NUMBER = "987654321098"
PROJECT, STACK = "xcloud-iac", "test"
# how the SDK serializes a secret: {_SECRET_SIG: _SECRET_VALUE, "value": ...}
_SECRET_SIG = rpc._special_sig_key
_SECRET_VALUE = rpc._special_secret_sig


@dataclass
class Registered:
    type: str
    name: str
    urn: str
    parent: str
    inputs: dict[str, Any]
    secret_inputs: set[str] = field(default_factory=set)
    protect: bool = False
    secret_outputs: list[str] = field(default_factory=list)
    dependencies: list[str] = field(default_factory=list)
    custom: bool = True
    read: bool = False
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    """input name -> URNs of the resources whose outputs the input is built from."""
    id: str = ""
    """The id the mocks gave it."""
    provider: str = ""
    """URN of the explicit provider resource the resource is created with ("" for the default provider)."""
    aliases: list[str] = field(default_factory=list)
    """Logical names this resource had before (aliases with a name), oldest first."""
    ignore_changes: list[str] = field(default_factory=list)
    """Inputs whose changes the engine ignores after creation (`ignore_changes`)."""
    replacement_trigger: str = ""
    """The `replacement_trigger` option as JSON ("" when unset): when it changes, the engine replaces."""
    read_id: str | None = None
    """The id an existing resource is read by (`Resource.get`)."""

    @property
    def parent_name(self) -> str:
        return self.parent.rsplit("::", 1)[-1] if self.parent else ""


def unwrap(value: Any) -> tuple[Any, bool]:
    """A deserialized property without secret wrappers, and whether any part of it was secret."""
    if isinstance(value, dict):
        if value.get(_SECRET_SIG) == _SECRET_VALUE:
            return unwrap(value["value"])[0], True
        pairs = {k: unwrap(v) for k, v in value.items()}
        return {k: v for k, (v, _s) in pairs.items()}, any(s for _v, s in pairs.values())
    if isinstance(value, list):
        items = [unwrap(v) for v in value]
        return [v for v, _s in items], any(s for _v, s in items)
    return value, False


def _trigger(request: Any) -> str:
    if not request.HasField("replacement_trigger"):
        return ""
    return json.dumps(json_format.MessageToDict(request.replacement_trigger), sort_keys=True)


class Recorder(MockMonitor):
    def __init__(self, mocks: pulumi.runtime.Mocks, on_register: Callable[[Registered], None] | None = None) -> None:
        super().__init__(mocks)
        self.registered: list[Registered] = []
        self.outputs: dict[str, dict[str, Any]] = {}
        """component URN -> the outputs it registered (`register_outputs`), secrets unwrapped."""
        self.on_register = on_register

    def _record(self, request: Any, urn: str, *, read: bool, resource_id: str = "") -> None:
        raw = rpc.deserialize_properties(request.properties if read else request.object)
        inputs, secret = {}, set()
        for key, value in raw.items():
            inputs[key], is_secret = unwrap(value)
            if is_secret:
                secret.add(key)
        deps = getattr(request, "propertyDependencies", None) or {}
        resource = Registered(
            type=request.type, name=request.name, urn=urn, parent=request.parent, inputs=inputs,
            secret_inputs=secret,
            protect=bool(getattr(request, "protect", False)) if not read else False,
            secret_outputs=list(getattr(request, "additionalSecretOutputs", []) or []),
            dependencies=list(getattr(request, "dependencies", []) or []),
            custom=read or bool(request.custom), read=read, id=resource_id,
            property_dependencies={k: sorted(v.urns) for k, v in deps.items() if v.urns},
            provider=(getattr(request, "provider", "") or "").rsplit("::", 1)[0],  # a reference is "<urn>::<id>"
            aliases=[a.spec.name for a in getattr(request, "aliases", []) or [] if a.HasField("spec") and a.spec.name]
            if not read else [],
            ignore_changes=list(getattr(request, "ignoreChanges", []) or []),
            replacement_trigger=_trigger(request) if not read else "",
            read_id=request.id if read else None,
        )
        self.registered.append(resource)
        if self.on_register is not None:
            self.on_register(resource)

    def RegisterResource(self, request):  # the gRPC method's name
        # a renamed resource keeps what it was deployed with (id, computed outputs) under its oldest name, as the
        # engine keeps the state of an aliased resource: a rename then changes no id another input refers to
        aliases = [a.spec.name for a in request.aliases if a.HasField("spec") and a.spec.name]
        identity = getattr(self.mocks, "identity", None)
        if identity is not None:
            identity.name = aliases[0] if aliases else None
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            self._record(request, response.urn, read=False, resource_id=response.id)
        return response

    def RegisterResourceOutputs(self, request):
        self.outputs[request.urn] = unwrap(rpc.deserialize_properties(request.outputs))[0]
        return super().RegisterResourceOutputs(request)

    def ReadResource(self, request):
        response = super().ReadResource(request)
        self._record(request, response.urn, read=True, resource_id=request.id)
        return response

    # ------------------------------------------------------------ queries

    def of_type(self, token: str) -> list[Registered]:
        return [r for r in self.registered if r.type == token]

    def one(self, token: str, name: str | None = None) -> Registered:
        found = [r for r in self.of_type(token) if name is None or r.name == name]
        assert len(found) == 1, f"expected one {token} {name or ''}, found {[r.name for r in found]}"
        return found[0]

    def named(self, name: str) -> Registered:
        found = [r for r in self.registered if r.name == name]
        assert len(found) == 1, f"expected one resource named {name}, found {len(found)}"
        return found[0]

    def id_of(self, name: str) -> str:
        """The id of the resource named `name` (as another resource's input refers to it)."""
        return self.named(name).id

    def counts(self) -> Counter[str]:
        return Counter(r.type for r in self.registered)

    def children_of(self, component: Registered) -> list[Registered]:
        return [r for r in self.registered if r.parent == component.urn]


STACK_REFERENCE = "pulumi:pulumi:StackReference"
GET_ADDRESSES = "gcp:compute/getAddresses:getAddresses"
_SUBNETWORK = "gcp:compute/subnetwork:Subnetwork"
_FILTER_SUBNET = re.compile(r'subnetwork = "([^"]+)"')


class Mocks(pulumi.runtime.Mocks):
    """Echo inputs; compute the outputs the components read; record invokes. The one invoke the components make,
    compute.getAddresses (the inbound forwarder addresses of a Cloud DNS server policy), is answered as Google
    would: one address per subnetwork, allocated from the subnetwork's primary range (the first one Google does not
    reserve: network address + 2).

    `stack_references` maps a stack name (`org/project/stack`) to its outputs: a `pulumi.StackReference` to it
    reads them as the engine hands them over (every value an Output, secret when the name is in `secret`)."""

    def __init__(self, stack_references: dict[str, dict[str, Any]] | None = None,
                 secret: frozenset[str] = frozenset()) -> None:
        self.calls: list[str] = []
        self.stack_references = stack_references or {}
        self.secret = secret
        self.identity = threading.local()
        """`.name`: the oldest name of the resource being registered, set by the Recorder (None: its name)."""
        self.subnets: dict[str, str] = {}  # self link -> primary range, of the subnetworks registered so far

    def call(self, args: pulumi.runtime.MockCallArgs):
        self.calls.append(args.token)
        if args.token == GET_ADDRESSES:
            return self._dns_forwarders(args.args)
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/xcloud", "id": ACCOUNT,
                    "userId": "AIDAXCLOUD"}
        return {}

    def _dns_forwarders(self, query: dict[str, Any]) -> dict[str, Any]:
        found = []
        if "DNS_RESOLVER" in (query.get("filter") or ""):
            for link in _FILTER_SUBNET.findall(query["filter"]):
                if link in self.subnets:
                    net = ipaddress.ip_network(self.subnets[link])
                    name = f"dns-forwarding-{link.rsplit('/', 1)[-1]}"
                    found.append({
                        "address": str(net.network_address + 2), "addressType": "INTERNAL", "description": "",
                        "labels": {}, "name": name, "prefixLength": 0, "region": query.get("region") or "",
                        "selfLink": link.replace("/subnetworks/", "/addresses/").rsplit("/", 1)[0] + f"/{name}",
                        "status": "IN_USE",
                    })
        return {"addresses": found, "filter": query.get("filter"), "id": "addresses",
                "project": query.get("project") or PROJECT, "region": query.get("region") or ""}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        if args.typ == STACK_REFERENCE:
            stack = args.resource_id or args.name
            if stack not in self.stack_references:
                raise KeyError(f"unknown stack reference '{stack}': known are {sorted(self.stack_references)}")
            outputs = self.stack_references[stack]
            return stack, {"name": stack, "outputs": outputs,
                           "secretOutputNames": sorted(k for k in outputs if k in self.secret)}
        name = getattr(self.identity, "name", None) or args.name
        state = dict(args.inputs)
        plain = {k: unwrap(v)[0] for k, v in state.items()}
        resource_id = args.resource_id or mock_id(args.typ, name, plain)
        extra = _computed(args.typ, name, resource_id, plain)
        state.update({k: v for k, v in extra.items() if k not in state})
        if args.typ == _SUBNETWORK and plain.get("ipCidrRange"):
            self.subnets[state["selfLink"]] = plain["ipCidrRange"]
        return resource_id, state


def _hex(seed: str, length: int = 17) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


def _uuid(seed: str) -> str:
    return str(uuid.UUID(hashlib.sha256(seed.encode()).hexdigest()[:32]))


# Ids in the shapes the clouds give them (AWS "<prefix>-<17 hex>", Direct Connect gateway UUIDs, Google resource
# names), derived from the logical name so plans stay the same from run to run. A reference to another resource
# then reads as the cloud would send it, and the contract check holds references to the APIs' patterns.
_AWS_ID_PREFIX = {
    "aws:ec2/vpc:Vpc": "vpc-",
    "aws:ec2/subnet:Subnet": "subnet-",
    "aws:ec2/securityGroup:SecurityGroup": "sg-",
    "aws:ec2/flowLog:FlowLog": "fl-",
    "aws:ec2/routeTable:RouteTable": "rtb-",
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": "vpc-cidr-assoc-",
    "aws:ec2transitgateway/transitGateway:TransitGateway": "tgw-",
    "aws:ec2transitgateway/routeTable:RouteTable": "tgw-rtb-",
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": "tgw-attach-",
    "aws:ec2transitgateway/peeringAttachment:PeeringAttachment": "tgw-attach-",
    "aws:networkmanager/globalNetwork:GlobalNetwork": "global-network-",
    "aws:networkmanager/coreNetwork:CoreNetwork": "core-network-",
    "aws:networkmanager/vpcAttachment:VpcAttachment": "attachment-",
    "aws:networkmanager/dxGatewayAttachment:DxGatewayAttachment": "attachment-",
    "aws:route53/resolverRule:ResolverRule": "rslvr-rr-",
    "aws:route53/resolverRuleAssociation:ResolverRuleAssociation": "rslvr-rrassoc-",
    "aws:directconnect/transitVirtualInterface:TransitVirtualInterface": "dxvif-",
}


def mock_id(token: str, name: str, inputs: dict[str, Any] | None = None) -> str:
    """The id the mocks give a resource of type `token` named `name` (its oldest name, when renamed)."""
    inputs = inputs or {}
    seed = f"{token}::{name}"
    if token in _AWS_ID_PREFIX:
        return _AWS_ID_PREFIX[token] + _hex(seed, 8 if token.endswith("TransitVirtualInterface") else 17)
    if token == "aws:route53/resolverEndpoint:ResolverEndpoint":
        return f"rslvr-{'in' if inputs.get('direction') == 'INBOUND' else 'out'}-{_hex(seed)}"
    if token in ("aws:directconnect/gateway:Gateway", "aws:directconnect/gatewayAssociation:GatewayAssociation"):
        return _uuid(seed)
    if token == "aws:iam/role:Role":
        return inputs.get("name") or name
    if token == "aws-native:interconnect:Connection":
        return f"mcc-{_hex(seed, 8)}"
    project = inputs.get("project") or PROJECT_ID
    if token == "gcp:compute/network:Network":
        return f"projects/{project}/global/networks/{inputs.get('name') or name}"
    if token == "gcp:compute/subnetwork:Subnetwork":
        return f"projects/{project}/regions/{inputs.get('region')}/subnetworks/{inputs.get('name') or name}"
    if token == "gcp:networkconnectivity/transport:Transport":
        return f"projects/{project}/locations/{inputs.get('region')}/transports/{inputs.get('name') or name}"
    if token == "gcp:dns/managedZone:ManagedZone":
        return f"projects/{project}/managedZones/{inputs.get('name') or name}"
    if token == "gcp:dns/policy:Policy":
        return f"projects/{project}/policies/{inputs.get('name') or name}"
    return f"{name}-id"


def association_attachment_id(name: str) -> str:
    """The Transit Gateway attachment a Direct Connect gateway association named `name` creates."""
    return f"tgw-attach-{_hex(f'dx-association::{name}')}"


def probe_id(name: str) -> str:
    """The id of the Network Monitor probe named `name`."""
    return f"probe-{_hex(f'probe::{name}', 26)}"


def _computed(token: str, name: str, resource_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
    region = inputs.get("region") or "us-east-1"
    if token == "aws:iam/role:Role":
        role_name = inputs.get("name") or name
        return {"name": role_name, "arn": f"arn:aws:iam::{ACCOUNT}:role/{role_name}"}
    if token == "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
        host_path = inputs["url"].split("://", 1)[-1].rstrip("/")
        return {"arn": f"arn:aws:iam::{ACCOUNT}:oidc-provider/{host_path}"}
    if token == "aws:sns/topic:Topic":
        topic = inputs.get("name") or name
        return {"name": topic, "arn": f"arn:aws:sns:{region}:{ACCOUNT}:{topic}"}
    if token == "aws:cloudwatch/logGroup:LogGroup":
        group = inputs.get("name") or name
        return {"name": group, "arn": f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{group}"}
    if token == "aws:directconnect/gatewayAssociation:GatewayAssociation":
        return {"transitGatewayAttachmentId": association_attachment_id(name)}
    if token == "aws:directconnect/gateway:Gateway":  # global: no region in the ARN
        return {"arn": f"arn:aws:directconnect::{ACCOUNT}:dx-gateway/{resource_id}"}
    if token.startswith("aws:networkmanager/") and token.split(":")[-1] in _NETWORKMANAGER_ARN:
        arn = {"arn": f"arn:aws:networkmanager::{ACCOUNT}:{_NETWORKMANAGER_ARN[token.split(':')[-1]]}/{resource_id}"}
        if inputs.get("coreNetworkId"):  # an attachment reports the ARN of its core network
            arn["coreNetworkArn"] = f"arn:aws:networkmanager::{ACCOUNT}:core-network/{inputs['coreNetworkId']}"
        return arn
    if token == "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter":
        return {"transitGatewayAttachmentId": inputs.get("transitGatewayAttachmentId")}
    if token == "aws:networkmonitor/probe:Probe":
        probe = probe_id(name)
        return {"probeId": probe, "arn": f"arn:aws:networkmonitor:{region}:{ACCOUNT}:probe/{probe}"}
    if token == "gcp:networkconnectivity/transport:Transport":
        return {"generatedActivationKey": f"gcp-generated-key-{name}", "mtuLimit": 1500,
                "peeringNetwork": f"projects/transport-tenant/global/networks/{name}-peering-network"}
    if token == "aws-native:interconnect:Connection":
        return {"activationKey": f"aws-generated-key-{name}", "connectionId": resource_id,
                "arn": f"arn:aws:interconnect:{region}:{ACCOUNT}:connection/{resource_id}"}
    if token == "gcp:iam/workloadIdentityPool:WorkloadIdentityPool":
        pool = inputs["workloadIdentityPoolId"]
        return {"name": f"projects/{PROJECT_NUMBER}/locations/global/workloadIdentityPools/{pool}"}
    if token == "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider":
        return {"name": f"projects/{PROJECT_NUMBER}/locations/global/workloadIdentityPools/"
                        f"{inputs.get('workloadIdentityPoolId')}/providers/{inputs['workloadIdentityPoolProviderId']}"}
    if token == _SUBNETWORK:
        project, subnet_region = inputs.get("project") or PROJECT, inputs.get("region") or "us-central1"
        return {"name": inputs.get("name") or name, "selfLink": "https://www.googleapis.com/compute/v1/projects/"
                f"{project}/regions/{subnet_region}/subnetworks/{inputs.get('name') or name}"}
    if token == "gcp:compute/network:Network":
        return {"selfLink": f"https://www.googleapis.com/compute/v1/{resource_id}"}
    if token.startswith("gcp:"):
        return {"name": inputs.get("name") or name}
    if token.startswith("aws:"):
        service, kind = token.split(":")[1].split("/")[0], token.split(":")[-1]
        kind = _ARN_KIND.get(token, re.sub(r"(?<!^)(?=[A-Z])", "-", kind).lower())
        return {"arn": f"arn:aws:{service}:{region}:{ACCOUNT}:{kind}/{resource_id}"}
    return {}


_NETWORKMANAGER_ARN = {"GlobalNetwork": "global-network", "CoreNetwork": "core-network",
                       "VpcAttachment": "attachment", "DxGatewayAttachment": "attachment"}
_ARN_KIND = {
    "aws:ec2transitgateway/routeTable:RouteTable": "transit-gateway-route-table",
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": "transit-gateway-attachment",
    "aws:ec2transitgateway/peeringAttachment:PeeringAttachment": "transit-gateway-attachment",
    "aws:route53/resolverEndpoint:ResolverEndpoint": "resolver-endpoint",
    "aws:route53/resolverRule:ResolverRule": "resolver-rule",
}


def install(
    on_register: Callable[[Registered], None] | None = None, *, logger: logging.Logger | None = None,
    stack_references: dict[str, dict[str, Any]] | None = None, secret_outputs: frozenset[str] = frozenset(),
    project: str = PROJECT, stack: str = STACK,
) -> tuple[Mocks, Recorder]:
    """Fresh mocks and a fresh recorder for one program (a test, or one plan). `on_register` is called with each
    resource as the engine receives it; `logger` takes what the program logs (`pulumi.log`); `stack_references`
    are the outputs of the stacks the program references (see Mocks)."""
    mocks = Mocks(stack_references, secret_outputs)
    recorder = Recorder(mocks, on_register)
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=recorder, logger=logger)
    return mocks, recorder


def run(program: Callable[[], Any]) -> Any:
    """Run `program` as a Pulumi program under mocks and wait for every registration. Returns what `program`
    returned; an Output is awaited (so assertions in its `.apply` run) and its value returned."""
    result: dict[str, Any] = {}

    @pulumi.runtime.test
    def _program():
        value = program()
        if isinstance(value, pulumi.Output):
            return value.apply(lambda resolved: result.__setitem__("value", resolved))
        result["value"] = value
        return None

    _program()
    return result["value"]
