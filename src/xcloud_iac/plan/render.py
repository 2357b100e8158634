"""Plans and diffs for people and machines.

- plan: a rich table per component (key inputs shown, other inputs named), a summary by component and the findings;
  or JSON (sorted, stable).
- diff: markdown for a pull-request comment (risk labels first, then per stack a Mermaid picture and one table per
  section), JSON, or SARIF of the findings the change introduces (checks/render.py's SARIF).

Every renderer returns text; the markdown starts with MARKER, a hidden line that lets CI find and update its one
comment on the pull request.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import Any

from ..checks import Finding
from ..checks.render import render_sarif, render_text
from ..spec import format_path
from .diff import ACTIONS, RISKS, SECTIONS, Change, DiffReport, ResourceChange, StackDiff
from .graph import to_mermaid
from .inventory import Inventory, Resource
from .runner import PlanResult

MARKER = "<!-- xcloud-diff -->"
MAX_ROWS = 60  # rows per markdown table: a pull-request comment holds 65536 characters
TABLE_WIDTH = 120  # columns of the plan table when the output is not a terminal
VALUE_WIDTH = 72


# ---------------------------------------------------------------- plan


def render_plan_json(result: PlanResult) -> str:
    checked, inventory = result.checked, result.inventory
    doc: dict[str, Any] = {
        "spec": checked.source.label,
        "stack": checked.stack.name if checked.stack else None,
        "status": result.status,
        "summary": _plan_summary(inventory) if inventory else None,
        "resources": [r.to_dict() for r in inventory.resources] if inventory else [],
        "findings": [f.to_dict() for f in result.findings],
        "refused": result.refused,
        "errors": [p.to_dict() for p in checked.problems] + ([{"message": result.error}] if result.error else []),
    }
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def _plan_summary(inventory: Inventory) -> dict[str, Any]:
    return {
        "resources": len(inventory.resources),
        "protected": sum(r.protect for r in inventory.resources),
        "read": sum(r.read for r in inventory.resources),
        "components": [{"name": name, "type": token, "resources": len(rs)}
                       for name, token, rs in inventory.components()],
        "types": dict(sorted(inventory.counts().items())),
    }


def render_plan_table(result: PlanResult, *, width: int = TABLE_WIDTH, color: bool = False) -> str:
    """The plan as rich tables, one per component, then a summary by component, then the findings."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    out = io.StringIO()
    # markup=False: every cell is user text (names, conditions, `[secret]`, lists) and is printed as written; styles
    # come only from Text objects built here
    console = Console(file=out, width=width, color_system="standard" if color else None, force_terminal=color,
                      highlight=False, emoji=False, legacy_windows=False, markup=False)
    checked, inventory = result.checked, result.inventory
    label = checked.source.label
    if inventory is None:
        reason = "it cannot be loaded" if checked.problems else "error findings" if checked.report and \
            checked.report.errors else "a component rejects its arguments" if result.refused else "the plan failed"
        console.print(Text(f"Plan of {label} refused ({reason}): deploy() would register nothing.", style="bold red"),
                      soft_wrap=True)
    else:
        protected = sum(r.protect for r in inventory.resources)
        console.print(Text.assemble(
            (f"Plan of stack '{inventory.stack}' ({label}): ", "bold"),
            f"{len(inventory.resources)} resources in {len(inventory.components())} components, {protected} protected",
        ), soft_wrap=True)
        console.print(Text("Run offline under Pulumi mocks: ids have the clouds' shapes, derived from the logical names.",
                           style="dim"))
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
        table.add_column("Type", no_wrap=True, max_width=40, overflow="ellipsis")
        table.add_column("Name", max_width=40, overflow="fold")
        table.add_column("Key inputs (+ other inputs set)", min_width=44, ratio=1, overflow="fold")
        for name, token, resources in inventory.components():
            # one section per component: the component's row, then its resources (a provider is its own row)
            if not resources[0].custom:
                table.add_row(Text(token, style="bold"), Text(name, style="bold"),
                              Text(f"component and {len(resources) - 1} resource(s)", style="dim"))
            for r in resources:
                if r.custom:
                    table.add_row(_short_type(r.type), r.name + _flags(r), _key_inputs_cell(r))
            table.add_section()
        console.print(table)
        console.print()
        summary = Table(title="Summary by component", title_justify="left", box=box.SIMPLE_HEAD)
        for column in ("Component", "Type", "Resources", "Protected"):
            summary.add_column(column, justify="right" if column in ("Resources", "Protected") else "left")
        for name, token, resources in inventory.components():
            summary.add_row(name, token, str(len(resources)), str(sum(r.protect for r in resources)))
        summary.add_row("total", "", str(len(inventory.resources)), str(protected), style="bold")
        console.print(summary)
    for reason in result.refused:
        console.print(Text(f"refused: {reason}", style="red"), soft_wrap=True)
    if result.error:
        console.print(Text(f"error: {result.error}", style="red"), soft_wrap=True)
    console.print(Text("Findings", style="bold"))
    if inventory is not None and result.status == "refused":
        console.print(Text("deploy() would register nothing: the planned resources break the clouds' API contracts "
                           "(XC8xx below).", style="bold red"), soft_wrap=True)
    console.print(render_text(result.findings, checked.problems).rstrip("\n"), markup=False, soft_wrap=True)
    return "".join(line.rstrip() + "\n" for line in out.getvalue().splitlines())  # rich pads lines to the width


