"""Check the summaries of one document piece by piece: the pipeline's way to `check_extracted`'s result.

A summary's figures and names are those of its pieces (`extraction.piece_keys`: the text cut after
each run of 。！？), and an item's status depends only on the item and the document's evidence. So
what a piece holds, checked (each item's entry in the JSON contract, its span in the piece, its
status, and the references' figures it states), is the same in every summary of the document that
holds the piece, and is worked out once per document and piece (`_check_piece`). A summary is then
its pieces' entries joined, each figure or name counted at its first place as `check_extracted`
counts it, with no Extracted, row or item object made for it: the summaries of a document share
most of their sentences (on the 10 x 1,000 benchmark, 59,391 pieces of summaries are 36,869
distinct pieces of documents).

The result is `check_extracted`'s, byte for byte (tests/test_facts_summaries.py compares them on
texts written for it and on random joins of pieces). A summary with a figure or name left out
(bounds.py), whose skipped line gives its place in the summary, is left to `check_extracted` (None).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from harness.analyses.facts.check import (
    Statuses,
    Wanted,
    figure_key,
    figure_once,
    figure_status,
    fold_forms,
    name_once,
    name_status,
    recall_of,
    stated_figures,
    wanted_items,
)
from harness.analyses.facts.extraction import (
    Extracted,
    PieceKey,
    PieceMemo,
    Reading,
    default_normalize,
    piece_keys,
    reading,
)
from harness.analyses.facts.figure import Figure
from harness.analyses.facts.fragment import item_middle, item_parts, value_or_none, value_text
from harness.analyses.facts.names import Name
from harness.analyses.facts.names_list import NamesList
from harness.analyses.facts.result import FactsResult, assembled

# Pieces a document keeps checked, and pieces a process keeps described (a document's summaries
# hold a few dozen; a run's, some thousands): each memo is emptied when full.
MEMO_PIECES = 20_000
_INDEX = {"supported": 0, "unsupported": 1, "offtopic": 2}  # a status's place in the tally

# An item of a checked piece: the key it is counted once under in a summary (`check.figure_once`,
# `check.name_once`), its entry in the contract, its span in the piece, its status's place in the
# tally, whether it is a name, its text.
_Item = tuple[tuple[object, ...], str, int, int, int, bool, str]


class _Piece(NamedTuple):
    items: tuple[_Item, ...]  # figures, then names, each in order of position
    stated: frozenset[int]  # the references' figures its figures state (`stated_figures`)


_LONG = _Piece((), frozenset())  # a piece with an item left out (bounds.py): the summary takes the whole way

# A piece's items as any evidence has them (`_described`, per process beside the piece's reading):
# each one's key in a summary (`_Item`), the key of its status (`check.Statuses`), the figure or
# name, its span in the piece, whether a name, its text, and its entry around status and evidence.
_Described = tuple[tuple[object, ...], tuple[object, ...], Figure | Name, int, int, bool, str, str, str]
Descriptions = dict[PieceKey, "tuple[_Described, ...] | None"]  # None: an item left out (bounds.py)
# What a document's check found for an item, by the key of its status: its status's place in the
# tally, the middle of its entry (`fragment.item_middle`), the references' figures it states.
_Known = dict[tuple[object, ...], tuple[int, str, frozenset[int]]]


def check_summary(
    text: str, *, names: NamesList | None, cut: Callable[[str], Sequence[str]] | None, readings: PieceMemo,
    source: Extracted, offtopic: Extracted | None, references: Sequence[Extracted], memo: dict[str, Any],
    described: Descriptions,
) -> FactsResult | None:
    """`check_extracted(extract(text, names=names, cut=cut, memo=readings), source=source, ...)` as
    the result read back from the cache holds it (`FactsResult.kept`); None for a summary with an
    item left out (bounds.py). ``memo`` is `check_extracted`'s memo for this evidence, which the pieces
    share with it; ``described`` keeps the pieces' items for the process, beside ``readings``."""
    if "wanted" not in memo:
        memo["wanted"] = wanted_items(references, default_normalize)
    wanted: Wanted = memo["wanted"]
    statuses: Statuses = memo.setdefault("statuses", {})
    checked: dict[PieceKey, _Piece] = memo.setdefault("pieces", {})
    known: _Known = memo.setdefault("known", {})
    noise = (offtopic,) if offtopic is not None else ()
    seen: set[object] = set()
    figures: list[str] = []
    found: list[str] = []
    at: list[int] = []
    at_names: list[int] = []
    bad: list[tuple[int, bool, int, str]] = []  # unsupported and off-topic items: place, whether a name, status, text
    tally = [0, 0, 0]
    stated: set[int] = set()
    for offset, key in piece_keys(text, names):
        piece = checked.get(key)
        if piece is None:
            if len(checked) >= MEMO_PIECES:
                checked.clear()
            try:
                items = described[key]
            except KeyError:
                if len(described) >= MEMO_PIECES:
                    described.clear()
                items = described[key] = _described(key, reading(key, names, cut, readings))
            piece = checked[key] = _LONG if items is None else _check_piece(items, source, noise, statuses, wanted, known)
        if piece is _LONG:
            return None
        for same, entry, start, end, status, is_name, item in piece.items:
            if same not in seen:
                seen.add(same)
                start += offset
                end += offset
                if is_name:
                    found.append(entry)
                    at_names += (start, end)
                else:
                    figures.append(entry)
                    at += (start, end)
                tally[status] += 1
                if status:
                    bad.append((start, is_name, status, item))
        if piece.stated:
            stated |= piece.stated
    bad.sort()
    return assembled(
        figures, found, at + at_names, (tally[0], tally[1], tally[2], len(figures) + len(found)),
        recall_of(stated, lambda: default_normalize(text), wanted),
        tuple(item for _, _, status, item in bad if status == 1), tuple(item for _, _, status, item in bad if status == 2),
    )


