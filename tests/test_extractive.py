"""Baselines computed from the source (--baselines): lead-N, the greedy oracle, their rows in
every output, and the gate leaving them alone."""

from __future__ import annotations

import json
from collections import Counter
from itertools import chain
from pathlib import Path

import pytest

import harness
from harness.analyses.extractive import lead, oracle, oracle_value, parse_baselines, source_sentences
from harness.errors import InputError
from harness.inputs.corpus import Corpus
from harness.run.pipeline import evaluate
from harness.text.analysed import AnalysedText

REPO = Path(__file__).resolve().parents[1]
DOC = "ai-open-source"


def test_parse_baselines():
    assert parse_baselines("lead-3, oracle,lead-3") == ("lead-3", "oracle")
    assert parse_baselines(["lead-10"]) == ("lead-10",)
    for bad in ("lead-0", "lead3", "oracle-2", "first-3"):
        with pytest.raises(InputError, match=f"--baselines {bad}: unknown baseline"):
            parse_baselines(bad)


def test_lead_skips_offtopic_lines():
    # Header line and a pasted item are off-topic; the body has three sentences on two lines.
    source = "来源:某网站\n第一句。第二句！\n广告一则。\n第三句？\n"
    noise = "来源:某网站\n广告一则。\n"
    sentences = source_sentences(source, noise)
    assert sentences == ["第一句。", "第二句!", "第三句?"]  # normalised: ！ and ？ become ASCII
    assert lead(sentences, 2) == "第一句。\n第二句!"
    # Without the off-topic text the header is the first sentence.
    assert source_sentences(source)[:2] == ["来源:某网站", "第一句。"]


def _unit_f(ref: list[str], cand: list[str], n: int) -> float:
    """ROUGE-N F by hand: clipped n-gram overlap over each side's n-gram count."""
    r = Counter(zip(*(ref[k:] for k in range(n)), strict=False))
    c = Counter(zip(*(cand[k:] for k in range(n)), strict=False))
    hits = sum((r & c).values())
    if not hits:
        return 0.0
    p, q = hits / sum(c.values()), hits / sum(r.values())
    return 2 * p * q / (p + q)


def _greedy_by_hand(sentences: list[list[str]], ref: list[str]) -> list[int]:
    """A second greedy oracle, sharing no code with harness: mean of R-1 and R-2 F, strict gain."""
    chosen: list[int] = []
    value = 0.0
    while True:
        gains = []
        for i in range(len(sentences)):
            if i not in chosen:
                cand = list(chain.from_iterable(sentences[k] for k in sorted([*chosen, i])))
                gains.append(((_unit_f(ref, cand, 1) + _unit_f(ref, cand, 2)) / 2, -i))
        if not gains or max(gains)[0] <= value:
            return chosen
        value, minus_i = max(gains)
        chosen = sorted([*chosen, -minus_i])


def test_oracle_on_hand_made_sentences():
    # Reference 猫 吃 鱼 然后 睡觉. Sentence 1 (猫 吃 鱼) alone: R-1 F = 2*1*0.6/1.6 = 0.75,
    # R-2 F = 2*1*0.5/1.5 = 2/3. Adding sentence 3 (然后 睡觉) makes the whole reference: 1.0.
    # Sentence 0 (狗 跑) and the repeat of sentence 1 (index 4) only lower precision.
    ref = ["猫", "吃", "鱼", "然后", "睡觉"]
    sentences = [("狗", "跑"), ("猫", "吃", "鱼"), ("鸟", "飞"), ("然后", "睡觉"), ("猫", "吃", "鱼")]
    target = AnalysedText((tuple(ref),))
    assert oracle(sentences, [target]) == [1, 3]
    assert oracle_value([sentences[1]], [target], "best") == (0.75 + 2 / 3) / 2
    assert oracle(sentences, [target]) == _greedy_by_hand([list(s) for s in sentences], ref)
    # Ties go to the earliest sentence: 1 and 4 are equal, 1 is picked first.
    assert oracle([sentences[1], sentences[4]], [target]) == [0]
    assert oracle([("狗",)], [target]) == []  # nothing raises the score: empty


