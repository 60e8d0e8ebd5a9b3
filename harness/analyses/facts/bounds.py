"""What the facts check leaves out, and why (facts rules, docs/facts.md, "Left out").

No figure or name a summary states is this large: a figure written with more than 64 characters or
more than 24 significant digits, of 10^30 or more (1e308, a 400-digit string) or with digits past
the 30th decimal place (1e-9999), and a name of more than 64 characters, are each left out with a
line in the result's `skipped` (`Left.line`), as is a figure whose reading depends on one of them
(the bare start of its range, the other side of its pair: ranges.py). Within these bounds every value is a finite float for JSON, and the interval
arithmetic of check.py (a value times 0.9 or 1.5, plus or minus half a step: 27 digits at most) is
exact in Decimal's default 28-digit context, where two different 29-digit values could round to one
and support each other.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, NamedTuple

MAX_FIGURE_CHARS = 64
MAX_DIGITS = 24
MAX_NAME_CHARS = 64  # a longer "name" (a 10,000-letter token) is left out too
MAX_VALUE = Decimal("1e30")
FINEST_STEP = -30  # exponent of the finest step read: 30 decimal places


class Left(NamedTuple):
    """A figure or name left out, and why: its line in a result's `skipped` (`line`)."""

    what: Literal["figure", "name"]
    start: int
    end: int
    why: str

    def line(self, shift: int = 0) -> str:
        return f"{self.what} at {self.start + shift} skipped: {self.why}"


def too_many_characters(length: int) -> str | None:
    """Why a figure's core of `length` characters is left out unread (a 2 MB run of digits), or None."""
    return f"{length} characters (over {MAX_FIGURE_CHARS})" if length > MAX_FIGURE_CHARS else None


def finest_out_of_bounds(finest: int) -> str | None:
    """Why Arabic digits whose last digit is at 10^`finest` are left out, or None: checked before
    their value is made, as 10^`finest` may be beyond Decimal's exponents (1e-9999999999999999999)."""
    if finest < FINEST_STEP:
        return f"digits past the {-FINEST_STEP}th decimal place"
    if finest >= 30:  # 1e40, or 0e40: a step of 10^40
        return "10^30 or more"
    return None


def out_of_bounds(value: Decimal, step: Decimal) -> str | None:
    """Why a figure of `value`, read to `step`, is left out (`MAX_VALUE`, `MAX_DIGITS`), or None."""
    if abs(value) >= MAX_VALUE:
        return "10^30 or more"
    written = value.adjusted() - step.adjusted() + 1 if value and step else 1
    return f"{written} significant digits (over {MAX_DIGITS})" if written > MAX_DIGITS else None
