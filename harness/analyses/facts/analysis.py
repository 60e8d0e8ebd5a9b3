"""Facts as a per-document analysis: each summary's figures and names checked against the
document's on-topic source (harness.analyses.facts.check), on every document that has a source.

Per document: the share of the summary's items the source supports (`precision`, none for a
summary without figures or names), the share of the references' items it states (`recall`), and
the counts of unsupported and off-topic items. Over documents (Nan et al. 2021 report both): the
macro means of precision and recall over the documents where they are defined, the summed counts,
and the micro precision (supported items over all items). A `Facts` table column shows the macro
precision and, in brackets, the unsupported and off-topic items summed.

Extraction (jieba's words and the names and figures rules, the costly part) runs once per distinct
text or sentence per process: a document's source and references once for all its summaries, a
summary's sentences once however many summaries share them (`summaries.check_summary`).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from harness.analyses.base import Column, DocumentAnalysis, DocumentInputs, HeatColumn, Mark, Summary
from harness.analyses.facts.check import RULES_VERSION, check_extracted, on_topic
from harness.analyses.facts.extraction import Extracted, PieceMemo, decode, encode, extract
from harness.analyses.facts.kept import decode_result, encode_result, pack, unpack
from harness.analyses.facts.names import preload_names
from harness.analyses.facts.names_list import NamesList, names_digest
from harness.analyses.facts.output import cell, documents_json, mean, notes, token_runs
from harness.analyses.facts.result import FactsResult
from harness.analyses.facts.summaries import Descriptions, check_summary
from harness.text.normalize import to_simplified
from harness.text.tokenizers import dictionary_digest, jieba_version

OPTION = "facts"  # DocumentInputs.options key: the user's names list (`--names FILE`), or None
_PREPARED = "facts:prepared"  # DocumentInputs.scratch key: the last document's evidence
_COLD = "facts:cold"  # DocumentInputs.scratch key: whether the cache lacked the last document's entry of results
# Extracted texts kept per process (a source is a few KB; summaries are short): enough for every
# text of a few documents, bounded however large the corpus.
_MEMO_SIZE = 4096
_NO_TEXT = bytes(16)  # in the evidence's digest where there is no off-topic text (no text's key is all zeros)


class _Evidence:
    """A document's evidence for the check: its on-topic source, off-topic text and references,
    extracted on first need. A warm run answers every summary from the persistent cache and reads
    none of them; a run with misses reads each once, from the cache's kept extractions where it can."""

    def __init__(self, doc: DocumentInputs, names: NamesList | None) -> None:
        assert doc.source is not None
        self.doc = doc
        self.stored_as = _kind(names, doc)
        self.names = names
        self.cut = doc.words_of if doc.same_words else None  # scoring's words (--unit word), else jieba's own cut
        # With --t2s every text is read as simplified, as scoring reads it: its names are then found in
        # its own (simplified) words, and match a simplified source (v5; a traditional summary's names
        # were looked for in its traditional text, not found and dropped).
        self.simplified: Callable[[str], str] = to_simplified if doc.settings.t2s else str
        # The summaries' results are kept in the persistent cache in one entry (harness.analyses.facts.kept) under
        # this kind (rules, code, names, unit), a digest of the evidence and the document's name (documents alike
        # do not share an entry's room): the number of references, then the texts' keys (16 bytes each, made once).
        key_of = doc.key_of
        evidence = hashlib.blake2b(len(doc.reference_texts).to_bytes(4, "little"), digest_size=12)
        evidence.update(key_of(doc.source))
        evidence.update(key_of(doc.offtopic) if doc.offtopic else _NO_TEXT)
        for text in doc.reference_texts.values():
            evidence.update(key_of(text))
        self.kind = f"{self.stored_as}:results"
        self.entry = f"{evidence.hexdigest()}:{doc.doc}"  # the text the entry is kept under
        self._extracted: tuple[Extracted, Extracted | None, tuple[Extracted, ...]] | None = None
        self.memo: dict[str, Any] = {}  # what the check works out once for this evidence (check_extracted)
        self._kept: dict[bytes, bytes] | None = None  # the document's entry of results (`kept`), read on first need
        self.met: dict[bytes, bytes] = {}  # this run's results of the document's summaries, by text key
        self.checked = False  # a summary was checked in this run: the entry is written again

    # What only a check needs (a warm run makes none of them): the memos of this run and process, the reader of texts.
    @cached_property
    def readings(self) -> PieceMemo:
        return self.doc.scratch.setdefault(f"{OPTION}:{self.stored_as}", {})  # type: ignore[no-any-return]

    @cached_property
    def described(self) -> Descriptions:
        return self.doc.scratch.setdefault(f"{OPTION}:{self.stored_as}:items", {})  # type: ignore[no-any-return]

    @cached_property
    def read(self) -> Reader:
        return _reader(self.names, self.doc, self.stored_as, self.cut, self.readings)

    @property
    def kept(self) -> dict[bytes, bytes]:
        """The results the persistent cache keeps for this document and evidence, by text key (`kept.unpack`)."""
        if self._kept is None:
            self._kept = unpack(self.doc.recall(self.kind, self.entry))
            self.doc.scratch[_COLD] = not self._kept
        return self._kept

    @cached_property
    def texts(self) -> tuple[str, str | None, tuple[str, ...]]:
        """What `extracted` reads: the source minus its off-topic text, that text or None, the references."""
        doc, simplified = self.doc, self.simplified
        return (simplified(on_topic(doc.source or "", doc.offtopic)), None if not doc.offtopic else simplified(doc.offtopic),
                tuple(simplified(text) for text in doc.reference_texts.values()))

    @property
    def extracted(self) -> tuple[Extracted, Extracted | None, tuple[Extracted, ...]]:
        """(on-topic source, off-topic text or None, references), each extracted once."""
        if self._extracted is None:
            # The source and the off-topic text need only their figures: a summary's names are looked
            # up in their text. The references' names count for recall.
            read = self.read
            source, offtopic, references = self.texts
            self._extracted = (read(source, find_names=False), None if offtopic is None else read(offtopic, find_names=False),
                               tuple(map(read, references)))
        return self._extracted

    def check(self, text: str) -> FactsResult:
        """A summary checked against this evidence, as the cache gives it back (`FactsResult.kept`):
        piece by piece (`summaries.check_summary`), or, for a summary with a name too long to be one,
        extracted whole and checked (`check_extracted`)."""
        source, offtopic, references = self.extracted
        text = self.simplified(text)
        found = check_summary(text, names=self.names, cut=self.cut, readings=self.readings, source=source,
                              offtopic=offtopic, references=references, memo=self.memo, described=self.described)
        if found is None:
            found = check_extracted(self.read(text, persist=False), source=source, offtopic=offtopic,
                                    references=references, memo=self.memo).kept()
        return found


