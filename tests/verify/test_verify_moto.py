"""`xcloud verify` against moto's real server, seeded as dr-pair is deployed (see conftest.py): the clean case, each
kind of drift, a partial report, throttling, and watch mode."""

from __future__ import annotations

import json
import os
import signal
import threading

import boto3
import pytest
import yaml
from botocore.awsrequest import AWSResponse
from botocore.retries.standard import ExponentialBackoff
from conftest import AWS_ONLY, GKE_ISSUER, REGION, SCALE, TRUST_POLICY, Deployed, client, free_port

from xcloud_iac.verify import AwsOptions, render_change, stop_on_signals, verify, watch

TABLE = "hubs[0].route_tables[0]"


def run(spec, session, deployed: Deployed, **options):
    # moto on a busy machine answers late: timeouts scale with the load (conftest.SCALE)
    options = {"connect_timeout": 5 * SCALE, "read_timeout": 30 * SCALE, **options}
    return verify(spec, session=session, options=AwsOptions(endpoint_url=deployed.url, **options), clouds=AWS_ONLY)


def triples(report) -> list[tuple[str, str, str]]:
    return [(f.rule, f.path, f.message) for f in report.findings]


def in_table(d: Deployed, text: str) -> str:
    return f"route table 'prod' of hub 'tgw-use1' ({d.table}) {text}"


def test_the_deployed_stack_verifies_clean(spec, session, deployed: Deployed) -> None:
    report = run(spec, session, deployed)
    assert report.findings == [] and report.waived == []


def test_an_extra_static_route_is_unauthorised(spec, session, deployed: Deployed) -> None:
    deployed.ec2().create_transit_gateway_route(
        TransitGatewayRouteTableId=deployed.table, DestinationCidrBlock="10.99.0.0/16",
        TransitGatewayAttachmentId=deployed.attachment,
    )
    # moto does not report a static route's target (AWS does; test_verify_stubbed.py shows the target named)
    assert triples(run(spec, session, deployed)) == [
        ("XC702", TABLE, in_table(deployed, "has a static route 10.99.0.0/16 -> an unreported target that the spec does not declare")),
    ]


def test_a_vpc_range_the_spec_does_not_declare_propagates(spec, session, deployed: Deployed) -> None:
    deployed.ec2().associate_vpc_cidr_block(VpcId=deployed.vpc, CidrBlock="10.11.0.0/16")
    assert triples(run(spec, session, deployed)) == [
        ("XC702", TABLE, in_table(
            deployed, f"has a propagated route 10.11.0.0/16 from 'aws-prod' ({deployed.attachment}): not a CIDR of "
            "network 'aws-prod' (10.10.0.0/16): the VPC has a range the spec does not declare")),
    ]


def test_a_deleted_route_is_missing(spec, session, deployed: Deployed) -> None:
    deployed.ec2().delete_transit_gateway_route(TransitGatewayRouteTableId=deployed.table, DestinationCidrBlock="10.30.0.0/16")
    [finding] = run(spec, session, deployed).findings
    assert (finding.rule, finding.path) == ("XC703", f"{TABLE}.routes[0]")
    assert finding.message == in_table(deployed, "has no blackhole route 10.30.0.0/16")
    assert (finding.location.file, finding.location.line) == ("dr-pair-moto.yaml", 66)


def test_an_undeclared_blackhole(spec, session, deployed: Deployed) -> None:
    deployed.ec2().create_transit_gateway_route(
        TransitGatewayRouteTableId=deployed.table, DestinationCidrBlock="10.20.0.0/16", Blackhole=True
    )
    assert triples(run(spec, session, deployed)) == [
        ("XC704", TABLE, in_table(deployed, "has a static blackhole route 10.20.0.0/16 that the spec does not declare")),
    ]


