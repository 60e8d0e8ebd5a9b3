"""Console entry point (`harness`, `python -m harness`): signal handlers first, then the CLI."""

import gc

from harness.cli import interrupts

interrupts.install()  # first: from here on, Ctrl-C or SIGTERM is exit 130 and one line


def main() -> None:
    """Run the CLI; whatever the outcome, late signals are ignored while Python shuts down."""
    try:
        from harness.cli.main import run  # the heavy imports, covered by the handlers

        run()
    finally:
        interrupts.ignore()
        # Python's last collection at exit would look at every object the run kept (60-200 ms on a
        # 10 x 1,000 corpus); frozen, they are left to the process's end, as they would be anyway.
        gc.freeze()
