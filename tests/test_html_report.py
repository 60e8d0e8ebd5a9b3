"""The HTML report without a browser: drill-down marks on hand-made token lists, escaping, the
embedded JSON contract, the ranking chart's bars, the verdict's order, and the CLI wiring.
(tests/test_html_browser.py opens the page in Chromium.)"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from harness import Corpus, Settings, evaluate
from harness.render.drilldown import clipped_bigrams, clipped_unigrams, drilldown, lcs_positions, pair_marks
from harness.render.html import render_html
from harness.render.table import to_json_obj

EVIL = "<script>alert(1)</script>"


def embedded(page: str, element_id: str) -> object:
    """The JSON inside <script type="application/json" id=ELEMENT_ID>, read back as a tool would."""
    found = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', page, re.S)
    assert found is not None, element_id
    return json.loads(found.group(1))


class _Bars(HTMLParser):
    """Collects, per chart (svg data-metric), the data-system of each bar row in page order."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, list[str]] = {}
        self.current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "svg" and "data-metric" in a:
            self.current = a["data-metric"]
            self.charts[self.current] = []
        elif tag == "g" and self.current and (a.get("class") or "").split()[:1] == ["row"]:
            self.charts[self.current].append(a["data-system"] or "")


def test_marks_hand_computed():
    # Candidate 鱼 猫 吃 against reference 猫 吃 鱼: every token is a unigram hit; the only shared
    # bigram is 猫吃 (candidate positions 1, 2; reference 0, 1); the ordered pairs of the
    # candidate (鱼猫, 鱼吃, 猫吃) and of the reference (猫吃, 猫鱼, 吃鱼) share only 猫吃, so it is the LCS.
    marks = pair_marks(["猫", "吃", "鱼"], ["鱼", "猫", "吃"])
    assert marks == {"c1": [0, 1, 2], "r1": [0, 1, 2], "c2": [1, 2], "r2": [0, 1], "cl": [1, 2], "rl": [0, 1]}


def test_lcs_and_bigrams_differ():
    # a x b y c against a b c: no candidate bigram (ax, xb, by, yc) is in the reference, while
    # the LCS is a b c, at candidate positions 0, 2, 4.
    assert clipped_bigrams(["a", "x", "b", "y", "c"], ["a", "b", "c"]) == []
    assert lcs_positions(["a", "b", "c"], ["a", "x", "b", "y", "c"]) == ([0, 2, 4], [0, 1, 2])


def test_marks_are_clipped():
    # The reference has 猫 once and the bigram a b once: only the first occurrence matches.
    assert clipped_unigrams(["猫", "猫"], ["猫"]) == [0]
    assert clipped_bigrams(["a", "b", "a", "b"], ["a", "b"]) == [0, 1]


@pytest.fixture(scope="module")
def evil():
    """A corpus whose system name and summary hold markup, and its evaluation."""
    corpus = Corpus.from_texts({"d1": "猫吃鱼。"}, {EVIL: {"d1": f"猫吃鱼。{EVIL}"}, "plain": {"d1": "狗跑。"}})
    settings = Settings()
    return corpus, settings, evaluate(corpus, settings)


def test_markup_in_names_and_texts_is_escaped(evil):
    corpus, settings, ev = evil
    page = render_html(ev, corpus, settings)
    # Our own script elements are the only ones: the JSON blocks, and the page's script.
    assert page.count("<script") == page.count('<script type="application/json"') + 1
    assert "alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the name, as text, in chart and heat map
    # The drill-down block still holds the summary's tokens, escaped only as JSON \u escapes.
    drill = embedded(page, "drill-0")
    assert EVIL in drill["systems"]


def test_contract_is_embedded(evil):
    corpus, settings, ev = evil
    page = render_html(ev, corpus, settings)
    # Read back from the page, it is the very object the JSON format prints.
    assert embedded(page, "harness-contract") == to_json_obj(ev)


def test_one_bar_per_system_in_rank_order(evil):
    corpus, settings, ev = evil
    parser = _Bars()
    parser.feed(render_html(ev, corpus, settings))
    # 猫吃鱼 scores F 1 on every metric against itself (plus the markup's tokens, still above 0);
    # 狗跑 shares no token: 0. So the markup system ranks first in every chart.
    assert list(parser.charts) == list(ev.metrics)
    for bars in parser.charts.values():
        assert bars == [EVIL, "plain"]  # the parser unescapes attribute values


def test_large_runs_embed_a_smaller_contract(evil, monkeypatch):
    from harness.render import html as html_report

    corpus, settings, ev = evil
    monkeypatch.setattr(html_report, "CONTRACT_PAIR_CAP", 1)  # 2 systems x 1 document is past it
    page = render_html(ev, corpus, settings)
    embedded_contract = embedded(page, "harness-contract")
    full = to_json_obj(ev)
    assert embedded_contract["per_document_omitted"] is True
    assert [s["scores"] for s in embedded_contract["systems"]] == [s["scores"] for s in full["systems"]]
    assert all("documents" not in s for s in embedded_contract["systems"])
    # The table's own block still has every system and document (F rounded to 5 decimals).
    table = embedded(page, "doc-scores")
    assert table["values"][0][0][0] == round(full["systems"][0]["documents"]["d1"]["rouge1"]["fmeasure"], 5)


def test_warnings_are_capped(evil, monkeypatch):
    from dataclasses import replace

    from harness.render import html as html_report

    corpus, settings, ev = evil
    monkeypatch.setattr(html_report, "WARNING_CAP", 2)
    page = render_html(replace(ev, warnings=["w1", "w2", "w3", "w4"]), corpus, settings)
    assert "<li>w2</li>" in page and "<li>w3</li>" not in page and "and 2 more" in page


