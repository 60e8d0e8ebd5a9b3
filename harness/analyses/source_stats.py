"""How a summary relates to its source: length, compression, novel n-grams, extractive fragments.

All functions are pure, on token lists (the scoring unit's tokens, so `--unit char` measures
characters). The fragment measures are Grusky, Naaman and Artzi (2018), "Newsroom: A Dataset
of 1.3 Million Summaries with Diverse Extractive Strategies", section 4.1: the extractive
fragments F(A, S) of summary S in article A are found greedily (their Algorithm 1, as the
authors' `newsroom.analyze.Fragments._match` runs it): from each summary position, scan the
article left to right, extend every match as far as it goes, jump past it, and keep the first
longest; take it and continue after it (or one token on when nothing matched). Then

    coverage = sum(|f|) / |S|        the share of summary tokens inside some copied fragment
    density  = sum(|f|^2) / |S|      the mean length of the fragment each token sits in

Novel n-gram shares are the share of the summary's n-grams (with repeats, over the whole
token sequence as ROUGE-N counts them) that occur nowhere in the source.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harness.analyses.base import Column, DocumentAnalysis, DocumentInputs, Summary

# A summary whose density is above this copies long runs of its source verbatim. Newsroom bins
# density above about 8 as "extractive". On the shipped corpus (word tokens, measured with
# `harness score --format json`), summaries in their own words measure 0.1-4.3 (references
# 1.2-1.6, `abstractive-strong` 1.3, `faithful-plus-crypto` 1.9, `crypto-distracted` 4.3, which
# re-tells pasted news closely) and the verbatim `lead-3` 90.0 (its whole text is one fragment).
# 10 sits well clear of both.
DENSITY_WARN = 10.0

_SPACE = re.compile(r"\s")


@dataclass(frozen=True, slots=True)
class Fragment:
    """A run of `length` tokens shared by the summary (from `summary`) and the source (from `source`)."""

    summary: int
    source: int
    length: int


@dataclass(frozen=True, slots=True)
class SourceStats:
    """A summary against its source (see the module docstring); `compression` is None for a
    summary without tokens."""

    tokens: int
    chars: int
    compression: float | None
    novel_unigrams: float
    novel_bigrams: float
    coverage: float
    density: float

    def as_dict(self) -> dict[str, float | int | None]:
        """The JSON contract's `stats` entry of one document."""
        return {
            "tokens": self.tokens, "chars": self.chars, "compression": self.compression,
            "novel_unigrams": self.novel_unigrams, "novel_bigrams": self.novel_bigrams,
            "coverage": self.coverage, "density": self.density,
        }


class Source:
    """A source's tokens with what every summary of it is measured against (where each token
    occurs, its n-grams), built once per document rather than once per summary."""

    __slots__ = ("_grams", "positions", "tokens")

    def __init__(self, tokens: Sequence[str]) -> None:
        self.tokens = tokens
        self.positions: dict[str, list[int]] = {}
        for j, token in enumerate(tokens):
            self.positions.setdefault(token, []).append(j)
        self._grams: dict[int, set[tuple[str, ...]]] = {}

    def grams(self, n: int) -> set[tuple[str, ...]]:
        """The source's distinct n-grams."""
        if n not in self._grams:
            self._grams[n] = set(_ngrams(self.tokens, n))
        return self._grams[n]


def _as_source(source: Sequence[str] | Source) -> Source:
    return source if isinstance(source, Source) else Source(source)


def fragments(summary: Sequence[str], source: Sequence[str] | Source) -> list[Fragment]:
    """Grusky et al.'s greedy extractive fragments of `summary` in `source` (Algorithm 1)."""
    # The paper scans the whole source for each summary position; only the positions holding the
    # summary's token can start a match, so those are looked up instead (the same matches, the
    # same jumps: a scan resumes after a match, skipping the positions inside it).
    indexed = _as_source(source)
    where, tokens = indexed.positions, indexed.tokens
    n_summary, n_source = len(summary), len(tokens)
    found: list[Fragment] = []
    i = 0
    while i < n_summary:
        best: Fragment | None = None
        resume = 0
        for j in where.get(summary[i], ()):
            if j < resume:
                continue
            end = 1
            while i + end < n_summary and j + end < n_source and summary[i + end] == tokens[j + end]:
                end += 1
            if best is None or end > best.length:  # strictly longer: the first longest wins
                best = Fragment(i, j, end)
            resume = j + end  # the scan resumes after the match, as in the paper
        if best is None:
            i += 1
        else:
            found.append(best)
            i += best.length
    return found


def coverage(summary: Sequence[str], found: Sequence[Fragment]) -> float:
    """Sum of fragment lengths over the summary's length (0 for an empty summary)."""
    return sum(f.length for f in found) / len(summary) if summary else 0.0


