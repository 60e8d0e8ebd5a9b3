"""harness.stats.selection against sorting: the bins are monotone and set a range's ends apart,
and RankSelector finds sorted(values)[r] over replayed passes, whatever bins, cap and guessed range."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from harness.stats.selection import Bins, RankSelector


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
