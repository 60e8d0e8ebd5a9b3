"""Stages 1-3 of `harness.run.pipeline` spread over processes, documents in chunks.

On Linux the workers are forked once the parent has loaded jieba's dictionary and
frozen its objects out of the garbage collector's reach (gc.freeze), so the workers
share the dictionary's pages instead of each building a copy, and the corpus is
inherited rather than pickled. Measured on 100,000 pairs with 2 workers: 496 MiB peak
(proportional set size of the three processes) against 573 MiB when each worker loaded
its own dictionary. (Sending each chunk's texts to the workers instead of letting them
read the inherited corpus was measured too: 636 MiB, as Pool.imap pickles every chunk
ahead.) A rerun whose texts are all in the persistent cache loads no
dictionary at all. Elsewhere (spawn) each worker receives the corpus once and loads
jieba itself.
Results come back in document order, so the output is the same bytes as with one
process. Workers ignore Ctrl-C: the parent alone turns it into exit 130 and stops them.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from harness.inputs.corpus import Corpus
from harness.rouge.settings import Settings
from harness.run.cache import text_key
from harness.run.pipeline import (
    DocumentScores,
    Progress,
    _document_inputs,
    _Processors,
    score_document,
)

# Set in the parent just before a fork, read by the forked workers; or set by the spawn initializer.
_STATE: tuple[Corpus, Settings, Path | None, tuple[str, ...]] | None = None
_PROCESSORS: _Processors | None = None
# Chunks small enough to balance two workers and keep progress moving, large enough that
# sending results back is a small share of the work.
_CHUNKS_PER_JOB = 8
_MAX_CHUNK = 64


def _init(state: tuple[Corpus, Settings, Path | None, tuple[str, ...]] | None) -> None:
    global _STATE, _PROCESSORS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if state is not None:
        _STATE = state
    _PROCESSORS = None


def _work(documents: list[str]) -> list[DocumentScores]:
    global _PROCESSORS
    assert _STATE is not None
    corpus, settings, cache, baselines = _STATE
    if _PROCESSORS is None:
        _PROCESSORS = _Processors(settings, cache, baselines)
    out = [
        score_document(
            *_document_inputs(corpus, doc), _PROCESSORS, corpus.sources.get(doc), themes=corpus.themes.get(doc, ())
        )
        for doc in documents
    ]
    if _PROCESSORS.cache is not None:
        _PROCESSORS.cache.flush()  # per chunk: a worker does not know which chunk is its last
        if _PROCESSORS.cache.warnings and out:  # reported by the parent, as with one process
            out[0].general[:0] = _PROCESSORS.cache.warnings
            _PROCESSORS.cache.warnings = []
    return out


def chunks(documents: list[str], jobs: int) -> list[list[str]]:
    """Documents cut into consecutive chunks, about `_CHUNKS_PER_JOB` per process."""
    size = max(1, min(_MAX_CHUNK, -(-len(documents) // (jobs * _CHUNKS_PER_JOB))))
    return [documents[i : i + size] for i in range(0, len(documents), size)]


def _needs_tokenizer(corpus: Corpus, settings: Settings, cache: Path | None) -> bool:
    """Whether the workers will tokenize: always without a cache; with one, when a text of the
    first document is not in it (a rerun where nothing changed never loads jieba)."""
    if cache is None or corpus.offtopic or corpus.sources:
        return True  # off-topic texts and sources are analysed on words too: not worth probing
    probe = _Processors(settings, cache)
    _doc, refs, cands, _noise = _document_inputs(corpus, corpus.documents[0])
    texts = [*refs.values(), *(t for t in cands.values() if t is not None)]
    assert probe.cache is not None
    missing = any(probe.cache.get_analysis(text_key(probe.namespace, t)) is None for t in texts)
    probe.cache.close()
    return missing


def map_documents(
    corpus: Corpus, settings: Settings, *, jobs: int, cache: Path | None = None, progress: Progress | None = None,
    baselines: tuple[str, ...] = (),
) -> Iterator[DocumentScores]:
    """`score_document` for every document of `corpus`, in order, on `jobs` processes (with the
    `--baselines` rows of harness.analyses.extractive)."""
    global _STATE
    fork = sys.platform.startswith("linux")
    context = multiprocessing.get_context("fork" if fork else None)
    if fork:
        _STATE = (corpus, settings, cache, baselines)
        if _needs_tokenizer(corpus, settings, cache):
            warm = _Processors(settings)
            warm.main.tokenizer.tokenize("预热")  # load jieba once, before the fork
            warm.words.tokenizer.tokenize("预热")  # the word unit too (off-topic shares), when it differs
        gc.freeze()  # what the workers inherit stays shared: the collector never writes to it
    state = None if fork else (corpus, settings, cache, baselines)
    try:
        with context.Pool(jobs, initializer=_init, initargs=(state,)) as pool:
            for batch in pool.imap(_work, chunks(corpus.documents, jobs)):
                yield from batch
                if progress is not None:
                    progress(len(batch))
    finally:
        _STATE = None
        if fork:
            gc.unfreeze()
