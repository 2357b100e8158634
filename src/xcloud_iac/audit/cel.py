"""Workload Identity attribute conditions judged by evaluating them (CEL, with cel-python), not by their spelling.

Google admits a token when the provider's attribute condition evaluates to true (an error or a non-boolean result
denies). A condition is *open* when tokens an attacker can obtain satisfy it: tokens whose claims are empty,
or carry another repository's / another role's values. Each such token is evaluated; `true || false`,
`assertion.sub != ''` and `1 == 1` are open, `assertion.repository == 'org/app'` is not. What the condition reads
(`assertion.<claim>`, `assertion['<claim>']`, `attribute.<name>`, `google.subject`) is filled with the attacker's
values; anything else it reads is absent, as it would be in a token that lacks it.

cel-python builds its parser from the CEL grammar (a LALR analysis by lark) once per process, which takes longer than
the rest of a validation run. lark's own cache keeps the built parser in the user's cache folder (see
`_parser_cache`), keyed on the grammar, the parser options and the lark and Python versions: a change of any of them,
or an unreadable file, builds the parser again. celpy itself is imported on the first condition judged.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import celpy

CACHE_ENV = "XCLOUD_CACHE_DIR"  # where the built CEL parser is kept; empty: not kept

_READS = re.compile(r"\b(assertion|attribute|google)\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*(['\"])(.*?)\3\s*\])")


@dataclass(frozen=True)
class Verdict:
    open: bool
    invalid: str | None = None  # why the condition does not compile (Google refuses to save it)
    token: dict[str, dict[str, str]] | None = None  # an attacker's token that satisfies it

    def describe(self) -> str:
        if self.invalid is not None:
            return f"is not a valid CEL expression ({self.invalid})"
        if not self.open:
            return "admits no attacker token"
        if not self.token:
            return "is true for every token (it reads no claim of it)"
        claims = ", ".join(f"{root}.{k} = {v!r}" for root, values in self.token.items() for k, v in values.items())
        return f"is true for a token an attacker can obtain ({claims or 'any claims'})"


def attacker_values(aws_account: str | None) -> tuple[str, ...]:
    """Claim values of tokens an attacker holds: empty claims, another repository's GitHub claims, another role of the
    trusted AWS account (an `aws` provider trusts the whole account)."""
    values = ["", "attacker", "repo:attacker/tool:ref:refs/heads/main", "attacker/tool"]
    if aws_account:
        values += [f"arn:aws:sts::{aws_account}:assumed-role/attacker", f"arn:aws:iam::{aws_account}:role/attacker"]
    return tuple(values)


def _parser_cache() -> Path | None:
    """The file lark keeps the built CEL parser in: under $XCLOUD_CACHE_DIR, else $XDG_CACHE_HOME/xcloud-iac, else
    ~/.cache/xcloud-iac (a folder only the user can write: the file is a pickle). None when no such folder can be
    made: the parser is then built in memory, as without a cache."""
    folder = os.environ.get(CACHE_ENV)
    if folder is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "xcloud-iac")
    if not folder:
        return None
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return Path(folder, "cel-parser.lark-cache")


@functools.cache
def _celpy() -> None:
    """Import celpy and build its (class-wide) parser, through lark's cache when there is a cache folder."""
    import celpy
    from celpy import celparser

    cache = _parser_cache()
    if cache is None or celparser.CELParser.CEL_PARSER is not None:
        return
    lark = celparser.Lark
    # celpy builds the parser with its own grammar and options; only the cache file is added to them
    celparser.Lark = functools.partial(lark, cache=str(cache))  # type: ignore[misc]
    try:
        celpy.Environment()
    finally:
        celparser.Lark = lark  # type: ignore[misc]


@functools.lru_cache(maxsize=256)
def _program(condition: str) -> celpy.Runner:
    import celpy

    _celpy()
    env = celpy.Environment()
    return env.program(env.compile(condition))


def judge(condition: str, *, aws_account: str | None = None) -> Verdict:
    """Whether any attacker token satisfies `condition` (see the module's doc)."""
    try:
        program = _program(condition)
    except Exception as exc:
        return Verdict(open=False, invalid=" ".join(str(exc).split())[:160] or type(exc).__name__)
    reads: dict[str, set[str]] = {"assertion": set(), "attribute": set(), "google": set()}
    for root, dotted, _quote, indexed in _READS.findall(condition):
        reads[root].add(dotted or indexed)
    import celpy
    from celpy import celtypes

    for value in attacker_values(aws_account):
        token = {root: {key: value for key in sorted(keys)} for root, keys in reads.items()}
        activation = {root: celpy.json_to_cel(values) for root, values in token.items() if root != "google"}
        # celpy reads `google` as a package name: its members are bound by their dotted names
        activation.update({f"google.{k}": celtypes.StringType(v) for k, v in token["google"].items()})
        try:
            result = program.evaluate(activation)
        except Exception:
            continue
        if isinstance(result, celtypes.BoolType) and bool(result):
            return Verdict(open=True, token={root: values for root, values in token.items() if values})
    return Verdict(open=False)
