"""One summary's checked figures and names (facts rules, docs/facts.md): each item with its status and evidence,
and the forms a result takes in the persistent cache, between processes and in the JSON contract.

A result made by the check holds its items as plain rows (`Row`). The JSON contract's entry of it
(`fragment`, compact JSON text) is written from the rows once, and the persistent cache keeps that
text with a short header (`to_bytes`): a warm run reads the text back and writes it into the
contract as it is (`harness.results.jsontext`), and builds rows or items only when something asks
for them (explain, the HTML drill-down, the API)."""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Sequence
from decimal import Decimal
from json.encoder import encode_basestring  # the C encoder of one string, as json.dumps(ensure_ascii=False) uses
from typing import Any, Literal, NamedTuple

from harness.analyses.facts.fragment import fragment_text, item_json, value_text

Status = Literal["supported", "offtopic", "unsupported", "unchecked"]
EvidenceKind = Literal["source", "references", "none"]
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


Row = tuple[ItemKind, str, int, int, Status, "str | None", "str | None", "str | None"]
"""One item as plain values: kind, text, start, end, status, evidence, value (as the JSON contract
writes it, a plain decimal string; None for a name) and unit."""

def _place(row: Row) -> tuple[int, bool]:
    """Rows' order: by position, a figure before a name at the same place (as the check makes them)."""
    return row[2], row[0] == "name"


