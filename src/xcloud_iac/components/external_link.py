"""A Direct Connect link to a network we do not manage (Alibaba Cloud, Tencent Cloud, on-premises, ...).

The delivery partner (e.g. Equinix) provisions the hosted connection; we own the Direct Connect gateway, its
attachment to the hubs that declare the link (with the AWS allow-list), and, once the connection id is known,
the transit virtual interface on it (VLAN, the far end's ASN, MTU 1500 or 8500, and an IPv6 BGP peer for a
dual-stack link). Without `connection_id` only the gateway side is built; add the id when the partner delivers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from ..spec import models as m
from ..tags import aws_tags
from ._attach import AttachPoint, attach_direct_connect_gateway, direct_connect_gateway
from ._common import Problems, child_opts, stack_name, to_strings

# MTUs a transit virtual interface accepts.
TRANSIT_VIF_MTUS = (1500, 8500)


@dataclass
class DirectConnectLinkArgs:
    link: m.ExternalLink
    attach: Sequence[AttachPoint] = ()
    """The hubs that declare the link (attach points from TransitHub / CloudWanCore)."""
    stack: str | None = None


class DirectConnectLink(pulumi.ComponentResource):
    dx_gateway_id: pulumi.Output[str]
    dx_gateway_arn: pulumi.Output[str]
    virtual_interface_id: pulumi.Output[str] | None
    hub_attachment_ids: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: DirectConnectLinkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        self.validate(name, args)
        link = args.link
        super().__init__("xcloud:aws:DirectConnectLink", name, None, opts)
        stack = stack_name(args.stack)

        gateway = direct_connect_gateway(
            self, name, asn=link.aws.dx_gateway_asn, protect=link.protect, stack=stack, kind="link", key=link.name
        )
        self.hub_attachment_ids = attach_direct_connect_gateway(
            self, name, gateway, args.attach,
            allowed_prefixes=to_strings(link.aws.allowed_prefixes),
            aws_region=link.region, stack=stack, kind="link", key=link.name,
        )

        self.virtual_interface_id = None
        if link.connection_id is not None:
            vif = aws.directconnect.TransitVirtualInterface(
                f"{name}-vif",
                connection_id=link.connection_id,
                dx_gateway_id=gateway.id,
                vlan=link.vlan,
                address_family="ipv4",
                bgp_asn=link.remote.asn,
                mtu=link.mtu,
                region=link.region,
                tags=aws_tags(stack, "link", link.name, name=f"{link.name} ({link.provider} {link.location})"),
                # AWS generates the BGP MD5 key; the provider does not mark it secret
                opts=child_opts(self, protect=link.protect, secret_outputs=["bgpAuthKey"]),
            )
            if link.stack_type is m.StackType.dual:
                aws.directconnect.BgpPeer(
                    f"{name}-vif-ipv6",
                    virtual_interface_id=vif.id,
                    address_family="ipv6",
                    bgp_asn=link.remote.asn,
                    region=link.region,
                    opts=child_opts(self, secret_outputs=["bgpAuthKey"]),
                )
            self.virtual_interface_id = vif.id
        else:
            pulumi.log.info(
                f"link '{link.name}': no connection_id yet, so no virtual interface; the Direct Connect gateway is "
                f"ready for the {link.provider} hosted connection at {link.location}",
                resource=self,
            )

        self.dx_gateway_id = gateway.id
        self.dx_gateway_arn = gateway.arn
        self.register_outputs({
            "dx_gateway_id": self.dx_gateway_id,
            "virtual_interface_id": self.virtual_interface_id,
            "hub_attachment_ids": self.hub_attachment_ids,
        })

    @staticmethod
    def validate(name: str, args: DirectConnectLinkArgs) -> None:
        link = args.link
        problems = Problems(f"DirectConnectLink '{name}'")
        problems.require(link.mtu in TRANSIT_VIF_MTUS,
                         f"MTU {link.mtu}: a transit virtual interface takes {' or '.join(map(str, TRANSIT_VIF_MTUS))}")
        problems.require(link.connection_id is None or link.vlan is not None,
                         "a transit virtual interface on connection_id needs a vlan")
        problems.raise_if_any()
