"""Stages 1-3 for one document: analyse its texts, score every (summary, reference) pair, combine
the references, and run every registered analysis (harness.analyses.registry) on each summary.

A pure function of the document's texts and the settings: what `harness.run.executors` spreads
over processes, in chunks of documents (`score_chunk`, a plain function with its data), each chunk
in batches whose pairs are scored before their analyses run (`score_batched`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from harness.analyses.base import AnyAnalysis, DocumentInputs, Summary
from harness.analyses.extractive import ORACLE, lead, lead_size, oracle, row_name, scorable, source_sentences
from harness.analyses.registry import registered
from harness.inputs.corpus import Corpus
from harness.results.model import DocumentResult
from harness.rouge import cost
from harness.rouge.conventions import pick_reference
from harness.rouge.cost import check_pair
from harness.rouge.multiref import combine_references
from harness.rouge.scoring import Score
from harness.rouge.settings import Settings
from harness.run.cache import Cache
from harness.run.processors import Given, Processors
from harness.text.analysed import AnalysedText
from harness.text.normalize import han_ratio_changed_by_t2s
from harness.text.tokenizers import take_warnings


@dataclass
class DocumentScores:
    """What stages 1-3 give for one document: a result per system, and warnings about the
    document (`general`) and about each system's summary (`by_system`)."""

    results: dict[str, DocumentResult]
    general: list[str]
    by_system: dict[str, list[str]]


# A candidate is "mostly traditional" when t2s would change this share of its Han characters;
# simplified text changes under 1% (measured on the shipped references: 0%).
_TRADITIONAL_SHARE = 0.10


def _traditional(text: str, analysed: AnalysedText, processors: Processors) -> bool:
    if processors.keeps_in_t2s(text, analysed):  # the common case: OpenCC's C++ alone, or the cache
        return False
    han, changed = han_ratio_changed_by_t2s(text)
    return han >= 10 and changed / han >= _TRADITIONAL_SHARE


def baseline_texts(
    source: str, offtopic: str | None, references: Mapping[str, AnalysedText], processors: Processors, doc: str = "",
) -> dict[str, str]:
    """The text of each --baselines row for one document, by row name (harness.analyses.extractive);
    InputError, as for any summary, when a row is longer than `cost.MAX_SCORED_CHARS`. Checked here,
    once made: a row is sentences of the source one per line, so even a source within the limit
    can make a longer one, and which sentences count is known only once the source is tokenized."""
    settings = processors.settings
    sentences = scorable(source_sentences(source, offtopic, t2s=settings.t2s), processors.main.sentences)
    rows: dict[str, str] = {}
    for name in processors.baselines:
        if name == ORACLE:
            picked = oracle([tokens for _, tokens in sentences], list(references.values()), settings.multiref)
            rows[row_name(name)] = "\n".join(sentences[i][0] for i in picked)
        else:
            rows[row_name(name)] = lead([text for text, _ in sentences], lead_size(name))
    too_long = [f"system {name!r}, document {doc!r} ({len(text):,})" for name, text in rows.items()
                if len(text) > cost.MAX_SCORED_CHARS]
    if too_long:
        raise cost.too_long(f"{'; '.join(too_long)}, {'a --baselines row' if len(too_long) == 1 else '--baselines rows'} "
                            "made from its source")
    return rows


def document_inputs(
    doc: str, references: Mapping[str, str], refs: Mapping[str, AnalysedText], processors: Processors, *,
    source: str | None, offtopic: str | None, themes: Any, summaries: Sequence[str] = (),
) -> DocumentInputs:
    """What the analyses see of one document, analysed by `processors` (cached)."""
    return DocumentInputs(
        doc=doc, reference_texts=references, references=refs, settings=processors.settings,
        analyze=processors.analyze, analyze_words=lambda text: processors.analyze(text, words=True),
        same_words=processors.words is processors.main, source=source, offtopic=offtopic, themes=tuple(themes),
        options=processors.options, recall=processors.recall, keep=processors.keep, scratch=processors.scratch,
        summaries=tuple(summaries), words_of=processors.words_of, key_of=processors.key_of,
    )


def running(inputs: DocumentInputs, skip: frozenset[str] = frozenset()) -> list[AnyAnalysis]:
    """Each registered analysis that runs on this document (and is not in `skip`), in registration order."""
    return [a for a in registered() if a.name not in skip and inputs.has(a.needs)]


def prepared_analyses(inputs: DocumentInputs, skip: frozenset[str] = frozenset()) -> list[tuple[AnyAnalysis, Any]]:
    """Each registered analysis that runs on this document (and is not in `skip`), with what it prepared."""
    return [(a, a.prepare(inputs)) for a in running(inputs, skip)]


