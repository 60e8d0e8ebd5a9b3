"""The Chinese ROUGE conventions side by side (`--convention all`), as a per-document analysis.

Each summary is scored, beside the harness's own ROUGE, the way rouge-chinese 1.0.3, LLaMA-Factory
and OpenCompass score it (harness.rouge.conventions, on the first reference by file order), with
the reasons each convention departs from the harness on this pair. Over documents, each tool's
own corpus arithmetic (its `aggregate`, in document order), so a system's numbers are exactly
those `--convention NAME` reports. Below the table: the pairs where the conventions differ most.

Why an analysis and not a scoring mode: `all` changes no number the harness ranks, gates or
resamples (those stay the harness's own); it adds a small per-summary result, table columns,
JSON keys, map columns and a signature part, which is what the analysis interface carries
through the pipeline, the process pool, the JSON contract and every renderer.
"""

from __future__ import annotations

import bisect
import contextlib
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harness.analyses.base import Column, DocumentAnalysis, DocumentInputs, HeatColumn, Summary
from harness.rouge.conventions import CONVENTIONS, METRICS, pick_reference, unused_references_reason
from harness.rouge.conventions.runner import ConventionScorer
from harness.rouge.metrics import label
from harness.rouge.settings import Settings

HARNESS = "harness"
# Column tags (the table would be too wide with the tools' names); the legend under it spells them out.
SHORT = {"rouge-chinese": "RC", "llamafactory": "LF", "opencompass": "OC"}
TITLES = {
    "rouge-chinese": "rouge-chinese 1.0.3",
    "llamafactory": "LLaMA-Factory ComputeSimilarity",
    "opencompass": "OpenCompass JiebaRougeEvaluator",
}
TOP = 5  # pairs listed where the conventions differ most (per system in JSON, overall under the table)
SHOWN_REASONS = 6  # reasons per pair under the table (JSON has every one)


@dataclass(frozen=True, slots=True)
class ConventionScores:
    """One summary's F per metric under the harness and each convention, and the reasons found."""

    packed: tuple[float, ...]  # F per NAMES x METRICS, NaN where the harness did not compute a metric
    reasons: tuple[str, ...]  # computed only where they may be shown (see `_contender`)
    gap: float  # the largest difference between any two of them on one metric (F, 0-1)
    metric: str  # that metric

    # Packed, a result is a few tracked objects instead of five dicts: a 10 x 1,000 run holds
    # 10,000 of them, and the garbage collector walked the dicts for about 1.5 s of an 11 s run.
    @property
    def values(self) -> dict[str, dict[str, float]]:
        """{"harness" and each convention: {metric: F}} (the harness's metrics that were computed)."""
        return {
            name: {m: v for j, m in enumerate(METRICS) if not math.isnan(v := self.packed[3 * i + j])}
            for i, name in enumerate(NAMES)
        }


NAMES = (HARNESS, *CONVENTIONS)


def widest(values: Mapping[str, Mapping[str, float]]) -> tuple[float, str]:
    """The largest difference between any two sets of values on one metric, and that metric."""
    best, where = 0.0, METRICS[0]
    for m in METRICS:
        found = [v[m] for v in values.values() if m in v]
        if found and max(found) - min(found) > best:
            best, where = max(found) - min(found), m
    return best, where


@dataclass(frozen=True)
class _Document:
    doc: str
    target: str
    unused: list[str]
    scorer: ConventionScorer
    tops: dict[str, list[tuple[float, str]]]  # per system, this process's TOP largest gaps so far


def _contender(tops: dict[str, list[tuple[float, str]]], system: str, gap: float, doc: str) -> bool:
    """Whether (system, doc) is among the TOP largest gaps of its system seen so far in this process
    (and now recorded as such). A pair among its system's TOP over the whole corpus is among them
    in every part of it, so its reasons are always computed, whatever the split over processes;
    for the others (all but some 5 x ln(documents / 5) per system) they are never shown and never
    computed: reasons cost as much as the three conventions' scores together."""
    key = (-gap, doc)  # the order `differences` ranks by
    best = tops.setdefault(system, [])
    if len(best) >= TOP and key >= best[-1]:
        return False
    bisect.insort(best, key)
    del best[TOP:]
    return True


_SCORERS: dict[tuple[Any, ...], ConventionScorer] = {}


