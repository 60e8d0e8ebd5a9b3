"""One exception family for the whole harness, and the exit codes the CLI maps it to."""

from __future__ import annotations

import enum

from harness.display import visible


class ExitCode(enum.IntEnum):
    """Documented process exit codes (README, "Exit codes")."""

    OK = 0
    GATE_FAILED = 1  # `harness check`: a regression, a score under a floor, a missing system
    USAGE = 2  # bad command line, bad config, unreadable or invalid input files
    SIGNATURE_MISMATCH = 3  # baseline made with other settings than the current run
    INTERRUPTED = 130  # Ctrl-C / SIGINT / SIGTERM, by shell convention 128 + SIGINT


class HarnessError(Exception):
    """Base class: the message is one line naming the file (if any) and the problem."""

    exit_code: ExitCode = ExitCode.USAGE

    def __str__(self) -> str:
        # A path or name may hold a newline or an ESC sequence: the message stays one visible line.
        return visible(super().__str__(), backslash=False)


class InputError(HarnessError):
    """A file, folder or value given to the harness cannot be used."""


class ConfigError(HarnessError):
    """`[tool.harness]` in pyproject.toml is malformed or has unknown keys."""


class BaselineError(HarnessError):
    """The baseline file is missing, truncated or malformed."""


class SignatureMismatch(HarnessError):
    """The baseline was produced with different settings than the current run."""

    exit_code = ExitCode.SIGNATURE_MISMATCH
