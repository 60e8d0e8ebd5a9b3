"""The conventions' pre- and post-processing pinned by hand: every number below is worked out in
its comment, from counts on a character cut (`cut=list`: one token per character) so that no
jieba decision enters the arithmetic."""

from __future__ import annotations

import subprocess
import sys

import pytest

from harness.errors import InputError
from harness.rouge.conventions import (
    CONVENTIONS,
    check_metrics,
    general_postprocess,
    get,
    pick_reference,
    split_words,
    unused_references_reason,
)
from harness.rouge.conventions.llamafactory import numpy_sum

G = 1e-8  # rouge-chinese's guard in every F: 2 * (P * R / (P + R + 1e-8))


def f(p: float, r: float) -> float:
    return 2.0 * ((p * r) / (p + r + G))


# --- OpenCompass's general_postprocess --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # cut at the first ASCII '.', then '-' (not a word character) deleted: "GPT-3" -> "GPT3"
        ("模型发布了GPT-3.5版本。", "模型发布了GPT3"),
        # a decimal point is a cut too: "5.4亿" keeps "5"
        ("营收5.4亿元", "营收5"),
        # cut at ',' then the article "The" deleted and the leading space stripped
        ("The cat, a dog", "cat"),
        # "A股": no word boundary between "A" and "股" (both word characters), so "A" stays
        ("A股上涨", "A股上涨"),
        # an article between spaces goes; the two spaces left collapse to one
        ("buy a stock", "buy stock"),
        # only the first line; full-width punctuation deleted, not a cut
        ("第一行，还是第一行！\n第二行", "第一行还是第一行"),
        # nothing but punctuation: empty (the evaluator then scores its placeholder)
        ("，。！？“”", ""),
        # starts with a cut character: empty
        (".5亿", ""),
        # whitespace runs (tab, ideographic space) become one space
        ("开源\t\u3000模型", "开源 模型"),
    ],
)
def test_general_postprocess(text, expected):
    assert general_postprocess(text) == expected
    assert CONVENTIONS["opencompass"].prepare(text) == expected


def test_opencompass_summary_cut_at_gpt3():
    oc = CONVENTIONS["opencompass"]
    target, prediction = "今天天气很好", "今天天气很好。GPT-3.5"
    # prediction -> "今天天气很好GPT3" (cut at '.', '。' and '-' deleted): 10 characters.
    assert oc.tokens(prediction, list) == list("今天天气很好GPT3")
    # Unigram sets: target {今,天,气,很,好} (5; 天 twice counts once), prediction those + {G,P,T,3}
    # (9); overlap 5: P = 5/9, R = 5/5. Bigrams: target {今天,天天,天气,气很,很好} (5),
    # prediction those + {好G,GP,PT,T3} (9), overlap 5: the same P and R.
    # LCS = 6 (the whole target) of 6 target and 10 prediction words: P = 6/10, R = 1.
    assert oc.score_pair(target=target, prediction=prediction, cut=list) == {
        "rouge1": f(5 / 9, 1.0),
        "rouge2": f(5 / 9, 1.0),
        "rougeL": f(6 / 10, 1.0),
    }
    assert oc.reasons(target=target, prediction=prediction, cut=list)[0] == (
        "prediction: truncated at '.' after 12 of 14 characters"
    )
    # The tools without postprocess score the whole prediction: "。" "-" "." "5" are words too.
    rc = CONVENTIONS["rouge-chinese"].score_pair(target=target, prediction=prediction, cut=list)
    assert rc["rougeL"] == f(6 / 14, 1.0)


