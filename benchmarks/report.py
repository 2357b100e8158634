"""The results as markdown tables, the growth per doubling of size, and the targets met or missed."""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Any

CHECKS_LIMIT_S = 2.0  # checks alone at 10,000 networks
GROWTH_LIMIT = 2.3  # time factor per doubling of size
GROWTH_FROM = 625  # below this, fixed costs (imports, the first rule) hide the growth
BASELINE_MIN_RATIO = 100.0  # pairwise overlap baseline / library, at 10,000 networks
AUDIT_LIMIT_S = 2.0  # `xcloud audit-trust` on one trust policy of 5,000 statements, each shape
AUDIT_AT = 5000
AUDIT_RATIO_GROWTH = 1.5  # audit / parsing floor may drift this much from 625 to 5,000 statements (8x the input)
PLAN_LIMIT = 1.2  # plan / the same resources registered by the provider SDKs alone (floors.sdk)


def growth(results: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Per series, the time factor per doubling between consecutive sizes: (t2/t1) ** (1 / log2(n2/n1))."""
    series = {
        "checks": [(r["networks"], r["median"]) for r in results["checks"]],
        "load": [(r["networks"], r["median"]) for r in results["load"]],
        "plan": [(r["networks"], r["plan"]["median"]) for r in results["plan"]],
        "sdk floor": [(r["networks"], r["floors"]["sdk"]["median"]) for r in results["plan"]],
        "flat floor": [(r["networks"], r["floors"]["flat"]["median"]) for r in results["plan"]],
        "naive overlap": [(r["networks"], r["XC201"]["naive"]["median"]) for r in results["baseline"]],
    }
    for shape in dict.fromkeys(r["shape"] for r in results.get("audit", [])):
        rows = [r for r in results["audit"] if r["shape"] == shape]
        series[f"audit {shape}"] = [(r["statements"], r["audit"]["median"]) for r in rows]
        series[f"audit floor {shape}"] = [(r["statements"], r["floor"]["median"]) for r in rows]
    out = {}
    for name, points in series.items():
        steps = []
        for (n1, t1), (n2, t2) in pairwise(points):
            if t1 > 0 and t2 > 0 and n2 > n1:
                steps.append({"from": n1, "to": n2, "per_doubling": round((t2 / t1) ** (1 / math.log2(n2 / n1)), 2)})
        out[name] = steps
    return out


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    out = []

    def target(name: str, value: Any, limit: str, met: bool | None) -> None:
        out.append({"target": name, "value": value, "limit": limit, "met": met})

    top = max(results["checks"], key=lambda r: r["networks"], default=None)
    if top and top["networks"] >= 10000:
        target(f"checks alone at {top['networks']:,} networks", f"{top['median']:.2f} s", f"<= {CHECKS_LIMIT_S} s",
               top["median"] <= CHECKS_LIMIT_S)
    for name in ("checks", "load"):
        steps = [s for s in results["growth"][name] if s["from"] >= GROWTH_FROM]
        if steps:
            worst = max(s["per_doubling"] for s in steps)
            target(f"{name}: time per doubling of size (from {GROWTH_FROM} networks)", f"x{worst}",
                   f"<= x{GROWTH_LIMIT}", worst <= GROWTH_LIMIT)
    base = max(results["baseline"], key=lambda r: r["networks"], default=None)
    if base and base["networks"] >= 10000:
        ratio = base["XC201"]["ratio"]
        target(f"pairwise overlap baseline / XC201 at {base['networks']:,} networks", f"x{ratio}",
               f">= x{BASELINE_MIN_RATIO:.0f}, identical", ratio >= BASELINE_MIN_RATIO and base["XC201"]["identical"])
    if results["baseline"]:
        same = all(r[rule]["identical"] for r in results["baseline"] for rule in ("XC201", "XC401"))
        target("baselines find exactly the library's findings", "yes" if same else "NO", "identical", same)
    if results["plan"]:
        worst = max(r["plan"]["median"] / r["floors"]["sdk"]["median"] for r in results["plan"])
        target("plan / the same resources registered by the provider SDKs alone (worst size)", f"x{worst:.2f}",
               f"<= x{PLAN_LIMIT}", worst <= PLAN_LIMIT)
        same = all(r["floors"]["sdk"]["identical"] for r in results["plan"])
        target("that floor registers exactly what the plan registers", "yes" if same else "NO", "identical", same)
        depths = [r["plan"]["dependency_depth"] for r in results["plan"]]
        target("longest dependency chain (links), across plan sizes", f"{min(depths)}..{max(depths)}",
               "does not grow with size", len(set(depths)) == 1)
    for shape in dict.fromkeys(r["shape"] for r in results.get("audit", [])):
        rows = [r for r in results["audit"] if r["shape"] == shape]
        top = max(rows, key=lambda r: r["statements"])
        if top["statements"] >= AUDIT_AT:
            target(f"audit-trust, {shape}, {top['statements']:,} statements", f"{top['audit']['median']:.2f} s",
                   f"<= {AUDIT_LIMIT_S} s", top["audit"]["median"] <= AUDIT_LIMIT_S)
        ratios = [r["audit"]["median"] / max(r["floor"]["median"], 1e-9) for r in rows if r["statements"] >= GROWTH_FROM]
        if len(ratios) > 1:
            # the floor (parsing) is linear and is measured in the same processes under the same load: an audit that
            # is linear keeps the same multiple of it
            grown = ratios[-1] / ratios[0]
            target(f"audit-trust, {shape}: audit / floor, largest size over smallest", f"x{grown:.2f}",
                   f"<= x{AUDIT_RATIO_GROWTH}", grown <= AUDIT_RATIO_GROWTH)
        steps = [s for s in results["growth"][f"audit {shape}"] if s["from"] >= GROWTH_FROM]
        if steps:
            worst = max(s["per_doubling"] for s in steps)
            target(f"audit-trust, {shape}: time per doubling of statements (from {GROWTH_FROM})", f"x{worst}",
                   f"<= x{GROWTH_LIMIT}", worst <= GROWTH_LIMIT)
    for part in ("checks", "load"):
        wrong = [r["networks"] for r in results[part] if not r["correct"]]
        if results[part]:
            target(f"{part}: findings are exactly the expected ones", "yes" if not wrong else f"NO at {wrong}",
                   "exact", not wrong)
    return out


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        (f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']}, {m['system']}, "
         f"Pulumi SDK {m['pulumi']}; commit {m['commit']}; load average {m['load_average_before']} before, "
         f"{m['load_average_after']} after."),
        (f"Command: `{results['command']}` ({results['seconds']:.0f} s). Times: the median of "
         f"{_runs(results['repeats'])} (naive baselines: {_runs(results['naive_repeats'])}), each measurement in a "
         "fresh process; peak: growth of the resident set during the first run."),
        "",
    ]
    if results["checks"]:
        lines += ["### Checks alone: `check(stack)` on an in-memory stack", "",
                  "| networks | routes | DNS rules | roles | time | per doubling | peak MiB | findings |",
                  "|---:|---:|---:|---:|---:|---:|---:|---|"]
        per = _per_doubling(results["growth"]["checks"])
        for r in results["checks"]:
            s = r["sizes"]
            lines.append(f"| {r['networks']:,} | {s['routes']:,} | {s['dns_rules']:,} | {s['roles']:,} | "
                         f"{_t(r['median'])} | {per.get(r['networks'], '')} | {r['peak_mib']:,.0f} | "
                         f"{_found(r)} |")
        lines.append("")
    if results["load"]:
        lines += ["### Load + validate: YAML files -> findings (loader, then `check_many`)", "",
                  "| networks | files | MB | time | per doubling | peak MiB | findings |",
                  "|---:|---:|---:|---:|---:|---:|---|"]
        per = _per_doubling(results["growth"]["load"])
        for r in results["load"]:
            lines.append(f"| {r['networks']:,} | {r['files']} | {r['megabytes']} | {_t(r['median'])} | "
                         f"{per.get(r['networks'], '')} | {r['peak_mib']:,.0f} | {_found(r)} |")
        lines.append("")
    if results["baseline"]:
        lines += ["### Against naive baselines (same run; planted overlaps and DNS loops)", "",
                  ("| networks | XC201 library | pairwise | ratio | same findings | XC401 library | every chain | "
                   "ratio | same findings |"),
                  "|---:|---:|---:|---:|---|---:|---:|---:|---|"]
        for r in results["baseline"]:
            a, b = r["XC201"], r["XC401"]
            lines.append(
                f"| {r['networks']:,} | {_t(a['library']['median'])} | {_t(a['naive']['median'])} | x{a['ratio']:,} | "
                f"{_same(a)} | {_t(b['library']['median'])} | {_t(b['naive']['median'])} | x{b['ratio']:,} | "
                f"{_same(b)} |")
        lines.append("")
    if results["plan"]:
        lines += ["### Planning: deploy() under Pulumi mocks (`plan_stack`, what `xcloud plan` runs)", "",
                  ("| networks | resources | components | plan | provider SDKs alone | plan / SDKs | same registrations "
                   "| flat | plan / flat | `xcloud plan` end to end | dependency chain | parent nesting | peak MiB |"),
                  "|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
        for r in results["plan"]:
            p, sdk, flat, cli = r["plan"], r["floors"]["sdk"], r["floors"]["flat"], r.get("cli")
            lines.append(
                f"| {r['networks']:,} | {p['resources']:,} | {p['components']:,} | {_t(p['median'])} | "
                f"{_t(sdk['median'])} | x{p['median'] / sdk['median']:.2f} | "
                f"{'yes' if sdk['identical'] else '**NO**'} | {_t(flat['median'])} | "
                f"x{p['median'] / flat['median']:.2f} | {_t(cli['median']) if cli else '-'} | "
                f"{p['dependency_depth']} | {p['parent_depth']} | {p['peak_mib']:,.0f} |")
        lines.append("")
    if results.get("audit"):
        lines += ["### Trust auditor: `xcloud audit-trust` on one policy of n statements, against its floor", "",
                  "Floor (same run): json.loads + reading the statements, what any auditor pays.", "",
                  "| shape | statements | MB | audit | per doubling | floor | floor per doubling | audit / floor | "
                  "peak MiB | findings |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for r in results["audit"]:
            per = _per_doubling(results["growth"][f"audit {r['shape']}"])
            per_floor = _per_doubling(results["growth"][f"audit floor {r['shape']}"])
            found = ", ".join(f"{rule} {n:,}" for rule, n in r["findings"].items()) or "none"
            lines.append(
                f"| {r['shape']} | {r['statements']:,} | {r['megabytes']} | {_t(r['audit']['median'])} | "
                f"{per.get(r['statements'], '')} | {_t(r['floor']['median'])} | {per_floor.get(r['statements'], '')} "
                f"| x{r['audit']['median'] / max(r['floor']['median'], 1e-9):.1f} | {r['audit']['peak_mib']:,.0f} | "
                f"{found} |")
        lines.append("")
    lines += ["### Targets", "", "| target | measured | limit | met |", "|---|---|---|---|"]
    for t in results["targets"]:
        lines.append(f"| {t['target']} | {t['value']} | {t['limit']} | {'yes' if t['met'] else '**no**'} |")
    return "\n".join(lines) + "\n"


def _runs(n: int) -> str:
    return "one run" if n == 1 else f"{n} runs"


def _per_doubling(steps: list[dict[str, Any]]) -> dict[int, str]:
    return {s["to"]: f"x{s['per_doubling']}" for s in steps}


def _t(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _found(row: dict[str, Any]) -> str:
    found = ", ".join(f"{rule} {n}" for rule, n in row["findings"].items()) or "none"
    return found + ("" if row["correct"] else " (**not as expected**)")


def _same(side: dict[str, Any]) -> str:
    return f"yes ({side['expected']})" if side["identical"] else "**NO**"
