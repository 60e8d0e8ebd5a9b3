"""The HTML report in a real browser: headless Chromium (Debian's `chromium`), driven by Playwright
for Python launched with that executable; no browser is downloaded.

One browser for the module; each test opens a page written to a temporary file. Skipped, saying
what is missing, without Playwright or Chromium; in CI (`CI=true`, where .ci/run installs both)
a missing piece fails instead, so the browser tests cannot silently stop running.
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from harness import Settings, evaluate
from harness.inputs.load import load_corpus
from harness.render.html import render_html

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
EVIL = "<script>alert(1)</script>"
# Chromium without a network: none of its background services may try to reach one.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _skip(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the browser tests: {reason}")
    pytest.skip(reason)


def _chromium() -> str | None:
    given = os.environ.get("HARNESS_CHROMIUM")
    if given:
        return given if os.path.isfile(given) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip("Playwright for Python is not installed (pip install -e '.[test]')")
    executable = _chromium()
    if executable is None:
        _skip("no Chromium executable (Debian: apt-get install chromium fonts-noto-cjk; or set HARNESS_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shipped():
    """The shipped corpus (off-topic texts and themes included), its settings and evaluation."""
    corpus = load_corpus(REPO / "references", [REPO / "candidates"], None, REPO / "offtopic", themes=REPO / "themes")
    settings = Settings()
    return corpus, settings, evaluate(corpus, settings)


@pytest.fixture(scope="module")
def verdict_page():
    """The first screen's corpus of tests/test_html_ranking.py (8 documents, --unit char, lead-1),
    with 1,000 bootstrap resamples."""
    from test_html_ranking import corpus

    from harness.stats.bootstrap import add_intervals
    from harness.stats.resampling import Resampling

    c, settings = corpus(), Settings(unit="char")
    ev = add_intervals(evaluate(c, settings, baselines="lead-1"), Resampling(1000, seed=7, option="--bootstrap"))
    return render_html(ev, c, settings)


class Opened:
    """A page opened from a file, with every console error, page error, request and dialog it caused."""

    def __init__(self, browser, html: str, folder: Path) -> None:
        path = folder / "report.html"
        path.write_text(html, encoding="utf-8")
        self.url = path.as_uri()
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(self.url)
        self.page.wait_for_load_state("load")

    def clean(self) -> bool:
        """No console error, no request but the file itself, no dialog."""
        return not self.errors and self.requests == [self.url] and not self.dialogs


@pytest.fixture
def open_page(browser, tmp_path):
    opened: list[Opened] = []

    def open_(html: str) -> Opened:
        opened.append(Opened(browser, html, tmp_path))
        return opened[-1]

    yield open_
    for o in opened:
        o.context.close()


def test_shipped_page_is_clean_and_complete(open_page, shipped):
    corpus, settings, ev = shipped
    o = open_page(render_html(ev, corpus, settings))
    assert o.clean(), (o.errors, o.requests, o.dialogs)
    page = o.page
    assert page.text_content("#signature") == ev.signature
    assert page.locator("#warnings li").count() == len(ev.warnings)
    assert page.locator("svg.chart").count() == len(ev.metrics)
    # The heat map: one row per system, the registered analyses' columns in registry order: Off-topic %,
    # then one column per theme of themes/ai-open-source.txt.
    assert page.locator("#heatmap tbody tr").count() == len(ev.systems)
    assert page.locator("#heatmap thead th").all_text_contents() == ["System", "Off-topic %", "开源威胁", "大厂困境",
                                                                     "Android 式商业化"]
    # The wide per-document table: one row per document, a column per system after the document's.
    assert page.locator("#doc-table tbody tr").count() == len(ev.documents)
    assert page.locator("#doc-table thead th").count() == 1 + len(ev.systems)
    assert page.locator("#ranked tbody tr").count() == len(ev.systems)
    assert page.locator("#drill-cand .tok").count() > 0


def test_a_fetching_page_fails_the_check(open_page, shipped):
    # The detector itself: the same page with one image from the network is not clean (the
    # page's Content-Security-Policy blocks the load and Chromium reports it as a console error).
    corpus, settings, ev = shipped
    html = render_html(ev, corpus, settings).replace("</main>", '<img src="https://example.invalid/x.png"></main>')
    assert not open_page(html).clean()


def test_ranking_has_one_bar_per_system_in_rank_order(open_page, shipped):
    corpus, settings, ev = shipped
    page = open_page(render_html(ev, corpus, settings)).page
    ranked = [s.name for s in ev.systems]
    for metric in ev.metrics:
        chart = page.locator(f'svg.chart[data-metric="{metric}"]')
        assert [g.get_attribute("data-system") for g in chart.locator("g.row").all()] == ranked
        assert chart.locator("rect.bar").count() == len(ranked)
    # On the rank metric (R-L) the bars shrink down the chart: widths in rank order never grow.
    widths = [float(r.get_attribute("width")) for r in page.locator('svg.chart[data-metric="rougeL"] rect.bar').all()]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1]


def test_clicking_a_header_sorts(open_page, verdict_page):
    # Pinned the long table (a row per system and document) before; now one row per document.
    page = open_page(verdict_page).page
    assert page.locator("#doc-table thead th").all_text_contents() == [
        "Document", "good", "growing", "half", "bad", "lead-1 (source)"]  # baselines last
    assert page.locator("#doc-table thead th.baseline").all_text_contents() == ["lead-1 (source)"]
    header = page.locator("#doc-table thead th", has_text="growing")
    header.click()
    # growing states the first i characters of the 8 of the reference in document d<i>: its F rises
    # with i, so by growing, descending, the documents run d8 ... d1; the R-L F of d3 is 2*3/11.
    names = page.locator("#doc-table tbody tr td:first-child").all_text_contents()
    assert names == [f"d{i}" for i in range(8, 0, -1)]
    assert header.get_attribute("aria-sort") == "descending"
    assert page.locator("#doc-table tbody tr").nth(5).locator("td").nth(2).text_content() == f"{100 * 6 / 11:.2f}"
    header.click()
    assert page.locator("#doc-table tbody tr td:first-child").all_text_contents() == [f"d{i}" for i in range(1, 9)]


def test_first_screen_is_the_ranked_verdict(open_page, verdict_page):
    o = open_page(verdict_page)
    assert o.clean(), (o.errors, o.requests, o.dialogs)
    page = o.page
    table = page.locator("#ranked")
    # On the first screen (1200 x 900), above the warnings, map and per-document table.
    box = table.bounding_box()
    assert box is not None and box["y"] + box["height"] < 900
    rows = page.locator("#ranked tbody tr")
    # R-L F by hand: good 1 and lead-1 (source) 1 (tied, by name), growing mean of 2i/(8+i), half 2/3, bad 0.
    assert [rows.nth(i).get_attribute("data-system") for i in range(5)] == [
        "good", "lead-1 (source)", "growing", "half", "bad"]
    assert rows.nth(1).locator("td.name").inner_text() == "lead-1 (source) baseline"
    assert rows.nth(1).locator(".tag").inner_text() == "baseline" and rows.nth(1).get_attribute("class") == "baseline"
    # The interval beside the mean: half is 2/3 on every document, so every resample's mean is too.
    assert rows.nth(3).locator("td.rank").inner_text() == "66.67 [66.67, 66.67]"
    heads = page.locator("#ranked thead th").all_text_contents()
    assert "vs best: good" in heads and "vs lead-1 (source)" in heads
    # half against good: 1/3 lower on all 8 documents, exact permutation p = 2/2^8, significant.
    cell = rows.nth(3).locator("td").nth(heads.index("vs best: good"))
    assert cell.get_attribute("class") == "vs sig lower" and cell.inner_text().startswith("▼ −33.33")
    assert "approximate randomization" in page.locator("#ranked-note").inner_text()
    # The R-L chart has its axis, 0 to 100, inside the first screen's width.
    ticks = page.locator('svg.chart[data-metric="rougeL"] text.tick').all_text_contents()
    assert ticks == ["0", "20", "40", "60", "80", "100"]


def test_drilldown_pages_through_every_document(open_page, verdict_page):
    page = open_page(verdict_page).page
    assert page.locator("#drill-doc option").count() == 8
    for _ in range(7):
        page.click("#drill-next")
    assert page.locator("#drill-doc option:checked").text_content() == "d8"
    page.click("#drill-next")  # past the last: stays
    page.select_option("#drill-system", label="growing")
    assert page.locator("#drill-cand .tok").all_text_contents() == list("猫吃鱼狗跑鸟飞走")
    page.click("#drill-prev")
    assert page.locator("#drill-doc option:checked").text_content() == "d7"
    assert page.locator("#drill-cand .tok").all_text_contents() == list("猫吃鱼狗跑鸟飞")


def _lcs_length(a: list[str], b: list[str]) -> int:
    """The textbook dynamic programme, independent of harness.rouge.lcs."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
    return table[-1][-1]


