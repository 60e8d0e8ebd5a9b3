"""Console entry point: signal handling first, then the (heavier) CLI import, so an early Ctrl-C
still ends with one line and exit 130 rather than a traceback."""

from __future__ import annotations

import signal
import sys
from typing import Any

INTERRUPTED = 130  # harness.errors.ExitCode.INTERRUPTED, not imported here to keep this module light


def _terminate(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """`harness` / `python -m harness`: a kill (SIGTERM) is handled like Ctrl-C, so temporary files are removed."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        from harness.cli import run
    except KeyboardInterrupt:
        sys.stderr.write("Error: interrupted\n")
        sys.exit(INTERRUPTED)
    run()
