"""`xcloud audit-trust` as a user runs it: formats, --issuer, exit status 0/1/2 like `validate`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from xcloud_iac.cli import app

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str | Path):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_clean_files_exit_0() -> None:
    result = run("audit-trust", FIXTURES / "pass-github-exact-sub.json", FIXTURES / "pass-gke-url-encoded-get-role.json")
    assert result.exit_code == 0, result.output
    assert result.output == "no findings\n"


def test_findings_exit_1_and_are_located() -> None:
    path = FIXTURES / "fail-github-org-wildcard.json"
    result = run("audit-trust", path)
    assert result.exit_code == 1
    assert result.output.startswith(f"{path}:15:11: error XC502 Statement[0] of the trust policy trusts GitHub Actions")
    assert "[Statement[0].Condition.StringLike.token.actions.githubusercontent.com:sub]" in result.output


def test_fail_on_threshold() -> None:
    path = FIXTURES / "fail-github-audience-only.json"
    assert run("audit-trust", path, "--fail-on", "never").exit_code == 0
    assert run("audit-trust", path, "--fail-on", "warning").exit_code == 1


def test_issuer_option_makes_other_issuers_xc503() -> None:
    eks = FIXTURES / "pass-eks-irsa-exact.json"
    result = run("audit-trust", eks, "--issuer", "https://token.actions.githubusercontent.com", "-f", "json")
    assert result.exit_code == 1
    [finding] = json.loads(result.output)["findings"]
    assert finding["rule"] == "XC503" and "not a declared issuer" in finding["message"]
    issuer = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    assert run("audit-trust", eks, "--issuer", issuer).exit_code == 0


def test_invalid_json_and_unknown_shapes_exit_2_with_file_line_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}\n')
    other = tmp_path / "other.json"
    other.write_text('{"Buckets": []}\n')
    result = run("audit-trust", broken, other, tmp_path / "missing.json", FIXTURES / "fail-github-org-wildcard.json")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert f"{broken}:3:24: error XC000 <root>: invalid JSON: Expecting property name enclosed in double quotes" in lines
    assert any(line.startswith(f"{other}:1:1: error XC000 <root>: nothing to audit") for line in lines)
    assert f"{tmp_path / 'missing.json'}: error XC000 <root>: file not found" in lines
    assert any(" XC502 " in line for line in lines), "the readable file is still audited"
    assert "Traceback" not in result.output


def test_sarif_and_github_formats(tmp_path: Path) -> None:
    path = FIXTURES / "fail-second-statement-unconditioned.json"
    sarif = json.loads(run("audit-trust", path, "-f", "sarif").output)
    [result] = sarif["runs"][0]["results"]
    rules = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
    assert rules[result["ruleIndex"]] == "XC501"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 23, "startColumn": 9}
    github = run("audit-trust", path, "-f", "github", "-o", tmp_path / "out.txt")
    assert github.exit_code == 1
    assert (tmp_path / "out.txt").read_text().startswith(f"::error file={path},line=23,col=9,title=XC501 ")


def test_duplicate_json_keys_are_refused_with_their_place(tmp_path: Path) -> None:
    """`"Statement"` twice: json keeps the last one silently, so a reviewer and the auditor would read different
    policies."""
    allow_any = '{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}'
    text = ('{\n  "Version": "2012-10-17",\n  "Statement": [' + allow_any + '],\n'
            '  "Statement": []\n}\n')
    policy = tmp_path / "dup.json"
    policy.write_text(text)
    result = CliRunner().invoke(app, ["audit-trust", str(policy)])
    assert result.exit_code == 2, result.output
    assert f"{policy}:4:3:" in result.output and "duplicate key 'Statement' (first at line 3)" in result.output


def test_duplicate_keys_inside_a_policy_string_are_refused(tmp_path: Path) -> None:
    inner = '{"Version": "2012-10-17", "Statement": [], "Statement": []}'
    role = tmp_path / "role.json"
    role.write_text(json.dumps({"Role": {"RoleName": "r", "AssumeRolePolicyDocument": inner}}))
    result = CliRunner().invoke(app, ["audit-trust", str(role)])
    assert result.exit_code == 2, result.output
    assert "'Statement' twice" in result.output
