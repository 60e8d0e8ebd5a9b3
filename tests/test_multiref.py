"""Multi-reference modes best-recall (ROUGE-1.5.5 -f B) and pooled (-f A), and the per-pair
counts they are made from. Every expected value is worked by hand in the comment next to it;
tests/test_perl_parity.py checks both modes against the Perl script itself."""

from __future__ import annotations

import json
from fractions import Fraction as Fr

import pytest

from harness import Scorer
from harness.rouge.multiref import combine_references
from harness.rouge.scoring import Counts, Score, fmeasure, pair_counts, score_pair
from harness.text.analysed import TextProcessor
from harness.text.tokenizers import make_tokenizer

CHAR = TextProcessor(make_tokenizer("char"))
METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum")


def counts(refs: dict[str, str], cand: str, metrics=METRICS) -> dict[str, dict[str, Counts]]:
    c = CHAR.analyze(cand)
    return {name: pair_counts(target=CHAR.analyze(r), prediction=c, metrics=metrics) for name, r in refs.items()}


def exact(p: Fr, r: Fr) -> Score:
    """The Score rouge-score's float operations give for exact P and R fractions p, r."""
    precision, recall = p.numerator / p.denominator, r.numerator / r.denominator
    return Score(precision, recall, fmeasure(precision, recall))


def test_readme_worked_example_every_mode():
    # jieba: candidate 苹果/香蕉 (the comma is dropped), references 苹果 and 苹果/香蕉/西瓜.
    # ROUGE-1 against a: 1 hit, P 1/2, R 1/1, F 2/3; against b: 2 hits, P 2/2, R 2/3, F 4/5.
    # best (highest F): b, F 0.8. best-recall (highest R): a, F 2/3.
    # pooled: hits 1+2 = 3, R 3/(1+3) = 3/4, P 3/(2*2) = 3/4, F 3/4. mean F (2/3 + 4/5)/2 = 11/15.
    refs, cand = ["苹果", "苹果，香蕉，西瓜"], "苹果，香蕉"
    assert Scorer(["rouge1"]).analyze(cand).tokens == ("苹果", "香蕉")
    assert Scorer(["rouge1"]).analyze(refs[1]).tokens == ("苹果", "香蕉", "西瓜")
    got = {mode: Scorer(["rouge1"], multiref=mode).score(target=refs, prediction=cand)["rouge1"] for mode in
           ("best", "best-recall", "pooled", "mean")}
    assert got["best"] == exact(Fr(1), Fr(2, 3))
    assert got["best-recall"] == exact(Fr(1, 2), Fr(1))
    assert got["pooled"] == exact(Fr(3, 4), Fr(3, 4))
    assert got["mean"].fmeasure == pytest.approx(11 / 15, rel=1e-12)
    # The README's table shows them to 4 decimals.
    assert [f"{got[m].fmeasure:.4f}" for m in ("best", "best-recall", "pooled", "mean")] == [
        "0.8000", "0.6667", "0.7500", "0.7333"]


def test_pair_counts_by_hand():
    # candidate 一二三四 (chars) against 三四五六: unigrams 三 四 hit 2 of 4 / 4; bigrams
    # 一二 二三 三四 vs 三四 四五 五六: 1 hit of 3 / 3; LCS 三四 = 2 of 4 tokens each.
    c = counts({"b": "三四五六"}, "一二三四")["b"]
    assert c == {"rouge1": Counts(2, 4, 4), "rouge2": Counts(1, 3, 3), "rougeL": Counts(2, 4, 4),
                 "rougeLsum": Counts(2, 4, 4)}


def test_ngram_counts_of_a_text_too_short_are_zero_and_score_zero():
    # 一 has no bigram: rouge-score floors the count at 1 in the division (0/1 = 0.0);
    # the stored count is the true 0, so pooled sums stay right.
    c = counts({"a": "一"}, "一二")["a"]["rouge2"]
    assert c == Counts(0, 0, 1)
    assert c.score() == Score(0.0, 0.0, 0.0)


def test_pooled_sums_hits_and_units_over_references():
    # candidate 一二三四 vs a = 一二, b = 三四五六.
    # rouge1: a 2 hits / 2 ref / 4 cand; b 2 / 4 / 4 -> pooled R 4/6, P 4/8.
    # rouge2: a 一二: 1 / 1 / 3; b: 1 / 3 / 3 -> R 2/4, P 2/6.
    # rougeL and rougeLsum: LCS 一二 = 2 and 三四 = 2 -> as rouge1.
    got = combine_references(counts({"a": "一二", "b": "三四五六"}, "一二三四"), METRICS, "pooled")
    assert got["rouge1"] == exact(Fr(4, 8), Fr(4, 6))
    assert got["rouge2"] == exact(Fr(2, 6), Fr(2, 4))
    assert got["rougeL"] == got["rougeLsum"] == exact(Fr(4, 8), Fr(4, 6))
    assert got["rouge1"].fmeasure == pytest.approx(4 / 7, rel=1e-12)  # 2 (1/2)(2/3) / (7/6)


