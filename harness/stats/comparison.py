"""Paired significance between systems (`harness compare`): each system against a baseline
system on each metric, over the same documents (rendered by harness.render.comparison)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from harness.errors import InputError
from harness.results.contract import MEASURES
from harness.results.model import Evaluation
from harness.rouge import signature as signature_fields
from harness.stats.resampling import (
    DEFAULT_CONFIDENCE,
    DEFAULT_SEED,
    DEFAULT_TRIALS,
    Resampling,
    compare_columns,
    smallest_permutation_p,
)

DEFAULT_ALPHA = 0.05


@dataclass(frozen=True)
class Comparison:
    """One system against the baseline system on one metric; p-values and interval are None
    when the corpus is too small for a paired test."""

    system: str
    metric: str
    delta: float
    ci: tuple[float, float] | None
    p_bootstrap: float | None
    p_permutation: float | None
    significant: bool


@dataclass
class Comparisons:
    """Everything `harness compare` reports."""

    signature: str
    baseline: str
    on: str
    alpha: float
    resampling: Resampling
    n_docs: int
    rows: list[Comparison]
    notes: list[str] = field(default_factory=list)


def check_alpha(alpha: float, option: str = "--alpha") -> float:
    """`alpha` if it is a level strictly between 0 and 1."""
    if not 0.0 < alpha < 1.0:
        raise InputError(f"{option} {alpha}: must be between 0 and 1, e.g. 0.05")
    return alpha


def compare(
    evaluation: Evaluation,
    baseline_system: str | None = None,
    *,
    on: str = "fmeasure",
    alpha: float = DEFAULT_ALPHA,
    trials: int = DEFAULT_TRIALS,
    seed: int = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
    resampling: Resampling | None = None,
    metrics: Sequence[str] | None = None,
) -> Comparisons:
    """Every other system of `evaluation` against `baseline_system` (default: the top-ranked one)
    on each metric's `on` measure (every metric, or only `metrics`): the difference of corpus means
    (system - baseline), its paired bootstrap interval, and both paired p-values from `trials`
    seeded resamples and permutations (or `resampling`, when given), p = (c + 1) / (trials + 1) as
    SacreBLEU computes them. Significant means p_permutation <= alpha. `harness compare` prints
    exactly this (harness.render.comparison)."""
    if on not in MEASURES:
        raise InputError(f"--on {on}: choose one of {', '.join(MEASURES)}")
    check_alpha(alpha)
    resampling = resampling or Resampling(trials, confidence, seed)
    baseline = baseline_system
    names = [s.name for s in evaluation.systems]
    if len(names) < 2:
        raise InputError(f"nothing to compare: the corpus has {len(names)} system{'' if len(names) == 1 else 's'}, a comparison needs 2")
    if baseline is None:
        baseline = names[0]
    elif baseline not in names:
        close = difflib.get_close_matches(baseline, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(f"no system {baseline!r} to compare against{hint}; systems: {', '.join(names)}")
    docs = evaluation.documents
    by_name = {s.name: s for s in evaluation.systems}

    def column(system: str, metric: str) -> list[float]:
        return [getattr(by_name[system].documents[d].score(metric), on) for d in docs]

    pairs = {
        (name, metric): (column(name, metric), column(baseline, metric))
        for name in names if name != baseline for metric in evaluation.metrics if metrics is None or metric in metrics
    }
    notes: list[str] = []
    signed = evaluation.signature
    if len(docs) < 2:
        notes.append(
            f"too few documents for a paired test: {len(docs)} (at least 2 are needed; with so few, "
            "a difference says nothing about the next document)"
        )
        rows = [
            Comparison(name, metric, getattr(by_name[name].scores[metric], on) - getattr(by_name[baseline].scores[metric], on),
                       None, None, None, False)
            for name, metric in pairs
        ]
    else:
        signed = signature_fields.extend(
            signed, trials=str(resampling.trials), seed=str(resampling.seed), ci=resampling.percent
        )
        floor = smallest_permutation_p(len(docs))
        if floor > alpha:
            notes.append(
                f"with {len(docs)} documents no permutation p-value can be below {floor:g} "
                f"(2 of the 2^{len(docs)} sign patterns), so nothing can be significant at {alpha:g}; the "
                "bootstrap p-values and intervals, which only reshuffle these few differences, understate the "
                "uncertainty and can look significant when the permutation test cannot"
            )
        found = compare_columns(pairs, resampling)
        rows = [
            Comparison(name, metric, r.delta, r.ci, r.p_bootstrap, r.p_permutation, r.p_permutation <= alpha)
            for (name, metric), r in found.items()
        ]
    return Comparisons(signed, baseline, on, alpha, resampling, len(docs), rows, notes)
