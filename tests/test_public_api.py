"""The public API: what `import xcloud_iac` offers, and that validating never imports the provider SDKs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import xcloud_iac
from xcloud_iac import components


def test_component_names_match_the_components_package() -> None:
    assert sorted(xcloud_iac.COMPONENT_NAMES) == sorted(components.__all__)


def test_a_team_stack_imports_one_component_from_the_top_level() -> None:
    from xcloud_iac import OidcTrustRole, OidcTrustRoleArgs

    assert OidcTrustRole is components.OidcTrustRole and OidcTrustRoleArgs is components.OidcTrustRoleArgs


def test_everything_in_all_resolves() -> None:
    for name in xcloud_iac.__all__:
        assert getattr(xcloud_iac, name) is not None, name


def test_validation_does_not_import_pulumi() -> None:
    code = (
        "import sys, xcloud_iac\n"
        "xcloud_iac.check(xcloud_iac.load('stacks/dr-pair.yaml'))\n"
        "print(sorted(m for m in sys.modules if m.startswith('pulumi')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[1])
    assert out.stdout.strip() == "[]"
