"""Choosing the reader for each input: folders (harness.inputs.corpus) or JSON Lines (harness.inputs.jsonl).

References come from one folder or one JSONL file; candidates from any mix of folders and
JSONL files; off-topic texts from a folder and/or the references file's "offtopic" fields.
Every problem found in any of them is reported in one InputError, before any scoring.
"""

from __future__ import annotations

import glob
import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from harness.errors import InputError
from harness.files import refuse_nul
from harness.inputs.corpus import Corpus, fail_on
from harness.inputs.fields import JsonlFields, merged, split_spec
from harness.inputs.folders import (
    check_collisions,
    entries,
    read,
    read_candidates,
    read_offtopic,
    read_references,
    read_sources,
)
from harness.inputs.jsonl import SUFFIXES, is_jsonl, read_candidates_jsonl, read_references_jsonl
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
    problems: list[str] = []
    warnings: list[str] = []
    notes: list[str] = []
    given = [candidates] if isinstance(candidates, (str, os.PathLike)) else list(candidates)
    named = [("references", references), *(("candidates", c) for c in given), ("offtopic", offtopic),
             ("sources", sources), ("themes", themes)]
    for what, path in named:
        refuse_nul(what, path)
    ref_path, ref_fields = _references_input(Path(references), fields, problems)
    inputs = candidate_inputs([Path(c) for c in given], fields, problems)
    cand_paths = [path for path, _ in inputs]
    originals: dict[str, str] = {}
    noise: dict[str, str] = {}
    jsonl_inputs = [str(p) for p in [ref_path, *cand_paths] if is_jsonl(p)]
    if encoding is not None and jsonl_inputs:
        # JSON text is UTF-8 (RFC 8259): the option still serves the .txt files, never these.
        warnings.append(f"--encoding {encoding} does not apply to JSON Lines files, which are always read as "
                        f"UTF-8: {', '.join(jsonl_inputs[:3])}{' and more' if len(jsonl_inputs) > 3 else ''}")
    if is_jsonl(ref_path):
        read = read_references_jsonl(ref_path, ref_fields, problems, warnings, notes)
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
        jsonl_fields = [f for p, f in inputs if is_jsonl(p)]
        parts: list[tuple[Path | dict[str, Path], dict[str, dict[str, str | None]]]] = [
            (p, read_candidates(p, documents, encoding, problems, warnings)) for p in cand_paths if not is_jsonl(p)
        ]
        if jsonl_files:
            from_files: dict[str, Path] = {}  # each JSONL system's own file, for messages
            parts.append((from_files, read_candidates_jsonl(
                jsonl_files, documents, jsonl_fields, problems, warnings, from_files, notes)))
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
        read_candidates_jsonl([p for p, _ in inputs if is_jsonl(p)], [], [f for p, f in inputs if is_jsonl(p)],
                              problems, warnings, notes=notes)
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
    swapped = swap_warning(refs, cands)
    return Corpus(
        references=refs, candidates=cands, warnings=warnings + ([swapped] if swapped else []), offtopic=noise,
        sources=originals, themes=found_themes, notes=notes,
    )


# Candidates this many times as long as the references, on average, are more likely the articles
# or the references themselves (the two options exchanged) than summaries.
SWAP_RATIO = 3.0


def swap_warning(references: dict[str, dict[str, str]], candidates: dict[str, dict[str, str | None]]) -> str | None:
    """A warning when the candidates are on average SWAP_RATIO times as long as the references."""
    ref_lengths = [len(t) for refs in references.values() for t in refs.values()]
    cand_lengths = [len(t) for texts in candidates.values() for t in texts.values() if t]
    if not ref_lengths or not cand_lengths or sum(ref_lengths) == 0:
        return None
    ref_mean, cand_mean = sum(ref_lengths) / len(ref_lengths), sum(cand_lengths) / len(cand_lengths)
    if cand_mean < SWAP_RATIO * ref_mean:
        return None
    return (
        f"the candidates are on average {cand_mean / ref_mean:.1f} times as long as the references "
        f"({cand_mean:.0f} against {ref_mean:.0f} characters); if --references and --candidates are swapped, "
        "exchange them"
    )


def _references_input(path: Path, fields: JsonlFields, problems: list[str]) -> tuple[Path, JsonlFields]:
    """The references path without a `#names` part, and the field names for it."""
    ref_path, own, why = split_spec(path, "references")
    if why:
        problems.append(f"{ref_path}: {why}")
    return ref_path, merged(fields, own)


def candidate_inputs(paths: Sequence[Path], fields: JsonlFields, problems: list[str]) -> list[tuple[Path, JsonlFields]]:
    """Each candidates path with its field names: `FILE#names` split off, a quoted glob
    (`'out/*.jsonl'`) expanded, a folder that holds only JSONL files opened into those files
    (one system each); anything else as given."""
    out: list[tuple[Path, JsonlFields]] = []
    for given in paths:
        path, own, why = split_spec(given, "summary")
        if why:
            problems.append(f"{path}: {why}")
            continue
        mine = merged(fields, own)
        if not path.exists() and any(c in str(path) for c in "*?["):
            matches = sorted(Path(m) for m in glob.glob(str(path)))
            if not matches:
                problems.append(f"{path}: no files match")
            out += [(m, mine) for m in matches]
        elif path.is_dir() and _jsonl_folder(path):
            out += [(p, mine) for p in sorted(path.iterdir()) if is_jsonl(p) and not p.name.startswith(".")]
        else:
            out.append((path, mine))
    return out


def _jsonl_folder(folder: Path) -> bool:
    """A folder of JSONL files (one system each) and no system subfolders."""
    try:
        visible = [p for p in folder.iterdir() if not p.name.startswith(".")]
    except OSError:
        return False  # the folder reader reports it
    return any(p.suffix.lower() in SUFFIXES for p in visible) and not any(p.is_dir() for p in visible)


def load_adhoc(
    references: Path,
    files: Sequence[Path],
    doc: str | None,
    encoding: str | None = None,
    offtopic: Path | None = None,
    sources: Path | None = None,
    themes: Path | None = None,
    fields: JsonlFields | None = None,
) -> Corpus:
    """Loose candidate files, each a system named by its file stem, against one document's references
    (a references folder or JSONL file; its off-topic text and source, from those folders or the
    JSONL line, when there is one)."""
    problems: list[str] = []
    warnings: list[str] = []
    notes: list[str] = []
    ref_path, ref_fields = _references_input(Path(references), fields or JsonlFields(), problems)
    inline = None
    if is_jsonl(ref_path):
        inline = read_references_jsonl(ref_path, ref_fields, problems, warnings, notes)
        refs = inline.references
    else:
        refs = read_references(ref_path, encoding, problems, warnings)
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
    if inline is not None:
        noise, originals = {**inline.offtopic, **noise}, {**inline.sources, **originals}
    found = {}
    if themes is not None:
        found = read_themes(Path(themes), sorted(refs), encoding, problems, warnings)
    fail_on(problems)
    noise = {doc: noise[doc]} if doc in noise else {}
    originals = {doc: originals[doc]} if doc in originals else {}
    found = {doc: found[doc]} if doc in found else {}
    return Corpus(
        references={doc: refs[doc]}, candidates=systems, warnings=warnings, offtopic=noise, sources=originals,
        themes=found, notes=notes,
    )
