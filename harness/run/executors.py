"""Stages 1-3 spread over processes: a plain function mapped over chunks of documents.

The pool receives a function and its data (`work(job, chunk)`, or `work(job, chunk, given)` where
the parent sends something with a chunk), never the pipeline: this module
imports nothing of the harness's stages. On Linux the workers are forked once the parent has run
`warm` (which loads jieba's dictionary) and frozen its objects out of the garbage collector's
reach (gc.freeze), so the workers share the dictionary's pages instead of each building a copy,
and the job (the corpus) is inherited rather than pickled: only lists of document ids are sent (with,
on a warm run with facts, the answered documents and their texts' keys: harness.run.answers).
Measured on 100,000 pairs with 2 workers: 496 MiB peak (proportional set size of the three
processes) against 573 MiB when each worker loaded its own dictionary. (Sending each chunk's texts
to the workers instead of letting them read the inherited corpus was measured too: 636 MiB, as
Pool.imap pickles every chunk ahead.) Elsewhere (spawn) each worker receives the job once and loads jieba itself.

The pool is concurrent.futures' ProcessPoolExecutor, not multiprocessing.Pool: when a worker
dies (the out-of-memory killer's SIGKILL), Pool replaces it and waits for ever for the lost
chunk, while ProcessPoolExecutor's futures fail with BrokenProcessPool, which becomes WorkerLost
(exit 4) within a second. Measured on 20,000 pairs (10 systems, 2,000 documents, -j2, no cache):
the same bytes, 9.4 s and 166 MB peak resident set with either. When the run stops early (an error,
a signal, a lost worker) the workers are sent SIGKILL: Pool's terminate() could block on a queue
lock that a worker killed by a group SIGTERM held.

Results come back in chunk order, so the output is the same bytes as with one process. Workers
ignore Ctrl-C and die silently of SIGTERM, SIGHUP, SIGUSR1 and the like: the parent alone
reports a signal (one line, 128 + its number) and stops them.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.process
import signal
import sys
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import Any, TypeVar, cast

from harness.errors import WorkerLost

J = TypeVar("J")
R = TypeVar("R")

# Set in the parent just before a fork, read by the forked workers; or set by the spawn initializer.
_STATE: tuple[Callable[..., list[Any]], Any] | None = None  # (work, job): work(job, chunk) or work(job, chunk, given)
# Chunks small enough to balance two workers and keep progress moving, large enough that
# sending results back is a small share of the work.
_CHUNKS_PER_JOB = 8
_MAX_CHUNK = 64
# Workers are sent SIGKILL when the run stops early; this only bounds the wait for the kernel to reap them.
_JOIN_SECONDS = 5.0


# Signals that end a worker silently (the default action): a forked worker inherits the parent's
# Python handlers, which would raise KeyboardInterrupt inside it and print its traceback. The
# parent alone reports the signal; a SIGINT (Ctrl-C reaches the whole group) is the parent's to act on.
_WORKER_DEFAULTS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM") if hasattr(signal, name)
)


_BLOCKED = (signal.SIGINT, *_WORKER_DEFAULTS)


def init_worker(state: tuple[Callable[..., list[Any]], Any] | None) -> None:
    """In a worker as it starts: Ctrl-C is the parent's, the other stopping signals end it
    silently; `state` is the job a spawned worker receives (None when forked, or for no job)."""
    global _STATE
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in _WORKER_DEFAULTS:
        signal.signal(signum, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # forked with them blocked (see blocked_signals)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _BLOCKED)
    if state is not None:
        _STATE = state


def _run(chunk: list[str], given: Any = None) -> list[Any]:
    assert _STATE is not None
    work, job = _STATE
    return work(job, chunk) if given is None else work(job, chunk, given)


def chunks(items: Sequence[str], jobs: int) -> list[list[str]]:
    """Items cut into consecutive chunks, about `_CHUNKS_PER_JOB` per process."""
    size = max(1, min(_MAX_CHUNK, -(-len(items) // (jobs * _CHUNKS_PER_JOB))))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def map_chunks(
    work: Callable[..., list[R]],
    job: J,
    items: Sequence[str],
    *,
    jobs: int,
    progress: Callable[[int], None] | None = None,
    warm: Callable[[], None] | None = None,
    given: Callable[[list[str]], Any] | None = None,
) -> Generator[R, None, None]:
    """`work(job, chunk)` over consecutive chunks of `items` on `jobs` processes, results in order;
    `warm` runs in the parent before the fork (what the workers should share); `progress` is
    called with the number of items in each finished chunk. `given`, if given, is called in the
    parent with each chunk just before it is handed out (the first chunk's before the fork, the
    others' while the workers work), and what it returns goes with the chunk: `work(job, chunk,
    given(chunk))`, or `work(job, chunk)` when it returns None."""
    global _STATE
    jobs = max(1, min(jobs, len(items)))  # a process with no chunk would only cost memory
    fork = sys.platform.startswith("linux")
    context = multiprocessing.get_context("fork" if fork else None)
    if fork:
        _STATE = (work, job)
        if warm is not None:
            warm()
        gc.freeze()  # what the workers inherit stays shared: the collector never writes to it
    state = None if fork else (work, job)
    recording = Recording(context)
    pool = ProcessPoolExecutor(jobs, mp_context=cast(BaseContext, recording), initializer=init_worker, initargs=(state,))
    workers = recording.made
    finished = lost = False
    try:
        # Every chunk is submitted in turn (a list of document ids each; the workers read the
        # texts from the job they inherited), each as soon as `given` says what goes with it:
        # the first submit forks all the workers.
        futures = []
        try:
            for chunk in chunks(items, jobs):
                extra = None if given is None else given(chunk)
                with blocked_signals():
                    futures.append(pool.submit(_run, chunk, extra))
        except BrokenProcessPool:  # a worker died before every chunk was handed out
            futures, lost = [], True
        for future in futures:
            try:
                batch = future.result()
            except BrokenProcessPool:
                lost = True
                break
            yield from batch
            if progress is not None:
                progress(len(batch))
        finished = not lost
    finally:
        _STATE = None
        # A signal arriving now (the group's, noticed after its workers died) waits until the
        # pool is stopped and its thread joined, so the cleanup is never cut half-way.
        with blocked_signals():
            if not finished and not lost:  # an error, a signal, or the caller stopped reading
                stop_workers(workers)
            # Joins the pool's thread: one left running fails at exit ("Exception ignored in:
            # <module 'threading'>"). Once a worker is lost, that thread has sent SIGTERM to
            # the others and reaped them all, so every exit code is known.
            pool.shutdown(wait=True, cancel_futures=True)
            if fork:
                gc.unfreeze()
    if lost:
        raise WorkerLost(_lost(workers, jobs))


@contextlib.contextmanager
def blocked_signals() -> Iterator[None]:
    """Block the stopping signals while the pool forks its workers and starts its threads, and
    while it is stopped.

    Threads and forked children inherit the mask. So the pool's threads never take a signal
    meant for the process, and the main thread, alone able to take it, is woken from its wait
    for a result at once: otherwise a signal to the whole group could be noticed only after the
    pool saw its workers die, in the middle of stopping it. And a worker gets a stopping signal
    only once init_worker has set what it does there. A signal sent meanwhile waits, and arrives when
    the mask is restored."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _BLOCKED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class Recording:
    """The multiprocessing context given, remembering every process it makes: the workers are
    known even when one dies before the pool has reported it (multiprocessing.active_children()
    drops a dead process the moment it is asked)."""

    def __init__(self, context: Any) -> None:
        self._context = context
        self.made: list[multiprocessing.process.BaseProcess] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)

    def Process(self, *args: Any, **kwargs: Any) -> multiprocessing.process.BaseProcess:
        process: multiprocessing.process.BaseProcess = self._context.Process(*args, **kwargs)
        self.made.append(process)
        return process


def stop_workers(workers: list[multiprocessing.process.BaseProcess]) -> None:
    """End the workers at once: waiting for a worker stuck on a lock a killed sibling held (what
    multiprocessing.Pool's terminate does) can wait for ever."""
    for worker in workers:
        worker.kill()
    for worker in workers:
        worker.join(_JOIN_SECONDS)


def how_ended(workers: list[multiprocessing.process.BaseProcess]) -> str:
    """How a lost worker ended ("was killed by SIGKILL", "exited with status 3"), once the pool
    is broken. The pool sent SIGTERM to the others once one was lost, so any other ending names
    the cause better."""
    stop_workers(workers)  # none is left by now; this only makes sure
    codes = [w.exitcode for w in workers if w.exitcode not in (None, 0)]
    code = next((c for c in codes if c != -signal.SIGTERM.value), codes[0] if codes else None)
    if code is None:
        return "ended unexpectedly"
    return f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited with status {code}"


def _lost(workers: list[multiprocessing.process.BaseProcess], jobs: int) -> str:
    """The one line a lost worker becomes, naming how it ended."""
    hint = "; the out-of-memory killer sends SIGKILL: try fewer --jobs" if jobs > 1 else ""
    return f"a --jobs worker process {how_ended(workers)} before returning its documents; no output was written{hint}"
