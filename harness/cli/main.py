"""The `harness` command: a click group; exceptions become one-line errors and exit codes here only."""

from __future__ import annotations

import io
import os
import sys
from importlib import import_module
from typing import Any, NoReturn

import click

from harness._version import __version__
from harness.cli import interrupts
from harness.errors import ExitCode, HarnessError

# Every command: its module (which defines a click command of the same name) and the first sentence
# of its help, for `harness --help`. A command's module is imported only when that command runs:
# importing them all (nearly the whole package, tabulate and wcwidth included) took 0.14 s of
# the 0.20 s of `harness --version`. tests/test_startup.py checks each line against its command.
COMMANDS = {
    "cache": ("harness.cli.cache", "The cache of analysed texts and pair scores that makes reruns fast."),
    "check": ("harness.cli.check", "Fail (exit 1) when a system's scores regress against the baseline."),
    "compare": ("harness.cli.compare", "Compare every system with BASELINE_SYSTEM (default: the top-ranked one), "
                                       "document by document."),
    "explain": ("harness.cli.explain", "Show SYSTEM's summary of DOC as scoring sees it: tokens in the best reference "
                                       "(bold green, or [token]), off-topic bigrams (red, or {token}), and per theme "
                                       "the units covered and missed."),
    "facts": ("harness.cli.facts", "List every figure and name of each FILE (or of standard input) with its status: "
                                   "supported (in the source), off-topic (only in --offtopic), or unsupported."),
    "report": ("harness.cli.report", "Write one HTML file that opens offline in any browser: the ranking chart, theme "
                                     "coverage, a sortable per-document table, and each candidate beside each "
                                     "reference with matched tokens."),
    "score": ("harness.cli.score", "Score candidate summaries against reference summaries with ROUGE on jieba words."),
    "tokenize": ("harness.cli.tokenize", "Print the tokens of TEXT, of --file, or of standard input, as scoring "
                                         "sees them."),
}

# click >= 8.4 suggests close command names ("Did you mean 'score'?"); older versions raise a
# plain UsageError, which this leaves alone.
_NO_SUCH_COMMAND: Any = getattr(click.exceptions, "NoSuchCommand", ())


class _Failure(click.ClickException):
    """A HarnessError on its way out: click prints 'Error: message' and exits with our code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click reads it for the process status


class HarnessGroup(click.Group):
    """Translates the harness exception family, Ctrl-C, and a failed write to standard output,
    into messages and exit codes: the one place where that happens. Its commands are those of
    COMMANDS, each imported when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, sorted (as click lists them)."""
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command named `cmd_name`, its module imported now; None for an unknown name."""
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in COMMANDS:
            # Inside `invoke`; a signal during the import still ends the process at once, as during
            # any import (harness.cli.interrupts).
            command = getattr(import_module(COMMANDS[cmd_name][0]), cmd_name)
            self.add_command(command, cmd_name)
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        """click's, with every command offered to "Did you mean" (click offers those imported)."""
        try:
            return super().resolve_command(ctx, args)
        except _NO_SUCH_COMMAND as exc:
            raise _NO_SUCH_COMMAND(exc.command_name, possibilities=self.list_commands(ctx), ctx=ctx) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The Commands section of `harness --help` as click writes it, with COMMANDS' help lines
        for the commands not imported: showing it imports none."""
        names = self.list_commands(ctx)
        commands = [self.commands.get(name) or click.Command(name, help=COMMANDS[name][1]) for name in names]
        limit = formatter.width - 6 - max(map(len, names))  # click's: three times the default spacing
        rows = [(name, command.get_short_help_str(limit))
                for name, command in zip(names, commands, strict=True) if not command.hidden]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; HarnessError and Ctrl-C become a one-line error and its exit code."""
        try:
            try:
                interrupts.unwinding(True)  # a signal now unwinds, so temporary files are removed
                return super().invoke(ctx)
            finally:
                interrupts.unwinding(False)
        except HarnessError as exc:
            if interrupts.received():
                raise _Failure("interrupted", interrupts.status()) from None
            raise _Failure(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise _Failure("interrupted", interrupts.status()) from None
        except MemoryError:
            # Exit 1 means "regressed" to CI; running out of memory is a problem of the input.
            raise _Failure("out of memory (see docs/performance.md: long texts); nothing written",
                           ExitCode.USAGE) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """click's main, plus: a failed write to standard output is exit 2 and one line."""
        try:
            try:
                return super().main(*args, **kwargs)
            finally:
                # Anything still buffered fails here, inside this handler, and not as a traceback
                # during interpreter shutdown.
                for stream in (sys.stdout, sys.stderr):
                    if stream is not None:
                        stream.flush()
        except OSError as exc:
            # click has already handled a closed pipe (EPIPE, exit 1); core modules turn every
            # file error into a HarnessError. What is left is a failed write to a standard stream:
            # /dev/full, a full disk under `> out.txt`, an I/O error.
            _stream_failed(exc)


def _stream_failed(exc: OSError) -> NoReturn:
    """Report a failed write to standard output in one line, and exit 2.

    The bytes that could not be written stay in Python's buffer and would fail again at exit
    ("Exception ignored ..."), so the stream's descriptor is pointed at the null device first.
    If standard error is the broken one, the message cannot be shown, but the status is still 2.
    The name says "standard output" because a message about standard error is never seen. (An
    error naming a file would be a bug elsewhere; it is still one line naming that file.)"""
    _discard_pending(sys.stdout)
    reason = exc.strerror or str(exc)
    message = f"{exc.filename}: {reason}" if exc.filename else f"standard output: cannot write ({reason})"
    try:
        click.echo(f"Error: {message}", err=True)
    except OSError:
        _discard_pending(sys.stderr)
    sys.exit(ExitCode.USAGE)


def _discard_pending(stream: Any) -> None:
    """Point a process standard stream's descriptor at the null device (not a stream a test
    runner substituted: its descriptor, if any, belongs to the test process)."""
    if stream is None or stream not in (sys.__stdout__, sys.__stderr__):
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


def _utf8_standard_streams() -> None:
    """Write standard output and error as UTF-8, whatever the locale or PYTHONIOENCODING says.

    A redirected Windows console (cp1252) or an ASCII locale cannot encode Chinese, and the
    first system name would end the run with UnicodeEncodeError. Escaping what does not fit
    (errors="backslashreplace" alone) would turn the table into \\u escapes and make the JSON
    contract depend on the machine; UTF-8 keeps every output byte-identical everywhere and is
    what JSON requires. backslashreplace stays as the error handler only for lone surrogates
    (undecodable file names), the one thing UTF-8 cannot encode."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


@click.group(cls=HarnessGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="harness")
def cli() -> None:
    """ROUGE for Chinese summaries, on jieba word tokens, with a reproducibility signature.

    \b
    Examples:
      harness score                  rank ./candidates against ./references
      harness tokenize 开源模型      see the tokens scoring uses
      harness facts --source S F     which figures and names of F its source S supports
      harness check                  CI gate against baseline.json
      harness compare lead-3         is each system really better than lead-3?
      harness explain lead-3         lead-3's tokens marked, and its themes
    """


def run() -> None:
    """Run the CLI in standalone mode: click exits the process with the command's code (and
    itself handles a closed pipe and a Ctrl-C outside a command)."""
    _utf8_standard_streams()
    cli.main(prog_name="harness")
