"""Pulumi mocks that record every registration: the engine `xcloud plan` runs deploy() against, and the one the
component and deploy() tests use.

`Recorder` is a MockMonitor: besides answering like the stock one, it keeps what the engine receives for each
resource - type token, logical name, parent URN, inputs (camelCase, secrets unwrapped, with the names of the secret
ones), the options the engine sees (protect, additional secret outputs, dependencies) and which resource each input
takes its value from (property dependencies) - and the outputs each component registers. `Mocks` echoes inputs and
fills in the outputs a provider would compute that the components read (ARNs, generated keys, ids). An id is
`<logical name>-id`, so a reference to another resource reads as that resource's name.

`install()` gives fresh mocks for one program: it resets Pulumi's runtime settings (monitor, engine, root stack), so
runs in one process do not see each other. `run(program)` runs `program` under `@pulumi.runtime.test`, which waits
for every registration (and for the Output `program` returns, so assertions inside `.apply` run), then returns what
`program` returned.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor

ACCOUNT = "123456789012"
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


class Recorder(MockMonitor):
    def __init__(self, mocks: pulumi.runtime.Mocks, on_register: Callable[[Registered], None] | None = None) -> None:
        super().__init__(mocks)
        self.registered: list[Registered] = []
        self.outputs: dict[str, dict[str, Any]] = {}
        """component URN -> the outputs it registered (`register_outputs`), secrets unwrapped."""
        self.on_register = on_register

    def _record(self, request: Any, urn: str, *, read: bool) -> None:
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
            custom=read or bool(request.custom), read=read,
            property_dependencies={k: sorted(v.urns) for k, v in deps.items() if v.urns},
        )
        self.registered.append(resource)
        if self.on_register is not None:
            self.on_register(resource)

    def RegisterResource(self, request):  # the gRPC method's name
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            self._record(request, response.urn, read=False)
        return response

    def RegisterResourceOutputs(self, request):
        self.outputs[request.urn] = unwrap(rpc.deserialize_properties(request.outputs))[0]
        return super().RegisterResourceOutputs(request)

    def ReadResource(self, request):
        response = super().ReadResource(request)
        self._record(request, response.urn, read=True)
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

    def counts(self) -> Counter[str]:
        return Counter(r.type for r in self.registered)

    def children_of(self, component: Registered) -> list[Registered]:
        return [r for r in self.registered if r.parent == component.urn]


GET_ADDRESSES = "gcp:compute/getAddresses:getAddresses"
_SUBNETWORK = "gcp:compute/subnetwork:Subnetwork"
_FILTER_SUBNET = re.compile(r'subnetwork = "([^"]+)"')


class Mocks(pulumi.runtime.Mocks):
    """Echo inputs; compute the outputs the components read; record invokes. The one invoke the components make,
    compute.getAddresses (the inbound forwarder addresses of a Cloud DNS server policy), is answered as Google
    would: one address per subnetwork, allocated from the subnetwork's primary range (the first one Google does not
    reserve: network address + 2)."""

    def __init__(self) -> None:
        self.calls: list[str] = []
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
        resource_id = args.resource_id or f"{args.name}-id"
        state = dict(args.inputs)
        plain = {k: unwrap(v)[0] for k, v in state.items()}
        extra = _computed(args.typ, args.name, resource_id, plain)
        state.update({k: v for k, v in extra.items() if k not in state})
        if args.typ == _SUBNETWORK and plain.get("ipCidrRange"):
            self.subnets[state["selfLink"]] = plain["ipCidrRange"]
        return resource_id, state


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
        return {"transitGatewayAttachmentId": f"tgw-attach-{name}"}
    if token == "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter":
        return {"transitGatewayAttachmentId": inputs.get("transitGatewayAttachmentId")}
    if token == "aws:networkmonitor/probe:Probe":
        return {"probeId": f"probe-{name}", "arn": f"arn:aws:networkmonitor:{region}:{ACCOUNT}:probe/{name}"}
    if token == "gcp:networkconnectivity/transport:Transport":
        return {"generatedActivationKey": f"gcp-generated-key-{name}", "mtuLimit": 1500}
    if token == "aws-native:interconnect:Connection":
        return {"activationKey": f"aws-generated-key-{name}", "connectionId": f"mcc-{name}",
                "arn": f"arn:aws:interconnect:{region}:{ACCOUNT}:connection/{name}"}
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
        service, kind = token.split(":")[1].split("/")[0], token.split(":")[-1].lower()
        return {"arn": f"arn:aws:{service}:{region}:{ACCOUNT}:{kind}/{resource_id}"}
    return {}


def install(
    on_register: Callable[[Registered], None] | None = None, *, logger: logging.Logger | None = None
) -> tuple[Mocks, Recorder]:
    """Fresh mocks and a fresh recorder for one program (a test, or one plan). `on_register` is called with each
    resource as the engine receives it; `logger` takes what the program logs (`pulumi.log`)."""
    mocks = Mocks()
    recorder = Recorder(mocks, on_register)
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=STACK, preview=False, monitor=recorder, logger=logger)
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
