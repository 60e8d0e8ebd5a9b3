"""Seeded resampling statistics over per-document scores: bootstrap confidence intervals and
paired significance tests (paired bootstrap, approximate randomization).

Everything here is a pure function of lists of floats, a seed and a count. The random numbers
come from `SplitMix64`, written out below, never from Python's `random` or numpy's global
state, so every interval and p-value is the same, bit for bit, on every machine, Python version
and `--jobs` setting. Means are `math.fsum` sums divided by the count (correctly rounded, so the
order of the documents in a resample changes nothing).

Conventions, fixed and tested by hand in tests/test_stats.py:

* Percentile interval: of the N sorted resample means v[0] <= ... <= v[N-1], at confidence
  1 - a, with k = floor(a/2 * N): [v[k], v[N-1-k]] (k values are left out on each side;
  N = 1000 at 95% gives v[25] and v[974], SacreBLEU's n // 40 rule). No interpolation.
* p-values: p = (c + 1) / (n + 1) over n trials, as SacreBLEU's significance.py computes them;
  the count c differs from SacreBLEU's in two ways, both so that a difference that is not
  there is never called significant (see `permutation_p_value` and `bootstrap_p_value`).

Memory stays flat in the number of resamples: up to `STREAM_ABOVE` resamples the means are kept
and sorted (the fastest way); past it they are streamed (`_streamed`), each percentile end found
exactly by harness.stats.selection over two or more passes that draw the same resamples again,
and the bootstrap p-value counted on the way. The numbers are the same, bit for bit, either way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from harness.errors import InputError
from harness.stats.selection import RankSelector

if TYPE_CHECKING:
    from fractions import Fraction

K = TypeVar("K")

MASK64 = (1 << 64) - 1
DEFAULT_SEED = 12345
DEFAULT_CONFIDENCE = 0.95
DEFAULT_TRIALS = 10_000
MIN_RESAMPLES = 100
MAX_RESAMPLES = 1_000_000
"""Most resamples or trials a run may ask for. Time grows with the count, not memory (resample
means are streamed past STREAM_ABOVE): each resample draws one index per document in pure Python,
and past STREAM_ABOVE every resample is drawn at least twice, so --trials 1000000000 would take
days. A million is a hundred times the default and gives p-values down to 1e-6."""
STREAM_ABOVE = 65_536
"""Up to this many resamples, every column's resample means are kept and sorted, a float each
(about 2 MiB a column at the threshold): the fastest way. Past it they are streamed, so memory no
longer grows with the count, and the resamples are drawn again from the seed for a second pass
(more, rarely): about twice the time of keeping them."""
# The first streaming pass counts each column's means into this many bins; a later pass collects
# at most STREAM_CAP distinct means per interval end (and narrows the bin instead when there are
# more). Near a 2.5% tail a bin of the guessed range (`_likely_range`) holds about 0.06% of the
# means, some 600 of a million: well within the cap, so two passes are the rule.
STREAM_BINS = 2048
STREAM_CAP = 4096
# Only columns of finite scores within these magnitudes (or +0.0) are streamed, so that equal
# means are identical floats and bins over them can be told apart: no NaN, whose place in a sort
# no count can reproduce, and no mean of -0.0, which equals 0.0 and which a stable sort keeps in
# draw order among the zeros while a count by value merges the two (a mean is -0.0 only from a
# -0.0 score or a negative sum too tiny to survive the division). Scores in [0, 1] qualify.
_SMALLEST = 2.0**-500
_LARGEST = 2.0**500
# The mean of a resample or a permutation is a correctly rounded fsum, so exactly tied cases
# (the observed sign pattern itself, its mirror image) compare equal; cases equal in exact
# arithmetic but built from differently rounded inputs can land a few ulps apart on a 0-1
# scale, so a trial counts as "at least as extreme" within this margin.
_TIE = 1e-12


class SplitMix64:
    """SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
    OOPSLA 2014; the constants of Vigna's public-domain splitmix64.c): a 64-bit state advanced
    by a fixed odd constant, each output a bijective mix of the state. Small, fast in pure
    Python, and defined by integer arithmetic alone, so its outputs are the same everywhere."""

    def __init__(self, seed: int) -> None:
        self.state = seed & MASK64

    def next64(self) -> int:
        """The next 64-bit output."""
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        """A uniform integer in [0, n), without modulo bias: Lemire's multiply-shift with
        rejection ("Fast random integer generation in an interval", 2019)."""
        product = self.next64() * n
        if product & MASK64 < n:
            threshold = ((1 << 64) - n) % n
            while product & MASK64 < threshold:
                product = self.next64() * n
        return product >> 64

    def indices(self, n: int, count: int) -> list[int]:
        """`count` uniform integers in [0, n): one bootstrap resample of n documents."""
        below = self.below
        return [below(n) for _ in range(count)]

    def bits(self, count: int) -> list[bool]:
        """`count` fair coin flips: the bits of successive outputs, lowest first."""
        out: list[bool] = []
        while len(out) < count:
            word = self.next64()
            out.extend(bool((word >> i) & 1) for i in range(min(64, count - len(out))))
        return out


@dataclass(frozen=True)
class Resampling:
    """How many resamples or trials, at what confidence, from what seed; checked when made."""

    trials: int = DEFAULT_TRIALS
    confidence: float = DEFAULT_CONFIDENCE
    seed: int = DEFAULT_SEED
    option: str = "--trials"  # how the user named the count, for messages

    def __post_init__(self) -> None:
        if self.trials < MIN_RESAMPLES:
            raise InputError(f"{self.option} {self.trials}: at least {MIN_RESAMPLES} resamples are needed for an interval")
        if self.trials > MAX_RESAMPLES:
            raise InputError(f"{self.option} {self.trials}: at most {MAX_RESAMPLES:,} resamples (time grows with each)")
        if not (math.isfinite(self.confidence) and 0.0 < self.confidence < 1.0):
            raise InputError(f"--confidence {self.confidence}: must be between 0 and 1, e.g. 0.95")
        if not 0 <= self.seed <= MASK64:
            raise InputError(f"--seed {self.seed}: must be an integer from 0 to 2**64-1")

    @property
    def percent(self) -> str:
        """The confidence as a percentage, for the signature: 0.95 -> '95', 0.975 -> '97.5'."""
        return format(float(_exact(self.confidence) * 100), "g")


def _exact(confidence: float) -> Fraction:
    """The confidence as the decimal the user wrote (0.95 is 19/20, not the nearest double),
    so that tail counts such as 1000 * 0.025 come out as whole numbers."""
    from fractions import Fraction  # here: every scoring command imports this module for its options

    return Fraction(repr(confidence))


def mean(values: Sequence[float]) -> float:
    """Exact (correctly rounded) sum divided by the count."""
    return math.fsum(values) / len(values)


def tail_count(n: int, confidence: float) -> int:
    """k = floor(a/2 * n), a = 1 - confidence: how many sorted values each side are left out."""
    return math.floor((1 - _exact(confidence)) / 2 * n)


def percentile_interval(values: Sequence[float], confidence: float) -> tuple[float, float]:
    """[v[k], v[n-1-k]] of the sorted values, k = `tail_count` (see the module docstring)."""
    ordered = sorted(values)
    k = tail_count(len(ordered), confidence)
    return ordered[k], ordered[len(ordered) - 1 - k]


def resample_means(columns: Mapping[K, Sequence[float]], n_docs: int, resampling: Resampling) -> dict[K, list[float]]:
    """For each of `resampling.trials` resamples of the documents (n_docs draws with
    replacement, the same draws for every column), the mean of every column over it."""
    rng = SplitMix64(resampling.seed)
    out: dict[K, list[float]] = {key: [] for key in columns}
    for _ in range(resampling.trials):
        picked = rng.indices(n_docs, n_docs)
        for key, values in columns.items():
            out[key].append(math.fsum(map(values.__getitem__, picked)) / n_docs)
    return out


def bootstrap_intervals(columns: Mapping[K, Sequence[float]], resampling: Resampling) -> dict[K, tuple[float, float]]:
    """Percentile bootstrap interval of the mean of each column (per-document scores, all
    columns over the same documents in the same order), resampling documents with replacement.
    Every column sees the same resamples, so adding a system changes no other interval.
    Needs at least 2 documents (InputError otherwise: one document has no spread to show)."""
    n_docs = _common_length(columns)
    if n_docs < 2:
        raise InputError(f"a bootstrap interval needs at least 2 documents, got {n_docs}")
    if _streams(columns, resampling):
        return {key: ends for key, (ends, _) in _streamed(columns, n_docs, resampling, None).items()}
    means = resample_means(columns, n_docs, resampling)
    return {key: percentile_interval(values, resampling.confidence) for key, values in means.items()}


def _streams(columns: Mapping[K, Sequence[float]], resampling: Resampling) -> bool:
    """Whether to stream the resample means: past STREAM_ABOVE, for columns that allow it."""
    return resampling.trials > STREAM_ABOVE and all(
        _SMALLEST <= abs(v) <= _LARGEST or (v == 0.0 and math.copysign(1.0, v) > 0.0) for values in columns.values() for v in values
    )


def _likely_range(values: Sequence[float]) -> tuple[float, float]:
    """Where the resample means of `values` mostly lie: within 10 standard errors of their mean
    (Cantelli: at most 1% of them beyond on either side), and within the values' own range. Only
    the first streaming pass's guess: means outside it fall in the end bins, at worst one pass more."""
    centre = mean(values)
    n = len(values)
    error = math.sqrt(math.fsum((v - centre) ** 2 for v in values) / n / n)
    return max(min(values), centre - 10 * error), min(max(values), centre + 10 * error)


