"""Noticing candidates that repeat known off-topic material (e.g. ads or news pasted into a source).

The share is the fraction of a candidate's word bigrams that occur in the
document's off-topic text and in none of its references. Bigrams, not single
words: function words (的, 了) and common nouns occur everywhere, while a run of
two words rarely crosses from unrelated news into a faithful summary. On the
shipped corpus faithful summaries measure 0-2.2% and the two that repeat the
injected crypto news 9% and 60%, hence the 5% warning threshold.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harness.analyses.base import Column, DocumentAnalysis, DocumentInputs, HeatColumn, Mark, Summary
from harness.text.analysed import AnalysedText

N = 2
WARN_SHARE = 0.05


def offtopic_ngrams(offtopic: AnalysedText, references: Iterable[AnalysedText]) -> frozenset[tuple[str, ...]]:
    """Bigrams of the off-topic text that no reference uses."""
    on_topic: set[tuple[str, ...]] = set()
    for ref in references:
        on_topic.update(ref.ngrams(N))
    return frozenset(set(offtopic.ngrams(N)) - on_topic)


def offtopic_share(candidate: AnalysedText, noise: frozenset[tuple[str, ...]]) -> float:
    """Share of the candidate's bigrams (with repeats) that are off-topic; 0 for fewer than two tokens."""
    grams = candidate.ngrams(N)
    total = sum(grams.values())
    if not total:
        return 0.0
    return sum(count for gram, count in grams.items() if gram in noise) / total


@dataclass(frozen=True)
class _Noise:
    """A document's off-topic bigrams, and how a summary's word tokens are had."""

    grams: frozenset[tuple[str, ...]]
    words: Callable[[Summary], AnalysedText]


class OffTopic(DocumentAnalysis[_Noise, float]):
    """The share of a summary's word bigrams found in the document's off-topic text and in no
    reference (see the module docstring)."""

    name = "offtopic"
    needs = "offtopic"
    marks = (Mark("offtopic", ("{", "}"), "\x1b[31m", "off-topic bigram"),)

    def prepare(self, doc: DocumentInputs) -> _Noise:
        assert doc.offtopic is not None
        refs = doc.references.values() if doc.same_words else [doc.analyze_words(t) for t in doc.reference_texts.values()]
        words: Callable[[Summary], AnalysedText] = (
            (lambda s: s.analysis) if doc.same_words else (lambda s: doc.analyze_words(s.text))
        )
        return _Noise(offtopic_ngrams(doc.analyze_words(doc.offtopic), refs), words)

    def measure(self, prepared: _Noise, summary: Summary) -> float:
        return offtopic_share(prepared.words(summary), prepared.grams)

    def missing(self, prepared: _Noise) -> float:
        return 0.0

    def notes(self, prepared: _Noise, summary: Summary, result: float) -> list[str]:
        if result < WARN_SHARE:
            return []
        return [f"{100 * result:.0f}% of its word bigrams come from the document's off-topic text and from no reference"]

    def drill(self, prepared: _Noise, summary: Summary, result: float | None) -> dict[str, Any]:
        if prepared.words(summary) is not summary.analysis:  # word bigrams: marked on word tokens only
            return {}
        tokens = summary.analysis.tokens
        marked: set[int] = set()
        for i in range(len(tokens) - N + 1):
            if tuple(tokens[i : i + N]) in prepared.grams:
                marked.update(range(i, i + N))
        return {"offtopic": sorted(marked)}

    def aggregate(self, results: Mapping[str, float]) -> float | None:
        """The mean share over the documents that have an off-topic text."""
        return math.fsum(results.values()) / len(results) if results else None

    def to_json(self, results: Mapping[str, float], *, per_document: bool = True) -> dict[str, Any]:
        return {"offtopic": dict(results)} if per_document else {}

    def columns(self, systems: Sequence[Mapping[str, float]]) -> list[Column]:
        means = [self.aggregate(s) for s in systems]
        if all(m is None for m in means):
            return []
        return [Column("Off-topic %", ["-" if m is None else f"{100 * m:.1f}" for m in means])]

    def heat(self, systems: Sequence[Mapping[str, float]]) -> list[HeatColumn]:
        means = [self.aggregate(s) for s in systems]
        if all(m is None for m in means):
            return []
        return [HeatColumn(
            "Off-topic %", [None if m is None else min(1.0, 2 * m) for m in means],
            ["-" if m is None else f"{100 * m:.1f}" for m in means], [None] * len(means), 5,
            "Off-topic %: share of word bigrams taken from the off-topic text.",
        )]

    def document_headers(self, systems: Sequence[Mapping[str, float]]) -> list[str]:
        return ["Off-topic %"] if any(systems) else []

    def document_values(self, result: float | None) -> list[float | None]:
        return [result]
