"""ROUGE numbers worked out by hand on tiny Chinese pairs, and checked against rouge-score.

Conventions in the comments: P = hits / candidate tokens, R = hits / reference tokens,
F = 2PR / (P + R). rouge-score (0.1.2) is the independent implementation wherever a
whole table of numbers is compared.
"""

from __future__ import annotations

import random
from fractions import Fraction as Fr
from pathlib import Path

import pytest
from rouge_score import rouge_scorer

from harness.errors import InputError
from harness.inputs.corpus import Corpus
from harness.inputs.load import load_corpus
from harness.rouge.lcs import lcs_indices, lcs_length, match_masks
from harness.rouge.multiref import combine_references, mean_score
from harness.rouge.scoring import Counts, Score, naive_score, pair_counts, score_pair
from harness.run.pipeline import Settings, evaluate
from harness.text.analysed import TextProcessor
from harness.text.tokenizers import make_tokenizer

REPO = Path(__file__).resolve().parents[1]
METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum")


def pair(reference: str, candidate: str, unit: str) -> dict[str, Score]:
    proc = TextProcessor(make_tokenizer(unit))
    return score_pair(target=proc.analyze(reference), prediction=proc.analyze(candidate), metrics=METRICS)


def f(p: Fr, r: Fr) -> Fr:
    return 2 * p * r / (p + r) if p + r else Fr(0)


def assert_score(score: Score, p: Fr, r: Fr) -> None:
    """Compare with exact fractions (the float may be one rounding away from them)."""
    assert score.precision == pytest.approx(float(p), rel=1e-12, abs=1e-15)
    assert score.recall == pytest.approx(float(r), rel=1e-12, abs=1e-15)
    assert score.fmeasure == pytest.approx(float(f(p, r)), rel=1e-12, abs=1e-15)


def tokens(text: str, unit: str) -> list[list[str]]:
    return TextProcessor(make_tokenizer(unit)).sentences(text)


# ---------------------------------------------------------------- hand-computed pairs


def test_pair_reordered_words_word_unit():
    ref, cand = "我爱北京天安门", "北京我爱"
    # jieba: reference 我/爱/北京/天安门 (4 tokens), candidate 北京/我/爱 (3 tokens)
    assert tokens(ref, "word") == [["我", "爱", "北京", "天安门"]]
    assert tokens(cand, "word") == [["北京", "我", "爱"]]
    s = pair(ref, cand, "word")
    # rouge1: 我 爱 北京 common = 3 -> P 3/3, R 3/4, F 6/7
    assert_score(s["rouge1"], Fr(3, 3), Fr(3, 4))
    assert s["rouge1"].fmeasure == pytest.approx(6 / 7, rel=1e-12)
    # rouge2: ref 我爱 爱北京 北京天安门; cand 北京我 我爱 -> only 我爱 -> P 1/2, R 1/3, F 2/5
    assert_score(s["rouge2"], Fr(1, 2), Fr(1, 3))
    # rougeL: LCS(我 爱 北京 天安门, 北京 我 爱) = 我 爱 = 2 (北京 comes first in the
    # candidate, so it cannot join) -> P 2/3, R 2/4, F 4/7
    assert_score(s["rougeL"], Fr(2, 3), Fr(2, 4))
    # rougeLsum: one sentence on each side -> same as rougeL
    assert_score(s["rougeLsum"], Fr(2, 3), Fr(2, 4))


def test_pair_reordered_words_char_unit():
    s = pair("我爱北京天安门", "北京我爱", "char")
    # chars: ref 我 爱 北 京 天 安 门 (7), cand 北 京 我 爱 (4)
    # rouge1: all 4 candidate chars in ref -> P 4/4, R 4/7, F 8/11
    assert_score(s["rouge1"], Fr(1), Fr(4, 7))
    # rouge2: ref 我爱 爱北 北京 京天 天安 安门 (6); cand 北京 京我 我爱 (3); common 北京 我爱
    # -> P 2/3, R 2/6, F 4/9
    assert_score(s["rouge2"], Fr(2, 3), Fr(2, 6))
    # rougeL: LCS = 我爱 or 北京, length 2 -> P 2/4, R 2/7, F 4/11
    assert_score(s["rougeL"], Fr(2, 4), Fr(2, 7))
    assert_score(s["rougeLsum"], Fr(2, 4), Fr(2, 7))


