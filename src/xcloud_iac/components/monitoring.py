"""Monitoring of the links of one AWS region and of the networks they join.

Per link: a CloudWatch Network Synthetic Monitor with one probe from a subnet on the AWS side to an address on the
far side, and two alarms on what it publishes (namespace AWS/NetworkMonitor, dimensions Monitor and Probe): RTT
(microseconds) above the latency threshold and PacketLoss (percent) above the loss threshold. A probe that stops
reporting is treated as breaching: a silent link is as bad as a lossy one.

Alarm actions: every alarm notifies. A probe names its own actions (e.g. the spec's `monitoring.alarm_topic_arn`),
or the component's `alarm_actions` apply; where neither is given, the component creates one SNS topic per region,
encrypted at rest with a customer managed KMS key (rotated) whose key policy lets CloudWatch alarms use it, limited
to the account's own alarms. (The AWS managed key alias/aws/sns does not work here: its key policy cannot be edited
and does not let CloudWatch encrypt, so the alarm action would fail.)

Flow logs: on every attached VPC (unless the network sets `flow_logs: false`) and every Transit Gateway, into one
CloudWatch log group per region, delivered by a role that may only write that group, assumable only by the flow-logs
service (and, when the account is known, only on behalf of that account's flow logs).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, cast

import pulumi
import pulumi_aws as aws

from ..tags import aws_tags
from ._common import Problems, checked_args, child_opts, is_known, policy_document, stack_name

NAMESPACE = "AWS/NetworkMonitor"
RTT_METRIC = "RTT"  # microseconds
LOSS_METRIC = "PacketLoss"  # percent
FLOW_LOGS_SERVICE = "vpc-flow-logs.amazonaws.com"
# Transit Gateway flow logs aggregate over 60 s only; VPC flow logs use the same so records line up.
FLOW_LOG_INTERVAL = 60


@dataclass
class ProbeArgs:
    name: str
    """The link the probe measures (interconnect or external link name)."""
    source_subnet_arn: pulumi.Input[str] | None
    """The AWS subnet the probe runs from."""
    destination: pulumi.Input[str] | None
    """The IP address on the far side of the link (checked once known when given as an Output)."""
    protocol: Literal["ICMP", "TCP"] = "ICMP"
    port: int | None = None
    latency_alarm_ms: float = 50.0
    loss_alarm_percent: float = 1.0
    alarm_actions: Sequence[pulumi.Input[str]] = ()
    """Where this probe's alarms notify (SNS topic ARNs); empty: the component's."""


@dataclass
class FlowLogTarget:
    name: str
    """Spec name of the VPC or hub."""
    vpc_id: pulumi.Input[str] | None = None
    transit_gateway_id: pulumi.Input[str] | None = None


@dataclass
class LinkMonitoringArgs:
    region: str | None = None
    probes: Sequence[ProbeArgs] = ()
    flow_logs: Sequence[FlowLogTarget] = ()
    account_id: pulumi.Input[str] | None = None
    """The AWS account of the flow logs; pins the log role's trust to it (confused-deputy protection). Checked as
    12 digits once known."""
    aggregation_period: Literal[30, 60] = 60
    retention_days: int = 90
    alarm_actions: Sequence[pulumi.Input[str]] = ()
    """SNS topics (or other alarm actions) notified when an alarm fires, for probes that name none. Empty: an
    encrypted topic is created."""
    stack: str | None = None


class LinkMonitoring(pulumi.ComponentResource):
    probe_ids: dict[str, pulumi.Output[str]]
    alarm_arns: dict[str, pulumi.Output[str]]
    alarm_topic_arn: pulumi.Output[str] | None
    """The SNS topic the component created for alarms (None when every probe names its actions)."""
    log_group_name: pulumi.Output[str] | None
    flow_log_ids: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: LinkMonitoringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        self.validate(name, args)  # all but the values given as Outputs, checked once known
        super().__init__("xcloud:monitoring:LinkMonitoring", name, None, opts)
        stack = stack_name(args.stack)
        args = self._checked(name, args)

        self.probe_ids, self.alarm_arns = {}, {}
        self.alarm_topic_arn = None
        if any(not probe.alarm_actions for probe in args.probes) and not args.alarm_actions:
            self.alarm_topic_arn = self._alarm_topic(name, args, stack)
        for probe in args.probes:
            actions = list(probe.alarm_actions or args.alarm_actions) or [cast(pulumi.Output[str], self.alarm_topic_arn)]
            tags = aws_tags(stack, "probe", probe.name, name=probe.name)
            monitor = aws.networkmonitor.Monitor(
                f"{name}-{probe.name}-monitor",
                monitor_name=f"xcloud-{stack}-{probe.name}"[:200],
                aggregation_period=args.aggregation_period,
                region=args.region,
                tags=tags,
                opts=child_opts(self),
            )
            created = aws.networkmonitor.Probe(
                f"{name}-{probe.name}-probe",
                monitor_name=monitor.monitor_name,
                source_arn=probe.source_subnet_arn,
                destination=probe.destination,
                protocol=probe.protocol,
                destination_port=probe.port,
                region=args.region,
                tags=tags,
                opts=child_opts(self),
            )
            self.probe_ids[probe.name] = created.probe_id
            for kind, metric, threshold, unit in (
                ("latency", RTT_METRIC, probe.latency_alarm_ms * 1000, f"{probe.latency_alarm_ms} ms"),
                ("loss", LOSS_METRIC, probe.loss_alarm_percent, f"{probe.loss_alarm_percent} %"),
            ):
                self.alarm_arns[f"{probe.name}-{kind}"] = aws.cloudwatch.MetricAlarm(
                    f"{name}-{probe.name}-{kind}",
                    alarm_description=pulumi.Output.concat(f"{probe.name}: {kind} to ", probe.destination or "",
                                                           f" above {unit}"),
                    namespace=NAMESPACE,
                    metric_name=metric,
                    dimensions={"Monitor": monitor.monitor_name, "Probe": created.probe_id},
                    statistic="Average",
                    period=args.aggregation_period,
                    evaluation_periods=5,
                    datapoints_to_alarm=3,
                    threshold=threshold,
                    comparison_operator="GreaterThanThreshold",
                    treat_missing_data="breaching",
                    alarm_actions=actions,
                    ok_actions=actions,
                    region=args.region,
                    tags=tags,
                    opts=child_opts(self),
                ).arn

        self.log_group_name = None
        self.flow_log_ids = {}
        if args.flow_logs:
            self._flow_logs(name, args, stack)
        self.register_outputs({"probe_ids": self.probe_ids, "alarm_arns": self.alarm_arns,
                               "alarm_topic_arn": self.alarm_topic_arn, "flow_log_ids": self.flow_log_ids})

    def _alarm_topic(self, name: str, args: LinkMonitoringArgs, stack: str) -> pulumi.Output[str]:
        tags = aws_tags(stack, "alarm_topic", args.region or name, name=f"{name}-alarms")
        account: pulumi.Output[str] = (
            pulumi.Output.from_input(args.account_id) if args.account_id
            else aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        )
        key = aws.kms.Key(
            f"{name}-alarms-key",
            description=f"xcloud {stack}: encrypts the alarm topic of {name}",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=account.apply(alarm_key_policy),
            region=args.region,
            tags=tags,
            opts=child_opts(self),
        )
        aws.kms.Alias(
            f"{name}-alarms-key-alias",
            name=f"alias/xcloud/{stack}/{name}-alarms"[:256],
            target_key_id=key.arn,
            region=args.region,
            opts=child_opts(self),
        )
        return aws.sns.Topic(
            f"{name}-alarms",
            name=f"xcloud-{stack}-{name}-alarms"[:256],
            kms_master_key_id=key.arn,
            region=args.region,
            tags=tags,
            opts=child_opts(self),
        ).arn

    def _flow_logs(self, name: str, args: LinkMonitoringArgs, stack: str) -> None:
        tags = aws_tags(stack, "flow_logs", args.region or name, name=f"{name}-flow-logs")
        group = aws.cloudwatch.LogGroup(
            f"{name}-flow-logs",
            name=f"/xcloud/{stack}/{name}/flow-logs",
            retention_in_days=args.retention_days,
            region=args.region,
            tags=tags,
            opts=child_opts(self),
        )
        role = aws.iam.Role(
            f"{name}-flow-logs-role",
            assume_role_policy=pulumi.Output.from_input(args.account_id).apply(
                lambda account: flow_logs_trust_policy(account, args.region)),
            description=f"xcloud {stack}: delivers flow logs to {name}",
            max_session_duration=3600,
            tags=tags,
            opts=child_opts(self),
        )
        aws.iam.RolePolicy(
            f"{name}-flow-logs-write",
            role=role.id,
            policy=group.arn.apply(flow_logs_write_policy),
            opts=child_opts(self),
        )
        for target in args.flow_logs:
            on_vpc = target.vpc_id is not None
            self.flow_log_ids[target.name] = aws.ec2.FlowLog(
                f"{name}-flow-log-{target.name}",
                vpc_id=target.vpc_id,
                transit_gateway_id=target.transit_gateway_id,
                traffic_type="ALL" if on_vpc else None,  # Transit Gateway flow logs take no traffic type
                log_destination_type="cloud-watch-logs",
                log_destination=group.arn,
                iam_role_arn=role.arn,
                max_aggregation_interval=FLOW_LOG_INTERVAL,
                region=args.region,
                tags=aws_tags(stack, "flow_log", target.name, name=f"{target.name}-flow-log"),
                opts=child_opts(self),
            ).id
        self.log_group_name = group.name

    @staticmethod
    def _checked(name: str, args: LinkMonitoringArgs) -> LinkMonitoringArgs:
        """`args` with each value given as an Output (a probe's destination, the account) replaced by one that
        resolves only after `validate` accepted it, so a bad value fails the deployment with its message."""
        def check(resolved: Any) -> None:
            LinkMonitoring.validate(name, resolved)

        def field(value: Any, name: str) -> Any:
            return getattr(value, name)

        probes = []
        for i, probe in enumerate(args.probes):
            if not is_known(probe.destination):
                def check_probe(p: ProbeArgs, i: int = i) -> None:
                    check(replace(args, probes=[*args.probes[:i], p, *args.probes[i + 1:]]))

                checked = checked_args(probe, ("destination",), check_probe)
                probe = replace(probe, destination=checked.apply(lambda p: field(p, "destination")))
            probes.append(probe)
        account = args.account_id
        if not is_known(account):
            account = checked_args(args, ("account_id",), check).apply(lambda a: field(a, "account_id"))
        return replace(args, probes=probes, account_id=account)

    @staticmethod
    def validate(name: str, args: LinkMonitoringArgs) -> None:
        problems = Problems(f"LinkMonitoring '{name}'")
        if args.account_id is not None and is_known(args.account_id):
            problems.require(re.fullmatch(r"\d{12}", str(args.account_id)),
                             f"account_id {args.account_id!r} is not 12 digits")
        for probe in args.probes:
            problems.require(probe.source_subnet_arn is not None and probe.destination,
                             f"probe '{probe.name}' needs a source subnet and a destination address")
            if probe.destination and is_known(probe.destination):
                problems.require(_is_ip(probe.destination),
                                 f"probe '{probe.name}': destination {probe.destination!r} is not an IP address")
            problems.require((probe.protocol == "TCP") == (probe.port is not None),
                             f"probe '{probe.name}': a TCP probe needs a port, an ICMP probe takes none")
            problems.require(probe.latency_alarm_ms > 0 and 0 < probe.loss_alarm_percent <= 100,
                             f"probe '{probe.name}': alarm thresholds must be positive (loss at most 100 %)")
        for target in args.flow_logs:
            problems.require((target.vpc_id is None) != (target.transit_gateway_id is None),
                             f"flow log '{target.name}' needs exactly one of vpc_id or transit_gateway_id")
        problems.raise_if_any()


def alarm_key_policy(account_id: str) -> str:
    """The key policy of the alarm topic's key. The account administers the key through IAM (the first statement is
    AWS's default key policy: without it the key could not be managed at all); CloudWatch may encrypt with it for
    the account's own alarms only (what publishing to an encrypted topic needs)."""
    return policy_document([
        {
            "Sid": "AccountAdministersTheKeyThroughIam",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "CloudWatchAlarmsPublish",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
        },
    ])


def _is_ip(value: object) -> bool:
    try:
        ipaddress.ip_address(str(value))
    except ValueError:
        return False
    return True


def flow_logs_trust_policy(account_id: str | None, region: str | None) -> str:
    """Only the flow-logs service may assume the delivery role; with a known account, only for its flow logs."""
    statement = {"Effect": "Allow", "Principal": {"Service": FLOW_LOGS_SERVICE}, "Action": "sts:AssumeRole"}
    if account_id:
        statement["Condition"] = {
            "StringEquals": {"aws:SourceAccount": account_id},
            "ArnLike": {"aws:SourceArn": f"arn:aws:ec2:{region or '*'}:{account_id}:vpc-flow-log/*"},
        }
    return policy_document([statement])


def flow_logs_write_policy(log_group_arn: str) -> str:
    """What delivery needs, on the one log group: create its streams and put events into them."""
    group = log_group_arn.removesuffix(":*")
    return policy_document([{
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
        "Resource": [group, f"{group}:log-stream:*"],
    }])