def _short_type(token: str) -> str:
    """`aws:ec2/vpc:Vpc` -> `aws:ec2:Vpc`, as `pulumi preview` shows types."""
    package, module, name = (token.split(":") + ["", ""])[:3]
    return f"{package}:{module.split('/')[0]}:{name}" if name else token


def _flags(r: Resource) -> str:
    return (" (protected)" if r.protect else "") + (" (read)" if r.read else "")


def _key_inputs_cell(r: Resource) -> str:
    lines = [f"{k}: {_brief(v)}" for k, v in r.key_inputs().items()]
    others = r.other_inputs()
    if others:
        lines.append(f"+ {', '.join(others)}")
    return "\n".join(lines)


def _brief(value: Any, width: int = VALUE_WIDTH) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {_brief(v, width)}" for k, v in value.items()) + "}"
    elif isinstance(value, list):
        text = "[" + ", ".join(_brief(v, width) for v in value) + "]"
    else:
        text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------- diff: markdown


def render_diff_markdown(report: DiffReport) -> str:
    lines = [MARKER, "## xcloud diff", ""]
    lines.append(_diff_summary(report))
    lines.append("")
    risks = report.risks
    if risks:
        lines += ["| Risk | What |", "|---|---|"]
        lines += [f"| :warning: **{r.title}** | {'<br>'.join(_cell(d) for d in r.details)} |" for r in risks]
    else:
        lines.append("No risk labels: " + "; ".join(f"no {t[0].lower()}{t[1:]}" for t in RISKS.values()) + ".")
    lines.append("")
    for stack in report.stacks:
        if stack.changed:
            lines += _stack_markdown(stack)
    unchanged = [f"`{s.spec}`" for s in report.stacks if not s.changed]
    if unchanged:
        lines.append(f"Unchanged: {', '.join(unchanged)}.")
    return "\n".join(lines).rstrip("\n") + "\n"


def _diff_summary(report: DiffReport) -> str:
    counts: Counter[str] = Counter()
    for s in report.stacks:
        counts.update(s.counts())
    changed = sum(1 for s in report.stacks if s.changed)
    introduced = report.introduced
    errors = sum(1 for f in introduced if f.severity.value == "error")
    resolved = sum(len(s.resolved) for s in report.stacks)
    resources = ", ".join(f"**{counts[a]} to {a}**" if a in ("replace", "delete") and counts[a] else
                          f"{counts[a]} to {a}" for a in ACTIONS)
    return (f"Base `{report.base}`: {changed} of {len(report.stacks)} stack(s) changed · resources: {resources} · "
            f"findings: {len(introduced)} introduced ({errors} error{'s' if errors != 1 else ''}), {resolved} resolved")


def _stack_markdown(stack: StackDiff) -> list[str]:
    side = "new spec" if stack.base is None else "deleted spec" if stack.head is None else f"base `{stack.base}`"
    lines = [f"### `{stack.spec}` ({side})", ""]
    lines += [f"> {_cell(note)}" for note in stack.notes]
    if stack.notes:
        lines.append("")
    if stack.problems:
        lines += ["**Unusable input**", ""]
        lines += [f"- `{p.location}` {_cell(format_path(p.path))}: {_cell(p.message)}" for p in stack.problems]
        return [*lines, ""]
    if stack.highlight or stack.edge_highlight:
        lines += ["<details open><summary>Topology (green: added, red: removed, amber: changed)</summary>", "",
                  "```mermaid", to_mermaid(stack.picture, stack.highlight, stack.edge_highlight).rstrip("\n"), "```",
                  "", "</details>", ""]
    for section, title in SECTIONS.items():
        rows = [c for c in stack.changes if c.section == section]
        if rows:
            lines += [f"#### {title}", "", "| Change | Where | What | Before | After |", "|---|---|---|---|---|"]
            lines += _capped([_change_row(c) for c in rows])
            lines.append("")
    lines += _resources_markdown(stack)
    lines += _findings_markdown(stack)
    return lines


