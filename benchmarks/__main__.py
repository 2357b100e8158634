"""Run the benchmarks: `python -m benchmarks` (about 9 minutes here), `python -m benchmarks --quick` (a smoke
test, under a minute). See benchmarks/__init__.py for what is measured, and docs/performance.md for a run."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import audit_docs, report

ROOT = Path(__file__).resolve().parents[1]

FULL = {
    "checks": [10, 20, 39, 78, 156, 312, 625, 1250, 2500, 5000, 10000],
    "load": [10, 39, 156, 625, 1250, 2500, 5000, 10000],
    "baseline": [625, 1250, 2500, 5000, 10000],
    "plan": [25, 50, 100, 200, 400],
    "audit": [625, 1250, 2500, 5000],  # statements per trust policy
}
QUICK = {"checks": [10, 20, 40], "load": [10, 20], "baseline": [40, 80], "plan": [10], "audit": [40, 80]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each: a smoke test")
    for part, default in FULL.items():
        parser.add_argument(f"--{part}-sizes", type=_sizes, metavar="N,N,...",
                            help=f"networks per {part} measurement (default {','.join(map(str, default))}; "
                                 "empty to skip)")
    parser.add_argument("--repeats", type=int, help="runs per measurement, the median is kept (default 3; quick 1)")
    parser.add_argument("--naive-repeats", type=int, default=1, help="runs of each naive baseline (default 1)")
    parser.add_argument("--no-cli", action="store_true", help="do not time `xcloud plan` end to end")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic organisations (default 0)")
    parser.add_argument("-o", "--output", type=Path, default=Path("benchmark-results.json"),
                        help="JSON results file (default ./benchmark-results.json)")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    parser.add_argument("--plot", type=Path, help="also draw time against size to this PNG (needs matplotlib)")
    args = parser.parse_args(argv)

    defaults = QUICK if args.quick else FULL
    sizes = {part: getattr(args, f"{part}_sizes") for part in FULL}
    sizes = {part: defaults[part] if given is None else given for part, given in sizes.items()}
    repeats = args.repeats or (1 if args.quick else 3)
    results: dict[str, Any] = {
        "command": " ".join(["python -m benchmarks", *(argv if argv is not None else sys.argv[1:])]),
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(), "seed": args.seed, "repeats": repeats, "naive_repeats": args.naive_repeats,
        "checks": [], "load": [], "baseline": [], "plan": [], "audit": [],
    }
    started = time.perf_counter()
    for n in sizes["checks"]:
        results["checks"].append({"networks": n, **_run("checks", n, args.seed, repeats=repeats)})
    for n in sizes["load"]:
        results["load"].append({"networks": n, **_run("load", n, args.seed, repeats=repeats)})
    for n in sizes["baseline"]:
        plant = {"XC201": max(1, n // 250), "XC401": max(1, n // 250)}
        results["baseline"].append({"networks": n, **_run("baseline", n, args.seed, repeats=repeats, plant=plant,
                                                          naive_repeats=args.naive_repeats)})
    for shape in audit_docs.SHAPES:
        for n in sizes["audit"]:
            results["audit"].append({"statements": n, "shape": shape,
                                     **_run("audit", n, args.seed, repeats=repeats, shape=shape, statements=n)})
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes["plan"]:
            recorded = str(Path(tmp, f"registered-{n}.json"))
            row = {"networks": n, "plan": _run("plan", n, args.seed, repeats=repeats, recorded=recorded)}
            row["floors"] = _run("floors", n, args.seed, repeats=repeats, recorded=recorded)
            if not args.no_cli:
                row["cli"] = _run("cli_plan", n, args.seed, repeats=1)
            results["plan"].append(row)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["machine"]["load_average_after"] = round(os.getloadavg()[0], 2)
    results["growth"] = report.growth(results)
    results["targets"] = report.targets(results)

    text = report.markdown(results)
    print(text)
    args.output.write_text(json.dumps(results, indent=1) + "\n")
    print(f"results: {args.output}", file=sys.stderr)
    if args.markdown:
        args.markdown.write_text(text)
    if args.plot:
        from .plot import draw

        draw(results, args.plot)
    wrong = [row for part in ("checks", "load") for row in results[part] if not row["correct"]]
    wrong += [row for row in results["baseline"] if not all(row[r]["identical"] for r in ("XC201", "XC401"))]
    wrong += [row for row in results["plan"] if not row["floors"]["sdk"]["identical"]]
    # wrong findings, or a floor that registers other resources than the plan, fail the run; missed time targets
    # are reported, not fatal
    return 1 if wrong else 0


def _run(kind: str, networks: int, seed: int, **job: Any) -> dict[str, Any]:
    """One measurement in a fresh process (benchmarks/worker.py)."""
    print(f"  {kind:9s} {networks:>6,} networks ...", end="", file=sys.stderr, flush=True)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.worker"], cwd=ROOT, capture_output=True, text=True,
        input=json.dumps({"kind": kind, "networks": networks, "seed": seed, **job}), check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))},
    )
    if proc.returncode != 0:
        print(file=sys.stderr)
        raise SystemExit(f"benchmark {kind} at {networks} networks failed:\n{proc.stderr[-4000:]}")
    print(f" {time.perf_counter() - started:6.1f}s", file=sys.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kib = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                    if line.startswith("MemTotal:")), 0)
    try:  # read-only: which commit was measured, and whether the code differed from it
        git = ["git", "-C", str(ROOT)]
        commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                check=True).stdout.strip()
        changed = subprocess.run([*git, "status", "--porcelain", "--", "src", "benchmarks"], capture_output=True,
                                 text=True, check=True).stdout.strip()
        commit += " with uncommitted changes" if changed else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    import pulumi

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kib / 2**20, 1),
            "python": platform.python_version(), "system": f"{platform.system()} {platform.release()}",
            "pulumi": pulumi.__version__ if hasattr(pulumi, "__version__") else _version("pulumi"),
            "commit": commit, "load_average_before": round(os.getloadavg()[0], 2)}


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _sizes(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


if __name__ == "__main__":
    sys.exit(main())