REF2, CAND2 = "天气很好。我们去公园。", "我们很好。公园天气好。"


def test_two_sentences_char_unit_union_lcs():
    assert tokens(REF2, "char") == [["天", "气", "很", "好"], ["我", "们", "去", "公", "园"]]
    assert tokens(CAND2, "char") == [["我", "们", "很", "好"], ["公", "园", "天", "气", "好"]]
    s = pair(REF2, CAND2, "char")
    # rouge1: ref has 9 distinct chars; candidate has all but 去, 好 twice (clipped to 1) -> 8
    # -> P 8/9, R 8/9
    assert_score(s["rouge1"], Fr(8, 9), Fr(8, 9))
    # rouge2 over the whole token sequence (bigrams cross the sentence end):
    # ref 天气 气很 很好 好我 我们 们去 去公 公园 (8); cand 我们 们很 很好 好公 公园 园天 天气 气好 (8)
    # common 天气 很好 我们 公园 = 4 -> P 4/8, R 4/8
    assert_score(s["rouge2"], Fr(4, 8), Fr(4, 8))
    # rougeL on the whole sequences: 天气很好我们去公园 vs 我们很好公园天气好. Using the
    # candidate's 天气 leaves only 好 after it (天气好 = 3); without it the best are
    # 很好公园 or 我们公园 = 4 -> P 4/9, R 4/9
    assert_score(s["rougeL"], Fr(4, 9), Fr(4, 9))
    # rougeLsum, per reference sentence the union of its LCS with each candidate sentence:
    #   天气很好 vs 我们很好 -> {很,好}; vs 公园天气好 -> {天,气,好}; union 天 气 很 好 = 4
    #   我们去公园 vs 我们很好 -> {我,们}; vs 公园天气好 -> {公,园}; union 我 们 公 园 = 4
    #   clipping by counts changes nothing (each used once) -> hits 8 -> P 8/9, R 8/9
    assert_score(s["rougeLsum"], Fr(8, 9), Fr(8, 9))


def test_two_sentences_word_unit_union_lcs():
    # jieba: 天气/很/好/。/我们/去/公园/。 and 我们/很/好/。/公园/天气/好/。
    assert tokens(REF2, "word") == [["天气", "很", "好"], ["我们", "去", "公园"]]
    assert tokens(CAND2, "word") == [["我们", "很", "好"], ["公园", "天气", "好"]]
    s = pair(REF2, CAND2, "word")
    # rouge1: ref 天气 很 好 我们 去 公园 (6), cand 我们 很 好 公园 天气 好 (6); common all but 去 -> 5
    assert_score(s["rouge1"], Fr(5, 6), Fr(5, 6))
    # rouge2: ref 天气很 很好 好我们 我们去 去公园; cand 我们很 很好 好公园 公园天气 天气好; common 很好
    assert_score(s["rouge2"], Fr(1, 5), Fr(1, 5))
    # rougeL: 很 好 公园 = 3 (天气 in the candidate is followed only by 好) -> P 3/6, R 3/6
    assert_score(s["rougeL"], Fr(3, 6), Fr(3, 6))
    # rougeLsum: 天气很好 -> {很,好} ∪ {天气,好} = 3; 我们去公园 -> {我们} ∪ {公园} = 2; hits 5
    assert_score(s["rougeLsum"], Fr(5, 6), Fr(5, 6))


