"""The one interface of a per-document analysis, and what the pipeline hands it.

An analysis looks at each summary of a document beside what else the document offers (its
references, source, off-topic text, themes) and gives a small typed result per summary, with
no effect on any ROUGE number. It says, in one class:

- `name`, the registry key and the JSON key of its per-document results; `needs`, the input a
  document must have for it to run (`"source"`, `"offtopic"`, `"themes"`, `"conventions"`
  for a `--convention all` run, or None for always);
- per document (run in the workers, so the results must pickle): `prepare` once, then
  `measure` each summary, `missing` for a system without a summary, and `notes` (warnings),
  and `finish` once all are measured; or, where the persistent cache holds every summary's
  result, `answer` (asked by the main process as it hands documents out to the workers);
- over documents: `aggregate` (what a system's row shows), `to_json` (its keys in the JSON
  contract) and `validate` (a stored baseline's copy), `columns` (the table), `heat` (the HTML
  report's map), `ranking` (its ranked table), `gate_values` (what `harness check` floors may
  test), `signature` (its part of the signature), `remarks` (lines under the table and in the
  HTML report), and `drill` (what explain and the HTML drill-down mark in a summary).

The pipeline, the JSON contract, the table, the HTML report, explain and the gate loop over the
registry (harness.analyses.registry); none of them names an analysis.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, Generic, TypeVar

from harness.inputs.corpus import Theme
from harness.rouge.scoring import Score
from harness.rouge.settings import Settings
from harness.text.analysed import AnalysedText

P = TypeVar("P")  # what `prepare` gives for one document
R = TypeVar("R")  # one summary's result


class RawJSON:
    """Compact JSON text of one value, made by an analysis (`to_json` may give its per-document
    values so), as UTF-8 bytes: the contract writer copies them into the output as they are, and
    `to_json_obj` reads them back into objects. They must be what `json.dumps(value,
    ensure_ascii=False, separators=(",", ":"))` writes, encoded, so both ways give the same bytes (a
    str given is encoded). Not a str: an encoder that does not know it refuses it (TypeError) rather
    than writing it as a string."""

    __slots__ = ("data",)

    def __init__(self, data: bytes | str) -> None:
        self.data = data.encode("utf-8") if isinstance(data, str) else data

    def __repr__(self) -> str:
        return f"RawJSON({self.data!r})"


def text_digest(text: str) -> bytes:
    """A 16-byte digest of `text` (`DocumentInputs.key_of` without the pipeline's processors)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def offers(need: str | None, *, source: bool, offtopic: bool, themes: bool, settings: Settings) -> bool:
    """Whether a document with these inputs offers what an analysis `needs` (None: always)."""
    if need is None:
        return True
    return {"source": source, "offtopic": offtopic, "themes": themes, "conventions": settings.convention == "all"}[need]


@dataclass
class DocumentInputs:
    """What one document offers its analyses, built once per document by the pipeline."""

    doc: str
    reference_texts: Mapping[str, str]
    references: Mapping[str, AnalysedText]  # by the scoring processor, in reference order
    settings: Settings
    analyze: Callable[[str], AnalysedText]  # the scoring processor (cached)
    analyze_words: Callable[[str], AnalysedText]  # jieba words with the same normalisation (cached)
    same_words: bool  # the scoring unit is words: analyze and analyze_words agree
    source: str | None = None
    offtopic: str | None = None
    themes: Sequence[Theme] = ()
    options: Mapping[str, Any] = field(default_factory=dict)  # per-analysis options, by analysis name
    # The persistent cache, for what an analysis computes per distinct text: recall(kind, text) gives
    # the bytes kept for it under `kind` (the analysis's rules and options) or None.
    recall: Callable[[str, str], bytes | None] = lambda _kind, _text: None
    keep: Callable[[str, str, bytes], None] = lambda _kind, _text, _value: None
    # Per-process, per-run memory an analysis may use across documents (by analysis name). What
    # it keeps must never change an output with how the documents are spread over processes.
    scratch: dict[str, Any] = field(default_factory=dict)
    summaries: Sequence[str] = ()  # every system's summary of this document (the --baselines rows aside)
    # A key of a text (16 bytes, equal only for equal texts): the one the persistent cache files it
    # under when one is used, made once per document whichever asks first.
    key_of: Callable[[str], bytes] = text_digest
    # The word processor's tokens of any piece of text, from its memo of recent sentences (no cache);
    # None: an analysis cuts the text itself.
    words_of: Callable[[str], Sequence[str]] | None = None

    @cached_property
    def source_analysis(self) -> AnalysedText | None:
        """The source by the scoring processor (once per document, whichever analysis asks first)."""
        return None if self.source is None else self.analyze(self.source)

    def has(self, need: str | None) -> bool:
        """Whether this document offers `need` (an analysis's `needs`)."""
        return offers(need, source=self.source is not None, offtopic=self.offtopic is not None,
                      themes=bool(self.themes), settings=self.settings)


@dataclass(frozen=True)
class Summary:
    """One system's summary of the document, as scoring analysed it."""

    system: str
    text: str
    analysis: AnalysedText
    computed: bool = False  # a row made from the source by --baselines (extractive by construction)
    scores: Mapping[str, Score] = field(default_factory=dict)  # its ROUGE on this document, when scored


@dataclass(frozen=True)
class Column:
    """One table column: its header and one cell per system (in the order given)."""

    header: str
    cells: list[str]


@dataclass(frozen=True)
class HeatColumn:
    """One column of the HTML report's map: per system a shade (0-1, None for '-'), its text and
    a tooltip; `hue` picks the colour."""

    header: str
    shades: list[float | None]
    texts: list[str]
    titles: list[str | None]
    hue: int
    note: str


@dataclass(frozen=True)
class Mark:
    """How `harness explain` marks the tokens an analysis lists under `key` in its `drill`: around
    each such token `plain` (without colour) or the ANSI style `color`; `legend` says what it means."""

    key: str
    plain: tuple[str, str]
    color: str
    legend: str


class DocumentAnalysis(Generic[P, R]):
    """Base class of an analysis (see the module docstring); the defaults do nothing."""

    name: ClassVar[str]
    needs: ClassVar[str | None] = None
    on_request: ClassVar[bool] = False  # table columns only when asked for by name (`--stats`)
    marks: ClassVar[tuple[Mark, ...]] = ()  # what `drill` lists as token positions, for explain

    def preload(self) -> None:
        """Load what measuring needs (tables, models) into this process: called in the parent,
        before workers fork, on a run that will compute, so that they share one copy."""

    # --- per document, in the workers ---
    def cached(self, doc: DocumentInputs) -> Mapping[str, Sequence[str]]:
        """The persistent cache's entries `prepare` and `measure` will most likely ask `doc.recall`
        for, as {kind: texts}: the pipeline reads them in the same query as the document's texts
        (an entry not listed is read with a query of its own when asked for)."""
        return {}

    def prepare(self, doc: DocumentInputs) -> P:
        """What every summary of `doc` is measured against, built once."""
        raise NotImplementedError

    def measure(self, prepared: P, summary: Summary) -> R:
        """The result for one summary."""
        raise NotImplementedError

    def missing(self, prepared: P) -> R | None:
        """The result for a system with no summary of this document (None: no result)."""
        return None

    def notes(self, prepared: P, summary: Summary, result: R) -> list[str]:
        """Warnings about one summary (each names system and document)."""
        return []

    def answer(self, doc: DocumentInputs, summaries: Mapping[str, str]) -> dict[str, tuple[R, list[str]]] | None:
        """Each summary's result and notes (as `measure` and `notes` give them), by system, when the persistent
        cache holds every one of them, read without the document's work (`doc.references` is empty: no text
        is analysed); else None (the default: never). Results that cost more to send between processes than
        to read (facts', about 1 KB each) are then read where they are written: with worker processes and a
        cache, and without --baselines, the main process asks a document's last analysis as it hands the
        document out (harness.run.answers; none after a first document not answered), and where it answered
        the worker runs none of the analysis's steps (`prepare`, `measure`, `notes`, `finish`). Only an
        analysis with no result for a missing summary (`missing` not overridden) is asked."""
        return None

    def finish(self, prepared: P) -> None:
        """Called once every summary of the document is measured (not after an error stopped it):
        what the analysis keeps per document in the persistent cache (`DocumentInputs.keep`) is
        written here."""

    def drill(self, prepared: P, summary: Summary, result: R | None) -> dict[str, Any]:
        """What explain and the HTML drill-down show of one summary: JSON-ready values; token
        marks as positions into the summary's scoring tokens."""
        return {}

    def explain(self, result: R | None) -> list[str]:
        """Lines `harness explain` prints about one summary's result (after its marked tokens)."""
        return []

    # --- over documents: results are {document: result}, documents in order ---
    def aggregate(self, results: Mapping[str, R]) -> Any:
        """A system's value over its documents (None when it has no result)."""
        return None

    def to_json(self, results: Mapping[str, R], *, per_document: bool = True) -> dict[str, Any]:
        """The keys this analysis adds to a system's entry of the JSON contract (results non-empty);
        without `per_document`, only the system-level ones (a trimmed contract). A key's value may
        be a dict of `RawJSON` texts (by document), or one `RawJSON` text of the whole value, which
        the writer copies as they are."""
        return {}

    def validate(self, entry: Mapping[str, Any], fail: Callable[[str, str], Exception]) -> None:
        """Check a stored system entry's keys of this analysis; raise `fail(where, problem)`."""

    def columns(self, systems: Sequence[Mapping[str, R]]) -> list[Column]:
        """Table columns, one cell per system (systems given by their results); none when no
        system has a result."""
        return []

    def heat(self, systems: Sequence[Mapping[str, R]]) -> list[HeatColumn]:
        """Columns of the HTML report's map, as `columns`."""
        return []

    def ranking(self, systems: Sequence[Mapping[str, R]]) -> list[Column]:
        """Columns of the HTML report's ranked table (its headline value: one column, two at most),
        as `columns`; none when no system has a result."""
        return []

    def document_values(self, result: R | None) -> list[float | None]:
        """Values of one document in the HTML report's per-document table (`document_headers`)."""
        return []

    def document_headers(self, systems: Sequence[Mapping[str, R]]) -> list[str]:
        """Headers of this analysis's columns in the HTML per-document table."""
        return []

    def remarks(self, systems: Sequence[tuple[str, Mapping[str, R]]]) -> list[str]:
        """Lines shown under the table and in the HTML report, from each (system name, results)."""
        return []

    def gate_values(self, entry: Mapping[str, Any]) -> dict[str, float]:
        """From a system's JSON entry, the values a `harness check` floor may test, by floor name."""
        return {}

    def gate_documents(self, entry: Mapping[str, Any]) -> list[tuple[str, int, list[str]]]:
        """From a system's JSON entry, per document: (document, count of bad items, their texts), for
        `harness check --max-unsupported` (empty: this analysis offers no such count)."""
        return []

    def signature(self, documents_with_input: int, settings: Settings, options: Mapping[str, Any]) -> dict[str, str]:
        """This analysis's signature fields, given how many documents it ran on and the run's options."""
        return {}


AnyAnalysis = DocumentAnalysis[Any, Any]  # what the registry holds: each analysis with its own types
