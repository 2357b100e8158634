"""Policy-pack tests: the pack's package (policy/xcloud_policies) is importable, without pulumi_policy."""

from __future__ import annotations

import sys
from pathlib import Path

POLICY_DIR = Path(__file__).parents[2] / "policy"
sys.path.insert(0, str(POLICY_DIR))
