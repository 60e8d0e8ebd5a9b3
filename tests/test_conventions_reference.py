"""The three conventions against the real rouge-chinese 1.0.3, on 300+ generated and hand-written pairs.

The oracle is the installed tool itself (`rouge_chinese.Rouge`), driven the way each caller
drives it: rouge-chinese's README (jieba joined by spaces, one pair at a time, avg=True for
the corpus), LLaMA-Factory's ComputeSimilarity loop (empty check, round(F x 100, 4), np.mean)
and OpenCompass's JiebaRougeEvaluator (general_postprocess, placeholders, avg=True). Both sides
cut with the same plain jieba 0.42.1 tokenizer, so only the scoring is compared. OpenCompass's
general_postprocess is not installable here; it is pinned by hand in tests/test_conventions.py.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

rouge_chinese = pytest.importorskip(
    "rouge_chinese",
    reason="rouge-chinese 1.0.3 is the oracle: pip install 'rouge-chinese==1.0.3' (the test extra)",
)
np = pytest.importorskip("numpy", reason="numpy is LLaMA-Factory's mean (installed with rouge-score)")

from harness.rouge.conventions import CONVENTIONS, general_postprocess  # noqa: E402
from harness.rouge.conventions.llamafactory import numpy_sum  # noqa: E402

TOLERANCE = 1e-9
ROOT = Path(__file__).resolve().parents[1]
METRIC_KEYS = {"rouge1": "rouge-1", "rouge2": "rouge-2", "rougeL": "rouge-l"}

HAND_WRITTEN: list[tuple[str, str]] = [
    ("", ""),
    ("北京今天天气很好。", ""),
    ("", "北京今天天气很好。"),
    ("   ", "\n\n"),
    ("好", "好"),
    ("好", "不好"),
    ("模型", "模型模型模型模型"),
    ("谷歌发布了新模型。", "谷歌发布了GPT-3.5模型。"),
    ("营收5.4亿元，同比增长12.5%。", "营收为5.4亿元。"),
    ("第一行。\n第二行。\n\n第三行", "第一行。 \n第二行"),
    ("他说：“好。”然后走了。", "他说：“好。”"),
    ("等等......然后呢", "等等……然后呢……好"),
    ("What is the answer? It is a test, an example.", "The answer is a test."),
    ("A股上涨，the market rallied.", "A股上涨"),
    ("开源 开源 开源 模型 模型", "开源模型开源模型开源模型"),
    ("。。。", "！！！"),
    ("，", "abc"),
    ("__PREDPLACEHOLDER__", "，"),
    ("OpenAI和谷歌都没有护城河？", "OpenAI没有护城河?谷歌也没有!"),
    ("Tab\tseparated\u3000全角空格", "Tab separated 全角空格"),
    ("末尾有换行\n", "末尾有换行\r\n"),
    ("a。 \nb", "a。\nb"),
]


def _sentences() -> list[str]:
    """Lines of the shipped texts: the source article, its references and the seven candidates."""
    files = sorted((ROOT / "sources").glob("*.txt")) + sorted((ROOT / "references").rglob("*.txt"))
    files += sorted((ROOT / "candidates").rglob("*.txt"))
    lines = [line.strip() for path in files for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) > 50, "the shipped corpus is missing"
    return lines


def generated_pairs(count: int = 320, seed: int = 16) -> list[tuple[str, str]]:
    """(target, prediction) pairs: sentences with deletions, repeats, ASCII punctuation, newlines,
    English words, empties and one-word summaries (seeded, so the same pairs every run)."""
    rng = random.Random(seed)
    lines = _sentences()
    extras = ["GPT-3.5", "5.4亿", "the model", "a test,", "An apple.", "\n", " ", "。", "!", "?", "......", "……"]
    pairs: list[tuple[str, str]] = []
    for i in range(count):
        target = "".join(rng.sample(lines, rng.randint(1, 3)))
        words = list(target)
        kind = i % 8
        if kind == 0:  # an extract with deletions
            prediction = "".join(c for c in words if rng.random() > 0.3)
        elif kind == 1:  # repeated n-grams
            piece = target[: rng.randint(2, 12)]
            prediction = piece * rng.randint(2, 5)
        elif kind == 2:  # ASCII punctuation and English inserted
            prediction = "".join(c + (rng.choice(extras) if rng.random() < 0.08 else "") for c in words)
        elif kind == 3:  # newlines between sentences
            prediction = "\n".join(rng.sample(lines, rng.randint(1, 3)))
        elif kind == 4:  # shorter than two tokens
            prediction = rng.choice(["", "好", "模型", "。", target[:1], " "])
        elif kind == 5:  # an unrelated sentence
            prediction = rng.choice(lines)
        elif kind == 6:  # ASCII-comma version of the target
            prediction = target.replace("，", ",").replace("。", ".").replace("：", ":")
        else:  # the target itself, or empty
            prediction = target if rng.random() < 0.7 else ""
        if rng.random() < 0.5:
            target, prediction = target.replace("，", ","), prediction
        pairs.append((target, prediction))
    return pairs


PAIRS = HAND_WRITTEN + generated_pairs()


@pytest.fixture(scope="module")
def cut(ind_jieba):
    return ind_jieba.cut


def _tool_pair(hyp: str, ref: str) -> dict[str, float] | None:
    """rouge-chinese's F per metric for one pair, None when the tool raises on an empty side."""
    try:
        (scores,) = rouge_chinese.Rouge().get_scores(hyp, ref)
    except ValueError:
        return None
    return {m: scores[k]["f"] for m, k in METRIC_KEYS.items()}