def test_association_moved_to_another_table(spec, session, deployed: Deployed) -> None:
    ec2 = deployed.ec2()
    ec2.disassociate_transit_gateway_route_table(TransitGatewayRouteTableId=deployed.table, TransitGatewayAttachmentId=deployed.attachment)
    other = ec2.create_transit_gateway_route_table(TransitGatewayId=deployed.tgw)["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
    ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=other, TransitGatewayAttachmentId=deployed.attachment)
    assert triples(run(spec, session, deployed)) == [
        ("XC705", "hubs[0].attachments[0].route_table",
         (f"attachment 'aws-prod' of hub 'tgw-use1' ({deployed.attachment}) is associated with {other} (not declared in "
         "the spec); the spec associates it with 'prod'")),
    ]


def test_propagation_disabled(spec, session, deployed: Deployed) -> None:
    deployed.ec2().disable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=deployed.table, TransitGatewayAttachmentId=deployed.attachment
    )
    assert triples(run(spec, session, deployed)) == [
        ("XC703", "hubs[0].attachments[0].propagate_to",
         in_table(deployed, "has no propagated route 10.10.0.0/16 from attachment 'aws-prod'")),
        ("XC705", "hubs[0].attachments[0].propagate_to",
         (f"attachment 'aws-prod' of hub 'tgw-use1' ({deployed.attachment}) does not propagate into route table 'prod', "
         "as the spec says")),
    ]


def test_an_undeclared_attachment_propagating_into_a_table(spec, session, deployed: Deployed) -> None:
    ec2 = deployed.ec2()
    rogue_vpc = ec2.create_vpc(CidrBlock="10.10.128.0/17")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=rogue_vpc, CidrBlock="10.10.128.0/28", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    rogue = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=deployed.tgw, VpcId=rogue_vpc, SubnetIds=[subnet])[
        "TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    ec2.enable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=deployed.table, TransitGatewayAttachmentId=rogue)
    # a more-specific of aws-prod's range now reaches the table from a VPC nobody declared: a hijack
    assert triples(run(spec, session, deployed)) == [
        ("XC702", TABLE, in_table(deployed, f"has a propagated route 10.10.128.0/17 from {rogue} (vpc {rogue_vpc}): an "
                                  "attachment the spec does not declare")),
        ("XC705", TABLE, (f"attachment {rogue} (vpc {rogue_vpc}), which the spec does not declare, propagates into route "
                         f"table 'prod' of hub 'tgw-use1' ({deployed.table})")),
    ]


def test_resolver_rule_association_removed(spec, session, deployed: Deployed) -> None:
    client(deployed.url, "route53resolver").disassociate_resolver_rule(ResolverRuleId=deployed.rule, VPCId=deployed.vpc)
    assert triples(run(spec, session, deployed)) == [
        ("XC707", "dns.resolver_rules[0].networks[0]",
         f"resolver rule 'gcp-internal' ({deployed.rule}) is not associated with network 'aws-prod' ({deployed.vpc})"),
    ]


def test_trust_policy_edited_to_a_wildcard_subject(spec, session, deployed: Deployed) -> None:
    edited = json.loads(json.dumps(TRUST_POLICY))
    conditions = edited["Statement"][0]["Condition"]
    del conditions["StringEquals"][f"{GKE_ISSUER}:sub"]
    conditions["StringLike"] = {f"{GKE_ISSUER}:sub": "system:serviceaccount:orders:*"}
    client(deployed.url, "iam").update_assume_role_policy(RoleName=deployed.role, PolicyDocument=json.dumps(edited))
    [finding] = run(spec, session, deployed).findings
    assert (finding.rule, finding.path) == ("XC709", "trust.roles[0]")
    assert finding.message == (
        f"role 'gke-orders-reader' ({deployed.role_arn}): the live trust policy fails XC502: Statement[0] of the trust "
        f"policy trusts GKE cluster {GKE_ISSUER} with StringLike 'sub' matching 'system:serviceaccount:orders:*': any "
        "service account in namespace 'orders' can assume this role"
    )
    assert finding.related[0].path == f"Statement[0].Condition.StringLike.{GKE_ISSUER}:sub"


def test_trust_policy_with_another_exact_subject_and_an_extra_audience(spec, session, deployed: Deployed) -> None:
    edited = json.loads(json.dumps(TRUST_POLICY))
    edited["Statement"][0]["Condition"]["StringEquals"][f"{GKE_ISSUER}:sub"] = "system:serviceaccount:orders:admin"
    iam = client(deployed.url, "iam")
    iam.update_assume_role_policy(RoleName=deployed.role, PolicyDocument=json.dumps(edited))
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=deployed.provider_arn)  # moto cannot add a client id
    iam.create_open_id_connect_provider(Url=f"https://{GKE_ISSUER}", ClientIDList=["sts.amazonaws.com", "gcp-dr"])
    who = f"role 'gke-orders-reader' ({deployed.role_arn})"
    assert triples(run(spec, session, deployed)) == [
        ("XC708", "trust.issuers[0].client_ids",
         (f"IAM OIDC provider {deployed.provider_arn} of issuer 'gke-dr' also accepts audiences gcp-dr, which the spec "
         "does not list")),
        ("XC709", "trust.roles[0].subjects", f"{who} accepts sub 'system:serviceaccount:orders:admin', which the spec does not list"),
        ("XC709", "trust.roles[0].subjects", f"{who} does not accept sub 'system:serviceaccount:orders:orders-api'"),
    ]


