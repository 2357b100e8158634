"""JSON with positions: the parsed value and a SourceMap of every key and value, so findings point at file:line:col.

`json.loads` validates the text (and gives line/column for malformed JSON); a second, small scan over the same text
records where each value and each object key starts. The scan leans on the json module's own scanners for strings
and scalars, so both passes agree on what the document is.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from json.decoder import scanstring  # type: ignore[attr-defined]  # public in CPython, absent from typeshed
from typing import Any

from ..spec.errors import Location, Problem
from ..spec.loader import SourceMap

PathT = tuple[str | int, ...]
_WS = " \t\n\r"
# IAM policies nest a handful of levels; the position scanner recurses per level, so deeper input is refused first.
MAX_DEPTH = 64
# Python refuses to convert longer integers (sys.int_info.default_max_str_digits); IAM has no use for any of them.
MAX_DIGITS = 4300


class _Refused(ValueError):
    """A value JSON allows but a policy cannot hold (NaN, Infinity, a number Python or IAM cannot use)."""


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"an integer of {len(text.lstrip('-'))} digits: no IAM or Google field holds one")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text[:40]} is out of range: no IAM or Google field holds it")
    return value


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON value (JSON has no NaN or Infinity; IAM refuses them)")


class JsonInputError(Exception):
    """The text is not JSON; carries the problem with file:line:column."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def parse_json(text: str, file: str) -> tuple[Any, SourceMap]:
    """The parsed document and where each of its parts starts in `text`."""
    text = text.removeprefix("\ufeff")
    _check_depth(text, file)
    try:
        data = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise JsonInputError(Problem(Location(file, exc.lineno, exc.colno), (), f"invalid JSON: {exc.msg}")) from None
    except RecursionError:
        raise JsonInputError(Problem(Location(file, 1, 1), (), "invalid JSON: nested too deeply")) from None
    except _Refused as exc:
        # the scanner meets the same value with its position, and raises the located problem
        _Scanner(text, SourceMap(file)).value(0, ())
        raise JsonInputError(Problem(Location(file, 1, 1), (), str(exc))) from None
    source = SourceMap(file)
    _Scanner(text, source).value(0, ())
    return data, source


_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')  # strings are skipped whole


def _check_depth(text: str, file: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH, at the bracket that goes too deep (one pass, no recursion)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for match in _BRACKETS.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                offset = match.start()
                line = text.count("\n", 0, offset) + 1
                col = offset - (text.rfind("\n", 0, offset) + 1) + 1
                raise JsonInputError(Problem(
                    Location(file, line, col), (),
                    f"the JSON is nested more than {MAX_DEPTH} levels deep; policies, roles and providers nest a few",
                ))
        elif char in "]}":
            depth -= 1


class _Scanner:
    def __init__(self, text: str, source: SourceMap) -> None:
        self.text = text
        self.source = source
        self.scalar = json.JSONDecoder(parse_int=_int, parse_float=_float, parse_constant=_constant).scan_once  # type: ignore[attr-defined]  # set by the decoder, untyped
        self.file = source.file
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def skip(self, i: int) -> int:
        while self.text[i] in _WS:
            i += 1
        return i

    def value(self, i: int, path: PathT) -> int:
        """Record the value starting at (or after whitespace from) `i`; return the offset just past it."""
        i = self.skip(i)
        self.source.values[path] = self.position(i)
        char = self.text[i]
        if char == "{":
            return self.object(i + 1, path)
        if char == "[":
            return self.array(i + 1, path)
        try:
            _value, end = self.scalar(self.text, i)
        except _Refused as exc:
            line, col = self.position(i)
            raise JsonInputError(Problem(Location(self.file, line, col), path, str(exc))) from None
        return end

    def object(self, i: int, path: PathT) -> int:
        i = self.skip(i)
        if self.text[i] == "}":
            return i + 1
        while True:
            i = self.skip(i)
            key_pos = self.position(i)
            key, i = scanstring(self.text, i + 1)
            key_path = (*path, key)
            if key_path in self.source.keys:
                # json.loads keeps the last one, IAM may keep either: what a reviewer reads is not what is judged
                first = self.source.keys[key_path]
                raise JsonInputError(Problem(Location(self.source.file, *key_pos), key_path,
                                             f"duplicate key '{key}' (first at line {first[0]}); each key may "
                                             "appear once in an object"))
            self.source.keys[key_path] = key_pos
            i = self.skip(i) + 1  # past ':'
            i = self.skip(self.value(i, key_path))
            if self.text[i] == "}":
                return i + 1
            i += 1  # past ','

    def array(self, i: int, path: PathT) -> int:
        i = self.skip(i)
        if self.text[i] == "]":
            return i + 1
        index = 0
        while True:
            i = self.skip(self.value(i, (*path, index)))
            index += 1
            if self.text[i] == "]":
                return i + 1
            i += 1  # past ','
