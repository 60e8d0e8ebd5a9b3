"""ROUGE between two analysed texts, with rouge-score 0.1.2's numbers to the last bit.

Each metric of a pair first yields its sufficient counts (`Counts`: hits, reference units,
candidate units), and its Score is made from them with rouge-score's float operations; the
counts are what the cache stores and what ROUGE-1.5.5's pooled multi-reference mode sums.
N-gram scores do rouge-score's `_score_ngrams` arithmetic (clipped overlap over each
side's n-gram count, F from its `scoring.fmeasure`) on cached counts. LCS scores
(rougeL, and summary-level rougeLsum with ROUGE-1.5.5's guard against double
counting) follow rouge-score's `_score_lcs` / `_summary_level_lcs` step for step, with
the table replaced by `harness.rouge.lcs`. rouge-score itself is imported only by
`naive_score`, the one-`score()`-per-pair way that tests and benchmarks compare
every number with: importing it pulls in nltk and numpy (about a second), which a
run does not need.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from harness.rouge import metrics as registry
from harness.rouge.lcs import lcs_index_bits, lcs_length
from harness.rouge.metrics import DEFAULT_METRICS, check_metrics
from harness.text.analysed import AnalysedText, TextProcessor, match_masks

# The rouge-score release whose numbers these are (pinned in pyproject.toml; the tests
# compare with the installed one, and check that it is this release).
ROUGE_DEFINITION = "0.1.2"
# Names the arithmetic in the signature (a field that does not change numbers).
ENGINE = "harness-py"

__all__ = [
    "DEFAULT_METRICS", "ENGINE", "ROUGE_DEFINITION", "Counts", "Score", "check_metrics", "naive_score", "pair_counts",
    "score_pair",
]


class Score(NamedTuple):
    """Precision, recall and F; equal (as a tuple) to rouge-score's own Score."""

    precision: float
    recall: float
    fmeasure: float


def fmeasure(precision: float, recall: float) -> float:
    """rouge-score's `scoring.fmeasure`, the same expression so the same float."""
    if precision + recall > 0:
        return 2 * precision * recall / (precision + recall)
    return 0.0


class Counts(NamedTuple):
    """The sufficient counts of one metric on one pair: `hits` (clipped overlap, LCS length or
    union-LCS hits), `target` units of the reference and `prediction` units of the candidate
    (n-grams, skip-bigrams or tokens; never negative, 0 for a text too short to have one)."""

    hits: int
    target: int
    prediction: int

    def score(self) -> Score:
        """P = hits / prediction, R = hits / target, F as rouge-score's `fmeasure`. A zero count
        is floored at 1 as rouge-score's `_score_ngrams` does (then hits is 0 and so is the
        score); for LCS types rouge-score returns 0 for an empty side, the same floats. Summed
        Counts give ROUGE-1.5.5's pooled (`-f A`) score."""
        precision = self.hits / max(self.prediction, 1)
        recall = self.hits / max(self.target, 1)
        return Score(precision=precision, recall=recall, fmeasure=fmeasure(precision, recall))


def _clipped_overlap(t: Mapping[Any, int], p: Mapping[Any, int]) -> int:
    """Sum over shared keys of the smaller count (rouge-score's and ROUGE-1.5.5's clipping)."""
    small, large = (t, p) if len(t) <= len(p) else (p, t)
    hits = 0
    for gram, count in small.items():
        other = large.get(gram)
        if other:
            hits += min(other, count)
    return hits


def _ngram_counts(target: AnalysedText, prediction: AnalysedText, n: int) -> Counts:
    """rouge-score's `_score_ngrams`: overlap is the sum of clipped counts over each side's
    n-gram count (len - n + 1, at least 0)."""
    hits = _clipped_overlap(target.ngrams(n), prediction.ngrams(n))
    return Counts(hits, max(len(target.tokens) - n + 1, 0), max(len(prediction.tokens) - n + 1, 0))


def _skip_counts(target: AnalysedText, prediction: AnalysedText, gap: int, unigrams: bool) -> Counts:
    """ROUGE-1.5.5's skip-bigram score (`-2 gap`, with `-u` when `unigrams`): clipped overlap of
    the skip-bigram (and unigram) counts over each side's total (see `AnalysedText.skipgrams`)."""
    if len(target.tokens) + len(prediction.tokens) > _COMPACT_SKIPS:
        return _compact_skip_counts(target.tokens, prediction.tokens, gap, unigrams)
    t, p = target.skipgrams(gap, unigrams), prediction.skipgrams(gap, unigrams)
    return Counts(_clipped_overlap(t, p), t.total(), p.total())


# Tokens of a pair past which skip-bigrams are counted as sorted integers rather than a Counter
# of tuples: about 160 bytes per distinct skip-bigram there, and rougeSU4 makes 5 per token
# (a pair of 700,000 tokens each would hold about 1 GB in Counters).
_COMPACT_SKIPS = 100_000


def _sorted_runs(keys: list[int]) -> tuple[array[int], array[int]]:
    """The distinct values of `keys` in order, and how often each occurs."""
    keys.sort()
    values, counts = array("q"), array("q")
    previous, run = None, 0
    for key in keys:
        if key == previous:
            run += 1
            continue
        if previous is not None:
            values.append(previous)
            counts.append(run)
        previous, run = key, 1
    if previous is not None:
        values.append(previous)
        counts.append(run)
    return values, counts


