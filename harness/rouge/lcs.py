"""Longest common subsequence in bit-parallel form, with rouge-score's exact tie-breaking.

rouge-score (and ROUGE-1.5.5) fill a full len(a) x len(b) table in pure Python,
which takes minutes for a 200 KB text. Here each table row is one Python integer
whose bits encode the row's steps (Hyyro 2004, "Bit-parallel LCS-length
computation revisited"), so a row costs a few big-integer operations and rows for
tokens absent from the other text cost nothing. `lcs_indices` reads the same table
values back from those rows and walks it exactly as rouge-score's
`_backtrack_norec` does, so ROUGE-Lsum picks the very same LCS.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from harness.text.analysed import match_masks

# Table bits kept whole by lcs_index_bits (64 MiB); past this, checkpoints (see there).
ROWS_KEPT = 1 << 29


class _Rows:
    """Table rows 0..len(ref) by index, from every step-th row kept: the rows between two kept
    ones are recomputed when asked for. A stretch holds rows base..base+step, so row i and row
    i-1, which the walk reads together, are in one; the walk goes up, so each is made once."""

    def __init__(self, ref: Sequence[str], masks: dict[str, int], full: int, kept: list[int], step: int) -> None:
        self.ref, self.masks, self.full, self.kept, self.step = ref, masks, full, kept, step
        self.base = -1
        self.stretch: list[int] = []

    def __getitem__(self, i: int) -> int:
        if self.base < 0 or not self.base <= i <= self.base + self.step:
            self.base = max(0, (i - 1) // self.step * self.step)
            v = self.kept[self.base // self.step]
            self.stretch = [v]
            full, get = self.full, self.masks.get
            for token in self.ref[self.base : self.base + self.step]:
                m = get(token)
                if m:
                    u = v & m
                    v = ((v + u) | (v - u)) & full
                self.stretch.append(v)
        return self.stretch[i - self.base]


def lcs_length(rows: Sequence[str], masks: dict[str, int], width: int) -> int:
    """LCS length of `rows` and the text of `width` tokens whose `masks` are given."""
    if not rows or not width:
        return 0
    full = (1 << width) - 1
    v = full
    get = masks.get
    for token in rows:
        m = get(token)
        if m:
            u = v & m
            v = ((v + u) | (v - u)) & full
    return width - v.bit_count()


def lcs_indices(ref: Sequence[str], can: Sequence[str], can_masks: dict[str, int] | None = None) -> list[int]:
    """Indices into `ref` of one LCS with `can`: the one rouge-score's
    `lcs_ind(ref, can)` returns (same table, same walk, same ties). `can_masks`, when
    given, is `match_masks(can)` computed once by the caller."""
    bits = lcs_index_bits(ref, can, can_masks)
    return [i for i in range(len(ref)) if bits >> i & 1]


def lcs_index_bits(ref: Sequence[str], can: Sequence[str], can_masks: dict[str, int] | None = None) -> int:
    """`lcs_indices` as a bit mask over `ref` (bit i set: ref[i] is in that LCS)."""
    if not ref or not can:
        return 0
    masks = match_masks(can) if can_masks is None else can_masks
    width = len(can)
    full = (1 << width) - 1
    # rows[i] encodes table row i: bit k set when table[i][k+1] == table[i][k], so
    # table[i][j] = j - popcount(rows[i] & low j bits). Kept whole they take len(ref) * width
    # bits (312 MB for one sentence of 50,000 characters against another): past ROWS_KEPT bits,
    # only every step-th row is kept and the rows between two of them are recomputed when the
    # walk reaches them (it only goes up), about 2 * sqrt(len(ref)) rows at a time for one
    # more forward pass. The walk reads the very same rows, so it picks the same LCS.
    n = len(ref)
    step = 1 if n * width <= ROWS_KEPT else max(1, math.isqrt(n))
    kept = [full]
    v = full
    hit = False
    for i, token in enumerate(ref, 1):
        m = masks.get(token)
        if m:
            hit = True
            u = v & m
            v = ((v + u) | (v - u)) & full
        if i % step == 0:
            kept.append(v)
    if not hit:
        return 0
    # Kept whole, the rows are the list itself: the walk reads two rows a step, and going through
    # _Rows.__getitem__ for each cost a method call (15 million of them on the distinct 10 x 1,000 set).
    rows: list[int] | _Rows = kept if step == 1 else _Rows(ref, masks, full, kept, step)
    # rouge-score's walk from (m, n): on a match go diagonally; else go left when
    # table[i][j-1] > table[i-1][j], else up. With cur = table[i][j], and table[i-1][j] being
    # cur or cur - 1: when rows[i] has bit j-1 clear, table[i][j-1] = cur - 1 is never greater,
    # so the walk goes up; when set, table[i][j-1] = cur, greater exactly when table[i-1][j] =
    # cur - 1. So each step needs at most one popcount, for the row above.
    i, j = len(ref), width
    cur = width - (rows[i]).bit_count()
    out = 0
    while i > 0 and j > 0:
        if ref[i - 1] == can[j - 1]:
            out |= 1 << (i - 1)
            i -= 1
            j -= 1
            cur -= 1
            continue
        up = j - (rows[i - 1] & ((1 << j) - 1)).bit_count()
        if rows[i] >> (j - 1) & 1 and up < cur:
            j -= 1  # left: table[i][j-1] = cur
        else:
            i -= 1
            cur = up
    return out