def test_opencompass_empty_side_scores_its_placeholder():
    oc = CONVENTIONS["opencompass"]
    # "。。。" postprocesses to "", so the prediction is the one word __PREDPLACEHOLDER__: no
    # overlap with any reference, P = R = 0, F = 2 * (0 / 1e-8) = 0.
    assert oc.tokens("。。。", list) == ["__PREDPLACEHOLDER__"]
    assert oc.tokens("", list, side="target") == ["__REFRPLACEHOLDER__"]
    assert oc.score_pair(target="好", prediction="。。。", cut=list) == {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    # Both empty: different placeholders, still 0 (not 1).
    assert oc.score_pair(target="", prediction="", cut=list)["rouge1"] == 0.0
    assert "prediction: empty after postprocess: placeholder scored" in oc.reasons(target="好", prediction="。。。", cut=list)
    # A corpus of (1, 0): the mean is 0.5 times the identical pair's F, summed left to right.
    pairs = [("好好", "好好"), ("好", "")]
    # identical "好好": unigram {好} both sides, P = R = 1.
    assert oc.score_corpus(pairs, list)["rouge1"] == (0.0 + f(1.0, 1.0) + 0.0) / 2


def test_opencompass_articles_reason():
    reasons = CONVENTIONS["opencompass"].reasons(target="the cat sat", prediction="a cat sat on the mat", cut=list)
    assert "prediction: 2 English article(s) a/an/the deleted" in reasons
    assert "target: 1 English article(s) a/an/the deleted" in reasons


# --- LLaMA-Factory: empty side and rounding ----------------------------------------------------


def test_llamafactory_rounds_each_pair_at_the_4th_decimal():
    lf = CONVENTIONS["llamafactory"]
    # "abd" vs "abc": unigrams {a,b,d} / {a,b,c}, overlap 2: P = R = 2/3,
    # F = 2 * (4/9) / (4/3 + 1e-8) = 0.66666666167 -> F x 100 = 66.666666167 -> 66.6667 (up).
    # Bigrams {ab,bd} / {ab,bc}, overlap 1: P = R = 1/2, F = 0.5 / (1 + 1e-8) * 1 = 0.4999999950
    # -> 49.99999950 -> 50.0 (up at the 4th decimal). LCS "ab" = 2 of 3: as unigrams.
    up = lf.score_pair(target="abc", prediction="abd", cut=list)
    assert [lf.native(up[m]) for m in ("rouge1", "rouge2", "rougeL")] == [66.6667, 50.0, 66.6667]
    # "axy" vs "abc": overlap 1 of 3: P = R = 1/3, F = 2 * (1/9) / (2/3 + 1e-8) = 0.33333332833
    # -> 33.333332833 -> 33.3333 (down).
    down = lf.score_pair(target="abc", prediction="axy", cut=list)
    assert lf.native(down["rouge1"]) == 33.3333
    # Corpus: np.mean([66.6667, 33.3333]) = 50.0; rouge-chinese's unrounded mean is 49.9999995.
    assert lf.aggregate([up["rouge1"], down["rouge1"]]) * 100 == pytest.approx(50.0, abs=1e-12)
    rc = CONVENTIONS["rouge-chinese"]
    unrounded = [rc.score_pair(target="abc", prediction=p, cut=list)["rouge1"] for p in ("abd", "axy")]
    assert rc.aggregate(unrounded) * 100 == pytest.approx(49.9999995, abs=1e-7)


@pytest.mark.parametrize("empty", ["", "   ", "\n", "\u3000"])
def test_llamafactory_empty_side_scores_zero(empty):
    lf = CONVENTIONS["llamafactory"]
    # `" ".join(jieba.cut(x)).split()` is empty for whitespace-only text: 0 on every metric.
    assert lf.score_pair(target="好", prediction=empty, cut=list) == {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    assert lf.score_pair(target=empty, prediction="好", cut=list)["rougeL"] == 0.0
    assert "empty prediction: scored 0 on every metric" in lf.reasons(target="好", prediction=empty, cut=list)


# --- rouge-chinese's words and sets --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a b  c", ["a", "b", "c"]),
        # "。" followed by " " gets a newline: "你好。\n \n世界" -> sentences "你好。", " ", "世界";
        # the whitespace-only one is rejoined to "" and split at " ": one empty word.
        ("你好。 \n世界", ["你好。", "", "世界"]),
        # a quote closes the sentence: "。”" then a non-terminator gets the newline
        ("他说：“好。”然后走了", ["他说：“好。”", "然后走了"]),
        # no spaces, a terminator inside: the sentence rule splits the word
        ("你好。世界", ["你好。", "世界"]),
        ("等等......然后", ["等等......", "然后"]),
        # leading newlines give empty sentences (dropped); trailing whitespace is stripped
        ("\n\n好 \n", ["好"]),
        ("   ", []),
        ("", []),
    ],
)
def test_split_words(text, words):
    assert split_words(text) == words


