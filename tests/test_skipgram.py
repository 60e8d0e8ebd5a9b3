"""ROUGE-SU<d> and ROUGE-S<d> (ROUGE-1.5.5 `-2 d -u` / `-2 d`): hand-worked cases here;
tests/test_perl_parity.py compares rougeSU4 with the Perl script itself (rouge-score has no SU)."""

from __future__ import annotations

from collections import Counter

import pytest

from harness.errors import InputError
from harness.rouge import metrics as registry
from harness.rouge.multiref import combine_references
from harness.rouge.scoring import Counts, Score, fmeasure, pair_counts, score_pair
from harness.text.analysed import AnalysedText, TextProcessor
from harness.text.tokenizers import make_tokenizer

CHAR = TextProcessor(make_tokenizer("char"))


def su(reference: str, candidate: str, metrics=("rougeSU4", "rougeS4")) -> dict[str, Counts]:
    return pair_counts(target=CHAR.analyze(reference), prediction=CHAR.analyze(candidate), metrics=metrics)


def test_registry_parses_su_and_s_names():
    assert registry.get("rougeSU4") == registry.Metric("rougeSU4", "skip", gap=4, unigrams=True)
    assert registry.get("rougeS0") == registry.Metric("rougeS0", "skip", gap=0)
    assert registry.label("rougeSU4") == "R-SU4"
    with pytest.raises(InputError, match="unknown metric 'rougeSU10'"):
        registry.check_metrics(["rougeSU10"])


def test_skipgrams_by_hand_with_the_last_unigram_left_out():
    # 一二三 with gap 4: pairs 一二 二三 一三; unigrams 一 二 but not 三 (the script's loop over
    # the first token of each pair stops before the last token, so it never adds its unigram).
    a = AnalysedText((("一", "二", "三"),))
    assert a.skipgrams(4, True) == Counter({("一", "二"): 1, ("二", "三"): 1, ("一", "三"): 1, ("一",): 1, ("二",): 1})
    assert a.skipgrams(0, False) == Counter({("一", "二"): 1, ("二", "三"): 1})  # gap 0: plain bigrams
    assert AnalysedText((("一",),)).skipgrams(4, True) == Counter()  # one token: nothing at all


def test_skipgrams_run_across_sentence_boundaries():
    # The script joins the lines of a summary before making skip-bigrams: 一二 | 三 gives 二三, 一三.
    assert AnalysedText((("一", "二"), ("三",))).skipgrams(4, False) == AnalysedText((("一", "二", "三"),)).skipgrams(4, False)
    c = su("一二。三", "二三")
    # reference pairs 一二 二三 一三 + unigrams 一 二 = 5; candidate 二三 + unigram 二 = 2; both hit
    assert c["rougeSU4"] == Counts(2, 5, 2)


def test_su4_pair_by_hand():
    # reference 一二三四五六七 (7 tokens): pairs at distance 1..5 (at most 4 between) = 6+5+4+3+2 = 20,
    # unigrams 一..六 = 6 -> 26. candidate 一三五七: pairs 一三 一五 一七 三五 三七 五七 = 6, unigrams
    # 一 三 五 = 3 -> 9. Hits: every candidate pair but 一七 (distance 6 in the reference) = 5,
    # unigrams 3 -> 8. SU4: P 8/9, R 8/26; S4: P 5/6, R 5/20.
    c = su("一二三四五六七", "一三五七")
    assert c == {"rougeSU4": Counts(8, 26, 9), "rougeS4": Counts(5, 20, 6)}
    s = score_pair(target=CHAR.analyze("一二三四五六七"), prediction=CHAR.analyze("一三五七"), metrics=["rougeSU4"])
    assert s["rougeSU4"] == Score(8 / 9, 8 / 26, fmeasure(8 / 9, 8 / 26))


def test_su_clips_repeated_grams():
    # reference 一一 (pair 一一 once, unigram 一 once) vs candidate 一一一 (pairs 一一 x3, unigram 一 x2):
    # clipped hits 1 + 1 = 2; reference units 2, candidate units 5.
    assert su("一一", "一一一")["rougeSU4"] == Counts(2, 2, 5)


def test_su4_in_every_multiref_mode():
    # candidate 一二三 (3 pairs + 2 unigrams = 5 units). a = 一二 (pair 一二 + unigram 一 = 2 units,
    # both hit: R 1, P 2/5); b = 一二三四 (6 pairs + 3 unigrams = 9 units, hits 3 + 2 = 5: R 5/9, P 1).
    per = {"a": su("一二", "一二三", ["rougeSU4"]), "b": su("一二三四", "一二三", ["rougeSU4"])}
    assert per["a"]["rougeSU4"] == Counts(2, 2, 5) and per["b"]["rougeSU4"] == Counts(5, 9, 5)
    got = {m: combine_references(per, ["rougeSU4"], m)["rougeSU4"] for m in ("best", "best-recall", "pooled", "mean")}
    assert got["best-recall"] == Counts(2, 2, 5).score()  # R 1 > 5/9
    assert got["best"] == Counts(5, 9, 5).score()  # F 5/7 (b) > 4/7 (a)
    assert got["pooled"] == Score(7 / 10, 7 / 11, fmeasure(7 / 10, 7 / 11))  # hits 7, ref 11, cand 5 x 2
    assert got["mean"].recall == pytest.approx((1 + 5 / 9) / 2, rel=1e-12)


def test_su4_column_label_in_the_table(cli_run, cli_corpus):
    out = cli_run("score", "--no-cache", "--no-config", "--metrics", "rouge1,rougeSU4")
    assert out.exit_code == 0, out.stderr
    assert "R-SU4" in out.stdout
