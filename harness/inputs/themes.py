"""Theme coverage: which content units of a document's themes a candidate states.

A theme file, `themes/<doc-id>.txt`, lists a document's themes in sections; under each
`[theme name]` header comes one content unit a line (a fact a good summary of that theme
states), its alternative wordings separated by `|`. Blank lines and lines starting with
`#` are ignored::

    [开源威胁]
    护城河
    52k数据 | 5.2万条数据

A unit is covered when any of its wordings, normalised and tokenized exactly like the
candidate (same processor, so the same unit, word or char), occurs in one sentence of the
candidate as a contiguous token sequence. So `５２ｋ数据` matches `52k数据`; a paraphrase in
other words is missed (that is what ROUGE measures), and so is a wording jieba cuts
differently in context (`盈利` is not found inside the single token `盈利模式`): list such
forms as alternative wordings. A unit is reported by its first wording.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from harness.errors import InputError
from harness.files import read_text
from harness.inputs.corpus import Theme, Unit
from harness.inputs.folders import txt_files, warn_if_empty  # the same listing rules as offtopic/
from harness.text.normalize import normalize, split_sentences
from harness.text.tokenizers import is_scorable

SUFFIX = ".txt"
SEPARATOR = "|"
# A theme name is used as a table column and in `--min-theme THEME=VALUE`.
_FORBIDDEN_IN_NAME = "=[]|"


def parse(text: str, source: str) -> list[Theme]:
    """Themes of one theme file's text; InputError naming `source` and the line of the first
    problem: a unit before any header, a bad or repeated theme name, a theme without units, an
    empty wording, a wording without scorable characters or spanning a sentence break, or a
    wording used twice in the file (then two units, or two themes, would count one fact)."""
    themes: list[tuple[str, int, list[Unit]]] = []
    seen_names: set[str] = set()
    seen_wordings: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}:{lineno}"
        if line.startswith("["):
            if not line.endswith("]"):
                raise InputError(f"{where}: a theme header is '[name]', got {line!r}")
            name = line[1:-1].strip()
            if not name or any(ch in name for ch in _FORBIDDEN_IN_NAME) or not name.isprintable():
                raise InputError(f"{where}: bad theme name {name!r} (not empty, printable, without = [ ] |)")
            if name in seen_names:
                raise InputError(f"{where}: theme {name!r} is listed twice")
            seen_names.add(name)
            _check_not_empty(themes, source)
            themes.append((name, lineno, []))
            continue
        if not themes:
            raise InputError(f"{where}: unit {line!r} before any [theme] header")
        wordings = tuple(w.strip() for w in line.split(SEPARATOR))
        for wording in wordings:
            if not wording:
                raise InputError(f"{where}: empty wording in {line!r}")
            normalised = normalize(wording)
            if not is_scorable(normalised):
                raise InputError(f"{where}: wording {wording!r} has nothing to match (only punctuation or spaces)")
            if len(split_sentences(normalised)) != 1:
                raise InputError(f"{where}: wording {wording!r} spans a sentence break; a unit matches within a sentence")
            key = normalised.replace(" ", "")
            if key in seen_wordings:
                raise InputError(f"{where}: duplicate unit: wording {wording!r} is already on line {seen_wordings[key]}")
            seen_wordings[key] = lineno
        themes[-1][2].append(Unit(wordings, lineno))
    _check_not_empty(themes, source)
    if not themes:
        raise InputError(f"{source}: no themes (expected '[name]' headers, each followed by its units)")
    return [Theme(name, tuple(units)) for name, _line, units in themes]


def _check_not_empty(themes: list[tuple[str, int, list[Unit]]], source: str) -> None:
    if themes and not themes[-1][2]:
        name, lineno, _units = themes[-1]
        raise InputError(f"{source}:{lineno}: theme {name!r} has no units")


def read_themes(
    folder: Path, documents: Sequence[str], encoding: str | None, problems: list[str], warnings: list[str]
) -> dict[str, list[Theme]]:
    """themes/<doc-id>.txt -> {doc_id: themes}; every bad file is one entry in `problems`."""
    out: dict[str, list[Theme]] = {}
    wanted = set(documents)
    before = len(problems)
    for doc, path in txt_files(Path(folder), "<doc-id>.txt", problems, warnings):
        if doc not in wanted:
            problems.append(f"{path}: themes for unknown document {doc!r}")
            continue
        try:
            out[doc] = parse(read_text(path, encoding), str(path))
        except InputError as exc:
            problems.append(str(exc))
    warn_if_empty(folder, "themes", bool(out), before, problems, warnings)
    return out


def theme_names(themes: Mapping[str, Sequence[Theme]]) -> list[str]:
    """Every theme name, in document order then file order (the table's column order)."""
    names: dict[str, None] = {}
    for doc in sorted(themes):
        for theme in themes[doc]:
            names.setdefault(theme.name)
    return list(names)