def density(summary: Sequence[str], found: Sequence[Fragment]) -> float:
    """Sum of squared fragment lengths over the summary's length (0 for an empty summary)."""
    return sum(f.length * f.length for f in found) / len(summary) if summary else 0.0


def _ngrams(tokens: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return list(zip(*(tokens[k:] for k in range(n)), strict=False)) if len(tokens) >= n else []


def novel_share(summary: Sequence[str], source: Sequence[str] | Source, n: int) -> float:
    """Share of the summary's n-grams (with repeats) that the source never contains; 0 when
    the summary has no n-gram."""
    grams = _ngrams(summary, n)
    if not grams:
        return 0.0
    known = _as_source(source).grams(n)
    return sum(1 for g in grams if g not in known) / len(grams)


def compression(summary: Sequence[str], source: Sequence[str] | Source) -> float | None:
    """Source tokens per summary token; None when the summary has no tokens."""
    return len(_as_source(source).tokens) / len(summary) if summary else None


def chars(text: str) -> int:
    """Characters of a text, whitespace excluded (how docs/shipped-data.md counts them)."""
    return len(_SPACE.sub("", text))


def source_stats(summary: Sequence[str], source: Sequence[str] | Source, text: str) -> SourceStats:
    """Every measure of one summary (`summary` its tokens, `text` its raw text) against its source's tokens."""
    source = _as_source(source)
    found = fragments(summary, source)
    return SourceStats(
        tokens=len(summary),
        chars=chars(text),
        compression=compression(summary, source),
        novel_unigrams=novel_share(summary, source, 1),
        novel_bigrams=novel_share(summary, source, 2),
        coverage=coverage(summary, found),
        density=density(summary, found),
    )


def copying_warnings(stats: SourceStats, source_tokens: int) -> list[str]:
    """Why a summary looks like copying rather than summarizing (empty when it does not)."""
    notes = []
    if stats.tokens > source_tokens:
        notes.append(f"it is longer than its source ({stats.tokens} tokens against {source_tokens})")
    if stats.density > DENSITY_WARN:
        notes.append(
            f"extractive fragment density {stats.density:.1f} is above {DENSITY_WARN:g} "
            "(long runs copied from the source)"
        )
    return notes


@dataclass(frozen=True)
class _Indexed:
    """A document's source, indexed once for all its summaries."""

    source: Source
    tokens: int


# Table columns (with --stats): (header, key of SourceStats.as_dict, format of the mean).
COLUMNS = (
    ("Tokens", "tokens", "{:.1f}"),
    ("Chars", "chars", "{:.1f}"),
    ("Compr.", "compression", "{:.1f}"),
    ("Novel-1 %", "novel_unigrams", "{:.1%}"),
    ("Novel-2 %", "novel_bigrams", "{:.1%}"),
    ("Coverage", "coverage", "{:.3f}"),
    ("Density", "density", "{:.2f}"),
)


class SourceStatistics(DocumentAnalysis[_Indexed, SourceStats]):
    """Each summary against its document's source (see the module docstring); in the table with
    `--stats`, always in JSON."""

    name = "stats"
    needs = "source"
    on_request = True

    def prepare(self, doc: DocumentInputs) -> _Indexed:
        analysed = doc.source_analysis
        assert analysed is not None
        return _Indexed(Source(analysed.tokens), len(analysed.tokens))

    def measure(self, prepared: _Indexed, summary: Summary) -> SourceStats:
        return source_stats(summary.analysis.tokens, prepared.source, summary.text)

    def notes(self, prepared: _Indexed, summary: Summary, result: SourceStats) -> list[str]:
        if summary.computed:  # extractive by construction: no news in a warning
            return []
        return [f"{why}; copying, not summarizing" for why in copying_warnings(result, prepared.tokens)]

    def aggregate(self, results: Mapping[str, SourceStats]) -> dict[str, float] | None:
        """Each statistic's mean over the documents that have a source (compression over those
        where it is defined); None without any."""
        found = [r.as_dict() for r in results.values()]
        if not found:
            return None
        means: dict[str, float] = {}
        for key in found[0]:
            values = [v for d in found if (v := d[key]) is not None]
            if values:
                means[key] = math.fsum(values) / len(values)
        return means

    def to_json(self, results: Mapping[str, SourceStats], *, per_document: bool = True) -> dict[str, Any]:
        return {"stats": {doc: r.as_dict() for doc, r in results.items()}} if per_document else {}

    def columns(self, systems: Sequence[Mapping[str, SourceStats]]) -> list[Column]:
        means = [self.aggregate(s) for s in systems]
        return [
            Column(label, ["-" if m is None or key not in m else form.format(m[key]).removesuffix("%") for m in means])
            for label, key, form in COLUMNS
        ]
