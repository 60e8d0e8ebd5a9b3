"""The HTML report's first screen without a browser: the ranked table (baselines inline and marked,
bootstrap intervals, paired tests against the best system and each baseline, analyses' headline
values), the chart's value axis, the untinted zero cells of the map, the wide per-document table's
block and a drill-down of every document. (tests/test_html_browser.py opens the page in Chromium.)"""

from __future__ import annotations

import html
import json
import re

import pytest

from harness import Corpus, Settings, evaluate
from harness.render import drilldown as drill
from harness.render.html import render_html
from harness.render.html_ranking import paired_tests
from harness.stats.bootstrap import add_intervals
from harness.stats.resampling import Resampling

# Eight documents with the same reference; with --unit char every character is a token.
REF = "猫吃鱼狗跑鸟飞走"
DOCS = {f"d{i}": REF for i in range(1, 9)}
SOURCES = {d: REF + "。马牛羊。" for d in DOCS}  # lead-1 picks exactly the reference


def corpus() -> Corpus:
    return Corpus.from_texts(DOCS, {
        "good": dict(DOCS),                                   # F 1 everywhere
        "half": {d: REF[:4] for d in DOCS},                   # P 1, R 1/2: F 2/3 everywhere (R-1 and R-L)
        "growing": {f"d{i}": REF[:i] for i in range(1, 9)},  # P 1, R i/8: F 2i/(8+i)
        "bad": dict.fromkeys(DOCS, "马牛羊"),                 # no shared character: F 0
    }, sources=SOURCES)


@pytest.fixture(scope="module")
def page() -> str:
    c, settings = corpus(), Settings(unit="char")
    ev = add_intervals(evaluate(c, settings, baselines="lead-1"), Resampling(1000, seed=7, option="--bootstrap"))
    return render_html(ev, c, settings)


def rows(page: str, table_id: str) -> list[list[str]]:
    """The text of each body cell of the table with id `table_id`, row by row (tags stripped)."""
    body = page.split(f'id="{table_id}"', 1)[1].split("</tbody>", 1)[0].split("<tbody>", 1)[1]
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)]


def growing_mean() -> float:
    return sum(2 * i / (8 + i) for i in range(1, 9)) / 8  # 0.674..., by the formula above


def test_ranked_table_ranks_baselines_among_systems(page):
    table = rows(page, "ranked")
    # R-L F by hand: good 1, lead-1 (source) 1 (tied: by name), growing 0.6743, half 2/3, bad 0.
    assert [r[1] for r in table] == ["good", "lead-1 (source) baseline", "growing", "half", "bad"]
    assert [r[0] for r in table] == ["1", "2", "3", "4", "5"]
    assert table[2][2].startswith(f"{100 * growing_mean():.2f} [")
    # half scores 2/3 on every document, so every resample's mean is 2/3: the interval is a point.
    assert table[3][2] == "66.67 [66.67, 66.67]"
    assert re.search(r'<tr class="baseline" data-system="lead-1 \(source\)">', page)


def test_paired_tests_against_the_best_and_each_baseline(page):
    table = rows(page, "ranked")
    heads = re.findall(r'<th scope="col">(.*?)</th>', page.split('id="ranked"', 1)[1].split("</thead>", 1)[0])
    heads = [re.sub(r"</?bdi>", "", h) for h in heads]  # names in headers are isolated (<bdi>)
    best, base = heads.index("vs best: good"), heads.index("vs lead-1 (source)")
    assert base == best + 1
    good, lead, growing, half, bad = table
    assert good[best] == "—" and lead[base] == "—"  # a row against itself
    # good and lead-1 are the same on every document: difference 0, never significant (p = 1).
    assert good[base] == "+0.00 n.s. (p 1.000)" and lead[best] == "+0.00 n.s. (p 1.000)"
    # half is 1/3 below good on every one of 8 documents: of the 2^8 sign patterns only the observed
    # one and its mirror are as extreme, exact p = 2/256 = 0.0078 < 0.05, so significantly lower.
    assert half[best].startswith("▼ −33.33 p 0.0")
    assert bad[best].startswith("▼ −100.00 p") and bad[base].startswith("▼ −100.00 p")
    # growing is below good on d1-d7 and equal on d8: the patterns as extreme are the observed signs and
    # their mirror, each with d8 either way: 4 of 256, p = 0.0156, significant; 100 - 67.43 = 32.57 points.
    assert growing[best].startswith(f"▼ −{100 - 100 * growing_mean():.2f} p 0.0")
    tests = paired_tests(add_intervals(evaluate(corpus(), Settings(unit="char"), baselines="lead-1"),
                                       Resampling(1000, seed=7, option="--bootstrap")))
    p = tests.found[("half", "good")].p_permutation
    assert p is not None and abs(p - 2 / 256) < 0.01
    note = page.split('id="ranked-note">', 1)[1].split("</p>", 1)[0]
    assert "paired approximate randomization test (1000 trials, seed 7)" in note
    assert "95% bootstrap interval (1000 resamples of the 8 documents, seed 7)" in note


