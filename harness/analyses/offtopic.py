"""Noticing candidates that repeat known off-topic material (e.g. ads or news pasted into a source).

The share is the fraction of a candidate's word bigrams that occur in the
document's off-topic text and in none of its references. Bigrams, not single
words: function words (的, 了) and common nouns occur everywhere, while a run of
two words rarely crosses from unrelated news into a faithful summary. On the
shipped corpus faithful summaries measure 0-2.2% and the two that repeat the
injected crypto news 9% and 60%, hence the 5% warning threshold.
"""

from __future__ import annotations

from collections.abc import Iterable

from harness.text.analysed import Analysis

N = 2
WARN_SHARE = 0.05


def offtopic_ngrams(offtopic: Analysis, references: Iterable[Analysis]) -> frozenset[tuple[str, ...]]:
    """Bigrams of the off-topic text that no reference uses."""
    on_topic: set[tuple[str, ...]] = set()
    for ref in references:
        on_topic.update(ref.ngrams(N))
    return frozenset(set(offtopic.ngrams(N)) - on_topic)


def offtopic_share(candidate: Analysis, noise: frozenset[tuple[str, ...]]) -> float:
    """Share of the candidate's bigrams (with repeats) that are off-topic; 0 for fewer than two tokens."""
    grams = candidate.ngrams(N)
    total = sum(grams.values())
    if not total:
        return 0.0
    return sum(count for gram, count in grams.items() if gram in noise) / total
