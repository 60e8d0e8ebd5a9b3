"""Per-system changes against the baseline, for the pull-request comment of `harness check
--format markdown`: each system's status (the worst of its gate rows), its delta on the rank
metric with the paired bootstrap interval and the approximate randomization p-value over the
documents both runs scored (harness.stats.resampling.compare_columns), and its delta on every
other metric; changed systems first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.gate.verdict import FAILING, OK, Verdict
from harness.rouge.metrics import is_metric, rank_metric
from harness.stats.resampling import Resampling, compare_columns

# Scores are ratios of small integers; two runs of the same text agree exactly, so any difference
# larger than rounding noise is a change.
_SAME = 1e-12


@dataclass(frozen=True)
class SystemChange:
    """One system against the baseline: `status` is its worst gate row's; `deltas` per metric
    (None when either side lacks it); on `metric`, the interval and p-value of the paired tests
    over `documents` shared documents (None when fewer than 2)."""

    system: str
    status: str
    metric: str
    baseline: float | None
    current: float | None
    deltas: dict[str, float | None]
    ci: tuple[float, float] | None
    p_value: float | None
    documents: int

    @property
    def delta(self) -> float | None:
        return self.deltas.get(self.metric)

    @property
    def changed(self) -> bool:
        """A status other than ok, or any score that moved (within the tolerance or not)."""
        return self.status != OK or any(d is not None and abs(d) > _SAME for d in self.deltas.values())


def _worst(statuses: list[str]) -> str:
    failing = [s for s in statuses if s in FAILING]
    if failing:
        return failing[0]
    moved = [s for s in statuses if s != OK]
    return moved[0] if moved else OK


def _per_document(entry: Mapping[str, Any] | None, metric: str, on: str) -> dict[str, float]:
    if entry is None:
        return {}
    return {doc: scores[metric][on] for doc, scores in entry.get("documents", {}).items() if metric in scores}


@dataclass(frozen=True)
class Changes:
    """Every system's change, changed ones first, and the resampling its tests used (None: no tests)."""

    systems: list[SystemChange]
    resampling: Resampling | None


def system_changes(
    verdict: Verdict,
    baseline: Mapping[str, Any] | None = None,
    current: Mapping[str, Any] | None = None,
    resampling: Resampling | None = None,
) -> Changes:
    """Every system of `verdict`, changed ones first (failing, then other changes, each largest drop
    first), then the unchanged, by name. With the JSON contracts compared (`baseline`, `current`)
    and a `resampling`, the paired tests on the rank metric over the documents both scored."""
    metrics = list(dict.fromkeys(r.metric for r in verdict.rows if is_metric(r.metric)))
    metric = rank_metric(metrics) if metrics else ""
    tested = baseline is not None and current is not None and resampling is not None
    old = _entries(baseline) if tested else {}
    new = _entries(current) if tested else {}
    names = list(dict.fromkeys(r.system for r in verdict.rows))
    pairs: dict[str, tuple[list[float], list[float]]] = {}
    shared_count: dict[str, int] = {}
    for name in names:
        before, after = _per_document(old.get(name), metric, verdict.on), _per_document(new.get(name), metric, verdict.on)
        shared = sorted(set(before) & set(after))
        shared_count[name] = len(shared)
        if len(shared) >= 2:
            pairs[name] = ([after[d] for d in shared], [before[d] for d in shared])
    tests = compare_columns(pairs, resampling) if pairs and resampling is not None else {}
    out = []
    for name in names:
        rows = [r for r in verdict.rows if r.system == name]
        main = next((r for r in rows if r.metric == metric), None)
        test = tests.get(name)
        out.append(SystemChange(
            name, _worst([r.status for r in rows]), metric, main.baseline if main else None,
            main.current if main else None, {r.metric: r.delta for r in rows if is_metric(r.metric)},
            None if test is None else test.ci, None if test is None else test.p_permutation, shared_count[name],
        ))
    out.sort(key=lambda c: (0 if c.status in FAILING else 1 if c.changed else 2,
                            c.delta if c.delta is not None else 0.0, c.system))
    return Changes(out, resampling if tested else None)


def _entries(contract: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    """Submitted systems by name (--baselines rows are never gated)."""
    return {} if contract is None else {s["name"]: s for s in contract["systems"] if s.get("baseline") is not True}
