"""Benchmarks of validation and planning at organisation scale (issue 5).

    python -m benchmarks            # the full run, about 9 minutes on 2 cores
    python -m benchmarks --quick    # a smoke test, under a minute
    python -m benchmarks --help     # sizes, repeats, output files, plot

Every measurement runs on a synthetic organisation from `xcloud_iac.synth` (seeded, clean by construction, with
planted conflicts where a baseline needs findings to compare), in a fresh process (worker.py), and reports the
median time and the peak memory:

- checks alone: `xcloud_iac.checks.check(stack)` on an in-memory stack;
- load + validate: the YAML files (one per cell) through the loader, checked as one plan (`check_many`);
- naive baselines, in the same run: XC201 by comparing every pair of ranges, XC401 by following every forwarding
  chain from every network (baselines.py) - as ratios to the library, and the findings must be identical;
- planning: `xcloud_iac.plan.plan_stack` (deploy() under Pulumi mocks, what `xcloud plan` runs), against two
  floors (floors.py): the same resources registered by the provider SDKs alone, with the same graph - which must
  register exactly what the plan registers - and the same number registered flat; the longest dependency chain;
  and `xcloud plan` end to end;
- growth: the time factor per doubling of size.

The tables go to stdout (markdown), the results to a JSON file; report.py says which targets are met.
"""
