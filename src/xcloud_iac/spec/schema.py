"""JSON Schema of a stack file, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from enum import EnumMeta
from typing import Any

from pydantic import BaseModel

from . import models as models_module
from .models import Stack

SCHEMA_ID = "https://xcloud-iac.dev/schema/stack-v1.json"


def stack_json_schema() -> dict[str, Any]:
    schema = Stack.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "xcloud-iac stack",
    }


# ---------------------------------------------------------------- spec sections as TypedDicts

# Section types are named <Model>Spec: the package's types and components share one namespace in the SDKs
# (a CloudWanCore type beside the CloudWanCore component would not compile in every language).
SECTION_SUFFIX = "Spec"
_SIMPLE = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def sections_source(models: Sequence[type[BaseModel]]) -> str:
    """Python source of TypedDicts mirroring `models` and every object inside them, field for field, with their
    descriptions as docstrings: what the component provider takes as spec sections (Pulumi infers a package schema
    from TypedDict annotations and reads docstrings from source, so the types are written out, not built at run
    time). Values keep the spellings the stack file uses; the models validate them."""
    defs: dict[str, dict[str, Any]] = {}
    roots = []
    for model in models:
        schema = model.model_json_schema(mode="validation", ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
        roots.append(model.__name__)
    reachable = _reachable(roots, defs)
    # the models' own enums (Cloud, StackType) are used as they are: the provider maps their values to members
    enums = sorted(n for n in reachable if "enum" in defs[n] and isinstance(getattr(models_module, n, None), EnumMeta))
    objects = [name for name in reachable if name not in enums]
    body: list[str] = []
    for name in objects:
        body += ["", "", f"class {name}{SECTION_SUFFIX}(TypedDict):"]
        doc = defs[name].get("description") or getattr(getattr(models_module, name, None), "__doc__", None)
        if doc:
            body += [f"    {_docstring(doc)}", ""]
        required = set(defs[name].get("required", []))
        for field_name, prop in defs[name]["properties"].items():
            annotation, note = _annotation(prop)
            if field_name not in required:
                annotation = f"NotRequired[{annotation}]"
            body.append(f"    {field_name}: {annotation}")
            description = " ".join(filter(None, [prop.get("description"), note]))
            if description:
                body.append(f"    {_docstring(description)}")
    uses_any = any(re.match(r"    \w+: .*\bAny\b", line) for line in body)
    header = [
        '"""The spec sections the component provider takes, as TypedDicts. Generated from the models by',
        "`xcloud_iac.spec.schema.sections_source`; do not edit (tests/test_component_provider.py regenerates it",
        'with XCLOUD_UPDATE_GOLDEN=1)."""',
        "",
        f"from typing import {'Any, ' if uses_any else ''}NotRequired, TypedDict",
        "",
        *([f"from .models import {', '.join(enums)}", ""] if enums else []),
        "__all__ = [" + ", ".join(f'"{name}"' for name in sorted([*(o + SECTION_SUFFIX for o in objects), *enums])) + "]",
    ]
    return "\n".join(header + body) + "\n"


def _reachable(roots: list[str], defs: dict[str, dict[str, Any]]) -> list[str]:
    """Definition names reachable from `roots`, each once, every one after those it refers to (a TypedDict's
    annotations are evaluated when its class statement runs)."""
    ordered: list[str] = []

    def visit(name: str) -> None:
        if name in ordered:
            return
        ordered.append(name)  # placed now so a cycle ends here; moved after its references below
        text = json.dumps(defs[name].get("properties", {}))
        for ref in re.findall(r'"#/\$defs/([A-Za-z0-9_]+)"', text):
            visit(ref)
        ordered.remove(name)
        ordered.append(name)

    for root in roots:
        visit(root)
    return ordered


def _annotation(prop: dict[str, Any]) -> tuple[str, str | None]:
    """The Python annotation of one JSON Schema property, and a note for its description (allowed values)."""
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return (name if isinstance(getattr(models_module, name, None), EnumMeta) else name + SECTION_SUFFIX), None
    if "anyOf" in prop:
        options = [p for p in prop["anyOf"] if p.get("type") != "null"]
        if len(options) == 1:
            return _annotation(options[0])
        return "Any", None
    if "enum" in prop or "const" in prop:
        values = prop.get("enum") or [prop["const"]]
        return _SIMPLE.get(prop.get("type", "string"), "str"), "One of: " + ", ".join(str(v) for v in values) + "."
    kind = prop.get("type")
    if kind == "array":
        item, note = _annotation(prop.get("items", {}))
        return f"list[{item}]", note
    if kind == "object":
        value = prop.get("additionalProperties")
        if isinstance(value, dict) and value:
            inner, note = _annotation(value)
            return f"dict[str, {inner}]", note
        return "dict[str, Any]", None
    return _SIMPLE.get(kind or "", "Any"), None


def _docstring(text: str) -> str:
    return '"""' + " ".join(text.split()).replace("\\", "\\\\").replace('"""', '\\"\\"\\"') + '"""'
