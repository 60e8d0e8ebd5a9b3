"""Console entry point (`harness`, `python -m harness`): signal handlers first, then the CLI."""

from harness.cli import interrupts

interrupts.install()  # first: from here on, Ctrl-C or SIGTERM is exit 130 and one line


def main() -> None:
    """Run the CLI; whatever the outcome, late signals are ignored while Python shuts down."""
    try:
        from harness.cli.main import run  # the heavy imports, covered by the handlers

        run()
    finally:
        interrupts.ignore()
