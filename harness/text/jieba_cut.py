"""jieba's precise cut, the same words, in linear time and about twice as fast.

`LinearJieba` is a `jieba.Tokenizer` (0.42.1) with two of its steps done another way:

- **The HMM for unknown words.** jieba sends every run of characters its dictionary leaves single
  (and does not know as a whole) to the HMM of `jieba.finalseg`, whose Viterbi copies each state's
  whole path at every character: a run of n characters costs O(n^2). On 谷歌谷歌… (jieba cuts it
  into 歌谷, no dictionary word, so the whole text is one run): 5,000 characters 0.13 s, 10,000
  0.46 s, 20,000 1.70 s, 50,000 15.7 s; a 500,000-character text, the most a file may hold, would
  take about half an hour, for tokens and again for names. Here the HMM keeps one back-pointer a
  character and state and walks them once at the end: each step takes the same maximum over the
  same (score, state) pairs, summed in the same order, so the same path wins, ties included (the
  later state letter, as Python's tuple order gives jieba).
- **The dictionary's best route** (`best_route`): jieba builds a graph of every word at every place
  (`get_DAG`), then calls `log` for each place and word in a generator under `max` (`calc`): two
  thirds of its time on real text. Here one backward pass scores each word once per tokenizer,
  with the same sums in the same order and the same tie rule.

tests/test_jieba_cut.py holds the words to jieba's own cut (shipped texts, 2,000 stretches of
them, 800 random texts with characters the HMM lacks, user words added before and after cutting,
`del_word`), and the path and score to `finalseg.viterbi` (3,000 runs of characters the HMM's
tables lack, where floor scores tie). On the 12,000 texts of the 10 x 1,000
benchmark set: the same words, 4.5-4.7 s against jieba's 9.0-9.1 s (benchmarks/jieba_cut.py).
`cut(..., HMM=False)` and `cut_all` stay jieba's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from math import log

import jieba
from jieba import finalseg

# The states each may follow (jieba.finalseg.PrevStatus): a word is B M* E, or S alone; so B
# follows E or S, M follows M or B, S follows S or E, and E follows B or M.
_SLOT = {"B": 0, "M": 1, "S": 2, "E": 3}  # a state's place in `hmm_states`' pointers
_HAN_RUN = re.compile("([\u4e00-\u9fd5]+)")  # finalseg.re_han: what the HMM reads
_LATIN_RUN = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")  # finalseg.re_skip: passed through whole


def hmm_states(chars: str) -> str:
    """The most likely B/M/E/S state of each character of `chars` under jieba's HMM (the path
    `jieba.finalseg.viterbi` returns), with back-pointers instead of copied paths. The four states
    are written out: each takes the better of the two states it may follow, each sum made as
    jieba makes it, a tie going to the later letter, as jieba's maximum of (score, state) gives."""
    start, trans, emit = finalseg.start_P, finalseg.trans_P, finalseg.emit_P
    floor = finalseg.MIN_FLOAT
    to_b, to_m, to_s, to_e = emit["B"], emit["M"], emit["S"], emit["E"]
    eb, sb = trans["E"].get("B", floor), trans["S"].get("B", floor)
    mm, bm = trans["M"].get("M", floor), trans["B"].get("M", floor)
    ss, es = trans["S"].get("S", floor), trans["E"].get("S", floor)
    be, me = trans["B"].get("E", floor), trans["M"].get("E", floor)
    first = chars[0]
    b, m = start["B"] + to_b.get(first, floor), start["M"] + to_m.get(first, floor)
    s, e = start["S"] + to_s.get(first, floor), start["E"] + to_e.get(first, floor)
    pointers: list[tuple[str, str, str, str]] = []  # each character's states' predecessors (B, M, S, E)
    for char in chars[1:]:
        em = to_b.get(char, floor)
        x, y = e + eb + em, s + sb + em
        new_b, from_b = (y, "S") if y >= x else (x, "E")
        em = to_m.get(char, floor)
        x, y = m + mm + em, b + bm + em
        new_m, from_m = (x, "M") if x >= y else (y, "B")
        em = to_s.get(char, floor)
        x, y = s + ss + em, e + es + em
        new_s, from_s = (x, "S") if x >= y else (y, "E")
        em = to_e.get(char, floor)
        x, y = b + be + em, m + me + em
        new_e, from_e = (y, "M") if y >= x else (x, "B")
        b, m, s, e = new_b, new_m, new_s, new_e
        pointers.append((from_b, from_m, from_s, from_e))
    state = "S" if s >= e else "E"
    path = [state]
    for came_from in reversed(pointers):
        state = came_from[_SLOT[state]]
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
    """A `jieba.Tokenizer` that cuts as jieba 0.42.1 does, its HMM in linear time and its best route
    found in one pass (`best_route`)."""

    _scores: dict[str, float]
    # (id of FREQ, total) the scores were worked out for: FREQ and total replaced (a dictionary
    # loaded into the tokenizer) or changed by `add_word` make them be worked out again.
    _scored_for: tuple[int, int] = (0, 0)

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        """jieba's `add_word` (which `del_word` and `suggest_freq` call): it changes a frequency,
        and the total by the new one, which may leave it as it was (a negative count)."""
        super().add_word(word, freq, tag)
        self._scored_for = (0, 0)

    def best_route(self, sentence: str) -> list[int]:
        """The last character of the word starting at each place of `sentence`: what jieba's
        `calc(sentence, get_DAG(sentence), route)` puts in `route[k][1]`, in one backward pass with
        no graph built. Each word's score, log(frequency) - log(total), is worked out once (jieba
        calls `log` for each place and word) and added to the best score after the word, the same
        two operations in the same order; of equal scores the longer word wins, as jieba's maximum
        of (score, end) pairs gives."""
        self.check_initialized()  # jieba's get_DAG loads the dictionary on first use; so does this
        freq = self.FREQ
        if self._scored_for != (id(freq), self.total):
            self._scores, self._scored_for = {}, (id(freq), self.total)
        scores = self._scores
        log_total = log(self.total)
        alone = 0.0 - log_total  # a character that is no word: log(1) - log(total)
        end = len(sentence)
        best = [0.0] * (end + 1)
        route = [0] * end
        for k in range(end - 1, -1, -1):
            top, at = alone + best[k + 1], k
            found = False
            i, piece = k, sentence[k]
            while piece in freq:  # the dictionary holds every prefix of its words
                count = freq[piece]
                if count:
                    score = scores.get(piece)
                    if score is None:
                        score = scores[piece] = log(count) - log_total
                    score += best[i + 1]
                    if not found or score >= top:
                        top, at, found = score, i, True
                i += 1
                if i == end:
                    break
                piece = sentence[k : i + 1]
            best[k], route[k] = top, at
        return route

    def _Tokenizer__cut_DAG(self, sentence: str) -> Iterator[str]:  # jieba's name, mangled
        """jieba's `__cut_DAG` (what `cut(..., HMM=True)` calls for a Han block): the dictionary's
        best route, each run of single characters that is not a dictionary word as a whole read by
        the HMM (one character alone; a known word as its characters)."""
        route = self.best_route(sentence)
        end = len(sentence)
        single_from = x = 0  # start of the current run of single characters
        while x < end:
            y = route[x] + 1
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