@pytest.fixture(scope="module")
def shipped_corpus():
    return harness.load_corpus(REPO / "references", REPO / "candidates", offtopic=REPO / "offtopic", sources=REPO / "sources")


@pytest.fixture(scope="module")
def shipped_rows(shipped_corpus):
    return evaluate(shipped_corpus, baselines="lead-3,lead-5,oracle")


def test_computed_lead5_is_the_shipped_lead3(shipped_rows):
    # The shipped lead-3 is the article's first three body *lines*, which hold five sentences
    # (line 3 and line 4 have two each), so the computed lead-5 scores exactly like it, and the
    # computed lead-3 is its first three sentences.
    systems = {s.name: s for s in shipped_rows.systems}
    assert systems["lead-5 (source)"].scores == systems["lead-3"].scores
    assert systems["lead-5 (source)"].baseline and not systems["lead-3"].baseline
    assert systems["lead-3 (source)"].scores != systems["lead-3"].scores


def test_oracle_row_is_the_greedy_choice_on_the_shipped_article(shipped_corpus, shipped_rows):
    # The row's are the scores of the greedy choice, re-made here with an independent
    # greedy (the hand-written one above) on the harness's sentence tokens against each
    # reference, keeping the best reference per metric as --multiref best does.
    processor = harness.Settings().processor()
    sentences = source_sentences(shipped_corpus.sources[DOC], shipped_corpus.offtopic[DOC])
    tokens = [tuple(chain.from_iterable(processor.sentences(s))) for s in sentences]
    tokens = [t for t in tokens if t]
    refs = [processor.analyze(t) for t in shipped_corpus.references[DOC].values()]
    picked = oracle(tokens, refs)
    assert len(picked) >= 2
    row = next(s for s in shipped_rows.systems if s.name == "oracle (source)")
    assert (row.scores["rouge1"].fmeasure + row.scores["rouge2"].fmeasure) / 2 == pytest.approx(
        oracle_value([tokens[i] for i in picked], refs, "best"), abs=1e-12
    )
    # With one reference, the harness greedy and the hand-written one pick the same sentences.
    one = list(refs[0].tokens)
    assert oracle(tokens, refs[:1]) == _greedy_by_hand([list(t) for t in tokens], one)


def test_baselines_change_no_submitted_score(shipped_corpus, shipped_rows):
    plain = evaluate(shipped_corpus)
    with_rows = {s.name: s.scores for s in shipped_rows.systems if not s.baseline}
    assert with_rows == {s.name: s.scores for s in plain.systems}
    assert plain.signature == shipped_rows.signature


def test_baselines_need_every_source_and_a_free_name():
    corpus = Corpus.from_texts({"d1": "猫吃鱼", "d2": "狗"}, {"s": {"d1": "猫", "d2": "狗"}}, sources={"d1": "猫吃鱼。"})
    with pytest.raises(InputError, match=r"needs the source of every document .* none for 'd2'"):
        evaluate(corpus, baselines="lead-1")
    # A submitted system may not bear or imitate a row's name, with --baselines or without: a baseline
    # file holding one (written by --update-baseline) was refused by every later check.
    for name in ("oracle (source)", "lead-7 (source)", "Oracle (Source)", "lead-3 (source)\u00a0"):
        corpus = Corpus.from_texts({"d1": "猫吃鱼"}, {name: {"d1": "猫"}}, sources={"d1": "猫吃鱼。"})
        for baselines in ("oracle", ""):
            with pytest.raises(InputError, match="a name reserved for --baselines rows"):
                evaluate(corpus, baselines=baselines)


