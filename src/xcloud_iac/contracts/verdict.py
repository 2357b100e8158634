"""Hold planned resources against their contracts: one verdict per resource, used by plan, diff and deploy."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..checks.contracts import Violation
from ..plan.inventory import SECRET, Inventory, Resource
from . import sources
from .mapping import NOT_CLOUD_RESOURCES, TABLE, Prop, Target

AUTONAME_SUFFIX = "-a1b2c3d"
"""What Pulumi's auto-naming appends: a dash and 7 random lowercase hex characters (this is a stand-in)."""


def contract_of(target: Target) -> sources.Contract | None:
    if target.kind == "cfn":
        return sources.cfn_contract(target.ref)
    if target.kind == "botocore":
        service, operation = target.ref.split(":")
        return sources.botocore_contract(service, operation)
    doc, schema, *method = target.ref.split(":")
    return sources.google_contract(doc, schema, method[0] if method else None)


@dataclass
class _Request:
    """The API request a resource's inputs amount to: property -> value, and where each came from."""

    values: dict[str, Any] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)
    """top-level property -> the input it came from."""
    secret: set[str] = field(default_factory=set)
    autonamed: set[str] = field(default_factory=set)

    def put(self, path: str, value: Any, source: str, *, secret: bool = False) -> None:
        head, *rest = path.split(".")
        self.origin.setdefault(head, source)
        if secret:
            self.secret.add(head)
        if not rest:
            self.values[head] = value
            return
        node = self.values.setdefault(head, {})
        for part in rest[:-1]:
            node = node.setdefault(part, {}) if isinstance(node, dict) else {}
        if isinstance(node, dict):
            node[rest[-1]] = value


def _rename(value: Any, fields: dict[str, str]) -> Any:
    if not fields:
        return value
    if isinstance(value, list):
        return [_rename(v, fields) for v in value]
    if isinstance(value, dict):
        return {fields.get(k, k): v for k, v in value.items()}
    return value


def request_of(resource: Resource, target: Target) -> _Request:
    request = _Request()
    for name, value in resource.inputs.items():
        prop = target.inputs.get(name)
        if not isinstance(prop, Prop) or value is None:
            continue
        if prop.convert is not None and value != SECRET:
            value = prop.convert(value)
        request.put(prop.path, _rename(value, prop.fields), name, secret=value == SECRET)
    if target.autoname and "name" not in resource.inputs:
        request.put(target.autoname, resource.name + AUTONAME_SUFFIX, "name")
        request.autonamed.add(target.autoname)
    return request


