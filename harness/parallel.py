"""Stages 1-3 of `harness.pipeline` spread over processes, documents in chunks.

On Linux the workers are forked, so the corpus is inherited rather than pickled;
elsewhere (spawn) each worker receives it once. Each worker loads jieba's dictionary
itself, on its first text to tokenize (0.2 s from the harness cache): loading it in the
parent before the fork was measured to cost more than it saves, since every lookup
touches the dictionary's reference counts and so copies its pages into each worker
anyway (100,000 pairs on 2 workers: 791 MiB peak with the parent's copy), and a rerun
whose texts are all in the persistent cache needs no dictionary at all.
Results come back in document order, so the output is the same bytes as with one
process. Workers ignore Ctrl-C: the parent alone turns it into exit 130 and stops them.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from harness.corpus import Corpus
from harness.pipeline import (
    DocumentScores,
    Progress,
    _document_inputs,
    _Processors,
    score_document,
)
from harness.settings import Settings

# Set in the parent just before a fork, read by the forked workers; or set by the spawn initializer.
_STATE: tuple[Corpus, Settings, Path | None] | None = None
_PROCESSORS: _Processors | None = None
# Chunks small enough to balance two workers and keep progress moving, large enough that
# sending results back is a small share of the work.
_CHUNKS_PER_JOB = 8
_MAX_CHUNK = 64


def _init(state: tuple[Corpus, Settings, Path | None] | None) -> None:
    global _STATE, _PROCESSORS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if state is not None:
        _STATE = state
    _PROCESSORS = None


def _work(documents: list[str]) -> list[DocumentScores]:
    global _PROCESSORS
    assert _STATE is not None
    corpus, settings, cache = _STATE
    if _PROCESSORS is None:
        _PROCESSORS = _Processors(settings, cache)
    out = [score_document(*_document_inputs(corpus, doc), _PROCESSORS) for doc in documents]
    if _PROCESSORS.cache is not None:
        _PROCESSORS.cache.flush()  # per chunk: a worker does not know which chunk is its last
    return out


def chunks(documents: list[str], jobs: int) -> list[list[str]]:
    """Documents cut into consecutive chunks, about `_CHUNKS_PER_JOB` per process."""
    size = max(1, min(_MAX_CHUNK, -(-len(documents) // (jobs * _CHUNKS_PER_JOB))))
    return [documents[i : i + size] for i in range(0, len(documents), size)]


def map_documents(
    corpus: Corpus, settings: Settings, *, jobs: int, cache: Path | None = None, progress: Progress | None = None
) -> Iterator[DocumentScores]:
    """`score_document` for every document of `corpus`, in order, on `jobs` processes."""
    global _STATE
    fork = sys.platform.startswith("linux")
    context = multiprocessing.get_context("fork" if fork else None)
    if fork:
        _STATE = (corpus, settings, cache)
    state = None if fork else (corpus, settings, cache)
    try:
        with context.Pool(jobs, initializer=_init, initargs=(state,)) as pool:
            for batch in pool.imap(_work, chunks(corpus.documents, jobs)):
                yield from batch
                if progress is not None:
                    progress(len(batch))
    finally:
        _STATE = None