Reader = Callable[..., Extracted]


def _reader(names: NamesList | None, doc: DocumentInputs, kind: str, cut: Callable[[str], Sequence[str]] | None,
            pieces: PieceMemo) -> Reader:
    """`extract` with `names`, remembered per distinct text in this process (bounded, oldest dropped first), its
    sentences' readings per run and process (`extraction.PieceMemo`), and, with `persist`, in the persistent cache
    (under the kind `_kind` makes: the rules' version, a digest of every module of the package, the names list,
    how names are cut, and whether they are read).

    The evidence (sources, off-topic texts, references) persists: a run that adds a system or changes one
    document's references reads no source again. A summary's extraction does not: its result is kept instead
    (`Facts.measure`), so a warm run extracts nothing, and the extraction is needed again only when its
    document's evidence changed, where reading a summary from its sentences' memo costs less than writing and
    reading it back would."""
    key = hash(names)
    memo: dict[tuple[str, int, bool], Extracted] = doc.scratch.setdefault(OPTION, {})

    def read(text: str, find_names: bool = True, persist: bool = True) -> Extracted:
        if not persist:  # a summary: read from its sentences' memo, and not kept (its result is)
            return extract(text, names=names, cut=cut, find=find_names, memo=pieces)
        found = memo.get((text, key, find_names))
        if found is None:
            if len(memo) >= _MEMO_SIZE:
                del memo[next(iter(memo))]
            stored_as = _extraction_kind(kind, find_names)
            kept = doc.recall(stored_as, text)
            found = None if kept is None else decode(text, kept)
            if found is None:
                found = extract(text, names=names, cut=cut, find=find_names, memo=pieces)
                doc.keep(stored_as, text, encode(found))
            memo[(text, key, find_names)] = found
        return found

    return read