def test_summary_level_lcs_clips_repeated_tokens():
    ref, cand = "好的。好的。", "好的。"
    assert tokens(ref, "char") == [["好", "的"], ["好", "的"]]
    s = pair(ref, cand, "char")
    # rouge1: ref 好2 的2, cand 好1 的1 -> 2 -> P 2/2, R 2/4
    assert_score(s["rouge1"], Fr(1), Fr(1, 2))
    # rouge2: ref 好的 的好 好的, cand 好的 -> 1 -> P 1/1, R 1/3, F 1/2
    assert_score(s["rouge2"], Fr(1), Fr(1, 3))
    # rougeL: LCS(好的好的, 好的) = 2 -> P 1, R 1/2
    assert_score(s["rougeL"], Fr(1), Fr(1, 2))
    # rougeLsum: both reference sentences have union LCS 好 的 with the one candidate
    # sentence; the candidate's 好 and 的 are used up by the first, so the second adds 0:
    # hits 2 (not 4, which would give P 4/2 > 1) -> P 1, R 1/2
    assert_score(s["rougeLsum"], Fr(1), Fr(1, 2))


@pytest.mark.parametrize("unit", ["word", "char"])
def test_identical_text_scores_one(unit):
    text = (REPO / "references" / "ai-open-source" / "ref-long.txt").read_text(encoding="utf-8")
    s = pair(text, text, unit)
    for metric in METRICS:  # every n-gram, the LCS and each sentence match themselves
        assert s[metric] == Score(1.0, 1.0, 1.0), metric


@pytest.mark.parametrize("unit", ["word", "char"])
@pytest.mark.parametrize("empty", ["", "  \n", "，。！……"])
def test_empty_candidate_or_reference_scores_zero(unit, empty):
    # No scorable token on one side: nothing can match, and rouge-score defines 0 then.
    for s in (pair("我爱北京天安门", empty, unit), pair(empty, "我爱北京天安门", unit)):
        for metric in METRICS:
            assert s[metric] == Score(0.0, 0.0, 0.0), metric


def test_empty_candidate_scores_zero_in_evaluate_with_warning():
    corpus = Corpus(references={"d": {"r": "我爱北京"}}, candidates={"s": {"d": "。。"}})
    ev = evaluate(corpus)
    assert all(ev.systems[0].scores[m] == Score(0.0, 0.0, 0.0) for m in METRICS)
    assert ev.warnings == ["system 's', document 'd': candidate has no scorable tokens; scored 0"]


# ---------------------------------------------------------------- LCS against rouge-score


def _random_pairs():
    rng = random.Random(20240501)
    pairs = []
    for _ in range(400):  # short lists over few symbols: many ties in the backtrack
        alphabet = rng.choice(["ab", "abc", "abcd", "的一是不了人我在"])
        a = [rng.choice(alphabet) for _ in range(rng.randint(0, 20))]
        b = [rng.choice(alphabet) for _ in range(rng.randint(0, 20))]
        pairs.append((a, b))
    for _ in range(30):  # longer than 64 tokens: multi-word big integers
        alphabet = "的一是不了人我在有他这中大来上国"
        a = [rng.choice(alphabet) for _ in range(rng.randint(60, 200))]
        b = [rng.choice(alphabet) for _ in range(rng.randint(60, 200))]
        pairs.append((a, b))
    return pairs


def test_lcs_length_and_indices_match_rouge_score():
    for a, b in _random_pairs():
        table = rouge_scorer._lcs_table(a, b)
        assert lcs_length(a, match_masks(b), len(b)) == table[-1][-1], (a, b)
        assert lcs_length(b, match_masks(a), len(a)) == table[-1][-1], (a, b)
        assert lcs_indices(a, b) == rouge_scorer.lcs_ind(a, b), (a, b)