def scorer_for(settings: Settings) -> ConventionScorer:
    """This process's scorer of every convention, with the harness's jieba for `settings`: a user
    dictionary edited between two runs in one process (the API) gives a new one, as the harness's
    own tokenizer does (its file's size and time of change are in the key; reading the file for
    its digest at every document would cost more than a stat)."""
    user_dict = settings.user_dict if settings.unit == "word" else None
    stamp = None
    if user_dict is not None:
        with contextlib.suppress(OSError):  # the scorer's own read of the file says what is wrong
            stat = os.stat(user_dict)
            stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    key = (settings.hmm, user_dict, stamp, settings.t2s)
    found = _SCORERS.get(key)
    if found is None:
        if len(_SCORERS) >= 8:  # a dictionary edited again and again in one process: bounded
            _SCORERS.clear()
        found = _SCORERS[key] = ConventionScorer(list(CONVENTIONS), settings.convention_cut())
    return found


def pair_reasons(scorer: ConventionScorer, target: str, prediction: str, order: Sequence[str]) -> list[str]:
    """Each convention's reasons, conventions in `order`; a reason several give is said once, with
    their names."""
    found: dict[str, list[str]] = {}
    family: dict[object, list[str]] = {}
    for name in order:
        convention = CONVENTIONS[name]
        words = scorer.words(convention, target=target, prediction=prediction)
        same = family.get(scorer.family(convention))
        if same is not None and all(words.values()):
            reasons = same  # the same words and no empty side: rouge-chinese's and llamafactory's are equal
        else:
            reasons = convention.reasons(target=target, prediction=prediction, cut=scorer.cut, words=words)
            family[scorer.family(convention)] = reasons
        for reason in reasons:
            found.setdefault(reason, []).append(convention.name)
    return [f"{', '.join(sorted(names, key=_RANK.__getitem__) if len(names) > 1 else names)}: {reason}"
            for reason, names in found.items()]


_RANK = {name: i for i, name in enumerate(CONVENTIONS)}


def _farthest_first(values: Mapping[str, Mapping[str, float]]) -> list[str]:
    """The conventions, the one farthest from the harness first (largest difference on any metric):
    its reasons are the likeliest explanation of the gap, so they are listed first."""
    own = values.get(HARNESS, {})

    def distance(name: str) -> float:
        return max((abs(values[name][m] - own[m]) for m in METRICS if m in own), default=0.0)

    return sorted(CONVENTIONS, key=lambda name: -distance(name))