def test_pooled_lsum_clips_each_reference_on_its_own():
    # ROUGE-1.5.5 resets the candidate's unigram counts for each reference: the candidate's one
    # 一 is a hit against both references (1 + 1), never shared out between them.
    # candidate 一; a = 一二, b = 一三: hits 2, reference tokens 4, candidate tokens 1 x 2.
    got = combine_references(counts({"a": "一二", "b": "一三"}, "一"), ["rougeLsum"], "pooled")
    assert got["rougeLsum"] == exact(Fr(2, 2), Fr(2, 4))


def test_best_recall_takes_the_highest_recall_and_its_precision():
    # candidate 一二三四 vs a = 一二三四五六七八 (rouge1 R 4/8, P 4/4, F 2/3) and
    # b = 一 (R 1/1, P 1/4, F 2/5): best-recall takes b, best (F) takes a.
    per = counts({"a": "一二三四五六七八", "b": "一"}, "一二三四")
    assert combine_references(per, ["rouge1"], "best-recall")["rouge1"] == exact(Fr(1, 4), Fr(1))
    assert combine_references(per, ["rouge1"], "best")["rouge1"] == exact(Fr(1), Fr(1, 2))


def test_best_recall_ties_go_to_the_first_reference():
    # candidate 一二三四 vs 一 (R 1, P 1/4) and 一二 (R 1, P 2/4): equal recall, the first wins.
    refs = {"x": "一", "y": "一二"}
    assert combine_references(counts(refs, "一二三四"), ["rouge1"], "best-recall")["rouge1"] == exact(Fr(1, 4), Fr(1))
    swapped = {"y": "一二", "x": "一"}
    assert combine_references(counts(swapped, "一二三四"), ["rouge1"], "best-recall")["rouge1"] == exact(Fr(2, 4), Fr(1))


def test_best_recall_compares_ngram_recalls_rounded_to_5_decimals_as_perl_does():
    # ROUGE-1.5.5's -f B keeps the n-gram recall as sprintf("%07.5f"): a's 33333/100000 = 0.33333
    # and b's 1/3 = 0.333333... both print 0.33333, so the first (a) wins although b is larger.
    # Its LCS recall is not rounded: there b wins.
    per = {"a": {m: Counts(33333, 100000, 50000) for m in ("rouge1", "rougeL")},
           "b": {m: Counts(1, 3, 5) for m in ("rouge1", "rougeL")}}
    got = combine_references(per, ["rouge1", "rougeL"], "best-recall")
    assert got["rouge1"] == Counts(33333, 100000, 50000).score()
    assert got["rougeL"] == Counts(1, 3, 5).score()


@pytest.mark.parametrize("mode", ["pooled", "best-recall", "best", "mean"])
def test_one_reference_gives_the_pair_score_in_every_mode(mode):
    # With k = 1 every mode is the pair's own score, to the bit (pooled sums one term).
    cand, ref = CHAR.analyze("猫吃鱼了。狗跑了"), CHAR.analyze("猫吃了鱼。狗也跑")
    per = {"r": pair_counts(target=ref, prediction=cand, metrics=METRICS)}
    assert combine_references(per, METRICS, mode) == score_pair(target=ref, prediction=cand, metrics=METRICS)


def test_cli_multiref_pooled_and_best_recall_with_signature(cli_run, cli_files):
    # candidate 猫 吃 肉 了 vs r1 猫 吃 鱼 and r2 猫: rouge1 r1 2 hits of 3 (P 2/4), r2 1 of 1 (P 1/4).
    # pooled: R 3/4, P 3/8. best-recall: r2 (R 1), P 1/4.
    cli_files({"references/d1/r1.txt": "猫 吃 鱼\n", "references/d1/r2.txt": "猫\n",
               "candidates/s/d1.txt": "猫 吃 肉 了\n"})
    for mode, p, r in (("pooled", Fr(3, 8), Fr(3, 4)), ("best-recall", Fr(1, 4), Fr(1))):
        out = cli_run("score", "--no-cache", "--no-config", "--format", "json", "--metrics", "rouge1", "--multiref", mode)
        assert out.exit_code == 0, out.stderr
        doc = json.loads(out.stdout)
        assert f"|multiref:{mode}|" in doc["signature"]
        s = doc["systems"][0]["scores"]["rouge1"]
        assert (s["precision"], s["recall"], s["fmeasure"]) == tuple(exact(p, r))
