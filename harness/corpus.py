"""Reading and pairing references/ and candidates/ into a Corpus, validating everything first.

Layout: references/<doc-id>/*.txt (one or more reference summaries per document)
and candidates/<system>/<doc-id>.txt (one summary per document per system).
Every problem found is reported at once, in one InputError.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import InputError
from harness.files import read_text

if TYPE_CHECKING:
    from harness.themes import Theme

SUFFIX = ".txt"
MAX_MISSING_SHOWN = 20  # missing-candidate warnings listed per system, as the JSONL reader does
_SURROGATE = re.compile("[\ud800-\udfff]")


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
        _fail(problems)
        return cls(refs, cands, warnings, dict(offtopic or {}), dict(sources or {}))


def _id_key(name: str) -> str:
    """Ids that only differ by case or Unicode normalisation collide on many file systems."""
    return unicodedata.normalize("NFC", name).casefold()


def _entries(folder: Path, problems: list[str]) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as it:
            entries = [e for e in it if not e.name.startswith(".")]
    except FileNotFoundError:
        problems.append(f"{folder}: no such folder")
        return []
    except NotADirectoryError:
        problems.append(f"{folder}: is a file, expected a folder")
        return []
    except PermissionError:
        problems.append(f"{folder}: permission denied")
        return []
    good = []
    for e in entries:
        try:
            e.name.encode("utf-8")
        except UnicodeEncodeError:
            problems.append(f"{folder}: the name {e.name.encode('utf-8', 'surrogateescape')!r} is not valid UTF-8")
            continue
        good.append(e)
    return sorted(good, key=lambda e: e.name)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _check_collisions(kind: str, folder: Path, names: Iterable[str], problems: list[str]) -> None:
    seen: dict[str, str] = {}
    for name in names:
        key = _id_key(name)
        if key in seen:
            # ascii() shows the difference that NFC and NFD forms hide on screen ('caf\xe9', 'cafe\u0301').
            problems.append(
                f"{folder}: {kind} ids {seen[key]!a} and {name!a} differ only by case or Unicode form; "
                "rename one"
            )
        else:
            seen[key] = name


def _read(path: Path, encoding: str | None, problems: list[str]) -> str | None:
    try:
        return read_text(path, encoding)
    except InputError as exc:
        problems.append(str(exc))
        return None


def _classify(folder: Path, problems: list[str]) -> list[tuple[str, Path, str]]:
    """(name, path, kind) of each visible entry: kind is 'folder', 'txt' or 'other';
    broken symbolic links are reported instead."""
    out = []
    for entry in _entries(folder, problems):
        path = folder / entry.name
        if _is_dir(entry):
            out.append((entry.name, path, "folder"))
        elif entry.is_symlink() and not path.exists():
            problems.append(f"{path}: broken symbolic link")
        else:
            out.append((entry.name, path, "txt" if entry.name.endswith(SUFFIX) else "other"))
    return out


def _subfolders(folder: Path, layout: str, problems: list[str], warnings: list[str]) -> list[tuple[str, Path]]:
    """(name, path) of each folder in `folder`; a .txt file there is a layout mistake."""
    out = []
    for name, path, kind in _classify(folder, problems):
        if kind == "folder":
            out.append((name, path))
        elif kind == "txt":
            problems.append(f"{path}: expected a folder per {layout}")
        else:
            warnings.append(f"{path}: ignored (not a folder)")
    return out


def _txt_files(folder: Path, expected: str, problems: list[str], warnings: list[str]) -> list[tuple[str, Path]]:
    """(stem, path) of each .txt file in `folder`; other files are ignored with a warning."""
    out = []
    for name, path, kind in _classify(folder, problems):
        if kind == "folder":
            problems.append(f"{path}: is a folder, expected {expected}")
        elif kind == "txt":
            out.append((name[: -len(SUFFIX)], path))
        else:
            warnings.append(f"{path}: ignored (not a .txt file)")
    return out


def read_references(folder: Path, encoding: str | None, problems: list[str], warnings: list[str]) -> dict[str, dict[str, str]]:
    """references/<doc-id>/*.txt -> {doc_id: {reference stem: text}}."""
    docs: dict[str, dict[str, str]] = {}
    before = len(problems)
    for doc, path in _subfolders(folder, "document (references/<doc-id>/<name>.txt)", problems, warnings):
        listed = len(problems)
        found = _txt_files(path, "reference .txt files", problems, warnings)
        if not found and len(problems) == listed:  # else what is there was already reported
            problems.append(f"{path}: document has no reference summaries (*.txt)")
        refs: dict[str, str] = {}
        for stem, file in found:
            text = _read(file, encoding, problems)
            if text is not None:
                refs[stem] = text
        _check_collisions("reference", path, refs, problems)
        docs[doc] = refs
    if not docs and len(problems) == before:
        problems.append(f"{folder}: no documents (expected {folder}/<doc-id>/<name>.txt)")
    _check_collisions("document", folder, docs, problems)
    return docs


def read_candidates(
    folder: Path, documents: Sequence[str], encoding: str | None, problems: list[str], warnings: list[str]
) -> dict[str, dict[str, str | None]]:
    """candidates/<system>/<doc-id>.txt -> {system: {doc_id: text or None when missing}}."""
    known = {_id_key(d): d for d in documents}
    wanted = set(documents)  # a set: `in` on the list made 10,000 documents quadratic
    systems: dict[str, dict[str, str | None]] = {}
    before = len(problems)
    for system, path in _subfolders(folder, "system (candidates/<system>/<doc-id>.txt)", problems, warnings):
        texts: dict[str, str | None] = {}
        unreadable: set[str] = set()
        for doc, file in _txt_files(path, "<doc-id>.txt", problems, warnings):
            if doc not in wanted:
                near = known.get(_id_key(doc))
                hint = f" (did you mean {near!r}? ids must match exactly)" if near else ""
                problems.append(f"{file}: candidate for unknown document {doc!r}{hint}")
                continue
            text = _read(file, encoding, problems)
            if text is None:
                unreadable.add(doc)
            else:
                texts[doc] = text
        missing = [doc for doc in documents if doc not in texts and doc not in unreadable]
        for doc in missing[:MAX_MISSING_SHOWN]:
            warnings.append(f"{path}: no candidate for document {doc!r}; scored 0")
        if len(missing) > MAX_MISSING_SHOWN:
            warnings.append(f"{path}: no candidate for {len(missing) - MAX_MISSING_SHOWN} more documents; scored 0")
        for doc in missing:
            texts[doc] = None
        systems[system] = texts
    if not systems and len(problems) == before:
        problems.append(f"{folder}: no systems (expected {folder}/<system>/<doc-id>.txt)")
    _check_collisions("system", folder, systems, problems)
    return systems


def read_offtopic(
    folder: Path, documents: Sequence[str], encoding: str | None, problems: list[str], warnings: list[str]
) -> dict[str, str]:
    """offtopic/<doc-id>.txt -> {doc_id: text known to be off-topic for that document}."""
    return _read_per_document(folder, "off-topic text", documents, encoding, problems, warnings)


def read_sources(
    folder: Path, documents: Sequence[str], encoding: str | None, problems: list[str], warnings: list[str]
) -> dict[str, str]:
    """sources/<doc-id>.txt -> {doc_id: the document that was summarised}."""
    return _read_per_document(folder, "source", documents, encoding, problems, warnings)


def _read_per_document(
    folder: Path, kind: str, documents: Sequence[str], encoding: str | None, problems: list[str], warnings: list[str]
) -> dict[str, str]:
    texts: dict[str, str] = {}
    wanted = set(documents)
    for doc, path in _txt_files(folder, "<doc-id>.txt", problems, warnings):
        if doc not in wanted:
            problems.append(f"{path}: {kind} for unknown document {doc!r}")
            continue
        text = _read(path, encoding, problems)
        if text is not None:
            texts[doc] = text
    return texts


def _fail(problems: list[str]) -> None:
    if len(problems) == 1:
        raise InputError(problems[0])
    if problems:
        raise InputError(f"{len(problems)} problems: " + "; ".join(problems))


def load_adhoc(
    references: Path,
    files: Sequence[Path],
    doc: str | None,
    encoding: str | None = None,
    offtopic: Path | None = None,
    sources: Path | None = None,
    themes: Path | None = None,
) -> Corpus:
    """Loose candidate files, each a system named by its file stem, against one document's references
    (and its off-topic text and source, from those folders, when they hold one)."""
    problems: list[str] = []
    warnings: list[str] = []
    refs = read_references(Path(references), encoding, problems, warnings)
    _fail(problems)
    if doc is None:
        if len(refs) > 1:
            raise InputError(
                f"{references}: {len(refs)} documents ({', '.join(sorted(refs))}); choose one with --doc ID"
            )
        doc = next(iter(refs))
    elif doc not in refs:
        raise InputError(f"--doc {doc}: no such document in {references} (have: {', '.join(sorted(refs))})")
    systems: dict[str, dict[str, str | None]] = {}
    stems: dict[str, Path] = {}
    for path in files:
        path = Path(path)
        name = unicodedata.normalize("NFC", path.stem if path.suffix else path.name)
        if name in stems:
            problems.append(f"{path}: same system name {name!r} as {stems[name]}; rename one")
            continue
        stems[name] = path
        text = _read(path, encoding, problems)
        if text is not None:
            systems[name] = {doc: text}
    noise = read_offtopic(Path(offtopic), sorted(refs), encoding, problems, warnings) if offtopic is not None else {}
    originals = read_sources(Path(sources), sorted(refs), encoding, problems, warnings) if sources is not None else {}
    found = {}
    if themes is not None:
        from harness.themes import read_themes

        found = read_themes(Path(themes), sorted(refs), encoding, problems, warnings)
    _fail(problems)
    noise = {doc: noise[doc]} if doc in noise else {}
    originals = {doc: originals[doc]} if doc in originals else {}
    found = {doc: found[doc]} if doc in found else {}
    return Corpus(
        references={doc: refs[doc]}, candidates=systems, warnings=warnings, offtopic=noise, sources=originals, themes=found
    )
