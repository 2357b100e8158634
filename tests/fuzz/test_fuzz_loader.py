"""Fuzzing the loader and the checks: for any input the answer is clean, findings, or a located input error —
never an uncaught exception, and never a hang.

CI runs the quick profile. The long run: `HYPOTHESIS_PROFILE=long pytest tests/fuzz`.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xcloud_iac.checks import check
from xcloud_iac.spec import SpecError, load_text

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

STACKS = {p.stem: yaml.safe_load(p.read_text()) for p in sorted((Path(__file__).parents[2] / "stacks").glob("*.yaml"))}

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.floats(allow_nan=True), st.text(max_size=30),
    st.sampled_from(["10.0.0.0/8", "0.0.0.0/0", "::/0", "10.0.0.1/33", "*", "us-east-1", "BPS_1G", "", "é中文🙂"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=8)


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, (*prefix, i))


def parent_of(doc, path):
    node = doc
    for part in path[:-1]:
        node = node[part]
    return node


@st.composite
def mutated_stack(draw):
    doc = copy.deepcopy(STACKS[draw(st.sampled_from(sorted(STACKS)))])
    grown = False  # one huge list per example: repeated growth would fuzz scale, which the benchmarks measure
    for _ in range(draw(st.integers(1, 4))):
        candidates = [p for p in paths(doc) if p]
        if not candidates:
            break
        path = draw(st.sampled_from(candidates))
        parent, key = parent_of(doc, path), path[-1]
        op = draw(st.sampled_from(["delete", "replace", "empty", "huge", "duplicate"]))
        if op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = draw(values)
        elif op == "empty":
            parent[key] = [] if isinstance(parent[key], list) else {}
        elif op == "huge" and isinstance(parent[key], list) and parent[key] and not grown:
            parent[key] = parent[key] * 300
            grown = True
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def outcome(text: str) -> str:
    """What a user gets: 'clean', 'findings' or 'input-error'. Anything else propagates and fails the test."""
    try:
        stack = load_text(text, "fuzz.yaml")
    except SpecError as exc:
        assert exc.problems and all(p.location.file == "fuzz.yaml" and p.message for p in exc.problems)
        return "input-error"
    report = check(stack)
    internal = [f for f in report.findings if "internal error" in f.message]
    assert internal == [], internal
    return "findings" if report.findings else "clean"


@given(mutated_stack())
def test_mutated_example_stacks_never_crash(text: str) -> None:
    assert outcome(text) in {"clean", "findings", "input-error"}


@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes(text: str) -> None:
    assert outcome(text) in {"clean", "findings", "input-error"}


@given(st.sampled_from(sorted(STACKS)), st.integers(0, 200), st.sampled_from(["key", "value"]))
def test_duplicated_lines_never_crash(name: str, line_no: int, _kind: str) -> None:
    lines = yaml.safe_dump(STACKS[name], sort_keys=False).splitlines()
    i = line_no % len(lines)
    lines.insert(i, lines[i])
    assert outcome("\n".join(lines)) in {"clean", "findings", "input-error"}


def test_deep_nesting_is_refused() -> None:
    assert outcome("name: x\ndescription: " + "[" * 5000 + "]" * 5000 + "\n") == "input-error"
    assert outcome("name: x\ndescription: " + "{a: " * 200 + "1" + "}" * 200 + "\n") == "input-error"


def test_billion_laughs_is_refused() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    assert outcome("\n".join(lines) + "\nname: x\n") == "input-error"


def test_python_tags_are_refused() -> None:
    assert outcome("name: !!python/object/apply:os.system ['true']\n") == "input-error"
