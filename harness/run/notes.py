"""Warnings about systems' documents, grouped: one line per system and kind of warning with how
many documents it concerns (`system 'lead-3': 30 of 30 documents: extractive fragment density
11.2–25.0 is above 10 ...`), or every instance when asked (`harness score -v`).

Two warnings are of one kind when they differ only in their numbers and in their detail (what
follows the first ": ", such as the items a facts warning names); the grouped line shows a number
that differs as its range over the documents, and the first document's detail as an example.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
DOCUMENTS_SHOWN = 3  # document ids named on a grouped line


def _merged(notes: list[str]) -> str:
    """The notes' shared text, each number that differs between them shown as its range."""
    template = _NUMBER.split(notes[0])
    columns = list(zip(*(_NUMBER.findall(n) for n in notes), strict=True))
    out = [template[0]]
    for i, values in enumerate(columns):
        low, high = min(values, key=float), max(values, key=float)
        out.append(low if float(low) == float(high) else f"{low}–{high}")
        out.append(template[i + 1])
    return "".join(out)


def system_notes(
    names: Sequence[str], documents: Sequence[str], by_document: Sequence[Mapping[str, Sequence[str]]],
    *, every: bool = False,
) -> list[str]:
    """The warnings of each system in `names` (`by_document[i]` holds document i's, as
    "system 'x', document 'd': note"), grouped by kind, or all of them with `every`."""
    out: list[str] = []
    for name in names:
        kinds: dict[str, list[tuple[str, str, str]]] = {}
        for doc, notes in zip(documents, by_document, strict=True):
            prefix = f"system {name!r}, document {doc!r}: "
            for full in notes.get(name, ()):
                note = full[len(prefix):] if full.startswith(prefix) else full
                kinds.setdefault(_NUMBER.sub("#", note.partition(": ")[0]), []).append((doc, note, full))
        for group in kinds.values():
            if every or len(group) == 1:
                out += [full for _doc, _note, full in group]
                continue
            docs = list(dict.fromkeys(doc for doc, _note, _full in group))
            shown = ", ".join(map(repr, docs[:DOCUMENTS_SHOWN])) + (", …" if len(docs) > DOCUMENTS_SHOWN else "")
            detail = group[0][1].partition(": ")[2]
            example = f", e.g. {detail}" if detail else ""
            merged = _merged([n.partition(": ")[0] for _d, n, _f in group])
            out.append(f"system {name!r}: {len(docs)} of {len(documents)} documents: {merged}{example} ({shown})")
    return out