def _extraction_kind(kind: str, find_names: bool) -> str:
    """The cache kind of a text's extraction: figures and names, or figures only (a source's)."""
    return f"{kind}:{'names' if find_names else 'figures'}"


def _kind(names: NamesList | None, doc: DocumentInputs) -> str:
    """The cache kind of what facts keeps: its rules, code, names list and how names are read. With
    scoring's words (--unit word) the entries' keys name jieba and its dictionary already (the scoring
    namespace); with another unit facts cuts with jieba all the same, so they are named here. Made
    once per run and process (the names list's digest hashes the whole list)."""
    made: dict[tuple[bool, bool], tuple[NamesList | None, str]] = doc.scratch.setdefault(f"{OPTION}:kind", {})
    found = made.get((doc.same_words, doc.settings.t2s))
    if found is not None and found[0] is names:
        return found[1]
    cut = "words" if doc.same_words else f"cut:jieba-{jieba_version()}:{dictionary_digest()}"
    kind = f"facts:{RULES_VERSION}:{_code_digest()}:{names_digest(names)}:{cut}{':t2s' if doc.settings.t2s else ''}"
    made[(doc.same_words, doc.settings.t2s)] = (names, kind)
    return kind


# The modules whose code decides what facts keeps: every module of this package (a changed rule, or a
# changed way of reading the evidence, must not be answered from entries made by the old code).
CODE = ("__init__.py", "analysis.py", "bounds.py", "check.py", "extraction.py", "figure.py", "figures.py", "fragment.py",
        "kept.py", "layout.py", "marks.py", "names.py", "names_list.py", "output.py", "pos_model.py", "ranges.py", "result.py",
        "summaries.py", "units.py")


@cache
def _code_digest() -> str:
    """A digest of the modules of `CODE`."""
    folder = Path(__file__).parent
    digest = hashlib.blake2b(digest_size=6)
    for name in CODE:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


