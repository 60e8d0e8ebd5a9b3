"""Combining pair scores: several references per document, then documents into a corpus score."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from harness.errors import InputError
from harness.scoring import Score

MULTIREF_MODES = ("best", "mean")


def combine_references(per_reference: Mapping[str, Mapping[str, Score]], metrics: Sequence[str], mode: str) -> dict[str, Score]:
    """One score per metric from the scores against each reference.

    best: per metric, the reference with the highest F (the first in reference order on ties:
          file-name order in a folder, list order in JSONL), as rouge-score's `score_multi` does.
    mean: per metric, the mean of precision, recall and F over the references."""
    names = list(per_reference)
    out: dict[str, Score] = {}
    for metric in metrics:
        scores = [per_reference[name][metric] for name in names]
        if mode == "best":
            best = scores[0]
            for s in scores[1:]:
                if s.fmeasure > best.fmeasure:
                    best = s
            out[metric] = best
        elif mode == "mean":
            out[metric] = mean_score(scores)
        else:
            raise InputError(f"unknown multi-reference mode {mode!r}; choose one of: {', '.join(MULTIREF_MODES)}")
    return out


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