def test_repeated_ngrams_count_once():
    rc = CONVENTIONS["rouge-chinese"]
    # prediction "好好好好" has one distinct unigram {好} and one distinct bigram {好好};
    # the target "好" has {好} and no bigram. rouge1: P = 1/1, R = 1/1 (a clipped count would give
    # P = 1/4); rouge2: no target bigram, R = 0, P = 0/1 = 0 -> F = 0; LCS 1: P = 1/4, R = 1.
    assert rc.score_pair(target="好", prediction="好好好好", cut=list) == {
        "rouge1": f(1.0, 1.0),
        "rouge2": 0.0,
        "rougeL": f(1 / 4, 1.0),
    }
    assert "repeated n-grams counted once (prediction: 1 distinct of 4 words)" in rc.reasons(
        target="好", prediction="好好好好", cut=list
    )


def test_rouge_chinese_empty_side_is_zero_with_a_reason():
    rc = CONVENTIONS["rouge-chinese"]
    assert rc.score_pair(target="好", prediction="", cut=list)["rouge1"] == 0.0
    assert rc.reasons(target="好", prediction="", cut=list)[0] == "empty prediction: the tool raises ValueError; scored 0"


def test_jieba_words_joined_by_spaces(ind_jieba):
    # The real cut: 北京 / 天气 / 很 / 好 / 。 -> rouge-chinese keeps "。" as a word.
    assert CONVENTIONS["rouge-chinese"].tokens("北京天气很好。", ind_jieba.cut) == ["北京", "天气", "很", "好", "。"]


def test_default_cut_is_plain_jieba(ind_jieba):
    text = "谷歌泄漏的内部文件说，我们没有护城河。"
    assert CONVENTIONS["llamafactory"].tokens(text) == CONVENTIONS["llamafactory"].tokens(text, ind_jieba.cut)


# --- the interface --------------------------------------------------------------------------------


def test_registry_and_versions():
    assert list(CONVENTIONS) == ["rouge-chinese", "llamafactory", "opencompass"]
    assert CONVENTIONS["rouge-chinese"].version == "rouge-chinese-1.0.3"
    assert CONVENTIONS["opencompass"].version.startswith("opencompass-")
    assert get("opencompass") is CONVENTIONS["opencompass"]
    with pytest.raises(InputError, match="choose from harness, rouge-chinese, llamafactory, opencompass"):
        get("sacrebleu")


def test_other_metrics_are_an_error():
    with pytest.raises(InputError, match=r"not rougeLsum, rouge3 \(allowed: rouge1, rouge2, rougeL\)"):
        check_metrics(["rouge1", "rougeLsum", "rouge3"], "opencompass")
    with pytest.raises(InputError):
        CONVENTIONS["llamafactory"].score_pair(target="好", prediction="好", cut=list, metrics=["rougeLsum"])
    assert CONVENTIONS["llamafactory"].score_pair(target="ab", prediction="ab", cut=list, metrics=["rougeL"]) == {
        "rougeL": round(f(1.0, 1.0) * 100, 4) / 100
    }


def test_first_reference_by_file_order():
    assert pick_reference(["ref-a", "ref-b"]) == "ref-a"
    assert unused_references_reason(3) == ["2 more reference(s) not used: conventions score the first by file order"]
    assert unused_references_reason(1) == []
    with pytest.raises(InputError, match="'doc7' has no reference"):
        pick_reference([], document="doc7")


def test_score_corpus_is_the_mean_of_pairs():
    pairs = [("abc", "abd"), ("abc", "axy"), ("", "a")]
    for conv in CONVENTIONS.values():
        per_pair = [conv.score_pair(target=t, prediction=p, cut=list) for t, p in pairs]
        corpus = conv.score_corpus(pairs, list)
        assert corpus == {m: conv.aggregate([s[m] for s in per_pair]) for m in ("rouge1", "rouge2", "rougeL")}


def test_numpy_sum_orders_additions_like_numpy():
    # Below 8 values numpy adds left to right; from 8 it keeps 8 running sums. With 1e16 and 1.0,
    # left to right loses each 1.0, eight lanes keep them: ((1e16 + 1) ...) differs.
    assert numpy_sum([1.0, 2.0, 3.0]) == 6.0
    values = [1e16] + [1.0] * 15
    assert numpy_sum(values) == 1e16 + 14.0  # lane 0 holds 1e16 (+1 lost), the other 14 ones survive


def test_import_is_light():
    code = "import sys, harness.rouge.conventions; print('jieba' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
