"""`xcloud validate`, `rules` and `schema` as a user runs them: formats, exit status, several files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xcloud_iac.cli import app

ROOT = Path(__file__).parents[1]
STACKS = sorted(str(p) for p in (ROOT / "stacks").glob("*.yaml"))

# Two files of one organisation: the hub (network team) attaches a VPC that a product team's file declares,
# and the product team picked a range that overlaps the hub VPC.
HUB = """\
name: hub
networks:
  - {name: shared, cloud: aws, region: us-east-1, cidrs: [10.1.0.0/16]}
hubs:
  - name: tgw
    kind: transit_gateway
    region: us-east-1
    route_tables: [{name: main}]
    attachments:
      - {name: shared, network: shared, route_table: main, propagate_to: [main]}
      - {name: team, network: team, route_table: main, propagate_to: [main]}
"""
TEAM = """\
name: team
networks:
  - {name: team, cloud: aws, region: us-east-1, cidrs: [10.1.128.0/17]}
"""


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_example_stacks_validate_clean() -> None:
    result = run("validate", *STACKS)
    assert result.exit_code == 0, result.output
    assert result.output == "no findings\n"


@pytest.mark.parametrize("path", STACKS, ids=lambda p: Path(p).name)
def test_each_example_stack_validates_clean_alone(path: str) -> None:
    result = run("validate", path, "--fail-on", "warning", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"findings": []}


def test_overlap_between_connected_files_is_found_only_in_the_organisation_plan(tmp_path: Path) -> None:
    (tmp_path / "hub.yaml").write_text(HUB)
    (tmp_path / "team.yaml").write_text(TEAM)
    result = run("validate", str(tmp_path / "hub.yaml"), str(tmp_path / "team.yaml"), "--format", "json")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.output)["findings"]
    overlaps = [f for f in findings if f["rule"] == "XC201"]
    assert len(overlaps) == 1
    assert "'shared' 10.1.0.0/16" in overlaps[0]["message"] and "'team' 10.1.128.0/17" in overlaps[0]["message"]
    files = {overlaps[0]["location"]["file"], *(r["location"]["file"] for r in overlaps[0]["related"])}
    assert files == {str(tmp_path / "hub.yaml"), str(tmp_path / "team.yaml")}
    # alone, the hub file names a network it does not declare: unusable input
    alone = run("validate", str(tmp_path / "hub.yaml"))
    assert alone.exit_code == 2 and "XC101" in alone.output


def overlapping(tmp_path: Path) -> str:
    path = tmp_path / "overlap.yaml"
    team_network = TEAM.split("networks:\n", 1)[1]
    path.write_text(HUB.replace("hubs:\n", team_network + "hubs:\n"))
    return str(path)


def test_json_format_has_the_documented_shape(tmp_path: Path) -> None:
    result = run("validate", overlapping(tmp_path), "--format", "json")
    assert result.exit_code == 1
    finding = json.loads(result.output)["findings"][0]
    assert set(finding) == {"rule", "severity", "message", "path", "location", "related", "hint"}
    assert set(finding["location"]) == {"file", "line", "column"}


def test_fail_on_threshold(tmp_path: Path) -> None:
    path = overlapping(tmp_path)
    assert run("validate", path, "--fail-on", "never").exit_code == 0
    assert run("validate", path, "--fail-on", "warning").exit_code == 1
    unconnected = tmp_path / "lonely.yaml"
    unconnected.write_text("name: l\nnetworks:\n  - {name: a, cloud: aws, region: us-east-1, cidrs: [10.0.0.0/16]}\n")
    assert run("validate", str(unconnected)).exit_code == 0  # XC103 is a warning
    assert run("validate", str(unconnected), "--fail-on", "warning").exit_code == 1


def test_sarif_is_2_1_0_with_rules_and_located_results(tmp_path: Path) -> None:
    result = run("validate", overlapping(tmp_path), "--format", "sarif")
    doc = json.loads(result.output)
    assert doc["version"] == "2.1.0"
    run_ = doc["runs"][0]
    rule_ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert "XC201" in rule_ids and "XC605" in rule_ids
    res = next(r for r in run_["results"] if r["ruleId"] == "XC201")
    assert rule_ids[res["ruleIndex"]] == "XC201"
    region = res["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] > 0 and region["startColumn"] > 0
    assert res["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("overlap.yaml")


def test_github_format_annotates_lines(tmp_path: Path) -> None:
    path = overlapping(tmp_path)
    result = run("validate", path, "--format", "github")
    line = next(x for x in result.output.splitlines() if "XC201" in x)
    assert line.startswith(f"::error file={path},line=")
    assert "title=XC201 " in line and "%0AHint: " in line


def test_waived_findings_are_shown_on_request(tmp_path: Path) -> None:
    path = tmp_path / "waived.yaml"
    path.write_text(
        "name: w\nnetworks:\n  - name: a\n    cloud: aws\n    region: us-east-1\n    cidrs: [10.0.0.0/16]\n"
        "    ignore: [{rule: XC103, reason: attached by the landing-zone stack}]\n"
    )
    assert run("validate", str(path), "--fail-on", "warning").exit_code == 0
    shown = run("validate", str(path), "--show-waived")
    assert "waived XC103" in shown.output and "landing-zone" in shown.output


def test_rules_lists_the_catalogue() -> None:
    result = run("rules", "--format", "json")
    rows = json.loads(result.output)
    assert [r["id"] for r in rows][:3] == ["XC101", "XC102", "XC103"]
    assert all(r["title"] and r["hint"] and r["description"] for r in rows)


def test_schema_command_writes_the_schema(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    assert run("schema", "-o", str(out)).exit_code == 0
    schema = json.loads(out.read_text())
    assert schema["title"] == "xcloud-iac stack" and "networks" in schema["properties"]


def test_version_matches_the_package() -> None:
    import tomllib

    version = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]["version"]
    result = run("--version")
    assert result.exit_code == 0 and result.output == f"xcloud {version}\n"


def test_shell_completion_is_offered() -> None:
    result = run("--help")
    assert "--install-completion" in result.output and "--show-completion" in result.output


def test_license_file_matches_pyproject() -> None:
    import tomllib

    root = Path(__file__).parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["license"] == "Apache-2.0" and project["license-files"] == ["LICENSE"]
    text = (root / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert (root / "CHANGELOG.md").read_text().startswith("# Changelog")