def test_parallel_runs_give_the_same_rows(cli_run, cli_files):
    # Two documents, so --jobs 2 really spreads them; the JSON must be the same bytes.
    cli_files({
        "references/d1/r.txt": "猫吃鱼。然后睡觉。", "references/d2/r.txt": "狗在院子里跑。",
        "candidates/s/d1.txt": "猫吃鱼。", "candidates/s/d2.txt": "狗跑。",
        "sources/d1.txt": "今天天气好。猫吃鱼。猫然后睡觉。", "sources/d2.txt": "狗在院子里跑。鸟飞。",
    })
    runs = [cli_run("score", "--no-config", "--no-cache", "--jobs", j, "--format", "json", "--baselines", "lead-1,oracle")
            for j in ("1", "2")]
    assert runs[0].exit_code == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    rows = {s["name"]: s for s in json.loads(runs[0].stdout)["systems"]}
    assert rows["oracle (source)"]["baseline"] is True and "baseline" not in rows["s"]
    # d1's oracle is 猫吃鱼。 + 猫然后睡觉。 (each raises the score), d2's the reference itself.
    assert rows["oracle (source)"]["documents"]["d2"]["rouge1"]["fmeasure"] == 1.0
    assert rows["s"]["stats"]["d2"]["tokens"] == 2  # 狗 跑


def test_cli_rows_marked_in_table_csv_and_json(cli_run, cli_files):
    cli_files({
        "references/d1/r.txt": "猫吃鱼。", "candidates/s/d1.txt": "猫吃鱼。", "sources/d1.txt": "猫吃鱼。狗跑。",
    })
    table = cli_run("score", "--no-config", "--baselines", "lead-1", "--stats")
    assert table.exit_code == 0, table.stderr
    assert "lead-1 (source) *" in table.stdout and "* computed from the sources by --baselines" in table.stdout
    assert "Density" in table.stdout
    csv = cli_run("score", "--no-config", "--baselines", "lead-1", "--format", "csv")
    lines = csv.stdout.splitlines()
    assert lines[0].endswith(",baseline") and lines[1].startswith("lead-1 (source),") and lines[1].endswith(",true")
    plain = cli_run("score", "--no-config", "--format", "csv")
    assert not plain.stdout.splitlines()[0].endswith(",baseline")
    # The stats of a candidate equal to the source's first sentence: 猫 吃 鱼 of 猫 吃 鱼 狗 跑.
    data = json.loads(cli_run("score", "--no-config", "--format", "json").stdout)
    assert data["systems"][0]["stats"]["d1"] == {
        "tokens": 3, "chars": 4, "compression": 5 / 3, "novel_unigrams": 0.0, "novel_bigrams": 0.0,
        "coverage": 1.0, "density": 3.0,
    }


def test_cli_refusals(cli_run, cli_files):
    cli_files({"references/d1/r.txt": "猫吃鱼。", "candidates/s/d1.txt": "猫。"})
    missing = cli_run("score", "--no-config", "--baselines", "lead-3")
    assert missing.exit_code == 2 and "needs the source of every document" in missing.stderr
    bad = cli_run("score", "--no-config", "--baselines", "tail-3")
    assert bad.exit_code == 2 and "--baselines tail-3: unknown baseline" in bad.stderr
    cli_files({"sources/d9.txt": "狗。"})
    unknown = cli_run("score", "--no-config")
    assert unknown.exit_code == 2 and "source for unknown document 'd9'" in unknown.stderr


def test_check_never_gates_computed_rows(cli_run, cli_files):
    cli_files({
        "references/d1/r.txt": "猫吃鱼。", "candidates/s/d1.txt": "猫吃鱼。", "sources/d1.txt": "狗跑。猫吃鱼。",
    })
    wrote = cli_run("check", "--no-config", "--update-baseline", "--baselines", "lead-1")
    assert wrote.exit_code == 0, wrote.stderr
    stored = json.loads(Path("baseline.json").read_text(encoding="utf-8"))
    assert [(s["name"], s.get("baseline")) for s in stored["systems"]] == [("s", None), ("lead-1 (source)", True)]
    # Gating: the stored row is ignored (not "missing"), and --baselines computes nothing new.
    gated = cli_run("check", "--no-config", "--baselines", "lead-1")
    assert gated.exit_code == 0, gated.stdout + gated.stderr
    assert "lead-1 (source)" not in gated.stdout and "PASSED" in gated.stdout