def test_objects_that_are_not_deployed(spec, session, deployed: Deployed) -> None:
    client(deployed.url, "route53resolver").delete_resolver_endpoint(ResolverEndpointId=deployed.inbound)
    client(deployed.url, "iam").delete_role(RoleName=deployed.role)
    assert triples(run(spec, session, deployed)) == [
        ("XC701", "dns.resolver_endpoints[0]", ("resolver endpoint 'use1-inbound': no Route 53 Resolver endpoint tagged "
                                               "xcloud:stack=dr-pair, xcloud:key=resolver_endpoint/use1-inbound")),
        ("XC701", "trust.roles[0]", ("role 'gke-orders-reader': no IAM role named 'gke-orders-reader' or tagged "
                                    "xcloud:stack=dr-pair, xcloud:key=role/gke-orders-reader")),
    ]


# ---------------------------------------------------------------- errors: partial reports


def aws_error(status: int, body: str, headers: dict[str, str] | None = None) -> AWSResponse:
    class Raw:
        def stream(self, **_):
            yield body.encode()

    return AWSResponse("http://injected", status, headers or {}, Raw())


IAM_DENIED = (
    '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>AccessDenied</Code>'
    "<Message>User: arn:aws:iam::123456789012:user/ci is not authorized to perform: {action}</Message></Error>"
    "<RequestId>1</RequestId></ErrorResponse>"
)
EC2_THROTTLED = (
    '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code>'
    "<Message>Request limit exceeded.</Message></Error></Errors><RequestID>1</RequestID></Response>"
)


@pytest.fixture
def fast_backoff(monkeypatch) -> None:
    """botocore's own retry loop, with its exponential backoff shortened to milliseconds."""
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0.001)


def test_access_denied_on_iam_gives_a_partial_report_that_says_what_was_not_read(spec, session, deployed: Deployed) -> None:
    def deny(request, **_):
        return aws_error(403, IAM_DENIED.format(action="iam:ListOpenIDConnectProviders"))

    session.events.register("before-send.iam.ListOpenIDConnectProviders", deny)
    session.events.register("before-send.iam.GetRole", lambda request, **_: aws_error(403, IAM_DENIED.format(action="iam:GetRole")))
    report = run(spec, session, deployed)
    assert [(f.rule, f.path) for f in report.findings] == [("XC700", "trust.issuers[0]"), ("XC700", "trust.roles[0]")]
    assert report.findings[0].message == (
        "could not read IAM OIDC providers in us-east-1: access denied to iam:ListOpenIDConnectProviders (AccessDenied: "
        "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:ListOpenIDConnectProviders); its "
        "checks were skipped"
    )
    assert "access denied to iam:GetRole" in report.findings[1].message
    # everything else was read and compared: drift elsewhere is still found
    deployed.ec2().create_transit_gateway_route(TransitGatewayRouteTableId=deployed.table, DestinationCidrBlock="10.98.0.0/16", Blackhole=True)
    assert [f.rule for f in run(spec, session, deployed).findings] == ["XC704", "XC700", "XC700"]


