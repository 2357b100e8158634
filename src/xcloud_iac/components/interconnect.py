"""AWS Interconnect - multicloud <-> Google Partner Cross-Cloud Interconnect, both ends in one program.

Google side: `gcp.networkconnectivity.Transport` peers the Google network with the remote transport profile
`projects/<project>/locations/<gcp-region>/remoteTransportProfiles/aws-<aws-region>` and advertises the spec's
Google routes (by default exactly the Google allow-list; a stack whose Cloud DNS forwards to AWS carries
35.199.192.0/19 there, the source of Cloud DNS forwarded queries, so AWS has the route back for the answers).
AWS side: `aws_native.interconnect.Connection` lands on a Direct Connect gateway, which is attached to the hubs
that declare the interconnect (a gateway association whose allowed prefixes are the AWS allow-list, for a Transit
Gateway; a Direct Connect gateway attachment, for Cloud WAN).

The activation key goes one way, inside the program, and is a secret in state:
- `activation_key_from: gcp` - the Transport generates it (`generated_activation_key`) and the Connection accepts it;
- `activation_key_from: aws` - the Connection is created from `environment_id` + bandwidth + the Google project as
  remote account, and its `activation_key` is given to the Transport (`provided_activation_key`).

Routes on the Google side: the Transport peers the network with a peering network of its own (`peering_network`),
and this component creates the network's side of that peering with custom route import and export, so the routes
learned from AWS reach the network's route table.

MTU: the Transport's `mtu_limit` is output-only in the Google API and the AWS Connection has no MTU, so the link's
MTU is not an argument of either; the networks carry it (`mtu` of the Google network) and XC204 checks both sides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws_native as aws_native
import pulumi_gcp as gcp

from ..spec import catalog
from ..spec import models as m
from ._attach import AttachPoint, attach_direct_connect_gateway, direct_connect_gateway
from ._common import Problems, aws_native_tags, child_opts, gcp_labels, stack_name, to_strings

STACK_TYPES = {m.StackType.ipv4: "IPV4_ONLY", m.StackType.dual: "IPV4_IPV6"}


# AWS::Interconnect::Connection Description: ^[-a-zA-Z0-9_ ]+$, 1..255 characters (CloudFormation schema).
_DESCRIPTION_REFUSED = re.compile(r"[^-a-zA-Z0-9_ ]+")


def connection_description(stack: str, interconnect: m.Interconnect) -> str:
    """The description both ends carry, in the characters the Connection's description allows."""
    text = f"xcloud {stack} {interconnect.name} {interconnect.aws.region} to {interconnect.gcp.region}"
    return _DESCRIPTION_REFUSED.sub(" ", text)[:255]


def remote_profile(interconnect: m.Interconnect) -> str:
    g, a = interconnect.gcp, interconnect.aws
    return f"projects/{g.project}/locations/{g.region}/remoteTransportProfiles/aws-{a.region}"


@dataclass
class AwsGcpInterconnectArgs:
    interconnect: m.Interconnect
    gcp_network: pulumi.Input[str]
    """The Google network the transport peers with (its id, e.g. projects/p/global/networks/n)."""
    attach: Sequence[AttachPoint] = ()
    """The hubs that declare the interconnect (attach points from TransitHub / CloudWanCore)."""
    stack: str | None = None


