"""What a figure is (facts rules, docs/facts.md): the value type that figures.py reads from a
text and ranges.py joins into score pairs and ranges, each of which imports it from here."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, NamedTuple

FigureKind = Literal["number", "percent", "money", "year", "date", "score"]
Approx = Literal["about", "over", "under"]


class Figure(NamedTuple):
    """A quantity found in a text: its span, exact value, unit and the rounding its notation implies."""

    text: str
    start: int
    end: int
    value: Decimal
    unit: str | None
    kind: FigureKind
    step: Decimal  # place of the last written digit (5.4亿: 1e7); 0 for dates and years
    approx: Approx | None = None
    second: Decimal | None = None  # the other side of a score pair (90比89: 89)


def date_parts(number: int) -> tuple[int, int, int]:
    """A date's year, month and day from its value (YYYYMMDD, 0 for a part its text leaves out: 6月18日 is 618)."""
    return number // 10000, number // 100 % 100, number % 100
