"""Comparing current scores with a baseline: per system and metric a status, and a pass/fail verdict."""

from __future__ import annotations

import math
import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.analyses.extractive import refuse_row_names
from harness.analyses.registry import registered
from harness.analyses.themes import THEME_PREFIX
from harness.errors import BaselineError, InputError, SignatureMismatch
from harness.gate.baseline import is_row_name
from harness.gate.floors import ANALYSIS_FLOORS as ANALYSIS_FLOORS
from harness.gate.floors import UNSUPPORTED as UNSUPPORTED
from harness.gate.floors import Floor as Floor
from harness.gate.floors import ThemeFloor as ThemeFloor
from harness.gate.floors import check_facts_gate as check_facts_gate
from harness.gate.floors import check_floor_metrics as check_floor_metrics
from harness.gate.floors import check_floor_systems as check_floor_systems
from harness.gate.floors import check_theme_names as check_theme_names
from harness.gate.floors import names_list
from harness.gate.floors import parse_floor as parse_floor
from harness.gate.floors import parse_theme_floor as parse_theme_floor
from harness.results.contract import MEASURES
from harness.rouge import signature
from harness.stats.resampling import (
    DEFAULT_SEED,
    DEFAULT_TRIALS,
    Resampling,
    differences,
    permutation_p_values,
    smallest_permutation_p,
)

if TYPE_CHECKING:
    from harness.results.model import Evaluation

OK, IMPROVED, REGRESSED, BELOW_MIN, NEW, MISSING = "ok", "improved", "regressed", "below-min", "new", "missing"
# With --significance: a drop beyond the tolerance that the paired test does not find significant (passes).
NOT_SIGNIFICANT = "not-significant"
ABOVE_MAX = "above-max"  # a document with more unsupported or off-topic facts than --max-unsupported
FAILING = frozenset({REGRESSED, BELOW_MIN, MISSING, ABOVE_MAX})
DEFAULT_TOLERANCE = 0.005
# Scores are ratios of small integers; a drop "exactly at" the tolerance can land a few
# ulps past it in floating point (0.5 - 0.495 = 0.005000000000000004), so allow for that.
_EPSILON = 1e-9
# DOTALL: a system name may hold a newline (a folder name can); fullmatch, as "$" also matches before one.
@dataclass(frozen=True)
class Significance:
    """`--significance ALPHA`: a drop beyond the tolerance fails only when the approximate
    randomization test over the documents (`harness.stats.resampling`) finds it significant at alpha."""

    alpha: float
    trials: int = DEFAULT_TRIALS
    seed: int = DEFAULT_SEED

    def __post_init__(self) -> None:
        if not 0.0 < self.alpha < 1.0:
            raise InputError(f"--significance {self.alpha}: must be between 0 and 1, e.g. 0.05")
        Resampling(self.trials, seed=self.seed)  # the same checks as everywhere
        if 1 / (self.trials + 1) > self.alpha:
            raise InputError(
                f"--trials {self.trials}: no p-value can be below {1 / (self.trials + 1):.4g}, so no drop could be "
                f"significant at --significance {self.alpha:g}; use more trials"
            )

    def judge(self, baseline: list[float], current: list[float]) -> tuple[float | None, str | None]:
        """(p-value, None) for paired per-document scores, or (None, why) when the documents are
        too few for any p-value to reach alpha (the drop is then judged by the tolerance alone)."""
        n = len(baseline)
        if n < 2 or smallest_permutation_p(n) > self.alpha:
            return None, (
                f"{n} shared document{'' if n == 1 else 's'}: too few for a significance test at {self.alpha:g} "
                "(judged by the tolerance alone)"
            )
        p = permutation_p_values({0: differences(current, baseline)}, self.trials, self.seed)[0]
        return p, None


@dataclass(frozen=True)
class Row:
    """One system and metric: baseline, current, delta and status; with --significance, the
    p-value of a drop beyond the tolerance (or a note on why there is none)."""

    system: str
    metric: str
    baseline: float | None
    current: float | None
    status: str
    floor: float | None = None
    p_value: float | None = None
    note: str | None = None

    @property
    def delta(self) -> float | None:
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline


@dataclass(frozen=True)
class DocumentDrop:
    """A per-document score that fell, for showing reviewers where a regression is."""

    system: str
    document: str
    metric: str
    baseline: float
    current: float

    @property
    def delta(self) -> float:
        return self.current - self.baseline


