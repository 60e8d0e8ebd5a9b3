"""One exception family for the whole harness, the exit codes the CLI maps it to, and `visible`,
which keeps every message (and every name a renderer shows) on one visible line.

The ground floor with harness.files: every other module may import it, it imports nothing of
the harness."""

from __future__ import annotations

import enum
import unicodedata

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Control (Cc), format (Cf: zero-width and bidi controls), surrogate (Cs) characters and the
# line and paragraph separators (Zl, Zp) are invisible or move the cursor.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _is_noncharacter(ch: str) -> bool:
    """U+FDD0..U+FDEF and U+xFFFE/U+xFFFF: reserved, never text; XML 1.0 forbids U+FFFE and U+FFFF."""
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def visible(text: str, *, backslash: bool = True) -> str:
    """`text` with tab, CR and LF as \\t \\r \\n and other invisible characters as \\xNN,
    \\uNNNN or \\UNNNNNNNN; with `backslash`, a backslash is doubled so escapes stay unambiguous."""
    if text.isprintable() and not (backslash and "\\" in text):
        # Nothing to change: str.isprintable is False for every character escaped below (Cc, Cf,
        # Cs, Zl, Zp and the unassigned noncharacters) and checks in C what the loop checks in
        # Python (a run's thousand warnings took 0.7 s through the loop).
        return text
    out = []
    for ch in text:
        if ch in _NAMED:
            out.append(_NAMED[ch])
        elif ch == "\\" and backslash:
            out.append("\\\\")
        elif unicodedata.category(ch) in _HIDDEN or _is_noncharacter(ch):
            out.append(_escape(ch))
        else:
            out.append(ch)
    return "".join(out)



class ExitCode(enum.IntEnum):
    """Documented process exit codes (README, "Exit codes")."""

    OK = 0
    GATE_FAILED = 1  # `harness check`: a regression, a score under a floor, a missing system
    USAGE = 2  # bad command line, bad config, unreadable or invalid input files
    SIGNATURE_MISMATCH = 3  # baseline made with other settings than the current run
    WORKER_LOST = 4  # a --jobs worker process died (SIGKILL from the out-of-memory killer, a crash)
    INTERRUPTED = 130  # Ctrl-C / SIGINT, by shell convention 128 + SIGINT; other signals 128 + n (SIGTERM 143)


class HarnessError(Exception):
    """Base class: the message is one line naming the file (if any) and the problem."""

    exit_code: ExitCode = ExitCode.USAGE

    def __str__(self) -> str:
        # A path or name may hold a newline or an ESC sequence: the message stays one visible line.
        return visible(super().__str__(), backslash=False)


class InputError(HarnessError):
    """A file, folder or value given to the harness cannot be used."""


class InputProblems(InputError):
    """Several input problems (or a how-to-start), one per line: each line is made visible on its
    own, so a newline inside a name still cannot break a line, but the list reads as a list."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)

    def __str__(self) -> str:
        return "\n".join(visible(line, backslash=False) for line in self.lines)


class ConfigError(HarnessError):
    """`[tool.harness]` in pyproject.toml is malformed or has unknown keys."""


class BaselineError(HarnessError):
    """The baseline file is missing, truncated or malformed."""


class WorkerLost(HarnessError):
    """A worker process of --jobs ended without returning its documents' results."""

    exit_code = ExitCode.WORKER_LOST


class SignatureMismatch(HarnessError):
    """The baseline was produced with different settings than the current run."""

    exit_code = ExitCode.SIGNATURE_MISMATCH