def _valid_unit(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and 0 <= value <= 1


class Conventions(DocumentAnalysis[_Document, ConventionScores]):
    """rouge-chinese, LLaMA-Factory and OpenCompass beside the harness (see the module docstring)."""

    name = "conventions"
    needs = "conventions"

    def prepare(self, doc: DocumentInputs) -> _Document:
        references = list(doc.reference_texts.values())
        target = pick_reference(references, document=doc.doc)
        tops = doc.scratch.setdefault(self.name, {})
        return _Document(doc.doc, target, unused_references_reason(len(references)), scorer_for(doc.settings), tops)

    def measure(self, prepared: _Document, summary: Summary) -> ConventionScores:
        values = {HARNESS: {m: summary.scores[m].fmeasure for m in METRICS if m in summary.scores}}
        scored = prepared.scorer.score(target=prepared.target, prediction=summary.text)
        values.update({name: {m: s.fmeasure for m, s in found.items()} for name, found in scored.items()})
        gap, metric = widest(values)
        reasons: list[str] = []
        if _contender(prepared.tops, summary.system, gap, prepared.doc):
            order = _farthest_first(values)
            reasons = pair_reasons(prepared.scorer, prepared.target, summary.text, order)
            # After the farthest convention's own reasons: the references it did not use (the
            # harness combines them all), then the other conventions' reasons.
            first = sum(1 for r in reasons if order[0] in r.split(": ", 1)[0].split(", "))
            reasons[first:first] = prepared.unused
        packed = tuple(values[name].get(m, math.nan) for name in NAMES for m in METRICS)
        return ConventionScores(packed, tuple(reasons), gap, metric)

    def aggregate(self, results: Mapping[str, ConventionScores]) -> dict[str, dict[str, float]] | None:
        """Per convention its tool's corpus number (documents in order); the harness's exact mean."""
        if not results:
            return None
        found = [r.packed for r in results.values()]
        out: dict[str, dict[str, float]] = {}
        for i, name in enumerate(NAMES):
            convention = CONVENTIONS.get(name)
            out[name] = {}
            for j, m in enumerate(METRICS):
                values = [packed[3 * i + j] for packed in found]
                if math.isnan(values[0]):
                    continue  # a metric the harness did not compute
                out[name][m] = math.fsum(values) / len(values) if convention is None else convention.aggregate(values)
        return out

    def differences(self, results: Mapping[str, ConventionScores]) -> list[tuple[str, ConventionScores]]:
        """The documents where the conventions differ most, largest gap first (ties by document)."""
        ranked = sorted(results.items(), key=lambda item: (-item[1].gap, item[0]))
        return ranked[:TOP]

    def to_json(self, results: Mapping[str, ConventionScores], *, per_document: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"conventions": self.aggregate(results)}
        if per_document:
            out["conventions_documents"] = {doc: r.values for doc, r in results.items()}
        out["conventions_differences"] = [
            {"document": doc, "metric": r.metric, "gap": r.gap, "reasons": list(r.reasons)}
            for doc, r in self.differences(results)
        ]
        return out

    def validate(self, entry: Mapping[str, Any], fail: Callable[[str, str], Exception]) -> None:
        found = entry.get("conventions")
        if found is None:
            return
        if not isinstance(found, dict) or not all(isinstance(v, dict) for v in found.values()):
            raise fail(".conventions", "must be an object of {metric: F} per convention")
        for name, values in found.items():
            for m, value in values.items():
                if not _valid_unit(value):
                    raise fail(f".conventions.{name}.{m}", "must be a number in [0, 1]")

    def columns(self, systems: Sequence[Mapping[str, ConventionScores]]) -> list[Column]:
        found = [self.aggregate(s) for s in systems]
        return [
            Column(f"{SHORT[name]} {label(m)}", ["-" if f is None else f"{100 * f[name][m]:.2f}" for f in found])
            for name in CONVENTIONS
            for m in METRICS
        ]

    def heat(self, systems: Sequence[Mapping[str, ConventionScores]]) -> list[HeatColumn]:
        found = [self.aggregate(s) for s in systems]
        return [
            HeatColumn(
                f"{SHORT[name]} R-L", [None if f is None else f[name]["rougeL"] for f in found],
                ["-" if f is None else f"{100 * f[name]['rougeL']:.2f}" for f in found],
                [None if f is None else " ".join(f"{label(m)} {100 * f[name][m]:.2f}" for m in METRICS) for f in found],
                30, f"{SHORT[name]}: {TITLES[name]} R-L F (first reference by file order).",
            )
            for name in CONVENTIONS
        ]

    def document_headers(self, systems: Sequence[Mapping[str, ConventionScores]]) -> list[str]:
        return [f"{SHORT[name]} R-L" for name in CONVENTIONS]

    def document_values(self, result: ConventionScores | None) -> list[float | None]:
        return [None if result is None else result.packed[3 * NAMES.index(name) + 2] for name in CONVENTIONS]

    def remarks(self, systems: Sequence[tuple[str, Mapping[str, ConventionScores]]]) -> list[str]:
        """The legend, then the pairs where the conventions differ most, each with its reasons."""
        pairs = [(system, doc, r) for system, results in systems for doc, r in results.items()]
        if not pairs:
            return []
        legend = ", ".join(f"{SHORT[c.name]} = {TITLES[c.name]} ({c.version})" for c in CONVENTIONS.values())
        lines = [f"{legend}; each on the first reference by file order (docs/conventions.md).", ""]
        pairs.sort(key=lambda p: (-p[2].gap, p[0], p[1]))
        lines.append("Where the conventions differ most (F x 100):")
        for system, doc, r in pairs[:TOP]:
            gap, metric = r.gap, r.metric
            shown = ", ".join(
                f"{SHORT.get(name, name)} {100 * values[metric]:.2f}" for name, values in r.values.items() if metric in values
            )
            lines.append(f"  {system} on {doc}: {label(metric)} {shown} (gap {100 * gap:.2f})")
            lines += [f"    - {reason}" for reason in r.reasons[:SHOWN_REASONS]]
            if len(r.reasons) > SHOWN_REASONS:
                lines.append(f"    - and {len(r.reasons) - SHOWN_REASONS} more (--format json lists every one)")
        return lines

    def signature(self, documents_with_input: int, settings: Settings, options: Mapping[str, Any]) -> dict[str, str]:
        if not documents_with_input:
            return {}
        return {"conventions": ",".join(c.version for c in CONVENTIONS.values())}