def test_throttling_is_retried_with_backoff(spec, session, deployed: Deployed, fast_backoff) -> None:
    calls = []

    def throttle_twice(request, **_):
        calls.append(1)
        return aws_error(503, EC2_THROTTLED) if len(calls) <= 2 else None  # None: send it to moto

    session.events.register("before-send.ec2.SearchTransitGatewayRoutes", throttle_twice)
    assert run(spec, session, deployed, max_attempts=3).findings == []
    assert len(calls) == 3


def test_throttling_that_does_not_stop_is_reported(spec, session, deployed: Deployed, fast_backoff) -> None:
    calls = []

    def throttle(request, **_):
        calls.append(1)
        return aws_error(503, EC2_THROTTLED)

    session.events.register("before-send.ec2.SearchTransitGatewayRoutes", throttle)
    [finding] = run(spec, session, deployed, max_attempts=4).findings
    assert (finding.rule, finding.path) == ("XC700", TABLE)
    assert finding.message == (
        f"could not read routes of route table 'prod' of hub 'tgw-use1' ({deployed.table}) in us-east-1: throttled by "
        "AWS on ec2:SearchTransitGatewayRoutes (RequestLimitExceeded), still after 4 attempts with backoff; its checks "
        "were skipped"
    )
    assert len(calls) == 4


def test_an_endpoint_that_does_not_answer_is_asked_once_per_service(spec, session, deployed: Deployed) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    sent = []
    session.events.register("before-send", lambda request, **_: sent.append(request.url))
    report = verify(spec, session=session, options=AwsOptions(endpoint_url=dead, max_attempts=1, connect_timeout=1), clouds=AWS_ONLY)
    assert {f.rule for f in report.findings} == {"XC700"}
    assert len(report.findings) == 7  # hub, 2 endpoints, rule, issuer, role, and the VPC lookup for the networks
    assert all("cannot reach" in f.message and "(region or endpoint down?)" in f.message for f in report.findings)
    assert len(sent) == 3  # ec2, route53resolver and iam each tried once, then skipped


def test_no_credentials_stop_everything_at_the_first_call(spec, deployed: Deployed, monkeypatch, tmp_path) -> None:
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    report = verify(spec, session=boto3.Session(region_name=REGION), options=AwsOptions(endpoint_url=deployed.url), clouds=AWS_ONLY)
    assert {f.rule for f in report.findings} == {"XC700"}
    assert all("no usable AWS credentials (Unable to locate credentials)" in f.message for f in report.findings)


# ---------------------------------------------------------------- watch mode


def test_watch_reports_only_changes(spec, session, deployed: Deployed) -> None:
    changes = []
    drifts = iter([
        lambda: deployed.ec2().create_transit_gateway_route(
            TransitGatewayRouteTableId=deployed.table, DestinationCidrBlock="10.98.0.0/16", Blackhole=True),
        lambda: None,  # nothing changes: round 3 reports nothing
        lambda: deployed.ec2().delete_transit_gateway_route(
            TransitGatewayRouteTableId=deployed.table, DestinationCidrBlock="10.98.0.0/16"),
    ])
    waits = []

    def fake_wait(seconds: float) -> None:  # the "clock": change AWS between rounds instead of sleeping
        waits.append(seconds)
        next(drifts)()

    last = watch(lambda: run(spec, session, deployed), 30, changes.append, stop=threading.Event(), wait=fake_wait,
                 iterations=4)
    assert waits == [30, 30, 30]
    assert [(c.iteration, len(c.new), len(c.resolved)) for c in changes] == [(1, 0, 0), (2, 1, 0), (4, 0, 1)]
    assert changes[1].new[0].rule == "XC704" and changes[2].resolved[0].rule == "XC704"
    assert last.findings == []
    text = render_change(changes[1], "text")
    assert text.splitlines()[0].endswith("round 2: 1 new, 0 resolved")
    assert text.splitlines()[1].startswith("+ dr-pair-moto.yaml:64:5: error XC704 route table 'prod'")
    line = json.loads(render_change(changes[2], "json"))
    assert (line["iteration"], line["new"], line["resolved"][0]["rule"]) == (4, [], "XC704")


