"""Theme coverage: which content units of a document's themes (harness.inputs.themes) a candidate states.

A unit is covered when any of its wordings, normalised and tokenized exactly like the candidate
(same processor, so the same unit, word or char), occurs in one sentence of the candidate as a
contiguous token sequence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harness.analyses.base import Column, DocumentAnalysis, DocumentInputs, HeatColumn, Summary
from harness.inputs.corpus import Theme
from harness.rouge.settings import Settings


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


THEME_PREFIX = "theme:"  # a gate floor's name on a theme's share (`check --min-theme`)


@dataclass(frozen=True)
class _Units:
    """A document's themes and each unit's wordings as token sequences, built once per document."""

    themes: Sequence[Theme]
    tokens: list[list[list[tuple[str, ...]]]]


def theme_counts(results: Mapping[str, dict[str, Coverage]]) -> dict[str, tuple[int, int]]:
    """Per theme, (units covered, units) summed over the documents that have that theme."""
    out: dict[str, tuple[int, int]] = {}
    for by_theme in results.values():
        for name, cov in by_theme.items():
            covered, total = out.get(name, (0, 0))
            out[name] = (covered + len(cov.covered), total + cov.total)
    return out


class ThemeCoverage(DocumentAnalysis[_Units, dict[str, Coverage]]):
    """Which units of each of the document's themes a summary covers (see the module docstring):
    one covered/total column per theme; `check --min-theme` floors a theme's mean share."""

    name = "themes"
    needs = "themes"

    def prepare(self, doc: DocumentInputs) -> _Units:
        # The units' tokens, by the scoring processor (so in the scoring unit).
        return _Units(doc.themes, unit_tokens(doc.themes, lambda w: doc.analyze(w).sentences))

    def measure(self, prepared: _Units, summary: Summary) -> dict[str, Coverage]:
        return coverage(prepared.themes, prepared.tokens, summary.analysis.sentences)

    def missing(self, prepared: _Units) -> dict[str, Coverage]:
        return missing_coverage(prepared.themes)

    def drill(self, prepared: _Units, summary: Summary, result: dict[str, Coverage] | None) -> dict[str, Any]:
        if result is None:
            return {}
        return {"missed": {name: list(cov.missed) for name, cov in result.items()},
                "covered": {name: list(cov.covered) for name, cov in result.items()}}

    def explain(self, result: dict[str, Coverage] | None) -> list[str]:
        lines = []
        for name, cov in (result or {}).items():
            lines += [f"{name} {len(cov.covered)}/{cov.total}", f"  covered: {', '.join(cov.covered) or '-'}",
                      f"  missed:  {', '.join(cov.missed) or '-'}"]
        return lines

    def aggregate(self, results: Mapping[str, dict[str, Coverage]]) -> dict[str, float]:
        """Per theme, the mean share of its units covered, over the documents that have that
        theme (in the order the themes first appear); empty without themes."""
        found: dict[str, list[float]] = {}
        for by_theme in results.values():
            for name, cov in by_theme.items():
                found.setdefault(name, []).append(cov.share)
        return {name: math.fsum(shares) / len(shares) for name, shares in found.items()}

    def to_json(self, results: Mapping[str, dict[str, Coverage]], *, per_document: bool = True) -> dict[str, Any]:
        if not per_document:
            return {"theme_shares": self.aggregate(results)}
        return {
            "themes": {
                doc: {name: {"share": cov.share, "covered": list(cov.covered), "missed": list(cov.missed)}
                      for name, cov in by_theme.items()}
                for doc, by_theme in results.items()
            },
            "theme_shares": self.aggregate(results),
        }

    def validate(self, entry: Mapping[str, Any], fail: Callable[[str, str], Exception]) -> None:
        """`theme_shares` {theme: share} and `themes` {doc: {theme: {share, covered, missed}}};
        never gated against, but a hand-edited one is still refused."""
        shares = entry.get("theme_shares", {})
        if not isinstance(shares, dict) or not all(_unit(v) for v in shares.values()):
            raise fail(".theme_shares", "must be an object of numbers in [0, 1]")
        themes = entry.get("themes", {})
        if not isinstance(themes, dict):
            raise fail(".themes", "must be an object")
        for doc, by_theme in themes.items():
            if not isinstance(by_theme, dict):
                raise fail(f".themes[{doc!r}]", "must be an object")
            for name, cov in by_theme.items():
                lists = isinstance(cov, dict) and all(
                    isinstance(cov.get(k), list) and all(isinstance(u, str) for u in cov[k]) for k in ("covered", "missed")
                )
                if not (lists and _unit(cov.get("share"))):
                    raise fail(f".themes[{doc!r}][{name!r}]", "must be {share, covered, missed}")

    def _names(self, systems: Sequence[Mapping[str, dict[str, Coverage]]]) -> list[str]:
        return list(dict.fromkeys(name for s in systems for doc in sorted(s) for name in s[doc]))

    def columns(self, systems: Sequence[Mapping[str, dict[str, Coverage]]]) -> list[Column]:
        counts = [theme_counts(s) for s in systems]
        return [Column(name, [f"{c[name][0]}/{c[name][1]}" if name in c else "-" for c in counts])
                for name in self._names(systems)]

    def heat(self, systems: Sequence[Mapping[str, dict[str, Coverage]]]) -> list[HeatColumn]:
        counts = [theme_counts(s) for s in systems]
        shares = [self.aggregate(s) for s in systems]
        note = "Themes: the share of each theme's content units covered (mean over the documents that have the theme)."
        return [
            HeatColumn(
                name, [sh.get(name) for sh in shares],
                [f"{100 * sh[name]:.0f}%" if name in sh else "-" for sh in shares],
                [f"{c[name][0]}/{c[name][1]} units" if name in c else None for c in counts], 140, note,
            )
            for name in self._names(systems)
        ]

    def gate_values(self, entry: Mapping[str, Any]) -> dict[str, float]:
        return {THEME_PREFIX + name: share for name, share in entry.get("theme_shares", {}).items()}

    def signature(self, documents_with_input: int, settings: Settings, options: Mapping[str, Any]) -> dict[str, str]:
        # Units are matched on the scoring unit; a run without theme files has no such field.
        return {"themes": settings.unit} if documents_with_input else {}


def _unit(value: Any) -> bool:
    """A JSON number (not a boolean) in [0, 1]."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return number and math.isfinite(value) and 0.0 <= value <= 1.0