class Facts(DocumentAnalysis[_Evidence, FactsResult]):
    """Figures and names of each summary against the document's source (see the module docstring)."""

    name = "facts"
    needs = "source"
    marks = (Mark("facts", ("!", "!"), "\x1b[35m", "figure or name its source does not support"),)

    def preload(self) -> None:
        """jieba's dictionary words and part-of-speech model, which the names rules read."""
        preload_names()

    def cached(self, doc: DocumentInputs) -> Mapping[str, Sequence[str]]:
        """The document's entry of results; and the evidence's extractions, which only a miss reads, unless the last
        document's entry was there (a warm run; none read yet: a run's first documents, started together in a batch,
        harness.run.document.score_batched). Listed always, they cost a warm run 2% of its instructions; never, a cold run
        two queries a document."""
        evidence = self.prepare(doc)
        wanted = {evidence.kind: [evidence.entry]}
        if doc.scratch.get(_COLD, True):  # (the kinds and texts `_reader` asks the cache for)
            source, offtopic, references = evidence.texts
            wanted[_extraction_kind(evidence.stored_as, False)] = [t for t in (source, offtopic) if t is not None]
            wanted[_extraction_kind(evidence.stored_as, True)] = list(references)
        return wanted

    def prepare(self, doc: DocumentInputs) -> _Evidence:
        """The document's evidence, made once (`cached` asked for it first)."""
        kept = doc.scratch.get(_PREPARED)
        if kept is not None and kept[0] is doc:
            return kept[1]  # type: ignore[no-any-return]
        names = doc.options.get(OPTION)
        evidence = _Evidence(doc, names if isinstance(names, NamesList) else None)
        doc.scratch[_PREPARED] = (doc, evidence)  # one slot: the next document replaces it
        return evidence

    def measure(self, prepared: _Evidence, summary: Summary) -> FactsResult:
        key = summary.analysis.key or prepared.doc.key_of(summary.text)  # (no cache: no analysis key)
        kept = prepared.met.get(key) or prepared.kept.get(key)  # (met: two systems' summaries alike)
        found = None if kept is None else decode_result(kept)
        if kept is None or found is None:
            if not prepared.checked:
                # The entry as it stands is kept before the document's first check: a cache that serves
                # only what it holds (the coordinator's probe, harness.run.distributed) refuses the write,
                # and the document goes to a worker before anything is checked here. `finish` replaces it.
                prepared.doc.keep(prepared.kind, prepared.entry, pack(prepared.met, prepared.kept))
                prepared.checked = True
            found = prepared.check(summary.text)  # as a warm run has it
            kept = encode_result(found)
        prepared.met[key] = kept
        return found

    def finish(self, prepared: _Evidence) -> None:
        """The document's entry written again when a summary was checked: this run's results first."""
        if prepared.checked:
            prepared.doc.keep(prepared.kind, prepared.entry, pack(prepared.met, prepared.kept))

    def answer(self, doc: DocumentInputs, summaries: Mapping[str, str]) -> dict[str, tuple[FactsResult, list[str]]] | None:
        """Each summary's result from the document's entry, when the entry holds all of them (a warm run)."""
        kept = self.prepare(doc).kept
        found = {}
        for system, text in summaries.items():
            data = kept.get(doc.key_of(text))
            result = None if data is None else decode_result(data)
            if result is None:
                return None
            found[system] = (result, notes(result))
        return found

    def notes(self, prepared: _Evidence, summary: Summary, result: FactsResult) -> list[str]:
        return [] if summary.computed else notes(result)  # (computed: copied from the source)

    def drill(self, prepared: _Evidence, summary: Summary, result: FactsResult | None) -> dict[str, Any]:
        """The summary's unsupported and off-topic items located on its scoring tokens: `facts`
        (every marked position, for explain) and `fact_items` (each item's positions, status and
        text, for the HTML drill-down's tooltips)."""
        if result is None:
            return {}
        tokens = summary.analysis.tokens
        items = []
        for item in result.items:
            if item.status not in ("unsupported", "offtopic"):
                continue
            wanted = prepared.doc.analyze(item.text).tokens
            at = token_runs(tokens, wanted)
            if at:
                items.append({"at": at, "status": item.status, "text": item.text})
        if not items:  # nothing to mark: no legend in explain, no outline on the page
            return {}
        return {"facts": sorted({i for item in items for i in item["at"]}), "fact_items": items}

    def explain(self, result: FactsResult | None) -> list[str]:
        if result is None:
            return []
        lines = [f"facts: {result.supported} of {len(result.items)} figures and names supported by the source"]
        for status in ("unsupported", "offtopic"):
            found = [i.text for i in result.items if i.status == status]
            if found:
                lines.append(f"  {status}: {', '.join(found)}")
        return lines

    def aggregate(self, results: Mapping[str, FactsResult]) -> dict[str, Any] | None:
        """Macro precision and recall, summed counts, micro precision; None without results."""
        if not results:
            return None
        precisions: list[float] = []  # each result's `precision` and `recall` where defined, in one pass
        recalls: list[float] = []
        supported = unsupported = offtopic = items = 0
        for result in results.values():
            found = result.tally
            supported += found[0]
            unsupported += found[1]
            offtopic += found[2]
            if result.evidence != "none":
                items += found[3]
                if found[3]:
                    precisions.append(found[0] / found[3])
            if result.recall is not None:
                recalls.append(result.recall)
        return {
            "precision": mean(precisions),
            "recall": mean(recalls),
            "unsupported": unsupported,
            "offtopic": offtopic,
            "micro_precision": supported / items if items else None,
            "items": items,
        }

    def to_json(self, results: Mapping[str, FactsResult], *, per_document: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"facts": self.aggregate(results)}
        if per_document:
            out["facts_documents"] = documents_json(results)
        return out

    def validate(self, entry: Mapping[str, Any], fail: Callable[[str, str], Exception]) -> None:
        found = entry.get("facts")
        if found is None:
            return
        if not isinstance(found, dict):
            raise fail(".facts", "must be an object")
        for key in ("precision", "recall", "micro_precision"):
            value = found.get(key)
            if value is not None and not (isinstance(value, (int, float)) and not isinstance(value, bool)
                                          and math.isfinite(value) and 0.0 <= value <= 1.0):
                raise fail(f".facts.{key}", "must be null or a number in [0, 1]")
        for key in ("unsupported", "offtopic"):
            if not (isinstance(found.get(key), int) and not isinstance(found.get(key), bool) and found[key] >= 0):
                raise fail(f".facts.{key}", "must be a whole number")

    def columns(self, systems: Sequence[Mapping[str, FactsResult]]) -> list[Column]:
        return [Column("Facts", [cell(self.aggregate(s)) for s in systems])]

    def heat(self, systems: Sequence[Mapping[str, FactsResult]]) -> list[HeatColumn]:
        found = [self.aggregate(s) for s in systems]
        shades = [None if f is None or f["precision"] is None else f["precision"] for f in found]
        return [HeatColumn(
            "Facts", shades, [cell(f) for f in found],
            [None if f is None else f"{f['unsupported']} unsupported, {f['offtopic']} off-topic" for f in found], 200,
            "Facts: share of the summaries' figures and names the source supports; in brackets the unsupported "
            "and off-topic ones.",
        )]

    def ranking(self, systems: Sequence[Mapping[str, FactsResult]]) -> list[Column]:
        """Facts precision (the macro mean over documents, x 100), "-" where no summary had an item."""
        found = [self.aggregate(s) for s in systems]
        if all(f is None or f["precision"] is None for f in found):
            return []
        return [Column("Facts precision", ["-" if f is None or f["precision"] is None else f"{100 * f['precision']:.1f}"
                                           for f in found])]

    def gate_values(self, entry: Mapping[str, Any]) -> dict[str, float]:
        found = entry.get("facts")
        if not isinstance(found, dict) or found.get("precision") is None:
            return {}
        return {"facts": float(found["precision"])}

    def gate_documents(self, entry: Mapping[str, Any]) -> list[tuple[str, int, list[str]]]:
        """Per document of a system's JSON entry: (document, unsupported + off-topic items, their texts)."""
        out = []
        for doc, found in sorted(entry.get("facts_documents", {}).items()):
            bad = [i["text"] for kind in ("figures", "names") for i in found.get(kind, ())
                   if i.get("status") in ("unsupported", "offtopic")]
            out.append((doc, len(bad), bad))
        return out

    def signature(self, documents_with_input: int, settings: Any, options: Mapping[str, Any]) -> dict[str, str]:
        if not documents_with_input:
            return {}
        names = options.get(OPTION)
        listed = names_digest(names if isinstance(names, NamesList) else None)
        return {"facts": RULES_VERSION if listed == "none" else f"{RULES_VERSION}+names-{listed}"}