def test_drilldown_marks_a_known_pair(open_page, shipped, ind):
    corpus, settings, ev = shipped
    page = open_page(render_html(ev, corpus, settings)).page
    page.select_option("#drill-system", label="first-theme-only")
    page.select_option("#drill-ref", label="ref-short")
    # Token lists from the independent jieba of conftest (normalise, cut, drop punctuation).
    cand = ind.word(ind.normalize(corpus.candidates["first-theme-only"]["ai-open-source"]))
    ref = ind.word(ind.normalize(corpus.references["ai-open-source"]["ref-short"]))
    spans = page.locator("#drill-cand .tok")
    assert spans.all_text_contents() == cand
    classes = [c.split() for c in spans.evaluate_all("els => els.map(e => e.className)")]
    # Unigram hits, clipped: each reference token used once, left to right.
    left = Counter(ref)
    expected = []
    for i, token in enumerate(cand):
        if left[token] > 0:
            left[token] -= 1
            expected.append(i)
    assert [i for i, c in enumerate(classes) if "u" in c] == expected
    # Bigram marks sit on tokens whose bigram with a neighbour is a reference bigram.
    ref_bigrams = set(pairwise(ref))
    for i, c in enumerate(classes):
        if "b" in c:
            assert (i > 0 and (cand[i - 1], cand[i]) in ref_bigrams) or (i + 1 < len(cand) and (cand[i], cand[i + 1]) in ref_bigrams)
    # The LCS: as long as the textbook one, and the same tokens, in order, on both sides.
    in_cand = [cand[i] for i, c in enumerate(classes) if "l" in c]
    ref_spans = page.locator("#drill-ref-text .tok")
    assert ref_spans.all_text_contents() == ref
    in_ref = [t for t, c in zip(ref, ref_spans.evaluate_all("els => els.map(e => e.className)"), strict=True) if " l" in c]
    assert in_cand == in_ref and len(in_cand) == _lcs_length(cand, ref) > 0


