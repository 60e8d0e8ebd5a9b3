"""Bootstrap confidence intervals for an Evaluation (`harness score --bootstrap N`).

The corpus score stays the plain mean of the documents; the interval around it comes from
resampling the documents with replacement (`harness.stats.resampling`), for every system, metric and
each of precision, recall and F, all from the same resamples.
"""

from __future__ import annotations

import dataclasses

from harness.results.contract import MEASURES
from harness.results.model import Evaluation
from harness.rouge import signature
from harness.stats.resampling import Resampling, bootstrap_intervals


def add_intervals(evaluation: Evaluation, resampling: Resampling) -> Evaluation:
    """A copy of `evaluation` with `intervals` filled in and `boot:N|seed:S|ci:C` in its
    signature. With fewer than 2 documents there is no interval (one document has no spread
    to resample): intervals stay None, the signature unchanged, and a warning says why."""
    n_docs = len(evaluation.documents)
    if n_docs < 2:
        why = (
            f"no confidence intervals: the corpus has {n_docs} document{'' if n_docs == 1 else 's'}, "
            "and resampling documents needs at least 2"
        )
        return dataclasses.replace(evaluation, warnings=[*evaluation.warnings, why])
    signed = signature.extend(
        evaluation.signature, boot=str(resampling.trials), seed=str(resampling.seed), ci=resampling.percent
    )
    columns = {
        (system.name, metric, measure): [getattr(system.documents[doc].score(metric), measure) for doc in evaluation.documents]
        for system in evaluation.systems
        for metric in evaluation.metrics
        for measure in MEASURES
    }
    found = bootstrap_intervals(columns, resampling)
    intervals = {
        system.name: {
            metric: {measure: found[(system.name, metric, measure)] for measure in MEASURES} for metric in evaluation.metrics
        }
        for system in evaluation.systems
    }
    return dataclasses.replace(evaluation, signature=signed, intervals=intervals)
