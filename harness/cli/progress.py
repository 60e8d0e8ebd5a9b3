"""A progress bar on standard error, for runs long enough to need one, on a terminal only."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

# A bar appears only once a run has taken this long: short runs stay quiet.
SHOW_AFTER_SECONDS = 1.0


@contextmanager
def progress_bar(total: int, label: str = "scoring documents") -> Iterator[Callable[[int], None]]:
    """Yields `advance(n)`. Nothing is drawn unless standard error is a terminal (never in pipes
    or CI logs) and the run is still going after SHOW_AFTER_SECONDS."""
    if not _is_terminal(sys.stderr):
        yield lambda _n: None
        return
    start = time.monotonic()
    done = 0
    bar: Any = None

    def advance(n: int) -> None:
        nonlocal done, bar
        done += n
        if bar is None and time.monotonic() - start >= SHOW_AFTER_SECONDS:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
            bar.update(done)
        elif bar is not None:
            bar.update(n)

    try:
        yield advance
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
