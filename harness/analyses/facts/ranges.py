"""Two figures read together (facts rules v3, docs/facts.md): a score pair (90比89) is one figure
with both sides, and the bare start of a range (70~650亿) borrows the end's magnitude and unit.

A range with an end left out (bounds.py: 70到1e40亿, 1e40到650亿) is left out whole, and so is a
pair with a side left out (90比1e40): read alone, the other end is not what the text says (70 is
70亿 in 70到650亿, and 1e40亿's magnitude and unit are not read) or is half of it.
The last pass of `figures.extract_figures`, over the figures it found in order.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from harness.analyses.facts.bounds import Left
from harness.analyses.facts.figure import Figure

_RANGE_JOIN = re.compile(r"\s*(?:到|至|~|-|–|—|to)\s*$")
_SCORE_JOIN = re.compile(r"(?:对|比|:)$")


def join_pairs(wide: str, figures: list[Figure], mantissas: list[Decimal], spans: list[tuple[int, int]],
               left: list[Left]) -> list[Figure]:
    """Join score pairs (90比89) into one figure; let a bare range start borrow the end's magnitude.
    ``spans`` are where the figures left out stand (`figures._left_span`), in order; a figure joined
    to one of them goes to ``left``."""
    if spans:
        figures, mantissas = _apart(wide, figures, mantissas, spans, left)
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


def _apart(wide: str, figures: list[Figure], mantissas: list[Decimal], spans: list[tuple[int, int]],
           left: list[Left]) -> tuple[list[Figure], list[Decimal]]:
    """The figures and their mantissas without those joined, by a range's or a pair's gap, to a
    figure left out (`spans`), directly or through other figures (70到650亿到1e40亿: 70 would lose
    the 亿 it borrows); those go to ``left`` with their reason."""
    # Figures and left-out spans never overlap, so in order of their starts the joined ones are adjacent.
    marks = sorted([(f.start, f.end, i) for i, f in enumerate(figures)] + [(s, e, -1) for s, e in spans])
    groups: list[tuple[list[int], set[str]]] = [([marks[0][2]], set())]  # joined marks, and how
    for (_, end, i), (start, _, j) in itertools.pairwise(marks):
        joined = _joined(wide[end:start], [figures[k] for k in (i, j) if k >= 0])
        if joined:
            groups[-1][0].append(j)
            groups[-1][1].add(joined)
        else:
            groups.append(([j], set()))
    dropped: dict[int, str] = {}
    for members, kinds in groups:
        if -1 in members:
            why = "part of a range with an end left out" if "range" in kinds else "part of a pair with a side left out"
            dropped.update((k, why) for k in members if k >= 0)
    left += [Left("figure", figures[k].start, figures[k].end, why) for k, why in sorted(dropped.items())]
    kept = [k for k in range(len(figures)) if k not in dropped]
    return [figures[k] for k in kept], [mantissas[k] for k in kept]


def _joined(gap: str, sides: list[Figure]) -> str:
    """"range" or "pair" when ``gap`` joins two figures of which ``sides`` were read, else ""."""
    if _RANGE_JOIN.fullmatch(" " + gap):
        return "range"
    if _SCORE_JOIN.fullmatch(gap) and all(f.kind == "number" and f.unit is None and f.step == 1 for f in sides):
        return "pair"
    return ""
