"""The component provider (provider/PulumiPlugin.yaml, xcloud_iac.component_provider): the schema Pulumi infers
(golden: provider/schema.json), `construct` through the provider interface registering exactly what the Python API
registers, and the Pulumi YAML example checked against the schema."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from components.mocks import install, run

from xcloud_iac import components as c
from xcloud_iac.component_provider import COMPONENTS, PACKAGE, provider
from xcloud_iac.program import OUTPUT_KEYS, deploy
from xcloud_iac.spec import load

ROOT = Path(__file__).parents[1]
GOLDEN = ROOT / "provider" / "schema.json"
YAML_EXAMPLE = ROOT / "examples" / "yaml-program" / "Pulumi.yaml"
GKE = "https://container.googleapis.com/v1/projects/dr-project/locations/us-east4/clusters/dr"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(provider("0.1.0").schema)


def test_schema_matches_golden(schema: dict[str, Any]) -> None:
    text = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    if os.environ.get("XCLOUD_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.read_text(encoding="utf-8") == text, "provider/schema.json is stale (XCLOUD_UPDATE_GOLDEN=1)"


def test_plugin_manifest_runs_python() -> None:
    manifest = yaml.safe_load((ROOT / "provider" / "PulumiPlugin.yaml").read_text())
    assert manifest == {"runtime": "python"}
    main = (ROOT / "provider" / "__main__.py").read_text()
    assert "component_provider_host(COMPONENTS, PACKAGE" in main


def _typed(prop: dict[str, Any]) -> bool:
    if "$ref" in prop:
        return True
    if prop.get("type") == "array":
        return _typed(prop["items"])
    if prop.get("type") == "object" and "additionalProperties" in prop:
        return _typed(prop["additionalProperties"])
    return prop.get("type") in {"string", "integer", "number", "boolean", "object"}


def test_every_component_has_typed_inputs_and_outputs(schema: dict[str, Any]) -> None:
    resources = schema["resources"]
    assert sorted(resources) == sorted(f"{PACKAGE}:index:{cls.__name__}" for cls in COMPONENTS)
    for token, resource in resources.items():
        assert resource["isComponent"], token
        assert resource["inputProperties"] and resource["properties"], token
        untyped = [n for n, p in {**resource["inputProperties"], **resource["properties"]}.items() if not _typed(p)]
        assert not untyped, (token, untyped)
    assert sorted(resources[f"{PACKAGE}:index:Stack"]["properties"]) == sorted(OUTPUT_KEYS)
    assert resources[f"{PACKAGE}:index:OidcTrustRole"]["requiredInputs"] == ["audience", "issuerUrl", "subjects"]


# ---------------------------------------------------------------- construct

def registered(program) -> list[tuple[str, str, str]]:
    """The custom resources a program registers: (type, name, inputs as JSON)."""
    _mocks, recorder = install()
    run(program)
    return sorted((r.type, r.name, json.dumps(r.inputs, sort_keys=True)) for r in recorder.registered if r.custom)


def constructed(token: str, name: str, inputs: dict[str, Any]) -> list[tuple[str, str, str]]:
    def program() -> pulumi.Output:
        result = provider("0.1.0").construct(name, token, inputs, pulumi.ResourceOptions())
        return pulumi.Output.from_input(result.state)

    return registered(program)


PERMISSIONS = [{"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::orders/*"]}]
CASES = {
    "OidcTrustRole": (
        {"issuerUrl": GKE, "audience": "sts.amazonaws.com", "subjects": ["system:serviceaccount:orders:api"],
         "permissions": PERMISSIONS, "maxSessionSeconds": 3600},
        lambda: c.OidcTrustRole("reader", c.OidcTrustRoleArgs(
            issuer_url=GKE, audience="sts.amazonaws.com", subjects=["system:serviceaccount:orders:api"],
            permissions=PERMISSIONS, max_session_seconds=3600)),
    ),
    "OidcIssuer": (
        {"url": GKE, "clientIds": ["sts.amazonaws.com"]},
        lambda: c.OidcIssuer("reader", c.OidcIssuerArgs(url=GKE, client_ids=["sts.amazonaws.com"])),
    ),
    "GcpWorkloadIdentityForAws": (
        {"project": "dr-project", "poolId": "aws-callers", "providerId": "aws-prod",
         "awsAccountId": "111122223333", "attributeCondition": "attribute.aws_account == '111122223333'",
         "awsRoles": ["replicator"], "serviceAccount": "replicator@dr-project.iam.gserviceaccount.com"},
        lambda: c.GcpWorkloadIdentityForAws("reader", c.GcpWorkloadIdentityForAwsArgs(
            project="dr-project", pool_id="aws-callers", provider_id="aws-prod", aws_account_id="111122223333",
            attribute_condition="attribute.aws_account == '111122223333'", aws_roles=["replicator"],
            service_account="replicator@dr-project.iam.gserviceaccount.com")),
    ),
}


@pytest.mark.parametrize("component", sorted(CASES))
def test_construct_registers_what_the_python_api_does(component: str) -> None:
    inputs, python_program = CASES[component]
    through_provider = constructed(f"{PACKAGE}:index:{component}", "reader", inputs)
    assert through_provider, "construct registered nothing"
    assert through_provider == registered(python_program)


@pytest.mark.parametrize("stack", ["dr-pair", "cloud-wan", "alibaba-tencent"])
def test_construct_stack_registers_what_deploy_does(stack: str) -> None:
    path = ROOT / "stacks" / f"{stack}.yaml"
    through_provider = constructed(f"{PACKAGE}:index:Stack", stack,
                                   {"spec": path.read_text(encoding="utf-8"), "file": f"stacks/{stack}.yaml"})
    assert len(through_provider) > 20
    assert through_provider == registered(lambda: deploy(load(path), export=False))


def test_construct_stack_with_error_finding_registers_nothing() -> None:
    bad = (ROOT / "stacks" / "dr-pair.yaml").read_text().replace("audience: sts.amazonaws.com", "audience: '*'", 1)
    _mocks, recorder = install()
    with pytest.raises(Exception, match="was not deployed"):
        run(lambda: provider("0.1.0").construct("bad", f"{PACKAGE}:index:Stack", {"spec": bad},
                                                 pulumi.ResourceOptions()))
    assert not [r for r in recorder.registered if r.custom]


# ---------------------------------------------------------------- the YAML program

def _check_value(value: Any, prop: dict[str, Any], schema: dict[str, Any], where: str) -> list[str]:
    if isinstance(value, str) and value.startswith("${"):
        return []  # an interpolation: its type is the referenced output's, checked by the engine
    if "$ref" in prop:
        type_def = schema["types"][prop["$ref"].removeprefix("#/types/")]
        return _check_object(value, type_def.get("properties", {}), type_def.get("required", []), schema, where)
    kind = prop.get("type")
    expected = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list,
                "object": dict}[kind]
    if not isinstance(value, expected) or (kind == "integer" and isinstance(value, bool)):
        return [f"{where}: expected {kind}, got {type(value).__name__}"]
    if kind == "array":
        return [p for i, v in enumerate(value) for p in _check_value(v, prop["items"], schema, f"{where}[{i}]")]
    if kind == "object" and "additionalProperties" in prop:
        return [p for k, v in value.items()
                for p in _check_value(v, prop["additionalProperties"], schema, f"{where}.{k}")]
    return []


def _check_object(value: Any, properties: dict, required: list[str], schema: dict, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: expected an object"]
    problems = [f"{where}.{k}: not an input of the schema" for k in value if k not in properties]
    problems += [f"{where}.{k}: required" for k in required if k not in value]
    return problems + [p for k, v in value.items() if k in properties
                       for p in _check_value(v, properties[k], schema, f"{where}.{k}")]


def yaml_problems(program: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    problems = []
    ours = {}
    for name, resource in program["resources"].items():
        token = resource["type"]
        if not token.startswith(f"{PACKAGE}:"):
            continue
        ours[name] = definition = schema["resources"].get(token)
        if definition is None:
            problems.append(f"{name}: {token} is not a resource of the package")
            continue
        problems += _check_object(resource.get("properties", {}), definition["inputProperties"],
                                  definition.get("requiredInputs", []), schema, name)
    for key, value in program.get("outputs", {}).items():
        for resource, prop in re.findall(r"\$\{(\w+)\.(\w+)", str(value)):
            if resource in ours and prop not in ours[resource]["properties"]:
                problems.append(f"outputs.{key}: {resource} has no output {prop}")
    return problems


def test_yaml_example_validates_against_the_schema(schema: dict[str, Any]) -> None:
    program = yaml.safe_load(YAML_EXAMPLE.read_text())
    assert (YAML_EXAMPLE.parent / program["packages"][PACKAGE] / "PulumiPlugin.yaml").is_file()
    assert sum(r["type"].startswith(f"{PACKAGE}:") for r in program["resources"].values()) >= 2
    assert yaml_problems(program, schema) == []


@pytest.mark.parametrize("change, expected", [
    (lambda p: p["resources"]["ordersReader"]["properties"].pop("audience"), "ordersReader.audience: required"),
    (lambda p: p["resources"]["ordersReader"]["properties"].update(maxSessionSeconds="1h"),
     "ordersReader.maxSessionSeconds: expected integer, got str"),
    (lambda p: p["resources"]["awsCallers"]["properties"].update(poolID="x"),
     "awsCallers.poolID: not an input of the schema"),
    (lambda p: p["outputs"].update(arn="${ordersReader.arn}"), "outputs.arn: ordersReader has no output arn"),
])
def test_yaml_check_catches_mistakes(schema: dict[str, Any], change, expected: str) -> None:
    program = yaml.safe_load(YAML_EXAMPLE.read_text())
    change(program)
    assert expected in yaml_problems(program, schema)
