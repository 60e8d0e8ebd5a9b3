"""Reading JSON Lines test sets into the shapes of harness.inputs.corpus, validating every line and
reporting every problem at once (the folder reader's behaviour, with file:line in each message).

References file, one object per document:
    {"id": "d1", "references": ["...", "..."], "source": "...", "offtopic": "..."}
  `"reference": "..."` (one string) is accepted instead of the list while the references field
  keeps its default name; both on one line is an error. References are named "1", "2", ... in
  list order. `source` (the article) and `offtopic` (text summaries should leave out) are
  optional; null there counts as absent, as exporters such as pandas write it for a gap.
Candidates files, one object per document per system:
    {"id": "d1", "summary": "..."}                      the system is the file's stem (NFC)
    {"id": "d1", "summary": "...", "system": "lead-3"}  several systems in one file
  A file gives "system" on every line or on none: once one line has it, each line without it
  is an error naming that line (giving such lines the stem would silently mix two systems).
  A system comes from one file only. A document a system lacks maps to None with a warning
  (scored 0), as in the folder reader.
The id, summary and references field names are configurable (JsonlFields); "system", "source"
and "offtopic" are fixed; other fields are ignored.

Lines are read one at a time in binary and decoded as strict UTF-8, JSON's only encoding
(RFC 8259); a UTF-8 BOM at the start is honoured, blank lines are skipped. A last line without
a newline is fine when it is complete JSON, and reported as looking truncated when the JSON
ends early (a generation job that died). Errors read `{path}:{line}: ...`; at most MAX_SHOWN
are listed per file, then a count of the rest (missing-summary warnings likewise per system).

The readers append to `problems` and `warnings` as harness.inputs.corpus's do; harness.inputs.load.load_corpus
combines them, with folders, into a Corpus and raises one InputError.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness.errors import InputError
from harness.inputs.corpus import id_key
from harness.inputs.jsonlines import MAX_SHOWN, FileReport, kind, objects

SUFFIXES = (".jsonl", ".ndjson")
SYSTEM, SOURCE, OFFTOPIC = "system", "source", "offtopic"
DEFAULT_REFERENCES, SINGULAR_REFERENCE = "references", "reference"
@dataclass(frozen=True)
class JsonlFields:
    """Names of the id, summary and references fields in the JSONL objects."""

    id: str = "id"
    summary: str = "summary"
    references: str = "references"

    def __post_init__(self) -> None:
        for role, name in (("id", self.id), ("summary", self.summary), ("references", self.references)):
            if not name:
                raise InputError(f"JSONL {role} field name is empty")
        if self.id in (self.summary, self.references):
            raise InputError(f"JSONL id field {self.id!r} cannot also be the summary or references field")


@dataclass
class JsonlReferences:
    """references[doc][name] ("1", "2", ... in list order), and the source and off-topic text
    of each document that has one."""

    references: dict[str, dict[str, str]]
    sources: dict[str, str] = field(default_factory=dict)
    offtopic: dict[str, str] = field(default_factory=dict)


def is_jsonl(path: Path) -> bool:
    """True for a regular file (or a link to one) named *.jsonl or *.ndjson, in any case."""
    path = Path(path)
    return path.suffix.lower() in SUFFIXES and path.is_file()


class _Line:
    """One object of a JSONL file; each getter reports a bad or missing field and returns None."""

    def __init__(self, obj: dict[str, object], lineno: int, report: FileReport) -> None:
        self.obj, self.lineno, self.report = obj, lineno, report

    def problem(self, message: str) -> None:
        self.report.add(message, self.lineno)

    def _missing(self, name: str, alternative: str = "") -> None:
        keys = [repr(k) for k in self.obj]
        has = ", ".join(keys[:10]) + (", ..." if len(keys) > 10 else "") if keys else "no fields"
        self.problem(f"missing field {name!r}{alternative}; the line has {has}")

    def _string(self, value: object, what: str) -> str | None:
        if not isinstance(value, str):
            self.problem(f"{what} must be a string, found {kind(value)}")
            return None
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:  # "\ud800" parses, then breaks every later write
            self.problem(f"{what} is not valid Unicode (lone surrogate {value[exc.start]!a} at character {exc.start + 1})")
            return None
        return value

    def text(self, name: str, *, required: bool = True) -> str | None:
        """The string field `name`; an optional one that is absent or null gives None."""
        if name not in self.obj:
            if required:
                self._missing(name)
            return None
        value = self.obj[name]
        if value is None and not required:
            return None
        return self._string(value, f"field {name!r}")

    def ident(self, name: str) -> str | None:
        """A required, non-empty id field."""
        value = self.text(name)
        if value == "":
            self.problem(f"field {name!r} is empty")
            return None
        return value

    def references(self, name: str) -> list[str] | None:
        """The list field `name` of one or more strings (or the singular string, see module docstring)."""
        singular = name == DEFAULT_REFERENCES and SINGULAR_REFERENCE in self.obj
        if singular and name in self.obj:
            self.problem(f"fields {name!r} and {SINGULAR_REFERENCE!r} both given; use one")
            return None
        if singular:
            text = self._string(self.obj[SINGULAR_REFERENCE], f"field {SINGULAR_REFERENCE!r}")
            return None if text is None else [text]
        if name not in self.obj:
            self._missing(name, f" (or {SINGULAR_REFERENCE!r})" if name == DEFAULT_REFERENCES else "")
            return None
        value = self.obj[name]
        if not isinstance(value, list):
            self.problem(f"field {name!r} must be a list of strings, found {kind(value)}")
            return None
        if not value:
            self.problem(f"field {name!r} is an empty list; a document needs at least one reference")
            return None
        texts = [self._string(item, f"field {name!r} item {i}") for i, item in enumerate(value, 1)]
        good = [t for t in texts if t is not None]
        return good if len(good) == len(texts) else None


class _Ids:
    """Ids met in one file: an exact repeat or a case / Unicode-form twin is reported."""

    def __init__(self, report: FileReport) -> None:
        self.report = report
        self.lines: dict[str, int] = {}
        self.keys: dict[str, str] = {}

    def add(self, ident: str, lineno: int) -> bool:
        """Record `ident` from line `lineno`; False (reported) when it repeats or collides."""
        if ident in self.lines:
            self.report.add(f"duplicate document id {ident!r} (first at line {self.lines[ident]})", lineno)
            return False
        twin = self.keys.setdefault(id_key(ident), ident)
        if twin != ident:
            # !a (ascii) shows what NFC and NFD forms hide on screen ('caf\xe9', 'cafe\u0301').
            self.report.add(
                f"document ids {twin!a} (line {self.lines[twin]}) and {ident!a} "
                "differ only by case or Unicode form; rename one",
                lineno,
            )
            return False
        self.lines[ident] = lineno
        return True


def read_references_jsonl(path: Path, fields: JsonlFields, problems: list[str], warnings: list[str]) -> JsonlReferences:
    """A references JSONL file -> JsonlReferences; problems go to `problems`, none raised.

    `warnings` is taken for symmetry with the other readers; nothing here warns today."""
    path = Path(path)
    report = FileReport(path)
    out = JsonlReferences(references={})
    ids = _Ids(report)
    for lineno, obj in objects(path, report):
        line = _Line(obj, lineno, report)
        doc = line.ident(fields.id)
        refs = line.references(fields.references)
        source = line.text(SOURCE, required=False)
        offtopic = line.text(OFFTOPIC, required=False)
        if doc is None or not ids.add(doc, lineno):
            continue
        if refs is not None:
            out.references[doc] = {str(i): text for i, text in enumerate(refs, 1)}
        if source is not None:
            out.sources[doc] = source
        if offtopic is not None:
            out.offtopic[doc] = offtopic
    report.flush_into(problems)
    return out


@dataclass
class _System:
    """One system's summaries from one file; `line` is where a "system" field first named it."""

    path: Path
    line: int | None
    texts: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return str(self.path) if self.line is None else f"{self.path}:{self.line}"


