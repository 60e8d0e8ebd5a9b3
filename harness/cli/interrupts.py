"""Ctrl-C (SIGINT) and SIGTERM: exit 130 with one line, from the entry point's first instruction on.

Outside a command (start-up, imports, option parsing) no file is being written, so a signal ends
the process at once: `Error: interrupted` on stderr, status 130. Inside a command (between
`unwinding(True)` and `unwinding(False)`, set by the CLI group) it raises KeyboardInterrupt
instead, so that `finally` blocks run and remove temporary files; the group turns that into the
same line and status. Once the run is over and reported, `ignore()` lets Python shut down
undisturbed. Only the standard library, and only cheap modules: this is imported right after the
(empty) package, before any other harness module.
"""

from __future__ import annotations

import os
import signal

INTERRUPTED = 130  # harness.errors.ExitCode.INTERRUPTED, not imported: that module is not needed this early
MESSAGE = b"Error: interrupted\n"

_unwind = False


def _on_signal(_signum: int, _frame: object) -> None:
    if _unwind:
        raise KeyboardInterrupt
    try:
        os.write(2, MESSAGE)  # no Python stream: it may hold half a line, or be mid-write
    except OSError:
        pass
    os._exit(INTERRUPTED)


def install() -> None:
    """Handle SIGINT and SIGTERM as described above (SIGTERM last: once it is ours, both are)."""
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)


def unwinding(active: bool) -> None:
    """Inside a command (True), a signal raises KeyboardInterrupt so cleanup code runs."""
    global _unwind
    _unwind = active


def ignore() -> None:
    """The run is over and reported: ignore late signals, so that interpreter shutdown (which
    resets Python-level handlers to the default) can be neither killed nor given a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
