"""Plan time with and without the contract check, in the same run: `python -m benchmarks.contracts`.

For each example stack and each size of synthetic organisation (`xcloud_iac.synth`, seed 0), in this one process:
the plan (`plan_stack`: deploy() under Pulumi mocks, what `xcloud plan` runs in its worker), then the contract
check of its inventory (`contracts.contract_report`) twice - cold, with every schema cache emptied first, so the
files are read again (what one `xcloud plan` pays), and warm. Medians of `--repeats` runs. The table goes to
stdout (markdown) and, with `-o`, the rows to a JSON file. The numbers of docs/performance.md come from it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("dr-pair", "cloud-wan", "alibaba-tencent")


def _median(run, repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def measure(label: str, make_stack, repeats: int) -> dict[str, Any]:
    from xcloud_iac.contracts import contract_report, sources
    from xcloud_iac.plan.inventory import plan_stack

    plan_s, inventory = _median(lambda: plan_stack(make_stack()), repeats)
    stack = make_stack()

    def cold():
        sources.clear()
        return contract_report(stack, inventory)

    cold_s, report = _median(cold, repeats)
    files = sources.loaded()
    warm_s, _ = _median(lambda: contract_report(stack, inventory), repeats)
    return {
        "stack": label, "resources": len(inventory.resources), "plan_s": round(plan_s, 3),
        "contracts_cold_s": round(cold_s, 3), "contracts_warm_s": round(warm_s, 3),
        "plan_with_contracts_s": round(plan_s + cold_s, 3),
        "overhead": round((plan_s + cold_s) / plan_s, 3), "violations": len(report.findings), "files_read": files,
    }


def markdown(rows: list[dict[str, Any]]) -> str:
    header = ("| stack | resources | plan | contract check (cold) | (warm) | plan + contracts | overhead | violations "
              "| files read (CFN schemas / region tables / botocore models / discovery docs) |")
    lines = [header,
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        f = r["files_read"]
        lines.append(
            f"| {r['stack']} | {r['resources']} | {r['plan_s']:.3f} s | {r['contracts_cold_s']:.3f} s | "
            f"{r['contracts_warm_s']:.3f} s | {r['plan_with_contracts_s']:.3f} s | x{r['overhead']:.2f} | "
            f"{r['violations']} | {f['cloudformation_schemas']} / {f['cloudformation_region_tables']} / "
            f"{f['botocore_service_models']} / {f['google_discovery_documents']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.contracts", description=__doc__)
    parser.add_argument("--sizes", default="25,100,400", help="networks of the synthetic organisations")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-examples", action="store_true", help="only the synthetic organisations")
    parser.add_argument("-o", "--output", type=Path, help="write the rows as JSON")
    args = parser.parse_args(argv)

    from xcloud_iac import collector, synth
    from xcloud_iac.plan.inventory import plan_stack
    from xcloud_iac.spec import load

    plan_stack(synth.generate(10, seed=1).stack())  # import the provider SDKs before timing
    rows = []
    with collector.paused():
        if not args.no_examples:
            for name in EXAMPLES:
                rows.append(measure(name, lambda name=name: load(ROOT / "stacks" / f"{name}.yaml"), args.repeats))
        for n in [int(s) for s in args.sizes.split(",") if s]:
            generated = synth.generate(n, seed=0)
            rows.append(measure(f"synthetic {n} networks", generated.stack, args.repeats))
    sys.stdout.write(markdown(rows))
    if args.output:
        args.output.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