class FactsResult:
    """Every item of one summary with its status, where the evidence came from, and the recall.

    Made by the check from rows, or read back from the cache or a worker as the bytes `to_bytes`
    writes (a head, then the contract's text, `fragment`); the other form is made on first use."""

    __slots__ = ("_bytes", "_fragment", "_items", "_made_up", "_positions", "_rows", "_skipped", "evidence", "recall",
                 "tally")
    evidence: EvidenceKind
    recall: float | None  # share of the references' figures and names the summary states
    tally: tuple[int, int, int, int]  # (supported, unsupported, offtopic, items)
    _rows: tuple[Row, ...] | None
    _skipped: tuple[str, ...] | None
    _bytes: bytes | None
    _fragment: str | None
    _items: tuple[FactItem, ...] | None
    _positions: tuple[int, ...] | None
    _made_up: tuple[tuple[str, ...], tuple[str, ...]] | None

    def __init__(self, items: Sequence[FactItem], evidence: EvidenceKind, recall: float | None,
                 skipped: Sequence[str] = ()) -> None:
        rows = tuple(sorted(((i.kind, i.text, i.start, i.end, i.status, i.evidence,
                              None if i.value is None else value_text(i.value), i.unit) for i in items), key=_place))
        self._from_rows(rows, evidence, recall, tuple(skipped))

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]], evidence: EvidenceKind, recall: float | None,
                  skipped: Sequence[str] = ()) -> FactsResult:
        """The result of these rows (as `rows` holds them, or lists of the same values), in any order."""
        result = cls.__new__(cls)
        result._from_rows(tuple(sorted(map(tuple, rows), key=_place)), evidence, recall, tuple(skipped))
        return result

    def _from_rows(self, rows: tuple[Row, ...], evidence: EvidenceKind, recall: float | None,
                   skipped: tuple[str, ...]) -> None:
        statuses = [row[4] for row in rows]
        tally = (statuses.count("supported"), statuses.count("unsupported"), statuses.count("offtopic"), len(rows))
        _fill(self, rows, evidence, recall, skipped, tally, None, None, None)

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
                positions = struct.unpack_from(f"<{2 * self.tally[3]}I", data, _HEAD.size)  # (`_parts`)
            found: list[Row] = []
            for i, item in enumerate(entry["figures"]):
                found.append(("figure", item["text"], positions[2 * i], positions[2 * i + 1], item["status"],
                              item["evidence"], item["value"], item["unit"]))
            for i, item in enumerate(entry["names"], start=len(found)):
                found.append(("name", item["text"], positions[2 * i], positions[2 * i + 1], item["status"],
                              item["evidence"], None, None))
            rows = tuple(sorted(found, key=_place))
            self._set("_rows", rows)
        return rows

    @property
    def items(self) -> tuple[FactItem, ...]:
        """Every item, in order of position in the summary."""
        items: tuple[FactItem, ...] | None = self._items
        if items is None:
            items = tuple(FactItem(kind, text, start, end, status, evidence, None if value is None else Decimal(value), unit)
                          for kind, text, start, end, status, evidence, value, unit in self.rows)
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
        texts_at, fragment_at = _parts(data)
        return json.loads(data[texts_at:fragment_at])  # type: ignore[no-any-return]

    @property
    def fragment(self) -> str:
        """The JSON contract's entry of this summary, compact: `{"precision", "recall", "unsupported",
        "offtopic", "figures": [{"text", "status", "evidence", "value", "unit"}], "names": [{"text",
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
            for kind, item, start, end, status, evidence, value, unit in self.rows:
                entries, spans = (figures, at) if kind == "figure" else (names, at_names)
                entries.append(item_json(kind, item, status, evidence, value, unit))
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
        return self.fragment.encode("utf-8") if data is None else memoryview(data)[_parts(data)[1]:]

    def to_bytes(self) -> bytes:
        """The result as the persistent cache keeps it and workers send it (see `_HEAD`)."""
        if self._bytes is not None:
            return self._bytes
        fragment = self.fragment  # made from the rows: the positions with it
        positions = self._positions
        assert positions is not None
        data = _packed(self.evidence, self.recall, self.tally, positions, self.skipped, *self.made_up,
                       fragment.encode("utf-8"))
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
        """`to_bytes`'s result back; ValueError (or struct.error) when it is not what `to_bytes`
        writes: a head of known values (a recall of none, or finite in [0, 1] and whole when kept as a
        whole number) whose unsupported and off-topic counts the fragment's head states too, texts of
        the right types and number, and a fragment that starts and ends as `fragment` writes it.
        Nothing here reads the whole fragment (its UTF-8, its status keys; nor are the supported
        count and the number of items compared with it): the bytes come from the cache's file past its
        CRC-32 over key and value, which finds a damaged entry first as for every entry, or from this
        run's own writes. Scanning them again cost a warm 10 x 1,000 run 5-9 us a summary. The
        fragment stays in `data` until it is written."""
        magic, evidence, recall_type, recall, supported, unsupported, offtopic, items, size = _HEAD.unpack_from(data)
        texts_at = _HEAD.size + 8 * items  # (`_parts`, with the head read once)
        fragment_at = texts_at + size
        head = _FRAGMENT_HEAD.match(data, fragment_at)  # up to the unsupported count, compared below
        if recall_type == 1:  # a float, finite in [0, 1] (NaN fails too)
            known = 0.0 <= recall <= 1.0
        elif recall_type == 2:  # a whole number, as json writes 1 and 0
            known = recall == 0.0 or recall == 1.0
            recall = int(recall) if known else None
        else:  # none
            known = recall_type == 0 and recall == 0.0
            recall = None
        if (not known or magic != _MAGIC or evidence >= len(_EVIDENCE) or supported + unsupported + offtopic > items
                or head is None or not data.endswith(b"]}")
                or not data.startswith(b'%d,"offtopic":%d,"figures":[' % (unsupported, offtopic), head.end())):
            raise ValueError("not a facts result")
        if size:
            texts = json.loads(data[texts_at:fragment_at])
            if not (type(texts) is list and len(texts) == 3 and all(map(_strings, texts))
                    and len(texts[1]) == unsupported and len(texts[2]) == offtopic):
                raise ValueError("not a facts result")
            skipped, made_up, carried = map(tuple, texts)
            return _read(data, _EVIDENCE[evidence], recall, skipped, (supported, unsupported, offtopic, items),
                         (made_up, carried))
        if unsupported or offtopic:
            raise ValueError("not a facts result")
        return _read(data, _EVIDENCE[evidence], recall, (), (supported, unsupported, offtopic, items), _NONE_MADE_UP)


def _packed(evidence: EvidenceKind, recall: float | None, tally: tuple[int, int, int, int], positions: Sequence[int],
            skipped: Sequence[str], made_up: Sequence[str], carried: Sequence[str], fragment: bytes) -> bytes:
    """The bytes of `to_bytes` (see `_HEAD`)."""
    # The texts as json.dumps([skipped, made_up, carried], ensure_ascii=False, separators=(",", ":"))
    # writes them, without its encoder made anew per call.
    texts = b"" if not (skipped or made_up or carried) else (
        "[" + ",".join("[" + ",".join(map(encode_basestring, part)) + "]" for part in (skipped, made_up, carried))
        + "]").encode("utf-8")
    recall_type = 0 if recall is None else 2 if isinstance(recall, int) else 1  # json writes a whole number as 1
    head = _HEAD.pack(_MAGIC, _EVIDENCE.index(evidence), recall_type, 0.0 if recall is None else float(recall),
                      *tally, len(texts))
    return b"".join((head, struct.pack(f"<{len(positions)}I", *positions), texts, fragment))


def assembled(figures: Sequence[str], names: Sequence[str], positions: Sequence[int], tally: tuple[int, int, int, int],
              recall: float | None, made_up: tuple[str, ...], carried: tuple[str, ...]) -> FactsResult:
    """The result, checked against a source, whose items are already the fragment's (`item_json`, figures
    and names in order of position), `positions` their spans (figures first), `tally` their statuses'
    counts and `made_up` and `carried` the texts of the unsupported and off-topic ones in order of
    position: as `kept()` of the result `FactsResult.from_rows` makes of the same items."""
    items = tally[3]
    fragment = fragment_text(tally[0] / items if items else None, recall, tally[1], tally[2], figures, names)
    data = _packed("source", recall, tally, positions, (), made_up, carried, fragment.encode("utf-8"))
    return _read(data, "source", recall, (), tally, (made_up, carried))


# The bytes of a result (`to_bytes`), read by a warm run once per summary and sent from the workers:
# a fixed head that one struct call reads (magic, evidence, the recall's type and value, the tally,
# the length of the texts), the items' positions in the fragment's order (two uint32 each), the texts
# (skipped items, unsupported and off-topic ones) as JSON when there are any, then the fragment.
_HEAD = struct.Struct("<cBBd5I")
_MAGIC = b"R"
_EVIDENCE: tuple[EvidenceKind, ...] = ("source", "references", "none")
_RECALL_TYPES: tuple[type, ...] = (type(None), float, int)


def _parts(data: bytes) -> tuple[int, int]:
    """Where the texts and where the fragment start in `to_bytes`'s bytes."""
    head = _HEAD.unpack_from(data)
    texts_at = _HEAD.size + 8 * head[7]
    return texts_at, texts_at + head[8]


