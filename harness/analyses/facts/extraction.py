"""Read a text's figures and names once, sentence by sentence (facts rules, docs/facts.md).

A text is read in pieces cut after each run of full-width sentence marks (。！？). No figure rule
reaches across such a mark: the words read before a number (约, 超过, US$, 第) and the units after
it never contain one, nor do the gaps of ranges and score pairs, so a piece read on its own, with
the mark before it as its first character, gives the figures the whole text gives there
(tests/test_facts_extraction.py checks it on texts written for it and on the shipped corpus). Names
are read in the same pieces, from jieba's words of each piece. A summary made of a source's
sentences therefore costs one dictionary look-up per sentence it shares with other texts: the
pieces' readings are kept in a memo (`PieceMemo`) for the run.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any

from harness.analyses.facts.bounds import Left
from harness.analyses.facts.figure import Figure
from harness.analyses.facts.figures import extract_figures, widen
from harness.analyses.facts.names import Name, find_names, is_prose, latin_and_han, left_out
from harness.analyses.facts.names_list import NamesList

# A piece: text up to and including a run of 。！？, or the text after the last run (findall's list
# of pieces is made at C speed, where slicing at each match of the marks took twice as long).
_PIECE = re.compile("[^。！？]*[。！？]+|[^。！？]+")
# Pieces a memo keeps (a sentence of a summary is a few dozen characters): cleared when full.
MEMO_PIECES = 30_000

# A piece's reading: its figures, names and the figures and names left out (too long, out of
# bounds), as tuples (which the cyclic garbage collector stops tracking once it sees they hold no
# containers: a run keeps thousands of them).
PieceKey = tuple[str, str, bool, bool]  # the mark before the piece, the piece, whether prose, whether names are read
Reading = tuple[tuple[Figure, ...], tuple[Name, ...], tuple[Left, ...]]
PieceMemo = dict[PieceKey, Reading]


def default_normalize(text: str) -> str:
    """NFKC then casefold: the harness's normalisation without its optional traditional→simplified step;
    and a hyphen or underscore read as a space, so that names spelt either way are one (DeepSeek-V3 and
    DeepSeek V3, Llama-3 and Llama 3; v5). One character for one, as casefold keeps Chinese and ASCII."""
    return unicodedata.normalize("NFKC", text).casefold().replace("-", " ").replace("_", " ")


@dataclass(frozen=True, slots=True)
class Extracted:
    """One text read once: its figures and names, plus the text and its normalised form for matching."""

    text: str
    folded: str
    figures: tuple[Figure, ...]
    names: tuple[Name, ...]
    skipped: tuple[str, ...] = ()
    # What was looked up in this text and where it was found (a source answers the same figures and
    # names for every summary of its document). It holds no reference back to the Extracted, so
    # that no cycle keeps a document's texts for the cyclic collector to find.
    found: dict[object, Any] = field(default_factory=dict, compare=False, repr=False)


def pieces(text: str) -> list[tuple[int, str]]:
    """(offset, piece) of `text` cut after each run of 。！？ (the last piece may have no mark)."""
    out = []
    at = 0
    for piece in _cut(text):
        out.append((at, piece))
        at += len(piece)
    return out


def _cut(text: str) -> list[str]:
    """`pieces` without their offsets. A text whose only mark is 。 (nearly every one) is split at C
    speed, each run of marks then closing one piece: 2.4 us a summary of the 10 x 1,000 set, 4.0 with the regex."""
    if "！" in text or "？" in text:
        return _PIECE.findall(text) or [text]
    parts = text.split("。")
    last = parts.pop()
    out: list[str] = []
    for part in parts:
        if part or not out:
            out.append(part + "。")
        else:  # a run of marks: 。。 closes the piece before
            out[-1] += "。"
    if last:
        out.append(last)
    return out or [text]


def extract(
    text: str, *, names: NamesList | None = None, normalize: Callable[[str], str] | None = None,
    cut: Callable[[str], Sequence[str]] | None = None, find: bool = True, memo: PieceMemo | None = None,
) -> Extracted:
    """Read a text's figures and names once (picklable; cache it per distinct text). ``cut`` gives
    jieba's words of a piece (jieba's own cut of it without); without ``find``, figures only (a
    source: a summary's names are looked up in its text, so the source's own names are never
    needed). ``memo`` keeps pieces' readings across texts: one memo per names list and ``cut``."""
    memo = {} if memo is None else memo
    figures: list[Figure] = []
    found: list[Name] = []
    skipped: list[str] = []
    for offset, key in piece_keys(text, names, find):
        got = reading(key, names, cut, memo)
        shift = offset - len(key[0])
        if shift:
            figures += [Figure(f.text, f.start + shift, f.end + shift, f.value, f.unit, f.kind, f.step, f.approx,
                               f.second) for f in got[0]]
            found += [Name(n.text, n.start + shift, n.end + shift, n.origin, n.forms) for n in got[1]]
        else:
            figures += got[0]
            found += got[1]
        skipped += [left.line(shift) for left in got[2]]
    return Extracted(text, (normalize or default_normalize)(text), tuple(figures), tuple(found), tuple(skipped))