def test_lcs_small_cases_by_hand():
    # LCS(ABCBDAB, BDCABA) = 4 (the textbook example, e.g. BCBA)
    a, b = list("ABCBDAB"), list("BDCABA")
    assert lcs_length(a, match_masks(b), len(b)) == 4
    # Table rows t[i][1..6] for prefixes of ABCBDAB against B D C A B A:
    #   A 000111  B 111122  C 112222  B 112233  D 122233  A 122334  B 122344
    # The walk from (7, 6): B!=A and t[7][5]=4 is not > t[6][6]=4 -> up; A==A take 5;
    # D!=B, t[5][4]=2 not > t[4][5]=3 -> up; B==B take 3; C!=A, t[3][3]=2 > t[2][4]=1 ->
    # left; C==C take 2; B!=D, t[2][1]=1 > t[1][2]=0 -> left; B==B take 1.
    # -> reference indices [1, 2, 3, 5] = B C B A, the same as rouge_score.lcs_ind
    assert lcs_indices(a, b) == [1, 2, 3, 5] == rouge_scorer.lcs_ind(a, b)
    assert lcs_indices([], b) == [] and lcs_indices(a, []) == [] and lcs_indices(["x"], ["y"]) == []


# ---------------------------------------------------------------- score_pair == rouge-score


def _corpus_pairs():
    corpus = load_corpus(REPO / "references", REPO / "candidates")
    for doc in corpus.documents:
        for system, texts in sorted(corpus.candidates.items()):
            for ref_name, ref in sorted(corpus.references[doc].items()):
                yield f"{system}/{ref_name}", ref, texts[doc]


@pytest.mark.parametrize("unit", ["word", "char"])
def test_score_pair_equals_rouge_score_on_shipped_corpus(unit):
    proc = TextProcessor(make_tokenizer(unit))
    count = 0
    for label, ref, cand in _corpus_pairs():
        fast = score_pair(target=proc.analyze(ref), prediction=proc.analyze(cand), metrics=METRICS)
        slow = naive_score(target=ref, prediction=cand, processor=proc, metrics=METRICS)
        assert fast == slow, label  # exact: same hits, same divisions
        count += 1
    assert count == 7 * 3  # 7 systems x 3 references


# ---------------------------------------------------------------- several references


class _Chars:
    """rouge-score tokenizer for the multi-reference tests: one token per character."""

    def tokenize(self, text: str) -> list[str]:
        return list(text)


CAND = "一二三四"
# Against CAND (char tokens 一 二 三 四), worked by hand:
#   x = 四三二一: rouge1 4 common -> 1,1,1; rouge2 四三 三二 二一 vs 一二 二三 三四 -> 0;
#                 LCS 1 -> P R F 1/4 (rougeLsum = rougeL, one sentence each)
#   y = 一二五六: rouge1 一二 -> 2/4, 2/4, 1/2; rouge2 一二 -> 1/3, 1/3, 1/3; LCS 一二 -> 1/2
REFS = {"y": "一二五六", "x": "四三二一"}


def _per_reference(refs: dict[str, str]) -> dict[str, dict[str, Counts]]:
    proc = TextProcessor(make_tokenizer("char"))
    cand = proc.analyze(CAND)
    return {name: pair_counts(target=proc.analyze(text), prediction=cand, metrics=METRICS) for name, text in refs.items()}


def test_best_picks_per_metric_the_reference_with_highest_f():
    best = combine_references(_per_reference(REFS), METRICS, "best")
    assert_score(best["rouge1"], Fr(1), Fr(1))  # x: F 1 > 1/2
    assert_score(best["rouge2"], Fr(1, 3), Fr(1, 3))  # y: F 1/3 > 0
    assert_score(best["rougeL"], Fr(1, 2), Fr(1, 2))  # y: F 1/2 > 1/4
    assert_score(best["rougeLsum"], Fr(1, 2), Fr(1, 2))


def test_best_ties_go_to_the_first_reference_in_order():
    # Against 一二三四: a = 一二 gives rouge1 P 2/4, R 2/2; b = 一二三四五六七八 gives P 4/4, R 4/8.
    # Both F = 2/3 exactly (the float operations are the same with P and R swapped), so the
    # first reference in order wins (the folder reader gives file-name order, test_corpus_errors
    # checks that). rougeL ties the same way (LCS 2 and 4).
    # rouge2: a 1 of 3 candidate bigrams, R 1/1, F 1/2; b 3 of 3, R 3/7, F 3/5 -> b wins.
    refs = {"a": "一二", "b": "一二三四五六七八"}
    per = _per_reference(refs)
    assert per["a"]["rouge1"].score().fmeasure == per["b"]["rouge1"].score().fmeasure
    best = combine_references(per, METRICS, "best")
    assert_score(best["rouge1"], Fr(2, 4), Fr(1))
    assert_score(best["rougeL"], Fr(2, 4), Fr(1))
    assert_score(best["rouge2"], Fr(1), Fr(3, 7))
    reordered = {"b": refs["b"], "a": refs["a"]}  # now the long one comes first
    best = combine_references(_per_reference(reordered), METRICS, "best")
    assert_score(best["rouge1"], Fr(1), Fr(4, 8))


