"""LinkMonitoring: a synthetic probe per link with latency and loss alarms; flow logs with a least-privilege role."""

from __future__ import annotations

import json

import pytest

from xcloud_iac.components import ComponentArgsError, FlowLogTarget, LinkMonitoring, LinkMonitoringArgs, ProbeArgs

from . import lint
from xcloud_iac.plan.mocks import probe_id

from .mocks import Recorder, run

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
SUBNET_ARN = "arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0a"


def monitoring_args(**changes) -> LinkMonitoringArgs:
    args = dict(
        region="us-east-1",
        probes=[ProbeArgs("use1-gcp", SUBNET_ARN, "10.20.0.10", latency_alarm_ms=20, loss_alarm_percent=0.5)],
        flow_logs=[FlowLogTarget("aws-prod", vpc_id="vpc-prod"), FlowLogTarget("tgw-use1", transit_gateway_id="tgw-1")],
        account_id="111122223333",
        stack="dr-pair",
    )
    args.update(changes)
    return LinkMonitoringArgs(**args)


def test_probe_runs_from_the_subnet_to_the_far_side(recorder: Recorder) -> None:
    run(lambda: LinkMonitoring("monitoring-us-east-1", monitoring_args()))
    monitor = recorder.one("aws:networkmonitor/monitor:Monitor")
    probe = recorder.one("aws:networkmonitor/probe:Probe")
    assert monitor.inputs["monitorName"] == "xcloud-dr-pair-use1-gcp"
    assert monitor.inputs["aggregationPeriod"] == 60
    assert probe.inputs["monitorName"] == "xcloud-dr-pair-use1-gcp"
    assert probe.inputs["sourceArn"] == SUBNET_ARN
    assert probe.inputs["destination"] == "10.20.0.10"
    assert probe.inputs["protocol"] == "ICMP"
    assert "destinationPort" not in probe.inputs


def test_latency_and_loss_alarms_watch_the_probe(recorder: Recorder) -> None:
    run(lambda: LinkMonitoring("monitoring-us-east-1", monitoring_args()))
    alarms = {r.name: r.inputs for r in recorder.of_type(ALARM)}
    latency = alarms["monitoring-us-east-1-use1-gcp-latency"]
    loss = alarms["monitoring-us-east-1-use1-gcp-loss"]
    for alarm in (latency, loss):
        assert alarm["namespace"] == "AWS/NetworkMonitor"
        assert alarm["dimensions"] == {"Monitor": "xcloud-dr-pair-use1-gcp",
                                       "Probe": probe_id("monitoring-us-east-1-use1-gcp-probe")}
        assert alarm["comparisonOperator"] == "GreaterThanThreshold"
        assert alarm["treatMissingData"] == "breaching"
    assert (latency["metricName"], latency["threshold"]) == ("RTT", 20_000)  # microseconds
    assert (loss["metricName"], loss["threshold"]) == ("PacketLoss", 0.5)


def test_flow_logs_on_the_vpc_and_the_transit_gateway(recorder: Recorder) -> None:
    run(lambda: LinkMonitoring("monitoring-us-east-1", monitoring_args()))
    group = recorder.one("aws:cloudwatch/logGroup:LogGroup")
    logs = {r.name: r.inputs for r in recorder.of_type(FLOW_LOG)}
    vpc, tgw = logs["monitoring-us-east-1-flow-log-aws-prod"], logs["monitoring-us-east-1-flow-log-tgw-use1"]

    assert group.inputs["name"] == "/xcloud/dr-pair/monitoring-us-east-1/flow-logs"
    assert vpc["vpcId"] == "vpc-prod" and vpc["trafficType"] == "ALL"
    assert tgw["transitGatewayId"] == "tgw-1" and "trafficType" not in tgw
    for log in (vpc, tgw):
        assert log["logDestinationType"] == "cloud-watch-logs"
        assert log["logDestination"] == "arn:aws:logs:us-east-1:123456789012:log-group:" + group.inputs["name"]
        assert log["iamRoleArn"].endswith(":role/monitoring-us-east-1-flow-logs-role")
        assert log["maxAggregationInterval"] == 60