def _change_row(c: Change) -> str:
    return (f"| {c.change} | {_cell(c.subject)} | {_cell(c.item)} | {_code(c.before)} | {_code(c.after)} |")


def _resources_markdown(stack: StackDiff) -> list[str]:
    if stack.resources is None:
        return []
    counts = stack.counts()
    lines = ["#### Resources", "",
             ", ".join(f"{counts[a]} to {a}" for a in ACTIONS) + f", {stack.unchanged} unchanged "
             "(planned offline under Pulumi mocks; `pulumi preview --diff` has the provider's word)", ""]
    if stack.resources:
        lines += ["| Action | Type | Name | Inputs | Notes |", "|---|---|---|---|---|"]
        lines += _capped([_resource_row(r) for r in stack.resources])
        lines.append("")
    return lines


def _resource_row(r: ResourceChange) -> str:
    action = f"**{r.action}**" if r.action in ("replace", "delete") else r.action
    inputs = []
    for i in r.inputs:
        name = f"`{i.name}`" + (" (forces replacement)" if i.replaces else "")
        if i.key:
            before, after = _where_they_differ(_brief(i.before, 10**6), _brief(i.after, 10**6))
            inputs.append(f"{name}: {_code(before)} → {_code(after)}")
        else:
            inputs.append(name)
    return (f"| {action} | `{_short_type(r.type)}` | `{r.name}` | {'<br>'.join(inputs)} | "
            f"{'<br>'.join(_cell(n) for n in r.notes)} |")


def _where_they_differ(before: str, after: str, width: int = VALUE_WIDTH) -> tuple[str, str]:
    """Two long values cut to the part where they start to differ (a policy document changes in the middle)."""
    if len(before) <= width and len(after) <= width:
        return before, after
    common = next((i for i, (a, b) in enumerate(zip(before, after)) if a != b), min(len(before), len(after)))
    start = max(0, common - 16)

    def cut(text: str) -> str:
        part = text[start:start + width]
        return ("…" if start else "") + part + ("…" if start + width < len(text) else "")

    return cut(before), cut(after)


def _findings_markdown(stack: StackDiff) -> list[str]:
    lines = []
    for title, findings in (("Findings introduced", stack.introduced), ("Findings resolved", stack.resolved)):
        if findings:
            lines += [f"#### {title}", ""]
            lines += _capped([_finding_line(f) for f in findings], bullet=True)
            lines.append("")
    return lines


def _finding_line(f: Finding) -> str:
    where = f" at `{f.location}`" if f.location else ""
    return f"- **{f.severity.value}** {f.rule} {_cell(f.message)}{where}<br>hint: {_cell(f.hint)}"


def _capped(rows: list[str], *, bullet: bool = False) -> list[str]:
    if len(rows) <= MAX_ROWS:
        return rows
    more = f"… and {len(rows) - MAX_ROWS} more: see `xcloud diff --format json`"
    return [*rows[:MAX_ROWS], f"- {more}" if bullet else f"| {more} | | | | |"]


def _cell(text: str | None) -> str:
    """Text safe inside a markdown table cell (and not taken for HTML)."""
    if text is None:
        return ""
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")


def _code(text: str | None) -> str:
    return f"`{_cell(text).replace('`', '')}`" if text else ""


# ---------------------------------------------------------------- diff: JSON and SARIF


def render_diff_json(report: DiffReport) -> str:
    doc = {
        "base": report.base,
        "risks": [r.to_dict() for r in report.risks],
        "stacks": [_stack_json(s) for s in report.stacks],
    }
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def _stack_json(stack: StackDiff) -> dict[str, Any]:
    return {
        "spec": stack.spec, "base": stack.base, "head": stack.head,
        "notes": stack.notes, "errors": [p.to_dict() for p in stack.problems],
        "changes": [c.to_dict() for c in stack.changes],
        "highlight": dict(sorted(stack.highlight.items())),
        "resources": None if stack.resources is None else {
            "counts": stack.counts(), "unchanged": stack.unchanged,
            "changes": [r.to_dict() for r in stack.resources],
        },
        "findings": {"introduced": [f.to_dict() for f in stack.introduced],
                     "resolved": [f.to_dict() for f in stack.resolved]},
        "risks": [r.to_dict() for r in stack.risks],
    }


def render_diff_sarif(report: DiffReport) -> str:
    """The findings the change introduces (and why a head is unusable), as SARIF 2.1.0 for code scanning."""
    return render_sarif(report.introduced, [p for s in report.stacks for p in s.problems])


DIFF_RENDERERS = {"markdown": render_diff_markdown, "json": render_diff_json, "sarif": render_diff_sarif}
