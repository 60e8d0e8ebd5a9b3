"""rouge-chinese 1.0.3 (`Rouge().get_scores(hyp, ref)`) re-implemented, and its per-pair convention.

Reproduced from the behaviour of rouge-chinese 1.0.3 as published on PyPI (repository
Isaac-JL-Chen/rouge_chinese; files `rouge_chinese/rouge.py` and `rouge_chinese/rouge_score.py`
of the 1.0.3 wheel), checked against the installed package in tests/test_conventions_reference.py:

* words: the text is cut into "sentences" (a newline is inserted after 。！？? not followed by a
  closing quote, after six ASCII dots, after two …, and after 。！？? plus a closing quote when no
  terminator follows), right-stripped and split at newlines; empty sentences are dropped; each
  sentence contributes its whitespace-separated words, or one empty-string word when it holds
  only whitespace (the tool rejoins it to "" and splits that at " "). Sentence boundaries then
  play no other part: n-grams and the LCS run over the whole word list.
* ROUGE-N: *sets* of n-grams (a repeated n-gram counts once on each side); P = overlap / own
  count (0.0 when a side has none), F = 2 * (P * R / (P + R + 1e-8)).
* ROUGE-L (`rouge-l`, the tool's "summary level" function): one LCS between the two whole word
  lists, R = LCS / reference words, P = LCS / prediction words, F with the same 1e-8 guard.
  This is not rouge-score's rougeL (no sentence union, no guard) nor ROUGE-1.5.5's.

The LCS length is computed bit-parallel (one Python integer per row, Hyyro 2004); the length is
unique, so it equals the tool's O(n*m) dictionary table exactly.

The `rouge-chinese` convention is that tool applied per pair to `" ".join(jieba.cut(text))`,
the way its README tells users to prepare Chinese, averaged left to right as its
`get_scores(avg=True)` does. An empty side makes the tool raise ValueError("Hypothesis is
empty."); the convention scores that pair 0, as LLaMA-Factory does, and `reasons` says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from itertools import pairwise
from typing import NamedTuple

from harness.rouge.conventions.base import Convention, Cut, Side, default_cut, sequential_mean

VERSION = "1.0.3"

# Without a newline or one of these characters no rule can fire, and the words are text.split().
_RULE_CHARS = frozenset("。！？?.…\n")

_GUARD = 1e-8  # rouge-chinese adds it to P + R in every F


@cache
def _sentence_rules() -> tuple[re.Pattern[str], ...]:
    """rouge-chinese's `cut_sent` rules, in its order (each inserts a newline between the groups);
    compiled on first use, as a run without --convention never needs them."""
    return tuple(
        re.compile(pattern)
        for pattern in (
            "([。！？?])([^”’])",
            r"(\.{6})([^”’])",
            "(…{2})([^”’])",
            "([。！？?][”’])([^，。！？?])",
        )
    )


def split_words(text: str) -> list[str]:
    """The word list rouge-chinese scores for `text` (empty when the tool would raise)."""
    if _RULE_CHARS.isdisjoint(text):
        return text.split()
    for rule in _sentence_rules():
        text = rule.sub("\\1\n\\2", text)
    words: list[str] = []
    for sentence in text.rstrip().split("\n"):
        if sentence:
            words.extend(sentence.split() or [""])
    return words


def fmeasure(overlap: int, prediction_count: int, target_count: int) -> float:
    """rouge-chinese's F: P and R are 0.0 for a side with no units; the 1e-8 guard always."""
    precision = overlap / prediction_count if prediction_count else 0.0
    recall = overlap / target_count if target_count else 0.0
    return 2.0 * ((precision * recall) / (precision + recall + _GUARD))


class Features(NamedTuple):
    """One side's words with what scoring needs, built once per text: n-gram sets and LCS masks."""

    words: Sequence[str]
    unigrams: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    masks: dict[str, int]  # filled on first use as LCS columns: bit i of masks[w] set when words[i] == w


def features(words: Sequence[str]) -> Features:
    """The Features of a word list (a reference scored against ten systems is prepared once)."""
    return Features(words, frozenset(words), frozenset(pairwise(words)), {})


def lcs_length(rows: Sequence[str], columns: Features) -> int:
    """Length of a longest common subsequence of `rows` and `columns.words` (bit-parallel, exact)."""
    width = len(columns.words)
    if not rows or not width:
        return 0
    masks = columns.masks
    if not masks:
        for i, word in enumerate(columns.words):
            masks[word] = masks.get(word, 0) | (1 << i)
    full = (1 << width) - 1
    v = full
    get = masks.get
    for word in rows:
        m = get(word)
        if m:
            u = v & m
            v = ((v + u) | (v - u)) & full
    return width - v.bit_count()


def prf(overlap: int, prediction_count: int, target_count: int) -> tuple[float, float, float]:
    """rouge-chinese's (p, r, f): P and R are 0.0 for a side with no units; the 1e-8 guard in F."""
    precision = overlap / prediction_count if prediction_count else 0.0
    recall = overlap / target_count if target_count else 0.0
    return precision, recall, 2.0 * ((precision * recall) / (precision + recall + _GUARD))


def feature_prf(target: Features, prediction: Features) -> dict[str, tuple[float, float, float]]:
    """rouge-chinese's rouge-1, rouge-2 and rouge-l (p, r, f), as `get_scores` reports them, for two
    non-empty word lists."""
    # The target's bits are the columns: its masks are built once however many systems it meets.
    llcs = lcs_length(prediction.words, target)
    return {
        "rouge1": prf(len(target.unigrams & prediction.unigrams), len(prediction.unigrams), len(target.unigrams)),
        "rouge2": prf(len(target.bigrams & prediction.bigrams), len(prediction.bigrams), len(target.bigrams)),
        "rougeL": prf(llcs, len(prediction.words), len(target.words)),
    }


