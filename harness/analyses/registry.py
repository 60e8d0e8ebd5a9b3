"""The registered per-document analyses, in the order their columns and JSON keys appear.

Adding an analysis is its own module (a `harness.analyses.base.DocumentAnalysis`) and one line
here. `register` adds one at run time (a plugin, or a test's toy analysis); the process pool's
workers are forked after it, so they see it too.
"""

from __future__ import annotations

from harness.analyses.base import AnyAnalysis
from harness.analyses.conventions import Conventions
from harness.analyses.facts.analysis import Facts
from harness.analyses.offtopic import OffTopic
from harness.analyses.source_stats import SourceStatistics
from harness.analyses.themes import ThemeCoverage

_ANALYSES: list[AnyAnalysis] = [
    Conventions(),  # first: its columns stand next to the harness's own ROUGE (only with --convention all)
    OffTopic(),
    SourceStatistics(),
    ThemeCoverage(),
    Facts(),
]


def registered() -> tuple[AnyAnalysis, ...]:
    """Every analysis, in registration order."""
    return tuple(_ANALYSES)


def get(name: str) -> AnyAnalysis:
    """The analysis registered as `name`; KeyError when there is none."""
    for analysis in _ANALYSES:
        if analysis.name == name:
            return analysis
    raise KeyError(name)


def register(analysis: AnyAnalysis) -> None:
    """Add `analysis` after the others; ValueError if its name is taken."""
    if any(a.name == analysis.name for a in _ANALYSES):
        raise ValueError(f"an analysis named {analysis.name!r} is already registered")
    _ANALYSES.append(analysis)


def unregister(name: str) -> None:
    """Remove the analysis named `name` (a test's toy analysis, once done)."""
    _ANALYSES[:] = [a for a in _ANALYSES if a.name != name]
