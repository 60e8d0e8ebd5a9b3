"""Choosing the reader for each input: folders (harness.inputs.corpus) or JSON Lines (harness.inputs.jsonl).

References come from one folder or one JSONL file; candidates from any mix of folders and
JSONL files; off-topic texts from a folder and/or the references file's "offtopic" fields.
Every problem found in any of them is reported in one InputError, before any scoring.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from harness.errors import InputError
from harness.inputs.corpus import Corpus, fail_on
from harness.inputs.folders import (
    check_collisions,
    entries,
    read,
    read_candidates,
    read_offtopic,
    read_references,
    read_sources,
)
from harness.inputs.jsonl import (
    JsonlFields,
    is_jsonl,
    read_candidates_jsonl,
    read_references_jsonl,
)
from harness.inputs.themes import read_themes

PathLike = str | os.PathLike[str]


def load_corpus(
    references: PathLike,
    candidates: PathLike | Sequence[PathLike],
    encoding: str | None = None,
    offtopic: PathLike | None = None,
    *,
    fields: JsonlFields | None = None,
    sources: PathLike | None = None,
    themes: PathLike | None = None,
) -> Corpus:
    """Read and validate a corpus: `references` is a references/<doc>/*.txt folder or a JSONL
    file; `candidates` one or several candidates/<system>/<doc>.txt folders or JSONL files
    (mixed freely; a system may come from one of them only); `offtopic` an optional folder of
    <doc>.txt texts summaries should leave out; `sources` an optional folder of <doc>.txt source
    documents (the articles summarised); `themes` an optional folder of <doc>.txt theme files
    (`harness.inputs.themes`). `encoding` is the fallback for .txt files that
    are not UTF-8 (JSONL is UTF-8 by definition); `fields` names the JSONL fields."""
    fields = fields or JsonlFields()
    ref_path = Path(references)
    cand_paths = [Path(candidates)] if isinstance(candidates, (str, os.PathLike)) else [Path(c) for c in candidates]
    problems: list[str] = []
    warnings: list[str] = []
    originals: dict[str, str] = {}
    noise: dict[str, str] = {}
    if is_jsonl(ref_path):
        read = read_references_jsonl(ref_path, fields, problems, warnings)
        refs, originals, noise = read.references, read.sources, read.offtopic
    else:
        refs = read_references(ref_path, encoding, problems, warnings)
    cands: dict[str, dict[str, str | None]] = {}
    origin: dict[str, Path] = {}
    # After a bad references JSONL file its skipped lines would make every candidate of those
    # documents "unknown" and bury the real error; a references folder's problems are per file.
    if refs and not (problems and is_jsonl(ref_path)):
        documents = sorted(refs)
        jsonl_files = [p for p in cand_paths if is_jsonl(p)]
        parts: list[tuple[Path | dict[str, Path], dict[str, dict[str, str | None]]]] = [
            (p, read_candidates(p, documents, encoding, problems, warnings)) for p in cand_paths if not is_jsonl(p)
        ]
        if jsonl_files:
            from_files: dict[str, Path] = {}  # each JSONL system's own file, for messages
            parts.append((from_files, read_candidates_jsonl(jsonl_files, documents, fields, problems, warnings, from_files)))
        for where, systems in parts:
            for name, texts in systems.items():
                path = where if isinstance(where, Path) else where[name]
                if name in cands:
                    problems.append(f"{path}: system {name!r} is also given by {origin[name]}; each system must come from one place")
                    continue
                cands[name], origin[name] = texts, path
        if len(parts) > 1:
            check_collisions("system", Path(", ".join(str(p) for p in cand_paths)), cands, problems)
    elif refs:
        # The references file had problems: the candidate JSONL files are still read for their own
        # (syntax, fields, duplicates), but their ids are not checked against the documents.
        read_candidates_jsonl([p for p in cand_paths if is_jsonl(p)], [], fields, problems, warnings)
    else:
        # Without documents every candidate and off-topic text would be "for an unknown
        # document": noise. Only whether the folders exist is still worth reporting.
        extra = [Path(p) for p in (offtopic, sources) if p is not None]
        for path in [*cand_paths, *extra]:
            if not is_jsonl(path):
                entries(path, problems)
    if offtopic is not None and refs:
        for doc, text in read_offtopic(Path(offtopic), sorted(refs), encoding, problems, warnings).items():
            if doc in noise:
                problems.append(f"{offtopic}: off-topic text for {doc!r} is also given in {ref_path}; give it once")
            noise[doc] = text
    if sources is not None and refs:
        for doc, text in read_sources(Path(sources), sorted(refs), encoding, problems, warnings).items():
            if doc in originals:
                problems.append(f"{sources}: source for {doc!r} is also given in {ref_path}; give it once")
            originals[doc] = text
    found_themes = {}
    if themes is not None and refs:
        found_themes = read_themes(Path(themes), sorted(refs), encoding, problems, warnings)
    fail_on(problems)
    return Corpus(
        references=refs, candidates=cands, warnings=warnings, offtopic=noise, sources=originals, themes=found_themes
    )


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
    fail_on(problems)
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
        text = read(path, encoding, problems)
        if text is not None:
            systems[name] = {doc: text}
    noise = read_offtopic(Path(offtopic), sorted(refs), encoding, problems, warnings) if offtopic is not None else {}
    originals = read_sources(Path(sources), sorted(refs), encoding, problems, warnings) if sources is not None else {}
    found = {}
    if themes is not None:
        found = read_themes(Path(themes), sorted(refs), encoding, problems, warnings)
    fail_on(problems)
    noise = {doc: noise[doc]} if doc in noise else {}
    originals = {doc: originals[doc]} if doc in originals else {}
    found = {doc: found[doc]} if doc in found else {}
    return Corpus(
        references={doc: refs[doc]}, candidates=systems, warnings=warnings, offtopic=noise, sources=originals, themes=found
    )
