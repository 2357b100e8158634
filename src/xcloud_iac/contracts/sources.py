"""The clouds' own API contracts, as installed, loaded lazily and only for the types a plan registers.

- AWS CloudFormation resource schemas shipped by cfn-lint: `cfnlint/data/schemas/providers/<region>.json` maps each
  type name available in the region to a schema file in `cfnlint/data/schemas/resources/`. A region's table is
  read the first time a resource of that region is checked; a schema the first time its type is.
- botocore's service models (`<service>/<version>/service-2.json`), for resources without a CloudFormation type:
  the input shape of the create call, converted to the same JSON-schema form.
- Google's API discovery documents shipped by google-api-python-client
  (`googleapiclient/discovery_cache/documents/<api>.<version>.json`): a schema's fields, with what their
  descriptions state (output only, immutable, required, lengths, patterns, ranges) turned into markers.

Every contract comes out as one `Contract`: JSON-schema-like properties plus the required, read-only and
create-only sets and where it came from. Each loader is cached, so a process reads each file at most once.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Contract:
    source: str
    """Where it comes from, e.g. `AWS::IAM::Role (cfn-lint 1.58.0)`."""
    schema: dict[str, Any]
    """{"properties": {...}, ...}: a JSON schema of the request object; `$ref`s resolved by `resolve`."""
    required: frozenset[str] = frozenset()
    read_only: frozenset[str] = frozenset()
    """Top-level property names the API computes: setting one is refused (or ignored)."""
    create_only: frozenset[str] = frozenset()
    """Top-level property names fixed at creation: changing one replaces the resource."""
    exclusive: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()
    """(one side, other side) pairs the contract states may not be set together."""
    one_of: tuple[frozenset[str], ...] = ()
    """Groups of which exactly one property must be set (cfn-lint's `requiredXor`)."""
    dependent_required: tuple[tuple[str, frozenset[str]], ...] = ()
    """(property, properties it needs): when the first is set, the others must be (`dependentRequired`)."""
    definitions: dict[str, Any] = field(default_factory=dict)

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        """A sub-schema with its `$ref` (CloudFormation `#/definitions/X`, discovery `X`) followed."""
        seen = 0
        while "$ref" in schema and seen < 20:
            ref = schema["$ref"]
            target = self.definitions.get(ref.rsplit("/", 1)[-1], {})
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
            seen += 1
        return schema

    def property(self, name: str) -> dict[str, Any] | None:
        prop = self.schema.get("properties", {}).get(name)
        return None if prop is None else self.resolve(prop)


# ---------------------------------------------------------------- CloudFormation (cfn-lint)

def _package_dir(name: str) -> Path:
    """Where an installed package lives, without importing it (`import cfnlint` alone takes most of a second)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{name} is not installed (a dependency of xcloud-iac)")
    return Path(next(iter(spec.submodule_search_locations)))


_CFN = _package_dir("cfnlint") / "data" / "schemas"


@cache
def cfn_region_types(region: str) -> dict[str, str] | None:
    """type name -> schema file of every CloudFormation type available in `region` (None: unknown region)."""
    path = _CFN / "providers" / f"{region}.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def cfn_available(type_name: str, region: str) -> bool | None:
    """Whether the type exists in the region (None when cfn-lint has no table for the region)."""
    types = cfn_region_types(region)
    return None if types is None else type_name in types


@cache
def cfn_contract(type_name: str) -> Contract | None:
    """The resource schema of a CloudFormation type (from us-east-1's table, or the first region that has it)."""
    schema_file = (cfn_region_types("us-east-1") or {}).get(type_name)
    if schema_file is None:
        for path in sorted((_CFN / "providers").iterdir(), key=lambda p: p.name):
            if path.name.endswith(".json") and (found := cfn_region_types(path.name[:-5]) or {}).get(type_name):
                schema_file = found[type_name]
                break
    if schema_file is None:
        return None
    data = json.loads((_CFN / "resources" / f"{schema_file}.json").read_text(encoding="utf-8"))

    def names(key: str) -> frozenset[str]:
        return frozenset(p.split("/")[2] for p in data.get(key, []) if p.count("/") == 2)

    exclusive = []
    for name, prop in data.get("properties", {}).items():
        # "Mutually exclusive with EnvironmentId." is how these schemas state an exclusion
        for other in re.findall(r"[Mm]utually exclusive with (\w+)", prop.get("description", "")):
            pair = (frozenset({name}), frozenset({other}))
            if (pair[1], pair[0]) not in exclusive:
                exclusive.append(pair)
    # cfn-lint's additions to the published schemas: dependentExcluded, requiredXor, dependentRequired
    for name, others in data.get("dependentExcluded", {}).items():
        for other in others:
            if (frozenset({other}), frozenset({name})) not in exclusive:
                exclusive.append((frozenset({name}), frozenset({other})))
    return Contract(
        source=f"{type_name} (cfn-lint {version('cfn-lint')})",
        schema={"properties": data.get("properties", {}),
                "additionalProperties": data.get("additionalProperties", True)},
        required=frozenset(data.get("required", [])),
        read_only=names("readOnlyProperties"),
        create_only=names("createOnlyProperties"),
        exclusive=tuple(exclusive),
        one_of=(frozenset(data["requiredXor"]),) if data.get("requiredXor") else (),
        dependent_required=tuple((k, frozenset(v)) for k, v in sorted(data.get("dependentRequired", {}).items())),
        definitions=data.get("definitions", {}),
    )


# ---------------------------------------------------------------- botocore service models


@cache
def _botocore_model(service: str) -> dict[str, Any]:
    import botocore.loaders

    return botocore.loaders.create_loader().load_service_model(service, "service-2")


def _shape_schema(shapes: dict[str, Any], name: str, depth: int = 0) -> dict[str, Any]:
    shape = shapes[name]
    kind = shape["type"]
    out: dict[str, Any] = {}
    if shape.get("documentation"):
        out["description"] = re.sub(r"<[^>]+>", "", shape["documentation"])[:300]
    if kind == "structure":
        out["type"] = "object"
        if depth < 6:
            out["properties"] = {k: _shape_schema(shapes, v["shape"], depth + 1) for k, v in shape["members"].items()}
        out["required"] = list(shape.get("required", []))
    elif kind == "list":
        out["type"] = "array"
        out["items"] = _shape_schema(shapes, shape["member"]["shape"], depth + 1) if depth < 6 else {}
        if "min" in shape:
            out["minItems"] = shape["min"]
        if "max" in shape:
            out["maxItems"] = shape["max"]
    elif kind == "map":
        out["type"] = "object"
    elif kind == "string":
        out["type"] = "string"
        if "pattern" in shape:
            out["pattern"] = shape["pattern"]
        if "min" in shape:
            out["minLength"] = shape["min"]
        if "max" in shape:
            out["maxLength"] = shape["max"]
        if "enum" in shape:
            out["enum"] = list(shape["enum"])
    elif kind in ("integer", "long", "float", "double"):
        out["type"] = "integer" if kind in ("integer", "long") else "number"
        if "min" in shape:
            out["minimum"] = shape["min"]
        if "max" in shape:
            out["maximum"] = shape["max"]
    else:
        out["type"] = kind
    return out


@cache
def botocore_contract(service: str, operation: str) -> Contract:
    """The request shape of `operation` in botocore's model of `service`."""
    from importlib.metadata import version as dist_version

    model = _botocore_model(service)
    op = model["operations"][operation]
    schema = _shape_schema(model["shapes"], op["input"]["shape"])
    return Contract(
        source=f"{service}:{operation} request (botocore {dist_version('botocore')})",
        schema=schema, required=frozenset(schema.get("required", [])),
    )


# ---------------------------------------------------------------- Google discovery documents

_DISCOVERY = _package_dir("googleapiclient") / "discovery_cache" / "documents"


@cache
def _discovery(doc: str) -> dict[str, Any]:
    return json.loads((_DISCOVERY / f"{doc}.json").read_text(encoding="utf-8"))


_OUTPUT_ONLY = re.compile(r"^\s*(\[Output Only\]|Output only)|\(output only\)|Output only\.\s*$", re.IGNORECASE)
_IMMUTABLE = re.compile(r"\bImmutable\b")
_REQUIRED = re.compile(r"^\s*Required\.")
_LENGTH = re.compile(r"(?:must be|should be|be) (\d+)-(\d+) characters")
_AT_MOST = re.compile(r"(?:[Cc]annot exceed|at most) (\d+) characters")
_REGEX = re.compile(r"regular\s+expression\s+`([^`]+)`")
_MIN_MAX = re.compile(r"minimum value for this field is (\d+) and the maximum value is (\d+)")
_CHARACTERS = re.compile(r"may contain the characters (\[[^\]]+\])")
_FORMATS = {"int32": (-(2**31), 2**31 - 1), "uint32": (0, 2**32 - 1)}


def stated(description: str) -> dict[str, Any]:
    """The constraints a discovery document's field description states, as JSON-schema keywords (plus
    `readOnly`, `immutable` and `required` markers)."""
    out: dict[str, Any] = {}
    if _OUTPUT_ONLY.search(description):
        out["readOnly"] = True
    if _IMMUTABLE.search(description):
        out["immutable"] = True
    if _REQUIRED.search(description):
        out["required"] = True
    if m := _LENGTH.search(description):
        out["minLength"], out["maxLength"] = int(m[1]), int(m[2])
    elif m := _AT_MOST.search(description):
        out["maxLength"] = int(m[1])
    if m := _REGEX.search(" ".join(description.split())):
        out["pattern"] = f"^{m[1]}$"
    if m := _MIN_MAX.search(" ".join(description.split())):
        out["minimum"], out["maximum"] = int(m[1]), int(m[2])
    if "pattern" not in out and (m := _CHARACTERS.search(description)):
        out["pattern"] = f"^{m[1]}+$"
    return out


def _google_field(prop: dict[str, Any]) -> dict[str, Any]:
    out = dict(prop)
    if prop.get("format") in _FORMATS:  # the range of the wire format, unless the description narrows it
        out["minimum"], out["maximum"] = _FORMATS[prop["format"]]
    out.update(stated(prop.get("description", "")))
    if "items" in out:
        out["items"] = _google_field(out["items"])
    return out


@cache
def google_contract(doc: str, schema: str, create_method: str | None = None) -> Contract:
    """Schema `schema` of the discovery document `doc` (e.g. `networkconnectivity.v1`, `Transport`). With
    `create_method` (a dotted path of resources ending in the method, e.g.
    `projects.locations.workloadIdentityPools.create`), the method's query parameters (resource ids chosen by the
    caller) are properties too."""
    data = _discovery(doc)
    # only the schema and those it refers to (compute.v1 has hundreds; reading every description costs a second)
    definitions: dict[str, Any] = {}
    todo = [schema]
    while todo:
        name = todo.pop()
        if name in definitions or name not in data["schemas"]:
            continue
        raw = data["schemas"][name]
        definitions[name] = {**raw, "properties": {k: _google_field(v) for k, v in raw.get("properties", {}).items()}}
        todo += re.findall(r'"\$ref": "(\w+)"', json.dumps(raw))
    properties = dict(definitions[schema]["properties"])
    if create_method:
        node: dict[str, Any] = data
        *path, method = create_method.split(".")
        for part in path:
            node = node["resources"][part]
        for name, param in node["methods"][method].get("parameters", {}).items():
            if param.get("location") == "query":
                properties[name] = _google_field(param)
    return Contract(
        source=f"{doc} {schema} ({data.get('revision', '?')}, google-api-python-client "
               f"{version('google-api-python-client')})",
        schema={"properties": properties},
        required=frozenset(k for k, v in properties.items() if v.get("required") is True),
        read_only=frozenset(k for k, v in properties.items() if v.get("readOnly")),
        create_only=frozenset(k for k, v in properties.items() if v.get("immutable")),
        definitions=definitions,
    )


_CACHES = (cfn_region_types, cfn_contract, _botocore_model, botocore_contract, _discovery, google_contract)


def loaded() -> dict[str, int]:
    """How many files of each kind this process has read (the lazy loading at work)."""
    return {
        "cloudformation_region_tables": cfn_region_types.cache_info().currsize,
        "cloudformation_schemas": cfn_contract.cache_info().currsize,
        "botocore_service_models": _botocore_model.cache_info().currsize,
        "google_discovery_documents": _discovery.cache_info().currsize,
    }


def clear() -> None:
    """Forget every loaded file (a benchmark's cold run)."""
    for cached in _CACHES:
        cached.cache_clear()
