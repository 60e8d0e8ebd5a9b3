"""LLaMA-Factory's `ComputeSimilarity` ROUGE re-implemented: rouge-chinese per pair, F x 100
rounded to 4 decimals, then numpy's mean.

Reproduced from the behaviour of hiyouga/LLaMA-Factory `src/llamafactory/train/sft/metric.py`
(commit 158f4cb57744439811013639661ebd103e07d742), class `ComputeSimilarity.__call__` and `_dump`:

* each prediction and label is cut with `jieba.cut` and joined with single spaces;
* when either joined text has no non-whitespace character the pair scores 0.0 on every metric
  (the check the tool makes before it would call rouge-chinese, which raises on an empty side);
* otherwise rouge-chinese 1.0.3's `get_scores(hyp, ref)[0][m]["f"]` (see rouge_chinese.py);
* each pair's value is stored as `round(f * 100, 4)`, and the corpus number is
  `float(np.mean(values))`: numpy's pairwise sum (8-way unrolled blocks of at most 128, halves
  above that), reproduced here so the mean matches to the last bit.

The harness keeps F on its 0-1 scale: a pair's value is the tool's rounded F x 100 divided by
100; `aggregate` multiplies back and re-rounds (which recovers the tool's stored value exactly,
as `round` returns the double nearest the 4-decimal number), averages as numpy does and divides
by 100. BLEU-4, which the same class also computes, is not part of this convention.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.rouge.conventions.rouge_chinese import RougeChinese

COMMIT = "158f4cb"


def numpy_sum(values: Sequence[float]) -> float:
    """`np.add.reduce` of a float64 vector: numpy's pairwise summation, the same additions."""
    return _pairwise(values, 0, len(values))


def _pairwise(a: Sequence[float], lo: int, n: int) -> float:
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    if n <= 128:
        r = list(a[lo : lo + 8])
        stop = n - n % 8
        for i in range(lo + 8, lo + stop, 8):
            for j in range(8):
                r[j] += a[i + j]
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        for i in range(lo + stop, lo + n):
            res += a[i]
        return res
    half = n // 2
    half -= half % 8
    return _pairwise(a, lo, half) + _pairwise(a, lo + half, n - half)


class LlamaFactory(RougeChinese):
    """LLaMA-Factory's ComputeSimilarity rouge-1/2/l: rounded per-pair F x 100, numpy mean."""

    name = "llamafactory"
    version = f"llamafactory-{COMMIT}"
    empty_note = "scored 0 on every metric"

    def stored(self, value: float) -> float:
        """rouge-chinese's F rounded as the tool stores it (F x 100 to 4 decimals), over 100."""
        return round(value * 100, 4) / 100

    def aggregate(self, values: Sequence[float]) -> float:
        """`float(np.mean(stored values))` over 100; the stored values recovered exactly."""
        if not values:
            return 0.0
        stored = [round(v * 100, 4) for v in values]
        return numpy_sum(stored) / len(stored) / 100

    def native(self, value: float) -> float:
        """A value as LLaMA-Factory stores a pair (F x 100, 4 decimals)."""
        return round(value * 100, 4)
