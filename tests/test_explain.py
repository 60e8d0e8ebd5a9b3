"""`harness explain`: marks computed by hand on a tiny corpus, plain and coloured."""

from __future__ import annotations

from harness.inputs.corpus import Corpus
from harness.inputs.themes import parse
from harness.render.explain import explain, render
from harness.rouge.settings import Settings


def _corpus() -> Corpus:
    # Words separated by "，" so jieba cuts there. Reference r2 (开源/模型/很快) shares 2 tokens with
    # the candidate (开源/模型/股票/价格), r1 (猫) none: r2 is the best reference. Off-topic bigrams
    # not in a reference: (股票,价格) (价格,上涨) -> 股票 and 价格 are marked off-topic.
    corpus = Corpus.from_texts({"d": {"r1": "猫", "r2": "开源，模型，很快"}}, {"s": {"d": "开源，模型，股票，价格"}},
                               offtopic={"d": "股票，价格，上涨"})
    corpus.themes = {"d": parse("[甲]\n开源\n护城河\n", "t.txt")}
    return corpus


def test_plain_markers_by_hand():
    ex = explain(_corpus(), Settings(), "s")
    assert ex.reference == "r2"
    text = render(ex)
    assert "[开源] [模型] {股票} {价格}\n" in text
    assert "甲 1/2\n  covered: 开源\n  missed:  护城河\n" in text
    assert "\x1b[" not in text


def test_colour_marks_and_cli(cli_run, cli_files):
    text = render(explain(_corpus(), Settings(), "s", "d"), color=True)
    assert "\x1b[1;32m开源\x1b[0m \x1b[1;32m模型\x1b[0m \x1b[31m股票\x1b[0m" in text
    cli_files({"references/d/r.txt": "开源，模型，很快", "candidates/s/d.txt": "开源，股票",
               "themes/d.txt": "[甲]\n开源\n"})
    result = cli_run("explain", "--no-config", "s", "--no-color")
    assert result.exit_code == 0, result.stderr
    assert "[开源] 股票\n" in result.stdout and "甲 1/1" in result.stdout
    missing = cli_run("explain", "--no-config", "nobody")
    assert missing.exit_code == 2 and "no system 'nobody' (systems: s)" in missing.stderr
