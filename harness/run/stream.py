"""`score_stream`: ROUGE of a stream of (target, prediction) pairs, as long as you like, in input
order and in memory that does not grow with the stream.

`harness.evaluate` (and `harness score`) holds the whole corpus and every document's scores: it
ranks systems, bootstraps and writes per-document JSON. A stream needs none of that. Pairs are read
from the caller's iterable in chunks, and at most `in_flight` chunks are read and not yet yielded
(back-pressure: the input is read no faster than the caller takes results), so memory depends on
`chunk_size` x `in_flight`, never on the number of pairs. Each pair is scored by `Scorer.score`,
the same code path, so the numbers are the same to the bit. Results come back in input order
whatever order the chunks finish in: the stream always waits for its oldest chunk.

Where the chunks run: in this process (`jobs=1`); on a process pool of `jobs` workers started here
(forked on Linux, each set up as the pipeline's workers are: `executors.init_worker`); or on any
`concurrent.futures.Executor` (Dask's `client.get_executor()`, a `ProcessPoolExecutor`). A worker
keeps one `Scorer` per settings, so jieba is loaded once per process; the settings, and a user
dictionary by content (its path need not exist there, as in `distributed`), travel with each chunk.

Failures: a pool worker that dies (the out-of-memory killer's SIGKILL) ends the iteration with
`WorkerLost` (exit code 4) naming how it ended, within a second, not a hang; another failure of the
executor with `ExecutorError`. A bad pair (a prediction that is not a str, an empty list of
references) raises once every result before it has been yielded, as with `jobs=1`. Closing the
stream (`close()`, leaving its `with` block, an exception in the caller's loop) cancels the chunks
not started and ends the pool's workers; an executor the caller gave is theirs and stays open.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice
from multiprocessing.context import BaseContext
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from harness.errors import HarnessError, InputError, WorkerLost
from harness.rouge.metrics import DEFAULT_METRICS
from harness.rouge.scorer import Scorer, Target
from harness.rouge.scoring import Score
from harness.rouge.settings import Settings, sign
from harness.run.distributed import ExecutorError, local_dictionary
from harness.run.executors import Recording, blocked_signals, how_ended, init_worker, stop_workers

Pair = tuple[Target, str] | tuple[Target, str, Any]
Result = tuple[Any, dict[str, Score]]
Chunk = list[tuple[Target, str]]  # what travels to a worker
Packed = list[tuple[float, ...]]  # what comes back: (precision, recall, fmeasure) per metric, flat, per pair
CHUNK_SIZE = 256
# Analysed texts each process keeps (Scorer's cache_size). About 40 KB each for the benchmark's texts
# of ~320 characters: measured on 30,000 of its pairs, 1,000 held 61 MiB and 10,000 (Scorer's default)
# 424 MiB for about 7% less CPU time. A stream's reuse is mostly a reference shared by nearby pairs.
CACHE_SIZE = 1_000
# A long-lived worker (a Dask cluster's) may see many settings; it keeps the scorers of a few.
_MAX_SCORERS = 4


@dataclass(frozen=True)
class _Spec:
    """What a worker needs to score: the settings (no path in them), a user dictionary's bytes,
    and how many analysed texts to keep."""

    settings: Settings
    dictionary: bytes | None
    cache_size: int


_SCORERS: dict[_Spec, Scorer] = {}


def _scorer(spec: _Spec) -> Scorer:
    """This process's Scorer for `spec`, made once (jieba's dictionary is loaded on its first text)."""
    found = _SCORERS.get(spec)
    if found is None:
        if len(_SCORERS) >= _MAX_SCORERS:
            _SCORERS.clear()
        s = spec.settings
        user_dict = None if spec.dictionary is None else local_dictionary(spec.dictionary)
        found = Scorer(
            s.metrics, unit=s.unit, hmm=s.hmm, user_dict=user_dict, t2s=s.t2s, multiref=s.multiref, cache_size=spec.cache_size
        )
        _SCORERS[spec] = found
    return found


def score_chunk(spec: _Spec, pairs: Chunk) -> Packed:
    """On a worker: each pair's (precision, recall, fmeasure) per metric, flat, in the spec's metric order."""
    scorer = _scorer(spec)
    metrics = spec.settings.metrics
    out = []
    for target, prediction in pairs:
        scores = scorer.score(target=target, prediction=prediction)
        out.append(tuple(x for m in metrics for x in scores[m]))
    return out


def _checked(item: Any, index: int) -> tuple[Any, Target, str]:
    """(key, target, prediction) of one input item, or the error Scorer.score would raise, naming the pair."""
    if not isinstance(item, tuple | list) or len(item) not in (2, 3):
        raise TypeError(f"pair {index}: expected (target, prediction) or (target, prediction, key), not {item!r:.80}")
    target, prediction = item[0], item[1]
    if not isinstance(target, str):
        if not isinstance(target, Sequence) or not all(isinstance(t, str) for t in target):
            raise TypeError(f"pair {index}: the target must be a str or a list of str, not {target!r:.80}")
        if not target:
            raise InputError(f"pair {index}: target: an empty list of references; give at least one")
        target = tuple(target)
    if not isinstance(prediction, str):
        raise TypeError(f"pair {index}: the prediction must be a str, not {type(prediction).__name__}")
    return (item[2] if len(item) == 3 else index), target, prediction


class ScoreStream(Iterator[Result]):
    """The results of `score_stream`: an iterator of `(key, {metric: Score})`, one per pair in
    input order, with the `signature` of its numbers; `close()` (or leaving a `with` block)
    stops the work still pending."""

    def __init__(self, results: Generator[Result, None, None], settings: Settings) -> None:
        self._results = results
        self.settings = settings

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metric names, in the order each result lists them."""
        return tuple(self.settings.metrics)

    @property
    def signature(self) -> str:
        """The reproducibility signature of every score of the stream (no corpus counts)."""
        return sign(self.settings.processor(), self.settings)

    def __iter__(self) -> ScoreStream:
        return self

    def __next__(self) -> Result:
        return next(self._results)

    def close(self) -> None:
        """Stop: chunks not started are cancelled, the pool's workers ended; idempotent."""
        self._results.close()

    def __enter__(self) -> ScoreStream:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def score_stream(
    pairs: Iterable[Pair],
    metrics: Sequence[str] | str = DEFAULT_METRICS,
    *,
    unit: str = "word",
    hmm: bool = True,
    user_dict: str | Path | None = None,
    t2s: bool = False,
    multiref: str = "best",
    jobs: int = 1,
    executor: cf.Executor | None = None,
    chunk_size: int = CHUNK_SIZE,
    in_flight: int | None = None,
    cache_size: int = CACHE_SIZE,
) -> ScoreStream:
    """Score each `(target, prediction)` or `(target, prediction, key)` of `pairs`, read lazily,
    and yield `(key, {metric: Score})` per pair in input order (the key is the pair's position
    when not given): exactly `Scorer(metrics, unit=..., ...).score(target=..., prediction=...)`,
    a target being one reference or a list of them.

    `jobs=1` scores in this process; `jobs` > 1 on a pool of that many processes started for the
    stream; `executor` on any concurrent.futures.Executor, `jobs` then saying how many workers it
    has. Pairs travel in chunks of `chunk_size`, at most `in_flight` chunks (default `2 * jobs`)
    read ahead of what the caller has taken; each process keeps `cache_size` analysed texts (a
    reference shared by many pairs is tokenized once). Settings are checked here, before any pair
    is read."""
    settings = Settings(
        metrics=metrics, unit=unit, hmm=hmm, user_dict=None if user_dict is None else Path(user_dict), t2s=t2s,
        multiref=multiref,
    )
    settings.check()  # the user dictionary is read and parsed now: a bad one fails before any pair is read
    for name, value in (("jobs", jobs), ("chunk_size", chunk_size), ("in_flight", in_flight)):
        if value is not None and (not isinstance(value, int) or value < 1):
            raise InputError(f"score_stream: {name} must be a positive whole number, not {value!r}")
    if cache_size < 0:
        raise InputError(f"score_stream: cache_size must be 0 or more, not {cache_size!r}")
    if executor is None and jobs == 1:
        scorer = Scorer(
            settings.metrics, unit=unit, hmm=hmm, user_dict=user_dict, t2s=t2s, multiref=multiref, cache_size=cache_size
        )
        return ScoreStream(_in_process(pairs, scorer), settings)
    dictionary = None if settings.user_dict is None else Path(settings.user_dict).read_bytes()
    spec = _Spec(replace(settings, user_dict=None), dictionary, cache_size)
    ahead = in_flight if in_flight is not None else 2 * jobs
    run = _on_executor(executor) if executor is not None else _on_pool(jobs)
    return ScoreStream(_chunked(pairs, spec, run, chunk_size, ahead), settings)


