"""JSON with positions: the parsed value and a SourceMap of every key and value, so findings point at file:line:col.

`json.loads` validates the text (and gives line/column for malformed JSON); a second, small scan over the same text
records where each value and each object key starts. The scan leans on the json module's own scanners for strings
and scalars, so both passes agree on what the document is.
"""

from __future__ import annotations

import bisect
import json
from json.decoder import scanstring  # type: ignore[attr-defined]  # public in CPython, absent from typeshed
from typing import Any

from ..spec.errors import Location, Problem
from ..spec.loader import SourceMap

PathT = tuple[str | int, ...]
_WS = " \t\n\r"


class JsonInputError(Exception):
    """The text is not JSON; carries the problem with file:line:column."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def parse_json(text: str, file: str) -> tuple[Any, SourceMap]:
    """The parsed document and where each of its parts starts in `text`."""
    text = text.removeprefix("\ufeff")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonInputError(Problem(Location(file, exc.lineno, exc.colno), (), f"invalid JSON: {exc.msg}")) from None
    except RecursionError:
        raise JsonInputError(Problem(Location(file, 1, 1), (), "invalid JSON: nested too deeply")) from None
    source = SourceMap(file)
    _Scanner(text, source).value(0, ())
    return data, source


class _Scanner:
    def __init__(self, text: str, source: SourceMap) -> None:
        self.text = text
        self.source = source
        self.scalar = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # set by the decoder, untyped
        self.line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

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
        _value, end = self.scalar(self.text, i)
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
