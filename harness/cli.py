"""The `harness` command: a click group; exceptions become one-line errors and exit codes here only."""

from __future__ import annotations

from typing import Any

import click

from harness import __version__
from harness.commands.cache import cache
from harness.commands.check import check
from harness.commands.compare import compare
from harness.commands.score import score
from harness.commands.tokenize import tokenize
from harness.errors import ExitCode, HarnessError


class _Failure(click.ClickException):
    """A HarnessError on its way out: click prints 'Error: message' and exits with our code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click reads it for the process status


class HarnessGroup(click.Group):
    """Translates the harness exception family, and Ctrl-C, into messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HarnessError as exc:
            raise _Failure(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise _Failure("interrupted", ExitCode.INTERRUPTED) from None


@click.group(cls=HarnessGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="harness")
def cli() -> None:
    """ROUGE for Chinese summaries, on jieba word tokens, with a reproducibility signature.

    \b
    Examples:
      harness score                  rank ./candidates against ./references
      harness tokenize 开源模型      see the tokens scoring uses
      harness check                  CI gate against baseline.json
      harness compare lead-3         is each system really better than lead-3?
    """


cli.add_command(score)
cli.add_command(check)
cli.add_command(compare)
cli.add_command(tokenize)
cli.add_command(cache)


def run() -> None:
    """Run the CLI in standalone mode: click exits the process with the command's code (and
    itself handles a closed pipe and a Ctrl-C outside a command)."""
    cli.main(prog_name="harness")