def test_drilldown_cap():
    refs = {f"d{i}": "猫吃鱼。" for i in range(3)}
    corpus = Corpus.from_texts(refs, {"s": dict.fromkeys(refs, "猫吃肉。")})
    settings = Settings()
    ev = evaluate(corpus, settings)
    assert [d["document"] for d in drilldown(ev, corpus, settings, cap=2)] == ["d0", "d1"]
    page = render_html(ev, corpus, settings, drill_cap=2)
    assert "Only the first 2 of 3 documents" in page


def test_report_command(cli_run, cli_corpus):
    result = cli_run("report", "--html", "out.html", "--no-cache", "-j", "1")
    assert result.exit_code == 0, result.stderr
    page = (cli_corpus / "out.html").read_text(encoding="utf-8")
    contract = embedded(page, "harness-contract")
    # good is identical to the reference (F 1), half has F 4/7 on ROUGE-1 (conftest's CLI_TINY), bad 0.
    assert [s["name"] for s in contract["systems"]] == ["good", "half", "bad"]
    assert contract["systems"][1]["scores"]["rouge1"]["fmeasure"] == pytest.approx(4 / 7)
    # The drill-down of half on d1: 猫 吃 肉 了 against 猫 吃 鱼 marks 猫 吃 everywhere.
    half = embedded(page, "drill-0")["systems"]["half"]
    assert half["tokens"] == ["猫", "吃", "肉", "了"]
    assert half["marks"][0] == {"c1": [0, 1], "r1": [0, 1], "c2": [0, 1], "r2": [0, 1], "cl": [0, 1], "rl": [0, 1]}


def test_score_format_html_is_the_same_page(cli_run, cli_corpus):
    assert cli_run("report", "--html", "a.html", "--no-cache", "-j", "1").exit_code == 0
    assert cli_run("score", "--format", "html", "-o", "b.html", "--no-cache", "-j", "1").exit_code == 0
    assert (cli_corpus / "a.html").read_bytes() == (cli_corpus / "b.html").read_bytes()


def test_report_check_puts_failing_rows_first(cli_run, cli_corpus):
    assert cli_run("check", "--update-baseline", "--no-cache", "-j", "1").exit_code == 0
    # good falls from F 1 to 0 on every metric: its rows regress; half and bad stay ok.
    (cli_corpus / "candidates" / "good" / "d1.txt").write_text("狗 跑\n", encoding="utf-8")
    result = cli_run("report", "--html", "out.html", "--check", "--no-cache", "-j", "1")
    assert result.exit_code == 0  # a report, not a gate: the verdict is shown, the exit is 0
    page = (cli_corpus / "out.html").read_text(encoding="utf-8")
    table = page.split('id="verdict-table"', 1)[1].split("</table>", 1)[0]
    statuses = re.findall(r'<td class="status-([a-z-]+)">', table)
    assert statuses == ["regressed"] * 4 + ["ok"] * 8
    assert "Gate: FAILED" in page


def test_report_check_names_the_baseline_file_in_its_errors(cli_run, cli_corpus):
    # The gate's errors in `report --check` named "<baseline>" (the parsed file was passed on),
    # where `check` names the file: both now say which file, as `check` does.
    assert cli_run("check", "--update-baseline", "--baseline", "mine.json", "--no-cache", "-j", "1").exit_code == 0
    for command in (["report", "--html", "out.html", "--check"], ["check"]):
        result = cli_run(*command, "--baseline", "mine.json", "--unit", "char", "--no-cache", "-j", "1")
        assert result.exit_code == 3, result.stderr
        assert result.stderr.startswith("Error: mine.json: baseline was made with other settings"), result.stderr
    assert not (cli_corpus / "out.html").exists()


def test_whiskers_and_baselines_in_the_ranking():
    # Replaces test_whiskers_and_baselines_apart: --baselines rows are no longer drawn grey below a rule,
    # they are ranked among the systems and marked (issue 18, section 3).
    from harness.stats.bootstrap import add_intervals
    from harness.stats.resampling import Resampling

    docs = {"d1": "猫吃鱼。狗跑了。", "d2": "鸟飞走。鱼游泳。", "d3": "马吃草。牛喝水。"}
    corpus = Corpus.from_texts(
        docs, {"a": {d: t.split("。")[0] for d, t in docs.items()}, "b": dict.fromkeys(docs, "狗跑。")}, sources=docs
    )
    settings = Settings()
    ev = add_intervals(evaluate(corpus, settings, baselines="lead-1"), Resampling(100, seed=1, option="--bootstrap"))
    page = render_html(ev, corpus, settings)
    parser = _Bars()
    parser.feed(page)
    # a is each document's first sentence, exactly what lead-1 picks: both F 1 on every metric, tied, so
    # ranked by name (a before "lead-1 (source)"); b (狗跑, in one document only) is below both.
    assert parser.charts == {key: ["a", "lead-1 (source)", "b"] for key in ev.metrics}
    charts = page.split('<svg class="chart"')[1:]
    assert len(charts) == len(ev.metrics)
    for chart in charts:
        assert chart.count('class="whisker"') == 3  # one per row
        # The baseline's bar, second of three, is marked by its class and a ◆ after its label.
        bars = re.findall(r'<rect class="(bar[a-z ]*)"', chart)
        assert bars == ["bar", "bar baseline", "bar"]
        assert "lead-1 (source) ◆" in chart
    without = render_html(evaluate(corpus, settings), corpus, settings)
    assert 'class="whisker"' not in without and 'class="bar baseline"' not in without