def _in_process(pairs: Iterable[Pair], scorer: Scorer) -> Generator[Result, None, None]:
    for index, item in enumerate(pairs):
        key, target, prediction = _checked(item, index)
        yield key, scorer.score(target=target, prediction=prediction)


@dataclass
class _Engine:
    """Where chunks run, opened when the stream starts: how to submit one, what a lost worker
    was and how it ended, what to suggest then, and what to do at the end."""

    submit: Callable[[_Spec, Chunk], cf.Future[Packed]]
    lost: Callable[[], str]
    close: Callable[[bool], None]  # told whether every result was taken
    hint: str = ""


def _on_executor(executor: cf.Executor) -> Callable[[], _Engine]:
    def start() -> _Engine:
        return _Engine(
            submit=lambda spec, pairs: executor.submit(score_chunk, spec, pairs),
            lost=lambda: "a worker process of the executor ended unexpectedly",
            close=lambda _finished: None,  # the caller's executor: pending chunks are cancelled, it stays open
        )

    return start


def _on_pool(jobs: int) -> Callable[[], _Engine]:
    def start() -> _Engine:
        # Forked on Linux, as the pipeline's pool is: no module to import again, no jieba in the parent to share.
        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
        recording = Recording(context)
        pool = ProcessPoolExecutor(jobs, mp_context=cast(BaseContext, recording), initializer=init_worker, initargs=(None,))

        def submit(spec: _Spec, pairs: Chunk) -> cf.Future[Packed]:
            with blocked_signals():  # a submit may fork a worker: it starts with the stopping signals blocked
                return pool.submit(score_chunk, spec, pairs)

        def close(finished: bool) -> None:
            with blocked_signals():
                if not finished:  # stopped early: workers may be busy with chunks no one will read
                    stop_workers(recording.made)
                pool.shutdown(wait=True, cancel_futures=True)

        def lost() -> str:
            return f"a score_stream worker process {how_ended(recording.made)}"

        return _Engine(submit, lost, close, "; the out-of-memory killer sends SIGKILL: try fewer jobs")

    return start


