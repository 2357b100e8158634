"""docs/pull-requests.md shows the comment of a real `xcloud diff` run on docs/examples: regenerated here, so the
page cannot drift from what the command prints."""

from __future__ import annotations

import os
import re

import pytest
from typer.testing import CliRunner

from xcloud_iac.cli import app

from .support import GOLDEN, ROOT

PAGE = ROOT / "docs" / "pull-requests.md"
COMMAND = ["diff", "--base", "docs/examples/dr-pair-base.yaml", "docs/examples/dr-pair-head.yaml"]
BLOCK = re.compile(r"(<!-- BEGIN generated: xcloud (?P<command>[^\n]*) -->\n)(?P<body>.*?)(<!-- END generated -->)",
                   re.DOTALL)


def test_the_page_shows_what_xcloud_diff_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the command as written on the page, from the repository root
    result = CliRunner().invoke(app, COMMAND)
    assert result.exit_code == 1, result.output  # the change introduces error findings
    page = PAGE.read_text(encoding="utf-8")
    block = BLOCK.search(page)
    assert block and block["command"].split() == COMMAND
    if os.environ.get("XCLOUD_UPDATE_GOLDEN") == "1":
        page = page[: block.start("body")] + result.output + page[block.end("body"):]
        PAGE.write_text(page, encoding="utf-8")
        block = BLOCK.search(page)
    assert block["body"] == result.output, "docs/pull-requests.md is stale (XCLOUD_UPDATE_GOLDEN=1 rewrites it)"
    # the same text as the golden file, which is rendered in-process: both paths agree
    assert result.output == (GOLDEN / "diff-dr-pair.md").read_text(encoding="utf-8")