def _streamed(
    columns: Mapping[K, Sequence[float]], n_docs: int, resampling: Resampling, observed: Mapping[K, float] | None
) -> dict[K, tuple[tuple[float, float], int]]:
    """Each column's percentile interval of its resample means and, for the columns' `observed`
    means, the paired-bootstrap count c (see `bootstrap_p_value`; 0 without them), without
    keeping the means: every pass draws the same resamples from a fresh SplitMix64(seed) and
    feeds each mean to the column's RankSelector (harness.stats.selection), until all are found.
    The same numbers as `percentile_interval` and `bootstrap_p_value` over `resample_means`."""
    trials = resampling.trials
    k = tail_count(trials, resampling.confidence)
    keys = list(columns)
    selectors = [RankSelector((k, trials - 1 - k), *_likely_range(columns[key]), bins=STREAM_BINS, cap=STREAM_CAP)
                 for key in keys]
    counts = [0] * len(keys)
    counting = observed is not None
    centres = [observed[key] if observed is not None else 0.0 for key in keys]
    while active := [i for i, selector in enumerate(selectors) if not selector.done]:
        feeds = [(i, columns[keys[i]].__getitem__, selectors[i].feed()) for i in active]
        rng = SplitMix64(resampling.seed)  # the same draws as the pass before
        for _ in range(trials):
            picked = rng.indices(n_docs, n_docs)
            for i, value_of, feed in feeds:
                resampled = math.fsum(map(value_of, picked)) / n_docs
                feed(resampled)
                if counting and _at_least(abs(resampled - centres[i]), abs(centres[i])):
                    counts[i] += 1
        counting = False  # counted in the first pass, over every resample
        for i in active:
            selectors[i].end_pass()
    out: dict[K, tuple[tuple[float, float], int]] = {}
    for key, selector, count in zip(keys, selectors, counts, strict=True):
        low, high = selector.values()
        out[key] = ((low, high), count)
    return out


