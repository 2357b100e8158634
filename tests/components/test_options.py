"""Resource options flow from a component to its children as Pulumi users expect: protect and providers are
inherited; only the critical resources (gateways, hubs, interconnects) take the spec's own `protect`."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from xcloud_iac.components import OidcTrustRole, OidcTrustRoleArgs, TransitHub, TransitHubArgs

from .mocks import Recorder, run
from .test_transit_hub import TGW, VPCS, hub_spec
from .test_trust import GKE


def role(opts: pulumi.ResourceOptions | None = None) -> OidcTrustRole:
    return OidcTrustRole("reader", OidcTrustRoleArgs(GKE, "sts.amazonaws.com", ["system:serviceaccount:a:b"],
                                                     permissions=[{"actions": ["s3:GetObject"],
                                                                   "resources": ["arn:aws:s3:::b/*"]}]), opts)


def test_children_inherit_protect(recorder: Recorder) -> None:
    run(lambda: role(pulumi.ResourceOptions(protect=True)))
    children = [r for r in recorder.registered if r.custom]
    assert {r.type for r in children} == {"aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy",
                                          "aws:iam/openIdConnectProvider:OpenIdConnectProvider"}
    assert all(r.protect for r in children)


def test_children_unprotected_by_default(recorder: Recorder) -> None:
    run(role)
    assert not any(r.protect for r in recorder.registered)


def test_children_inherit_providers(recorder: Recorder) -> None:
    def program() -> None:
        provider = aws.Provider("team-account", region="eu-central-1")
        role(pulumi.ResourceOptions(providers={"aws": provider}))

    run(program)
    provider = recorder.one("pulumi:providers:aws", "team-account")
    children = [r for r in recorder.registered if r.custom and r.type.startswith("aws:")]
    assert children and all(r.provider == provider.urn for r in children)


def test_spec_protect_overrides_component_option_on_critical_resources_only(recorder: Recorder) -> None:
    # the spec turns the hub's protection off; the component is protected: the gateway follows the spec (its
    # documented override), every other child inherits the component's protection
    run(lambda: TransitHub("tgw-use1", TransitHubArgs(hub_spec(protect=False), VPCS, stack="test"),
                           pulumi.ResourceOptions(protect=True)))
    assert not recorder.one(TGW).protect
    others = [r for r in recorder.registered if r.custom and r.type != TGW]
    assert others and all(r.protect for r in others)
