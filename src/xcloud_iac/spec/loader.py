"""Load stack YAML into `Stack`, remembering where every field came from.

PyYAML composes the node tree (with marks); we build plain Python from it ourselves so that every mapping key and
value gets a position, duplicate keys are refused, and alias expansion is bounded. Pydantic then validates, and each
of its errors is mapped back to file:line:column with the field path and what was expected.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .. import collector
from .errors import Location, Problem, SpecError, format_path
from .files import read_input
from .models import Stack

# Bounds for alias expansion and nesting. A "billion laughs" document reuses a few anchored nodes through aliases
# until the expansion is huge; a large legitimate stack (tens of thousands of networks) is big because it is long.
# So what is bounded is the number of nodes built *by following aliases* (each alias re-builds its anchored node
# and everything under it), not the size of the document: MAX_ALIAS_NODES across the whole document. Mapping keys
# must be scalars, so no alias can expand inside a key. Documented in docs/spec-limits.md.
MAX_ALIAS_NODES = 100_000
MAX_DEPTH = 64

PathT = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)

# libyaml's composer gives the same nodes and marks several times faster; PyYAML's pure-Python one is the fallback.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class SourceMap:
    """Positions of the values (and of mapping keys) of one YAML document, by spec path."""

    file: str
    values: dict[PathT, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathT, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: PathT, *, key: bool = False) -> Location:
        """The position of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            pos = (self.keys.get(path) if key else None) or self.values.get(path)
            if pos is not None or not path:
                line, col = pos or (1, 1)
                return Location(self.file, line, col)
            path = path[:-1]
            key = False


class _Builder:
    def __init__(self, source: SourceMap, loader: Any) -> None:
        self.source = source
        self.loader = loader
        self.seen: set[int] = set()  # ids of the nodes built once: meeting one again is following an alias
        self.expanding = 0  # > 0 while building under an alias
        self.expanded = 0  # nodes built under aliases so far
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: PathT, depth: int = 0) -> Any:
        alias = id(node) in self.seen
        self.seen.add(id(node))
        if alias or self.expanding:
            self.expanded += 1
            if self.expanded > MAX_ALIAS_NODES:
                raise _TooLarge(f"alias expansion exceeds {MAX_ALIAS_NODES} nodes (a YAML alias bomb?); "
                                "write the values out, or anchor less", node)
        if alias:
            self.expanding += 1
            try:
                return self._build(node, path, depth)
            finally:
                self.expanding -= 1
        return self._build(node, path, depth)

    def _build(self, node: yaml.Node, path: PathT, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _TooLarge(f"document nests deeper than {MAX_DEPTH} levels", node)
        self.source.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: PathT, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for src in sources:
                    value = self.build(src, path, depth + 1)
                    if isinstance(value, dict):
                        merged.update({k: v for k, v in value.items() if k not in merged})
                continue
            key_pos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                # a list or mapping as a key is never a spec field, and building it could expand an alias bomb
                kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
                self.problems.append(Problem(Location(self.source.file, *key_pos), path,
                                             f"a mapping key must be a plain name; got {kind}"))
                continue
            key = self.loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            key_path = (*path, key)
            if key in result:
                first = self.source.keys[key_path]
                self.problems.append(
                    Problem(
                        Location(self.source.file, *key_pos),
                        key_path,
                        f"duplicate key '{key}' (first at line {first[0]}); each key may appear once",
                    )
                )
                continue
            self.source.keys[key_path] = key_pos
            result[key] = self.build(value_node, key_path, depth + 1)
        for k, v in merged.items():
            result.setdefault(k, v)
        return result


class _TooLarge(Exception):
    def __init__(self, message: str, node: yaml.Node) -> None:
        super().__init__(message)
        self.node = node


def parse_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Plain Python data and its source map, or SpecError for malformed YAML."""
    source = SourceMap(file)
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, found before parsing starts
        line, col = _line_col(text, exc.position)
        raise SpecError([Problem(Location(file, line, col), (), f"malformed YAML: {exc.reason} (#x{exc.character:04x})")]) from None
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise SpecError([Problem(Location(file, 1, 1), (), f"document nests deeper than {MAX_DEPTH} levels")]) from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = exc.problem or str(exc)
            context = f" ({exc.context})" if exc.context else ""
            raise SpecError([Problem(Location(file, line, col), (), f"malformed YAML: {problem}{context}")]) from None
        except yaml.YAMLError as exc:
            line, col = _line_col(text, getattr(exc, "position", 0))
            raise SpecError([Problem(Location(file, line, col), (), f"malformed YAML: {exc}")]) from None
        if node is None:
            raise SpecError([Problem(Location(file, 1, 1), (), "empty document; expected a stack mapping")])
        builder = _Builder(source, loader)
        try:
            data = builder.build(node, ())
        except _TooLarge as exc:
            mark = exc.node.start_mark
            raise SpecError([Problem(Location(file, mark.line + 1, mark.column + 1), (), str(exc))]) from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise SpecError([Problem(Location(file, line, col), (), f"malformed YAML: {exc.problem or exc}")]) from None
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            raise SpecError([Problem(Location(file, 1, 1), (), f"malformed YAML: {exc}")]) from None
        if builder.problems:
            raise SpecError(builder.problems)
    finally:
        loader.dispose()
    return data, source


def _line_col(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def load_text(text: str, file: str = "<string>") -> Stack:
    """Load one stack document. Raises SpecError (never a traceback) for anything unusable."""
    with collector.paused():  # composing and validating allocate a node and a model object per YAML value
        return _load_text(text, file)


def _load_text(text: str, file: str) -> Stack:
    data, source = parse_yaml(text, file)
    if not isinstance(data, dict):
        raise SpecError(
            [Problem(source.locate(()), (), f"expected a mapping with 'name', 'networks', ...; got {_kind(data)}")]
        )
    try:
        stack = Stack.model_validate(data)
    except ValidationError as exc:
        raise SpecError(sorted((_problem(err, data, source) for err in exc.errors()), key=Problem.sort_key)) from None
    stack.set_source(file)
    stack._sources[file] = source
    return stack


def load_section(model: type[M], data: Any, where: str) -> M:
    """One section of a stack (a network, a hub, an interconnect, ...) given as data rather than in a file, e.g. a
    component provider's input: validated as the stack file's would be. SpecError names `where` and the field path."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        source = SourceMap(where)
        problems = [_problem(err, data, source, model) for err in exc.errors()]
        raise SpecError([Problem(Location(where, 0, 0), p.path, p.message) for p in problems]) from None


def load(path: str | Path) -> Stack:
    """Load one stack file. Raises SpecError (never a traceback) for anything unusable."""
    return load_text(read_input(path), str(path))


# ---------------------------------------------------------------- pydantic errors -> problems


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", int: "a number"}.get(
        type(value), type(value).__name__
    )