# A summary whose pairs are scored: the Summary the analyses see, its combined and per-reference
# scores, and its notes so far.
_Scored = tuple[Summary, dict[str, Score], dict[str, dict[str, Score]], list[str]]
# The analyses run once the document's pairs are scored, each over all the waiting summaries before
# the next, not in turn with each summary's pairs: each one's memos and tables then stay in the
# processor's caches while it runs (docs/performance.md, the fourteenth round). Summaries wait
# together up to this many characters (a document's are a few thousand), so that a hundred
# summaries of 500,000 characters do not keep all their analyses at once.
_WAITING_CHARS = 200_000


def score_document(
    doc: str,
    references: Mapping[str, str],
    candidates: Mapping[str, str | None],
    offtopic: str | None,
    processors: Processors,
    source: str | None = None,
    *,
    themes: Any = (),
) -> DocumentScores:
    """Stages 1-3 for one document: analyse its texts, score every pair, combine references;
    with a source, add the --baselines rows; then every registered analysis on every summary
    (no effect on any score)."""
    return finish_document(start_document(doc, references, candidates, offtopic, processors, source, themes=themes))


@dataclass
class PendingDocument:
    """A document whose pairs are scored and whose analyses are still to run (`finish_document`)."""

    doc: str
    analyses: list[tuple[AnyAnalysis, Any]]
    scored: list[_Scored]  # the summaries the analyses have not measured yet
    results: dict[str, DocumentResult]
    by_system: dict[str, list[str]]
    general: list[str]
    systems: list[str]  # the candidates' order, which the results keep
    chars: int  # the characters of the document's texts, source included (what a batch of pending documents holds)


def finish_document(pending: PendingDocument) -> DocumentScores:
    """The analyses of a started document on its waiting summaries, then its scores."""
    doc, analyses, results = pending.doc, pending.analyses, pending.results
    _analyse(doc, analyses, pending.scored, results, pending.by_system)
    for analysis, prepared in analyses:
        analysis.finish(prepared)
    if list(results) != pending.systems:  # a system without a summary, or analysed in a later batch
        results = {system: results[system] for system in pending.systems}
    return DocumentScores(results, pending.general, pending.by_system)


def start_document(doc: str, references: Mapping[str, str], candidates: Mapping[str, str | None], offtopic: str | None,
                   processors: Processors, source: str | None = None, *, themes: Any = ()) -> PendingDocument:
    """`score_document` up to the analyses of its summaries (those past `_WAITING_CHARS` aside)."""
    settings = processors.settings
    metrics = settings.metrics
    convention = processors.convention  # --convention NAME: its numbers replace the harness's
    general: list[str] = []
    refs: dict[str, AnalysedText] = {}  # filled below when the harness analyses the texts
    given = processors.given.get(doc)  # (harness.run.answers)
    processors.start(references, candidates, None if given is None else given[1])
    inputs = document_inputs(doc, references, refs, processors, source=source, offtopic=offtopic, themes=themes,
                             summaries=[t for t in candidates.values() if t is not None])
    wanted = running(inputs, processors.skip)
    if given is not None and wanted and wanted[-1].name == given[0]:  # answered by the main process
        wanted.pop()
    # One query reads what the cache holds of this document: its texts, its pairs, and the entries
    # the analyses will ask for (a query a document and analysis took a second per 3,000 on a cold run).
    processors.prefetch([group for a in wanted for group in a.cached(inputs).items()])
    baselines = source is not None and bool(processors.baselines)
    # Under a tool's convention, the harness's own analysis of the texts only serves the analyses
    # and the --baselines rows: without them a convention run never cuts a text twice.
    analysed = convention is None or bool(wanted) or baselines
    for name, ref_text in references.items() if analysed else ():
        refs[name] = processors.analyze(ref_text)
        if not refs[name].token_count() and convention is None:
            general.append(
                f"reference {name!r} of document {doc!r} has no scorable tokens; every candidate scores 0 against it"
            )
    refs_traditional = not settings.t2s and convention is None and any(
        _traditional(t, refs[name], processors) for name, t in references.items()
    )
    analyses = [(a, a.prepare(inputs)) for a in wanted]
    computed: dict[str, str] = {}
    if baselines:
        computed = baseline_texts(source or "", offtopic, refs, processors, doc)
        candidates = {**candidates, **computed}
    zero = {m: Score(0.0, 0.0, 0.0) for m in metrics}
    scored_refs = list(references)[:1] if convention is not None else list(references)  # conventions: the first
    results: dict[str, DocumentResult] = {}
    by_system: dict[str, list[str]] = {}
    scored: list[_Scored] = []  # summaries whose pairs are scored, waiting for the analyses
    waiting = 0  # their characters
    for system, text in candidates.items():
        notes: list[str] = []
        if text is None:
            absent = {a.name: found for a, prepared in analyses if (found := a.missing(prepared)) is not None}
            results[system] = DocumentResult(dict(zero), {r: dict(zero) for r in scored_refs}, absent)
            continue
        if convention is not None:
            combined = convention_pair(processors, doc, references, text, notes)
            per_ref = {scored_refs[0]: combined}
            if not analyses:  # nothing else looks at the summary: the harness never analyses it
                results[system] = DocumentResult(combined, per_ref)
                if notes:
                    by_system[system] = [system_note(system, doc, note) for note in notes]
                continue
            cand = processors.analyze(text)
        else:
            cand = processors.analyze(text)
            if not cand.token_count():  # (a cached analysis is split only when a pair needs it)
                notes.append("candidate has no scorable tokens; scored 0")
            elif not settings.t2s and not refs_traditional and _traditional(text, cand, processors):
                notes.append("candidate looks like traditional Chinese and the references simplified; consider --t2s")
            for r, ref in refs.items():
                check_pair(ref, cand, metrics, partial(_pair_name, system, doc, r))  # named only if refused
            per_ref_counts = {r: processors.counts(ref, cand) for r, ref in refs.items()}
            per_ref = {r: {m: c.score() for m, c in counts.items()} for r, counts in per_ref_counts.items()}
            # One reference: every mode gives its scores (kept once: a corpus may hold 100,000 pairs).
            if len(per_ref) == 1:
                combined = next(iter(per_ref.values()))
            else:
                combined = combine_references(per_ref_counts, metrics, settings.multiref)
        scored.append((Summary(system, text, cand, computed=system in computed, scores=combined), combined, per_ref,
                       notes))
        waiting += len(text)
        if waiting >= _WAITING_CHARS:
            _analyse(doc, analyses, scored, results, by_system)
            scored, waiting = [], 0
    # Its source and off-topic text too: a waiting document holds the analyses' readings of them (a
    # source's statistics index and facts evidence, some MB for a source of 300,000 characters).
    chars = (sum(map(len, references.values())) + sum(len(t) for t in candidates.values() if t is not None)
             + len(source or "") + len(offtopic or ""))
    return PendingDocument(doc, analyses, scored, results, by_system, general, list(candidates), chars)


