"""The Pulumi mocks of the component and deploy() tests: the package's own recorder (xcloud_iac.plan.mocks), which
`xcloud plan` runs deploy() against too, so the tests see exactly what a plan lists. See that module."""

from __future__ import annotations

import json

from xcloud_iac.plan.mocks import ACCOUNT, PROJECT_NUMBER, Mocks, Recorder, Registered, install, run

__all__ = ["ACCOUNT", "PROJECT_NUMBER", "Mocks", "Recorder", "Registered", "install", "policy_json", "run"]


def policy_json(value: str | dict) -> dict:
    return json.loads(value) if isinstance(value, str) else value