def _described(key: PieceKey, got: Reading) -> tuple[_Described, ...] | None:
    """The items of the piece of `key` with its reading `got` (`extraction.reading`), their spans
    less the mark before the piece; None when it has a figure or name left out."""
    if got[2]:
        return None
    lead = len(key[0])
    items: list[_Described] = []
    for figure in got[0]:
        values = figure_key(figure)
        head, tail = item_parts("figure", figure.text, value_text(figure.value), figure.unit,
                                value_or_none(figure.second))
        items.append((figure_once(figure), values, figure, figure.start - lead, figure.end - lead, False, figure.text,
                      head, tail))
    for name in got[1]:
        forms = fold_forms(default_normalize, name.forms or (name.text,))
        head, tail = item_parts("name", name.text, None, None)
        items.append((name_once(forms), forms, name, name.start - lead, name.end - lead, True, name.text, head, tail))
    return tuple(items)


def _check_piece(items: tuple[_Described, ...], source: Extracted, noise: Sequence[Extracted], statuses: Statuses,
                 wanted: Wanted, known: _Known) -> _Piece:
    """A piece's items (`_described`) checked against this evidence (`known`: the document's findings)."""
    checked: list[_Item] = []
    stated: frozenset[int] = frozenset()
    for same, key, item, start, end, is_name, text, head, tail in items:
        found = known.get(key)
        if found is None:
            if is_name:
                status, snippet, _ = name_status(key, "source", (source,), noise, statuses)  # type: ignore[arg-type]
                states: frozenset[int] = frozenset()
            else:
                status, snippet, _ = figure_status(item, "source", (source,), noise, statuses, key)  # type: ignore[arg-type]
                states = stated_figures(item, wanted, key) if wanted[0] else frozenset()  # type: ignore[arg-type]
            found = known[key] = (_INDEX[status], item_middle(status, snippet), states)
        checked.append((same, head + found[1] + tail, start, end, found[0], is_name, text))
        if found[2]:
            stated |= found[2]
    return _Piece(tuple(checked), stated)
