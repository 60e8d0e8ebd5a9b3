"""Theme coverage: which content units of a document's themes (harness.inputs.themes) a candidate states.

A unit is covered when any of its wordings, normalised and tokenized exactly like the candidate
(same processor, so the same unit, word or char), occurs in one sentence of the candidate as a
contiguous token sequence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from harness.inputs.themes import Theme


@dataclass(frozen=True, slots=True)
class Coverage:
    """Which units of one theme a candidate covers and misses (by first wording, in file order)."""

    covered: tuple[str, ...]
    missed: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.covered) + len(self.missed)

    @property
    def share(self) -> float:
        """Covered units over all units (a theme always has at least one)."""
        return len(self.covered) / self.total if self.total else 0.0



Tokenize = Callable[[str], Sequence[Sequence[str]]]


def unit_tokens(themes: Sequence[Theme], sentences: Tokenize) -> list[list[list[tuple[str, ...]]]]:
    """Per theme, per unit, the token sequence of each wording (`sentences` is the scoring
    processor's text -> token lists per sentence); computed once per document."""
    return [
        [[tuple(t for s in sentences(w) for t in s) for w in unit.wordings] for unit in theme.units]
        for theme in themes
    ]


def _ngram_sets(sentences: Iterable[Sequence[str]], lengths: Iterable[int]) -> dict[int, set[tuple[str, ...]]]:
    """For each length, the token sequences of that length inside one sentence."""
    sents = [tuple(s) for s in sentences]
    return {n: {s[i : i + n] for s in sents for i in range(len(s) - n + 1)} for n in set(lengths)}


def coverage(
    themes: Sequence[Theme], tokens: Sequence[Sequence[Sequence[tuple[str, ...]]]], sentences: Sequence[Sequence[str]]
) -> dict[str, Coverage]:
    """{theme name: Coverage} of a candidate given by its token lists per sentence; `tokens`
    is `unit_tokens(themes, ...)` (a wording with no tokens never matches)."""
    lengths = [len(w) for per_theme in tokens for unit in per_theme for w in unit if w]
    grams = _ngram_sets(sentences, lengths)
    out: dict[str, Coverage] = {}
    for theme, per_theme in zip(themes, tokens, strict=True):
        covered: list[str] = []
        missed: list[str] = []
        for unit, wordings in zip(theme.units, per_theme, strict=True):
            hit = any(w and w in grams[len(w)] for w in wordings)
            (covered if hit else missed).append(unit.name)
        out[theme.name] = Coverage(tuple(covered), tuple(missed))
    return out


def missing_coverage(themes: Sequence[Theme]) -> dict[str, Coverage]:
    """Coverage of a missing candidate: every unit missed."""
    return {t.name: Coverage((), tuple(u.name for u in t.units)) for t in themes}
