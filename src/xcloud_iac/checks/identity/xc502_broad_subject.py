from __future__ import annotations

import re

from ..finding import Severity
from ..registry import Rule, register

# What a wildcard subject lets in, by the shape of the subject: (pattern, explanation).
_SHAPES = (
    (re.compile(r"^[*?]+$"), "every identity of the issuer"),
    (re.compile(r"^system:serviceaccount:[*?]"), "every service account in every namespace"),
    (re.compile(r"^system:serviceaccount:([^:*?]+):[*?]"), "every service account of namespace '{0}'"),
    (re.compile(r"^repo:[*?]"), "every repository of every GitHub organisation and user"),
    (re.compile(r"^repo:([^/*?]+)/[*?]"), "every repository of '{0}'"),
    (re.compile(r"^repo:([^:*?]+):[*?]"), "every branch, tag, environment and pull request of '{0}'"),
)


def describe(value: str) -> str | None:
    """What an IAM StringLike value with `*` or `?` matches, in words; None when it has no wildcard."""
    if "*" not in value and "?" not in value:
        return None
    for pattern, words in _SHAPES:
        if match := pattern.match(value):
            return words.format(*match.groups())
    return "more than one value (IAM wildcard)"


@register
class BroadSubject(Rule):
    """A role's subject or audience contains an IAM wildcard (`*` or `?` anywhere), such as `*`,
    `system:serviceaccount:*`, `system:serviceaccount:ns:*`, `repo:org/*` or `repo:org/repo:*`: every matching
    identity can assume the role, including ones created later. Waive it on the role with a reason when that is
    intended."""

    id = "XC502"
    title = "Wildcard or over-broad trust subject"
    severity = Severity.error
    tags = ("identity", "security")
    fix_hint = (
        "List the exact subjects (e.g. system:serviceaccount:orders:orders-api, "
        "repo:org/repo:ref:refs/heads/main), or waive XC502 on the role with the reason."
    )

    def check(self, topo):
        for role in topo.spec.trust.roles:
            for i, subject in enumerate(role.subjects):
                if (what := describe(subject)) is not None:
                    yield self.finding(
                        topo, role,
                        f"role '{role.name}' trusts subject '{subject}' of issuer '{role.issuer}': it matches {what}",
                        field=("subjects", i),
                    )
            if role.audience and describe(role.audience) is not None:
                yield self.finding(
                    topo, role,
                    f"role '{role.name}' accepts audience '{role.audience}' from issuer '{role.issuer}': a wildcard, "
                    "so tokens issued for other audiences are accepted",
                    field=("audience",),
                )
