"""jieba's precise cut with its HMM for unknown words decoded in linear time.

jieba 0.42.1 sends every run of characters its dictionary leaves single (and does not know as a
whole) to the HMM of `jieba.finalseg`, whose Viterbi copies each state's whole path at every
character: a run of n characters costs O(n^2). Measured here on 谷歌谷歌… (jieba cuts it into
歌谷 words of no dictionary entry, so the whole text is one run): 5,000 characters 0.13 s, 10,000
0.46 s, 20,000 1.70 s, 50,000 15.7 s; a 500,000-character text, the most a file may hold, would
take about half an hour, for tokens and again for names.

`LinearJieba` is a `jieba.Tokenizer` whose HMM keeps one back-pointer a character and state and
walks them once at the end. Each step takes the same maximum over the same (score, state) pairs,
summed in the same order, so the same path wins, ties included (the later state letter, as
Python's tuple order gives jieba); the words are the same and the time is linear.
tests/test_jieba_hmm.py holds it to jieba's own cut. The dictionary part (`get_DAG`, `calc`) is
jieba's, inherited; only the method that hands runs to the HMM is replaced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jieba
from jieba import finalseg

_STATES = "BMES"
# The states each may follow (jieba.finalseg.PrevStatus): a word is B M* E, or S alone.
_BEFORE = {"B": "ES", "M": "MB", "S": "SE", "E": "BM"}
_HAN_RUN = re.compile("([\u4e00-\u9fd5]+)")  # finalseg.re_han: what the HMM reads
_LATIN_RUN = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")  # finalseg.re_skip: passed through whole


def hmm_states(chars: str) -> str:
    """The most likely B/M/E/S state of each character of `chars` under jieba's HMM (the path
    `jieba.finalseg.viterbi` returns), with back-pointers instead of copied paths."""
    start, trans, emit = finalseg.start_P, finalseg.trans_P, finalseg.emit_P
    floor = finalseg.MIN_FLOAT
    score = {y: start[y] + emit[y].get(chars[0], floor) for y in _STATES}
    pointers: list[dict[str, str]] = []
    for char in chars[1:]:
        new_score: dict[str, float] = {}
        came_from: dict[str, str] = {}
        for y in _STATES:
            em = emit[y].get(char, floor)
            best, before = max([(score[x] + trans[x].get(y, floor) + em, x) for x in _BEFORE[y]])
            new_score[y] = best
            came_from[y] = before
        score = new_score
        pointers.append(came_from)
    _, state = max((score[y], y) for y in "ES")
    path = [state]
    for came_from in reversed(pointers):
        state = came_from[state]
        path.append(state)
    return "".join(reversed(path))


def _hmm_words(run: str) -> Iterator[str]:
    """The words of one run of Han characters as jieba.finalseg's `__cut` yields them."""
    start = after = 0
    for i, state in enumerate(hmm_states(run)):
        if state == "B":
            start = i
        elif state == "E":
            yield run[start : i + 1]
            after = i + 1
        elif state == "S":
            yield run[i]
            after = i + 1
    if after < len(run):
        yield run[after:]


def hmm_cut(text: str) -> Iterator[str]:
    """What `jieba.finalseg.cut(text)` yields: Han runs by the HMM (a word jieba was told never to
    keep whole, by `del_word`, as its characters), other runs as letters-and-digits pieces."""
    for block in _HAN_RUN.split(text):
        if _HAN_RUN.match(block):
            for word in _hmm_words(block):
                if word in finalseg.Force_Split_Words:
                    yield from word
                else:
                    yield word
        else:
            yield from (piece for piece in _LATIN_RUN.split(block) if piece)


class LinearJieba(jieba.Tokenizer):  # type: ignore[misc]
    """A `jieba.Tokenizer` that cuts as jieba 0.42.1 does, its HMM in linear time."""

    def _Tokenizer__cut_DAG(self, sentence: str) -> Iterator[str]:  # jieba's name, mangled
        """jieba's `__cut_DAG` (what `cut(..., HMM=True)` calls for a Han block): the dictionary's
        best route, each run of single characters that is not a dictionary word as a whole read by
        the HMM (one character alone; a known word as its characters)."""
        dag = self.get_DAG(sentence)
        route: dict[int, Any] = {}
        self.calc(sentence, dag, route)
        end = len(sentence)
        single_from = x = 0  # start of the current run of single characters
        while x < end:
            y = route[x][1] + 1
            if y - x > 1:
                if x - single_from == 1:
                    yield sentence[single_from]
                elif x > single_from:
                    yield from self._single_run(sentence[single_from:x])
                yield sentence[x:y]
                single_from = y
            x = y
        if single_from < end:
            yield from self._single_run(sentence[single_from:])

    def _single_run(self, run: str) -> Iterator[str]:
        if len(run) == 1:
            yield run
        elif run and not self.FREQ.get(run):
            yield from hmm_cut(run)
        else:
            yield from run