def _common_length(columns: Mapping[K, Sequence[float]]) -> int:
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise InputError(f"columns of different lengths {sorted(lengths)}: scores must cover the same documents")
    return lengths.pop() if lengths else 0


def _at_least(value: float, observed: float) -> bool:
    return value >= observed - _TIE


@dataclass(frozen=True)
class PairedResult:
    """One paired comparison: delta = mean(system) - mean(baseline) over the documents, its
    bootstrap interval, and the two-sided p-values of both tests."""

    delta: float
    ci: tuple[float, float]
    p_bootstrap: float
    p_permutation: float


def differences(system: Sequence[float], baseline: Sequence[float]) -> list[float]:
    """Per-document differences system - baseline (documents in the same order)."""
    if len(system) != len(baseline):
        raise InputError(f"paired scores of different lengths ({len(system)} and {len(baseline)})")
    return [s - b for s, b in zip(system, baseline, strict=True)]


def permutation_p_values(columns: Mapping[K, Sequence[float]], trials: int, seed: int) -> dict[K, float]:
    """Approximate randomization (paired permutation) test of each column of per-document
    differences: each trial swaps each document's pair with probability 1/2, which flips the
    sign of its difference; the statistic is |mean|. The same coin flips serve every column.

    c counts the trials whose |mean| is at least the observed |mean| (within a few ulps).
    SacreBLEU counts strictly greater ones; with few documents the observed sign pattern and its
    mirror image recur often and tie exactly, and a strict count would then call a difference
    significant that a third of all sign patterns equal (and call two identical systems, whose
    every trial ties at 0, different with p = 1/(n+1)). As trials grow, p tends to the exact
    permutation p-value: the share of the 2^n sign patterns at least as extreme."""
    n_docs = _common_length(columns)
    observed = {key: abs(mean(values)) for key, values in columns.items()} if n_docs else {}
    negated = {key: [-v for v in values] for key, values in columns.items()}
    counts = dict.fromkeys(columns, 0)
    rng = SplitMix64(seed)
    for _ in range(trials):
        flips = rng.bits(n_docs)
        for key, values in columns.items():
            neg = negated[key]
            total = math.fsum([neg[i] if flip else values[i] for i, flip in enumerate(flips)])
            if _at_least(abs(total / n_docs), observed[key]):
                counts[key] += 1
    return {key: (c + 1) / (trials + 1) for key, c in counts.items()}


