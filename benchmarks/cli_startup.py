"""How long the `xcloud` command takes to start and validate: `python -m benchmarks.cli_startup`.

Every command runs as a subprocess, as a user or CI runs it: `python -c pass` (the interpreter's own start, the
floor), `xcloud --version`, `xcloud --help` and `xcloud validate` on each example stack (stacks/*.yaml). After one
warm-up run of each (which writes the bytecode and the CEL parser cache, as any second run finds them), the commands
run `--repeats` times in turns, so that the load of a shared machine falls on all of them alike. The table gives the
median, 90th percentile and minimum of the wall time, the median CPU time (user + system: less disturbed by other
processes on a shared machine than the wall time), the ratio of the median to `python -c pass` measured in the same
run, and whether `xcloud validate` stays under the target (TARGET_S, on the median wall time). The validate runs are timed a second
time as first runs, each with an empty cache folder (no kept CEL verdicts nor parser): informational, no target. With `--importtime`, the slowest `xcloud validate` runs five more times under
`python -X importtime`, and a second table lists where its imports spend their time.

    python -m benchmarks.cli_startup                    # 20 runs of each command
    python -m benchmarks.cli_startup --repeats 50 -o cli-startup.json --markdown cli-startup.md --importtime

The numbers of docs/performance.md ("Start-up of the xcloud command") come from it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 0.35  # `xcloud validate` on each example stack, median wall time (issue 15)
FLOOR = "python -c pass"


def xcloud_command() -> list[str]:
    """The `xcloud` entry point installed beside this interpreter (what users run), else the same through -c."""
    script = Path(sys.executable).with_name("xcloud")
    if script.exists():
        return [sys.executable, str(script)]
    return [sys.executable, "-c", "import sys; from xcloud_iac.cli import main; sys.argv[0] = 'xcloud'; main()"]


COLD = " (first run: empty cache folder)"


def commands(stacks: list[Path], *, cold: bool = True) -> dict[str, list[str]]:
    """Label -> argv. A label ending in COLD runs each time with a new, empty XCLOUD_CACHE_DIR (what a first run, or
    a CI job without a kept cache, pays: cel-python imported and its parser built for a stack with CEL conditions)."""
    xcloud = xcloud_command()
    out = {FLOOR: [sys.executable, "-c", "pass"], "xcloud --version": [*xcloud, "--version"],
           "xcloud --help": [*xcloud, "--help"]}
    for stack in stacks:
        out[f"xcloud validate {stack.relative_to(ROOT)}"] = [*xcloud, "validate", str(stack)]
    if cold:
        for stack in stacks:
            out[f"xcloud validate {stack.relative_to(ROOT)}{COLD}"] = [*xcloud, "validate", str(stack)]
    return out


def environment(cache_dir: str, *, bytecode: bool) -> dict[str, str]:
    env = {**os.environ, "XCLOUD_CACHE_DIR": cache_dir}
    if bytecode:  # as installed: pip writes bytecode for site-packages, and Python for the rest on first import
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run."""
    cpu, started = _cpu(), time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stderr.decode()[-2000:]}")
    return elapsed, _cpu() - cpu


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation between the nearest ranks."""
    ordered = sorted(values)
    at = (len(ordered) - 1) * q
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def measure(cmds: dict[str, list[str]], repeats: int, env: dict[str, str]) -> list[dict[str, Any]]:
    for argv in cmds.values():  # warm-up: bytecode, CEL verdicts and the CEL parser are written here, not timed
        _run_once(argv, env)
    times: dict[str, list[float]] = {label: [] for label in cmds}
    cpu: dict[str, list[float]] = {label: [] for label in cmds}
    for _ in range(repeats):
        for label, argv in cmds.items():
            if label.endswith(COLD):
                with tempfile.TemporaryDirectory(prefix="xcloud-cold-") as empty:
                    wall, used = _run_once(argv, {**env, "XCLOUD_CACHE_DIR": empty})
            else:
                wall, used = _run_once(argv, env)
            times[label].append(wall)
            cpu[label].append(used)
    floor = statistics.median(times[FLOOR])
    rows = []
    for label, values in times.items():
        median = statistics.median(values)
        row: dict[str, Any] = {"command": label, "runs": len(values), "median_s": round(median, 4),
                               "p90_s": round(percentile(values, 0.9), 4), "min_s": round(min(values), 4),
                               "cpu_median_s": round(statistics.median(cpu[label]), 4),
                               "ratio": round(median / floor, 1) if floor > 0 else None}
        if label.startswith("xcloud validate") and not label.endswith(COLD):
            row["target_s"] = TARGET_S
            row["met"] = median <= TARGET_S
        rows.append(row)
    return rows


def importtime(argv: list[str], env: dict[str, str], repeats: int = 5) -> dict[str, Any]:
    """Where the imports of one command spend their time, from `python -X importtime` (`repeats` runs, the median
    of each figure). Each module's own time ("self", without the modules it imports) counts once, so the groups
    add up to the whole import time: by package (the standard library as one group; xcloud_iac by subpackage, its
    spec models apart), and the single modules that take longest."""
    runs: list[tuple[dict[str, float], dict[str, float], float]] = []
    for _ in range(repeats):
        proc = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], cwd=ROOT, env=env, capture_output=True,
                              text=True, check=False)
        groups: dict[str, float] = {}
        modules: dict[str, float] = {}
        for line in proc.stderr.splitlines():
            if not line.startswith("import time:") or "imported package" in line:
                continue
            own, _cumulative, name = line[len("import time:"):].split("|")
            name = name.strip()
            ms = int(own) / 1000
            modules[name] = modules.get(name, 0.0) + ms
            groups[_group(name)] = groups.get(_group(name), 0.0) + ms
        runs.append((groups, modules, sum(modules.values())))

    def median_of(index: int, key: str) -> float:
        return statistics.median(run[index].get(key, 0.0) for run in runs)

    group_names = {g for run in runs for g in run[0]}
    module_names = {m for run in runs for m in run[1]}
    by_group = sorted(((g, median_of(0, g)) for g in group_names), key=lambda x: -x[1])
    by_module = sorted(((m, median_of(1, m)) for m in module_names), key=lambda x: -x[1])[:12]
    return {"runs": repeats, "total_ms": round(statistics.median(run[2] for run in runs), 1),
            "groups": [{"group": g, "ms": round(ms, 1)} for g, ms in by_group if ms >= 0.5],
            "modules": [{"module": m, "ms": round(ms, 1)} for m, ms in by_module]}


def _group(module: str) -> str:
    top = module.split(".")[0]
    if top == "xcloud_iac":
        parts = module.split(".")
        return "xcloud_iac.spec.models" if module == "xcloud_iac.spec.models" else ".".join(parts[:2])
    if top in sys.stdlib_module_names or (top.startswith("_") and top.lstrip("_") in sys.stdlib_module_names):
        return "(standard library)"
    return top


def markdown(results: dict[str, Any]) -> str:
    lines = [f"`{results['command']}` - {results['repeats']} runs of each command in turns after one warm-up, "
             f"{results['machine']}, bytecode {'cached' if results['bytecode'] else 'not written'}, load average "
             f"{results['load_average_before']} before and {results['load_average_after']} after.", "",
             f"| command | median | p90 | min | CPU (median) | median x `{FLOOR}` | target (median) |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for r in results["rows"]:
        target = "" if "met" not in r else f"<= {r['target_s']:.2f} s: {'met' if r['met'] else 'MISSED'}"
        lines.append(f"| `{r['command']}` | {r['median_s']:.3f} s | {r['p90_s']:.3f} s | {r['min_s']:.3f} s | "
                     f"{r['cpu_median_s']:.3f} s | x{r['ratio']} | {target} |")
    if results.get("importtime"):
        imp = results["importtime"]
        lines += ["", f"Where the imports of `{results['importtime_command']}` spend their time (`python -X importtime`, "
                      f"median of {imp['runs']} runs; each module's own time, so the rows add up to all imports: "
                      f"{imp['total_ms']:.0f} ms):", "",
                  "| package | ms | | slowest modules (own time) | ms |", "|---|---:|---|---|---:|"]
        groups, modules = imp["groups"], imp["modules"]
        for i in range(max(len(groups), len(modules))):
            g = groups[i] if i < len(groups) else None
            m = modules[i] if i < len(modules) else None
            lines.append(f"| {g['group'] if g else ''} | {g['ms'] if g else ''} | | {m['module'] if m else ''} | "
                         f"{m['ms'] if m else ''} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cli_startup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=20, help="runs of each command (default 20)")
    parser.add_argument("--stacks", nargs="*", type=Path, help="stack files (default: stacks/*.yaml)")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="run with PYTHONDONTWRITEBYTECODE=1 (every module of the project compiled on each run)")
    parser.add_argument("--no-cold", action="store_true", help="do not time first runs (empty cache folder)")
    parser.add_argument("--importtime", action="store_true", help="also list where validate's imports take time")
    parser.add_argument("-o", "--output", type=Path, help="write the results as JSON")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args(argv)

    stacks = [p.resolve() for p in args.stacks] if args.stacks else sorted((ROOT / "stacks").glob("*.yaml"))
    cmds = commands(stacks, cold=not args.no_cold)
    from benchmarks.__main__ import machine

    info = machine()
    with tempfile.TemporaryDirectory(prefix="xcloud-cache-") as cache:
        env = environment(cache, bytecode=not args.no_bytecode)
        results: dict[str, Any] = {
            "command": " ".join(["python -m benchmarks.cli_startup", *(argv if argv is not None else sys.argv[1:])]),
            "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": f"{info['cpu']}, {info['cores']} cores, Python {info['python']}, commit {info['commit']}",
            "bytecode": not args.no_bytecode, "repeats": args.repeats, "target_s": TARGET_S,
            "load_average_before": round(os.getloadavg()[0], 2),
        }
        results["rows"] = measure(cmds, args.repeats, env)
        results["load_average_after"] = round(os.getloadavg()[0], 2)
        if args.importtime:
            # the slowest validate (warm)
            label = max((r for r in results["rows"] if "met" in r), key=lambda r: r["median_s"])["command"]
            results["importtime_command"] = label
            results["importtime"] = importtime(cmds[label], env)
    text = markdown(results)
    sys.stdout.write(text)
    if args.output:
        args.output.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
