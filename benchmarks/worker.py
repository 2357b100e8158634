"""One measurement, in its own process: `python -m benchmarks.worker` reads a job (JSON) on stdin and writes its
result (JSON) as the last line of stdout.

A fresh process per measurement keeps the peaks clean and the runs independent (caches, Pulumi's global state).
Inputs are prepared before the clock starts. Each timed operation runs `repeats` times; the peak is the growth of
the resident set during the first run (the high-water mark is reset just before it, see `_Peak`).
"""

from __future__ import annotations

import gc
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

from xcloud_iac import collector, synth
from xcloud_iac.checks import all_rules, check, check_many
from xcloud_iac.plan.mocks import install, run
from xcloud_iac.program import deploy
from xcloud_iac.spec import load_text
from xcloud_iac.topology import build

from . import audit_docs, baselines, floors


class _Peak:
    """Peak resident memory of one operation, in MiB: Linux resets the high-water mark on request (clear_refs), so
    the peak is that of the operation, not of preparing its input. Elsewhere: the growth of ru_maxrss."""

    def __enter__(self) -> Self:
        self.before = _status("VmRSS")
        try:
            Path("/proc/self/clear_refs").write_text("5")
            self.reset = True
        except OSError:
            self.reset, self.before = False, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return self

    def __exit__(self, *exc: object) -> None:
        high = _status("VmHWM") if self.reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.mib = round(max(high - self.before, 0) / 1024, 1)


def _status(field: str) -> int:
    """A field of /proc/self/status, in KiB (0 where there is none)."""
    try:
        match = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.MULTILINE)
    except OSError:
        return 0
    return int(match.group(1)) if match else 0


def timed(operation: Callable[..., Any], repeats: int, prepare: Callable[[], tuple] = tuple) -> tuple[dict, Any]:
    """Run `operation(*prepare())` `repeats` times, preparing each run's input before the clock starts: times,
    median, peak MiB of the first run, and the first run's result."""
    times, first = [], None
    for i in range(repeats):
        args = prepare()
        gc.collect()
        with _Peak() as peak:
            start = time.perf_counter()
            result = operation(*args)
            times.append(time.perf_counter() - start)
        if i == 0:
            first, first_peak = result, peak.mib
        del args, result
    return {"times": [round(t, 4) for t in times], "median": round(statistics.median(times), 4),
            "peak_mib": first_peak}, first


def _findings(findings: list) -> dict[str, int]:
    return dict(sorted(Counter(f.rule for f in findings).items()))


# ---------------------------------------------------------------- jobs


def checks(job: dict) -> dict:
    """xcloud_iac.checks.check(stack) on an in-memory stack."""
    generated = synth.generate(job["networks"], seed=job["seed"], plant=job.get("plant"))
    stack = generated.stack()
    result, report = timed(lambda: check(stack), job["repeats"])
    found = _findings(report.findings)
    return {**result, "sizes": synth.describe(report.topology), "findings": found,
            "expected": dict(generated.expected), "correct": found == dict(generated.expected)}


def load(job: dict) -> dict:
    """YAML text -> findings, through the loader: one file per cell, checked as one organisation-wide plan."""
    generated = synth.generate(job["networks"], seed=job["seed"], plant=job.get("plant"))
    texts = generated.yaml()
    result, report = timed(lambda: check_many([load_text(text, name) for name, text in texts.items()]),
                           job["repeats"])
    found = _findings(report.findings)
    return {**result, "files": len(texts), "megabytes": round(sum(map(len, texts.values())) / 1e6, 2),
            "findings": found, "correct": found == dict(generated.expected)}


def baseline(job: dict) -> dict:
    """The library's XC201 and XC401 against the naive searches, on a stack with planted overlaps and loops. Each
    run gets a freshly built topology (routing and DNS models built before the clock starts, so both sides pay
    only for their search); the cyclic collector is paused for both, as check() pauses it."""
    generated = synth.generate(job["networks"], seed=job["seed"], plant=job["plant"])
    stack = generated.stack()
    rules = {r.id: r for r in all_rules()}

    def fresh() -> tuple:
        topo = build(stack)
        topo.routing, topo.dns  # noqa: B018 - built before the clock starts
        return (topo,)

    out = {}
    for rule, naive in (("XC201", baselines.pairwise_overlaps), ("XC401", baselines.chained_dns_loops)):
        sides = {}
        for side, search in (("library", lambda t, r=rule: list(rules[r].check(t))), ("naive", naive)):
            repeats = job["repeats"] if side == "library" else job["naive_repeats"]
            with collector.paused():
                result, found = timed(search, repeats, fresh)
            sides[side] = {**result, "findings": sorted((f.to_dict() for f in found), key=json.dumps)}
        identical = sides["library"].pop("findings") == sides["naive"].pop("findings")
        out[rule] = {**sides, "identical": identical, "expected": generated.expected[rule],
                     "ratio": round(sides["naive"]["median"] / sides["library"]["median"], 1)}
    return out


