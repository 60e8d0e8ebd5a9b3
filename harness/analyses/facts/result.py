"""One summary's checked figures and names (facts rules, docs/facts.md): each item with its status and evidence,
and the forms a result takes in the persistent cache, between processes and in the JSON contract.

A result made by the check holds its items as plain rows (`Row`). The JSON contract's entry of it
(`fragment`, compact JSON text) is written from the rows once, and the persistent cache keeps that
text with a short header (`to_bytes`): a warm run reads the text back and writes it into the
contract as it is (`harness.results.jsontext`), and builds rows or items only when something asks
for them (explain, the HTML drill-down, the API)."""

from __future__ import annotations

import json
import struct
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from harness.analyses.facts.fragment import fragment_text, item_json, value_or_none
from harness.analyses.facts.layout import EVIDENCE, HEAD, NONE_MADE_UP, RECALL_TYPES, MadeUp, Tally, checked, packed, parts
from harness.analyses.facts.layout import EvidenceKind as EvidenceKind  # (where it was always imported from)

Status = Literal["supported", "offtopic", "unsupported", "unchecked"]
ItemKind = Literal["figure", "name"]


class FactItem(NamedTuple):
    """A figure or name of the summary with its status and the evidence snippet that decided it."""

    kind: ItemKind
    text: str
    start: int
    end: int
    status: Status
    evidence: str | None  # about 30 characters around the match; None when not found
    value: Decimal | None = None
    unit: str | None = None
    second: Decimal | None = None  # a score pair's other side (90比89: value 90, second 89); None otherwise


Row = tuple[ItemKind, str, int, int, Status, "str | None", "str | None", "str | None", "str | None"]
"""One item as plain values: kind, text, start, end, status, evidence, value (as the JSON contract
writes it, a plain decimal string; None for a name), unit, and a score pair's other side (written as
the value is; None for any other item)."""

def _place(row: Row) -> tuple[int, bool]:
    """Rows' order: by position, a figure before a name at the same place (as the check makes them)."""
    return row[2], row[0] == "name"