def test_enough_pairs_of_every_kind():
    assert len(PAIRS) >= 300
    assert any(p == "" for _, p in PAIRS) and any("\n" in p for _, p in PAIRS)
    assert any("." in p or "," in p for _, p in PAIRS) and any("the" in p for _, p in PAIRS)


def test_rouge_chinese_per_pair_and_mean(cut):
    conv = CONVENTIONS["rouge-chinese"]
    ours_all: dict[str, list[float]] = {m: [] for m in METRIC_KEYS}
    hyps, refs, raised = [], [], 0
    for target, prediction in PAIRS:
        hyp, ref = " ".join(cut(prediction)), " ".join(cut(target))
        ours = conv.score_pair(target=target, prediction=prediction, cut=cut)
        tool = _tool_pair(hyp, ref)
        if tool is None:  # the tool raises on an empty side; the convention scores it 0
            raised += 1
            assert ours == {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
            continue
        for m in METRIC_KEYS:
            assert abs(ours[m] - tool[m]) <= TOLERANCE, (target, prediction, m)
            ours_all[m].append(ours[m])
        hyps.append(hyp)
        refs.append(ref)
    assert raised >= 5
    avg = rouge_chinese.Rouge().get_scores(hyps, refs, avg=True)
    for m, k in METRIC_KEYS.items():
        assert abs(conv.aggregate(ours_all[m]) - avg[k]["f"]) <= TOLERANCE


def test_llamafactory_loop(cut):
    conv = CONVENTIONS["llamafactory"]
    stored: dict[str, list[float]] = {m: [] for m in METRIC_KEYS}
    ours: dict[str, list[float]] = {m: [] for m in METRIC_KEYS}
    for target, prediction in PAIRS:
        hypothesis, reference = list(cut(prediction)), list(cut(target))
        # ComputeSimilarity's own loop, with the real rouge-chinese.
        if not " ".join(hypothesis).split() or not " ".join(reference).split():
            tool = {m: 0.0 for m in METRIC_KEYS}
        else:
            found = _tool_pair(" ".join(hypothesis), " ".join(reference))
            assert found is not None
            tool = found
        pair = conv.score_pair(target=target, prediction=prediction, cut=cut)
        for m in METRIC_KEYS:
            stored[m].append(round(tool[m] * 100, 4))
            ours[m].append(pair[m])
            assert abs(pair[m] * 100 - stored[m][-1]) <= TOLERANCE
    for m in METRIC_KEYS:
        assert abs(conv.aggregate(ours[m]) * 100 - float(np.mean(stored[m]))) <= TOLERANCE


def test_opencompass_evaluator(cut):
    conv = CONVENTIONS["opencompass"]
    predictions = [" ".join(cut(general_postprocess(p))) or "__PREDPLACEHOLDER__" for _, p in PAIRS]
    references = [" ".join(cut(general_postprocess(t))) or "__REFRPLACEHOLDER__" for t, _ in PAIRS]
    tool = rouge_chinese.Rouge().get_scores(predictions, references, avg=True)
    per_pair = rouge_chinese.Rouge().get_scores(predictions, references)
    ours = [conv.score_pair(target=t, prediction=p, cut=cut) for t, p in PAIRS]
    for m, k in METRIC_KEYS.items():
        for mine, theirs in zip(ours, per_pair, strict=True):
            assert abs(mine[m] - theirs[k]["f"]) <= TOLERANCE
        assert abs(conv.aggregate([s[m] for s in ours]) * 100 - tool[k]["f"] * 100) <= TOLERANCE
    corpus = conv.score_corpus([(t, p) for t, p in PAIRS], cut)
    assert corpus == {m: conv.aggregate([s[m] for s in ours]) for m in METRIC_KEYS}


def test_words_match_the_tool_on_raw_text():
    """rouge-chinese's sentence rules and whitespace split on text nobody cut: the raw tool's
    rouge-1 counts (raw_results) equal our distinct-word counts."""
    from harness.rouge.conventions import split_words

    raw = rouge_chinese.Rouge(metrics=["rouge-1", "rouge-l"], raw_results=True)
    for target, prediction in PAIRS:
        if not prediction.strip() or not target.strip():
            continue
        (scores,) = raw.get_scores(prediction, target)
        assert scores["rouge-l"]["hyp"] == len(split_words(prediction))
        assert scores["rouge-1"]["hyp"] == len(set(split_words(prediction)))


@pytest.mark.parametrize("n", [*range(0, 300, 7), 1000, 1023, 8191, 8193, 20000])
def test_numpy_pairwise_sum(n):
    rng = random.Random(n)
    values = [round(rng.random() * 100, 4) for _ in range(n)]
    assert numpy_sum(values) == float(np.add.reduce(np.array(values, dtype=np.float64)))


def test_caching_cut_gives_jiebas_words(cut):
    """jieba cuts each run of Han characters, letters and digits on its own, so a text cut in
    pieces after 。！？；：， and newlines gives the same words as the whole text cut at once."""
    from harness.rouge.conventions import caching_cut

    cached = caching_cut(cut)
    texts = [t for pair in PAIRS for t in pair] + _sentences() + ["\r\n".join(_sentences()[:40]), "a，\r\nb。\n\n c"]
    for text in texts:
        assert cached(text) == list(cut(text))
