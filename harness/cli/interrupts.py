"""Ctrl-C (SIGINT), SIGTERM, SIGHUP, SIGUSR1, SIGUSR2 and SIGALRM: one line and exit 128 + the
signal's number (130 for Ctrl-C, 143 for SIGTERM), from the entry point's first instruction on.

Outside a command (start-up, imports, option parsing) no file is being written, so a signal ends
the process at once: `Error: interrupted` on stderr, status 130. Inside a command (between
`unwinding(True)` and `unwinding(False)`, set by the CLI group) it raises KeyboardInterrupt
instead, so that `finally` blocks run and remove temporary files; the group turns that into the
same line and status. Once the run is over and reported, `ignore()` lets Python shut down
undisturbed. Only the standard library, and only cheap modules: this is imported right after the
(empty) package, before any other harness module.

An import is start-up wherever it happens: the command's own module, which the group imports
once the command is known, and what is imported on first use inside a command (tabulate when a
table is drawn, jieba when a text is first cut). No file is written during one (renderers run
before an output file is opened), and a KeyboardInterrupt raised inside one is not safe: the import system's callbacks swallowed it (the run went on, and printed a
traceback), and through the string `exec` with which dataclasses and named tuples build their
methods it set CPython's "unhandled KeyboardInterrupt" flag, so that `python -m harness` printed
its one line and then killed itself with SIGINT (11 of 60 runs signalled while the command's
module was imported, before this rule).
"""

from __future__ import annotations

import os
import signal
from types import FrameType

INTERRUPTED = 130  # harness.errors.ExitCode.INTERRUPTED, not imported: that module is not needed this early
MESSAGE = b"Error: interrupted\n"
# Every signal whose default action ends the process quietly and that a CI runner, a terminal or
# a supervisor sends to stop a run (SIGQUIT keeps its core dump). SIGTERM last: once it is ours,
# all are (tests wait for it in /proc/PID/status).
SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGINT", "SIGTERM")
    if hasattr(signal, name)
)

_unwind = False
_received = 0
_owner = os.getpid()  # the process that installed the handlers (install() sets it again)


def _importing(frame: FrameType | None) -> bool:
    """Whether `frame` runs inside an import: a frame of the import system is below it."""
    while frame is not None:
        if frame.f_globals.get("__name__") in ("importlib._bootstrap", "importlib._bootstrap_external"):
            return True
        frame = frame.f_back
    return False


def _on_signal(signum: int, frame: FrameType | None) -> None:
    global _received
    if os.getpid() != _owner:
        # A --jobs worker forked a moment ago, before its own handlers were set: it ends quietly,
        # as with the default action; the parent reports the signal (else one more line, and
        # multiprocessing's "Process ForkProcess-2:" with a traceback).
        os._exit(128 + signum)
    first = not _received
    _received = _received or signum  # the first one decides the status
    if _unwind and first and not _importing(frame):  # a second signal does not wait for the cleanup
        raise KeyboardInterrupt
    try:
        os.write(2, MESSAGE)  # no Python stream: it may hold half a line, or be mid-write
    except OSError:
        pass
    os._exit(128 + _received)


def received() -> bool:
    """Whether a stopping signal arrived (an error raised meanwhile is its consequence: a
    worker of the same process group that it killed)."""
    return bool(_received)


def status() -> int:
    """The exit status of an interrupted run: 128 + the signal's number (130 for a Ctrl-C that
    Python itself raised as KeyboardInterrupt)."""
    return 128 + (_received or signal.SIGINT)


def install() -> None:
    """Handle SIGNALS as described above."""
    global _owner
    _owner = os.getpid()
    for signum in SIGNALS:
        signal.signal(signum, _on_signal)


def unwinding(active: bool) -> None:
    """Inside a command (True), a signal raises KeyboardInterrupt so cleanup code runs."""
    global _unwind
    _unwind = active


def ignore() -> None:
    """The run is over and reported: ignore late signals, so that interpreter shutdown (which
    resets Python-level handlers to the default) can be neither killed nor given a traceback."""
    for signum in SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
