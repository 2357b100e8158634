"""Lint and types as habits: ruff (the rule set in pyproject.toml) and mypy (its settings there) find nothing in
src/. Both are pinned in the test extra."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=900,
                          check=False)


def test_ruff_finds_nothing_in_src() -> None:
    result = run("ruff", "check", "src")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing_in_src() -> None:
    result = run("mypy")  # files and settings: [tool.mypy] in pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout
