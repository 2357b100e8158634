"""The pipeline's floors: no module imports upward, and no modules import each other in a circle.

Imports are read from the source (module level and inside functions; `if TYPE_CHECKING:` blocks are annotations
only and are left out), so a lazy import that closes a circle counts as much as a top-level one.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx

SRC = Path(__file__).parents[1] / "src"
PACKAGE = SRC / "xcloud_iac"


def _name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in
                   ast.unparse(node.test) for n in ast.walk(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
            target = ".".join([*base, node.module] if node.module else base) if node.level else node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name in MODULES and name != module}


GRAPH = nx.DiGraph([(m, t) for m, p in MODULES.items() for t in _imports(p)])


# deploy()'s contract gate plans the very stack it is deploying in a worker process (program -> plan.runner), and
# the plan runs deploy() (plan.inventory -> program): the one circle, both edges lazy imports. Moving the gate into
# an entry point above both stages would remove it.
KNOWN_CIRCLE = {"xcloud_iac.plan.runner", "xcloud_iac.plan.inventory", "xcloud_iac.program"}


def test_no_modules_import_each_other_in_a_circle() -> None:
    # importing a package runs its __init__, which imports its modules: those edges are not circles of their own
    circles = [c for c in nx.simple_cycles(GRAPH) if len(c) > 1 and not any(MODULES[m].name == "__init__.py" for m in c)]
    assert [c for c in circles if set(c) != KNOWN_CIRCLE] == []


def test_the_topology_is_built_before_it_is_routed() -> None:
    assert "xcloud_iac.topology.build" not in nx.descendants(GRAPH, "xcloud_iac.topology.routing")
    assert "xcloud_iac.topology.build" not in nx.descendants(GRAPH, "xcloud_iac.topology.dns")


def test_the_finding_type_is_on_the_ground_floor() -> None:
    """audit/ (a front end over IAM documents) and checks/render use the finding type and the version without
    reaching into the checks or back up to the package root."""
    for module in [m for m in MODULES if m.startswith("xcloud_iac.audit")] + ["xcloud_iac.checks.render"]:
        imported = set(GRAPH.successors(module)) if module in GRAPH else set()
        assert "xcloud_iac" not in imported, module
        if module.startswith("xcloud_iac.audit"):
            assert not {m for m in imported if m.startswith("xcloud_iac.checks")}, module
    assert set(GRAPH.successors("xcloud_iac.finding")) <= {"xcloud_iac.spec.errors"}


# What `xcloud --version`, `--help` and `validate` may not import: the provider SDKs, the cloud clients, and what only
# a drawn graph, live reads or planning need (issue 15: start-up time, benchmarks/cli_startup.py).
HEAVY = ("pulumi", "pulumi_aws", "pulumi_aws_native", "pulumi_gcp", "boto3", "botocore", "googleapiclient",
         "google.auth", "cfnlint", "networkx", "rich")


def _imported_by(code: str) -> list[str]:
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=SRC.parent)
    modules = json.loads(out.stdout.strip().splitlines()[-1])
    return sorted({m for m in modules for heavy in HEAVY if m == heavy or m.startswith(heavy + ".")})


def _cli(*argv: str) -> str:
    return ("import sys\nfrom xcloud_iac.cli import main\n"
            f"sys.argv = ['xcloud', *{list(argv)!r}]\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code in (0, None), exc.code\n")


def test_importing_the_cli_imports_no_part_of_the_pipeline() -> None:
    code = "import xcloud_iac.cli\nimport sys\nassert 'xcloud_iac.spec' not in sys.modules, 'the spec models'\n"
    assert _imported_by(code) == []


def test_version_and_validate_import_no_sdk_nor_cloud_client() -> None:
    assert _imported_by(_cli("--version")) == []
    for stack in sorted((SRC.parent / "stacks").glob("*.yaml")):
        assert _imported_by(_cli("validate", str(stack))) == [], stack.name


def test_validate_does_not_import_the_live_rules() -> None:
    code = _cli("validate", "stacks/dr-pair.yaml") + (
        "assert not [m for m in sys.modules if m.startswith('xcloud_iac.checks.live')]\n")
    assert _imported_by(code) == []
