"""`xcloud graph`: Mermaid and DOT match reviewed golden files; PNG/SVG come from Graphviz."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xcloud_iac.cli import app
from xcloud_iac.plan.graph import node_id, picture, to_mermaid
from xcloud_iac.spec import load
from xcloud_iac.topology import build

ROOT = Path(__file__).parents[2]
GOLDEN = Path(__file__).parent / "golden"
NAMES = ["dr-pair", "cloud-wan", "alibaba-tencent"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("fmt, suffix", [("mermaid", "mmd"), ("dot", "dot")])
def test_graph_matches_golden(name: str, fmt: str, suffix: str) -> None:
    result = CliRunner().invoke(app, ["graph", str(ROOT / "stacks" / f"{name}.yaml"), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.output == (GOLDEN / f"{name}.{suffix}").read_text()


def test_shapes_differ_by_kind_and_fills_by_cloud() -> None:
    text = to_mermaid(picture(build(load(ROOT / "stacks" / "alibaba-tencent.yaml"))))
    assert '  network_ali_prod["ali-prod' in text  # rectangle
    assert '  hub_tgw_apse1{{"tgw-apse1' in text  # hexagon
    assert '  link_ali_dx[/"ali-dx' in text  # parallelogram
    assert '  resolver_ali_pvtz(("ali-pvtz"))' in text  # circle
    assert '  issuer_alibaba_ack[/"alibaba-ack' in text and '"\\]' in text  # trapezoid
    assert '  role_ali_ledger_sync[["ali-ledger-sync"]]' in text  # subroutine
    classes = {line.rsplit(" ", 1)[1]: line for line in text.splitlines() if line.startswith("  class ")}
    assert "network_ali_prod" in classes["alibaba"] and "issuer_alibaba_ack" in classes["alibaba"]
    assert "network_tencent_prod" in classes["tencent"] and "hub_tgw_apse1" in classes["aws"]


def test_highlight_marks_changed_nodes() -> None:
    pic = picture(build(load(ROOT / "stacks" / "dr-pair.yaml")))
    text = to_mermaid(pic, {node_id("network", "gcp-dr"): "changed", node_id("role", "gke-orders-reader"): "added"})
    assert "  class role_gke_orders_reader added" in text
    assert "  class network_gcp_dr changed" in text


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed (.ci/run installs it)")
def test_png_and_svg_through_graphviz(tmp_path: Path) -> None:
    png = tmp_path / "g.png"
    result = CliRunner().invoke(app, ["graph", str(ROOT / "stacks" / "dr-pair.yaml"), "-f", "png", "-o", str(png)])
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = CliRunner().invoke(app, ["graph", str(ROOT / "stacks" / "dr-pair.yaml"), "-f", "svg"])
    assert "<svg" in svg.output and "Transit Gateway" in svg.output


def test_graph_of_bad_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [\n")
    result = CliRunner().invoke(app, ["graph", str(bad)])
    assert result.exit_code == 2 and "malformed YAML" in result.output
