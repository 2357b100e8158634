"""The benchmark command runs end to end at tiny sizes and checks findings as well as time (a smoke test; the
figures themselves live in docs/performance.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_benchmarks_run_and_find_exactly_the_planted_conflicts(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--checks-sizes", "10,20", "--load-sizes", "10", "--baseline-sizes", "40",
         "--plan-sizes", "10", "--repeats", "1", "--naive-repeats", "1", "--no-cli", "-o", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    results = json.loads(out.read_text())
    assert [row["networks"] for row in results["checks"]] == [10, 20]
    assert all(row["correct"] for row in results["checks"] + results["load"])
    assert results["baseline"] and results["plan"]
    same = next(t for t in results["targets"] if t["target"].startswith("baselines find exactly"))
    assert same["met"] is True  # the naive baselines and the library report identical findings
