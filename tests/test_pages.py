"""`transcripts report` and `transcripts show`: the pages hold what they promise, open offline,
and render in headless Chromium without errors."""
import os
import re

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

from browser import chromium, open_page, png_info
from conftest import HELSINKI

runner = CliRunner()


@pytest.fixture(scope="module")
def pages(corpus_tables, tmp_path_factory):
    out, _ = corpus_tables
    tmp = tmp_path_factory.mktemp("pages")
    res = runner.invoke(app, ["report", str(out), "--out", str(tmp / "report.html")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["show", str(HELSINKI), "--out", str(tmp / "show.html")])
    assert res.exit_code == 0, res.output
    return tmp / "report.html", tmp / "show.html"


def test_pages_are_self_contained(pages):
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "no CDN, no remote assets"
        assert "<script src" not in html


def test_report_sections(pages):
    html = pages[0].read_text(encoding="utf-8")
    for heading in ("Talk share per speaker", "Topics per speaker", "Topic timeline",
                    "Top entities per speaker", "Documents"):
        assert f"<h2>{heading}" in html
    assert html.count("<svg") >= 4  # bars, heatmap, one timeline per document
    assert "Vladimir Putin (official)" in html and "nord_stream_2" in html
    assert 'class="status-ok"' in html


def test_show_page(pages, corpus_tables):
    html = pages[1].read_text(encoding="utf-8")
    turns = corpus_tables[1]["turns"]
    n_turns = (turns.doc_id == "helsinki-2018-07-16-press-conference").sum()
    assert n_turns > 25 and html.count('<section class="turn"') == n_turns  # one per row
    assert "through translator" in html and "Narrator" in html
    assert '<mark class="entity"' in html and 'class="label">GPE<' in html
    assert 'class="badge topic">nord_stream_2<' in html
    assert "Helsinki" in html and "Putin" in html  # casing restored


def test_report_refuses_a_folder_without_tables(tmp_path):
    res = runner.invoke(app, ["report", str(tmp_path), "--out", str(tmp_path / "r.html")])
    assert res.exit_code == 2 and "[T205]" in res.output


@pytest.mark.skipif(chromium() is None and not os.environ.get("TRANSCRIPTS_REQUIRE_BROWSER"),
                    reason="chromium is not installed (CI installs it)")
@pytest.mark.parametrize("which", [0, 1])
def test_pages_render_in_chromium(pages, which, tmp_path):
    png = tmp_path / "page.png"
    dom, log = open_page(pages[which], png)
    assert re.search(r'data-rendered="(\d+) svg"', dom), "the page's load handler did not run"
    assert "Uncaught" not in log and "CONSOLE" not in log, log
    width, height, variety = png_info(png)
    assert (width, height) == (1280, 1800) and variety > 20  # not a blank page