def exact_permutation_p_value(values: Sequence[float]) -> float:
    """The exact two-sided permutation p-value, enumerating all 2^n sign patterns (small n
    only): the share whose |mean| is at least the observed one. What `permutation_p_values`
    estimates; for tests and for the smallest attainable p-value."""
    n = len(values)
    observed = abs(mean(values))
    hits = 0
    for pattern in range(1 << n):
        total = math.fsum(-v if (pattern >> i) & 1 else v for i, v in enumerate(values))
        hits += _at_least(abs(total / n), observed)
    return hits / (1 << n)


def smallest_permutation_p(n_docs: int) -> float:
    """The smallest exact two-sided permutation p-value n documents allow: 2 of 2^n sign
    patterns (the observed one and its mirror) are always at least as extreme."""
    return 1.0 if n_docs < 1 else min(1.0, 2.0 / (1 << n_docs))


def paired_bootstrap(columns: Mapping[K, Sequence[float]], resampling: Resampling) -> dict[K, tuple[tuple[float, float], float]]:
    """Paired bootstrap of each column of per-document differences: documents resampled with
    replacement (the same draws for every column), giving the interval of the mean difference
    and a two-sided p-value (see `bootstrap_p_value`)."""
    n_docs = _common_length(columns)
    if _streams(columns, resampling):
        found = _streamed(columns, n_docs, resampling, {key: mean(values) for key, values in columns.items()})
        return {key: (ends, (count + 1) / (resampling.trials + 1)) for key, (ends, count) in found.items()}
    means = resample_means(columns, n_docs, resampling)
    out: dict[K, tuple[tuple[float, float], float]] = {}
    for key, values in columns.items():
        resampled = means[key]
        out[key] = (percentile_interval(resampled, resampling.confidence), bootstrap_p_value(resampled, mean(values)))
    return out


def bootstrap_p_value(resampled: Sequence[float], observed: float) -> float:
    """Two-sided paired-bootstrap p-value of an observed mean difference, from the resample means.

    The resample means spread around the observed difference; shifted by it, they show how
    far chance alone moves a mean difference when there is none (Efron and Tibshirani, An
    Introduction to the Bootstrap, 1993, section 16.4). c counts the resamples with
    |resampled - observed| >= |observed|, and p = (c + 1) / (n + 1). SacreBLEU instead shifts
    the |differences| by their own mean and counts strictly greater ones, which gives two
    identical systems (every resample 0) p = 1/(n+1), "significant"; here they get p = 1."""
    target = abs(observed)
    count = sum(1 for value in resampled if _at_least(abs(value - observed), target))
    return (count + 1) / (len(resampled) + 1)


def compare_columns(
    systems: Mapping[K, tuple[Sequence[float], Sequence[float]]], resampling: Resampling
) -> dict[K, PairedResult]:
    """Both paired tests for each (system scores, baseline scores) pair of per-document lists:
    the bootstrap with `resampling.trials` resamples, approximate randomization with as many
    trials, both from `resampling.seed`. Needs at least 2 documents."""
    diffs = {key: differences(system, baseline) for key, (system, baseline) in systems.items()}
    n_docs = _common_length(diffs)
    if n_docs < 2:
        raise InputError(f"a paired test needs at least 2 documents, got {n_docs}")
    boot = paired_bootstrap(diffs, resampling)
    perm = permutation_p_values(diffs, resampling.trials, resampling.seed)
    return {key: PairedResult(mean(d), boot[key][0], boot[key][1], perm[key]) for key, d in diffs.items()}

