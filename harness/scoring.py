"""ROUGE between two analysed texts, with rouge-score 0.1.2's numbers to the last bit.

N-gram scores do rouge-score's `_score_ngrams` arithmetic (clipped overlap over each
side's n-gram count, F from its `scoring.fmeasure`) on cached counts. LCS scores
(rougeL, and summary-level rougeLsum with ROUGE-1.5.5's guard against double
counting) follow rouge-score's `_score_lcs` / `_summary_level_lcs` step for step, with
the table replaced by `harness.lcs`. rouge-score itself is imported only by
`naive_score`, the one-`score()`-per-pair way that tests and benchmarks compare
every number with: importing it pulls in nltk and numpy (about a second), which a
run does not need.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import version
from typing import NamedTuple

from harness import metrics as registry
from harness.analysis import Analysis, TextProcessor
from harness.lcs import lcs_index_bits, lcs_length
from harness.metrics import DEFAULT_METRICS, check_metrics

# The rouge-score release whose numbers these are (pinned in pyproject.toml; the tests
# compare with the installed one, and check that it is this release).
ROUGE_DEFINITION = "0.1.2"
# Names the arithmetic in the signature (a field that does not change numbers).
ENGINE = "harness-py"

__all__ = ["DEFAULT_METRICS", "ENGINE", "ROUGE_DEFINITION", "Score", "check_metrics", "naive_score", "score_pair"]


class Score(NamedTuple):
    """Precision, recall and F; equal (as a tuple) to rouge-score's own Score."""

    precision: float
    recall: float
    fmeasure: float


def installed_rouge_version() -> str:
    """Version of the installed rouge-score package (the oracle of tests and benchmarks)."""
    return version("rouge-score")


def fmeasure(precision: float, recall: float) -> float:
    """rouge-score's `scoring.fmeasure`, the same expression so the same float."""
    if precision + recall > 0:
        return 2 * precision * recall / (precision + recall)
    return 0.0


def _score(hits: int, n_prediction: int, n_target: int) -> Score:
    precision = hits / n_prediction
    recall = hits / n_target
    return Score(precision=precision, recall=recall, fmeasure=fmeasure(precision, recall))


_ZERO = Score(precision=0.0, recall=0.0, fmeasure=0.0)


def _rouge_n(target: Analysis, prediction: Analysis, n: int) -> Score:
    """rouge-score's `_score_ngrams`: overlap is the sum of clipped counts; each count is
    floored at 1 in the division (so an empty side gives 0, not an error)."""
    t, p = target.ngrams(n), prediction.ngrams(n)
    small, large = (t, p) if len(t) <= len(p) else (p, t)
    hits = 0
    for gram, count in small.items():
        other = large.get(gram)
        if other:
            hits += min(other, count)
    precision = hits / max(len(prediction.tokens) - n + 1, 1)
    recall = hits / max(len(target.tokens) - n + 1, 1)
    return Score(precision=precision, recall=recall, fmeasure=fmeasure(precision, recall))


def _rouge_l(target: Analysis, prediction: Analysis) -> Score:
    t, p = target.tokens, prediction.tokens
    if not t or not p:
        return _ZERO
    # Iterate over the shorter text, keep the longer one as bit rows (cheaper per step).
    if len(t) <= len(p):
        hits = lcs_length(t, prediction.masks(), len(p))
    else:
        hits = lcs_length(p, target.masks(), len(t))
    return _score(hits, len(p), len(t))


# LCS index masks of recent (reference sentence, candidate sentence) pairs: the summaries of one
# document share sentences (extracts, lead-N), and each pair's walk is the costly part of Lsum.
_LCS_MEMO: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
_LCS_MEMO_SIZE = 50_000


def _rouge_lsum(target: Analysis, prediction: Analysis) -> Score:
    ref_sents, can_sents = target.sentences, prediction.sentences
    m, n = len(target.tokens), len(prediction.tokens)
    if not m or not n:
        return _ZERO
    cnt_r = target.counts().copy()
    cnt_c = prediction.counts().copy()
    can_masks = prediction.sentence_masks()
    hits = 0
    for r, r_masks in zip(ref_sents, target.sentence_masks(), strict=True):
        r_set = r_masks.keys()
        full = (1 << len(r)) - 1
        union = 0  # bit i set: r[i] is in the union LCS so far
        for c, c_masks in zip(can_sents, can_masks, strict=True):
            if union == full:
                break
            shared = r_set & c_masks.keys()
            if not shared:
                continue
            # An LCS of r and c only uses positions of r whose token occurs in c; when all of
            # those are already in the union, c cannot change it (exactly), so skip the LCS.
            reachable = 0
            for token in shared:
                reachable |= r_masks[token]
            if reachable & ~union:
                key = (r, c)
                bits = _LCS_MEMO.get(key)
                if bits is None:
                    bits = lcs_index_bits(r, c, c_masks)
                    if len(_LCS_MEMO) >= _LCS_MEMO_SIZE:
                        _LCS_MEMO.clear()
                    _LCS_MEMO[key] = bits
                union |= bits
        for i in (i for i in range(len(r)) if union >> i & 1):
            token = r[i]
            if cnt_c[token] > 0 and cnt_r[token] > 0:
                hits += 1
                cnt_c[token] -= 1
                cnt_r[token] -= 1
    return _score(hits, n, m)


def score_pair(*, target: Analysis, prediction: Analysis, metrics: Sequence[str]) -> dict[str, Score]:
    """ROUGE of `prediction` (candidate) against `target` (reference), per metric.

    Identical numbers to rouge-score's RougeScorer(metrics, tokenizer=...).score()
    on the same tokens; precision is over the prediction, recall over the target."""
    result: dict[str, Score] = {}
    for name in metrics:
        metric = registry.get(name)
        if metric.kind == "lcs":
            result[name] = _rouge_l(target, prediction)
        elif metric.kind == "lcsum":
            result[name] = _rouge_lsum(target, prediction)
        else:
            result[name] = _rouge_n(target, prediction, metric.n)
    return result


class _LineTokenizer:
    """Adapter giving RougeScorer our tokens for text already normalised and split one sentence per line."""

    def __init__(self, processor: TextProcessor) -> None:
        self._tokenize = processor.tokenizer.tokenize

    def tokenize(self, text: str) -> list[str]:
        return [t for line in text.split("\n") for t in self._tokenize(line)]


def naive_score(
    *, target: str, prediction: str, processor: TextProcessor, metrics: Sequence[str]
) -> dict[str, Score]:
    """The naive way: rouge-score's RougeScorer.score() on one pair, tokenizing both
    texts again on every call. Sentences go in one per line, as rougeLsum expects."""

    def lines(text: str) -> str:
        return "\n".join(processor.split(text))

    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(metrics), tokenizer=_LineTokenizer(processor))
    raw = scorer.score(target=lines(target), prediction=lines(prediction))
    return {k: Score(float(v.precision), float(v.recall), float(v.fmeasure)) for k, v in raw.items()}
