"""The example team stack (examples/team-stack) deployed under mocks, with the platform stack's outputs arriving
through a StackReference as the engine hands them over: every value an Output, the secret ones secret."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pulumi
import pytest
import yaml
from components.mocks import install, run

from xcloud_iac.program import OUTPUT_KEYS, deploy

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "team-stack"
PLATFORM = "example-org/xcloud-iac/dr-pair"


@pytest.fixture(scope="module")
def platform_outputs() -> dict:
    """The outputs the platform stack (stacks/dr-pair.yaml) exports."""
    install()
    return run(lambda: pulumi.Output.from_input(deploy(ROOT / "stacks" / "dr-pair.yaml", export=False).outputs))


def test_team_stack_consumes_platform_outputs(platform_outputs: dict) -> None:
    assert set(platform_outputs) == set(OUTPUT_KEYS)
    project = yaml.safe_load((EXAMPLE / "Pulumi.yaml").read_text())["name"]
    config = yaml.safe_load((EXAMPLE / "Pulumi.dev.yaml").read_text())["config"]
    assert config[f"{project}:platformStack"] == PLATFORM

    _mocks, recorder = install(stack_references={PLATFORM: platform_outputs},
                               secret_outputs=frozenset({"oidcProviderArns"}), project=project, stack="dev")
    pulumi.runtime.set_all_config(config)
    exported: dict[str, object] = {}

    def program():
        original = pulumi.export
        pulumi.export = lambda key, value: exported.__setitem__(key, value)  # type: ignore[assignment]
        try:
            runpy.run_path(str(EXAMPLE / "__main__.py"), run_name="__main__")
        finally:
            pulumi.export = original
        return pulumi.Output.from_input(exported)

    outputs = run(program)

    assert recorder.one("pulumi:pulumi:StackReference").name == PLATFORM
    assert not recorder.of_type("aws:iam/openIdConnectProvider:OpenIdConnectProvider"), \
        "the platform's OIDC provider is reused, never created a second time"
    role = recorder.one("aws:iam/role:Role")
    assert role.protect
    trust = json.loads(role.inputs["assumeRolePolicy"])
    provider_arn = platform_outputs["oidcProviderArns"]["gke-dr"]
    host = platform_outputs["oidcIssuerUrls"]["gke-dr"].removeprefix("https://")
    assert trust == json.loads(outputs["trustPolicy"])
    [statement] = trust["Statement"]
    assert statement["Principal"] == {"Federated": provider_arn}
    assert statement["Condition"]["StringEquals"] == {
        f"{host}:aud": "sts.amazonaws.com", f"{host}:sub": ["system:serviceaccount:orders:exports-reader"]}
    assert "assumeRolePolicy" in role.secret_inputs, "a secret platform output stays secret in the team's state"
    assert outputs["workloadIdentityProvider"] == platform_outputs["workloadIdentityProviders"]["aws-to-gcp"]
    assert outputs["roleArn"].endswith(":role/orders-exports-reader-role")
