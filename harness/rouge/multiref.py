"""Combining pair scores: several references per document, then documents into a corpus score.

`best` reproduces rouge-score's `score_multi`; `best-recall` and `pooled` reproduce
ROUGE-1.5.5's `-f B` and `-f A` (read in `computeNGramScore`, `computeSkipBigramScore` and
`computeLCSScore` of ROUGE-1.5.5.pl, and checked pair by pair against the script in
`tests/test_perl_parity.py`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from harness.errors import InputError
from harness.rouge import metrics as registry
from harness.rouge.scoring import Counts, Score

MULTIREF_MODES = ("best", "mean", "best-recall", "pooled")


def combine_references(per_reference: Mapping[str, Mapping[str, Counts]], metrics: Sequence[str], mode: str) -> dict[str, Score]:
    """One score per metric from the counts against each reference (in reference order: file-name
    order in a folder, list order in JSONL).

    best:        the reference with the highest F (the first on ties), as rouge-score's `score_multi`.
    mean:        the mean of precision, recall and F over the references.
    best-recall: ROUGE-1.5.5 `-f B`: the reference with the highest recall (the first on ties), its
                 P, R and F. As in the script, the n-gram and skip-bigram recalls are compared
                 rounded to 5 decimals (it compares its `%7.5f` strings), the LCS ones unrounded.
    pooled:      ROUGE-1.5.5 `-f A`, its default: hits, reference units and candidate units summed
                 over the k references (so the candidate's units count k times), then P, R, F."""
    if mode not in MULTIREF_MODES:
        raise InputError(f"unknown multi-reference mode {mode!r}; choose one of: {', '.join(MULTIREF_MODES)}")
    names = list(per_reference)
    out: dict[str, Score] = {}
    for metric in metrics:
        counts = [per_reference[name][metric] for name in names]
        if mode == "pooled":
            out[metric] = Counts(*(sum(column) for column in zip(*counts, strict=True))).score() if counts else _ZERO
            continue
        scores = [c.score() for c in counts]
        if mode == "mean":
            out[metric] = mean_score(scores)
        elif not scores:
            out[metric] = _ZERO
        elif mode == "best":
            out[metric] = scores[_first_max([s.fmeasure for s in scores])]
        else:
            rounded = registry.get(metric).kind not in ("lcs", "lcsum")
            out[metric] = scores[_first_max([_perl_recall(s.recall, rounded) for s in scores])]
    return out


_ZERO = Score(0.0, 0.0, 0.0)


def _first_max(values: Sequence[float]) -> int:
    """Index of the first largest value (a later one must be strictly greater to win)."""
    best = 0
    for i, value in enumerate(values):
        if value > values[best]:
            best = i
    return best


def _perl_recall(recall: float, rounded: bool) -> float:
    # ROUGE-1.5.5's ngramScore/skipBigramScore keep sprintf("%07.5f", hit / count) as the score
    # `-f B` compares, so recalls 0.333331 and 0.333334 tie at 0.33333 and the first reference wins.
    # Python's and C's formatting both round the double correctly, so the strings agree.
    return float(f"{recall:.5f}") if rounded else recall


def mean_score(scores: Sequence[Score]) -> Score:
    """Exact mean of each field (math.fsum, so the order of the items changes nothing)."""
    n = len(scores)
    if not n:
        return Score(0.0, 0.0, 0.0)
    return Score(
        precision=math.fsum(s.precision for s in scores) / n,
        recall=math.fsum(s.recall for s in scores) / n,
        fmeasure=math.fsum(s.fmeasure for s in scores) / n,
    )