def _compact_skip_counts(t: Sequence[str], p: Sequence[str], gap: int, unigrams: bool) -> Counts:
    """`_skip_counts` on long texts: each skip-bigram (a, b) is the integer id(a) << 32 | id(b) and
    each unigram id(a) << 32 (ids start at 1), ids shared by both texts, so equal grams are equal
    integers; counted by sorting, and the clipped overlap taken by merging the sorted runs."""
    ids: dict[str, int] = {}
    sides = []
    for toks in (t, p):
        idx = [ids.setdefault(token, len(ids) + 1) for token in toks]
        keys = [a << 32 | b for distance in range(1, gap + 2) for a, b in zip(idx, idx[distance:], strict=False)]
        if unigrams:
            keys += [a << 32 for a in idx[:-1]]
        total = len(keys)
        sides.append((*_sorted_runs(keys), total))
        del keys, idx
    (tv, tc, t_total), (pv, pc, p_total) = sides
    hits = i = j = 0
    while i < len(tv) and j < len(pv):
        if tv[i] == pv[j]:
            hits += min(tc[i], pc[j])
            i += 1
            j += 1
        elif tv[i] < pv[j]:
            i += 1
        else:
            j += 1
    return Counts(hits, t_total, p_total)


# Tokens from which a text's LCS masks are made for each pair, only for the tokens the other text
# has, and not kept: masks of every distinct token of a long text take distinct x length / 8
# bytes (a text of 130,000 jieba words: 560 MB, of which the other text needed a fraction).
LONG = 20_000


def _masks(text: AnalysedText, other: AnalysedText) -> dict[str, int]:
    if len(text.tokens) < LONG:
        return text.masks()  # kept on the text: a reference's serve every candidate
    return match_masks(text.tokens, keep=other.counts().keys())


def _sentence_masks(text: AnalysedText, other: AnalysedText) -> list[dict[str, int]]:
    if len(text.tokens) < LONG:
        return text.sentence_masks()
    keep = other.counts().keys()
    return [match_masks(s, keep=keep) for s in text.sentences]


def _lcs_counts(target: AnalysedText, prediction: AnalysedText) -> Counts:
    t, p = target.tokens, prediction.tokens
    if not t or not p:
        return Counts(0, len(t), len(p))
    # Iterate over the shorter text, keep the longer one as bit rows (cheaper per step).
    if len(t) <= len(p):
        hits = lcs_length(t, _masks(prediction, target), len(p))
    else:
        hits = lcs_length(p, _masks(target, prediction), len(t))
    return Counts(hits, len(t), len(p))


def _rouge_l(target: AnalysedText, prediction: AnalysedText) -> Score:
    """Sentence-level ROUGE-L, rouge-score's `_score_lcs`."""
    return _lcs_counts(target, prediction).score()


# LCS index masks of recent (reference sentence, candidate sentence) pairs: the summaries of one
# document share sentences (extracts, lead-N), and each pair's walk is the costly part of Lsum.
_LCS_MEMO: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
_LCS_MEMO_SIZE = 50_000


def _lsum_counts(target: AnalysedText, prediction: AnalysedText) -> Counts:
    ref_sents, can_sents = target.sentences, prediction.sentences
    m, n = len(target.tokens), len(prediction.tokens)
    if not m or not n:
        return Counts(0, m, n)
    cnt_r = target.counts().copy()
    cnt_c = prediction.counts().copy()
    can_masks = _sentence_masks(prediction, target)
    # The reference's masks only let an LCS be skipped (below); a long reference's would double
    # the memory, so it does without the skip (the same union: the skip is exact).
    long = m >= LONG
    ref_masks: list[dict[str, int]] = [{} for _ in ref_sents] if long else target.sentence_masks()
    hits = 0
    for r, r_masks in zip(ref_sents, ref_masks, strict=True):
        r_set = set(r) if long else r_masks.keys()
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
            reachable = full if long else 0
            for token in () if long else shared:
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
    return Counts(hits, m, n)


def _rouge_lsum(target: AnalysedText, prediction: AnalysedText) -> Score:
    """Summary-level ROUGE-Lsum, rouge-score's `_summary_level_lcs`."""
    return _lsum_counts(target, prediction).score()


def pair_counts(*, target: AnalysedText, prediction: AnalysedText, metrics: Sequence[str]) -> dict[str, Counts]:
    """The sufficient counts of `prediction` (candidate) against `target` (reference), per metric."""
    result: dict[str, Counts] = {}
    for name in metrics:
        metric = registry.get(name)
        if metric.kind == "lcs":
            result[name] = _lcs_counts(target, prediction)
        elif metric.kind == "lcsum":
            result[name] = _lsum_counts(target, prediction)
        elif metric.kind == "skip":
            result[name] = _skip_counts(target, prediction, metric.gap, metric.unigrams)
        else:
            result[name] = _ngram_counts(target, prediction, metric.n)
    return result


def score_pair(*, target: AnalysedText, prediction: AnalysedText, metrics: Sequence[str]) -> dict[str, Score]:
    """ROUGE of `prediction` (candidate) against `target` (reference), per metric.

    Identical numbers to rouge-score's RougeScorer(metrics, tokenizer=...).score()
    on the same tokens; precision is over the prediction, recall over the target.
    Skip-bigram types (rougeSU4...), which rouge-score lacks, equal ROUGE-1.5.5's."""
    return {name: c.score() for name, c in pair_counts(target=target, prediction=prediction, metrics=metrics).items()}


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