@dataclass
class Verdict:
    """Everything `harness check` reports."""

    signature: str
    on: str
    tolerance: float
    floors: list[Floor]
    rows: list[Row]
    drops: list[DocumentDrop] = field(default_factory=list)
    significance: Significance | None = None
    theme_floors: list[ThemeFloor] = field(default_factory=list)

    @property
    def failures(self) -> list[Row]:
        return [r for r in self.rows if r.status in FAILING]

    @property
    def passed(self) -> bool:
        return not self.failures

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in self.rows:
            out[row.status] = out.get(row.status, 0) + 1
        return out


def check_signatures(baseline: dict[str, Any], current: dict[str, Any], path: Path) -> None:
    """Refuse to compare scores made with different settings (SignatureMismatch, exit 3)."""
    diffs = signature.differences(baseline["signature"], current["signature"], str(path))
    if diffs:
        raise SignatureMismatch(
            f"{path}: baseline was made with other settings ({'; '.join(diffs)}); "
            "if the change is intended, regenerate it with `harness check --update-baseline`"
        )


def check_tolerance(tolerance: float) -> float:
    """`tolerance` if it is a finite number >= 0; NaN would pass every regression (every
    comparison with NaN is false), inf would too."""
    if not math.isfinite(tolerance) or tolerance < 0:
        raise InputError(f"--tolerance {tolerance}: must be a finite number, zero or more")
    return tolerance


def check_overlap(baseline: Collection[str], current: Collection[str], source: str = "baseline") -> None:
    """Refuse a check that would compare nothing: when no current system is in the baseline, every
    one would be "new" (which passes) and the gate would pass having gated nothing."""
    if not set(baseline) & set(current):
        raise BaselineError(
            f"{source}: nothing was gated: none of the current systems ({names_list(current)}) is in the baseline "
            f"({names_list(baseline)}); if the systems were renamed, regenerate it with `harness check --update-baseline`"
        )


def _status(baseline: float, current: float, tolerance: float) -> str:
    delta = current - baseline
    if delta < -tolerance - _EPSILON:
        return REGRESSED
    if delta > tolerance + _EPSILON:
        return IMPROVED
    return OK


def _ceiling_rows(name: str, entry: Mapping[str, Any], ceiling: int) -> list[Row]:
    """`--max-unsupported N`: one failing row per document of `entry` with more than N unsupported
    or off-topic items (named in the row's note), or one passing row when none has."""
    over = [
        Row(name, UNSUPPORTED, None, None, ABOVE_MAX, note=f"document {doc!r}: {count} > {ceiling}: {', '.join(items[:8])}")
        for analysis in registered() for doc, count, items in analysis.gate_documents(entry) if count > ceiling
    ]
    checked = any(analysis.gate_documents(entry) for analysis in registered())
    return over or ([Row(name, UNSUPPORTED, None, None, OK, note=f"every document <= {ceiling}")] if checked else [])


def analysis_values(entry: Mapping[str, Any]) -> dict[str, float]:
    """What every registered analysis offers floors from one system's JSON entry, by floor name."""
    values: dict[str, float] = {}
    for analysis in registered():
        values.update(analysis.gate_values(entry))
    return values


