"""One verdict on a trust policy, whichever front end asks: `xcloud audit-trust` (the CLI), `audit_trust_policy`
(what the OidcTrustRole component and `xcloud verify` call) and the policy pack's xcloud-oidc-trust-pinned policy
are fed the same trust policies - the auditor's real-world fixtures and the shapes issue 14 found the old pack
evaluator judged differently - and must report the same errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from xcloud_policies import rules

from xcloud_iac.audit import audit_trust_policy
from xcloud_iac.cli import app

FIXTURES = Path(__file__).parents[1] / "audit" / "fixtures"
GITHUB = "token.actions.githubusercontent.com"
ARN = f"arn:aws:iam::111122223333:oidc-provider/{GITHUB}"


def _trust_documents() -> dict[str, dict]:
    docs = {}
    for path in sorted(FIXTURES.glob("*.json")):
        if path.name.endswith(".expected.json"):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        data = data.get("Role", data) if isinstance(data, dict) else data
        if isinstance(data, dict) and "AssumeRolePolicyDocument" in data:
            data = data["AssumeRolePolicyDocument"]
        statements = data.get("Statement") if isinstance(data, dict) else None
        statements = statements if isinstance(statements, list) else [statements]
        if any(isinstance(s, dict) and "Principal" in s for s in statements):
            docs[path.stem] = data
    grant = {"Effect": "Allow", "Principal": {"Federated": ARN}, "Action": "sts:AssumeRoleWithWebIdentity"}
    aud = {f"{GITHUB}:aud": "sts.amazonaws.com"}
    docs.update({
        # judged differently by the pack's former evaluator
        "if-exists-on-sub": {"Statement": [grant | {"Condition": {
            "StringEquals": aud, "StringEqualsIfExists": {f"{GITHUB}:sub": "repo:o/r:ref:refs/heads/main"}}}]},
        "forgeable-workflow-sub": {"Statement": [grant | {"Condition": {
            "StringEquals": aud | {f"{GITHUB}:sub": "workflow:deploy"}}}]},
        "one-repository-every-branch": {"Statement": [grant | {"Condition": {
            "StringEquals": aud, "StringLike": {f"{GITHUB}:sub": "repo:o/r:*"}}}]},
        "deny-bounds-subject": {"Statement": [grant | {"Condition": {"StringEquals": aud}}, {
            "Effect": "Deny", "Principal": {"Federated": ARN}, "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringNotEquals": {f"{GITHUB}:sub": "repo:o/r:ref:refs/heads/main"}}}]},
        "stringequals-wildcard": {"Statement": [grant | {"Condition": {
            "StringEquals": aud | {f"{GITHUB}:sub": "repo:o/*"}}}]},
    })
    return docs


DOCUMENTS = _trust_documents()


def _errors(findings) -> set[tuple[str, str]]:
    return {(f["rule"], f["path"]) for f in findings
            if f["severity"] == "error" and f["rule"] in rules.TRUST_RULES}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_cli_api_and_pack_give_one_verdict(name: str, tmp_path: Path) -> None:
    document = DOCUMENTS[name]
    api = _errors(f.to_dict() for f in audit_trust_policy(document))
    spec = tmp_path / "trust.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(app, ["audit-trust", str(spec), "--format", "json", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    cli = _errors(json.loads(result.output)["findings"])
    pack = {tuple(m.split(": ", 1)[0].split(" ", 1)) for m in rules.open_oidc_trust(
        rules.Resource(rules.ROLE, {"assumeRolePolicy": json.dumps(document)}, name="r"), {})}
    assert api == cli == pack


def test_the_corpus_holds_open_and_closed_policies() -> None:
    verdicts = [bool(audit_trust_policy(d)) for d in DOCUMENTS.values()]
    assert len(DOCUMENTS) >= 20 and any(verdicts) and not all(verdicts)