def test_watch_stops_cleanly_on_sigterm(spec, session, deployed: Deployed) -> None:
    rounds = []

    def check():
        rounds.append(1)
        if len(rounds) == 2:
            os.kill(os.getpid(), signal.SIGTERM)  # as a supervisor stopping the process would
        return run(spec, session, deployed)

    before = signal.getsignal(signal.SIGTERM)
    with stop_on_signals(threading.Event()) as stop:
        last = watch(check, 0.01, lambda change: None, stop=stop)
    assert len(rounds) == 2 and last is not None and last.findings == []
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_hub_given_by_existing_id(spec_text: str, session, deployed: Deployed) -> None:
    from xcloud_iac.spec import load_text

    def with_existing_id(tgw: str):
        return load_text(spec_text.replace("  kind: transit_gateway\n", f"  kind: transit_gateway\n  existing_id: {tgw}\n"), "x.yaml")

    deployed.ec2().delete_tags(Resources=[deployed.tgw], Tags=[{"Key": "xcloud:key"}])  # not ours: found by id only
    assert run(with_existing_id(deployed.tgw), session, deployed).findings == []
    assert triples(run(with_existing_id("tgw-0123456789abcdef0"), session, deployed)) == [
        ("XC701", "hubs[0]", "hub 'tgw-use1': no Transit Gateway tgw-0123456789abcdef0 (existing_id) in us-east-1"),
    ]


