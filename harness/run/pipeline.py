"""The scoring pipeline, in stages that each return their result and their warnings:

1. analyse a document's distinct texts (references once, each candidate once);
2. score every (candidate, reference) pair;
3. combine the references of a document (`--multiref`), and run the registered per-document
   analyses (harness.analyses.registry) on every summary;
4. aggregate each system over the documents (exact means);
5. rank the systems and sign the result.

With a document's source, stage 1 also makes the `--baselines` rows' texts from it
(harness.analyses.extractive), which are then scored like any candidate.

Stages 1-3 are a pure map over documents (harness.run.document), which is what `jobs` spreads
over processes (harness.run.executors); stages 4-5 run once, in document order, so the result
is byte-identical whatever the number of processes.
"""

from __future__ import annotations

import gc
import math
import os
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.analyses.base import offers
from harness.analyses.extractive import parse_baselines, refuse_row_names, row_name
from harness.analyses.registry import registered
from harness.errors import InputError
from harness.inputs.corpus import Corpus
from harness.results.model import DocumentResult, Evaluation, SystemResult
from harness.rouge import conventions, cost
from harness.rouge.conventions.runner import corpus_score
from harness.rouge.metrics import rank_metric
from harness.rouge.multiref import mean_score
from harness.rouge.scoring import Score
from harness.rouge.settings import Settings, sign
from harness.rouge.signature import extend
from harness.run.answers import Answers
from harness.run.cache import Cache, text_key
from harness.run.document import (
    DocumentScores,
    Job,
    corpus_texts,
    document_texts,
    score_batched,
    score_chunk,
    score_document,
)
from harness.run.notes import system_notes
from harness.run.processors import Processors
from harness.text.tokenizers import take_warnings

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = ["DocumentResult", "Evaluation", "Settings", "SystemResult", "evaluate", "rank_metric", "score_document"]

Progress = Callable[[int], None]  # called with the number of documents just finished


def _offers(corpus: Corpus, doc: str, need: str | None, settings: Settings) -> bool:
    """Whether `doc` of `corpus` has the input an analysis `needs` (harness.analyses.base.offers)."""
    return offers(need, source=doc in corpus.sources, offtopic=doc in corpus.offtopic, themes=bool(corpus.themes.get(doc)),
                  settings=settings)


def _needs_tokenizer(job: Job) -> bool:
    """Whether the workers will tokenize: always without a cache; with one, when a text of the
    first document is not in it (a rerun where nothing changed never loads jieba). A wrong guess
    costs time, never a number: a worker that needs jieba loads it itself."""
    corpus = job.corpus
    if job.cache is None or job.baselines or corpus.themes:
        return True  # the --baselines rows' sentences and theme texts are not probed
    probe = Processors(job.settings, job.cache)
    doc, refs, cands, noise = document_texts(corpus, corpus.documents[0])
    texts = [*refs.values(), *(t for t in cands.values() if t is not None)]
    # The source is analysed by scoring's processor (source statistics) and, like the off-topic
    # text, on words (off-topic shares): both kinds of entry must be there.
    beside = [t for t in (corpus.sources.get(doc), noise) if t]
    assert probe.cache is not None
    if probe.convention is not None:  # a tool's scores: the first reference's pairs, never analyses
        first, metrics = next(iter(refs.values())), job.settings.metrics
        summaries = [t for t in cands.values() if t is not None]
        missing = any(probe.cache.get_scores(probe.convention_key(first, t), metrics) is None for t in summaries)
        missing = missing or bool(beside)  # analysed for the analyses only: not worth probing
    else:
        keys = [text_key(probe.namespace, t) for t in [*texts, *beside]]
        keys += [text_key(probe.word_namespace, t) for t in beside]
        missing = any(probe.cache.get_analysis(key) is None for key in keys)
    probe.cache.close()
    return missing