# Documents scored in a row before their analyses run (`score_batched`), while their texts are being
# cut: jieba's and ROUGE's working sets, and the analyses' memos (the facts check's thousands of
# sentences, names and figures), then each stay in the processor's caches for a batch, where taking
# turns document by document had a cold 10 x 1,000 run with the facts check take 5-6% more CPU (the
# same run without it, no more: docs/performance.md, the twenty-second round). A document read wholly
# from the cache has its analyses run at once, on the rows its prefetch just read (waiting, a warm run
# took more). A batch holds the scored summaries and the analyses' evidence of at most this many
# documents and characters.
_BATCH_DOCUMENTS = 64
_BATCH_CHARS = 400_000


def score_batched(processors: Processors, documents: Iterable[DocumentTexts]) -> Iterator[DocumentScores]:
    """`score_document` of each of `documents` (its arguments but the processors), in order and with
    the same results: the pairs of a batch of documents scored first, then the analyses of each; a
    document none of whose texts had to be cut (all from the cache) finishes the batch at once."""
    pending: list[PendingDocument | DocumentScores] = []
    chars = 0
    processors.batch = True
    try:
        for doc, references, candidates, offtopic, source, themes in documents:
            tokenized = processors.tokenized
            started = start_document(doc, references, candidates, offtopic, processors, source, themes=themes)
            if not started.analyses:  # nothing waits: done now, holding none of its summaries
                pending.append(finish_document(started))
            else:
                pending.append(started)
                chars += started.chars
            # Every text from the cache: the batch is finished now, this document's analyses on the rows just read.
            warm = bool(started.analyses) and processors.tokenized == tokenized
            if warm or len(pending) >= _BATCH_DOCUMENTS or chars >= _BATCH_CHARS:
                yield from _finished(pending, processors)
                pending, chars = [], 0
        yield from _finished(pending, processors)
    finally:
        processors.batch = False
        processors.end_batch()


def _finished(pending: list[PendingDocument | DocumentScores], processors: Processors) -> Iterator[DocumentScores]:
    """The batch's documents finished, in order; then what their prefetches read and no get took is dropped."""
    for item in pending:
        yield item if isinstance(item, DocumentScores) else finish_document(item)
    processors.end_batch()


