"""Reading JSON Lines test sets into the shapes of harness.inputs.corpus, validating every line and
reporting every problem at once (the folder reader's behaviour, with file:line in each message).

References file, one object per document:
    {"id": "d1", "references": ["...", "..."], "source": "...", "offtopic": "..."}
  One string is a list of one (`"reference": "..."` too); `references` and `reference` on one
  line is an error. References are named "1", "2", ... in list order. `source` (the article)
  and `offtopic` (text summaries should leave out) are optional; null there counts as absent,
  as exporters such as pandas write it for a gap. An integer id is the id of its decimal string.
Candidates files, one object per document per system:
    {"id": "d1", "summary": "..."}                      the system is the file's stem (NFC)
    {"id": "d1", "summary": "...", "system": "lead-3"}  several systems in one file
  A file gives "system" on every line or on none: once one line has it, each line without it
  is an error naming that line (giving such lines the stem would silently mix two systems).
  A system comes from one file only. A document a system lacks maps to None with a warning
  (scored 0), as in the folder reader.
The id, summary, references and source fields are found as harness.inputs.fields says (the
configured name, else the names common datasets use: {"idx": 17, "article": ..., "highlights": ...},
{"idx": 17, "output": ...}), per file; "system" and "offtopic" are fixed; other fields are ignored.

Lines are read one at a time in binary and decoded as strict UTF-8, JSON's only encoding
(RFC 8259); a UTF-8 BOM at the start is honoured, blank lines are skipped. A last line without
a newline is fine when it is complete JSON, and reported as looking truncated when the JSON
ends early (a generation job that died). Errors read `{path}:{line}: ...`, a kind met on several
lines `{path}: N lines ... (lines 1, 2, 3, …)` (harness.inputs.jsonlines.FileReport).

The readers append to `problems` and `warnings` as harness.inputs.corpus's do; harness.inputs.load.load_corpus
combines them, with folders, into a Corpus and raises one InputError.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness.inputs.corpus import id_key, several
from harness.inputs.fields import (
    NAMES,
    OPTIONS,
    OUTPUTS_ONLY,
    REFERENCES_ONLY,
    SWAPPED,
    WHAT,
    JsonlFields,
    used_note,
)

__all__ = ["JsonlFields", "JsonlReferences", "is_jsonl", "read_candidates_jsonl", "read_references_jsonl"]
from harness.inputs.jsonlines import FileReport, kind, objects

SUFFIXES = (".jsonl", ".ndjson")
SYSTEM, OFFTOPIC = "system", "offtopic"
SOURCE = "source"
DEFAULT_REFERENCES, SINGULAR_REFERENCE = "references", "reference"


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


def _has(keys: list[str]) -> str:
    shown = [repr(k) for k in keys]
    return ", ".join(shown[:10]) + (", ..." if len(shown) > 10 else "") if shown else "no fields"


class _Line:
    """One object of a JSONL file; each getter reports a bad or missing field and returns None.
    `used` collects, per role, the field names the file's lines were read from."""

    def __init__(self, obj: dict[str, object], lineno: int, report: FileReport, fields: JsonlFields,
                 used: dict[str, list[str]]) -> None:
        self.obj, self.lineno, self.report, self.fields, self.used = obj, lineno, report, fields, used
        self.claimed: set[str] = set()

    def problem(self, message: str, many: tuple[str, str] | None = None) -> None:
        self.report.add(message, self.lineno, many=many)

    def _guess(self, role: str) -> str:
        """The one field of this line that looks like it could be `role`, else 'NAME'."""
        free = [(k, v) for k, v in self.obj.items() if k not in self.claimed]
        if role == "id":
            fits = [k for k, v in free if isinstance(v, (str, int)) and not isinstance(v, bool) and "id" in k.lower()]
            # else the one integer field: {"key": 17, "pred": "..."}
            fits = fits or [k for k, v in free if isinstance(v, int) and not isinstance(v, bool)]
        else:
            fits = [k for k, v in free if isinstance(v, (str, list)) and k not in NAMES["id"] and k != SYSTEM]
        return fits[0] if len(fits) == 1 else "NAME"

    def _choose(self, role: str, name: str) -> str:
        """How to name `role`'s field: the option, or this file's #role= for the source (no option)."""
        option = OPTIONS[role]
        return f"{option} {name}" if option.startswith("--") else f"{self.report.path}#{role}={name}"

    def _swapped(self, role: str) -> str | None:
        """A hint when the line looks like the other side's: outputs given as references, or the reverse."""
        telling = {"references": (OUTPUTS_ONLY, "a system's outputs"), "summary": (REFERENCES_ONLY, "references")}
        if role not in telling:
            return None
        names, what = telling[role]
        found = [k for k in self.obj if k in names]
        return f" — the lines look like {what} ({found[0]!r}): {SWAPPED}" if found else None

    def pick(self, role: str, *, required: bool = True) -> str | None:
        """The field that holds `role` on this line (see harness.inputs.fields), or None (reported
        when required, or when two recognised names are present)."""
        names = self.fields.names(role)
        found = [n for n in names if n in self.obj and n not in self.claimed]
        if found and found[0] == names[0]:
            name = found[0]
        elif len(found) == 1:
            name = found[0]
        elif found:
            both = " and ".join(map(repr, found[:2]))
            self.problem(f"fields {both} could both be {WHAT[role]}; choose one with {self._choose(role, 'NAME')}")
            return None
        else:
            if required:
                alternative = f" (or {SINGULAR_REFERENCE!r})" if role == "references" and len(names) > 1 else ""
                hint = self._swapped(role) or f" — use {self._choose(role, self._guess(role))}"
                name = self.fields.configured(role)
                has = _has(list(self.obj))
                self.problem(f"missing field {name!r}{alternative}; the line has {has}{hint}",
                             (f"miss field {name!r}{alternative}", f"; the lines have {has}{hint}"))
            return None
        self.claimed.add(name)
        if name not in self.used.setdefault(role, []):
            self.used[role].append(name)
        return name

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
            return None
        value = self.obj[name]
        if value is None and not required:
            return None
        return self._string(value, f"field {name!r}")

    def role_text(self, role: str, *, required: bool = True) -> str | None:
        """The string of `role`'s field (the summary, the source)."""
        name = self.pick(role, required=required)
        return None if name is None else self.text(name, required=required)

    def ident(self, role: str = "id") -> str | None:
        """A required, non-empty id: a string, or an integer read as its decimal string."""
        name = self.pick(role) if role != SYSTEM else SYSTEM
        if name is None:
            return None
        value = self.obj[name]
        if isinstance(value, int) and not isinstance(value, bool) and role != SYSTEM:
            return str(value)  # {"idx": 17}: the id "17", as the folder d17 would be "d17"
        text = self._string(value, f"field {name!r}")
        if text == "":
            self.problem(f"field {name!r} is empty")
            return None
        return text

    def references(self) -> list[str] | None:
        """One or more reference strings: a list, or one string (a list of one)."""
        names = self.fields.names("references")
        if names[0] == DEFAULT_REFERENCES and DEFAULT_REFERENCES in self.obj and SINGULAR_REFERENCE in self.obj:
            self.problem(f"fields {DEFAULT_REFERENCES!r} and {SINGULAR_REFERENCE!r} both given; use one")
            return None
        name = self.pick("references")
        if name is None:
            return None
        value = self.obj[name]
        if not isinstance(value, (str, list)) and name != SINGULAR_REFERENCE:
            self.problem(f"field {name!r} must be a string or a list of strings, found {kind(value)}")
            return None
        if not isinstance(value, list):  # one reference: a list of one
            text = self._string(value, f"field {name!r}")
            return None if text is None else [text]
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


