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

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.errors import InputError
from harness.files import read_text
from harness.normalize import normalize, split_sentences
from harness.tokenizers import is_scorable

SUFFIX = ".txt"
SEPARATOR = "|"
# A theme name is used as a table column and in `--min-theme THEME=VALUE`.
_FORBIDDEN_IN_NAME = "=[]|"


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


@dataclass(frozen=True, slots=True)
class Coverage:
    """Which units of one theme a candidate covers and misses (by first wording, in file order)."""

    covered: tuple[str, ...]
    missed: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.covered) + len(self.missed)

    @property
    def share(self) -> float:
        """Covered units over all units (a theme always has at least one)."""
        return len(self.covered) / self.total if self.total else 0.0


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
    from harness.corpus import _txt_files  # the same listing rules as offtopic/

    out: dict[str, list[Theme]] = {}
    wanted = set(documents)
    for doc, path in _txt_files(Path(folder), "<doc-id>.txt", problems, warnings):
        if doc not in wanted:
            problems.append(f"{path}: themes for unknown document {doc!r}")
            continue
        try:
            out[doc] = parse(read_text(path, encoding), str(path))
        except InputError as exc:
            problems.append(str(exc))
    return out


def theme_names(themes: Mapping[str, Sequence[Theme]]) -> list[str]:
    """Every theme name, in document order then file order (the table's column order)."""
    names: dict[str, None] = {}
    for doc in sorted(themes):
        for theme in themes[doc]:
            names.setdefault(theme.name)
    return list(names)


Tokenize = Callable[[str], Sequence[Sequence[str]]]


def unit_tokens(themes: Sequence[Theme], sentences: Tokenize) -> list[list[list[tuple[str, ...]]]]:
    """Per theme, per unit, the token sequence of each wording (`sentences` is the scoring
    processor's text -> token lists per sentence); computed once per document."""
    return [
        [[tuple(t for s in sentences(w) for t in s) for w in unit.wordings] for unit in theme.units]
        for theme in themes
    ]


def _ngram_sets(sentences: Iterable[Sequence[str]], lengths: Iterable[int]) -> dict[int, set[tuple[str, ...]]]:
    """For each length, the token sequences of that length inside one sentence."""
    sents = [tuple(s) for s in sentences]
    return {n: {s[i : i + n] for s in sents for i in range(len(s) - n + 1)} for n in set(lengths)}


def coverage(
    themes: Sequence[Theme], tokens: Sequence[Sequence[Sequence[tuple[str, ...]]]], sentences: Sequence[Sequence[str]]
) -> dict[str, Coverage]:
    """{theme name: Coverage} of a candidate given by its token lists per sentence; `tokens`
    is `unit_tokens(themes, ...)` (a wording with no tokens never matches)."""
    lengths = [len(w) for per_theme in tokens for unit in per_theme for w in unit if w]
    grams = _ngram_sets(sentences, lengths)
    out: dict[str, Coverage] = {}
    for theme, per_theme in zip(themes, tokens, strict=True):
        covered: list[str] = []
        missed: list[str] = []
        for unit, wordings in zip(theme.units, per_theme, strict=True):
            hit = any(w and w in grams[len(w)] for w in wordings)
            (covered if hit else missed).append(unit.name)
        out[theme.name] = Coverage(tuple(covered), tuple(missed))
    return out


def missing_coverage(themes: Sequence[Theme]) -> dict[str, Coverage]:
    """Coverage of a missing candidate: every unit missed."""
    return {t.name: Coverage((), tuple(u.name for u in t.units)) for t in themes}
