"""Reading text files with explicit encoding rules and a size limit, and writing outputs safely."""

from __future__ import annotations

import codecs
import errno
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from harness.errors import InputError

MAX_TEXT_BYTES = 64 * 1024 * 1024
"""Largest text file the harness reads (64 MiB, some 20 million Chinese characters: far beyond any
article or summary, while a 5 MB text still scores). Without a limit, a candidate that is by mistake
a huge log or a disk image would fill memory before jieba ever saw it. Read at call time, so tests
can lower it."""

_CHUNK = 1024 * 1024
# Flags for opening inputs: O_NONBLOCK so that opening a FIFO never waits for a writer (what is
# opened is checked before anything is read; reads from regular files ignore the flag); O_NOCTTY
# so that opening a terminal device never makes it ours. Both are 0 where the OS lacks them.
_OPEN_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_OPEN_WRITE = os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_like_utf16(data: bytes) -> bool:
    """Many NUL bytes on one parity: ASCII or CJK text in UTF-16 without a BOM. (Valid UTF-8
    text has NUL bytes only as rare control characters.)"""
    sample = data[:4096]
    if len(sample) < 4:
        return False
    zeros = sample.count(0)
    return zeros * 4 >= len(sample) and max(sample[0::2].count(0), sample[1::2].count(0)) * 5 >= zeros * 4


ENCODING_HINT = "try utf-8, gb18030, big5, utf-16"


def refuse_nul(what: str, path: str | os.PathLike[str] | None) -> None:
    """InputError when `path` holds a NUL character, which no file name can (os.stat and open raise
    a bare ValueError for it)."""
    if path is not None and "\0" in str(path):
        raise InputError(f"{what} must not hold a NUL character, not {str(path)!r}")