def read_references_jsonl(
    path: Path, fields: JsonlFields, problems: list[str], warnings: list[str], notes: list[str] | None = None
) -> JsonlReferences:
    """A references JSONL file -> JsonlReferences; problems go to `problems`, none raised; which
    recognised field names were read goes to `notes` (or `warnings` without it), once per file."""
    path = Path(path)
    report = FileReport(path)
    out = JsonlReferences(references={})
    ids = _Ids(report)
    used: dict[str, list[str]] = {}
    named = 0  # the first line with a "system" field, as a system's outputs have
    for lineno, obj in objects(path, report):
        line = _Line(obj, lineno, report, fields, used)
        doc = line.ident()
        refs = line.references()
        source = line.role_text("source", required=False)
        offtopic = line.text(OFFTOPIC, required=False)
        named = named or lineno if SYSTEM in obj else named
        if doc is None or not ids.add(doc, lineno):
            continue
        if refs is not None:
            out.references[doc] = {str(i): text for i, text in enumerate(refs, 1)}
        if source is not None:
            out.sources[doc] = source
        if offtopic is not None:
            out.offtopic[doc] = offtopic
    report.flush_into(problems)
    _say_used(path, used, fields, warnings if notes is None else notes)
    if named:
        warnings.append(f"{path}: line {named} has a {SYSTEM!r} field, as a system's outputs do: {SWAPPED}")
    return out


def _say_used(path: Path, used: dict[str, list[str]], fields: JsonlFields, notes: list[str]) -> None:
    note = used_note(path, used, fields)
    if note is not None:
        notes.append(note)


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
    path: Path, documents: Sequence[str], fields: JsonlFields, report: FileReport, used: dict[str, list[str]]
) -> dict[str, _System]:
    """The systems of one candidates file, in order of first appearance."""
    known = set(documents)
    near = {id_key(d): d for d in documents}
    entries: list[tuple[int, str | None, str, str]] = []
    first_system: int | None = None
    for lineno, obj in objects(path, report):
        line = _Line(obj, lineno, report, fields, used)
        doc = line.ident()
        text = line.role_text("summary")
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
    paths: Sequence[Path], documents: Sequence[str], fields: JsonlFields | Sequence[JsonlFields], problems: list[str],
    warnings: list[str], origins: dict[str, Path] | None = None, notes: list[str] | None = None,
) -> dict[str, dict[str, str | None]]:
    """Candidates JSONL files -> {system: {doc_id: text, or None when missing}}, documents in
    the order given, systems in order of first appearance; problems go to `problems`.

    With no documents (the references failed) ids are not checked, so that the references'
    own errors are not buried under one "unknown document" per candidate line."""
    found: dict[str, _System] = {}
    keys: dict[str, str] = {}
    per_file = [fields] * len(paths) if isinstance(fields, JsonlFields) else list(fields)
    for path, own in zip(map(Path, paths), per_file, strict=True):
        report = FileReport(path)
        used: dict[str, list[str]] = {}
        for name, entry in _candidate_file(path, documents, own, report, used).items():
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
        _say_used(path, used, own, warnings if notes is None else notes)
    systems: dict[str, dict[str, str | None]] = {}
    for name, entry in found.items():
        missing = [doc for doc in documents if doc not in entry.texts]
        if len(missing) == 1:
            warnings.append(f"{entry.path}: system {name!r} has no summary for document {missing[0]!r}; scored 0")
        elif missing:
            warnings.append(f"{entry.path}: system {name!r} has no summary for {several(missing, len(documents))}; scored 0")
        systems[name] = {doc: entry.texts.get(doc) for doc in documents}
    return systems