def test_flow_log_role_is_least_privilege_and_lints_clean(recorder: Recorder) -> None:
    run(lambda: LinkMonitoring("monitoring-us-east-1", monitoring_args()))
    trust = json.loads(recorder.one("aws:iam/role:Role").inputs["assumeRolePolicy"])
    write = json.loads(recorder.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])

    [statement] = trust["Statement"]
    assert statement["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": "111122223333"}
    [grant] = write["Statement"]
    group = "arn:aws:logs:us-east-1:123456789012:log-group:/xcloud/dr-pair/monitoring-us-east-1/flow-logs"
    assert grant["Resource"] == [group, f"{group}:log-stream:*"]
    assert grant["Action"] == ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
    assert lint.findings(trust, trust=True) == []
    assert lint.findings(write) == []


def test_no_flow_logs_means_no_log_role(recorder: Recorder) -> None:
    run(lambda: LinkMonitoring("m", monitoring_args(flow_logs=[])))
    assert recorder.of_type("aws:iam/role:Role") == []
    assert len(recorder.of_type(ALARM)) == 2


def test_tcp_probe_sends_its_port(recorder: Recorder) -> None:
    probes = [ProbeArgs("ali-dx", SUBNET_ARN, "172.16.0.53", protocol="TCP", port=53)]
    run(lambda: LinkMonitoring("m", monitoring_args(probes=probes, flow_logs=[])))
    probe = recorder.one("aws:networkmonitor/probe:Probe")
    assert (probe.inputs["protocol"], probe.inputs["destinationPort"]) == ("TCP", 53)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"probes": [ProbeArgs("x", SUBNET_ARN, "10.0.0.1", protocol="TCP")]}, "a TCP probe needs a port"),
        ({"probes": [ProbeArgs("x", None, "10.0.0.1")]}, "needs a source subnet and a destination"),
        ({"flow_logs": [FlowLogTarget("x")]}, "exactly one of vpc_id or transit_gateway_id"),
    ],
    ids=["tcp-without-port", "no-source", "flow-log-without-target"],
)
def test_bad_arguments_are_refused_before_any_child(recorder: Recorder, changes: dict, message: str) -> None:
    with pytest.raises(ComponentArgsError, match=message):
        run(lambda: LinkMonitoring("m", monitoring_args(**changes)))
    assert recorder.registered == []


def test_alarms_notify_an_encrypted_topic_cloudwatch_may_use(recorder: Recorder) -> None:
    run(lambda: LinkMonitoring("monitoring-us-east-1", monitoring_args()))
    topic = recorder.one("aws:sns/topic:Topic")
    key = recorder.one("aws:kms/key:Key")
    alias = recorder.one("aws:kms/alias:Alias")
    topic_arn = f"arn:aws:sns:us-east-1:123456789012:{topic.inputs['name']}"
    for alarm in recorder.of_type(ALARM):
        assert alarm.inputs["alarmActions"] == [topic_arn]
        assert alarm.inputs["okActions"] == [topic_arn]
    # a customer managed key (alias/aws/sns would not let CloudWatch encrypt), rotated, the topic's
    assert topic.property_dependencies["kmsMasterKeyId"] == [key.urn]
    assert alias.property_dependencies["targetKeyId"] == [key.urn]
    assert key.inputs["enableKeyRotation"] is True
    statements = {s["Sid"]: s for s in json.loads(key.inputs["policy"])["Statement"]}
    cloudwatch = statements["CloudWatchAlarmsPublish"]
    assert cloudwatch["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert cloudwatch["Action"] == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert cloudwatch["Condition"] == {"StringEquals": {"aws:SourceAccount": "111122223333"}}
    assert statements["AccountAdministersTheKeyThroughIam"]["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"}


def test_a_named_topic_is_used_and_none_is_created(recorder: Recorder) -> None:
    named = "arn:aws:sns:us-east-1:111122223333:network-oncall"
    probes = [ProbeArgs("use1-gcp", SUBNET_ARN, "10.20.0.10", alarm_actions=[named])]
    run(lambda: LinkMonitoring("monitoring-us-east-1", monitoring_args(probes=probes)))
    assert {tuple(a.inputs["alarmActions"]) for a in recorder.of_type(ALARM)} == {(named,)}
    assert recorder.of_type("aws:sns/topic:Topic") == []
    assert recorder.of_type("aws:kms/key:Key") == []


def test_without_a_known_account_the_key_policy_names_the_callers(pulumi_mocks) -> None:
    mocks, recorder = pulumi_mocks
    run(lambda: LinkMonitoring("monitoring-us-east-1", monitoring_args(account_id=None)))
    key = recorder.one("aws:kms/key:Key")
    assert "arn:aws:iam::123456789012:root" in key.inputs["policy"]  # the mocks' caller identity
    assert mocks.calls == ["aws:index/getCallerIdentity:getCallerIdentity"]