def _warm(job: Job) -> Callable[[], None]:
    def warm() -> None:
        if _needs_tokenizer(job):
            processors = Processors(job.settings)
            processors.main.tokenizer.tokenize("预热")  # load jieba once, before the fork
            processors.words.tokenizer.tokenize("预热")  # the word unit too (off-topic shares), when it differs
            corpus = job.corpus
            for analysis in registered():  # what the analyses that will run load once, shared too
                if analysis.name not in job.skip and offers(
                    analysis.needs, source=bool(corpus.sources), offtopic=bool(corpus.offtopic),
                    themes=bool(corpus.themes), settings=job.settings,
                ):
                    analysis.preload()
    return warm


def score_documents(
    corpus: Corpus, settings: Settings, *, jobs: int = 1, cache: Cache | None = None, progress: Progress | None = None,
    baselines: tuple[str, ...] = (), options: Mapping[str, Any] | None = None, skip: frozenset[str] = frozenset(),
    executor: str | Executor = "processes",
) -> Iterator[DocumentScores]:
    """Stages 1-3 over every document, in document order, on `jobs` processes (each worker
    opens `cache`'s file for itself) or on `executor` (harness.run.distributed); `baselines` as
    parsed by harness.analyses.extractive."""
    documents = corpus.documents
    if executor != "processes":
        from harness.run import distributed  # Dask's side, imported only when used

        job = Job(corpus, settings, None, baselines, dict(options or {}), skip)
        yield from distributed.score_on(executor, job, cache, jobs=jobs, progress=progress)
        return
    if jobs > 1 and len(documents) > 1:
        from harness.run import executors  # the process pool: multiprocessing takes ~10 ms to import

        path = None if cache is None else cache.path
        if cache is not None:
            cache.close()  # no SQLite connection may cross a fork; the workers open their own
        job = Job(corpus, settings, path, baselines, dict(options or {}), skip)
        answers = Answers(job)  # what the cache holds that is cheaper read here than sent from a worker
        scored_all = executors.map_chunks(score_chunk, job, documents, jobs=jobs, progress=progress, warm=_warm(job),
                                          given=answers.given)
        try:
            for doc, scored in zip(documents, scored_all, strict=True):
                answers.merge(doc, scored)
                yield scored
        finally:
            scored_all.close()  # (the pool stopped at once when the caller stops reading)
            answers.close()
        return
    processors = Processors(settings, cache, baselines, options=options, skip=skip)
    try:
        for scored in score_batched(processors, corpus_texts(corpus, documents)):
            yield scored
            if progress is not None:
                progress(1)
    finally:
        if cache is not None:
            cache.flush()


def aggregate(
    names: list[str], documents: tuple[str, ...], per_document: list[DocumentScores], metrics: tuple[str, ...],
    computed: frozenset[str] = frozenset(), convention: str = "harness",
) -> list[SystemResult]:
    """Stage 4: each system's corpus score, the exact mean of its document scores (under a tool's
    `convention`, that tool's mean, in document order); the names in `computed` are --baselines rows."""
    tool = conventions.CONVENTIONS.get(convention)
    systems = []
    for name in names:
        results = {doc: scored.results[name] for doc, scored in zip(documents, per_document, strict=True)}
        if tool is not None:
            scores = corpus_score(tool, [results[d].scores for d in documents], metrics)
        else:
            scores = _means([results[d] for d in documents], metrics)
        systems.append(SystemResult(name, scores, results, baseline=name in computed))
    return systems


def _means(results: list[DocumentResult], metrics: tuple[str, ...]) -> dict[str, Score]:
    """{metric: mean_score of the results' scores}, summed by column of their kept numbers (the same
    math.fsum of the same numbers, so the same means): 0.01 s instead of 0.05 s for 10 systems x
    1,000 documents, which built a Score per result and metric."""
    rows = [r.numbers(metrics) for r in results]
    if not results or any(row is None for row in rows):
        return {m: mean_score([r.score(m) for r in results]) for m in metrics}
    means = [math.fsum(column) / len(rows) for column in zip(*rows, strict=True)]
    return {m: Score(*means[3 * i : 3 * i + 3]) for i, m in enumerate(metrics)}