def compare(
    baseline: dict[str, Any],
    current: dict[str, Any],
    *,
    on: str = "fmeasure",
    tolerance: float = DEFAULT_TOLERANCE,
    floors: list[Floor] | None = None,
    top_documents: int = 5,
    source: str = "baseline",
    significance: Significance | None = None,
    theme_floors: Sequence[ThemeFloor] = (),
    max_unsupported: int | None = None,
) -> Verdict:
    """Compare two score objects (the JSON contract) that share a signature; `source` names the
    baseline in errors. With `significance`, a drop beyond the tolerance is `not-significant`
    (and passes) unless the paired test over the documents both share finds it significant.
    Floors on an analysis's value (`facts`) and `max_unsupported` (per document, unsupported plus
    off-topic figures and names) are absolute: no baseline value, no tolerance."""
    if on not in MEASURES:
        raise InputError(f"--on {on}: choose one of {', '.join(MEASURES)}")
    check_tolerance(tolerance)
    floors = floors or []
    metrics: list[str] = current["metrics"]
    check_floor_metrics(floors, metrics)
    # Rows computed by --baselines are reference points, never gated: in the baseline file they
    # are known by the names --baselines gives them (a flag there could be forged), in the current
    # run by the flag this run set. No submitted system may bear or imitate such a name.
    old = {s["name"]: s for s in baseline["systems"] if not is_row_name(s["name"])}
    new = {s["name"]: s for s in current["systems"] if s.get("baseline") is not True}
    refuse_row_names(new)
    check_overlap(old, new, source)
    check_floor_systems(floors, new, old)
    rows: list[Row] = []
    drops: list[DocumentDrop] = []
    metric_floors = [f for f in floors if f.metric in metrics]
    value_floors = [f for f in floors if f.metric not in metrics]
    for name in sorted(set(old) | set(new)):
        for metric in metrics:
            b = old[name]["scores"][metric][on] if name in old else None
            c = new[name]["scores"][metric][on] if name in new else None
            floor = max(
                (f.value for f in metric_floors if f.metric == metric and f.system in (None, name)), default=None
            )
            if c is None:
                status = MISSING
            elif floor is not None and c < floor:
                status = BELOW_MIN
            elif b is None:
                status = NEW
            else:
                status = _status(b, c, tolerance)
            p_value, note = None, None
            if status == REGRESSED and significance is not None:
                shared = sorted(set(old[name]["documents"]) & set(new[name]["documents"]))
                p_value, note = significance.judge(
                    [old[name]["documents"][d][metric][on] for d in shared],
                    [new[name]["documents"][d][metric][on] for d in shared],
                )
                if p_value is not None and p_value > significance.alpha:
                    status = NOT_SIGNIFICANT
            rows.append(Row(name, metric, b, c, status, floor, p_value, note))
            if b is not None and c is not None:
                old_docs, new_docs = old[name]["documents"], new[name]["documents"]
                for doc in sorted(set(old_docs) & set(new_docs)):
                    before, after = old_docs[doc][metric][on], new_docs[doc][metric][on]
                    if after < before - _EPSILON:
                        drops.append(DocumentDrop(name, doc, metric, before, after))
        values = analysis_values(new[name]) if name in new else {}
        for tf in theme_floors:
            key = tf.key
            if key in values:  # floors on analyses are absolute: no baseline value, no tolerance
                status = BELOW_MIN if values[key] < tf.value - _EPSILON else OK
                rows.append(Row(name, key, None, values[key], status, tf.value))
        for f in value_floors:
            if f.system in (None, name) and f.metric in values:
                status = BELOW_MIN if values[f.metric] < f.value - _EPSILON else OK
                rows.append(Row(name, f.metric, None, values[f.metric], status, f.value))
        if max_unsupported is not None and name in new:
            rows += _ceiling_rows(name, new[name], max_unsupported)
    drops.sort(key=lambda d: (d.delta, d.system, d.document, d.metric))
    signed = current["signature"]
    if significance is not None:
        signed = signature.extend(signed, trials=str(significance.trials), seed=str(significance.seed))
    return Verdict(signed, on, tolerance, floors, rows, drops[:top_documents], significance, list(theme_floors))


def check(
    baseline: str | os.PathLike[str] | Mapping[str, Any],
    current: Evaluation | Mapping[str, Any],
    *,
    on: str = "fmeasure",
    tolerance: float = DEFAULT_TOLERANCE,
    floors: Sequence[Floor | str] = (),
    top_documents: int = 5,
    significance: Significance | float | None = None,
    theme_floors: Sequence[ThemeFloor | str] = (),
    max_unsupported: int | None = None,
    source: str | os.PathLike[str] | None = None,
) -> Verdict:
    """The gate's verdict on `current` (an Evaluation, or its JSON contract) against `baseline`
    (a baseline file's path, or its parsed JSON, then named in errors by `source` if given, else
    "<baseline>"): SignatureMismatch when they were made with
    other settings, BaselineError for a malformed baseline. `significance` (an alpha, or a
    Significance with trials and seed) lets only significant drops fail. Prints nothing; `Verdict.passed`
    says whether a CI run should pass."""
    from harness.gate import baseline as baseline_file
    from harness.results import contract

    if isinstance(baseline, Mapping):
        path = Path(source if source is not None else "<baseline>")
        stored = contract.validate(path, dict(baseline))
    else:
        path = Path(baseline)
        stored = baseline_file.load(path)
    scores = dict(current) if isinstance(current, Mapping) else contract.to_json_obj(current)
    parsed = [f if isinstance(f, Floor) else parse_floor(f) for f in floors]
    check_signatures(stored, scores, path)
    test = Significance(significance) if isinstance(significance, float) else significance
    themed = [f if isinstance(f, ThemeFloor) else parse_theme_floor(f) for f in theme_floors]
    known = dict.fromkeys(k for s in scores["systems"] for k in analysis_values(s))
    check_theme_names(themed, [k.removeprefix(THEME_PREFIX) for k in known if k.startswith(THEME_PREFIX)])
    ran = any(s.get("facts") is not None for s in scores["systems"])
    check_facts_gate(parsed, max_unsupported, None if ran else "the facts check did not run on this evaluation "
                     "(no source, or skipped)")
    return compare(
        stored, scores, on=on, tolerance=tolerance, floors=parsed, top_documents=top_documents, significance=test,
        theme_floors=themed, max_unsupported=max_unsupported, source=str(path),
    )
