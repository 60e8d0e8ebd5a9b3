"""A document's facts results as the persistent cache keeps them: one entry per document and
evidence, holding the result (`encode_result`) of each summary checked against that
evidence, found by its text's key.

One entry a document, not one a summary: a warm 10 x 1,000 run reads 1,000 entries instead of
10,000, each with its key made, its row fetched and its CRC-32 checked (docs/performance.md, the
fifteenth round). A run that meets a summary the entry lacks (a new system, an edited summary)
checks that summary alone and writes the entry again with it: this run's results first, then those
of summaries it did not meet while the entry holds fewer than `MAX_RESULTS` results and `MAX_BYTES`
bytes (the oldest left out first; this run's are always kept), so that runs over different sets of
systems do not undo each other's work. A document sent to an executor's worker takes its entry
along (harness.run.distributed), so that the worker too checks only what the entry lacks.

The bytes: "F1", the number of results (uint32), then per result its text's key (16 bytes) and
the length of its bytes (uint32), then the results' bytes in the same order.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping

from harness.analyses.facts import layout
from harness.analyses.facts.result import FactsResult

_MAGIC = b"F1"
_COUNT = struct.Struct("<I")
KEY_SIZE = 16  # a text's key (`DocumentInputs.key_of`)
_ENTRY = struct.Struct(f"<{KEY_SIZE}sI")
MAX_RESULTS = 64  # per document and evidence: six versions of each of 10 systems' summaries
MAX_BYTES = 2**19  # a result is about 1 KB: a bound on what a warm run reads (and a miss writes) per document


def unpack(data: bytes | None) -> dict[bytes, bytes]:
    """`pack`'s results back, by key; empty when `data` is None or not what `pack` writes (each
    result's own bytes are checked when read, `decode_result`)."""
    if data is None or data[:2] != _MAGIC or len(data) < 2 + _COUNT.size:
        return {}
    (count,) = _COUNT.unpack_from(data, 2)
    at = 2 + _COUNT.size + count * _ENTRY.size
    if at > len(data):
        return {}
    found: dict[bytes, bytes] = {}
    for key, size in _ENTRY.iter_unpack(data[2 + _COUNT.size : at]):
        found[key] = data[at : at + size]
        at += size
    return found if at == len(data) and len(found) == count else {}


def pack(results: Mapping[bytes, bytes], older: Mapping[bytes, bytes] | None = None) -> bytes:
    """The entry of `results` (this run's, in the order met), then of the `older` ones this run did
    not meet, in their order, while the entry stays within `MAX_RESULTS` and `MAX_BYTES` (this run's
    always kept)."""
    kept = dict(results)
    size = sum(map(len, kept.values()))
    for key, value in (older or {}).items():
        if len(kept) >= MAX_RESULTS or size + len(value) > MAX_BYTES:
            break
        if key not in kept:
            kept[key] = value
            size += len(value)
    head = [_MAGIC, _COUNT.pack(len(kept))]
    head += [_ENTRY.pack(key, len(value)) for key, value in kept.items()]
    return b"".join(head + list(kept.values()))


# Longer results (dozens of items) are compressed (zlib level 1, about half their size), the others,
# nearly all, kept as they are. The bound was SQLite's room for a row on its page in cache v3 (4,086
# bytes of a WITHOUT ROWID row on 16 KiB pages; longer ones overflowed to pages of their own); the
# rowid rows of v4 have room for 16,349, so it now only keeps long results small.
_KEPT_PLAIN = 4000


def encode_result(result: FactsResult) -> bytes:
    """`result` as the persistent cache keeps it: `to_bytes` (which starts with `layout.MAGIC`), or, when
    longer than `_KEPT_PLAIN` bytes, the same compressed (a zlib stream starts with "x")."""
    data = result.to_bytes()
    return data if len(data) <= _KEPT_PLAIN else zlib.compress(data, 1)


def decode_result(data: bytes) -> FactsResult | None:
    """`encode_result`'s bytes back into the result; None when they are not what it writes."""
    try:
        return FactsResult.from_bytes(data if data[:1] == layout.MAGIC else zlib.decompress(data))
    except (ValueError, TypeError, IndexError, RecursionError, struct.error, zlib.error):  # UnicodeDecodeError: a ValueError
        return None
