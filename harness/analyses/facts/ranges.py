"""Two figures read together (facts rules v3, docs/facts.md): a score pair (90比89) is one figure
with both sides, and the bare start of a range (70~650亿) borrows the end's magnitude and unit.

The last pass of `figures.extract_figures`, over the figures it found in order.
"""

from __future__ import annotations

import re
from decimal import Decimal

from harness.analyses.facts.figure import Figure

_RANGE_JOIN = re.compile(r"\s*(?:到|至|~|-|–|—|to)\s*$")
_SCORE_JOIN = re.compile(r"(?:对|比|:)$")


def join_pairs(wide: str, figures: list[Figure], mantissas: list[Decimal]) -> list[Figure]:
    """Join score pairs (90比89) into one figure; let a bare range start borrow the end's magnitude."""
    out: list[Figure] = []
    i = 0
    while i < len(figures):
        fig = figures[i]
        nxt = figures[i + 1] if i + 1 < len(figures) else None
        if nxt is not None:
            gap = wide[fig.end:nxt.start]
            if (_SCORE_JOIN.fullmatch(gap) and fig.kind == nxt.kind == "number" and fig.unit is None
                    and nxt.unit is None and fig.step == nxt.step == 1):
                out.append(fig._replace(text=wide[fig.start:nxt.end], end=nxt.end, unit=None, kind="score",
                                        step=Decimal(1), approx=None, second=nxt.value))
                i += 2
                continue
            if _RANGE_JOIN.fullmatch(" " + gap) and fig.unit is None and fig.kind == "number":
                fig = _borrow(fig, nxt, mantissas[i + 1])
        out.append(fig)
        i += 1
    return out


def _borrow(start: Figure, end: Figure, end_mantissa: Decimal) -> Figure:
    if end.kind in ("date", "year", "score"):
        return start
    factor = end.value / end_mantissa if end_mantissa else Decimal(1)
    # 70~650亿: 70 ≤ 650, so 70 means 70亿; 5000到1万: 5000 > 1, so 5000 stays 5000.
    if factor > 1 and start.value <= end_mantissa and start.step <= 1:
        start = start._replace(value=start.value * factor, step=start.step * factor)
    if end.unit is not None and end.kind != "date":
        start = start._replace(unit=end.unit, kind=end.kind, step=Decimal(0) if end.kind == "year" else start.step)
    return start
