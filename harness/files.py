"""Reading text files with explicit encoding rules, and writing outputs atomically."""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path

from harness.errors import InputError

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
        bad = data[exc.start : exc.start + 1].hex()
        hint = "; if it is in another encoding, pass --encoding (for example --encoding gb18030)"
        if encoding or chosen != "utf-8" or not suggest_encoding:
            hint = ""  # the fallback already failed, a BOM fixed the encoding, or the format is UTF-8 by definition
        raise InputError(
            f"{name}: not valid {exc.encoding.upper()} (byte 0x{bad} at offset {exc.start}){hint}"
        ) from None
    except UnicodeError as exc:  # a codec failing without a byte offset (idna on b"xn--zzzzzzzz")
        raise InputError(f"{name}: cannot be decoded as {chosen} ({exc})") from None
    return text.removeprefix("\ufeff")


def read_text(path: Path, encoding: str | None = None, *, suggest_encoding: bool = True) -> str:
    """Read one text file; every failure becomes an InputError naming the file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(f"{path}: broken symbolic link") from None
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, expected a text file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return decode(data, str(path), encoding, suggest_encoding=suggest_encoding)


def atomic_write(path: Path, text: str) -> None:
    """Write `text` as UTF-8 to `path` via a temporary file and a rename, so no reader
    ever sees a half-written file, even if the process is interrupted."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, cannot write the output there")
    if not directory.is_dir():
        raise InputError(f"{path}: folder {directory} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        # Includes KeyboardInterrupt: the old file stays as it was, the temp file goes.
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
