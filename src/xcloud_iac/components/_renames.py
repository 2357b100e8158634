"""Renames without replacement: a spec object's `previous_names` become Pulumi aliases of the resources named
after it.

Logical names are built from spec names joined with '-' (`aws-prod-vpc`, `tgw-use1-rt-prod`), so a resource's
earlier name is its name with the object's current name, as a whole '-'-separated run of tokens, put back to a
previous one. Every resource of the stack goes through `alias_transformation`; a resource whose name holds no
renamed object gets no alias. XC102 keeps a previous name from being another object's name of the same kind; an
alias that still equals a live resource (same type and name, which the engine would refuse) is reported by the
plan (plan/inventory.py), so `xcloud plan` and `xcloud diff` show it before `pulumi up` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pulumi

from ..spec import models as m


def renamed_objects(stack: m.Stack) -> dict[str, tuple[str, ...]]:
    """Current name -> previous names (oldest first) of the stack's renamed objects."""
    renames: dict[str, list[str]] = {}
    for _path, obj in stack.objects():
        if isinstance(obj, m.Named):
            olds = renames.setdefault(obj.name, [])
            olds += [old for old in obj.previous_names if old not in olds]
    return {new: tuple(olds) for new, olds in sorted(renames.items()) if olds}


def earlier_names(name: str, renames: Mapping[str, Iterable[str]]) -> list[str]:
    """The names a resource called `name` had, oldest first: each renamed object it is named after put back to
    each of its previous names (one object at a time, then all of them together)."""
    found: list[str] = []
    together = name
    for new, olds in sorted(renames.items(), key=lambda item: -len(item[0])):  # longest first: 'a-b' before 'b'
        pattern = re.compile(rf"(?<![a-z0-9]){re.escape(new)}(?![a-z0-9])")
        if not pattern.search(name):
            continue
        olds = list(olds)
        found += [pattern.sub(old, name) for old in olds]
        together = pattern.sub(olds[0], together)
    if together != name:
        found.insert(0, together)
    return list(dict.fromkeys(n for n in found if n != name))


def alias_transformation(renames: Mapping[str, Iterable[str]]) -> pulumi.ResourceTransformation:
    """A resource transformation that adds the earlier names of every resource as aliases. Given to a component,
    it applies to the component and to every resource below it."""

    def add_aliases(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
        names = earlier_names(args.name, renames)
        if not names:
            return None
        # merging concatenates lists: the resource keeps any alias it had
        aliases: list[pulumi.Input[str | pulumi.Alias]] = [pulumi.Alias(name=n) for n in names]
        return pulumi.ResourceTransformationResult(
            args.props, pulumi.ResourceOptions.merge(args.opts, pulumi.ResourceOptions(aliases=aliases))
        )

    return add_aliases