class FactsResult:
    """Every item of one summary with its status, where the evidence came from, and the recall.

    Made by the check from rows, or read back from the cache or a worker as the bytes `to_bytes`
    writes (a head, then the contract's text, `fragment`); the other form is made on first use."""

    __slots__ = ("_at", "_bytes", "_fragment", "_items", "_made_up", "_positions", "_rows", "_skipped", "evidence", "recall",
                 "tally")
    evidence: EvidenceKind
    recall: float | None  # share of the references' figures and names the summary states
    tally: tuple[int, int, int, int]  # (supported, unsupported, offtopic, items)
    _rows: tuple[Row, ...] | None
    _skipped: tuple[str, ...] | None
    _bytes: bytes | None
    _at: int  # where the fragment starts in `_bytes` (0 without them)
    _fragment: str | None
    _items: tuple[FactItem, ...] | None
    _positions: tuple[int, ...] | None
    _made_up: tuple[tuple[str, ...], tuple[str, ...]] | None

    def __init__(self, items: Sequence[FactItem], evidence: EvidenceKind, recall: float | None,
                 skipped: Sequence[str] = ()) -> None:
        rows = tuple(sorted(((i.kind, i.text, i.start, i.end, i.status, i.evidence,
                              value_or_none(i.value), i.unit, value_or_none(i.second)) for i in items), key=_place))
        self._from_rows(rows, evidence, recall, tuple(skipped))

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]], evidence: EvidenceKind, recall: float | None,
                  skipped: Sequence[str] = ()) -> FactsResult:
        """The result of these rows (as `rows` holds them, or lists of the same values; a row of eight
        values, from before a score pair's other side was kept, has none), in any order."""
        result = cls.__new__(cls)
        result._from_rows(tuple(sorted((tuple(row) if len(row) == 9 else (*row, None) for row in rows), key=_place)),
                          evidence, recall, tuple(skipped))
        return result

    def _from_rows(self, rows: tuple[Row, ...], evidence: EvidenceKind, recall: float | None,
                   skipped: tuple[str, ...]) -> None:
        statuses = [row[4] for row in rows]
        tally = (statuses.count("supported"), statuses.count("unsupported"), statuses.count("offtopic"), len(rows))
        _fill(self, rows, evidence, recall, skipped, tally)

    def _set(self, slot: str, value: object) -> None:
        object.__setattr__(self, slot, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"FactsResult is immutable (cannot set {name!r})")

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent between processes as the cache's bytes: a text and a header, no object per item; the
        # receiver does not check them again (`to_bytes` wrote them, or `from_bytes` checked them).
        return (_unchecked, (self.to_bytes(),))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FactsResult):
            return NotImplemented
        return (self.items, self.evidence, self.recall, self.skipped) == (other.items, other.evidence, other.recall,
                                                                          other.skipped)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"FactsResult(items={self.items!r}, evidence={self.evidence!r}, recall={self.recall!r}, "
                f"skipped={self.skipped!r})")

    @property
    def rows(self) -> tuple[Row, ...]:
        """Every item as a `Row`, in order of position in the summary."""
        rows: tuple[Row, ...] | None = self._rows
        if rows is None:
            entry = json.loads(self.fragment)
            positions = self._positions
            if positions is None:  # read back: the positions are in the bytes
                data = self._bytes
                assert data is not None
                positions = struct.unpack_from(f"<{2 * self.tally[3]}I", data, HEAD.size)  # (layout.parts)
            found: list[Row] = []
            for i, item in enumerate(entry["figures"]):
                found.append(("figure", item["text"], positions[2 * i], positions[2 * i + 1], item["status"],
                              item["evidence"], item["value"], item["unit"], item.get("second")))
            for i, item in enumerate(entry["names"], start=len(found)):
                found.append(("name", item["text"], positions[2 * i], positions[2 * i + 1], item["status"],
                              item["evidence"], None, None, None))
            rows = tuple(sorted(found, key=_place))
            self._set("_rows", rows)
        return rows

    @property
    def items(self) -> tuple[FactItem, ...]:
        """Every item, in order of position in the summary."""
        items: tuple[FactItem, ...] | None = self._items
        if items is None:
            items = tuple(FactItem(kind, text, start, end, status, evidence, None if value is None else Decimal(value), unit,
                                   None if second is None else Decimal(second))
                          for kind, text, start, end, status, evidence, value, unit, second in self.rows)
            self._set("_items", items)
        return items

    @property
    def figures(self) -> tuple[FactItem, ...]:
        return tuple(item for item in self.items if item.kind == "figure")

    @property
    def names(self) -> tuple[FactItem, ...]:
        return tuple(item for item in self.items if item.kind == "name")

    def count(self, status: Status) -> int:
        return sum(row[4] == status for row in self.rows)

    @property
    def supported(self) -> int:
        return self.tally[0]

    @property
    def unsupported(self) -> int:
        return self.tally[1]

    @property
    def offtopic(self) -> int:
        return self.tally[2]

    @property
    def precision(self) -> float | None:
        """Supported items / all items; None with no items or no evidence."""
        if not self.tally[3] or self.evidence == "none":
            return None
        return self.supported / self.tally[3]

    @property
    def made_up(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The texts of the unsupported items and of the off-topic ones, in order of position."""
        found: tuple[tuple[str, ...], tuple[str, ...]] | None = self._made_up
        if found is None and self._bytes is not None:  # read back, with texts
            _, made_up, carried = self._texts()
            found = (tuple(made_up), tuple(carried))
            self._set("_made_up", found)
        if found is None:
            rows = self.rows
            found = (tuple(row[1] for row in rows if row[4] == "unsupported"),
                     tuple(row[1] for row in rows if row[4] == "offtopic"))
            self._set("_made_up", found)
        return found

    @property
    def skipped(self) -> tuple[str, ...]:
        """Why items were left out (a name of 10,000 characters, a figure of 400 digits), one line each."""
        skipped = self._skipped
        if skipped is None:
            skipped = tuple(self._texts()[0])
            self._set("_skipped", skipped)
        return skipped

    def _texts(self) -> tuple[list[str], list[str], list[str]]:
        """The skipped, unsupported and off-topic texts of a result read back that has some."""
        data = self._bytes
        assert data is not None
        texts_at, fragment_at = parts(data)
        return json.loads(data[texts_at:fragment_at])  # type: ignore[no-any-return]

    @property
    def fragment(self) -> str:
        """The JSON contract's entry of this summary, compact: `{"precision", "recall", "unsupported",
        "offtopic", "figures": [{"text", "status", "evidence", "value", ("second",) "unit"}], "names": [{"text",
        "status", "evidence"}]}` and `"skipped": [why, ...]` when an item was left out, the bytes
        `json.dumps(..., ensure_ascii=False, separators=(",", ":"))` writes (tests/test_facts_result.py compares them)."""
        text: str | None = self._fragment
        if text is None and self._bytes is not None:  # read back: not kept twice
            return self.fragment_utf8().decode("utf-8")
        if text is None:
            figures: list[str] = []
            names: list[str] = []
            at: list[int] = []  # the items' positions, figures first (the fragment's order)
            at_names: list[int] = []
            for kind, item, start, end, status, evidence, value, unit, second in self.rows:
                entries, spans = (figures, at) if kind == "figure" else (names, at_names)
                entries.append(item_json(kind, item, status, evidence, value, unit, second))
                spans += (start, end)
            text = fragment_text(self.precision, self.recall, self.unsupported, self.offtopic, figures, names,
                                 self.skipped)
            self._set("_fragment", text)
            self._set("_positions", (*at, *at_names))
        return text

    def fragment_utf8(self) -> bytes:
        """`fragment` in UTF-8, as the bytes of a result read back or kept (`to_bytes`) hold it."""
        return bytes(self.fragment_view())

    def fragment_view(self) -> bytes | memoryview:
        """`fragment_utf8`, as a view into the bytes that hold it when they do (nothing copied)."""
        data = self._bytes
        return self.fragment.encode("utf-8") if data is None else memoryview(data)[self._at:]

    def to_bytes(self) -> bytes:
        """The result as the persistent cache keeps it and workers send it (harness.analyses.facts.layout)."""
        if self._bytes is not None:
            return self._bytes
        fragment = self.fragment  # made from the rows: the positions with it
        positions = self._positions
        assert positions is not None
        encoded = fragment.encode("utf-8")
        data = packed(self.evidence, self.recall, self.tally, positions, self.skipped, *self.made_up, encoded)
        self._set("_at", len(data) - len(encoded))
        self._set("_bytes", data)
        return data

    def kept(self) -> FactsResult:
        """This result as a run reads it back from the cache: its bytes and measures only, rows and
        fragment made on first use (kept whole until written, a cold 10 x 1,000 run touched 23 MB more)."""
        result = _unchecked(self.to_bytes())
        if result._made_up is None:  # texts in the bytes: taken from this result, not read again
            result._set("_skipped", self.skipped)
            result._set("_made_up", self.made_up)
        return result

    @classmethod
    def from_bytes(cls, data: bytes) -> FactsResult:
        """`to_bytes`'s result back; ValueError (or struct.error, RecursionError) when it is not what `to_bytes` writes
        (the checks: `harness.analyses.facts.layout.checked`). The fragment stays in `data` until it is written."""
        return _read(data, *checked(data))


def assembled(figures: Sequence[str], names: Sequence[str], positions: Sequence[int], tally: Tally,
              recall: float | None, made_up: tuple[str, ...], carried: tuple[str, ...]) -> FactsResult:
    """The result, checked against a source, whose items are already the fragment's (`item_json`, figures
    and names in order of position), `positions` their spans (figures first), `tally` their statuses'
    counts and `made_up` and `carried` the texts of the unsupported and off-topic ones in order of
    position: as `kept()` of the result `FactsResult.from_rows` makes of the same items."""
    items = tally[3]
    fragment = fragment_text(tally[0] / items if items else None, recall, tally[1], tally[2], figures, names)
    encoded = fragment.encode("utf-8")
    data = packed("source", recall, tally, positions, (), made_up, carried, encoded)
    return _read(data, "source", recall, (), tally, (made_up, carried), len(data) - len(encoded))


def _unchecked(data: bytes) -> FactsResult:
    """The result of bytes `to_bytes` wrote (or `from_bytes` checked): the head read, the rest on first use.
    (What a process receives a result as from another, once per summary: kept to two calls.)"""
    _, evidence, recall_type, recall, supported, unsupported, offtopic, items, size = _HEAD_OF(data)
    return _read(data, EVIDENCE[evidence], RECALL_TYPES[recall_type](recall) if recall_type else None,
                 None if size else (), (supported, unsupported, offtopic, items), None if size else NONE_MADE_UP,
                 HEAD.size + 8 * items + size)


_HEAD_OF = HEAD.unpack_from


def _read(data: bytes, evidence: EvidenceKind, recall: float | None, skipped: tuple[str, ...] | None,
          tally: Tally, made_up: MadeUp | None, at: int) -> FactsResult:
    """A new result of bytes (`to_bytes`'s) whose fragment starts `at`, what they hold but the head read on
    first use: made a `_Filling` (plain stores), then given its class."""
    result = _Filling.__new__(_Filling)
    result._rows = result._fragment = result._items = result._positions = None
    result.evidence, result.recall, result._skipped, result.tally = evidence, recall, skipped, tally
    result._made_up, result._bytes, result._at = made_up, data, at
    result.__class__ = FactsResult  # type: ignore[assignment]
    return result


def _fill(result: FactsResult, rows: tuple[Row, ...], evidence: EvidenceKind, recall: float | None,
          skipped: tuple[str, ...], tally: Tally) -> None:
    """Every slot of a new result made from rows (its bytes made on first use), set as a `_Filling`
    (plain stores: 0.4 us where object.__setattr__'s calls took 1.5 us); a subclass, which may have
    another layout, the slow way."""
    if type(result) is not FactsResult:
        for slot, value in (("_rows", rows), ("evidence", evidence), ("recall", recall), ("_skipped", skipped),
                            ("tally", tally), ("_fragment", None), ("_items", None), ("_positions", None),
                            ("_made_up", None), ("_bytes", None), ("_at", 0)):
            object.__setattr__(result, slot, value)
        return
    object.__setattr__(result, "__class__", _Filling)
    result._rows, result.evidence, result.recall, result._skipped, result.tally = rows, evidence, recall, skipped, tally
    result._fragment = result._items = result._positions = result._made_up = result._bytes = None
    result._at = 0
    result.__class__ = FactsResult


class _Filling(FactsResult):
    """A FactsResult while `_fill` sets its slots: the same layout, with the default attribute stores."""

    __slots__ = ()
    __setattr__ = object.__setattr__  # type: ignore[assignment]