def feature_scores(target: Features, prediction: Features) -> dict[str, float]:
    """rouge-chinese's rouge-1, rouge-2 and rouge-l F for two non-empty word lists."""
    return {m: found[2] for m, found in feature_prf(target, prediction).items()}


def pair_scores(target: Sequence[str], prediction: Sequence[str]) -> dict[str, float]:
    """rouge-chinese's rouge-1, rouge-2 and rouge-l F for two non-empty word lists."""
    return feature_scores(features(target), features(prediction))


ZERO: dict[str, float] = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}


def raw_prf(target: object, prediction: object) -> dict[str, tuple[float, float, float]]:
    """rouge-chinese's (p, r, f) per metric from two sides' Features; 0 for each when a side has no
    words (the tool raises; the conventions score 0). Shared by tools that see the same words."""
    assert isinstance(target, Features) and isinstance(prediction, Features)
    if not target.words or not prediction.words:
        return {m: (0.0, 0.0, 0.0) for m in ZERO}
    return feature_prf(target, prediction)


def jieba_words(text: str, cut: Cut | None) -> list[str]:
    """`split_words(" ".join(cut(text)))`: jieba's words as rouge-chinese sees them."""
    return split_words(" ".join((cut or default_cut)(text)))


def _punctuation(word: str) -> bool:
    """A non-empty word without a letter or digit."""
    return bool(word) and not any(c.isalnum() for c in word)


def word_reasons(words: Sequence[str], side: str) -> list[str]:
    """Where rouge-chinese's word handling departs from the harness's for one side."""
    return list(_word_reasons(tuple(words), side))


@lru_cache(maxsize=4096)  # a reference is explained once for every system scored against it
def _word_reasons(words: tuple[str, ...], side: str) -> tuple[str, ...]:
    out: list[str] = []
    distinct = set(words)
    if len(distinct) < len(words):
        out.append(f"repeated n-grams counted once ({side}: {len(distinct)} distinct of {len(words)} words)")
    empty = words.count("")
    if empty:
        out.append(f"{side}: {empty} empty word(s) from whitespace-only lines counted")
    punctuation = {w for w in distinct if _punctuation(w)}
    punct = sum(map(punctuation.__contains__, words)) if punctuation else 0
    if punct:
        out.append(f"{side}: {punct} punctuation token(s) counted as words")
    return tuple(out)


class RougeChinese(Convention):
    """rouge-chinese 1.0.3 on jieba words joined by spaces, one pair at a time, plain mean."""

    name = "rouge-chinese"
    version = f"rouge-chinese-{VERSION}"
    empty_note = "the tool raises ValueError; scored 0"

    def tokens(self, text: str, cut: Cut | None = None, *, side: Side = "prediction") -> list[str]:
        """rouge-chinese's words of `" ".join(jieba.cut(text))`."""
        return jieba_words(text, cut)

    def score_tokens(self, *, target: Sequence[str], prediction: Sequence[str]) -> dict[str, float]:
        """rouge-chinese's F per metric; 0 for each when a side has no words."""
        return self.score_prepared(self.prepare_tokens(target), self.prepare_tokens(prediction))

    def prepare_tokens(self, words: Sequence[str]) -> Features:
        """The Features of one side's words."""
        return features(words)

    def score_prepared(self, target: object, prediction: object) -> dict[str, float]:
        """`score_tokens` from `prepare_tokens` of both sides."""
        assert isinstance(target, Features) and isinstance(prediction, Features)
        if not target.words or not prediction.words:
            return dict(ZERO)
        return self.finish(feature_scores(target, prediction))

    def finish(self, scores: dict[str, float]) -> dict[str, float]:
        """The per-pair value as the tool stores it (unchanged here; LLaMA-Factory rounds)."""
        return {m: self.stored(f) for m, f in scores.items()}

    def stored(self, value: float) -> float:
        """One per-pair value as the tool keeps it before averaging (unchanged here)."""
        return value

    def score_prepared_prf(self, target: object, prediction: object) -> dict[str, tuple[float, float, float]]:
        """Per-pair (p, r, f) per metric from `prepare_tokens` of both sides, each stored as the tool
        stores F (the tools print only F; P and R are rouge-chinese's, for the harness's reports)."""
        return self.store_prf(raw_prf(target, prediction))

    def store_prf(self, raw: dict[str, tuple[float, float, float]]) -> dict[str, tuple[float, float, float]]:
        """`raw_prf` values as this tool keeps them per pair (LLaMA-Factory rounds; the others keep them)."""
        stored = self.stored
        return {m: (stored(p), stored(r), stored(f)) for m, (p, r, f) in raw.items()}

    def aggregate(self, values: Sequence[float]) -> float:
        """Mean summed left to right, as `get_scores(avg=True)`."""
        return sequential_mean(values)

    def reasons(
        self, *, target: str, prediction: str, cut: Cut | None = None, words: Mapping[Side, Sequence[str]] | None = None
    ) -> list[str]:
        """Empty sides, repeated n-grams, empty words and punctuation tokens, prediction first."""
        out: list[str] = []
        if words is None:
            words = {"prediction": self.tokens(prediction, cut), "target": self.tokens(target, cut, side="target")}
        sides: tuple[Side, Side] = ("prediction", "target")
        for side in sides:
            if not words[side]:
                out.append(f"empty {side}: {self.empty_note}")
        for side in sides:
            out.extend(word_reasons(words[side], side))
        return out
