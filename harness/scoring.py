"""ROUGE between two analysed texts; the only module that imports rouge_score.

N-gram scores come from rouge-score's own `_score_ngrams` on cached counts. LCS
scores (rougeL, and summary-level rougeLsum with ROUGE-1.5.5's guard against
double counting) follow rouge-score's `_score_lcs` / `_summary_level_lcs`
step for step, with the table replaced by `harness.lcs`. `naive_score` runs
rouge-score's `RougeScorer` itself and is what tests and benchmarks check against.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from importlib.metadata import version
from types import ModuleType
from typing import NamedTuple

from harness.analysis import Analysis, TextProcessor
from harness.errors import InputError
from harness.lcs import lcs_indices, lcs_length, match_masks

DEFAULT_METRICS: tuple[str, ...] = ("rouge1", "rouge2", "rougeL", "rougeLsum")
_NGRAM = re.compile("rouge[1-9]")  # used with fullmatch: "$" would also accept "rouge1\n"

__all__ = ["DEFAULT_METRICS", "Score", "check_metrics", "naive_score", "rouge_version", "score_pair"]


class Score(NamedTuple):
    """Precision, recall and F; equal (as a tuple) to rouge-score's own Score."""

    precision: float
    recall: float
    fmeasure: float


@cache
def _rouge() -> tuple[ModuleType, ModuleType]:
    """rouge_score's scorer and scoring modules, imported on first use: importing it pulls in
    nltk and numpy (about 0.4 s), which `--help`, `tokenize` and errors should not pay for."""
    from rouge_score import rouge_scorer, scoring

    return rouge_scorer, scoring


def rouge_version() -> str:
    """Installed rouge-score version."""
    return version("rouge-score")


def check_metrics(metrics: Sequence[str]) -> tuple[str, ...]:
    """Validate ROUGE type names (rouge1..rouge9, rougeL, rougeLsum); keep order, drop repeats."""
    out: list[str] = []
    bad = [m for m in metrics if not (_NGRAM.fullmatch(m) or m in ("rougeL", "rougeLsum"))]
    if bad:
        raise InputError(
            f"unknown metric {', '.join(map(repr, bad))}; choose from rouge1..rouge9, rougeL, rougeLsum"
        )
    if not metrics:
        raise InputError("no metrics given; choose from rouge1..rouge9, rougeL, rougeLsum")
    for m in metrics:
        if m not in out:
            out.append(m)
    return tuple(out)


def _score(hits: int, n_prediction: int, n_target: int) -> Score:
    precision = hits / n_prediction
    recall = hits / n_target
    return Score(precision=precision, recall=recall, fmeasure=_rouge()[1].fmeasure(precision, recall))


_ZERO = Score(precision=0.0, recall=0.0, fmeasure=0.0)


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


def _rouge_lsum(target: Analysis, prediction: Analysis) -> Score:
    ref_sents, can_sents = target.sentences, prediction.sentences
    m, n = len(target.tokens), len(prediction.tokens)
    if not m or not n:
        return _ZERO
    cnt_r = Counter(target.tokens)
    cnt_c = Counter(prediction.tokens)
    can_sets = [frozenset(c) for c in can_sents]
    hits = 0
    for r in ref_sents:
        r_masks = match_masks(r)
        r_set = r_masks.keys()
        full = (1 << len(r)) - 1
        union = 0  # bit i set: r[i] is in the union LCS so far
        for c, c_set in zip(can_sents, can_sets, strict=True):
            if union == full:
                break
            shared = r_set & c_set
            if not shared:
                continue
            # An LCS of r and c only uses positions of r whose token occurs in c; when all of
            # those are already in the union, c cannot change it (exactly), so skip the LCS.
            reachable = 0
            for token in shared:
                reachable |= r_masks[token]
            if reachable & ~union:
                for i in lcs_indices(r, c):
                    union |= 1 << i
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
    for metric in metrics:
        if metric == "rougeL":
            result[metric] = _rouge_l(target, prediction)
        elif metric == "rougeLsum":
            result[metric] = _rouge_lsum(target, prediction)
        else:
            n = int(metric[5:])
            s = _rouge()[0]._score_ngrams(target.ngrams(n), prediction.ngrams(n))
            result[metric] = Score(float(s.precision), float(s.recall), float(s.fmeasure))
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

    scorer = _rouge()[0].RougeScorer(list(metrics), tokenizer=_LineTokenizer(processor))
    raw = scorer.score(target=lines(target), prediction=lines(prediction))
    return {k: Score(float(v.precision), float(v.recall), float(v.fmeasure)) for k, v in raw.items()}
