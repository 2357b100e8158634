"""Findings and input errors as text, JSON, SARIF 2.1.0 and GitHub workflow commands."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .._version import __version__
from ..spec.errors import Problem, format_path
from .finding import Finding, Severity
from .registry import rule_classes

INPUT_ERROR_ID = "XC000"  # SARIF/GitHub rule id for unusable input (malformed YAML, wrong types...)

_SARIF_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.note: "note"}


def render_text(findings: Sequence[Finding], problems: Sequence[Problem] = (), waived: Sequence[Finding] = ()) -> str:
    lines: list[str] = [f"{p.location}: error {INPUT_ERROR_ID} {format_path(p.path)}: {p.message}" for p in problems]
    for f in findings:
        where = f"{f.location}: " if f.location else ""
        lines.append(f"{where}{f.severity.value} {f.rule} {f.message} [{f.path}]")
        lines.extend(f"    related: {r.message} at {r.location or r.path}" for r in f.related)
        lines.append(f"    hint: {f.hint}")
    for f in waived:
        where = f"{f.location}: " if f.location else ""
        lines.append(f"{where}waived {f.rule} {f.message} (reason: {f.waived})")
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    summary = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n) or "no findings"
    if problems:
        summary = f"{len(problems)} input error{'s' if len(problems) != 1 else ''}; " + summary
    if waived:
        summary += f" ({len(waived)} waived)"
    lines.append(summary)
    return "\n".join(lines) + "\n"


def render_json(findings: Sequence[Finding], problems: Sequence[Problem] = (), waived: Sequence[Finding] = ()) -> str:
    doc: dict[str, object] = {"findings": [f.to_dict() for f in findings]}
    if waived:
        doc["waived"] = [f.to_dict() for f in waived]
    if problems:
        doc["errors"] = [p.to_dict() for p in problems]
    return json.dumps(doc, indent=2, sort_keys=False) + "\n"


def render_github(findings: Sequence[Finding], problems: Sequence[Problem] = (), waived: Sequence[Finding] = ()) -> str:
    """GitHub Actions workflow commands: each finding annotates its line in the pull request."""

    def command(level: str, title: str, message: str, loc) -> str:
        where = f"file={loc.file},line={loc.line},col={loc.column}," if loc and loc.line else ""
        text = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{level} {where}title={title}::{text}"

    lines = [command("error", INPUT_ERROR_ID, f"{format_path(p.path)}: {p.message}", p.location) for p in problems]
    level = {Severity.error: "error", Severity.warning: "warning", Severity.note: "notice"}
    lines += [
        command(level[f.severity], f"{f.rule} {_title(f.rule)}", f"{f.message}\nHint: {f.hint}", f.location)
        for f in findings
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def render_sarif(findings: Sequence[Finding], problems: Sequence[Problem] = (), waived: Sequence[Finding] = ()) -> str:
    """SARIF 2.1.0 for GitHub code scanning. Waived findings are kept as suppressed results."""
    rules = [
        {
            "id": cls.id,
            "name": cls.__name__,
            "shortDescription": {"text": cls.title},
            "fullDescription": {"text": cls.description() or cls.title},
            "help": {"text": cls.fix_hint},
            "defaultConfiguration": {"level": _SARIF_LEVEL[cls.severity]},
            "properties": {"tags": list(cls.tags)},
        }
        for cls in rule_classes()
    ]
    rules.insert(
        0,
        {
            "id": INPUT_ERROR_ID,
            "name": "InputError",
            "shortDescription": {"text": "Unusable input"},
            "fullDescription": {"text": "The stack file cannot be read or does not match the schema."},
            "help": {"text": "Fix the field at the location given."},
            "defaultConfiguration": {"level": "error"},
        },
    )
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = [
        {
            "ruleId": INPUT_ERROR_ID,
            "ruleIndex": 0,
            "level": "error",
            "message": {"text": f"{format_path(p.path)}: {p.message}"},
            "locations": [_sarif_location(p.location)],
        }
        for p in problems
    ]
    for f in (*findings, *waived):
        result: dict[str, object] = {
            "ruleId": f.rule,
            "ruleIndex": index.get(f.rule, 0),
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f"{f.message}. Hint: {f.hint}"},
            "locations": [_sarif_location(f.location, f.path)],
            "partialFingerprints": {"xcloudFinding/v1": f"{f.rule}:{f.path}:{f.message}"},
        }
        related = [
            {"id": i, **_sarif_location(r.location, r.path), "message": {"text": r.message}}
            for i, r in enumerate(f.related)
        ]
        if related:
            result["relatedLocations"] = related
        if f.waived is not None:
            result["suppressions"] = [{"kind": "inSource", "justification": f.waived}]
        results.append(result)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "xcloud",
                        "informationUri": "https://github.com/xcloud-iac/xcloud-iac",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2) + "\n"


def _sarif_location(loc, path: str | None = None) -> dict[str, object]:
    physical: dict[str, object] = {"artifactLocation": {"uri": loc.file if loc else "<unknown>"}}
    if loc and loc.line:
        physical["region"] = {"startLine": loc.line, "startColumn": max(loc.column, 1)}
    out: dict[str, object] = {"physicalLocation": physical}
    if path:
        out["logicalLocations"] = [{"fullyQualifiedName": path}]
    return out


def _title(rule_id: str) -> str:
    return next((cls.title for cls in rule_classes() if cls.id == rule_id), "")


RENDERERS = {"text": render_text, "json": render_json, "sarif": render_sarif, "github": render_github}
