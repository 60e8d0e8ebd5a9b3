"""Streamed bootstrap intervals (harness.stats.selection, past STREAM_ABOVE resamples) against a
kept-every-mean reference written here: the same interval ends and paired p-values, bit for bit,
on random, tied, constant and lopsided columns; the narrowing passes really run; memory stays flat
in the number of resamples while keeping every mean grows with it."""

from __future__ import annotations

import math
import random
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.stats import resampling
from harness.stats.resampling import Resampling
from harness.stats.selection import Bins, RankSelector

M64 = 2**64
# Confidence as the user writes it and the same in thousandths, so that the tail count
# k = floor((1 - c) / 2 * N) is computed here in integers: N * (1000 - permille) // 2000.
CONFIDENCES = [(0.95, 950), (0.9, 900), (0.5, 500), (0.99, 990), (0.2, 200)]


def _outputs(seed: int):
    """SplitMix64 again, in plain % 2**64 arithmetic (shares no code with harness.stats.resampling)."""
    state = seed % M64
    while True:
        state = (state + 0x9E3779B97F4A7C15) % M64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % M64
        yield z ^ (z >> 31)


def _kept_means(column: list[float], trials: int, seed: int) -> list[float]:
    """Every resample mean, kept: n uniform indices per resample by Lemire's rule written as
    "redraw while the low word is under (2**64 - n) mod n", each mean an fsum over n."""
    out, n = _outputs(seed), len(column)
    limit = (M64 - n) % n
    means = []
    for _ in range(trials):
        total = []
        while len(total) < n:
            product = next(out) * n
            if product % M64 >= limit:
                total.append(column[product // M64])
        means.append(math.fsum(total) / n)
    return means


def _reference(column: list[float], trials: int, seed: int, permille: int) -> tuple[tuple[float, float], float]:
    """The interval [v[k], v[N-1-k]] of the sorted kept means and the paired-bootstrap p-value
    (c + 1) / (N + 1), c counting means at least |observed| away from the observed mean."""
    means = _kept_means(column, trials, seed)
    ordered = sorted(means)
    k = trials * (1000 - permille) // 2000
    observed = math.fsum(column) / len(column)
    c = sum(1 for m in means if abs(m - observed) >= abs(observed) - 1e-12)
    return (ordered[k], ordered[trials - 1 - k]), (c + 1) / (trials + 1)


def _column(kind: str, rng: random.Random, n: int) -> list[float]:
    if kind == "random":
        return [rng.random() for _ in range(n)]
    if kind == "two values":
        return [rng.choice([0.25, 0.75]) for _ in range(n)]
    if kind == "three values":
        return [rng.choice([0.0, 0.4, 1.0]) for _ in range(n)]
    if kind == "all equal":
        return [0.1] * n  # fsum(0.1 x n) / n is not always 0.1, but every resample gives the same
    if kind == "one dominates":
        return [0.001] * (n - 1) + [0.9]
    if kind == "differences":  # paired differences around 0, both signs, zeros among them
        return [rng.choice([-0.2, -0.05, 0.0, 0.0, 0.1, 0.3]) + rng.random() * 1e-3 for _ in range(n)]
    assert kind == "narrow"  # many distinct means within a few ulps' worth of range
    return [0.5 + rng.randrange(4) * 2**-50 for _ in range(n)]


KINDS = ["random", "two values", "three values", "all equal", "one dominates", "differences", "narrow"]


@pytest.fixture
def passes(monkeypatch):
    """Counts the generators made: one per pass over the resamples."""
    made: list[int] = []

    class Counted(resampling.SplitMix64):
        def __init__(self, seed: int) -> None:
            made.append(seed)
            super().__init__(seed)

    monkeypatch.setattr(resampling, "SplitMix64", Counted)
    return made


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("bins", "cap"), [(2048, 4096), (2, 1), (5, 3)])
def test_streamed_ends_and_p_values_equal_the_sorted_means(monkeypatch, passes, kind, bins, cap):
    # Every case also runs through the kept path (threshold back up) as a second witness.
    rng = random.Random(f"{kind}-{bins}")
    kept = resampling.resample_means
    monkeypatch.setattr(resampling, "STREAM_BINS", bins)
    monkeypatch.setattr(resampling, "STREAM_CAP", cap)
    most = 0
    for case in range(5):
        n, trials = rng.randint(2, 9), rng.randint(100, 500)
        confidence, permille = CONFIDENCES[case % len(CONFIDENCES)]
        seed = rng.randrange(M64)
        columns = {"a": _column(kind, rng, n), "b": _column("random", rng, n)}
        res = Resampling(trials, confidence, seed)
        expected = {key: _reference(column, trials, seed, permille) for key, column in columns.items()}
        monkeypatch.setattr(resampling, "STREAM_ABOVE", 0)
        monkeypatch.setattr(resampling, "resample_means", None)  # streamed, or this fails
        passes.clear()
        assert resampling.paired_bootstrap(columns, res) == expected
        most = max(most, len(passes))
        assert resampling.bootstrap_intervals(columns, res) == {key: ends for key, (ends, _) in expected.items()}
        monkeypatch.setattr(resampling, "STREAM_ABOVE", resampling.MAX_RESAMPLES)
        monkeypatch.setattr(resampling, "resample_means", kept)
        passes.clear()
        assert resampling.paired_bootstrap(columns, res) == expected
        assert len(passes) == 1  # kept
    # With 2048 bins a few documents' means mostly sit one value to a bin, settled in the first
    # pass; tiny bins and caps leave them to the collecting and narrowing passes.
    assert most >= 1 if bins == 2048 else most > 2


def test_narrowing_runs_when_a_bin_holds_more_than_the_cap(monkeypatch, passes):
    # 9 documents of distinct random scores: hundreds of distinct means; two bins and a cap of one
    # distinct value leave the ends unknown until the intervals have been halved many times.
    rng = random.Random(3)
    column = [rng.random() for _ in range(9)]
    monkeypatch.setattr(resampling, "STREAM_ABOVE", 0)
    monkeypatch.setattr(resampling, "STREAM_BINS", 2)
    monkeypatch.setattr(resampling, "STREAM_CAP", 1)
    found = resampling.bootstrap_intervals({"x": column}, Resampling(500, 0.9, 77))["x"]
    assert found == _reference(column, 500, 77, 900)[0]
    assert len(passes) > 5 and set(passes) == {77}  # every pass from the same seed


def test_a_constant_column_needs_one_pass(monkeypatch, passes):
    # Every resample of equal scores has the same mean: the first pass's one occupied bin holds
    # one distinct value, which is both ends at once (here 0.1 x 3 / 3 = 0.10000000000000002).
    monkeypatch.setattr(resampling, "STREAM_ABOVE", 0)
    found = resampling.bootstrap_intervals({"x": [0.1, 0.1, 0.1]}, Resampling(300))["x"]
    assert found == (0.10000000000000002, 0.10000000000000002) and len(passes) == 1


def test_streaming_starts_past_the_threshold(monkeypatch):
    kept: list[int] = []
    keep = resampling.resample_means
    monkeypatch.setattr(resampling, "resample_means", lambda *args: kept.append(args[2].trials) or keep(*args))
    monkeypatch.setattr(resampling, "STREAM_ABOVE", 400)
    columns = {"x": [0.2, 0.9, 0.4, 0.6]}
    at, past = (resampling.bootstrap_intervals(columns, Resampling(trials)) for trials in (400, 401))
    assert kept == [400]  # at the threshold kept and sorted, one past it streamed
    assert at == {"x": _reference(columns["x"], 400, resampling.DEFAULT_SEED, 950)[0]}
    assert past == {"x": _reference(columns["x"], 401, resampling.DEFAULT_SEED, 950)[0]}


def test_columns_a_bin_cannot_reproduce_are_kept(monkeypatch, passes):
    # Tiny scores of both signs make means of -0.0 and 0.0, equal but not the same float: a sort
    # keeps them in draw order, which no count by value can, so such columns are never streamed.
    column = [-5e-324, 5e-324, 0.0, 0.25]
    monkeypatch.setattr(resampling, "STREAM_ABOVE", 0)
    low, high = resampling.bootstrap_intervals({"x": column}, Resampling(400, 0.5, 9))["x"]
    want = _reference(column, 400, 9, 500)[0]
    assert (repr(low), repr(high)) == (repr(want[0]), repr(want[1])) and len(passes) == 1
    passes.clear()
    resampling.bootstrap_intervals({"x": [0.5, math.nan, 0.25]}, Resampling(400))
    assert len(passes) == 1


def _peak_bytes(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_streamed_memory_is_flat_in_the_resamples(monkeypatch):
    # 2 columns x 3 documents, 2,000 and 20,000 resamples (tracemalloc slows the run about tenfold).
    # Kept, the means take about 32 bytes each (a list slot and a float): the peak grows by some
    # 2 x 18,000 x 32 = 1.15 MB (1.4 MB measured, with the lists' spare room). Streamed, the peak
    # is the bins, three arrays of 2,048 numbers per column or end, whatever the count (105 KB
    # measured at both counts).
    columns = {"a": [0.2, 0.5, 0.9], "b": [0.1, 0.7, 0.3]}

    def peak(trials: int) -> int:
        return _peak_bytes(lambda: resampling.bootstrap_intervals(columns, Resampling(trials, seed=5)))

    monkeypatch.setattr(resampling, "STREAM_ABOVE", resampling.MAX_RESAMPLES)
    kept_small, kept_large = peak(2_000), peak(20_000)
    monkeypatch.setattr(resampling, "STREAM_ABOVE", 0)
    streamed_small, streamed_large = peak(2_000), peak(20_000)
    assert kept_large > 8 * kept_small and kept_large - kept_small > 1_000_000  # the measure sees growth
    assert streamed_large < streamed_small + 32_000 and streamed_large < 1.2 * streamed_small
    assert streamed_large < kept_large / 10


def test_bins_put_the_ends_apart():
    # The narrowing argument: lo in bin 0, hi in the last bin, for neighbours one ulp apart too.
    for lo, hi in [(0.0, 1.0), (0.3, math.nextafter(0.3, 1.0)), (-0.7, -0.2), (2.0**-40, 3.0)]:
        for count in (2, 3, 2048):
            bins = Bins(lo, hi, count)
            assert (bins.index(lo), bins.index(hi)) == (0, count - 1)
    assert {Bins(0.5, 0.5, 8).index(v) for v in (0.4, 0.5, 0.6)} == {0}  # no width: one bin


scores = st.one_of(
    st.floats(min_value=-2.0, max_value=2.0, allow_nan=False, allow_subnormal=False),
    st.sampled_from([0.0, 0.1, 0.25, 1 / 3, 0.5, 0.5000000000000001]),
).filter(lambda v: (v == 0.0 and math.copysign(1.0, v) > 0) or abs(v) >= 2.0**-500)


@settings(derandomize=True, deadline=None, database=None, max_examples=150)
@given(st.lists(scores, min_size=1, max_size=60), st.integers(2, 6), st.integers(1, 4), st.data())
def test_rank_selector_equals_sorting(values, bins, cap, data):
    ordered = sorted(values)
    ranks = data.draw(st.lists(st.integers(0, len(values) - 1), min_size=1, max_size=3))
    lo, hi = data.draw(st.sampled_from([(min(values), max(values)), (0.0, 1.0), (0.4, 0.41), (1.0, 0.0)]))
    bins_of = Bins(lo, hi, bins)
    assert [bins_of.index(v) for v in ordered] == sorted(bins_of.index(v) for v in ordered)  # monotone
    selector = RankSelector(ranks, lo, hi, bins=bins, cap=cap)
    while not selector.done:
        feed = selector.feed()
        for v in values:
            feed(v)
        selector.end_pass()
        assert selector.passes < 200
    assert selector.values() == tuple(ordered[r] for r in ranks)
