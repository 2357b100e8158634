"""The auditor's semantics, one IAM evaluation rule at a time, through the API the Pulumi components call."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xcloud_iac.audit import (
    AuditInputError,
    audit_text,
    audit_trust_policy,
    web_identity_grants,
)
from xcloud_iac.audit.jsonpos import parse_json
from xcloud_iac.checks import rule_classes

GITHUB = "token.actions.githubusercontent.com"
GITHUB_ARN = f"arn:aws:iam::111122223333:oidc-provider/{GITHUB}"
EKS = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
EKS_ARN = f"arn:aws:iam::111122223333:oidc-provider/{EKS}"


def web_identity(federated: str = GITHUB_ARN, effect: str = "Allow", **conditions) -> dict:
    stmt = {"Effect": effect, "Principal": {"Federated": federated}, "Action": "sts:AssumeRoleWithWebIdentity"}
    if conditions:
        stmt["Condition"] = conditions
    return stmt


def policy(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def rules(findings) -> list[str]:
    return [f.rule for f in findings]


TIGHT = {"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com", f"{GITHUB}:sub": "repo:o/r:ref:refs/heads/main"}}


def test_a_generated_policy_gets_findings_without_location_and_with_document_paths() -> None:
    doc = policy(web_identity(StringEquals={f"{GITHUB}:aud": "sts.amazonaws.com"}))
    [finding] = audit_trust_policy(doc, role="ci-deploy", issuers=[f"https://{GITHUB}"], max_session_seconds=3600)
    assert finding.rule == "XC501" and finding.location is None
    assert finding.path == "Statement[0].Condition"
    assert finding.message.startswith("Statement[0] of role 'ci-deploy' trusts GitHub Actions")
    assert "'sub' is not constrained: any workflow in any repository of the issuer can assume this role" in finding.message


def test_a_tight_policy_is_clean_as_dict_json_or_url_encoded_string() -> None:
    doc = policy(web_identity(**TIGHT))
    text = json.dumps(doc)
    for form in (doc, text, urllib.parse.quote(text, safe="")):
        assert audit_trust_policy(form) == []


def test_an_issuer_that_is_not_declared_is_xc503_and_spellings_of_a_declared_one_agree() -> None:
    doc = policy(web_identity(**TIGHT))
    for declared in (f"https://{GITHUB}/", GITHUB_ARN, "HTTPS://Token.Actions.GitHubUserContent.com"):
        assert audit_trust_policy(doc, issuers=[declared]) == []
    [finding] = audit_trust_policy(doc, issuers=[f"https://{EKS}"])
    assert finding.rule == "XC503" and finding.path == "Statement[0].Principal.Federated"
    assert f"declared: {EKS.lower()}" in finding.message


def test_stringequals_gives_no_meaning_to_wildcards() -> None:
    # '*' is literal under StringEquals: no token has that subject, so the role is unusable, not open
    doc = policy(web_identity(StringEquals={f"{GITHUB}:aud": "sts.amazonaws.com", f"{GITHUB}:sub": "repo:o/*"}))
    [finding] = audit_trust_policy(doc)
    assert (finding.rule, finding.severity.value) == ("XC508", "warning")
    assert "only a token whose 'sub' is literally 'repo:o/*' matches" in finding.message
    assert "admits nobody" in finding.message and "every token" not in finding.message


def test_conditions_spread_over_blocks_and_keys_are_all_required() -> None:
    doc = policy(web_identity(
        StringEquals={f"{GITHUB}:aud": "sts.amazonaws.com"},
        StringLike={f"{GITHUB}:sub": "repo:o/*"},
        **{"ForAnyValue:StringEquals": {f"{GITHUB}:sub": ["repo:o/r:ref:refs/heads/main"]}},
    ))
    assert audit_trust_policy(doc) == []  # the exact condition narrows the wildcard one (AND)


def test_forallvalues_pins_sub_but_ifexists_on_an_optional_claim_does_not() -> None:
    pinned = policy(web_identity(**{
        "StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"},
        "ForAllValues:StringEquals": {f"{GITHUB}:sub": "repo:o/r:environment:prod"},
    }))
    assert audit_trust_policy(pinned) == []
    vacuous = policy(web_identity(StringEquals={f"{GITHUB}:aud": "sts.amazonaws.com"}, StringEqualsIfExists={f"{GITHUB}:job_workflow_ref": "o/w/.github/workflows/d.yml@refs/heads/main"}))
    [finding] = audit_trust_policy(vacuous)
    assert finding.rule == "XC502" and "also true for tokens that do not carry the claim" in finding.message


def test_condition_keys_are_case_insensitive() -> None:
    doc = policy(web_identity(StringEquals={"Token.Actions.GitHubUserContent.com:AUD": "sts.amazonaws.com",
                                            "token.actions.githubusercontent.com:Sub": "repo:o/r:ref:refs/heads/main"}))
    assert audit_trust_policy(doc) == []


def test_an_unconditional_deny_removes_the_grant_but_a_deny_with_two_conditions_bounds_nothing() -> None:
    open_statement = web_identity()
    deny_all = {"Effect": "Deny", "Principal": "*", "Action": "sts:*"}
    assert audit_trust_policy(policy(open_statement, deny_all)) == []
    deny_and = {
        "Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringNotEquals": {f"{GITHUB}:sub": "repo:o/r:ref:refs/heads/main",
                                          f"{GITHUB}:aud": "sts.amazonaws.com"}},
    }
    # denied only when both differ: a token with the right audience and any subject gets in
    assert rules(audit_trust_policy(policy(open_statement, deny_and))) == ["XC501"]


def test_deny_of_another_issuer_does_not_bound_this_one() -> None:
    deny = {"Effect": "Deny", "Principal": {"Federated": EKS_ARN}, "Action": "sts:AssumeRoleWithWebIdentity"}
    [finding] = audit_trust_policy(policy(web_identity(), deny))
    assert finding.rule == "XC501" and "neither 'aud' nor 'sub'" in finding.message


def test_only_web_identity_statements_are_grants() -> None:
    saml = {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/okta"},
            "Action": "sts:AssumeRoleWithSAML", "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}
    wrong_action = {"Effect": "Allow", "Principal": {"Federated": GITHUB_ARN}, "Action": "sts:AssumeRole"}
    assert web_identity_grants(policy(saml, wrong_action)) == []
    assert audit_trust_policy(policy(saml, wrong_action)) == []
    not_action = {"Effect": "Allow", "Principal": {"Federated": GITHUB_ARN}, "NotAction": "sts:TagSession"}
    assert rules(audit_trust_policy(policy(not_action))) == ["XC501"]


def test_open_principals() -> None:
    star = {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}
    not_principal = {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}
    findings = audit_trust_policy(policy(star, not_principal))
    assert [(f.rule, f.path) for f in findings] == [("XC502", "Statement[0].Principal"), ("XC502", "Statement[1].NotPrincipal")]
    account_wildcard = dict(star, Condition={"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/deploy"}})
    assert rules(audit_trust_policy(policy(account_wildcard))) == ["XC502"]
    path_wildcard = dict(star, Condition={"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/ci/*"}})
    assert audit_trust_policy(policy(path_wildcard)) == []


def test_unidentifiable_federated_principal_is_xc503_only() -> None:
    findings = audit_trust_policy(policy(web_identity(federated="*")))
    assert rules(findings) == ["XC503"] and "names no identifiable OIDC issuer" in findings[0].message


def test_kubernetes_subject_patterns_are_explained() -> None:
    def message(pattern: str) -> str:
        doc = policy(web_identity(EKS_ARN, StringEquals={f"{EKS}:aud": "sts.amazonaws.com"},
                                  StringLike={f"{EKS}:sub": pattern}))
        [finding] = audit_trust_policy(doc)
        return finding.message.split(": ", 1)[1]

    assert message("system:serviceaccount:*") == "any service account in any namespace of the cluster can assume this role"
    assert message("system:serviceaccount:ci:*") == "any service account in namespace 'ci' can assume this role"
    assert message("system:serviceaccount:team-?:deployer") == (
        "service accounts in every namespace matching 'team-?' can assume this role"
    )
    assert message("*") == "'sub' matches anything: any service account in any namespace of the cluster can assume this role"


def test_github_subject_patterns_are_explained() -> None:
    def message(pattern: str) -> str:
        doc = policy(web_identity(StringEquals={f"{GITHUB}:aud": "sts.amazonaws.com"},
                                  StringLike={f"{GITHUB}:sub": pattern}))
        [finding] = audit_trust_policy(doc)
        return finding.message.split(": ", 1)[1]

    assert message("repo:o/*") == "any workflow in any repository of 'o' can assume this role"
    assert message("repo:o/r:*") == "any workflow of 'o/r' on any branch, tag, pull request or environment can assume this role"
    assert message("repo:o/r:ref:refs/heads/*") == (
        "workflows of 'o/r' matching 'ref:refs/heads/*' (any of them, not one) can assume this role"
    )
    assert message("repo:o/app-*:ref:refs/heads/main") == "any workflow in every repository of 'o' matching 'app-*' can assume this role"


def test_a_github_ref_condition_without_a_repository_is_over_broad() -> None:
    doc = policy(web_identity(StringEquals={f"{GITHUB}:aud": "sts.amazonaws.com", f"{GITHUB}:ref": "refs/heads/main"}))
    [finding] = audit_trust_policy(doc)
    assert finding.rule == "XC502" and "matching workflows of any repository of the issuer" in finding.message


def test_permission_policies_xc505() -> None:
    perms = [
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::b/*"}]},
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]},
    ]
    findings = audit_trust_policy(policy(web_identity(**TIGHT)), role="r", permission_policies=perms)
    assert [f.message for f in findings] == [
        "Statement[0] of a permission policy of role 'r' allows action '*' on resource '*'",
        "Statement[0] of a permission policy of role 'r' allows every action except those in NotAction",
    ]


def test_a_single_statement_object_is_understood() -> None:
    doc = {"Version": "2012-10-17", "Statement": web_identity()}
    [finding] = audit_trust_policy(doc)
    assert finding.path == "Statement.Condition" or finding.path == "Statement"
    assert finding.message.startswith("Statement of the trust policy")


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('{"Version": "2012-10-17", "Statement": "Allow"}', 1, "'Statement' is missing or is neither"),
        ('{"Statement": [{"Effect": "Permit", "Action": "sts:AssumeRole"}]}', 1, "'Effect' must be 'Allow' or 'Deny'"),
        ('{"Statement": [{"Effect": "Allow", "Principal": 5, "Action": "x"}]}', 1, "'Principal' is"),
        ('{"Role": {"AssumeRolePolicyDocument": "%7Bnot json"}}', 1, "not JSON (nor URL-encoded JSON)"),
        ('{"hello": "world"}', 1, "nothing to audit: expected an IAM policy document"),
        ('{\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}', 3, "invalid JSON"),
    ],
)
def test_unusable_input_is_located(text: str, where: int, message: str) -> None:
    with pytest.raises(AuditInputError) as err:
        audit_text(text, "p.json")
    [problem] = err.value.problems
    assert problem.location.file == "p.json" and problem.location.line == where
    assert message in problem.message


def _deep(n: int) -> str:
    return '{"Statement": ' + "[" * n + "]" * n + "}"


ROLE_WITH = '{{"Role": {{"RoleName": "r", "AssumeRolePolicyDocument": {{"Statement": [{statement}]}}{extra}}}}}'
GRANT = '{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "Action": "sts:AssumeRole"}'


@pytest.mark.parametrize(
    ("text", "at", "message"),
    [
        # each of these gave a traceback (RecursionError, ValueError, AttributeError), not a located error
        (_deep(490), "[" * 64, "nested more than 64 levels"),
        (_deep(990), "[" * 64, "nested more than 64 levels"),
        ('{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Sid": ' + "9" * 4301 + "}]}",
         "9999", "an integer of 4301 digits"),
        (ROLE_WITH.format(statement=GRANT, extra=', "RolePolicyList": ["x"]'), '"x"', "each entry of 'RolePolicyList'"),
        (ROLE_WITH.format(statement=GRANT, extra=', "RolePolicyList": {"a": 1}'), '{"a": 1}', "'RolePolicyList' is a list"),
        # values IAM would refuse, accepted silently before
        ('{"Statement": [{"Effect": "Allow", "Action": 123, "Resource": "*"}]}', "123", "'Action' must be a string"),
        ('{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", ["x"]], "Resource": "*"}]}', '["x"]',
         "'Action' must be a string (or a list of them), not a list"),
        ('{"Statement": [{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, '
         '"Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"accounts.google.com:aud": {"a": 1}}}}]}',
         '{"a": 1}', "a condition value must be a string, a boolean or a number (or a list of them), not an object"),
        ('{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", '
         '"Condition": {"NumericLessThan": {"s3:max-keys": NaN}}}]}', "NaN", "NaN is not a JSON value"),
        ('{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": 1e999}]}', "1e999", "out of range"),
        ('{"Statement": [{"Effect": "Allow", "Principal": {"AWS": 5}, "Action": "sts:AssumeRole"}]}', "5}", 
         "Principal.AWS must be a string"),
    ],
    ids=["deep-490", "deep-990", "huge-int", "role-policy-list-string", "role-policy-list-object", "action-number",
         "action-nested-list", "condition-object", "nan", "infinity", "principal-number"],
)
def test_bad_input_catalogue_gives_located_errors(text: str, at: str, message: str) -> None:
    """Each error points at the offending value: the first character of `at` in the text (the bracket that goes
    too deep: the object is level 1, so the 64th "[" is level 65; the number, the entry)."""
    with pytest.raises(AuditInputError) as err:
        audit_text(text, "bad.json")
    [problem] = err.value.problems
    assert message in problem.message
    column = text.index(at) + (len(at) if at == "[" * 64 else 1)
    assert (problem.location.file, problem.location.line, problem.location.column) == ("bad.json", 1, column)


json_documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    | st.sampled_from(["Allow", "Deny", "*", "sts:AssumeRoleWithWebIdentity", "accounts.google.com"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["Statement", "Effect", "Principal", "Federated", "AWS", "Action", "Resource", "Condition",
                         "StringEquals", "StringLike", "accounts.google.com:sub", "Role", "AssumeRolePolicyDocument",
                         "RolePolicyList", "PolicyDocument", "MaxSessionDuration", "attributeCondition", "oidc",
                         "issuerUri", "aws", "accountId", "Roles", "NotAction"]),
        inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(json_documents)
def test_no_document_gives_a_traceback(value) -> None:
    try:
        audit_text(json.dumps(value), "any.json")
    except AuditInputError as exc:
        assert all(p.location.file == "any.json" for p in exc.problems)


def test_findings_carry_the_catalogue_severity_of_their_rule() -> None:
    registered = {cls.id: cls.severity for cls in rule_classes()}
    doc = policy(web_identity(), {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"})
    findings = audit_trust_policy(doc, max_session_seconds=7200, permission_policies=[
        {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}])
    assert {f.rule for f in findings} == {"XC501", "XC502", "XC504", "XC505"}
    assert all(f.severity is registered[f.rule] for f in findings)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(json_values, st.sampled_from([None, 0, 2]), st.booleans())
def test_json_positions_point_at_each_value_and_key(value, indent, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    data, source = parse_json(text, "v.json")
    assert data == value
    lines = text.split("\n")

    def char_at(pos: tuple[int, int]) -> str:
        return lines[pos[0] - 1][pos[1] - 1]

    def walk(node, path):
        first = json.dumps(node, ensure_ascii=ascii_only)[0]
        assert char_at(source.values[path]) == first
        if isinstance(node, dict):
            for k, v in node.items():
                assert char_at(source.keys[(*path, k)]) == '"'
                walk(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, (*path, i))

    walk(data, ())
