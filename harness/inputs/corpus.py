"""The corpus model: references, candidates, off-topic texts, sources and themes by document id,
whatever they were read from (harness.inputs.folders, harness.inputs.jsonl, or texts in memory).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from harness.errors import InputError, InputProblems

SUFFIX = ".txt"
MAX_PROBLEM_LINES = 20  # an error lists at most this many problems, one a line
DOCUMENTS_SHOWN = 3  # document ids named in a warning about several documents
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Unit:
    """One content unit: its wordings (the first names it) and its line in the theme file."""

    wordings: tuple[str, ...]
    line: int = 0

    @property
    def name(self) -> str:
        return self.wordings[0]


@dataclass(frozen=True)
class Theme:
    """A named theme of a document and its content units, in file order."""

    name: str
    units: tuple[Unit, ...]


@dataclass
class Corpus:
    """Texts by id: references[doc][ref_name] (in reference order) and candidates[system][doc]
    (None = missing); optional off-topic text, source document and themes per document."""

    references: dict[str, dict[str, str]]
    candidates: dict[str, dict[str, str | None]]
    warnings: list[str] = field(default_factory=list)
    offtopic: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    themes: dict[str, list[Theme]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # how the inputs were read (recognised JSONL field names)

    @property
    def documents(self) -> list[str]:
        return sorted(self.references)

    @property
    def n_references(self) -> int:
        return sum(len(refs) for refs in self.references.values())

    @classmethod
    def from_texts(
        cls,
        references: Mapping[str, str | Sequence[str] | Mapping[str, str]],
        candidates: Mapping[str, Mapping[str, str | None]],
        *,
        offtopic: Mapping[str, str] | None = None,
        sources: Mapping[str, str] | None = None,
    ) -> Corpus:
        """A corpus from texts in memory: `references` maps each document id to its reference
        (a string), references (a list, named "1", "2", ... in order) or {name: text};
        `candidates` maps each system to {document id: summary}. A document a system lacks
        scores 0 with a warning; a summary for an unknown document, or a document without
        references, is an InputError listing every such problem."""
        problems: list[str] = []
        warnings: list[str] = []
        refs: dict[str, dict[str, str]] = {}
        for doc, given in references.items():
            if isinstance(given, str):
                named = {"1": given}
            elif isinstance(given, Mapping):
                named = {str(k): v for k, v in given.items()}
            else:
                named = {str(i): v for i, v in enumerate(given, 1)}
            for value in named.values():
                if not isinstance(value, str):
                    raise TypeError(f"references[{doc!r}]: texts must be str, not {type(value).__name__}")
            if not named:
                problems.append(f"document {doc!r}: no references")
            refs[str(doc)] = named
        cands: dict[str, dict[str, str | None]] = {}
        for system, by_doc in candidates.items():
            texts: dict[str, str | None] = {}
            for doc, text in by_doc.items():
                if text is not None and not isinstance(text, str):
                    raise TypeError(f"candidates[{system!r}][{doc!r}]: must be str, not {type(text).__name__}")
                if doc not in refs:
                    problems.append(f"system {system!r}: summary for unknown document {doc!r}")
                texts[doc] = text
            for doc in sorted(refs):
                if doc not in texts:
                    warnings.append(f"system {system!r}: no summary for document {doc!r}; scored 0")
                    texts[doc] = None
            cands[str(system)] = texts
        for kind, extra in (("off-topic text", offtopic or {}), ("source", sources or {})):
            problems += [f"{kind} for unknown document {doc!r}" for doc in extra if doc not in refs]
        every = [*(t for r in refs.values() for t in r.values()), *(t for c in cands.values() for t in c.values() if t),
                 *(offtopic or {}).values(), *(sources or {}).values()]
        if any(_SURROGATE.search(t) for t in every):  # what a file's strict decoding never lets through
            problems.append("a text holds a lone surrogate (not valid Unicode); decode its bytes strictly")
        fail_on(problems)
        return cls(refs, cands, warnings, dict(offtopic or {}), dict(sources or {}))


def several(documents: Sequence[str], total: int) -> str:
    """'3 of 25 documents ('d1', 'd2', 'd3')': a warning about many documents on one line."""
    shown = ", ".join(map(repr, documents[:DOCUMENTS_SHOWN])) + (", …" if len(documents) > DOCUMENTS_SHOWN else "")
    return f"{len(documents)} of {total} documents ({shown})"


def id_key(name: str) -> str:
    """Ids that only differ by case or Unicode normalisation collide on many file systems."""
    return unicodedata.normalize("NFC", name).casefold()


def fail_on(problems: list[str]) -> None:
    """Raise one InputError for every problem found: one line each after an "N problems:" line,
    at most MAX_PROBLEM_LINES lines in all (readers already group a problem met on many lines)."""
    if len(problems) == 1:
        raise InputError(problems[0])
    if problems:
        shown = problems if len(problems) <= MAX_PROBLEM_LINES else problems[: MAX_PROBLEM_LINES - 1]
        rest = [f"... and {len(problems) - len(shown)} more"] if len(shown) < len(problems) else []
        raise InputProblems([f"{len(problems)} problems:", *(f"  {p}" for p in shown), *rest])


