"""Reading a folder corpus: references/<doc-id>/*.txt (one or more reference summaries per
document), candidates/<system>/<doc-id>.txt (one summary per document per system), and the
per-document folders offtopic/, sources/ and themes/ (<doc-id>.txt each).

Every problem found is collected into `problems`, so the caller reports them all at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from harness.errors import InputError
from harness.files import read_text
from harness.inputs.corpus import SUFFIX, id_key, several


def entries(folder: Path, problems: list[str]) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as it:
            entries = [e for e in it if not e.name.startswith(".")]
    except FileNotFoundError:  # a missing x.jsonl was meant as a file, not a folder
        meant = Path(str(folder).rsplit("#", 1)[0]).suffix.lower()  # FILE#fields: the file's own suffix
        problems.append(f"{folder}: no such {'file' if meant in ('.jsonl', '.json') else 'folder'}")
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


def check_collisions(kind: str, folder: Path, names: Iterable[str], problems: list[str]) -> None:
    seen: dict[str, str] = {}
    for name in names:
        key = id_key(name)
        if key in seen:
            # ascii() shows the difference that NFC and NFD forms hide on screen ('caf\xe9', 'cafe\u0301').
            problems.append(
                f"{folder}: {kind} ids {seen[key]!a} and {name!a} differ only by case or Unicode form; "
                "rename one"
            )
        else:
            seen[key] = name


def read(path: Path, encoding: str | None, problems: list[str]) -> str | None:
    try:
        return read_text(path, encoding)
    except InputError as exc:
        problems.append(str(exc))
        return None


def _classify(folder: Path, problems: list[str]) -> list[tuple[str, Path, str]]:
    """(name, path, kind) of each visible entry: kind is 'folder', 'txt' or 'other';
    broken symbolic links are reported instead."""
    out = []
    for entry in entries(folder, problems):
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


def txt_files(folder: Path, expected: str, problems: list[str], warnings: list[str]) -> list[tuple[str, Path]]:
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
        found = txt_files(path, "reference .txt files", problems, warnings)
        if not found and len(problems) == listed:  # else what is there was already reported
            problems.append(f"{path}: document has no reference summaries (*.txt)")
        refs: dict[str, str] = {}
        for stem, file in found:
            text = read(file, encoding, problems)
            if text is not None:
                refs[stem] = text
        check_collisions("reference", path, refs, problems)
        docs[doc] = refs
    if not docs and len(problems) == before:
        problems.append(f"{folder}: no documents (expected {folder}/<doc-id>/<name>.txt)")
    check_collisions("document", folder, docs, problems)
    return docs


def read_candidates(
    folder: Path, documents: Sequence[str], encoding: str | None, problems: list[str], warnings: list[str]
) -> dict[str, dict[str, str | None]]:
    """candidates/<system>/<doc-id>.txt -> {system: {doc_id: text or None when missing}}."""
    known = {id_key(d): d for d in documents}
    wanted = set(documents)  # a set: `in` on the list made 10,000 documents quadratic
    systems: dict[str, dict[str, str | None]] = {}
    before = len(problems)
    for system, path in _subfolders(folder, "system (candidates/<system>/<doc-id>.txt)", problems, warnings):
        texts: dict[str, str | None] = {}
        unreadable: set[str] = set()
        for doc, file in txt_files(path, "<doc-id>.txt", problems, warnings):
            if doc not in wanted:
                near = known.get(id_key(doc))
                hint = f" (did you mean {near!r}? ids must match exactly)" if near else ""
                problems.append(f"{file}: candidate for unknown document {doc!r}{hint}")
                continue
            text = read(file, encoding, problems)
            if text is None:
                unreadable.add(doc)
            else:
                texts[doc] = text
        missing = [doc for doc in documents if doc not in texts and doc not in unreadable]
        if len(missing) == 1:
            warnings.append(f"{path}: no candidate for document {missing[0]!r}; scored 0")
        elif missing:
            warnings.append(f"{path}: no candidate for {several(missing, len(documents))}; scored 0")
        for doc in missing:
            texts[doc] = None
        systems[system] = texts
    if not systems and len(problems) == before:
        problems.append(f"{folder}: no systems (expected {folder}/<system>/<doc-id>.txt)")
    check_collisions("system", folder, systems, problems)
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
    before = len(problems)
    for doc, path in txt_files(folder, "<doc-id>.txt", problems, warnings):
        if doc not in wanted:
            problems.append(f"{path}: {kind} for unknown document {doc!r}")
            continue
        text = read(path, encoding, problems)
        if text is not None:
            texts[doc] = text
    warn_if_empty(folder, kind, bool(texts), before, problems, warnings)
    return texts


def warn_if_empty(folder: Path, kind: str, found: bool, before: int, problems: list[str], warnings: list[str]) -> None:
    """A warning when a folder of per-document files (off-topic texts, sources, themes) gives no
    document anything, unless a problem with it was listed after `before`: an empty folder was taken
    silently, and the run looked as if it had them."""
    if not found and len(problems) == before:
        warnings.append(f"{folder}: no {kind} for any document (expected <doc-id>.txt files); the folder adds nothing")


