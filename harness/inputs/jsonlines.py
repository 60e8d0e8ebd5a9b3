"""Reading a JSON Lines file one object at a time: strict UTF-8 (a BOM at the start honoured, a
wide BOM named), no duplicated keys or NaN/Infinity constants, blank lines skipped, a cut last
line reported as truncated; problems collected per file with `file:line`, at most MAX_SHOWN
listed, then a count (harness.inputs.jsonl gives the objects their meaning).
"""

from __future__ import annotations

import codecs
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from harness.files import MAX_TEXT_BYTES

MAX_SHOWN = 20  # kinds of problem (and missing-summary warnings) listed per file: no megabyte messages
LINES_SHOWN = 3  # line numbers listed for a kind of problem met on several lines
_JSON_SPACE = b" \t\r\n"
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16-LE, whose BOM it starts with
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)



class FileReport:
    """Problems of one file, grouped by kind: a kind met on one line reads `{path}:{line}: ...`
    (or `{path}: ...`), a kind met on several `{path}: N lines: ... (lines 1, 2, 3, …)`, so a
    field missing from every line is one line, not one per line. At most MAX_SHOWN kinds are
    listed, then a count of the rest."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kinds: dict[str, tuple[tuple[str, str] | None, list[int | None]]] = {}

    @property
    def count(self) -> int:
        return sum(len(lines) for _many, lines in self.kinds.values())

    def add(self, message: str, line: int | None = None, *, many: tuple[str, str] | None = None) -> None:
        """Record `message` about `line`; `many` = (verb phrase, tail) words it for several lines:
        ("miss field 'id'", "; the lines have ...") gives "N lines miss field 'id' (lines ...); the lines have ..."."""
        self.kinds.setdefault(message, (many, []))[1].append(line)

    def lines(self) -> list[str]:
        """The grouped problems, one line per kind (at most MAX_SHOWN, then a count of the rest)."""
        out = []
        for message, (many, lines) in list(self.kinds.items())[:MAX_SHOWN]:
            if len(lines) == 1:
                out.append(f"{self.path}: {message}" if lines[0] is None else f"{self.path}:{lines[0]}: {message}")
                continue
            numbers = [str(n) for n in lines if n is not None][:LINES_SHOWN]
            where = f" (lines {', '.join(numbers)}{', …' if len(lines) > LINES_SHOWN else ''})" if numbers else ""
            if many is None:
                out.append(f"{self.path}: {len(lines)} lines: {message}{where}")
            else:
                out.append(f"{self.path}: {len(lines)} lines {many[0]}{where}{many[1]}")
        rest = sum(len(lines) for _many, lines in list(self.kinds.values())[MAX_SHOWN:])
        if rest:
            out.append(f"{self.path}: {rest} more problems not shown")
        return out

    def flush_into(self, problems: list[str]) -> None:
        problems.extend(self.lines())


class LineError(Exception):
    """What is wrong with one line's bytes or JSON; `cut` when the line may have been truncated."""

    def __init__(self, message: str, cut: bool = False) -> None:
        super().__init__(message)
        self.cut = cut


def _reject_constant(name: str) -> object:
    raise LineError(f"invalid JSON ({name} is not allowed)")


def _object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    obj = dict(pairs)
    if len(obj) < len(pairs):  # json.loads would keep the last value silently
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise LineError(f"duplicate key {key!r} in one object")
            seen.add(key)
    return obj


# One decoder for every line: json.loads with hooks would build a new one per line (15% of the time).
_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_reject_constant)


def parse_line(raw: bytes, offset: int) -> object:
    """The JSON value of one line starting at byte `offset` of its file; LineError if bad."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = raw[exc.start : exc.start + 1].hex()
        cut = exc.reason == "unexpected end of data"
        raise LineError(f"not valid UTF-8 (byte 0x{byte} at offset {offset + exc.start})", cut) from None
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        # "Extra data" means a whole value was read: whatever is wrong, it was not cut short.
        where = f"{exc.msg.removesuffix(' at')} at column {exc.colno}"  # "Unterminated string starting at"
        raise LineError(f"invalid JSON ({where})", exc.msg != "Extra data") from None
    except RecursionError:
        raise LineError("invalid JSON (nested too deeply)") from None
    except ValueError:  # int() refuses more than sys.get_int_max_str_digits() digits
        raise LineError("invalid JSON (a number too long to read)") from None


def open_jsonl(path: Path, report: FileReport) -> BinaryIO | None:
    """The file opened for reading, or None with the problem reported: not a regular file (a FIFO
    or a device would block or never end), or over the limit every input file has (MAX_TEXT_BYTES)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block the open
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            os.close(fd)
            report.add("is a folder, expected a JSONL file")
            return None
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            report.add("is not a regular file (a FIFO, a device or a socket); give a JSONL file")
            return None
        if info.st_size > MAX_TEXT_BYTES:
            os.close(fd)
            report.add(f"is {info.st_size / 2**20:.1f} MiB, over the {MAX_TEXT_BYTES // 2**20} MiB an input file may have; "
                       "split it (one file per system works)")
            return None
        return os.fdopen(fd, "rb")
    except FileNotFoundError:
        report.add("broken symbolic link" if path.is_symlink() else "no such file")
    except IsADirectoryError:
        report.add("is a folder, expected a JSONL file")
    except PermissionError:
        report.add("permission denied")
    except OSError as exc:
        report.add(f"cannot be read ({exc.strerror or exc})")
    return None


def kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def objects(path: Path, report: FileReport) -> Iterator[tuple[int, dict[str, object]]]:
    """(line number, object) of each non-blank line, streamed; every bad line is reported."""
    handle = open_jsonl(path, report)
    if handle is None:
        return
    blank = True
    offset = 0
    with handle:
        try:
            for lineno, raw in enumerate(handle, 1):
                start, offset = offset, offset + len(raw)
                if lineno == 1:
                    wide = next((name for bom, name in _WIDE_BOMS if raw.startswith(bom)), None)
                    if wide:  # every line would be garbage: one problem, not one per line
                        report.add(f"starts with a {wide} byte-order mark; JSON Lines files must be UTF-8")
                        return
                    if raw.startswith(codecs.BOM_UTF8):
                        raw, start = raw[len(codecs.BOM_UTF8) :], start + len(codecs.BOM_UTF8)
                elif raw.startswith(codecs.BOM_UTF8):
                    # JSON allows a byte-order mark only at the start of a file; one later on is
                    # what concatenating two files with BOMs (`cat a.jsonl b.jsonl`) leaves.
                    report.add("starts with a UTF-8 byte-order mark, which JSON Lines allows only at the start of "
                               "the file (were files with BOMs concatenated?); remove it", lineno)
                    continue
                if not raw.strip(_JSON_SPACE):
                    continue
                blank = False
                try:
                    # Without its line break, an unclosed string is "Unterminated", not "Invalid control character".
                    value = parse_line(raw.rstrip(b"\r\n"), start)
                except LineError as exc:
                    cut = exc.cut and not raw.endswith(b"\n")
                    note = "; the line looks truncated (the file does not end with a newline)" if cut else ""
                    report.add(f"{exc}{note}", lineno)
                    continue
                if isinstance(value, dict):
                    yield lineno, value
                else:
                    report.add(f"expected a JSON object, found {kind(value)}", lineno)
        except OSError as exc:
            report.add(f"cannot be read ({exc.strerror or exc})")
            return
    if blank:
        report.add("empty file (no JSON objects)")