def encoding_problem(name: str) -> str | None:
    """Why `name` cannot decode text files ("not a text encoding"), or None when it can.

    codecs.lookup also finds bytes-to-bytes and str-to-str codecs (hex, base64, zlib, rot13...),
    which bytes.decode refuses with a LookupError; "undefined" is registered as a text
    encoding but raises UnicodeError on every input. Only real text encodings pass."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a NUL character in the name
        return "not an encoding Python knows"
    if not info._is_text_encoding or info.name == "undefined":
        return "not a text encoding"
    return None


def check_encoding(encoding: str | None) -> None:
    """Raise InputError when `encoding` (from --encoding) is not a text encoding Python knows."""
    if encoding is None:
        return
    problem = encoding_problem(encoding)
    if problem:
        raise InputError(f"--encoding {encoding}: {problem} ({ENCODING_HINT})")


def decode(data: bytes, name: str, encoding: str | None = None, *, suggest_encoding: bool = True) -> str:
    """Decode bytes: a BOM wins; else strict UTF-8; else, if given, the fallback `encoding`
    (so one legacy file can sit among UTF-8 ones). Errors name the byte offset."""
    chosen = "utf-8"
    for bom, codec in _BOMS:
        if data.startswith(bom):
            chosen = codec
            break
    else:
        if _looks_like_utf16(data):
            if not encoding or encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
                raise InputError(
                    f"{name}: looks like UTF-16 without a byte-order mark (every other byte is 0); "
                    "pass --encoding utf-16-le (or utf-16-be)"
                )
            chosen = encoding
        elif encoding:
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                chosen = encoding
    try:
        text = data.decode(chosen)
    except UnicodeDecodeError as exc:
        # utf-8-sig counts from after its BOM (utf-16 and utf-32 count from the start): the offset
        # and byte shown were three bytes early.
        start = exc.start + (len(codecs.BOM_UTF8) if chosen == "utf-8-sig" else 0)
        bad = data[start : start + 1].hex()
        hint = "; if it is in another encoding, pass --encoding (for example --encoding gb18030)"
        if encoding or chosen != "utf-8" or not suggest_encoding:
            hint = ""  # the fallback already failed, a BOM fixed the encoding, or the format is UTF-8 by definition
        raise InputError(
            f"{name}: not valid {exc.encoding.upper()} (byte 0x{bad} at offset {start}){hint}"
        ) from None
    except UnicodeError as exc:  # a codec failing without a byte offset (idna on b"xn--zzzzzzzz")
        raise InputError(f"{name}: cannot be decoded as {chosen} ({exc})") from None
    return text.removeprefix("\ufeff")


class UnreadableFile(InputError):
    """A file that cannot be read as text: `problem` says why, without the path (callers that
    add context, such as the user-dictionary loader, reuse it)."""

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def file_kind(mode: int) -> str:
    """What a stat mode names, in the words error messages use ("character device", "FIFO")."""
    kinds = (
        (stat.S_ISREG, "regular file"), (stat.S_ISDIR, "folder"), (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
    )
    return next((name for test, name in kinds if test(mode)), "special file")


def _size(count: int) -> str:
    """A byte count as people read it: whole MiB when it is one ("64 MiB"), else bytes."""
    mib = 1024 * 1024
    return f"{count // mib} MiB" if count >= mib and count % mib == 0 else f"{count:,} bytes"


def _too_large(path: object, size: int | None, limit: int) -> UnreadableFile:
    seen = _size(size) if size is not None else f"more than {_size(limit)}"
    return UnreadableFile(path, f"too large ({seen}; the limit for a text file is {_size(limit)})")


def _open_problem(path: Path, exc: OSError) -> str:
    """Why `path` could not be opened for reading, in one phrase."""
    if isinstance(exc, FileNotFoundError):
        return "broken symbolic link" if path.is_symlink() else "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, expected a text file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.ENXIO:  # what open() says for a socket
        try:
            return f"not a regular file ({file_kind(os.stat(path).st_mode)})"
        except OSError:
            pass
    return f"cannot be read ({exc.strerror or exc})"


def _read_at_most(read: Callable[[int], bytes], count: int) -> bytes:
    """Up to `count` bytes from `read(n)` (os.read on a descriptor, or a stream's read), in chunks,
    so no buffer of `count` bytes is allocated for a small file."""
    chunks: list[bytes] = []
    left = count
    while left > 0:
        chunk = read(min(_CHUNK, left))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_bytes(path: Path, *, limit: int | None = None) -> bytes:
    """The bytes of one regular file of at most `limit` bytes (default MAX_TEXT_BYTES).

    Anything else (a folder, a device such as /dev/urandom, a FIFO, a socket, or a symbolic link
    to one) is an UnreadableFile naming it: it could be read forever. The check is fstat on the
    descriptor that is then read, so the file cannot be swapped between check and read; and at
    most limit+1 bytes are read, since a size from stat can be wrong (files under /proc say 0)."""
    limit = MAX_TEXT_BYTES if limit is None else limit
    try:
        fd = os.open(path, _OPEN_READ)
    except OSError as exc:
        raise UnreadableFile(path, _open_problem(Path(path), exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFile(path, "is a folder, expected a text file")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(path, f"not a regular file ({file_kind(info.st_mode)})")
        if info.st_size > limit:
            raise _too_large(path, info.st_size, limit)
        data = _read_at_most(lambda n: os.read(fd, n), limit + 1)
    except OSError as exc:
        raise UnreadableFile(path, f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise _too_large(path, None, limit)
    return data


def read_stream(stream: BinaryIO, name: str, *, limit: int | None = None) -> bytes:
    """All bytes of an open stream (standard input), with the same limit as files: `yes | harness
    tokenize` must end with an error, not fill memory."""
    limit = MAX_TEXT_BYTES if limit is None else limit
    try:
        data = _read_at_most(stream.read, limit + 1)
    except OSError as exc:
        raise UnreadableFile(name, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise _too_large(name, None, limit)
    return data


def read_text(path: Path, encoding: str | None = None, *, suggest_encoding: bool = True) -> str:
    """Read and decode one text file (see read_bytes and decode); every failure is an InputError
    naming the file."""
    return decode(read_bytes(path), str(path), encoding, suggest_encoding=suggest_encoding)


# --- writing ----------------------------------------------------------------------------------


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte: os.write may write only part (a pipe, a signal)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _cannot_write(shown: str, exc: OSError) -> InputError:
    return InputError(f"{shown}: cannot write ({exc.strerror or exc})")


def _final_target(path: str) -> str:
    """Where writing `path` lands: a symbolic link, or a chain of them, relative ones included, is
    followed to its last target, which then gets the new content while every link stays a link.
    A dangling link leads to the file it names."""
    return os.path.realpath(path) if os.path.islink(path) else path


def _take_mode(tmp: str, target: str) -> None:
    """Give `tmp` the permissions (and, where this process may, the owner and group) of the file
    it is about to replace, so a 0600 report stays 0600; a new file gets the umask's mode, as
    open() would give it (mkstemp's own 0600 would surprise)."""
    try:
        old = os.stat(target)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        return
    for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
        try:  # owner first: chown clears set-id bits, which chmod then restores
            os.chown(tmp, uid, gid)
            break
        except OSError:  # another user's file: keep ours, with its group if we may
            continue
    os.chmod(tmp, stat.S_IMODE(old.st_mode))


_NAME_MAX = 255  # bytes of one file name on Linux, macOS and Windows file systems


def _temp_stem(base: str) -> str:
    """`base` cut to what leaves room for the temporary file's dot, random part and .tmp (15 bytes):
    a 250-byte output name was refused because its temporary name was 265 bytes."""
    room = _NAME_MAX - 15
    while len(os.fsencode(base)) > room:
        base = base[:-1]  # by characters, so a multi-byte character is never split
    return base


def _replace_file(target: str, data: Iterable[bytes], shown: str) -> None:
    """Write a regular file via a temporary file beside it and a rename, so no reader ever sees a
    half-written file: on any failure (disk full, Ctrl-C) the old file stays and the temporary
    file goes."""
    directory = os.path.dirname(target) or "."
    if not os.path.isdir(directory):
        where = f"folder {directory}" if target == shown else f"symbolic link to {target}: folder {directory}"
        raise InputError(f"{shown}: {where} does not exist")
    import tempfile  # when a file is written: a run printing to standard output never needs it

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{_temp_stem(os.path.basename(target))}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _cannot_write(shown, exc) from None
    try:
        try:
            for piece in data:
                _write_all(fd, piece)
            os.fsync(fd)
        finally:
            os.close(fd)
        _take_mode(tmp, target)
        os.replace(tmp, target)
    except BaseException as exc:
        # Includes KeyboardInterrupt: the old file stays as it was, the temp file goes.
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _cannot_write(shown, exc) from None
        raise


def _open_for_writing(target: str, shown: str, flags: int) -> int:
    """os.open without waiting (flags include O_NONBLOCK): a FIFO nobody reads is an InputError at
    once (ENXIO), not a hang; any other failure is one naming `shown`."""
    try:
        return os.open(target, flags, 0o666)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise InputError(f"{shown}: FIFO with no reader; nothing written") from None
        raise _cannot_write(shown, exc) from None


def _write_into(target: str, data: Iterable[bytes], shown: str) -> None:
    """Write straight into a character device or FIFO (`-o /dev/null`, `-o /dev/stderr`, a named
    pipe): a rename would replace the device node with a plain file.

    The open does not block: a FIFO nobody reads is an error at once (ENXIO), not a hang. Once
    a reader is there, writing blocks like any pipe writer's."""
    fd = _open_for_writing(target, shown, _OPEN_WRITE)
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):  # swapped since it was looked at
            raise InputError(f"{shown}: changed while being opened ({file_kind(mode)} now); nothing written")
        os.set_blocking(fd, True)
        for piece in data:
            _write_all(fd, piece)
    except OSError as exc:
        raise _cannot_write(shown, exc) from None
    finally:
        try:
            os.close(fd)
        except OSError:
            pass


def write_output(path: str | os.PathLike[str], text: str | Iterable[str | bytes]) -> None:
    """Write `text` (a string, or its pieces: a large report is written as it is rendered; a bytes
    piece is UTF-8 already) as UTF-8 to `path` (an output, a JUnit report, the baseline), as its kind needs.

    A regular file, or a new one, is replaced atomically (see _replace_file), through symbolic
    links to their target; a character device or FIFO is written into; a folder, a path ending
    in a separator, a block device or a socket is an error. Every failure, disk full included,
    is an InputError naming `path`."""
    shown = os.fspath(path)
    separators = tuple(s for s in (os.sep, os.altsep) if s)
    if shown.endswith(separators):
        raise InputError(f"{shown}: ends with {shown[-1]!r}, so it names a folder; give a file name")
    # backslashreplace: a lone surrogate (from an undecodable file name) is the only thing UTF-8
    # cannot encode, and it must not cost the whole report.
    pieces = [text] if isinstance(text, str) else text
    data = (piece if isinstance(piece, bytes) else piece.encode("utf-8", errors="backslashreplace") for piece in pieces)
    target = _final_target(shown)
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:  # a symbolic-link loop, a parent that is not a folder, no permission
        raise _cannot_write(shown, exc) from None
    if mode is None or stat.S_ISREG(mode):
        _replace_file(target, data, shown)
    elif stat.S_ISDIR(mode):
        raise InputError(f"{shown}: is a folder, cannot write the output there")
    elif stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        _write_into(target, data, shown)
    else:
        raise InputError(f"{shown}: not a regular file ({file_kind(mode)}); cannot write the output there")


def append_output(path: str | os.PathLike[str], text: str) -> None:
    """Append `text` as UTF-8 to `path` (GITHUB_STEP_SUMMARY): a regular file, created if
    missing, or a FIFO or character device. Opened without waiting, as write_output does: a FIFO
    with no reader is an InputError at once, not a hang; anything else is one naming it."""
    shown = os.fspath(path)
    fd = _open_for_writing(shown, shown, _OPEN_WRITE | os.O_APPEND | os.O_CREAT)
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            raise InputError(f"{shown}: not a regular file ({file_kind(mode)}); nothing written")
        os.set_blocking(fd, True)
        _write_all(fd, text.encode("utf-8", errors="backslashreplace"))
    except OSError as exc:
        raise _cannot_write(shown, exc) from None
    finally:
        os.close(fd)