def _chunked(
    pairs: Iterable[Pair], spec: _Spec, start: Callable[[], _Engine], chunk_size: int, in_flight: int
) -> Generator[Result, None, None]:
    """The results of `pairs` scored in chunks on the engine `start` opens, in input order."""
    source = iter(pairs)
    engine = start()
    # Chunks read and not yet yielded, oldest first: (its first pair's index, keys, future), or
    # the error met while reading, raised in its turn.
    pending: deque[tuple[int, list[Any], cf.Future[Packed]] | BaseException] = deque()
    read = 0  # pairs read from the source
    yielded = 0
    exhausted = finished = False

    def submit(work: Chunk) -> cf.Future[Packed]:
        try:
            return engine.submit(spec, work)
        except cf.BrokenExecutor:
            raise WorkerLost(_lost_message(engine, yielded)) from None

    def read_chunk() -> bool:
        """One more chunk into `pending`; False once the source is done (or failed)."""
        nonlocal read
        keys: list[Any] = []
        work: Chunk = []
        error: Exception | None = None
        try:
            for item in islice(source, chunk_size):
                key, target, prediction = _checked(item, read + len(work))
                keys.append(key)
                work.append((target, prediction))
        except Exception as exc:  # the caller's iterable or a bad pair: raised after the results before it
            error = exc
        if work:
            pending.append((read, keys, submit(work)))
            read += len(work)
        if error is not None:
            pending.append(error)
        return error is None and len(work) == chunk_size

    try:
        while True:
            while not exhausted and len(pending) < in_flight:
                exhausted = not read_chunk()
            if not pending:
                break
            entry = pending.popleft()
            if isinstance(entry, BaseException):
                raise entry
            first, keys, future = entry
            packed = _result(future, first, len(keys), engine, yielded)
            # The chunk being yielded counts as in flight: read ahead of what the caller took, at most in_flight chunks.
            while not exhausted and len(pending) < in_flight - 1:
                exhausted = not read_chunk()
            for key, values in zip(keys, packed, strict=True):
                yield key, {m: Score(*values[3 * i : 3 * i + 3]) for i, m in enumerate(spec.settings.metrics)}
                yielded += 1
        finished = True
    finally:
        for entry in pending:
            if not isinstance(entry, BaseException):
                entry[2].cancel()
        engine.close(finished)


def _lost_message(engine: _Engine, yielded: int) -> str:
    return f"{engine.lost()} after {yielded:,} results had been yielded; the pairs after them were not scored{engine.hint}"


def _result(future: cf.Future[Packed], first: int, count: int, engine: _Engine, yielded: int) -> Packed:
    try:
        return future.result()
    except HarnessError:
        raise
    except cf.BrokenExecutor:  # a pool's worker died: every chunk still pending is lost with it
        raise WorkerLost(_lost_message(engine, yielded)) from None
    except Exception as exc:  # the executor's own failure (Dask's KilledWorker after its retries...)
        where = f"pair {first}" if count == 1 else f"pairs {first} .. {first + count - 1}"
        raise ExecutorError(f"the executor could not score {where}: {type(exc).__name__}: {exc}") from exc
