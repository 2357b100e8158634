"""Offline planning, pull-request diffs and pictures of a stack.

- inventory.py  every resource deploy() would register, found under Pulumi mocks (mocks.py): `plan_stack`
- runner.py     plans in worker processes, so Pulumi's global state never touches the caller: `run_plans`
- immutable.py  which input changes replace a resource, with where each entry comes from
- diff.py       topology, resource, finding and risk diff of two versions of specs: `compare`
- sources.py    where the two versions come from (files, `git show REF:path`)
- render.py     plan table/JSON; diff markdown (+ Mermaid), JSON, SARIF
- graph.py      the topology as Mermaid, DOT, PNG/SVG

Importing this package does not import the Pulumi SDK; only a plan does (in its worker).
"""

from .diff import DiffReport, Risk, StackDiff, compare
from .inventory import Inventory, PlanRefused, Resource, plan_stack
from .runner import PlanResult, plan_source, run_plans
from .sources import SpecSource

__all__ = [
    "DiffReport", "Inventory", "PlanRefused", "PlanResult", "Resource", "Risk", "SpecSource", "StackDiff", "compare",
    "plan_source", "plan_stack", "run_plans",
]
