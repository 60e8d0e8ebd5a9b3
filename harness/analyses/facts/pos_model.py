"""jieba's part-of-speech model, read as tables (facts rules, names.py): how much more likely it finds a
word a name than any other part of speech, scored on the word alone."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from operator import add
from typing import Any

NAME_TAGS = frozenset({"nr", "ns", "nt", "nz", "nrt", "nrfg"})
_MISSING = -1e9  # a state, transition or character the model lacks
# Rows kept per kind (six kinds) and process, one per character met, each 64 new floats (about 2 KB):
# at most about 50 MB however many characters a corpus holds; a kind is emptied when full. The same
# bound holds the rows at the few tags of `name_margin_at_least` (8 floats each, about 0.1 KB).
_ROWS_KEPT = 1 << 12
# Of the other tags, those that score best most often on words jieba's dictionary lacks: on the 23,583
# distinct such words of 3,000 summaries that share no sentence (benchmarks/workload.py), n for 51%
# and v for 29% of them; with these two, 85% of the words are found no name without the other 56 tags.
_FEW_OTHERS = ("n", "v")


@lru_cache(maxsize=3)
def pos_table(name: str) -> dict[Any, Any]:
    """One table of jieba's part-of-speech HMM (jieba/posseg/NAME.py), read without importing
    jieba.posseg, whose import builds a second tag table from the whole dictionary (1.4 s)."""
    import importlib.util
    import os

    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "posseg", f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"harness_posseg_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.P)


class _Model:
    """The tables as rows over every tag at once: a word is scored for all 64 tags in one pass over
    its characters (`map(add, ...)` of rows), where scoring tag by tag made 64 lists of states and
    64 walks over the word (a word jieba's dictionary lacks took 0.15-0.19 ms; a 10 x 1,000 run of
    model-written summaries meets thousands)."""

    def __init__(self) -> None:
        prob_start, prob_trans, prob_emit = pos_table("prob_start"), pos_table("prob_trans"), pos_table("prob_emit")
        # The name tags first: a word's best name and best other tag are then the maxima of two slices.
        tags = sorted({tag for _, tag in prob_start}, key=lambda tag: (tag not in NAME_TAGS, tag))
        self.split = sum(tag in NAME_TAGS for tag in tags)
        self.start = {s: [prob_start.get((s, tag), _MISSING) for tag in tags] for s in "BS"}
        self.trans = {a + b: [prob_trans.get((a, tag), {}).get((b, tag), _MISSING) for tag in tags]
                      for a, b in ("BM", "BE", "MM", "ME")}
        self.emit_tables = {s: [prob_emit.get((s, tag), {}) for tag in tags] for s in "BMES"}
        # Rows kept per character: the first character's (start + emission, in B or S), and each next
        # character's step (transition + emission) from B or M into M or E.
        self.firsts: dict[str, dict[str, list[float]]] = {"B": {}, "S": {}}
        self.steps: dict[str, dict[str, list[float]]] = {pair: {} for pair in ("BM", "BE", "MM", "ME")}
        # The name tags and the other tags that most often score best (`name_margin_at_least`), and their
        # rows, kept per character beside the rows above (the same sums at those tags).
        self.few = [*range(self.split), *(tags.index(tag) for tag in _FEW_OTHERS if tag in tags)]
        self.few_firsts: dict[str, dict[str, list[float]]] = {"B": {}, "S": {}}
        self.few_steps: dict[str, dict[str, list[float]]] = {pair: {} for pair in ("BM", "BE", "MM", "ME")}

    def emit(self, state: str, ch: str) -> list[float]:
        """Every tag's emission of `ch` in `state` (B, M, E or S)."""
        return [table.get(ch, _MISSING) for table in self.emit_tables[state]]

    def first(self, state: str, ch: str) -> list[float]:
        """Every tag's start in `state` (B or S) plus its emission of `ch` there, kept."""
        kept = self.firsts[state]
        row = kept.get(ch)
        if row is None:
            if len(kept) >= _ROWS_KEPT:
                kept.clear()
            row = kept[ch] = list(map(add, self.start[state], self.emit(state, ch)))
        return row

    def step(self, pair: str, ch: str) -> list[float]:
        """Every tag's transition `pair` (BM, BE, MM or ME) plus its emission of `ch` in the state it
        goes into, kept."""
        kept = self.steps[pair]
        row = kept.get(ch)
        if row is None:
            if len(kept) >= _ROWS_KEPT:
                kept.clear()
            row = kept[ch] = list(map(add, self.trans[pair], self.emit(pair[1], ch)))
        return row

    def few_first(self, state: str, ch: str) -> list[float]:
        """`first`'s row at the tags of `few` only (the same sums, made without the whole row), kept."""
        return self._few(self.few_firsts[state], ch, self.start[state], state)

    def few_step(self, pair: str, ch: str) -> list[float]:
        """`step`'s row at the tags of `few` only (the same sums, made without the whole row), kept."""
        return self._few(self.few_steps[pair], ch, self.trans[pair], pair[-1])

    def _few(self, kept: dict[str, list[float]], ch: str, before: list[float], state: str) -> list[float]:
        row = kept.get(ch)
        if row is None:
            if len(kept) >= _ROWS_KEPT:
                kept.clear()
            tables = self.emit_tables[state]
            row = kept[ch] = [before[i] + tables[i].get(ch, _MISSING) for i in self.few]
        return row


@lru_cache(maxsize=1)
def _model() -> _Model:
    return _Model()


@lru_cache(maxsize=4096)
def name_margin(word: str) -> float:
    """How much more likely jieba's POS model finds ``word`` a name than anything else (log, per word).

    Per tag, the log probability of the word's states (S alone, or B, M..., E) as jieba's HMM adds
    them: the start's and the first character's emission, then for each next character the
    transition's and its emission's sum, in that order (the same floating-point sums as one tag at
    a time; tests/test_facts_names.py compares the two)."""
    model = _model()
    total = _walk(word, model.first, model.step)
    return max(total[: model.split]) - max(total[model.split :])


def _walk(word: str, first: Callable[[str, str], list[float]], step: Callable[[str, str], list[float]]) -> list[float]:
    """The word's sums per tag of the rows `first` and `step` give (all tags, or the few)."""
    if len(word) == 1:
        return first("S", word)
    total = first("B", word[0])
    previous = "B"
    last = len(word) - 1
    for i in range(1, len(word)):
        state = "E" if i == last else "M"
        total = list(map(add, total, step(previous + state, word[i])))
        previous = state
    return total


def name_margin_at_least(word: str, bound: float) -> bool:
    """`name_margin(word) >= bound`, most words decided from the name tags and `_FEW_OTHERS` alone: their
    sums are the full walk's (the same additions in the same order, lane by lane), and the best of a
    few other tags is at most the best of all, so a margin below `bound` against the few is below it
    against all (subtraction rounds monotonically). Only a word that passes is scored over every tag.
    (12,200 words jieba's dictionary lacks, each scored once: 4.4 us a word scored whole, 2.4 us so.)"""
    model = _model()
    total = _walk(word, model.few_first, model.few_step)
    split = model.split
    if max(total[:split]) - max(total[split:]) < bound:
        return False
    return name_margin(word) >= bound