def test_an_inbound_endpoint_security_group_admitting_more_and_fewer_sources(spec, session, deployed: Deployed) -> None:
    ec2 = deployed.ec2()
    ec2.authorize_security_group_ingress(GroupId=deployed.inbound_sg, IpPermissions=[
        {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
    ec2.revoke_security_group_ingress(GroupId=deployed.inbound_sg, IpPermissions=[
        {"IpProtocol": protocol, "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "35.199.192.0/19"}]}
        for protocol in ("udp", "tcp")])
    who = (f"inbound resolver endpoint 'use1-inbound' ({deployed.inbound}, security groups {deployed.inbound_sg})")
    assert triples(run(spec, session, deployed)) == [
        ("XC710", "dns.resolver_endpoints[0].allowed_sources",
         f"{who} admits DNS from 10.0.0.0/8, which the spec does not declare (allowed_sources: 35.199.192.0/19)"),
        ("XC710", "dns.resolver_endpoints[0].allowed_sources",
         f"{who} does not admit DNS from 35.199.192.0/19, which the spec declares in allowed_sources"),
    ]


def test_an_outbound_endpoint_security_group_admitting_anything(spec, session, deployed: Deployed) -> None:
    deployed.ec2().authorize_security_group_ingress(GroupId=deployed.outbound_sg, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.10.0.0/16"}]}])
    [finding] = run(spec, session, deployed).findings
    assert (finding.rule, finding.path) == ("XC710", "dns.resolver_endpoints[1].allowed_sources")
    assert finding.message == (
        f"outbound resolver endpoint 'use1-outbound' ({deployed.outbound}, security groups {deployed.outbound_sg}) "
        "admits DNS from 10.10.0.0/16, which the spec does not declare (allowed_sources: none)")


# ---------------------------------------------------------------- VPC route tables (the data plane)

PROD_NET = "networks[0]"  # aws-prod; its table is the one AwsNetwork created (tagged vpc_route_table/aws-prod)


def in_vpc_table(d: Deployed, text: str) -> str:
    return f"route table {d.vpc_table} of network 'aws-prod' ({d.vpc}) {text}"


def test_a_removed_vpc_route_is_reported(spec, session, deployed: Deployed) -> None:
    deployed.ec2().delete_route(RouteTableId=deployed.vpc_table, DestinationCidrBlock="10.40.0.0/16")
    [finding] = run(spec, session, deployed).findings
    assert (finding.rule, finding.path) == ("XC711", PROD_NET)
    assert finding.message == in_vpc_table(
        deployed, f"has no route 10.40.0.0/16 to hub 'tgw-use1' ({deployed.tgw}), which the routing model sends there")
    assert [(r.message, r.path) for r in finding.related] == [("the hub the routing model sends it to", "hubs[0]")]


def test_a_vpc_route_retargeted_to_an_internet_gateway(spec, session, deployed: Deployed) -> None:
    ec2 = deployed.ec2()
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=deployed.vpc)
    ec2.replace_route(RouteTableId=deployed.vpc_table, DestinationCidrBlock="10.40.0.0/16", GatewayId=igw)
    assert triples(run(spec, session, deployed)) == [
        ("XC711", PROD_NET, in_vpc_table(
            deployed, f"sends 10.40.0.0/16 to {igw}; the routing model sends it to hub 'tgw-use1' ({deployed.tgw})")),
    ]


def test_a_blackholed_vpc_route(spec, session, deployed: Deployed) -> None:
    # AWS turns a route to a Transit Gateway into a blackhole when the VPC's attachment goes; moto keeps it active,
    # so the answer says what AWS would (conftest.py)
    def blackhole(parsed, **_):
        for table in parsed.get("RouteTables", []):
            for r in table.get("Routes", []):
                if table["RouteTableId"] == deployed.shared_table and r.get("TransitGatewayId"):
                    r["State"] = "blackhole"

    session.events.register("after-call.ec2.DescribeRouteTables", blackhole)
    assert triples(run(spec, session, deployed)) == [
        ("XC711", "networks[2]", (
            f"route table {deployed.shared_table} of network 'aws-shared' ({deployed.shared_vpc}) drops traffic for "
            f"10.10.0.0/16: its route to hub 'tgw-use1' ({deployed.tgw}) is a blackhole (the VPC's attachment to the "
            "hub is gone or not available)")),
    ]


def test_an_extra_default_route_to_the_transit_gateway(spec, session, deployed: Deployed) -> None:
    ec2 = deployed.ec2()
    ec2.create_route(RouteTableId=deployed.vpc_table, DestinationCidrBlock="0.0.0.0/0", TransitGatewayId=deployed.tgw)
    [finding] = run(spec, session, deployed).findings
    assert (finding.rule, finding.path) == ("XC712", PROD_NET)
    assert finding.message == in_vpc_table(
        deployed, f"sends 0.0.0.0/0 to hub 'tgw-use1' ({deployed.tgw}), which the routing model does not explain (it "
        "sends 10.40.0.0/16 to the stack's hubs)")


def test_routes_in_tables_the_stack_does_not_own_are_not_its_business(spec, session, deployed: Deployed) -> None:
    ec2 = deployed.ec2()
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=deployed.vpc)
    theirs = ec2.create_route_table(VpcId=deployed.vpc)["RouteTable"]["RouteTableId"]  # a team's table, untagged
    ec2.create_route(RouteTableId=theirs, DestinationCidrBlock="0.0.0.0/0", TransitGatewayId=deployed.tgw)
    ec2.create_route(RouteTableId=theirs, DestinationCidrBlock="10.99.0.0/16", GatewayId=igw)
    # and in the stack's own table, a route that does not go to a hub is the VPC owner's too
    ec2.create_route(RouteTableId=deployed.vpc_table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    assert run(spec, session, deployed).findings == []


def test_the_stacks_vpc_route_table_deleted(spec, session, deployed: Deployed) -> None:
    ec2 = deployed.ec2()
    table = ec2.describe_route_tables(RouteTableIds=[deployed.shared_table])["RouteTables"][0]
    for association in table["Associations"]:
        ec2.disassociate_route_table(AssociationId=association["RouteTableAssociationId"])
    ec2.delete_route_table(RouteTableId=deployed.shared_table)
    assert triples(run(spec, session, deployed)) == [
        ("XC711", "networks[2]", (
            f"network 'aws-shared' ({deployed.shared_vpc}) has no route table tagged xcloud:stack=dr-pair, "
            "xcloud:key=vpc_route_table/aws-shared: its subnets have no route to 10.10.0.0/16, which the routing model "
            f"sends to hub 'tgw-use1' ({deployed.tgw})")),
    ]


def test_route_tables_that_cannot_be_read_give_a_partial_report(spec, session, deployed: Deployed) -> None:
    denied = (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code>'
        "<Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>1</RequestID>"
        "</Response>"
    )
    session.events.register("before-send.ec2.DescribeRouteTables", lambda request, **_: aws_error(403, denied))
    deployed.ec2().delete_route(RouteTableId=deployed.vpc_table, DestinationCidrBlock="10.40.0.0/16")  # not seen
    report = run(spec, session, deployed)
    assert [(f.rule, f.path) for f in report.findings] == [("XC700", PROD_NET), ("XC700", "networks[2]")]
    assert report.findings[0].message == (
        f"could not read route tables of network 'aws-prod' ({deployed.vpc}) in us-east-1: access denied to "
        "ec2:DescribeRouteTables (UnauthorizedOperation: You are not authorized to perform this operation.); its "
        "checks were skipped")


def test_a_brownfield_network_names_its_route_table_by_id(spec_text: str, session, deployed: Deployed) -> None:
    """An existing VPC (existing_id, existing subnets) whose routes the stack adds to the table it names by id."""
    from xcloud_iac.spec import load_text

    ec2 = deployed.ec2()
    subnets = {s["CidrBlock"]: s["SubnetId"] for s in ec2.describe_subnets(
        Filters=[{"Name": "vpc-id", "Values": [deployed.shared_vpc]}])["Subnets"]}
    ec2.delete_tags(Resources=[deployed.shared_table], Tags=[{"Key": "xcloud:key"}])  # their table, named by id
    doc = yaml.safe_load(spec_text)
    shared = doc["networks"][2]
    shared.update(existing_id=deployed.shared_vpc, route_table_ids=[deployed.shared_table])
    for subnet in shared["subnets"]:
        subnet["id"] = subnets[subnet["cidr"]]
    brownfield = yaml.safe_dump(doc, sort_keys=False)
    spec = load_text(brownfield, "brownfield.yaml")
    assert spec.networks[2].route_table_ids == [deployed.shared_table]
    assert run(spec, session, deployed).findings == []
    ec2.create_route(RouteTableId=deployed.shared_table, DestinationCidrBlock="0.0.0.0/0", TransitGatewayId=deployed.tgw)
    ec2.delete_route(RouteTableId=deployed.shared_table, DestinationCidrBlock="10.10.0.0/16")
    where = f"route table {deployed.shared_table} of network 'aws-shared' ({deployed.shared_vpc})"
    assert triples(run(spec, session, deployed)) == [
        ("XC711", "networks[2].route_table_ids[0]",
         f"{where} has no route 10.10.0.0/16 to hub 'tgw-use1' ({deployed.tgw}), which the routing model sends there"),
        ("XC712", "networks[2].route_table_ids[0]",
         (f"{where} sends 0.0.0.0/0 to hub 'tgw-use1' ({deployed.tgw}), which the routing model does not explain (it "
          "sends 10.10.0.0/16 to the stack's hubs)")),
    ]
