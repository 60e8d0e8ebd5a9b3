"""Files the harness derives from jieba's dictionary and keeps in its cache folder (the dictionary
cache, facts' name pieces), in one checked format: a header naming the kind of file, the SHA-256 of
what it was made from, the SHA-256 of the payload, then the payload. A file that fails any of these
is never used (harness.text.tokenizers rebuilds it); it is written to a temporary file and renamed,
so a reader never sees half of one."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_SHA = 32  # bytes of a SHA-256 digest


def read_checked(path: Path, magic: bytes, source: bytes) -> memoryview | str:
    """The payload of a file `write_checked` wrote with `magic` from `source` (a SHA-256), if its
    content matches its digest; otherwise what is wrong with it ("" when there is no file)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ""
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    head = len(magic)
    if not data.startswith(magic):
        return "not a harness dictionary cache (no header)"
    if len(data) < head + 2 * _SHA:  # cut short inside its digests
        return "its content does not match its digest"
    if data[head : head + _SHA] != source:
        return "built from another jieba dictionary"
    payload = memoryview(data)[head + 2 * _SHA :]
    if hashlib.sha256(payload).digest() != data[head + _SHA : head + 2 * _SHA]:
        return "its content does not match its digest"
    return payload


def write_checked(path: Path, magic: bytes, source: bytes, payload: bytes) -> None:
    """Write `magic`, `source`, the payload's SHA-256 and the payload atomically (a reader never
    sees half of it); a failure only costs speed."""
    import tempfile  # imported when a file is written: a warm run writes none

    try:
        handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=".jieba-", delete=False)
        try:
            with handle:
                handle.write(magic + source + hashlib.sha256(payload).digest() + payload)
            os.replace(handle.name, path)
        except BaseException:
            os.unlink(handle.name)
            raise
    except OSError:
        pass