class Checker:
    """Checks resources of one inventory; `region_of` finds the region a resource is created in."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        by_key = inventory.by_key()
        self.provider_regions = {r.key: r.inputs.get("region") for r in by_key.values()
                                 if r.type.startswith("pulumi:providers:")}

    def region_of(self, resource: Resource, target: Target) -> str | None:
        if target.region_input:
            region = resource.inputs.get(target.region_input)
            if isinstance(region, str):
                return region
        if resource.provider:
            return self.provider_regions.get(resource.provider)
        return None

    def check(self, resource: Resource) -> list[Violation]:
        if resource.read or not resource.custom or resource.type in NOT_CLOUD_RESOURCES:
            return []
        target = TABLE.get(resource.type)
        if target is None:
            return [_violation(resource, "unknown", "", "no contract is mapped for this type (contracts/mapping.py)",
                               "xcloud-iac contract table")]
        contract = contract_of(target)
        if contract is None:
            return [_violation(resource, "unknown", "", f"{target.ref} is not in the installed definitions",
                               target.ref)]
        request = request_of(resource, target)
        out: list[Violation] = []

        def add(kind: str, prop: str, message: str, rule: str) -> None:
            source = request.origin.get(prop.split(".")[0].split("[")[0], "")
            where = prop if source == "" else (source + prop[len(prop.split(".")[0].split("[")[0]):])
            if prop.split(".")[0] in request.autonamed:
                message += f" (Pulumi names it '{resource.name}' plus a dash and 7 random characters)"
                where = "name"
            out.append(_violation(resource, kind, where, message, f"{contract.source} {prop}: {rule}"))

        region = self.region_of(resource, target) if target.kind == "cfn" else None
        if region and sources.cfn_available(target.ref, region) is False:
            add("region", "", f"{target.ref} is not available in {region}", f"not in providers/{region}.json")

        for prop, value in request.values.items():
            if prop in request.secret:
                continue
            schema = contract.property(prop)
            if schema is not None and prop in target.stated:
                schema = {**schema, **{k: v for k, v in target.stated[prop].items() if k != "source"}}
            if schema is None:
                if contract.schema.get("additionalProperties", True) is False:
                    add("unknown", prop, f"{prop} is not a property of {target.ref}", "additionalProperties false")
                continue
            source = f" ({target.stated[prop]['source']})" if prop in target.stated else ""
            for kind, path, message, rule in _validate(contract, schema, value, prop):
                add(kind, path, message, rule + source)

        present = set(request.values) | set(target.provided)
        for prop in sorted(contract.required - present):
            add("required", prop, f"{prop} is required and not set", "required")
        for group in contract.one_of:
            chosen = sorted(group & present)
            if not chosen:
                add("required", min(group), f"one of {', '.join(sorted(group))} is required", "requiredXor")
            elif len(chosen) > 1:
                add("exclusive", chosen[1], f"only one of {', '.join(sorted(group))} may be set, not "
                    f"{' and '.join(chosen)}", "requiredXor")
        for prop, needs in contract.dependent_required:
            if prop in present:
                for need in sorted(needs - present):
                    add("required", need, f"{need} is required when {prop} is set", f"dependentRequired {prop}")
        # an input the table does not map but that names a read-only property (an output fed back as an input)
        for name in resource.inputs:
            prop = name if target.kind != "cfn" else name[:1].upper() + name[1:]
            if name not in target.inputs and prop in contract.read_only:
                request.values.setdefault(prop, resource.inputs[name])
                request.origin.setdefault(prop, name)
        for prop in sorted(set(request.values) & contract.read_only):
            add("read_only", prop, f"{prop} is read-only (computed by the API) and must not be set",
                "readOnlyProperties")
        pairs = [(sorted(a), sorted(b), "stated in the schema's descriptions") for a, b in contract.exclusive]
        for stated in target.rules:
            if stated.kind == "exclusive":
                pairs.append((list(stated.props), list(stated.others), stated.source))
            elif stated.kind == "required" and not any(p in request.values for p in stated.when_absent):
                for prop in stated.props:
                    if prop not in present:
                        when = f" when {' or '.join(stated.when_absent)} is not set" if stated.when_absent else ""
                        add("required", prop, f"{prop} is required{when}", stated.source)
        for one, other, why in pairs:
            set_one = [p for p in one if p in request.values]
            set_other = [p for p in other if p in request.values]
            if set_one and set_other:
                add("exclusive", set_other[0], f"{', '.join(set_one)} and {', '.join(set_other)} are mutually "
                    "exclusive", why)
        return out


def _violation(resource: Resource, kind: str, where: str, message: str, contract: str) -> Violation:
    return Violation(kind, resource.key, resource.type, resource.name, where, message, contract)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value):
        return float(value)
    return None


@cache
def _regex(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern.replace("\\p{L}", "a-zA-Z"))
    except re.error:
        return None


def _validate(contract: sources.Contract, schema: dict[str, Any], value: Any,
              path: str) -> Iterable[tuple[str, str, str, str]]:
    """(kind, property path, message, rule) for each way `value` breaks `schema`."""
    schema = contract.resolve(schema)
    if value is None or value == SECRET:
        return
    if isinstance(value, str):
        if "enum" in schema and value not in schema["enum"]:
            yield "enum", path, f"'{value}' is not one of {', '.join(map(str, schema['enum']))}", "enum"
        if (pattern := schema.get("pattern")) and (regex := _regex(pattern)) and not regex.search(value):
            yield "pattern", path, f"'{value}' does not match {pattern}", f"pattern {pattern}"
        low, high = schema.get("minLength"), schema.get("maxLength")
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            allowed = f"{low if low is not None else 0}..{high if high is not None else 'any'}"
            yield "length", path, f"'{value}' is {len(value)} characters, the API allows {allowed}", f"length {allowed}"
    number = _number(value) if schema.get("type") in ("integer", "number") or "minimum" in schema else None
    if number is not None:
        low, high = schema.get("minimum"), schema.get("maximum")
        if (low is not None and number < low) or (high is not None and number > high):
            shown = int(number) if float(number).is_integer() else number
            yield "range", path, f"{shown} is outside {low}..{high}", f"minimum {low}, maximum {high}"
    if isinstance(value, list):
        low, high = schema.get("minItems"), schema.get("maxItems")
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            yield "length", path, f"{len(value)} items, the API allows {low or 0}..{high or 'any'}", "minItems/maxItems"
        items = schema.get("items")
        if isinstance(items, dict):
            for i, item in enumerate(value):
                yield from _validate(contract, items, item, f"{path}[{i}]")
    elif isinstance(value, dict) and ("properties" in schema):
        props = schema["properties"]
        for key, sub in value.items():
            if key in props:
                yield from _validate(contract, props[key], sub, f"{path}.{key}")
            elif schema.get("additionalProperties", True) is False:
                yield "unknown", f"{path}.{key}", f"{key} is not a property of {path}", "additionalProperties false"
        for key in schema.get("required", []):
            if key not in value:
                yield "required", f"{path}.{key}", f"{path}.{key} is required and not set", "required"
    elif schema.get("type") == "array" and not isinstance(value, list) and isinstance(schema.get("items"), dict):
        # one value where the API takes a list of them (a Terraform flattening of a single nested block)
        yield from _validate(contract, schema["items"], value, path)


def check_inventory(inventory: Inventory) -> list[Violation]:
    """Every contract violation of the planned resources, in inventory order."""
    checker = Checker(inventory)
    return [v for r in inventory.resources for v in checker.check(r)]
