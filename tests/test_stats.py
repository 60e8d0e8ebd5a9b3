"""harness.stats.resampling by hand: the generator against published vectors and a second implementation,
the percentile rule on tiny lists, bootstraps and permutation tests small enough to enumerate."""

import itertools
import math

import pytest

from harness.errors import InputError
from harness.stats import resampling as stats
from harness.stats.resampling import Resampling, SplitMix64

M64 = 2**64


def second_splitmix(seed: int):
    """SplitMix64 written again from the algorithm's definition with % 2**64 and explicit
    shifts (no shared code with harness.stats.resampling): yields the output stream."""
    state = seed % M64
    while True:
        state = (state + 11400714819323198485) % M64  # 0x9E3779B97F4A7C15
        z = state
        z = ((z ^ (z // 2**30)) * 13787848793156543929) % M64  # 0xBF58476D1CE4E5B9
        z = ((z ^ (z // 2**27)) * 10723151780598845931) % M64  # 0x94D049BB133111EB
        yield z ^ (z // 2**31)


def test_splitmix64_published_vectors():
    # Rosetta Code, "Pseudo-random numbers/Splitmix64": seed 1234567 gives these five outputs.
    rng = SplitMix64(1234567)
    assert [rng.next64() for _ in range(5)] == [
        6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821,
    ]


@pytest.mark.parametrize("seed", [0, 1, 12345, M64 - 1])
def test_splitmix64_matches_second_implementation(seed):
    rng, other = SplitMix64(seed), second_splitmix(seed)
    assert [rng.next64() for _ in range(50)] == [next(other) for _ in range(50)]


def test_below_is_the_high_word_of_output_times_n():
    # Lemire's method: floor(x * n / 2**64), redrawn only when the low word falls under
    # (2**64 - n) mod n (for n = 7 that is 2 of 2**64 values: never, in 1,000 draws).
    rng, other = SplitMix64(99), second_splitmix(99)
    assert [rng.below(7) for _ in range(1000)] == [next(other) * 7 // M64 for _ in range(1000)]


def test_bits_are_the_low_bits_first():
    rng, other = SplitMix64(5), second_splitmix(5)
    first, second = next(other), next(other)
    expected = [bool(first >> i & 1) for i in range(64)] + [bool(second >> i & 1) for i in range(6)]
    assert rng.bits(70) == expected


def test_percentile_rule_on_tiny_lists():
    values = [0.9, 0.0, 0.5, 0.1, 0.8, 0.3, 0.2, 0.7, 0.6, 0.4]  # sorted: 0.0 .. 0.9
    # 80%: a = 0.2, k = floor(0.1 * 10) = 1 -> sorted[1], sorted[8].
    assert stats.percentile_interval(values, 0.8) == (0.1, 0.8)
    # 95%: k = floor(0.025 * 10) = 0 -> the extremes.
    assert stats.percentile_interval(values, 0.95) == (0.0, 0.9)
    # 50%: k = floor(0.25 * 10) = 2 -> sorted[2], sorted[7].
    assert stats.percentile_interval(values, 0.5) == (0.2, 0.7)
    # The decimal the user wrote counts, not the nearest double: 1000 x 0.025 is exactly 25.
    assert stats.tail_count(1000, 0.95) == 25
    assert stats.tail_count(100, 0.9) == 5
    assert stats.tail_count(1000, 0.99) == 5


def test_resampling_refuses_bad_values():
    with pytest.raises(InputError, match=r"--bootstrap 99: at least 100"):
        Resampling(99, option="--bootstrap")
    with pytest.raises(InputError, match=r"--confidence 1\.0"):
        Resampling(100, 1.0)
    assert Resampling(1000, 0.95).percent == "95"
    assert Resampling(1000, 0.975).percent == "97.5"


def _independent_resamples(seed: int, n_docs: int, trials: int):
    """Index lists drawn with the second generator (no rejection happens for n < 4)."""
    other = second_splitmix(seed)
    return [[next(other) * n_docs // M64 for _ in range(n_docs)] for _ in range(trials)]


def test_bootstrap_two_documents_enumerated():
    # Scores 0 and 1: the four resamples (0,0) (0,1) (1,0) (1,1) have means 0, 0.5, 0.5, 1
    # with chances 1/4, 1/2, 1/4. Which ones 200 seeded draws give is recounted with the second
    # generator; the interval follows from those counts by the percentile rule.
    scores = [0.0, 1.0]
    means = stats.resample_means({"x": scores}, 2, Resampling(200, seed=7))["x"]
    drawn = _independent_resamples(7, 2, 200)
    assert means == [sum(scores[i] for i in idx) / 2 for idx in drawn]
    zeros, ones = means.count(0.0), means.count(1.0)
    assert set(means) <= {0.0, 0.5, 1.0} and zeros > 5 and ones > 5  # 5 = k at 95% of 200
    assert stats.bootstrap_intervals({"x": scores}, Resampling(200, 0.95, 7)) == {"x": (0.0, 1.0)}
    # At 20%, k = 80 of 200: both ends fall among the halves when fewer than 80 means are 0 or 1.
    assert zeros < 80 and ones < 80
    assert stats.bootstrap_intervals({"x": scores}, Resampling(200, 0.2, 7)) == {"x": (0.5, 0.5)}


def test_bootstrap_three_documents_enumerated():
    # 27 ordered resamples of 3 documents; every seeded resample mean is one of theirs, and the
    # drawn ones are the second generator's.
    scores = [0.3, 0.6, 0.9]
    possible = {math.fsum(scores[i] for i in idx) / 3 for idx in itertools.product(range(3), repeat=3)}
    means = stats.resample_means({"x": scores}, 3, Resampling(200, seed=1))["x"]
    assert set(means) <= possible
    assert means == [math.fsum(scores[i] for i in idx) / 3 for idx in _independent_resamples(1, 3, 200)]
    low, high = stats.bootstrap_intervals({"x": scores}, Resampling(200, 0.95, 1))["x"]
    ordered = sorted(means)
    assert (low, high) == (ordered[5], ordered[194])
    assert 0.3 <= low < stats.mean(scores) < high <= 0.9


def test_bootstrap_needs_two_documents():
    with pytest.raises(InputError, match="at least 2 documents, got 1"):
        stats.bootstrap_intervals({"x": [0.5]}, Resampling(100))


def test_exact_permutation_p_values_by_hand():
    # Differences 0.1, 0.2, 0.4 (mean 0.7/3): of the 8 sign patterns only +++ and --- reach |0.7|.
    assert stats.exact_permutation_p_value([0.1, 0.2, 0.4]) == 2 / 8
    # 0.4, -0.1, 0.1: sums .4 .2 .6 .4 -.4 -.6 -.2 -.4 for +++ ++- +-+ +-- -++ -+- --+ ---;
    # six reach |0.4| (ties within ulps count).
    assert stats.exact_permutation_p_value([0.4, -0.1, 0.1]) == 6 / 8
    assert stats.smallest_permutation_p(3) == 0.25
    assert stats.smallest_permutation_p(6) == 2 / 64


def test_seeded_permutation_p_value_recounted():
    # With differences 0.1, 0.2, 0.4 a trial is "as extreme" exactly when its three flips agree
    # (+++ or ---). The second generator gives each trial's flips (the low 3 bits of one output),
    # so c is counted here without harness code, and p = (c + 1) / (200 + 1).
    other = second_splitmix(12345)
    c = sum(1 for _ in range(200) if (next(other) & 0b111) in (0b000, 0b111))
    p = stats.permutation_p_values({"x": [0.1, 0.2, 0.4]}, 200, 12345)["x"]
    assert p == (c + 1) / 201
    assert 0.15 < p < 0.35  # near the exact 0.25


def test_identical_systems_are_never_significant():
    same = [0.2, 0.5, 0.7, 0.1]
    result = stats.compare_columns({"x": (same, same)}, Resampling(200))["x"]
    assert result.delta == 0.0 and result.ci == (0.0, 0.0)
    assert result.p_bootstrap == 1.0 and result.p_permutation == 1.0


def test_bootstrap_p_value_by_hand():
    # Observed 0.1; shifted resample means |r - 0.1|: 0.1, 0.0, 0.15, 0.05 -> two are >= 0.1.
    assert stats.bootstrap_p_value([0.2, 0.1, -0.05, 0.15], 0.1) == (2 + 1) / (4 + 1)


def test_clear_difference_is_significant():
    # 30 documents, the system better on every one by 0.1 to 0.3: every sign pattern but the
    # observed one and its mirror has a smaller |mean|, and no resample mean is anywhere near 0.
    base = [0.3 + 0.01 * i for i in range(30)]
    system = [b + 0.1 + 0.2 * ((i * 7) % 10) / 10 for i, b in enumerate(base)]
    result = stats.compare_columns({"x": (system, base)}, Resampling(200))["x"]
    assert result.p_permutation == result.p_bootstrap == 1 / 201
    assert 0.1 < result.ci[0] < result.delta < result.ci[1] < 0.3