def plan(job: dict) -> dict:
    """xcloud_iac.plan.plan_stack (deploy() under Pulumi mocks, as `xcloud plan` runs it), the depth of the
    resource graph, and what it registers, for the floors."""
    from xcloud_iac.plan import plan_stack

    plan_stack(synth.generate(10, seed=1).stack())  # import the provider SDKs (lazily loaded modules) before timing
    stack = synth.generate(job["networks"], seed=job["seed"]).stack()
    result, inventory = timed(lambda: plan_stack(stack), job["repeats"])
    recorded = floors.record(lambda: deploy(stack, export=False))
    Path(job["recorded"]).write_text(recorded.to_json())
    components = sum(1 for r in inventory.resources if not r.custom)
    return {**result, "resources": len(inventory.resources), "components": components, **_depth(recorded)}


def _depth(recorded: floors.Recorded) -> dict:
    """The longest chain of dependencies between registered resources (explicit depends_on and inputs taken from
    other resources), and the deepest nesting of parents."""
    import networkx as nx

    deps, parents = nx.DiGraph(), {}
    for r in recorded.resources:
        deps.add_node(r.urn)
        deps.add_edges_from((d, r.urn) for d in r.dependencies if d != r.urn)
        parents[r.urn] = r.parent

    def nesting(urn: str) -> int:
        level = 0
        while parents.get(urn):
            urn, level = parents[urn], level + 1
        return level

    return {"dependency_depth": nx.dag_longest_path_length(deps), "parent_depth": max(map(nesting, parents))}


def plan_floors(job: dict) -> dict:
    """The floors of a plan (floors.py): the same resources registered flat as bare CustomResources, and by the
    program one would write by hand with the provider SDKs - which must register exactly what the plan does. Both
    run with the cyclic collector paused, as plan_stack pauses it."""
    recorded = floors.Recorded.from_json(Path(job["recorded"]).read_text())
    out = {}
    for name, program in (("flat", floors.flat(recorded)), ("sdk", floors.sdk(recorded))):
        floors.record(program)  # the SDK's first registrations of each type, before timing

        def register(program: Callable[[], Any] = program) -> int:
            install()
            with collector.paused():
                run(program)
            return len(recorded.resources)

        result, count = timed(register, job["repeats"])
        out[name] = {**result, "resources": count}
    differences = floors.differences(recorded, floors.record(floors.sdk(recorded)))
    out["sdk"] |= {"identical": not differences, "differences": differences[:10]}
    return out


def cli_plan(job: dict) -> dict:
    """`xcloud plan org.yaml --format json`, end to end (its own process, the worker process it starts, loading,
    checking, planning, rendering): the organisation as one file."""
    import yaml

    data = synth.generate(job["networks"], seed=job["seed"]).data()
    with tempfile.TemporaryDirectory() as tmp:
        spec, out = Path(tmp, "org.yaml"), Path(tmp, "plan.json")
        spec.write_text(yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False))
        command = [sys.executable, "-c", "from xcloud_iac.cli import main; main()",  # the `xcloud` script
                   "plan", str(spec), "--format", "json", "-o", str(out)]

        def plan_once() -> int:
            return subprocess.run(command, capture_output=True, check=False).returncode

        result, status = timed(plan_once, job["repeats"])
        planned = json.loads(out.read_text()) if out.exists() else {}
    return {**result, "exit_status": status, "resources": len(planned.get("resources", []))}


def audit(job: dict) -> dict:
    """`xcloud audit-trust` on one trust policy of n statements (benchmarks/audit_docs.py), against the floor any
    auditor pays: parsing the JSON and reading its statements (json.loads + audit.trust.read_statements)."""
    from xcloud_iac.audit import audit_text
    from xcloud_iac.audit.trust import read_statements

    text = audit_docs.SHAPES[job["shape"]](job["statements"])
    result, findings = timed(lambda: audit_text(text, "trust.json"), job["repeats"])
    floor, _ = timed(lambda: read_statements(json.loads(text)), job["repeats"])
    return {"audit": result, "floor": floor, "findings": _findings(findings), "megabytes": round(len(text) / 1e6, 2)}


JOBS = {"audit": audit, "checks": checks, "load": load, "baseline": baseline, "plan": plan, "floors": plan_floors, "cli_plan": cli_plan}


def main() -> None:
    job = json.loads(sys.stdin.read())
    all_rules()  # import the rule modules before any clock starts
    result = JOBS[job["kind"]](job)
    sys.stdout.write("\n" + json.dumps(result) + "\n")


if __name__ == "__main__":
    sys.exit(main())
