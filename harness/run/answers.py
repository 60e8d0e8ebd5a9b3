"""Stage 3's results that the persistent cache already holds, read by the main process as it hands
documents out to the process pool's workers (`harness score --jobs N` with a cache), so that no
worker reads and sends them.

A worker sends its documents' results back pickled through a pipe. For most analyses that is a few
numbers a summary; a facts result is its JSON text, about 1 KB. On a warm 10 x 1,000 run the
workers read 11.6 MB of facts results from the cache only to decode, pickle and send them, which cost
more than reading them here, where they are written into the output (docs/performance.md, the
twenty-fourth round). So an analysis that can give a document's results without its work
(`DocumentAnalysis.answer`) is asked here first, chunk by chunk just before each chunk is handed out
(the first before the workers are forked, the others while they work), and the chunk goes with what
the worker needs to know: per document answered, the analysis to skip, and the keys of the
document's texts, made here to look its results up (the worker would hash the texts again).

Only a document's last analysis is asked: its notes then come last among each summary's, where a
worker puts them, and the output is the same bytes as with one process. A run whose first document
is not answered (a cold run, a changed summary, a first document without a source) asks no other;
one with `--baselines` none, as their rows are made by the workers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from harness.analyses.base import AnyAnalysis, DocumentAnalysis, DocumentInputs
from harness.analyses.registry import registered
from harness.run.document import DocumentScores, Job, corpus_texts, document_inputs, running, system_note
from harness.run.processors import Given, Processors

# A document's answer: the analysis's name, and each system's result and notes.
Answer = tuple[str, dict[str, tuple[Any, list[str]]]]


class _Asked(NamedTuple):
    """A document whose last analysis is asked for its answer, and what asking needs."""

    doc: str
    references: Mapping[str, str]
    candidates: Mapping[str, str | None]
    keys: tuple[bytes, ...]  # its references' and summaries' (`Processors.started_keys`)
    inputs: DocumentInputs
    analysis: AnyAnalysis
    summaries: dict[str, str]


class Answers:
    """A run's answers, read chunk by chunk (`given`) and put into the workers' results (`merge`)."""

    def __init__(self, job: Job) -> None:
        self._job = job
        self._processors: Processors | None = None
        if job.cache is not None and not job.baselines and any(
            _answers(a) for a in registered() if a.name not in job.skip
        ):  # (an analysis that can answer will run: `--no-facts` reads nothing here)
            self._processors = Processors(job.settings, job.cache, options=job.options, skip=job.skip)
        self._found: dict[str, Answer] = {}
        self._asked = False
        self._handed_out = False
        self._warnings: list[str] = []

    def given(self, documents: list[str]) -> Given | None:
        """The answers of a chunk of documents about to go to a worker, kept for `merge`; what goes with
        the chunk (None when none was answered)."""
        processors = self._processors
        if processors is None:
            return None
        if not self._asked:  # the run's first document, asked alone: if it is not answered, no other is
            self._asked = True
            out = self._answers(processors, documents[:1])
            if not out:
                self.close()
                return None
            documents = documents[1:]
        else:
            out = {}
        out.update(self._answers(processors, documents))
        cache = processors.cache
        assert cache is not None
        cache.flush()  # (entries read are marked as used, once a day: here, so that a failing write is reported)
        self._warnings += cache.warnings
        cache.warnings = []
        if not self._handed_out:  # the first chunk, read before the workers are forked: no SQLite connection
            cache.close()  # may cross a fork (the next chunk's reading opens it again)
            self._handed_out = True
        return out or None

    def _answers(self, processors: Processors, documents: list[str]) -> Given:
        """The answers of `documents`' last analyses, their entries read in one query."""
        asked: list[_Asked] = []
        for doc, references, candidates, offtopic, source, themes in corpus_texts(self._job.corpus, documents):
            processors.start(references, candidates)  # (the keys of its texts, as a worker makes them)
            summaries = {system: text for system, text in candidates.items() if text is not None}
            inputs = document_inputs(doc, references, {}, processors, source=source, offtopic=offtopic, themes=themes,
                                     summaries=list(summaries.values()))
            wanted = running(inputs, processors.skip)
            if wanted and summaries and _answers(wanted[-1]):
                asked.append(_Asked(doc, references, candidates, processors.started_keys(), inputs, wanted[-1], summaries))
        processors.prefetch_entries([group for one in asked for group in one.analysis.cached(one.inputs).items()])
        out: Given = {}
        for one in asked:
            processors.start(one.references, one.candidates, one.keys)
            results = one.analysis.answer(one.inputs, one.summaries)
            if results is not None:
                self._found[one.doc] = (one.analysis.name, results)
                out[one.doc] = (one.analysis.name, one.keys)
        processors.end_batch()
        return out

    def merge(self, doc: str, scored: DocumentScores) -> None:
        """A worker's results of `doc` given the answered analysis's results and notes (after the
        others'); the warnings of the reading (a damaged cache file, which it replaced, so that the
        workers did not see it) go with the first document."""
        if self._warnings:
            scored.general[:0], self._warnings = self._warnings, []
        answer = self._found.pop(doc, None)
        if answer is None:
            return
        name, results = answer
        for system, (result, notes) in results.items():
            found = scored.results[system]
            if name in found.analyses:  # (the worker ran it after all: its own results and notes stand)
                continue
            found.analyses = {**found.analyses, name: result}
            if notes:
                scored.by_system.setdefault(system, []).extend(system_note(system, doc, note) for note in notes)

    def close(self) -> None:
        """Done reading: the file closed (what the reading marked as used was written by `given`)."""
        processors, self._processors = self._processors, None
        if processors is not None and processors.cache is not None:
            processors.cache.close()
            self._warnings += processors.cache.warnings

    @property
    def answered(self) -> Mapping[str, Answer]:
        """The answers read and not yet merged, by document."""
        return self._found


def _answers(analysis: AnyAnalysis) -> bool:
    """Whether `analysis` may be asked for answers: it gives them (`answer`), and has no result for a
    system without a summary (the main process gives only the summaries' results)."""
    kind = type(analysis)
    return kind.answer is not DocumentAnalysis.answer and kind.missing is DocumentAnalysis.missing
