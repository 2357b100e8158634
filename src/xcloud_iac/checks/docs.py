"""docs/rules.md, generated from the rules' own metadata."""

from __future__ import annotations

from .registry import rule_classes

_AREAS = {"1": "Shape", "2": "Addressing", "3": "Routing", "4": "DNS", "5": "Identity", "6": "Interconnect", "7": "Live state",
          "8": "Provider contracts"}


def render_rules_markdown() -> str:
    lines = [
        "# Rule catalogue",
        "",
        "Generated from the rules' metadata by `xcloud rules --format markdown`; do not edit by hand.",
        "Ids are stable and never reused; severity is an attribute, not part of the id. A finding can be waived",
        "next to the object it is about: `ignore: [{rule: XC502, reason: \"...\"}]` (the reason is required).",
        "",
    ]
    area = None
    for cls in rule_classes():
        if cls.id[2] != area:
            area = cls.id[2]
            lines += [f"## {_AREAS.get(area, area)}", "", "| id | severity | title | what it finds | fix |", "|---|---|---|---|---|"]
        cells = [cls.id, cls.severity.value, cls.title, cls.description(), cls.fix_hint]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(_blank_between_tables(lines)) + "\n"


def _blank_between_tables(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line.startswith("## ") and out and out[-1] != "":
            out.append("")
        out.append(line)
    return out