def test_markup_shows_as_text(open_page):
    from harness import Corpus

    corpus = Corpus.from_texts({"d1": "猫吃鱼。"}, {EVIL: {"d1": f"猫吃鱼。{EVIL}"}})
    settings = Settings()
    o = open_page(render_html(evaluate(corpus, settings), corpus, settings))
    assert o.clean(), (o.errors, o.requests, o.dialogs)  # no alert() ran
    assert o.page.locator('svg.chart[data-metric="rouge1"] g.row text').first.text_content() == EVIL[:23] + "…"
    # System names head the per-document table's columns now (one row per document).
    assert o.page.locator("#doc-table thead th").nth(1).text_content() == EVIL
    assert o.page.locator("#ranked tbody td.name").first.text_content() == EVIL
    assert "script" in o.page.locator("#drill-cand .tok").all_text_contents()


def _png_pixels(data: bytes) -> bytes:
    """The decompressed image data of a PNG (filter bytes included): enough to tell blank from not."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat = 8, b""
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        if kind == b"IDAT":
            idat += data[at + 8 : at + 8 + length]
        at += 12 + length
    return zlib.decompress(idat)


def test_screenshot_is_not_blank(open_page, shipped):
    corpus, settings, ev = shipped
    page = open_page(render_html(ev, corpus, settings)).page
    pixels = _png_pixels(page.screenshot())
    # A blank white page decompresses to 255s and a few filter bytes; text and bars give many values.
    assert len(set(pixels)) > 50
    blank = open_page("<!DOCTYPE html><html><body></body></html>").page
    assert len(set(_png_pixels(blank.screenshot()))) < 5  # the check can fail
