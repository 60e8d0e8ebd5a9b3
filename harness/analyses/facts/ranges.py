"""Two figures read together (facts rules, docs/facts.md): a score pair (90比89) is one figure
with both sides, and the bare start of a range (70~650亿) borrows the end's magnitude and unit.

A figure whose reading depends on a figure left out (bounds.py) is left out too, with its reason:
the bare start of a range whose end left out has a magnitude or unit to lend (70到1e40亿: 70 is 70亿
in 70到650亿), and a bare number paired with a side left out (90比<25 digits>: half a score). A
figure with its own unit or magnitude to read stays, as does a range's end (1e40到650亿: 650亿).
The last pass of `figures.extract_figures`, over the figures it found in order.
"""

from __future__ import annotations

import re
from decimal import Decimal

from harness.analyses.facts.bounds import Left
from harness.analyses.facts.figure import Figure

_RANGE_JOIN = re.compile(r"\s*(?:到|至|~|-|–|—|to)\s*$")
# ∶ (U+2236), the ratio sign of Chinese typesetting (3∶0; v5); 比 and 对 may have a space either side
# (2 比 1; v6), a colon too between sides under 1,000 (2 : 1; not 2023: 18 in a list of years).
_SCORE_JOIN = re.compile(r"(?: ?(?:对|比) ?|:|∶)$")
_SPACED_COLON = re.compile(r" ?[:∶] ?")
# A hyphen joins a score between whole numbers under 1,000 without a unit (v6, a range before): when
# the first side is not less than the second (2-1, 1-1), or in a match's words (比分为1-2, 1-2不敌, 0-3输给);
# 18-25℃, 9-12点, 3-5折, 7B-65B and 2023-24 stay ranges.
_SCORE_DASH = ("-", "–")
_MATCH_BEFORE = re.compile(r"(?:比分[为是定格在]?|战成|打成)\s?$")  # in the 3 characters before the pair: not 比分定格在
_MATCH_AFTER = re.compile(r"\s?(?:击败|战胜|不敌|负于|输给|败给|落败|失利|憾负|完败|获胜|取胜|胜出|告负|逆转|力克|险胜|完胜|"
                          r"大胜|惜败|轻取|横扫|战平|逼平|平局|的比分|[胜负平](?![\u4e00-\u9fff]))")  # not 5-8平方米, 3-5胜地
_PLAIN = re.compile(r"[0-9]+")  # a side left out that could be a score's: digits alone (step 1, no unit)
_NUMERIC = re.compile(r"[0-9.eE+\-]+")  # an end left out with no magnitude or unit for a start to borrow


def join_pairs(text: str, wide: str, figures: list[Figure], mantissas: list[Decimal], spans: list[tuple[int, int]],
               left: list[Left]) -> list[Figure]:
    """Join score pairs (90比89) into one figure; let a bare range start borrow the end's magnitude.
    ``wide`` is ``text`` widened (`figures.widen`: the same offsets), which the gaps are read in; a
    pair's text is the text as written (９０：８９, not 90:89). ``spans`` are where the figures left
    out stand (`figures._left_span`), in order; a figure joined to one of them goes to ``left``."""
    if spans:
        figures, mantissas = _apart(wide, figures, mantissas, spans, left)
    out: list[Figure] = []
    i = 0
    while i < len(figures):
        fig = figures[i]
        nxt = figures[i + 1] if i + 1 < len(figures) else None
        if nxt is not None:
            gap = wide[fig.end:nxt.start]
            small = fig.value < 1000 and nxt.value < 1000
            dash = small and gap in _SCORE_DASH and (nxt.value <= fig.value or _MATCH_BEFORE.search(
                wide, max(0, fig.start - 3), fig.start) is not None or _MATCH_AFTER.match(wide, nxt.end) is not None)
            dash = dash or (small and _SPACED_COLON.fullmatch(gap) is not None)
            if ((dash or _SCORE_JOIN.fullmatch(gap)) and fig.kind == nxt.kind == "number" and fig.unit is None
                    and nxt.unit is None and fig.step == nxt.step == 1):
                out.append(fig._replace(text=text[fig.start:nxt.end], end=nxt.end, unit=None, kind="score",
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
    """The figures and their mantissas without those whose reading depends on a figure left out
    (`spans`); those go to ``left`` with their reason. A bare number paired with a side left out that
    is digits alone (a score's half; pairs are made from the left, as `join_pairs` makes them:
    90比89比1e40 keeps 90比89); the bare start of a range whose end left out has a magnitude or unit
    to lend (70到1e40亿: 70 would be 70亿 or more), or whose end was dropped (70到650亿到1e40亿).
    A figure with its own unit stays (600美元到1e40美元), as does a range's end (1e40到650亿): it
    borrows nothing."""
    marks = sorted([(f.start, f.end, i) for i, f in enumerate(figures)] + [(s, e, -1) for s, e in spans])
    sides = [_PLAIN.fullmatch(wide[s:e]) is not None if i < 0 else _pairable(figures[i]) for s, e, i in marks]
    dropped: dict[int, str] = {}
    k = 0
    while k + 1 < len(marks):
        (_, end, i), (start, _, j) = marks[k], marks[k + 1]
        if sides[k] and sides[k + 1] and _SCORE_JOIN.fullmatch(wide[end:start]):
            dropped.update((m, "part of a pair with a side left out") for m in (i, j) if m >= 0 and min(i, j) < 0)
            k += 2
        else:
            k += 1
    for k in range(len(marks) - 2, -1, -1):
        (_, end, i), (start, stop, j) = marks[k], marks[k + 1]
        if i < 0 or i in dropped or figures[i].unit is not None or figures[i].kind != "number":
            continue
        lends = _NUMERIC.fullmatch(wide[start:stop]) is None if j < 0 else j in dropped
        if lends and _RANGE_JOIN.fullmatch(" " + wide[end:start]):
            dropped[i] = "part of a range with an end left out"
    left += [Left("figure", figures[k].start, figures[k].end, why) for k, why in sorted(dropped.items())]
    kept = [k for k in range(len(figures)) if k not in dropped]
    return [figures[k] for k in kept], [mantissas[k] for k in kept]


def _pairable(figure: Figure) -> bool:
    """Whether `figure` may be a side of a score pair (`join_pairs`)."""
    return figure.kind == "number" and figure.unit is None and figure.step == 1
