"""What the facts analysis shows of its results: the JSON contract's texts (one summary's, and a
system's by document), the table's cell, the macro mean, and where an item's tokens are in a
summary (for explain and the HTML drill-down)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring  # the C encoder of one string, as json.dumps(ensure_ascii=False) uses
from typing import Any

from harness.analyses.base import RawJSON
from harness.analyses.facts.result import FactsResult


def result_json(result: FactsResult) -> dict[str, Any]:
    """One summary's facts: its measures and every item, figures first (`FactsResult.fragment`, read)."""
    return json.loads(result.fragment)  # type: ignore[no-any-return]


def documents_json(results: Mapping[str, FactsResult]) -> RawJSON | dict[str, RawJSON]:
    """`{document: fragment}` as compact JSON text, made in one join from views of the results' bytes
    (a RawJSON per document, each fragment copied out and then into the output, cost a warm
    10 x 1,000 run 0.01-0.02 s more). Names that are not str, or hold a lone surrogate (which the
    writer escapes, `harness.results.jsontext`), are given as a dict of one text per document."""
    parts: list[bytes | memoryview] = []
    try:
        for doc, result in results.items():
            parts += (b",", _name(doc), b":", result.fragment_view())
    except (TypeError, UnicodeEncodeError):  # a name that is no str, or holds a lone surrogate: as the writer makes it
        return {doc: RawJSON(r.fragment_utf8()) for doc, r in results.items()}
    if not parts:
        return {}
    parts[0] = b"{"
    parts.append(b"}")
    return RawJSON(b"".join(parts))


_NAMES: dict[str, bytes] = {}  # document name -> its JSON string in UTF-8
_NAMES_KEPT = 2**17


def _name(doc: str) -> bytes:
    """A document's name as a JSON string in UTF-8, made once for every system (10,000 of them in a
    10 x 1,000 run cost 4 ms), past `_NAMES_KEPT` names made again; TypeError for a name that is no str."""
    found = _NAMES.get(doc)
    if found is None:
        found = encode_basestring(doc).encode("utf-8")
        if len(_NAMES) >= _NAMES_KEPT:  # (all dropped at once: a corpus of more names costs a lookup a name)
            _NAMES.clear()
        _NAMES[doc] = found
    return found


def notes(result: FactsResult) -> list[str]:
    """The warnings about a summary's unsupported and off-topic items (the first five of each named)."""
    if not (result.tally[1] or result.tally[2]):
        return []
    made_up, carried = result.made_up
    found = []
    if made_up:
        found.append(f"{len(made_up)} figures or names not in the source: {', '.join(made_up[:5])}"
                     + (", ..." if len(made_up) > 5 else ""))
    if carried:
        found.append(f"{len(carried)} figures or names only in the off-topic text: {', '.join(carried[:5])}"
                     + (", ..." if len(carried) > 5 else ""))
    return found


def mean(values: Sequence[float]) -> float | None:
    """The mean of `values` (math.fsum), None without any."""
    return math.fsum(values) / len(values) if values else None


def cell(found: dict[str, Any] | None) -> str:
    """A system's table cell: macro precision x 100, and in brackets its unsupported and off-topic items."""
    if found is None:
        return "-"
    precision = "-" if found["precision"] is None else f"{100 * found['precision']:.1f}"
    return f"{precision} ({found['unsupported'] + found['offtopic']})"


def token_runs(tokens: Sequence[str], wanted: Sequence[str]) -> list[int]:
    """Positions of every occurrence of the token run `wanted` in `tokens`."""
    n = len(wanted)
    if not n:
        return []
    first = wanted[0]
    return [j for i, token in enumerate(tokens) if token == first and tuple(tokens[i : i + n]) == tuple(wanted)
            for j in range(i, i + n)]