def _unchecked(data: bytes) -> FactsResult:
    """The result of bytes `to_bytes` wrote (or `from_bytes` checked): the head read, the rest on first use."""
    _, evidence, recall_type, recall, supported, unsupported, offtopic, items, size = _HEAD.unpack_from(data)
    return _read(data, _EVIDENCE[evidence], _RECALL_TYPES[recall_type](recall) if recall_type else None,
                 None if size else (), (supported, unsupported, offtopic, items), None if size else _NONE_MADE_UP)


_NONE_MADE_UP: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())


def _read(data: bytes, evidence: EvidenceKind, recall: float | None, skipped: tuple[str, ...] | None,
          tally: tuple[int, int, int, int], made_up: tuple[tuple[str, ...], tuple[str, ...]] | None) -> FactsResult:
    """A new result of bytes (`to_bytes`'s), what they hold but the head read on first use."""
    result = FactsResult.__new__(FactsResult)
    _fill(result, None, evidence, recall, skipped, tally, None, made_up, data)
    return result


def _fill(result: FactsResult, rows: tuple[Row, ...] | None, evidence: EvidenceKind, recall: float | None,
          skipped: tuple[str, ...] | None, tally: tuple[int, ...], positions: tuple[int, ...] | None,
          made_up: tuple[tuple[str, ...], tuple[str, ...]] | None, data: bytes | None) -> None:
    """Every slot of a new result (from rows, or from bytes: the other form None, and what the bytes
    hold read on first use), set as a `_Filling` (plain stores: 0.4 us where object.__setattr__'s
    ten calls took 1.5 us); a subclass, which may have another layout, the slow way."""
    if type(result) is not FactsResult:
        for slot, value in (("_rows", rows), ("evidence", evidence), ("recall", recall), ("_skipped", skipped),
                            ("tally", tally), ("_fragment", None), ("_items", None), ("_positions", positions),
                            ("_made_up", made_up), ("_bytes", data)):
            object.__setattr__(result, slot, value)
        return
    object.__setattr__(result, "__class__", _Filling)
    result._rows, result.evidence, result.recall, result._skipped, result.tally = rows, evidence, recall, skipped, tally  # type: ignore[assignment]
    result._fragment, result._items, result._positions, result._made_up, result._bytes = None, None, positions, made_up, data
    result.__class__ = FactsResult


class _Filling(FactsResult):
    """A FactsResult while `_fill` sets its slots: the same layout, with the default attribute stores."""

    __slots__ = ()
    __setattr__ = object.__setattr__  # type: ignore[assignment]


_FRAGMENT_HEAD = re.compile(rb'\{"precision":[^,]*,"recall":[^,]*,"unsupported":')


def _strings(values: object) -> bool:  # a JSON list of strings
    return isinstance(values, list) and all(type(v) is str for v in values)