def check_baselines(corpus: Corpus, baselines: tuple[str, ...]) -> list[str]:
    """The row names of `baselines` on `corpus`; InputError when a document has no source or a
    submitted system has (or imitates) a row's name, with --baselines or without (a baseline file
    holding such a system could never be checked against)."""
    refuse_row_names(corpus.candidates)
    if not baselines:
        return []
    missing = [doc for doc in corpus.documents if doc not in corpus.sources]
    if missing:
        shown = ", ".join(repr(d) for d in missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise InputError(
            f"--baselines {','.join(baselines)}: needs the source of every document (sources/<doc-id>.txt, --sources, "
            f"or \"source\" in the references JSONL); none for {shown}"
        )
    return [row_name(b) for b in baselines]  # free: no submitted system has a row's name (above)


def check_sizes(corpus: Corpus, settings: Settings) -> list[str]:
    """Before anything is tokenized: InputError listing every reference or candidate longer than
    `cost.MAX_SCORED_CHARS`; else a warning for each pair whose ROUGE-L will take more than about
    `cost.SLOW_SECONDS` (tokens estimated from characters: a jieba word is about 1.5 of them)."""
    per_token = 1.0 if settings.unit == "char" else 0.65
    estimate = cost.lcs_estimate(settings.metrics)
    systems = sorted(corpus.candidates)
    too_long: list[str] = []
    slow: list[str] = []
    for doc in corpus.documents:
        refs = corpus.references[doc]
        too_long += [f"reference {name!r} of document {doc!r} ({len(text):,})"
                     for name, text in refs.items() if len(text) > cost.MAX_SCORED_CHARS]
        longest = max((len(text) for text in refs.values()), default=0)
        for system in systems:
            text = corpus.candidates[system].get(doc)
            if text is None:
                continue
            if len(text) > cost.MAX_SCORED_CHARS:
                too_long.append(f"system {system!r}, document {doc!r} ({len(text):,})")
                continue
            seconds = estimate(int(len(text) * per_token), int(longest * per_token))
            if seconds > cost.SLOW_SECONDS:
                slow.append(f"system {system!r}, document {doc!r}: scoring it against its longest reference will "
                            f"take about {seconds:,.0f} s (ROUGE-L on {len(text):,} and {longest:,} characters)")
    if too_long:
        shown = "; ".join(too_long[:5]) + (f"; and {len(too_long) - 5} more" if len(too_long) > 5 else "")
        raise cost.too_long(shown)
    return slow


def rank(systems: list[SystemResult], metrics: tuple[str, ...]) -> list[SystemResult]:
    """Stage 5a: best first by the rank metric's F, ties by name."""
    key = rank_metric(metrics)
    return sorted(systems, key=lambda s: (-s.scores[key].fmeasure, s.name))


# Cyclic garbage collection while scoring: a young-generation pass after this many new container
# objects, not Python's 700, and the objects made before scoring (the corpus) frozen out of the
# full passes. Scoring makes millions of small tuples and records and few cycles (mypy raises the
# threshold for the same reason). Measured with gc.callbacks on the 10 x 1,000 test set with its
# sources, --jobs 1: time in the collector cold 1.49 s -> 0.64 s (with facts) and 0.37 -> 0.21 s
# (without); warm with facts 0.51 -> 0.35 s (700 -> 50,000). From 50,000 to 1,000,000, --jobs 2, all
# processes: cold with facts 0.078 -> 0.022 s, without 0.025 -> 0.024 s; the set of distinct sentences
# cold with facts 0.42 -> 0.02 s, without 0.16 -> 0.02 s (the facts check's memos of a document live
# through a pass at 50,000 and die before one at 1,000,000); warm 0.027 -> 0.022 s. The peak memory
# of the 100,000-pair case stayed 493 MiB: scoring makes few cycles for the collector to free.
_GC_YOUNG = 1_000_000


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic collector less often inside the block (pool workers forked in it inherit
    that), and restore the caller's thresholds after it."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], _GC_YOUNG), *before[1:])
    gc.freeze()
    try:
        yield
    finally:
        gc.freeze()  # what scoring made and kept (the results) goes to the oldest generation with the rest,
        gc.unfreeze()  # not through a young pass over all of it (0.23 s of a cold 10 x 1,000 run with facts)
        gc.set_threshold(*before)


def evaluate(
    corpus: Corpus,
    settings: Settings | None = None,
    *,
    jobs: int = 1,
    cache: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    baselines: str | tuple[str, ...] = (),
    options: Mapping[str, Any] | None = None,
    skip: Collection[str] = (),
    executor: str | Executor = "processes",
    every_warning: bool = False,
    notice: Callable[[str], None] | None = None,
) -> Evaluation:
    """Score every system on every document against that document's references.

    `jobs` > 1 spreads documents over that many processes (same result, byte for byte);
    `cache`, a file path (`harness.run.cache.default_path()` is the command's), keeps analysed
    texts and pair scores across runs (same result, faster); `progress`, if given, is called
    with the number of documents finished as they finish. `baselines` (`"lead-3,oracle"`, or
    a tuple) adds rows computed from the documents' sources (harness.analyses.extractive), marked
    `SystemResult.baseline`; every document then needs a source. `options` are the registered
    analyses' options by analysis name (`{"facts": NamesList}`); `skip` names analyses not to run.
    Warnings about documents are one line per system and kind (harness.run.notes), or every one
    with `every_warning`.
    `executor` runs stages 1-3 elsewhere: "dask" (a local Dask cluster of `jobs` workers), a Dask
    scheduler's address ("tcp://HOST:PORT"), or any concurrent.futures.Executor (Dask's
    `client.get_executor()`, a ProcessPoolExecutor; `jobs` then says how many workers it has);
    the result is the same, byte for byte (harness.run.distributed).
    `notice`, if given, is told at once the warnings worth hearing before the scoring starts (a
    pair that will take long); without it they are among the evaluation's warnings."""
    settings = settings or Settings()
    wanted = parse_baselines(baselines)
    known = [a.name for a in registered()]
    unknown = [name for name in skip if name not in known]
    if unknown:
        raise InputError(f"no analysis named {unknown[0]!r} to skip (analyses: {', '.join(known)})")
    skipped = frozenset(skip)
    rows = check_baselines(corpus, wanted)
    early = check_sizes(corpus, settings)
    if notice is not None:
        for line in early:
            notice(line)
    metrics = tuple(settings.metrics)  # a tuple once Settings is made; typed as the Sequence it accepts
    documents = tuple(corpus.documents)
    store = None if cache is None else Cache(Path(cache))
    try:
        if store is not None:
            store.open()  # a damaged file is replaced here, once, before any worker opens it
        with _fewer_collections():
            per_document = list(score_documents(
                corpus, settings, jobs=jobs, cache=store, progress=progress, baselines=wanted, options=options,
                skip=skipped, executor=executor,
            ))
        if store is not None:
            store.evict()
    finally:
        if store is not None:
            store.close()
    names = sorted(corpus.candidates) + rows
    warnings = list(corpus.warnings) + (store.warnings if store is not None else []) + take_warnings()
    warnings += early if notice is None else []
    warnings += [w for scored in per_document for w in scored.general]
    warnings = list(dict.fromkeys(warnings))  # a cache problem seen by every worker is said once
    warnings += system_notes(names, documents, [scored.by_system for scored in per_document], every=every_warning)
    if settings.single_convention:
        several = sum(1 for doc in documents if len(corpus.references[doc]) > 1)
        if several:
            warnings.append(
                f"--convention {settings.convention}: {several} of {len(documents)} documents have several "
                "references; each summary is scored against the first by file order only, as the tool takes one"
            )
    systems = rank(aggregate(names, documents, per_document, metrics, frozenset(rows), settings.convention), metrics)
    signature = sign(settings.processor(), settings, n_docs=len(documents), n_refs=corpus.n_references)
    for analysis in registered():
        if analysis.name in skipped:
            continue
        ran = sum(1 for doc in documents if _offers(corpus, doc, analysis.needs, settings))
        fields = analysis.signature(ran, settings, options or {})
        if fields:
            signature = extend(signature, **fields)
    return Evaluation(signature=signature, metrics=metrics, systems=systems, warnings=warnings, documents=documents)
