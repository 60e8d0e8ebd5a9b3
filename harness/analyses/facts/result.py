"""One summary's checked figures and names (facts rules v1): each item with its status and evidence,
and the form results are kept in the persistent cache and sent back from workers in."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal, NamedTuple

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
"""One item as plain values: kind, text, start, end, status, evidence, value (its decimal string,
None for a name) and unit. What the persistent cache and the workers' results hold."""


class FactsResult:
    """Every item of one summary with its status, where the evidence came from, and the recall.

    Held as plain rows (`Row`), the form the cache keeps and workers send back; `items` builds the
    FactItems (Decimal values) on first use. A warm run, which only counts, writes JSON and names
    the unsupported items, never builds one: building them took most of the time facts added there."""

    __slots__ = ("_items", "evidence", "recall", "rows", "skipped", "tally")
    rows: tuple[Row, ...]
    evidence: EvidenceKind
    recall: float | None  # share of the references' figures and names the summary states
    skipped: tuple[str, ...]
    tally: tuple[int, int, int]  # (supported, unsupported, offtopic), counted once
    _items: tuple[FactItem, ...] | None

    def __init__(self, items: Sequence[FactItem], evidence: EvidenceKind, recall: float | None,
                 skipped: Sequence[str] = ()) -> None:
        rows = tuple((i.kind, i.text, i.start, i.end, i.status, i.evidence, None if i.value is None else str(i.value),
                      i.unit) for i in items)
        self._set(rows, evidence, recall, tuple(skipped), tuple(items))

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]], evidence: EvidenceKind, recall: float | None,
                  skipped: Sequence[str] = ()) -> FactsResult:
        """The result of these rows (as `rows` holds them, or lists of the same values)."""
        result = cls.__new__(cls)
        result._set(tuple(map(tuple, rows)), evidence, recall, tuple(skipped), None)
        return result

    def _set(self, rows: tuple[Row, ...], evidence: EvidenceKind, recall: float | None, skipped: tuple[str, ...],
             items: tuple[FactItem, ...] | None) -> None:
        statuses = [row[4] for row in rows]
        for slot, value in (("rows", rows), ("evidence", evidence), ("recall", recall), ("skipped", skipped),
                            ("tally", (statuses.count("supported"), statuses.count("unsupported"),
                                       statuses.count("offtopic"))), ("_items", items)):
            object.__setattr__(self, slot, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"FactsResult is immutable (cannot set {name!r})")

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its rows: results travel back from every worker, and pickling each item and
        # Decimal as an object took 0.8 s for 10,000 results.
        return (FactsResult.from_rows, (self.rows, self.evidence, self.recall, self.skipped))

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
    def items(self) -> tuple[FactItem, ...]:
        """Every item, in order of position in the summary."""
        items: tuple[FactItem, ...] | None = self._items
        if items is None:
            items = tuple(FactItem(kind, text, start, end, status, evidence, None if value is None else Decimal(value), unit)
                          for kind, text, start, end, status, evidence, value, unit in self.rows)
            object.__setattr__(self, "_items", items)
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
        if not self.rows or self.evidence == "none":
            return None
        return self.supported / len(self.rows)


def encode_result(result: FactsResult) -> bytes:
    """`result` as bytes for the persistent cache (JSON)."""
    return json.dumps([result.rows, result.evidence, result.recall, list(result.skipped)], ensure_ascii=False).encode("utf-8")


def decode_result(data: bytes) -> FactsResult | None:
    """`encode_result`'s bytes back into the FactsResult; None when they are not what it writes."""
    try:
        rows, evidence, recall, skipped = json.loads(data.decode("utf-8"))
        if not all(isinstance(row, list) and len(row) == 8 for row in rows):
            return None
        return FactsResult.from_rows(rows, evidence, recall, skipped)
    except (ValueError, TypeError, IndexError, ArithmeticError):
        return None