TIE_REFS = {"b": "一二三四五六七八", "a": "一二"}


@pytest.mark.parametrize("refs", [REFS, TIE_REFS, {"z": "一二", "b": "一二三四五六七八"}])
def test_best_equals_rouge_score_score_multi(refs):
    # rouge-score's score_multi takes np.argmax (first maximum) over the targets in the
    # order given; with the references in the same order that is the harness's rule.
    scorer = rouge_scorer.RougeScorer(list(METRICS), tokenizer=_Chars())
    expected = scorer.score_multi(list(refs.values()), CAND)
    got = combine_references(_per_reference(refs), METRICS, "best")
    for metric in METRICS:
        e = expected[metric]
        assert got[metric] == Score(e.precision, e.recall, e.fmeasure), metric


def test_mean_mode_averages_by_hand():
    mean = combine_references(_per_reference(REFS), METRICS, "mean")
    # rouge1 (1 + 1/2)/2 = 3/4 for P, R and F; rouge2 (0 + 1/3)/2 = 1/6; rougeL (1/4 + 1/2)/2 = 3/8
    for metric, value in (("rouge1", 0.75), ("rouge2", 1 / 6), ("rougeL", 3 / 8), ("rougeLsum", 3 / 8)):
        s = mean[metric]
        assert (s.precision, s.recall, s.fmeasure) == pytest.approx((value,) * 3, rel=1e-12), metric


def test_mean_mode_averages_f_not_recomputes_it():
    # Mean of F over references, not F of the mean P and R: with a (P 1/2, R 1) and
    # b (P 1, R 1/2) the mean P = mean R = 3/4 but the mean F is 2/3, not 3/4.
    mean = combine_references(_per_reference({"a": "一二", "b": "一二三四五六七八"}), ["rouge1"], "mean")
    assert mean["rouge1"].precision == pytest.approx(0.75)
    assert mean["rouge1"].recall == pytest.approx(0.75)
    assert mean["rouge1"].fmeasure == pytest.approx(2 / 3, rel=1e-12)


def test_unknown_multiref_mode():
    with pytest.raises(InputError, match="unknown multi-reference mode 'max'"):
        combine_references(_per_reference(REFS), METRICS, "max")
    corpus = Corpus(references={"d": {"r": "好"}}, candidates={"s": {"d": "好"}})
    with pytest.raises(InputError, match="unknown --multiref 'max'"):
        evaluate(corpus, Settings(multiref="max"))


def test_evaluate_multireference_best_and_mean():
    corpus = Corpus(references={"d": dict(REFS)}, candidates={"s": {"d": CAND}})
    best = evaluate(corpus, Settings(unit="char")).systems[0]
    assert_score(best.scores["rouge1"], Fr(1), Fr(1))
    assert_score(best.scores["rougeL"], Fr(1, 2), Fr(1, 2))
    assert set(best.documents["d"].per_reference) == {"x", "y"}
    assert_score(best.documents["d"].per_reference["x"]["rougeL"], Fr(1, 4), Fr(1, 4))
    mean = evaluate(corpus, Settings(unit="char", multiref="mean")).systems[0]
    assert mean.scores["rougeL"].fmeasure == pytest.approx(3 / 8, rel=1e-12)


# ---------------------------------------------------------------- corpus = mean over documents