def _analyse(doc: str, analyses: list[tuple[AnyAnalysis, Any]], scored: list[_Scored],
             results: dict[str, DocumentResult], by_system: dict[str, list[str]]) -> None:
    """Every analysis on the `scored` summaries, then their results and notes."""
    measured: list[dict[str, Any]] = [{} for _ in scored]
    for analysis, prepared in analyses:
        for (summary, _, _, notes), found in zip(scored, measured, strict=True):
            result = analysis.measure(prepared, summary)
            found[analysis.name] = result
            notes += analysis.notes(prepared, summary, result)
    for (summary, combined, per_ref, notes), found in zip(scored, measured, strict=True):
        results[summary.system] = DocumentResult(combined, per_ref, found)
        if notes:  # only systems with something to say: 100 systems x 1,000 documents add up
            by_system[summary.system] = [system_note(summary.system, doc, note) for note in notes]


def system_note(system: str, doc: str, note: str) -> str:
    """A note about one system's summary of one document, as `DocumentScores.by_system` holds it
    (harness.run.notes groups them by the text after the prefix)."""
    return f"system {system!r}, document {doc!r}: {note}"


def _pair_name(system: str, doc: str, reference: str) -> str:
    return f"system {system!r}, document {doc!r}, reference {reference!r}"


def convention_pair(
    processors: Processors, doc: str, references: Mapping[str, str], text: str, notes: list[str]
) -> dict[str, Score]:
    """One summary's scores under the run's convention (`--convention NAME`), against the first
    reference by file order (the tools take one); a note when a side has no words for the tool."""
    convention = processors.convention
    assert convention is not None
    target = pick_reference(list(references.values()), document=doc)
    scores = processors.convention_scores(target, text)
    if not any(s.fmeasure for s in scores.values()):
        empty = convention.empty_sides(convention.conventions[0], target=target, prediction=text)
        if empty:
            notes.append(f"{' and '.join(empty)} has no words under --convention {processors.settings.convention}; "
                         "scored 0")
    return scores


# A document's texts as `score_batched` takes them: id, references, summaries, off-topic text, source, themes.
DocumentTexts = tuple[str, Mapping[str, str], Mapping[str, "str | None"], "str | None", "str | None", Any]


def corpus_texts(corpus: Corpus, documents: Iterable[str]) -> Iterator[DocumentTexts]:
    """`score_batched`'s documents of `corpus`."""
    for doc in documents:
        yield (*document_texts(corpus, doc), corpus.sources.get(doc), corpus.themes.get(doc, ()))


def document_texts(corpus: Corpus, doc: str) -> tuple[str, Mapping[str, str], dict[str, str | None], str | None]:
    """`score_document`'s first arguments for `doc` of `corpus`: id, references, every system's
    summary (None where missing), off-topic text."""
    cands = {system: corpus.candidates[system].get(doc) for system in sorted(corpus.candidates)}
    return doc, corpus.references[doc], cands, corpus.offtopic.get(doc)


# What a worker process keeps between chunks: its processors (jieba loaded once per process).
_PROCESSORS: dict[str, Processors] = {}


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to score chunks of documents (inherited on fork, sent once on spawn)."""

    corpus: Corpus
    settings: Settings
    cache: Path | Cache | None
    baselines: tuple[str, ...]
    options: Mapping[str, Any]
    skip: frozenset[str]
    # Names the run, not the object: on Dask or any executor every task unpickles its own Job, and
    # a worker must still find the processors (jieba, the memos) it made for the run's first shard.
    token: str = field(default_factory=lambda: os.urandom(16).hex())


def processors_for(job: Job) -> Processors:
    """This process's processors for `job`'s run, made on its first chunk and kept for the next."""
    processors = _PROCESSORS.get(job.token)
    if processors is None:
        _PROCESSORS.clear()
        processors = _PROCESSORS[job.token] = Processors(
            job.settings, job.cache, job.baselines, options=job.options, skip=job.skip
        )
    return processors


def score_chunk(job: Job, documents: list[str], given: Given | None = None) -> list[DocumentScores]:
    """`score_document` for each of `documents`, in order, with this process's processors; the
    cache is flushed per chunk (a worker does not know which chunk is its last) and its warnings
    travel with the first result, to be reported by the parent as with one process. `given`: per
    document, an analysis the main process answered (skipped here) and the keys of the document's
    texts it made (harness.run.answers)."""
    processors = processors_for(job)
    corpus = job.corpus
    processors.given = given or {}
    try:
        out = list(score_batched(processors, corpus_texts(corpus, documents)))
    finally:
        processors.given = {}
    if processors.cache is not None:
        processors.cache.flush()
        if processors.cache.warnings and out:
            out[0].general[:0] = processors.cache.warnings
            processors.cache.warnings = []
    if out:
        out[0].general[:0] = take_warnings()  # a dictionary cache this worker rebuilt
    return out