def _candidate_file(
    path: Path, documents: Sequence[str], fields: JsonlFields, report: FileReport
) -> dict[str, _System]:
    """The systems of one candidates file, in order of first appearance."""
    known = set(documents)
    near = {id_key(d): d for d in documents}
    entries: list[tuple[int, str | None, str, str]] = []
    first_system: int | None = None
    for lineno, obj in objects(path, report):
        line = _Line(obj, lineno, report)
        doc = line.ident(fields.id)
        text = line.text(fields.summary)
        named = obj.get(SYSTEM) is not None
        system = line.ident(SYSTEM) if named else None
        if named and first_system is None:
            first_system = lineno
        if doc is None or text is None or (named and system is None):
            continue
        if known and doc not in known:
            guess = near.get(id_key(doc))
            hint = f" (did you mean {guess!r}? ids must match exactly)" if guess else ""
            report.add(f"candidate for unknown document {doc!r}{hint}", lineno)
            continue
        entries.append((lineno, system, doc, text))
    stem = unicodedata.normalize("NFC", path.stem)
    systems: dict[str, _System] = {}
    for lineno, system, doc, text in entries:
        if system is None and first_system is not None:
            report.add(f"no {SYSTEM!r} field, but line {first_system} has one; give every line a system, or none", lineno)
            continue
        name = stem if system is None else system
        entry = systems.setdefault(name, _System(path, None if system is None else lineno))
        if doc in entry.texts:
            report.add(f"duplicate document id {doc!r} for system {name!r} (first at line {entry.lines[doc]})", lineno)
            continue
        entry.texts[doc], entry.lines[doc] = text, lineno
    return systems


def read_candidates_jsonl(
    paths: Sequence[Path], documents: Sequence[str], fields: JsonlFields, problems: list[str], warnings: list[str],
    origins: dict[str, Path] | None = None,
) -> dict[str, dict[str, str | None]]:
    """Candidates JSONL files -> {system: {doc_id: text, or None when missing}}, documents in
    the order given, systems in order of first appearance; problems go to `problems`.

    With no documents (the references failed) ids are not checked, so that the references'
    own errors are not buried under one "unknown document" per candidate line."""
    found: dict[str, _System] = {}
    keys: dict[str, str] = {}
    for path in map(Path, paths):
        report = FileReport(path)
        for name, entry in _candidate_file(path, documents, fields, report).items():
            twin = keys.setdefault(id_key(name), name)
            if name in found:
                report.add(f"system {name!r} is also given by {found[name].where}; each system must come from one file", entry.line)
            elif twin != name:
                report.add(
                    f"system ids {twin!a} ({found[twin].where}) and {name!a} "
                    "differ only by case or Unicode form; rename one",
                    entry.line,
                )
            else:
                found[name] = entry
                if origins is not None:
                    origins[name] = entry.path  # the file each system came from, for the caller's messages
        report.flush_into(problems)
    systems: dict[str, dict[str, str | None]] = {}
    for name, entry in found.items():
        missing = [doc for doc in documents if doc not in entry.texts]
        for doc in missing[:MAX_SHOWN]:
            warnings.append(f"{entry.path}: system {name!r} has no summary for document {doc!r}; scored 0")
        if len(missing) > MAX_SHOWN:
            warnings.append(f"{entry.path}: system {name!r} has no summary for {len(missing) - MAX_SHOWN} more documents; scored 0")
        systems[name] = {doc: entry.texts.get(doc) for doc in documents}
    return systems