def test_without_intervals_the_page_says_how_to_get_them():
    c, settings = corpus(), Settings(unit="char")
    page = render_html(evaluate(c, settings, baselines="lead-1"), c, settings)
    table = rows(page, "ranked")
    assert table[3][:3] == ["4", "half", "66.67"]  # no interval, no vs columns
    assert len(table[3]) == len(rows(page, "ranked")[0]) and "vs best" not in page
    assert "run with --bootstrap 1000" in page


def test_the_chart_has_a_value_axis(page):
    chart = page.split('<svg class="chart" data-metric="rougeL"', 1)[1].split("</svg>", 1)[0]
    # The top bar is F 100, so the axis runs to 100 in steps of 20.
    assert re.findall(r'<text class="tick"[^>]*>(\d+)</text>', chart) == ["0", "20", "40", "60", "80", "100"]
    assert 'data-top="100"' in chart


def test_facts_precision_comes_through_the_registry():
    # a states 2024年 and 5%, both in the source: precision 1; b states 1999年 (not in the source) and
    # 5%: one of two supported, 0.5.
    c = Corpus.from_texts({"d1": "今年营收增长了百分之五"}, {"a": {"d1": "2024年营收增长5%"}, "b": {"d1": "1999年营收增长5%"}},
                          sources={"d1": "2024年公司营收增长5%。"})
    page = render_html(evaluate(c, Settings()), c, Settings())
    assert "<th scope=\"col\">Facts precision</th>" in page
    assert {r[1]: r[-1] for r in rows(page, "ranked")} == {"a": "100.0", "b": "50.0"}


def test_zero_cells_of_the_map_are_not_tinted():
    # With an off-topic text, a summary sharing no bigram with it has share 0.0: shown, not tinted.
    c = Corpus.from_texts({"d1": "猫吃鱼。"}, {"clean": {"d1": "猫吃鱼。"}, "noisy": {"d1": "股市大涨了。"}},
                          offtopic={"d1": "股市大涨了。"})
    page = render_html(evaluate(c, Settings()), c, Settings())
    heat = page.split('id="heatmap"', 1)[1].split("</table>", 1)[0]
    cells = dict(re.findall(r'<td class="name"><bdi>([a-z]+)</bdi></td><td class="heat"([^>]*)>', heat))
    assert cells["clean"] == "" and "background" in cells["noisy"]


def test_per_document_block_is_wide_with_baselines_last(page):
    block = json.loads(re.search(r'id="doc-scores">(.*?)</script>', page, re.S).group(1))
    assert block["systems"] == ["good", "growing", "half", "bad", "lead-1 (source)"]
    assert block["baseline"] == [False, False, False, False, True]
    assert block["headers"][:4] == ["R-1 F", "R-2 F", "R-L F", "R-Lsum F"] and block["shown"] == 2
    # growing on d3: P 1, R 3/8, F 2*3/11 = 6/11.
    assert block["values"][1][2][2] == round(6 / 11, 5)


def test_the_drilldown_covers_every_document(page, monkeypatch):
    index = json.loads(re.search(r'id="drill-index">(.*?)</script>', page, re.S).group(1))
    assert index["documents"] == list(DOCS)  # all 8, not a first few
    assert "Only the first" not in page
    # Past the pair budget, the first documents that fit: 4 submitted systems, budget 12 -> 3 documents.
    monkeypatch.setattr(drill, "DRILL_PAIR_CAP", 12)
    c, settings = corpus(), Settings(unit="char")
    small = render_html(evaluate(c, settings), c, settings)
    assert "Only the first 3 of 8 documents" in small