class AwsGcpInterconnect(pulumi.ComponentResource):
    dx_gateway_id: pulumi.Output[str]
    dx_gateway_arn: pulumi.Output[str]
    transport_id: pulumi.Output[str]
    connection_id: pulumi.Output[str]
    connection_arn: pulumi.Output[str]
    activation_key: pulumi.Output[str]
    """Secret."""
    hub_attachment_ids: dict[str, pulumi.Output[str]]
    advertised_routes: list[str]
    remote_profile: str

    def __init__(self, name: str, args: AwsGcpInterconnectArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        self.validate(name, args)
        ic = args.interconnect
        super().__init__("xcloud:interconnect:AwsGcpInterconnect", name, None, opts)
        stack = stack_name(args.stack)
        self.remote_profile = remote_profile(ic)
        self.advertised_routes = to_strings(ic.gcp.advertised)

        gateway = direct_connect_gateway(
            self, name, asn=ic.aws.dx_gateway_asn, protect=ic.protect, stack=stack, kind="interconnect", key=ic.name
        )
        self.hub_attachment_ids = attach_direct_connect_gateway(
            self, name, gateway, args.attach,
            allowed_prefixes=to_strings(ic.aws.allowed_prefixes),
            aws_region=ic.aws.region, stack=stack, kind="interconnect", key=ic.name,
        )

        description = connection_description(stack, ic)

        def transport(provided_key: pulumi.Input[str] | None) -> gcp.networkconnectivity.Transport:
            # Google: without a key, bandwidth, remoteAccountId and remoteProfile are required together; with a
            # provided key, bandwidth and the remote account come from the key and must not be sent.
            creates = provided_key is None
            return gcp.networkconnectivity.Transport(
                f"{name}-transport",
                project=ic.gcp.project,
                region=ic.gcp.region,
                remote_profile=self.remote_profile,
                network=args.gcp_network,
                bandwidth=catalog.gcp_bandwidth(ic.bandwidth) if creates else None,
                stack_type=STACK_TYPES[ic.stack_type],
                advertised_routes=self.advertised_routes,
                remote_account_id=ic.aws.account if creates else None,
                provided_activation_key=provided_key,
                description=description,
                labels=gcp_labels(stack, "interconnect", ic.name),
                # The key is a secret whichever side generates it (the provider marks neither field secret).
                # remoteProfile and providedActivationKey are immutable: the API may echo the profile in another
                # form, and the provided key is the other side's output, valid only while PENDING_KEY. Their
                # drift must never replace this protected resource; a change of the spec's profile still does.
                opts=pulumi.ResourceOptions.merge(
                    child_opts(self, protect=ic.protect,
                               secret_outputs=["generatedActivationKey", "providedActivationKey"]),
                    pulumi.ResourceOptions(ignore_changes=["remoteProfile", "providedActivationKey"],
                                           replacement_trigger=self.remote_profile),
                ),
            )

        def connection(**mode: pulumi.Input) -> aws_native.interconnect.Connection:
            return aws_native.interconnect.Connection(  # type: ignore[call-overload]  # **mode: one of two input sets
                f"{name}-connection",
                attach_point={"direct_connect_gateway": gateway.id},
                description=description,
                tags=aws_native_tags(stack, "interconnect", ic.name, name=ic.name),
                # activationKey is create-only and comes from Google's generatedActivationKey, which Google
                # clears or changes once the key is accepted: its drift must not replace this protected resource
                opts=pulumi.ResourceOptions.merge(
                    child_opts(self, protect=ic.protect, secret_outputs=["activationKey"]),
                    pulumi.ResourceOptions(ignore_changes=["activationKey"]),
                ),
                **mode,
            )

        if ic.activation_key_from == "gcp":
            google = transport(None)
            self.activation_key = pulumi.Output.secret(google.generated_activation_key)
            # accepting a key: AWS takes ActivationKey alone (mutually exclusive with EnvironmentId and Bandwidth)
            amazon = connection(activation_key=self.activation_key)
        else:
            amazon = connection(
                environment_id=ic.aws.environment_id,
                bandwidth=catalog.aws_bandwidth(ic.bandwidth),
                remote_account={"identifier": ic.gcp.project},
            )
            self.activation_key = pulumi.Output.secret(amazon.activation_key)  # type: ignore[arg-type]  # set once AWS creates it
            google = transport(self.activation_key)

        # The Transport proposes a VPC peering between the network and its own peering network; it is not
        # auto-accepted: this side of it is created here, importing the routes learned from AWS (custom dynamic
        # routes of the peering network) and exporting the network's custom routes (what it learns elsewhere).
        # Subnet routes are always exchanged; what AWS learns is still only the Transport's advertised_routes.
        self.peering = gcp.compute.NetworkPeering(
            f"{name}-peering",
            network=args.gcp_network,
            peer_network=google.peering_network,
            import_custom_routes=True,
            export_custom_routes=True,
            stack_type=STACK_TYPES[ic.stack_type],
            opts=child_opts(self),
        )

        self.dx_gateway_id = gateway.id
        self.dx_gateway_arn = gateway.arn
        self.transport_id = google.id
        self.connection_id = amazon.connection_id
        self.connection_arn = amazon.arn
        self.register_outputs({
            "dx_gateway_id": self.dx_gateway_id,
            "transport_id": self.transport_id,
            "connection_id": self.connection_id,
            "activation_key": self.activation_key,
            "hub_attachment_ids": self.hub_attachment_ids,
        })

    @staticmethod
    def validate(name: str, args: AwsGcpInterconnectArgs) -> None:
        _validate(name, args.interconnect)


def _validate(name: str, ic: m.Interconnect) -> None:
    problems = Problems(f"AwsGcpInterconnect '{name}'")
    partner = catalog.INTERCONNECT_REGION_PAIRS.get(ic.aws.region)
    problems.require(
        partner == ic.gcp.region,
        f"AWS {ic.aws.region} pairs with Google {partner}, not {ic.gcp.region}" if partner
        else f"AWS Interconnect - multicloud is not offered in {ic.aws.region}",
    )
    problems.require(
        ic.bandwidth in catalog.OFFERED_BANDWIDTHS,
        f"bandwidth {catalog.aws_bandwidth(ic.bandwidth)} is not offered "
        f"(offered: {', '.join(catalog.OFFERED_BANDWIDTH_NAMES)})",
    )
    if ic.activation_key_from == "aws":
        problems.require(ic.aws.environment_id,
                         "AWS generates the key (activation_key_from: aws): set aws.environment_id")
    else:
        problems.require(ic.aws.account, "Google generates the key (activation_key_from: gcp): the transport needs "
                                         "the AWS account (aws.account) as its remote account")
        problems.require(ic.aws.environment_id is None,
                         "aws.environment_id is used only when AWS generates the key (activation_key_from: aws)")
    if ic.stack_type is m.StackType.ipv4:
        for prefix in [*ic.gcp.advertised, *ic.aws.allowed_prefixes]:
            problems.require(prefix.version == 4, f"{prefix} is IPv6 but the interconnect's stack_type is ipv4")
    problems.raise_if_any()
