"""Floors of `harness check`: `--min [SYSTEM:]METRIC=VALUE` on a metric or an analysis's value
(`facts`), `--min-theme THEME=VALUE` on a theme's share; parsed and checked before any text is read."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from harness.analyses.themes import THEME_PREFIX  # `--min-theme THEME=VALUE` floors `theme:THEME`
from harness.errors import InputError
from harness.rouge.metrics import NAME_PATTERN


def names_list(names: Iterable[str], limit: int = 5) -> str:
    """Names sorted and joined, the first `limit` of them, then how many more."""
    ordered = sorted(names)
    shown = ", ".join(ordered[:limit])
    return f"{shown}, and {len(ordered) - limit} more" if len(ordered) > limit else shown or "none"


_FLOOR = re.compile(rf"(?:(?P<system>.+):)?(?P<metric>{NAME_PATTERN}|facts)=(?P<value>[0-9]*\.?[0-9]+)", re.DOTALL)


@dataclass(frozen=True)
class Floor:
    """An absolute minimum: `metric=value` for every system, or `system:metric=value` for one."""

    metric: str
    value: float
    system: str | None = None

    def __str__(self) -> str:
        return f"{self.system + ':' if self.system else ''}{self.metric}={self.value:g}"


def parse_floor(text: str) -> Floor:
    """Parse a --min value such as 'rougeL=0.30' or 'my-system:rouge1=0.4'."""
    match = _FLOOR.fullmatch(text.strip())
    if not match:
        raise InputError(f"--min {text}: expected METRIC=VALUE or SYSTEM:METRIC=VALUE, e.g. rougeL=0.30")
    value = float(match["value"])
    if not 0.0 <= value <= 1.0:
        raise InputError(f"--min {text}: the floor is on the 0-1 scale, got {value}")
    return Floor(match["metric"], value, match["system"])


_THEME_FLOOR = re.compile(r"(?P<theme>[^=]+)=(?P<value>[0-9]*\.?[0-9]+)", re.DOTALL)


@dataclass(frozen=True)
class ThemeFloor:
    """`--min-theme THEME=VALUE`: every system must cover at least this share of the theme's
    units (its mean share over the documents that have the theme)."""

    theme: str
    value: float

    @property
    def key(self) -> str:
        """The gate value it floors (harness.analyses.themes's `gate_values`)."""
        return THEME_PREFIX + self.theme

    def __str__(self) -> str:
        return f"{self.key}={self.value:g}"


def parse_theme_floor(text: str) -> ThemeFloor:
    """Parse a --min-theme value such as '开源威胁=0.5' (known from the option alone)."""
    match = _THEME_FLOOR.fullmatch(text.strip())
    if not match or not match["theme"].strip():
        raise InputError(f"--min-theme {text}: expected THEME=VALUE, e.g. 开源威胁=0.5")
    value = float(match["value"])
    if not 0.0 <= value <= 1.0:
        raise InputError(f"--min-theme {text}: the floor is a share of units, 0 to 1, got {value}")
    return ThemeFloor(match["theme"].strip(), value)


def check_theme_names(floors: Iterable[ThemeFloor], themes: Collection[str]) -> None:
    """Refuse a floor on a theme no theme file lists (known once the corpus is read, before scoring)."""
    for f in floors:
        if f.theme not in themes:
            known = ", ".join(themes) if themes else "none: no theme files were found"
            raise InputError(f"--min-theme {f.theme}={f.value:g}: no theme {f.theme!r} (themes: {known})")


# Floors on a registered analysis's gate value rather than a metric (`--min facts=0.9`).
ANALYSIS_FLOORS = ("facts",)
UNSUPPORTED = "facts:unsupported"  # the `metric` of a --max-unsupported row


def check_facts_gate(floors: Iterable[Floor], max_unsupported: int | None, why_not: str | None) -> None:
    """Refuse a gate on facts (`--min facts=X`, `--max-unsupported N`) that could not fail, `why_not`
    saying why (the check skipped, no document with a source); None when it can."""
    asked = [f"--min {f}" for f in floors if f.metric in ANALYSIS_FLOORS]
    if max_unsupported is not None:
        asked.append(f"--max-unsupported {max_unsupported}")
    if asked and why_not is not None:
        raise InputError(f"{' and '.join(asked)}: {why_not}, so nothing would be gated")


def check_floor_metrics(floors: Iterable[Floor], metrics: Collection[str]) -> None:
    """Refuse a floor on a metric that is not computed (known from the options alone)."""
    for f in floors:
        if f.metric not in metrics and f.metric not in ANALYSIS_FLOORS:
            raise InputError(f"--min {f}: metric {f.metric} is not computed (metrics: {', '.join(metrics)})")


def check_floor_systems(floors: Iterable[Floor], current: Collection[str], baseline: Collection[str] = ()) -> None:
    """Refuse a floor for a system that is neither in the run nor in the baseline (known once the
    corpus is listed, before any scoring)."""
    for f in floors:
        if f.system is not None and f.system not in current and f.system not in baseline:
            raise InputError(f"--min {f}: no system {f.system!r} (systems: {names_list(current, limit=20)})")
