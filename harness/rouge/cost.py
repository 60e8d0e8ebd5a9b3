"""What scoring one pair will cost, known before it is spent: refuse what would not fit, warn
when it will be slow (issue 17, class 9).

Memory: n-gram and skip-bigram counts grow with the text (skip-bigrams of long texts are
counted in compact arrays, `harness.rouge.scoring`), and so do the LCS rows (checkpointed past
64 MiB, `harness.rouge.lcs`); what does not is the LCS bit masks, one per distinct token, each
as long as that token's last position: a long text of mostly distinct tokens (words that occur
once) would need masks of len(text)² / 16 bytes. Their size is counted from the tokens, before
any is made, and a pair past MASK_BUDGET is refused. Time: the bit-parallel LCS costs about
len(a) * len(b) / 64 machine words, measured at about SECONDS_PER_WORD each
(benchmarks/long_texts.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from harness.errors import InputError
from harness.rouge import metrics as registry
from harness.rouge.lcs import ROWS_KEPT
from harness.rouge.scoring import LONG
from harness.text.analysed import AnalysedText, masks_bytes

# Characters of one reference or candidate beyond which it is refused before it is tokenized.
# Two texts of 700,000 characters took 472 MB once analysed (jieba's dictionary and both texts'
# word tokens, benchmarks/long_texts.py), leaving too little of 1 GB for the LCS; at 500,000 the
# analysis takes about 380 MB and MASK_BUDGET the rest.
MAX_SCORED_CHARS = 500_000
# Bytes the LCS masks and rows of one pair may take.
MASK_BUDGET = 384 * 2**20
SLOW_SECONDS = 10.0
SECONDS_PER_WORD = 7e-9  # one 64-bit word of a bit-parallel LCS row step, measured (see above)
_CHECK_FROM = LONG  # tokens: below, masks of n distinct tokens take at most n²/16 = 25 MB


def too_long(shown: str) -> InputError:
    """The refusal of texts longer than `MAX_SCORED_CHARS`, `shown` naming them."""
    return InputError(f"too long to score (at most {MAX_SCORED_CHARS:,} characters a text): {shown}")


def lcs_seconds(n: int, m: int, metrics: Sequence[str]) -> float:
    """About how long the LCS types in `metrics` take on texts of n and m tokens (Lsum: its
    forward pass, the walk, and a second pass past the checkpoint threshold)."""
    return lcs_estimate(metrics)(n, m)


def lcs_estimate(metrics: Sequence[str]) -> Callable[[int, int], float]:
    """`lcs_seconds` of `metrics` as a function of n and m, the metrics looked up once (a corpus
    check asks for every pair: 10,000 lookups took 15 ms of a warm run's 22 ms check)."""
    kinds = [registry.get(name).kind for name in metrics]
    lcs, lcsum = kinds.count("lcs"), kinds.count("lcsum")

    def seconds(n: int, m: int) -> float:
        words = n * (m / 64 + 4)  # a row step is a few operations on integers of m bits
        # Lsum: the forward pass, the walk (a popcount a step), and past the checkpoints a second pass.
        passes = lcs + lcsum * (3.5 if n * m > ROWS_KEPT else 2.5)
        return passes * words * SECONDS_PER_WORD

    return seconds


def _rows_bytes(n: int, m: int) -> int:
    if n * m <= ROWS_KEPT:
        return n * m // 8
    step = math.isqrt(n)
    return (n // step + step + 2) * (m // 8 + 32)


def lcs_bytes(target: AnalysedText, prediction: AnalysedText, metrics: Sequence[str]) -> int:
    """About how many bytes the LCS structures of this pair take (masks and rows), without making them."""
    kinds = {registry.get(name).kind for name in metrics}
    total = 0
    # Long texts' masks are made only for the tokens the other text has (scoring._masks).
    t_keep, p_keep = prediction.counts().keys(), target.counts().keys()
    if "lcs" in kinds:  # masks of the longer text (scoring._lcs_counts)
        longer, keep = (prediction, p_keep) if len(prediction.tokens) >= len(target.tokens) else (target, t_keep)
        total += masks_bytes(longer.tokens, keep if len(longer.tokens) >= LONG else None)
    if "lcsum" in kinds:  # masks of every sentence (a long reference's: none), rows of the longest two
        if len(target.tokens) < LONG:
            total += sum(masks_bytes(s) for s in target.sentences)
        total += sum(masks_bytes(s, p_keep if len(prediction.tokens) >= LONG else None) for s in prediction.sentences)
        r = max((len(s) for s in target.sentences), default=0)
        c = max((len(s) for s in prediction.sentences), default=0)
        total += _rows_bytes(r, c)
    return total


def check_pair(
    target: AnalysedText, prediction: AnalysedText, metrics: Sequence[str], what: str | Callable[[], str]
) -> None:
    """InputError naming `what` (or what `what()` says: only a refused pair needs its name written)
    when the pair's LCS structures would take more than MASK_BUDGET."""
    if max(target.token_count(), prediction.token_count()) < _CHECK_FROM:  # (a stored analysis: not split)
        return
    needed = lcs_bytes(target, prediction, metrics)
    if needed > MASK_BUDGET:
        raise InputError(
            f"{what if isinstance(what, str) else what()}: too large to score: ROUGE-L of {len(prediction.tokens):,} tokens against "
            f"{len(target.tokens):,} would need about {needed / 2**20:,.0f} MiB "
            f"(at most {MASK_BUDGET // 2**20} MiB; texts of many distinct tokens in long sentences cost the most)"
        )
