"""The results' model: per-document results, per-system results and the whole evaluation.

harness.results.contract writes and validates their JSON form; everything after the pipeline
(statistics, the gate, the renderers) reads results through these types.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.analyses import registry
from harness.rouge.scoring import Score

_NONE: Mapping[str, Any] = {}  # the analyses of a result none ran on: one shared empty mapping


class DocumentResult:
    """One system on one document: the combined score and the score against each reference,
    and each registered analysis's result (harness.analyses), by analysis name.

    The numbers are kept packed (one array of doubles, the Score objects built when asked for):
    a run of 100,000 pairs holds one of these per pair, and packed they take about 250 bytes
    instead of about 1 KB."""

    __slots__ = ("_metrics", "_packed", "_references", "analyses")

    def __init__(
        self,
        scores: Mapping[str, Score],
        per_reference: Mapping[str, Mapping[str, Score]],
        analyses: Mapping[str, Any] | None = None,
    ) -> None:
        metrics = tuple(scores)
        self._metrics = _METRIC_TUPLES.setdefault(metrics, metrics)  # one tuple shared by every result
        self._packed = _pack(scores, metrics)
        # One reference whose scores are the combined ones (every mode gives that): its name only.
        only = next(iter(per_reference)) if len(per_reference) == 1 else None
        if only is not None and (per_reference[only] is scores or _pack(per_reference[only], metrics) == self._packed):
            self._references: str | dict[str, array[float]] = only
        else:
            self._references = {name: _pack(s, metrics) for name, s in per_reference.items()}
        # Analysis name -> its result; only the analyses that ran on this document (one shared
        # empty mapping when none did).
        self.analyses: Mapping[str, Any] = dict(analyses) if analyses else _NONE

    def score(self, metric: str) -> Score:
        """The combined score of one metric."""
        i = 3 * self._metrics.index(metric)
        return Score(*self._packed[i : i + 3])

    def numbers(self, metrics: tuple[str, ...]) -> array[float] | None:
        """The combined scores as kept: precision, recall and F of each metric in the order of
        `metrics`; None when this result holds another list of metrics (then ask `score`)."""
        return self._packed if self._metrics == metrics else None

    @property
    def scores(self) -> dict[str, Score]:
        """The combined score per metric."""
        return _unpack(self._packed, self._metrics)

    @property
    def per_reference(self) -> dict[str, dict[str, Score]]:
        """The score per metric against each reference."""
        if isinstance(self._references, str):
            return {self._references: self.scores}
        return {name: _unpack(packed, self._metrics) for name, packed in self._references.items()}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DocumentResult):
            return NotImplemented
        return (self.scores, self.per_reference, dict(self.analyses)) == (
            other.scores, other.per_reference, dict(other.analyses)
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return (f"DocumentResult(scores={self.scores!r}, per_reference={self.per_reference!r}, "
                f"analyses={dict(self.analyses)!r})")

    def __getstate__(self) -> tuple[object, ...]:
        return (self._metrics, self._packed, self._references, dict(self.analyses) or None)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        metrics, self._packed, self._references, analyses = state
        self._metrics = _METRIC_TUPLES.setdefault(metrics, metrics)
        self.analyses = analyses or _NONE


_METRIC_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _pack(scores: Mapping[str, Score], metrics: tuple[str, ...]) -> array[float]:
    return array("d", [x for m in metrics for x in scores[m]])


def _unpack(packed: array[float], metrics: tuple[str, ...]) -> dict[str, Score]:
    return {m: Score(*packed[3 * i : 3 * i + 3]) for i, m in enumerate(metrics)}


@dataclass
class SystemResult:
    """One system: corpus scores (exact mean over documents) and per-document results."""

    name: str
    scores: dict[str, Score]
    documents: dict[str, DocumentResult]
    baseline: bool = False  # a row computed from the sources by --baselines, not a submitted system

    def measured(self, analysis: str) -> dict[str, Any]:
        """{document: result} of one analysis, documents in order, only where it ran."""
        return {doc: found for doc in sorted(self.documents) if (found := self.documents[doc].analyses.get(analysis)) is not None}

    def summary(self, analysis: str) -> Any:
        """The analysis's value over this system's documents (its `aggregate`)."""
        return registry.get(analysis).aggregate(self.measured(analysis))


@dataclass
class Evaluation:
    """A complete scoring run, systems ranked best first."""

    signature: str
    metrics: tuple[str, ...]
    systems: list[SystemResult]
    warnings: list[str] = field(default_factory=list)
    documents: tuple[str, ...] = ()
    # With `harness.stats.bootstrap.add_intervals`: system -> metric -> measure -> (low, high).
    intervals: dict[str, dict[str, dict[str, tuple[float, float]]]] | None = None
