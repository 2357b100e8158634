"""Kept CEL verdicts (audit/cel.py): a condition judged before is answered from the user's cache folder, without
importing cel-python, and with the very verdict judging gives; a verdict kept by other code or another evaluator
version, or a damaged file, is judged again. Each run is a fresh process, as each `xcloud validate` is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CONDITIONS = [
    ("assertion.repository == 'org/app'", None),  # closed
    ("assertion.sub != ''", None),  # open: any token with a subject
    ("true || false", None),  # open, reads no claim
    ("assertion.arn.startsWith('arn:aws:sts::123456789012:assumed-role/')", "123456789012"),  # open: any role
    ("assertion.sub ==", None),  # invalid
]


def _judge_in_a_new_process(cache: str) -> tuple[list[dict], bool]:
    code = (
        "import dataclasses, json, sys\n"
        "from xcloud_iac.audit.cel import judge\n"
        f"verdicts = [dataclasses.asdict(judge(c, aws_account=a)) for c, a in {CONDITIONS!r}]\n"
        "print(json.dumps({'verdicts': verdicts, 'celpy': 'celpy' in sys.modules}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "XCLOUD_CACHE_DIR": cache})
    result = json.loads(out.stdout)
    return result["verdicts"], result["celpy"]


def test_a_kept_verdict_is_the_judged_one_and_needs_no_cel_evaluator(tmp_path: Path) -> None:
    judged, imported = _judge_in_a_new_process(str(tmp_path))
    assert imported
    assert [v["open"] for v in judged] == [False, True, True, True, False]
    assert judged[4]["invalid"] and judged[1]["token"] == {"assertion": {"sub": "attacker"}}
    kept, imported = _judge_in_a_new_process(str(tmp_path))
    assert kept == judged
    assert not imported
    uncached, _ = _judge_in_a_new_process("")
    assert uncached == judged


def test_verdicts_kept_under_another_namespace_or_damaged_are_judged_again(tmp_path: Path) -> None:
    judged, _ = _judge_in_a_new_process(str(tmp_path))
    file = tmp_path / "cel-verdicts.json"
    data = json.loads(file.read_text())
    forged = {key: {"open": False, "invalid": None, "token": None} for key in data["verdicts"]}
    file.write_text(json.dumps({"namespace": "other code or another cel-python", "verdicts": forged}))
    again, imported = _judge_in_a_new_process(str(tmp_path))
    assert again == judged and imported
    assert json.loads(file.read_text())["namespace"] == data["namespace"]  # rewritten under this code's namespace
    file.write_text('{"namespace": "' + data["namespace"] + '", "verdicts": {')  # cut short
    again, imported = _judge_in_a_new_process(str(tmp_path))
    assert again == judged and imported


def test_an_empty_cache_setting_keeps_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code = "from xcloud_iac.audit.cel import judge; assert judge('true').open"
    subprocess.run([sys.executable, "-c", code], check=True,
                   env={**os.environ, "XCLOUD_CACHE_DIR": "", "HOME": str(home), "XDG_CACHE_HOME": str(home)})
    assert not home.exists()
