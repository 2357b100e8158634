from __future__ import annotations

import re

from ..finding import Severity
from ..registry import Rule, register

_SERVICE_WILDCARD = re.compile(r"^[a-z0-9-]+:\*$", re.IGNORECASE)


@register
class WildcardPermission(Rule):
    """A trusted role's permission statement allows every action (`*`), every action of a service (`s3:*`), or
    acts on every resource (`*`). A federated identity then holds far more than its workload needs. Waive it on the
    role with a reason when an action only supports `*` as resource."""

    id = "XC505"
    title = "Permission with a wildcard action or resource"
    severity = Severity.error
    tags = ("identity", "security")
    fix_hint = "Name the actions (s3:GetObject) and resource ARNs the workload uses, or waive XC505 with the reason."

    def check(self, topo):
        for role in topo.spec.trust.roles:
            for i, perm in enumerate(role.permissions):
                for j, action in enumerate(perm.actions):
                    if action == "*" or action == "*:*" or _SERVICE_WILDCARD.match(action):
                        what = "every action" if action.startswith("*") else f"every {action.split(':')[0]} action"
                        yield self.finding(
                            topo, role, f"role '{role.name}' (trusts issuer '{role.issuer}') allows action "
                            f"'{action}': {what}",
                            field=("permissions", i, "actions", j),
                        )
                for j, resource in enumerate(perm.resources):
                    if resource == "*":
                        yield self.finding(
                            topo, role, f"role '{role.name}' (trusts issuer '{role.issuer}') allows "
                            f"{', '.join(perm.actions)} on every resource ('*')",
                            field=("permissions", i, "resources", j),
                        )