def _data_path(loc: tuple[Any, ...], data: Any) -> PathT:
    """The pydantic loc without discriminator tags and validator names that are not keys of the data."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, list) and isinstance(part, int):
            path.append(part)
            node = node[part] if part < len(node) else None
        elif isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif (isinstance(node, dict) or node is None) and not (isinstance(node, dict) and node.get("kind") == part):
            # a missing field (kept: the field path names it); a discriminator tag is not a key of the data
            path.append(part)
            node = None
    return tuple(path)


def _model_at(path: PathT, data: Any, root: type[BaseModel] = Stack) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path` of data that `root` validates."""
    cls: Any = root
    node = data
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
        if isinstance(part, int):
            continue
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or part not in cls.model_fields:
            return None
        cls = _unwrap(cls.model_fields[part].annotation, node)
    return cls if isinstance(cls, type) and issubclass(cls, BaseModel) else None


def _unwrap(annotation: Any, node: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0], node)
    if origin is list:
        return _unwrap(typing.get_args(annotation)[0], None)
    if origin in (typing.Union, __import__("types").UnionType):
        models = [a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        for model in models:
            kind = model.model_fields.get("kind")
            if kind is not None and isinstance(node, dict) and node.get("kind") in typing.get_args(kind.annotation):
                return model
        return models[0] if models else None
    return annotation


def _problem(err: Mapping[str, Any], data: Any, source: SourceMap, root: type[BaseModel] = Stack) -> Problem:
    path = _data_path(err["loc"], data)
    kind = err["type"]
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if kind == "extra_forbidden":
        model = _model_at(path[:-1], data, root)
        allowed = sorted(model.model_fields) if model else []
        close = difflib.get_close_matches(str(path[-1]), allowed, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        msg = f"unknown field '{path[-1]}'{hint} Expected one of: {', '.join(allowed)}"
        return Problem(source.locate(path, key=True), path, msg)
    if kind == "missing":
        return Problem(source.locate(path), path, f"required field '{path[-1]}' is missing")
    if kind in ("literal_error", "enum"):
        expected = err.get("ctx", {}).get("expected", "")
        msg = f"got {err.get('input')!r}; expected {expected}"
    elif kind == "union_tag_not_found" or kind == "union_tag_invalid":
        expected = err.get("ctx", {}).get("expected_tags", "")
        got = err.get("ctx", {}).get("tag")
        msg = f"got {got!r}; expected one of {expected}" if got else f"required field 'kind' is missing; expected one of {expected}"
        path = (*path, "kind")
    elif kind == "string_pattern_mismatch":
        msg = f"{err.get('input')!r} does not match {err['ctx']['pattern']}"
        if path and path[-1] == "name":
            msg = f"{err.get('input')!r} is not a valid name; expected lower-case letters, digits and '-'"
    elif kind.endswith(("_type", "_parsing")):
        msg = f"{msg}; got {_kind(err.get('input'))} {err.get('input')!r}"
    return Problem(source.locate(path), path, msg)


__all__ = ["SourceMap", "SpecError", "format_path", "load", "load_section", "load_text", "parse_yaml"]
