"""`xcloud diff --base REF` in a throwaway git repository, as CI runs it in a pull request: the base is read with
`git show`, plans run in worker processes, and the exit status says whether the change introduces an error."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xcloud_iac.cli import app

from .support import EXAMPLES, STACKS

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo, check=True,
                   capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A platform repo whose main has stacks/dr-pair.yaml and stacks/cloud-wan.yaml; the working tree is the PR."""
    (tmp_path / "stacks").mkdir()
    shutil.copy(EXAMPLES / "dr-pair-base.yaml", tmp_path / "stacks" / "dr-pair.yaml")
    shutil.copy(STACKS / "cloud-wan.yaml", tmp_path / "stacks" / "cloud-wan.yaml")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_pull_request_against_main(repo: Path) -> None:
    shutil.copy(EXAMPLES / "dr-pair-head.yaml", repo / "stacks" / "dr-pair.yaml")
    shutil.copy(STACKS / "alibaba-tencent.yaml", repo / "stacks" / "alibaba-tencent.yaml")  # a new stack
    result = CliRunner().invoke(app, ["diff", "--base", "main", "--format", "json"])
    assert result.exit_code == 1, result.output
    stacks = {s["spec"]: s for s in json.loads(result.output)["stacks"]}
    assert sorted(stacks) == ["stacks/alibaba-tencent.yaml", "stacks/cloud-wan.yaml", "stacks/dr-pair.yaml"]
    assert stacks["stacks/dr-pair.yaml"]["base"] == "main:stacks/dr-pair.yaml"
    # the transport and connection move to gcp-analytics, and so does the network side of the peering
    assert stacks["stacks/dr-pair.yaml"]["resources"]["counts"]["replace"] == 3
    assert stacks["stacks/alibaba-tencent.yaml"]["base"] is None  # absent at the base: everything is added
    assert {r["action"] for r in stacks["stacks/alibaba-tencent.yaml"]["resources"]["changes"]} == {"create"}
    assert stacks["stacks/cloud-wan.yaml"]["changes"] == [] and stacks["stacks/cloud-wan.yaml"]["resources"] is None


def test_a_harmless_change_exits_0_and_a_deleted_stack_is_all_removed(repo: Path) -> None:
    (repo / "stacks" / "cloud-wan.yaml").unlink()
    result = CliRunner().invoke(app, ["diff", "--base", "main", "stacks/cloud-wan.yaml", "-f", "json"])
    assert result.exit_code == 0, result.output
    [stack] = json.loads(result.output)["stacks"]
    assert stack["head"] is None and {r["action"] for r in stack["resources"]["changes"]} == {"delete"}
    assert [r["id"] for r in stack["risks"]] == ["interconnect-or-gateway"]


def test_unusable_input_exits_2(repo: Path) -> None:
    unknown = CliRunner().invoke(app, ["diff", "--base", "no-such-branch"])
    assert unknown.exit_code == 2 and "fetch-depth: 0" in unknown.output
    missing = CliRunner().invoke(app, ["diff", "--base", "main", "stacks/nothing.yaml"])
    assert missing.exit_code == 2
    two = CliRunner().invoke(app, ["diff", "--base", "stacks/dr-pair.yaml", "a.yaml", "b.yaml"])
    assert two.exit_code == 2
    (repo / "stacks" / "dr-pair.yaml").write_text("name: broken\nnetworks: [{name: a, mut: 1}]\n")
    broken = CliRunner().invoke(app, ["diff", "--base", "main", "stacks/dr-pair.yaml"])
    assert broken.exit_code == 2 and "Unusable input" in broken.output


def test_the_base_may_be_a_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["diff", "--base", str(EXAMPLES / "dr-pair-base.yaml"),
                                      str(EXAMPLES / "dr-pair-base.yaml"), "--format", "sarif"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["runs"][0]["results"] == []
