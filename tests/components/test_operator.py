"""OperatorRole: least privilege, and deletes denied without MFA - judged by evaluating the policy (iam_eval),
not by reading its text."""

from __future__ import annotations

import pytest

from xcloud_iac.components import ComponentArgsError, OperatorRole, OperatorRoleArgs
from xcloud_iac.components.operator import DELETE_ACTIONS, operator_policy

from . import lint
from .iam_eval import Decision, evaluate
from .mocks import Recorder, policy_json, run

ACCOUNT = "111122223333"
POLICY = operator_policy(ACCOUNT, ["us-east-1"])
# What else a session may hold (e.g. a deployer's or an administrator's policy): grants every delete.
ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
WITHOUT_MFA = [None, {"aws:MultiFactorAuthPresent": "false"}]  # long-term keys carry no key at all
WITH_MFA = {"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "120"}
ROUTE_TABLE = f"arn:aws:ec2:us-east-1:{ACCOUNT}:transit-gateway-route-table/tgw-rtb-0123456789abcdef0"


@pytest.mark.parametrize("action", DELETE_ACTIONS)
@pytest.mark.parametrize("context", WITHOUT_MFA, ids=["no-mfa-key", "mfa-false"])
def test_deletes_are_denied_without_mfa_even_when_another_policy_allows_them(action, context) -> None:
    assert evaluate([ADMIN, POLICY], action, ROUTE_TABLE, context) is Decision.EXPLICIT_DENY


@pytest.mark.parametrize("action", DELETE_ACTIONS)
def test_deletes_are_allowed_with_mfa_where_another_policy_allows_them(action) -> None:
    assert evaluate([ADMIN, POLICY], action, ROUTE_TABLE, WITH_MFA) is Decision.ALLOW
    # and the operator policy itself grants no delete, MFA or not (least privilege)
    assert evaluate([POLICY], action, ROUTE_TABLE, WITH_MFA) is Decision.IMPLICIT_DENY


def test_what_the_operator_may_do_and_where() -> None:
    gateway = f"arn:aws:directconnect::{ACCOUNT}:dx-gateway/0123"
    assert evaluate([POLICY], "directconnect:DescribeDirectConnectGateways", gateway) is Decision.ALLOW
    assert evaluate([POLICY], "ec2:DescribeTransitGateways") is Decision.ALLOW
    assert evaluate([POLICY], "ec2:CreateTransitGatewayRoute", ROUTE_TABLE) is Decision.ALLOW
    # only in the stack's account and regions
    elsewhere = ROUTE_TABLE.replace("us-east-1", "eu-west-1")
    assert evaluate([POLICY], "ec2:CreateTransitGatewayRoute", elsewhere) is Decision.IMPLICIT_DENY
    other_account = ROUTE_TABLE.replace(ACCOUNT, "999999999999")
    assert evaluate([POLICY], "ec2:ReplaceTransitGatewayRoute", other_account) is Decision.IMPLICIT_DENY
    # the allow-list is the spec's, not the operators'
    dxgw = f"arn:aws:directconnect::{ACCOUNT}:dx-gateway/0123"
    assert evaluate([POLICY], "directconnect:UpdateDirectConnectGatewayAssociation", dxgw) is Decision.IMPLICIT_DENY
    assert evaluate([POLICY], "iam:CreateUser") is Decision.IMPLICIT_DENY


def test_the_evaluator_knows_bool_from_bool_if_exists() -> None:
    """The reason for BoolIfExists: a plain Bool on a missing key does not hold, so the Deny would not apply."""
    plain = {"Statement": [{"Effect": "Deny", "Action": "ec2:Delete*", "Resource": "*",
                            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}
    assert evaluate([ADMIN, plain], "ec2:DeleteTransitGateway") is Decision.ALLOW  # the hole the pattern closes
    assert evaluate([ADMIN, plain], "ec2:DeleteTransitGateway", context={"aws:multifactorauthpresent": "false"}) \
        is Decision.EXPLICIT_DENY
    not_action = {"Statement": [{"Effect": "Allow", "NotAction": "ec2:*", "Resource": "*"}]}
    assert evaluate([not_action], "ec2:DescribeVpcs") is Decision.IMPLICIT_DENY
    assert evaluate([not_action], "s3:GetObject") is Decision.ALLOW


def test_operator_policy_is_parliament_clean() -> None:
    assert lint.findings(POLICY) == []
    assert lint.findings(operator_policy(None, ["us-east-1", "eu-central-1"])) == []


def test_operator_role_under_mocks(recorder: Recorder) -> None:
    run(lambda: OperatorRole("dr-pair-operator", OperatorRoleArgs(ACCOUNT, ["us-east-1"], stack="dr-pair")))
    role = recorder.one("aws:iam/role:Role")
    trust = policy_json(role.inputs["assumeRolePolicy"])
    assert trust["Statement"] == [{"Action": "sts:AssumeRole", "Effect": "Allow",
                                   "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:root"]}}]
    assert lint.findings(trust, trust=True) == []
    assert role.inputs["maxSessionDuration"] == 3600
    attached = recorder.one("aws:iam/rolePolicy:RolePolicy")
    assert policy_json(attached.inputs["policy"]) == policy_json(POLICY)
    assert role.inputs["tags"]["xcloud:stack"] == "dr-pair"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (OperatorRoleArgs(None, ["us-east-1"]), "needs the AWS account"),
        (OperatorRoleArgs(ACCOUNT, []), "needs the regions"),
        (OperatorRoleArgs(ACCOUNT, ["us-east-1"], principals=["arn:aws:iam::1:role/*"]), "not an exact IAM ARN"),
    ],
    ids=["no-account", "no-region", "wildcard-principal"],
)
def test_bad_arguments_are_refused_before_any_child(recorder: Recorder, args, message) -> None:
    with pytest.raises(ComponentArgsError, match=message):
        run(lambda: OperatorRole("op", args))
    assert recorder.registered == []