def test_corpus_score_is_mean_over_documents():
    corpus = Corpus(
        references={"d1": {"r": "一二三四"}, "d2": {"r": "一二五六"}},
        candidates={"sys": {"d1": "一二三四", "d2": "一二三四"}, "partial": {"d1": "一二三四", "d2": None}},
    )
    ev = evaluate(corpus, Settings(unit="char"))
    by_name = {s.name: s for s in ev.systems}
    # sys: d1 identical -> 1 everywhere; d2 as y above -> rouge1 1/2, rouge2 1/3, rougeL 1/2
    # corpus: rouge1 (1 + 1/2)/2 = 3/4, rouge2 (1 + 1/3)/2 = 2/3, rougeL = rougeLsum = 3/4
    s = by_name["sys"].scores
    assert_score(s["rouge1"], Fr(3, 4), Fr(3, 4))
    assert_score(s["rouge2"], Fr(2, 3), Fr(2, 3))
    assert_score(s["rougeL"], Fr(3, 4), Fr(3, 4))
    assert_score(s["rougeLsum"], Fr(3, 4), Fr(3, 4))
    # partial: d1 = 1, missing d2 = 0 -> 1/2 everywhere (a missing summary counts as 0)
    for metric in METRICS:
        assert_score(by_name["partial"].scores[metric], Fr(1, 2), Fr(1, 2))
    assert by_name["partial"].documents["d2"].scores["rouge1"] == Score(0.0, 0.0, 0.0)
    # ranked by rougeL F: 3/4 before 1/2
    assert [x.name for x in ev.systems] == ["sys", "partial"]


def test_mean_score_by_hand():
    scores = [Score(0.1, 0.2, 0.3), Score(0.2, 0.4, 0.6), Score(0.3, 0.0, 0.0)]
    # (0.1 + 0.2 + 0.3)/3 = 0.2; (0.2 + 0.4 + 0)/3 = 0.2; (0.3 + 0.6 + 0)/3 = 0.3
    assert mean_score(scores) == pytest.approx(Score(0.2, 0.2, 0.3), rel=1e-12)
    assert mean_score([]) == Score(0.0, 0.0, 0.0)


def test_rouge_lsum_equals_rouge_score_on_many_multi_sentence_texts():
    # Independent implementation: rouge-score's own _summary_level_lcs on the same token lists.
    # A five-letter vocabulary makes repeated tokens and shared sentences common, which exercises
    # the double-counting guard and the skip of sentences that cannot extend the union LCS.
    import random

    from rouge_score import rouge_scorer as rs

    from harness.rouge.scoring import _rouge_lsum
    from harness.text.analysed import AnalysedText

    rng = random.Random(7)

    def sentences():
        return tuple(
            tuple(rng.choice("abcde") for _ in range(rng.randint(1, 7))) for _ in range(rng.randint(1, 6))
        )

    for _ in range(2000):
        ref, cand = sentences(), sentences()
        expected = rs._summary_level_lcs([list(s) for s in ref], [list(s) for s in cand])
        assert tuple(_rouge_lsum(AnalysedText(ref), AnalysedText(cand))) == tuple(expected)


def test_the_installed_rouge_score_is_the_release_whose_numbers_are_reproduced():
    # The signature's rouge: field names the release the arithmetic reproduces; every comparison
    # in these tests runs against the installed package, so it must be that release.
    from importlib.metadata import version

    from harness.rouge.scoring import ROUGE_DEFINITION

    assert version("rouge-score") == ROUGE_DEFINITION


def test_scoring_does_not_import_rouge_score(tmp_path):
    # The arithmetic is the harness's own (checked equal above); importing rouge-score costs about
    # a second of start-up (nltk, numpy), so a scoring run must not. Checked in a fresh interpreter.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from harness.inputs.corpus import Corpus\n"
        "from harness.run.pipeline import Settings, evaluate\n"
        "evaluate(Corpus({'d': {'r': '猫吃鱼'}}, {'s': {'d': '猫吃肉'}}), Settings(unit='char'))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rouge_score', 'nltk', 'numpy')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout == "[]\n"