def piece_keys(text: str, names: NamesList | None, find: bool = True) -> list[tuple[int, PieceKey]]:
    """(offset, memo key) of each piece `extract` reads `text` in: the whole text when a listed name
    holds a sentence mark, else `pieces`; a piece's reading (`reading`) is in offsets from the start
    of the key's mark, so its items sit at `offset - len(key[0])` plus their own offsets."""
    cut = [text] if find and names is not None and _marked(names)[0] else _cut(text)
    prose = find and _prose(cut)
    keys = []
    at = 0
    before = ""
    for piece in cut:
        keys.append((at, (before, piece, prose, find)))
        at += len(piece)
        before = piece[-1:]
    return keys


# Latin letters and Han characters of pieces met (`_prose`), by piece: a summary's sentences recur
# in other summaries. At most `_COUNTED_KEPT` pieces of at most `_COUNTED_CHARS` characters (a few
# MB however long the texts); a longer piece is counted each time it is met.
_COUNTED: dict[str, tuple[int, int]] = {}
_COUNTED_CHARS = 256
_COUNTED_KEPT = 1 << 14


def _prose(cut: list[str]) -> bool:
    """`mostly_latin(widen(text))` of the text `cut` into these pieces, from each piece's counts
    (they add up over any cut of a text)."""
    letters = han = 0
    for piece in cut:
        counted = _COUNTED.get(piece)
        if counted is None:
            counted = latin_and_han(widen(piece))
            if len(piece) <= _COUNTED_CHARS:
                if len(_COUNTED) >= _COUNTED_KEPT:
                    _COUNTED.clear()
                _COUNTED[piece] = counted
        letters += counted[0]
        han += counted[1]
    return is_prose(letters, han)


def reading(
    key: PieceKey, names: NamesList | None, cut: Callable[[str], Sequence[str]] | None, memo: PieceMemo,
) -> Reading:
    """The figures, names and left-out items of the piece of `key` (`piece_keys`), from `memo` or read.
    A piece's figures do not depend on whether its names are read: a summary's sentence copied from
    its source takes the figures the source's reading found (figures are about a third of a reading's time)."""
    got = memo.get(key)
    if got is None:
        if len(memo) >= MEMO_PIECES:
            memo.clear()
        before, piece, prose, find = key
        other = memo.get((before, piece, False, not find))
        got = memo[key] = _read(before + piece, names, cut, prose, find, len(before), other)
    return got


_MARKED: dict[int, tuple[NamesList, tuple[bool, bool]]] = {}


def _marked(names: NamesList) -> tuple[bool, bool]:
    """Whether a listed name holds a sentence mark (哇！牛奶, Yahoo!: then its text is read whole, not
    cut there), and whether one holds a digit (360, 小米14: then the figures within it are dropped).
    Worked out once per names list (by identity: a list is one object for a run)."""
    kept = _MARKED.get(id(names))
    if kept is None or kept[0] is not names:
        if len(_MARKED) >= 16:
            _MARKED.clear()
        forms = [form for entry in names.entries for form in entry]
        kept = _MARKED[id(names)] = (names, (any(mark in form for form in forms for mark in "。！？!?"),
                                             any(c.isdigit() for form in forms for c in form)))
    return kept[1]


def _read(
    text: str, names: NamesList | None, cut: Callable[[str], Sequence[str]] | None, prose: bool, find: bool,
    lead: int, other: Reading | None = None,
) -> Reading:
    """Figures (those of `other`, the piece's other reading, when there is one), names and left-out
    items of one piece (`text`: the mark before it, `lead` characters, then the piece), in the
    piece's own offsets plus `lead`."""
    digits = names is not None and _marked(names)[1]
    if other is None or (digits and not find):  # a names reading's figures lost its listed names' digits
        left: list[Left] = []
        figures = tuple(extract_figures(text, left))
        out = tuple(left)
    else:
        figures, out = other[0], tuple(n for n in other[2] if n.what == "figure")
    if not find:
        return figures, (), out
    kept, long = find_names(text, names=names, words=None if cut is None else cut(text[lead:]), prose=prose)
    if long:
        out = tuple(sorted(out + tuple(map(left_out, long)), key=attrgetter("start")))
    if digits:  # 360 (=奇虎) or 小米14 listed: a figure within the name is the name's, not a figure too (v5)
        spans = [(n.start, n.end) for n in kept if n.origin == "list"]
        figures = tuple(f for f in figures if not any(s <= f.start and f.end <= e for s, e in spans))
    return figures, tuple(kept), out


def encode(extracted: Extracted) -> bytes:
    """`extracted` as bytes for the persistent cache (JSON; its text is the cache key's own)."""
    figures = [[f.text, f.start, f.end, str(f.value), f.unit, f.kind, str(f.step), f.approx,
                None if f.second is None else str(f.second)] for f in extracted.figures]
    names = [[n.text, n.start, n.end, n.origin, list(n.forms)] for n in extracted.names]
    return json.dumps([figures, names, list(extracted.skipped)], ensure_ascii=False).encode("utf-8")


def decode(text: str, data: bytes, normalize: Callable[[str], str] | None = None) -> Extracted | None:
    """`encode`'s bytes back into the Extracted of `text`; None when they are not what encode writes."""
    try:
        figures, names, skipped = json.loads(data.decode("utf-8"))
        return Extracted(
            text, (normalize or default_normalize)(text),
            tuple(Figure(f[0], f[1], f[2], Decimal(f[3]), f[4], f[5], Decimal(f[6]), f[7],
                         None if f[8] is None else Decimal(f[8])) for f in figures),
            tuple(Name(n[0], n[1], n[2], n[3], tuple(n[4])) for n in names),
            tuple(skipped),
        )
    except (ValueError, TypeError, IndexError, ArithmeticError):
        return None
