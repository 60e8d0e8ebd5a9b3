"""Stages 1-3 on any `concurrent.futures.Executor`: a Dask cluster (`--executor dask`, or
`tcp://HOST:PORT`), or whatever executor an API caller passes (`client.get_executor()`, a
`ProcessPoolExecutor`, Ray's or loky's).

What travels: the coordinator first scores here every document whose texts, pairs and analyses
are all in the persistent cache (a rerun sends nothing); the other documents go out in shards of
consecutive documents, each shard carrying only its own texts (a small `Corpus`), the settings,
and a user dictionary by content (its path may not exist on the worker). A worker keeps its
processors, jieba loaded once, across shards (`document.processors_for`, keyed by the run's
token), scores without a cache file (`Recorder`: it knows only the per-document analyses' entries
of its shard's documents, sent with the shard, so that facts adds to a document's entry of results
rather than replacing it) and sends back, with its results, what it analysed and counted; the
coordinator writes that into its cache. Results are put back in
document order, so the output is the same bytes as with `--jobs 1` whatever finishes first.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import logging
import os
import sqlite3
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from harness.errors import HarnessError, InputError
from harness.inputs.corpus import Corpus
from harness.run.cache import Cache
from harness.run.document import DocumentScores, Job, document_texts, processors_for, score_chunk, score_document
from harness.run.executors import chunks
from harness.run.processors import Processors

PROCESSES = "processes"
DASK = "dask"
_SCHEMES = ("tcp://", "tls://", "inproc://", "ucx://", "ws://", "wss://")
# An unreachable scheduler is an error after this long, not a hang (Dask's own default is 30 s): with
# the start-up, `harness` says so within 10 s.
CONNECT_TIMEOUT = 8.0
# Shards submitted ahead of the one the output waits for, per worker: enough to keep every
# worker busy, few enough that a 1,000,000-pair run never holds all its shards' payloads at once.
_AHEAD_PER_WORKER = 4
# With no worker connected, Dask keeps tasks waiting for one; past this long without any, the run
# ends with an error instead (a lost worker is replaced or its shards rerun on the others first).
NO_WORKER_GRACE = 30.0
_POLL = 2.0


class ExecutorError(HarnessError):
    """The executor cannot be reached, or the run could not finish on it."""


def check_executor(value: str) -> str:
    """`value` if it names an executor (processes, dask, or a scheduler address); else InputError."""
    if value in (PROCESSES, DASK) or value.startswith(_SCHEMES):
        return value
    raise InputError(f"--executor {value!r}: expected processes, dask or a Dask scheduler address (tcp://HOST:PORT)")


@contextmanager
def dask_executor(spec: str, jobs: int) -> Iterator[tuple[cf.Executor, int, Callable[[], bool]]]:
    """(executor, workers, whether any worker is connected) of a Dask client: a LocalCluster of `jobs` single-threaded worker
    processes for "dask" (unless DASK_SCHEDULER_ADDRESS names a scheduler), else the scheduler at
    `spec`; the client (and a cluster it started) is closed on the way out, Ctrl-C included."""
    try:
        import distributed
    except ImportError:
        raise InputError(f"--executor {spec}: Dask is not installed (pip install 'harness[dask]')") from None
    address = os.environ.get("DASK_SCHEDULER_ADDRESS") if spec == DASK else spec
    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # a closing cluster logs on stderr; the run's own errors are ours to say
    cluster = None
    try:
        if address:
            try:
                client = distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise ExecutorError(
                    f"--executor {address}: cannot reach the Dask scheduler ({exc})"
                ) from None
        else:
            with warnings.catch_warnings():  # "Port 8787 is already in use" when another cluster runs: no matter here
                warnings.simplefilter("ignore")
                cluster = distributed.LocalCluster(
                    n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.CRITICAL
                )
            client = distributed.Client(cluster, set_as_default=False)
        try:
            yield client.get_executor(), max(1, sum(client.nthreads().values())), lambda: bool(client.nthreads())
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    finally:
        quiet.setLevel(level)


# -- the worker's side ------------------------------------------------------------------------------


class Recorder(Cache):
    """A cache with no file, for a worker that cannot reach the run's file (a Dask worker on
    another machine): every lookup misses but those of `known` (the per-document analyses' own
    entries of the shard's documents, sent by the coordinator), and what the worker computes is
    kept for `take()`, sent back with its results and written by the coordinator."""

    def __init__(self, known: Mapping[bytes, bytes] | None = None) -> None:
        super().__init__(Path(os.devnull))
        self.known = dict(known or {})

    def _connect(self) -> sqlite3.Connection | None:
        return None

    def get_bytes(self, key: bytes) -> bytes | None:
        found = self.known.get(key)
        return found if found is not None else super().get_bytes(key)


def local_dictionary(data: bytes) -> Path:
    """The user dictionary's bytes in a file of this machine, named by their digest (written once)."""
    path = Path(tempfile.gettempdir()) / f"harness-userdict-{hashlib.sha256(data).hexdigest()[:16]}.txt"
    if not path.exists() or path.read_bytes() != data:
        part = path.with_suffix(f".{os.getpid()}.part")
        part.write_bytes(data)
        os.replace(part, path)
    return path


def score_shard(
    job: Job, documents: list[str], user_dict: bytes | None
) -> tuple[list[DocumentScores], dict[bytes, bytes], dict[bytes, bytes]]:
    """On a worker: `score_chunk` of one shard, with what it added to the cache (analyses, pairs)."""
    if user_dict is not None:
        job = replace(job, settings=replace(job.settings, user_dict=local_dictionary(user_dict)))
    cache = processors_for(job).cache  # made for the worker's first shard: this shard's entries told to it
    if isinstance(cache, Recorder) and isinstance(job.cache, Recorder):
        cache.known = job.cache.known
    scores = score_chunk(job, documents)
    analyses, pairs = cache.take() if isinstance(cache, Recorder) else ({}, {})
    if isinstance(cache, Recorder):
        cache.known = {}
    return scores, analyses, pairs


# -- the coordinator's side -------------------------------------------------------------------------


class _Miss(Exception):
    """A document needs something the cache does not have: it is sent to the workers."""


class _CachedOnly:
    """The coordinator's cache seen by its probe: a `get_*` that misses raises _Miss, as does any
    `put_*` (something had to be computed); the rest (prefetch, flush, warnings) is the cache's."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.cache, name)
        if name.startswith("put_"):
            return _refuse
        if name.startswith("get_"):
            return lambda *args: _hit(found(*args))
        return found


def _hit(value: Any) -> Any:
    if value is None:
        raise _Miss
    return value


def _refuse(*_args: Any) -> None:
    raise _Miss


def _shard_corpus(corpus: Corpus, documents: Sequence[str]) -> Corpus:
    """The texts of `documents` only (every system kept, so a missing summary stays missing)."""
    def only(by_doc: Mapping[str, Any]) -> dict[str, Any]:
        return {d: by_doc[d] for d in documents if d in by_doc}

    return Corpus(
        only(corpus.references), {s: only(by) for s, by in corpus.candidates.items()},
        offtopic=only(corpus.offtopic), sources=only(corpus.sources), themes=only(corpus.themes),
    )


def _probe(job: Job, cache: Cache | None, known: dict[str, dict[bytes, bytes]]) -> Callable[[str], DocumentScores | None]:
    """A document's scores from the cache alone, or None when anything must be computed; then the
    per-document analyses' own entries the cache holds for it go into `known[doc]` (a worker reads them,
    so that an analysis keeping one entry per document, as facts does, adds to it, not replaces it)."""
    if cache is None:
        return lambda _doc: None
    processors = Processors(job.settings, cast(Cache, _CachedOnly(cache)), job.baselines, options=job.options, skip=job.skip)
    corpus = job.corpus

    def probe(doc: str) -> DocumentScores | None:
        try:
            return score_document(
                *document_texts(corpus, doc), processors, corpus.sources.get(doc), themes=corpus.themes.get(doc, ())
            )
        except _Miss:
            entries = {key: cache.get_bytes(key) for key in processors.own_keys()}  # as its prefetch listed them
            known[doc] = {key: value for key, value in entries.items() if value is not None}
            return None

    return probe


Connect = Callable[[], AbstractContextManager[tuple[cf.Executor, int, Callable[[], bool]]]]


def map_shards(
    job: Job, cache: Cache | None, connect: Connect, *, progress: Callable[[int], None] | None = None
) -> Iterator[DocumentScores]:
    """Stages 1-3 of every document of `job`, in document order: cached documents here, the
    others in shards on the (executor, workers) that `connect` opens, only when some document is
    not cached (a rerun starts no cluster); new cache entries are written here."""
    corpus = job.corpus
    known: dict[str, dict[bytes, bytes]] = {}
    probe = _probe(job, cache, known)
    user_dict = None if job.settings.user_dict is None else Path(job.settings.user_dict).read_bytes()
    ready: dict[str, DocumentScores] = {}
    missing: list[str] = []
    for doc in corpus.documents:
        found = probe(doc)
        if found is None:
            missing.append(doc)
        else:
            ready[doc] = found
            if progress is not None:
                progress(1)
    if not missing:
        yield from (ready[doc] for doc in corpus.documents)
        return
    with connect() as (executor, workers, alive):
        yield from _gather(job, cache, executor, workers, alive, ready, missing, user_dict, progress, known)


def _gather(
    job: Job, cache: Cache | None, executor: cf.Executor, workers: int, alive: Callable[[], bool], ready: dict[str, DocumentScores],
    missing: list[str], user_dict: bytes | None, progress: Callable[[int], None] | None,
    known: dict[str, dict[bytes, bytes]] | None = None,
) -> Iterator[DocumentScores]:
    """The documents in order: those `ready`, and the `missing` ones as their shards come back, each
    shard with the entries of `known` (by document: `_probe`) its documents' analyses will ask for,
    taken out of it as the shard is sent."""
    corpus = job.corpus
    shards = chunks(missing, workers)
    pending: dict[cf.Future[Any], list[str]] = {}
    order = iter(corpus.documents)
    nxt = next(order, None)
    submitted = 0
    lonely: float | None = None  # since when no worker has been connected
    try:
        while nxt is not None:
            while submitted < len(shards) and len(pending) < _AHEAD_PER_WORKER * workers:
                shard = shards[submitted]
                told = None if cache is None else Recorder({k: v for d in shard for k, v in (known or {}).pop(d, {}).items()})
                pending[executor.submit(score_shard, replace(job, corpus=_shard_corpus(corpus, shard), cache=told), shard,
                                        user_dict)] = shard
                submitted += 1
            while nxt is not None and nxt in ready:  # everything the output can take, in order
                yield ready.pop(nxt)
                nxt = next(order, None)
            if nxt is None:
                break
            done, _ = cf.wait(pending, timeout=_POLL, return_when=cf.FIRST_COMPLETED)
            if done or alive():
                lonely = None
            elif lonely is None:
                lonely = time.monotonic()
            elif time.monotonic() - lonely > NO_WORKER_GRACE:
                raise ExecutorError(
                    f"no worker has been connected to the Dask scheduler for {NO_WORKER_GRACE:g} s; "
                    f"the run cannot finish ({len(pending) + len(shards) - submitted} shards of documents unscored)"
                )
            for future in done:
                shard = pending.pop(future)
                scores, analyses, pairs = _result(future, shard)
                ready.update(zip(shard, scores, strict=True))
                if cache is not None:
                    cache.add(analyses, pairs)
                    cache.flush()
                if progress is not None:
                    progress(len(shard))
    finally:
        for future in pending:  # Ctrl-C or a failed shard: nothing more is computed for this run
            future.cancel()
        if cache is not None:
            cache.flush()


def _result(future: cf.Future[Any], shard: list[str]) -> Any:
    try:
        return future.result()
    except HarnessError:
        raise
    except Exception as exc:  # a worker lost too often (Dask's KilledWorker), a broken pool...
        where = shard[0] if len(shard) == 1 else f"{shard[0]} .. {shard[-1]}"
        raise ExecutorError(f"the executor could not score documents {where}: {type(exc).__name__}: {exc}") from exc


def score_on(
    executor: str | cf.Executor, job: Job, cache: Cache | None, *, jobs: int, progress: Callable[[int], None] | None = None
) -> Iterator[DocumentScores]:
    """`map_shards` on `executor`: an Executor given by an API caller (`jobs` then says how many
    workers it has), or the Dask client that `dask_executor` opens for a name or address."""
    if isinstance(executor, str):
        spec = check_executor(executor)
        yield from map_shards(job, cache, lambda: dask_executor(spec, jobs), progress=progress)
    else:
        given = executor
        yield from map_shards(job, cache, lambda: nullcontext((given, max(1, jobs), lambda: True)), progress=progress)
