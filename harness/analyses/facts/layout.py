"""The bytes of one facts result (`FactsResult.to_bytes`), as the persistent cache keeps them and
workers send them: how they are laid out, written, and read back with the checks that tell them
from anything else.

The layout: a fixed head that one struct call reads (magic, evidence, the recall's type and value,
the tally, the length of the texts), the items' positions in the fragment's order (two uint32
each), the texts (skipped items, unsupported and off-topic ones) as JSON when there are any, then
the fragment (the JSON contract's text of the result, `FactsResult.fragment`).
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring  # the C encoder of one string, as json.dumps(ensure_ascii=False) uses
from typing import Any, Literal

EvidenceKind = Literal["source", "references", "none"]
Tally = tuple[int, int, int, int]  # (supported, unsupported, offtopic, items)
MadeUp = tuple[tuple[str, ...], tuple[str, ...]]  # the unsupported items' texts, the off-topic ones'
# What the bytes hold besides the positions and the fragment, as `checked` reads them: evidence,
# recall, skipped texts, tally, made-up texts, and where the fragment starts.
Read = tuple[EvidenceKind, "float | None", tuple[str, ...], Tally, MadeUp, int]

HEAD = struct.Struct("<cBBd5I")
MAGIC = b"R"
EVIDENCE: tuple[EvidenceKind, ...] = ("source", "references", "none")
RECALL_TYPES: tuple[type, ...] = (type(None), float, int)  # the recall's type, by its number in the head
NONE_MADE_UP: MadeUp = ((), ())


def packed(evidence: EvidenceKind, recall: float | None, tally: Tally, positions: Sequence[int],
           skipped: Sequence[str], made_up: Sequence[str], carried: Sequence[str], fragment: bytes) -> bytes:
    """The bytes of a result (see the module docstring)."""
    # The texts as json.dumps([skipped, made_up, carried], ensure_ascii=False, separators=(",", ":"))
    # writes them, without its encoder made anew per call.
    texts = b"" if not (skipped or made_up or carried) else (
        "[" + ",".join("[" + ",".join(map(encode_basestring, part)) + "]" for part in (skipped, made_up, carried))
        + "]").encode("utf-8")
    recall_type = 0 if recall is None else 2 if isinstance(recall, int) else 1  # json writes a whole number as 1
    head = HEAD.pack(MAGIC, EVIDENCE.index(evidence), recall_type, 0.0 if recall is None else float(recall),
                     *tally, len(texts))
    return b"".join((head, struct.pack(f"<{len(positions)}I", *positions), texts, fragment))


def parts(data: bytes) -> tuple[int, int]:
    """Where the texts and where the fragment start in a result's bytes."""
    head = HEAD.unpack_from(data)
    texts_at = HEAD.size + 8 * head[7]
    return texts_at, texts_at + head[8]


def checked(data: bytes) -> Read:
    """What the bytes of a result hold, texts read; ValueError (or struct.error, or RecursionError for
    texts nested past the interpreter's limit) when they are not what `packed` writes: a head of known
    values (a recall of none, or finite in [0, 1] and whole when kept as a whole number) whose
    unsupported and off-topic counts the fragment's head states too, texts of the right types and
    number in strict UTF-8 with nothing around them (as `packed` writes them; json.loads, used before,
    also took a byte-order mark, UTF-16, whitespace and lone surrogates), and a fragment that starts
    and ends as `FactsResult.fragment` writes it.

    Nothing here reads the whole fragment (its UTF-8, its status keys; nor are the supported count
    and the number of items compared with it): the bytes come from the cache's file past its CRC-32
    over key and value, which finds a damaged entry first as for every entry, or from this run's own
    writes. Scanning them again cost a warm 10 x 1,000 run 5-9 us a summary.

    The checks of the head and of the fragment's head are made once per distinct head (`_KNOWN`): a
    warm 10 x 1,000 run reads 10,000 results, about 2,500 of their heads distinct, and the bytes of a
    head met before are taken when their fragment starts as that head's first one did (which passed
    the same checks, all of which read only the head, the fragment up to its figures and its end)."""
    known = _KNOWN.get(data[: HEAD.size])
    if known is None or not data.startswith(known[0], known[1]) or not data.endswith(b"]}"):
        known = _check_head(data)
    _, fragment_at, texts_at, evidence, recall, tally = known
    if fragment_at == texts_at:  # no texts (`_check_head` found no unsupported or off-topic item then)
        return evidence, recall, (), tally, NONE_MADE_UP, fragment_at
    try:  # json.loads without its look at the encoding and the whitespace around: 0.6 us, not 1.9
        text = data[texts_at:fragment_at].decode("utf-8")
        texts, end = _SCAN(text, 0)
    except StopIteration:  # the scanner's "no JSON value here"
        raise ValueError("not a facts result") from None
    if not (type(texts) is list and len(texts) == 3 and end == len(text)
            and type(texts[0]) is list and type(texts[1]) is list and type(texts[2]) is list
            and len(texts[1]) == tally[1] and len(texts[2]) == tally[2]
            and all(type(one) is str for part in texts for one in part)):
        raise ValueError("not a facts result")
    skipped, made_up, carried = map(tuple, texts)
    return evidence, recall, skipped, tally, (made_up, carried), fragment_at


# A head's bytes -> (the fragment's head its first result had, where the fragment starts, where the
# texts start, evidence, recall, tally): bounded, all dropped at once when full.
_Known = tuple[bytes, int, int, EvidenceKind, "float | None", Tally]
_KNOWN: dict[bytes, _Known] = {}
_KNOWN_KEPT = 4096
# The fragment's head up to its figures, as `fragment_text` writes it (the counts as %d writes them).
_FRAGMENT_HEAD = re.compile(
    rb'\{"precision":[^,]*,"recall":[^,]*,"unsupported":(0|[1-9][0-9]*),"offtopic":(0|[1-9][0-9]*),"figures":\['
)
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # json.loads's C scanner


def _check_head(data: bytes) -> _Known:
    """The checks of `checked` but the texts', and what they read."""
    magic, evidence, recall_type, recall, supported, unsupported, offtopic, items, size = HEAD.unpack_from(data)
    texts_at = HEAD.size + 8 * items
    fragment_at = texts_at + size
    if recall_type == 1:  # a float, finite in [0, 1] (NaN fails too)
        known = 0.0 <= recall <= 1.0
    elif recall_type == 2:  # a whole number, as json writes 1 and 0
        known = recall == 0.0 or recall == 1.0
        recall = int(recall) if known else None
    else:  # none
        known = recall_type == 0 and recall == 0.0
        recall = None
    head = _FRAGMENT_HEAD.match(data, fragment_at)
    if (not known or magic != MAGIC or evidence >= len(EVIDENCE) or supported + unsupported + offtopic > items
            or head is None or int(head[1]) != unsupported or int(head[2]) != offtopic or not data.endswith(b"]}")
            or (not size and (unsupported or offtopic))):  # (their texts are in the bytes)
        raise ValueError("not a facts result")
    found = (head[0], fragment_at, texts_at, EVIDENCE[evidence], recall, (supported, unsupported, offtopic, items))
    if len(_KNOWN) >= _KNOWN_KEPT:
        _KNOWN.clear()
    _KNOWN[data[: HEAD.size]] = found
    return found
