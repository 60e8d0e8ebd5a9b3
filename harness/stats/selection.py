"""Exact order statistics of a stream of floats that can be replayed, in memory that does not grow
with its length: the value of rank r (the r-th smallest, counting from 0) of N values, which is
`sorted(values)[r]`, found without keeping the N values.

harness.stats.resampling uses it for the ends of bootstrap intervals past `STREAM_ABOVE`
resamples: the stream is one column's resample means, and a replay draws the same resamples again
from the seed. tests/test_resampling_stream.py checks the answers against sorting every value.

The passes over the stream:

1. Every value is counted into a fixed number of bins over a guessed range (values outside it go
   to the end bins); each bin keeps its count and its smallest and largest value. The bin that
   holds rank r is where the running count passes r, and the count of the values before it is
   exact. The bin function is monotone (`Bins`), so that bin's values are exactly the stream's
   values between its smallest and its largest: a closed interval [lo, hi].
2. Each later pass looks only at the values in [lo, hi]. It collects the distinct ones with their
   counts, up to `cap` distinct values, and also counts them into bins over [lo, hi]. Within the
   cap, the value of rank r is read off the sorted distinct values. Past it, the bin holding the
   rank gives the next, narrower interval for the next pass. Its lo lands in the first bin and its
   hi in the last, so each such pass leaves fewer distinct values than the one before, and the
   passes end (a handful for doubles, each bin 1/`bins` of the last one's width).

Memory: three arrays of `bins` numbers per stream in the first pass, and per rank three such
arrays and at most `cap` distinct values, whatever N is. Time: at least two passes instead of
one; that is the price, which is why harness.stats.resampling sorts in memory up to a threshold.

The values must be finite, without -0.0 (it equals 0.0, and a dict would merge the two where a
stable sort keeps each), and close enough together that bins over them can be told apart
(`bins / (hi - lo)` finite); harness.stats.resampling streams only columns that ensure it.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Sequence


class Bins:
    """`count` bins over [lo, hi]: a value v goes to bin int((v - lo) * scale), clamped to
    0..count-1, scale = count / (hi - lo). Monotone: a subtraction, a product by a positive
    constant, truncation and clamping are each correctly rounded or exact and never put a larger
    value before a smaller one, so every bin holds the values between its smallest and its
    largest. lo goes to bin 0 and, when lo < hi, hi to the last bin: (hi - lo) * scale is within
    two units in the last place of count. The same object bins a value in every pass."""

    __slots__ = ("last", "lo", "scale")

    def __init__(self, lo: float, hi: float, count: int) -> None:
        width = hi - lo
        self.lo = lo
        self.last = count - 1
        # lo >= hi (a guessed range around equal values): one bin for everything, which is exact.
        self.scale = count / width if width > 0.0 else 0.0

    def index(self, value: float) -> int:
        """The bin of `value` (values outside [lo, hi] go to the end bins)."""
        b = int((value - self.lo) * self.scale)
        return 0 if b < 0 else self.last if b > self.last else b


class _Histogram:
    """Per bin: how many values, the smallest and the largest (compact arrays, not lists of
    objects: a run of 120 columns holds 120 of these)."""

    __slots__ = ("bins", "counts", "highs", "lows")

    def __init__(self, bins: Bins) -> None:
        size = bins.last + 1
        self.bins = bins
        self.counts = array("q", bytes(8 * size))
        self.lows = array("d", [math.inf]) * size
        self.highs = array("d", [-math.inf]) * size

    def add(self, value: float) -> None:
        b = self.bins.index(value)
        self.counts[b] += 1
        if value < self.lows[b]:
            self.lows[b] = value
        if value > self.highs[b]:
            self.highs[b] = value

    def locate(self, rank: int) -> tuple[int, float, float]:
        """(how many values lie in the bins before the one holding `rank`, its smallest, its largest)."""
        before = 0
        for count, low, high in zip(self.counts, self.lows, self.highs, strict=True):
            if rank < before + count:
                return before, low, high
            before += count
        raise ValueError(f"rank {rank} of only {before} values")


class _Target:
    """One rank looked for among the values in [lo, hi], with `below` values of the stream under lo."""

    __slots__ = ("below", "found", "hi", "histogram", "lo", "rank", "seen")

    def __init__(self, rank: int, below: int, lo: float, hi: float) -> None:
        self.rank, self.below, self.lo, self.hi = rank, below, lo, hi
        self.found: float | None = lo if lo == hi else None
        self.histogram: _Histogram | None = None
        self.seen: dict[float, int] | None = None

    def start(self, bins: int) -> None:
        self.histogram = _Histogram(Bins(self.lo, self.hi, bins))
        self.seen = {}

    def finish(self, bins: int) -> None:
        """After a pass: the value, if the distinct values stayed within the cap; else the next interval."""
        assert self.histogram is not None
        local = self.rank - self.below
        if self.seen is not None:
            for value in sorted(self.seen):
                local -= self.seen[value]
                if local < 0:
                    self.found = value
                    return
            raise ValueError(f"rank {self.rank} not among the values collected")
        before, lo, hi = self.histogram.locate(local)
        if (lo, hi) == (self.lo, self.hi):  # Bins puts lo and hi in different bins: never for the values allowed
            raise ValueError(f"cannot split [{lo!r}, {hi!r}] into bins")
        self.below += before
        self.lo, self.hi = lo, hi
        if lo == hi:
            self.found = lo
        else:
            self.start(bins)


class RankSelector:
    """The values of the given ranks among a replayable stream's values. Each pass: `feed()` gives
    the function to call with every value of the stream, in any order but all of them; then
    `end_pass()`. When `done`, `values()` are `sorted(stream)[r]` for each rank r.

    `lo` and `hi` are a guess of where the ranks lie, for the first pass's `bins` bins (a better
    guess, fewer values per bin); `cap` bounds the distinct values collected per rank."""

    def __init__(self, ranks: Sequence[int], lo: float, hi: float, *, bins: int, cap: int) -> None:
        if bins < 2 or cap < 1:
            raise ValueError(f"need at least 2 bins and a cap of at least 1, got {bins} and {cap}")
        self._ranks = tuple(ranks)
        self._bins = bins
        self._cap = cap
        self._first: _Histogram | None = _Histogram(Bins(lo, hi, bins))
        self._targets: list[_Target] = []
        self._open: list[_Target] = []
        self.passes = 0

    @property
    def done(self) -> bool:
        """Whether every rank's value is known (never before the first pass)."""
        return self._first is None and not self._open

    def feed(self) -> Callable[[float], None]:
        """The function taking each value of this pass."""
        return self._first.add if self._first is not None else self._offer

    def _offer(self, value: float) -> None:
        cap = self._cap
        for target in self._open:
            if target.lo <= value <= target.hi:
                assert target.histogram is not None
                target.histogram.add(value)
                seen = target.seen
                if seen is not None:
                    seen[value] = seen.get(value, 0) + 1
                    if len(seen) > cap:
                        target.seen = None  # too many: this pass only narrows the interval

    def end_pass(self) -> None:
        """Close a pass: find what it settles and set up the next one's intervals."""
        self.passes += 1
        if self._first is not None:
            first, self._first = self._first, None
            for rank in self._ranks:
                below, lo, hi = first.locate(rank)
                self._targets.append(_Target(rank, below, lo, hi))
        else:
            for target in self._open:
                target.finish(self._bins)
        self._open = [t for t in self._targets if t.found is None]
        for target in self._open:
            if target.histogram is None:
                target.start(self._bins)

    def values(self) -> tuple[float, ...]:
        """The value of each rank, in the order the ranks were given."""
        if not self.done:
            raise ValueError("the stream has not been read to the end")
        return tuple(t.found for t in self._targets if t.found is not None)
