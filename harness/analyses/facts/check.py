"""Check a summary's figures and names against its evidence and give each a status (facts rules v1).

Evidence is the source minus its off-topic text (``on_topic``), or, with no source, the references.
An item is ``supported`` when found in the evidence, ``offtopic`` when found only in the off-topic
text, ``unsupported`` when found nowhere (``unchecked`` only when there is no evidence at all).
Figures match by value: each figure stands for an interval (its value give or take half its
rounding step, widened by an approximate word: 约 ±10%, 超过/多 up to +50%, 近/不到 down to -10%)
and two figures match when their intervals overlap (more than touch) and their units do not conflict (both given and
different). Names match after ``normalize`` (NFKC + casefold by default): Chinese as substrings,
Latin at word edges (``names.latin_at_edges``), any alias form of a listed name counting. Extraction
(``extract``) is separate from matching (``check_extracted``) so each distinct text is read once.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from harness.analyses.facts.figures import Figure, extract_figures
from harness.analyses.facts.names import Name, NamesList, extract_names, latin_at_edges
from harness.analyses.facts.result import EvidenceKind, FactItem, FactsResult, Status

RULES_VERSION = "facts-v1"
SNIPPET_SIDE = 12  # characters each side of the match: about 30 with the match itself

_WIDEN = {"about": (Decimal("0.9"), Decimal("1.1")), "over": (Decimal(1), Decimal("1.5")),
          "under": (Decimal("0.9"), Decimal(1)), None: (Decimal(1), Decimal(1))}


def default_normalize(text: str) -> str:
    """NFKC then casefold: the harness's normalisation without its optional traditional→simplified step."""
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True, slots=True)
class Extracted:
    """One text read once: its figures and names, plus the text and its normalised form for matching."""

    text: str
    folded: str
    figures: tuple[Figure, ...]
    names: tuple[Name, ...]
    skipped: tuple[str, ...] = ()
    # What was looked up in this text and where it was found (a source answers the same figures and
    # names for every summary of its document), and the references' wanted items (`_wanted`).
    found: dict[object, Any] = field(default_factory=dict, compare=False, repr=False)


def extract(
    text: str, *, names: NamesList | None = None, normalize: Callable[[str], str] | None = None,
    words: Sequence[str] | None = None, find_names: bool = True,
) -> Extracted:
    """Read a text's figures and names once (picklable; cache it per distinct text); ``words`` are
    jieba's words of it when already known; without ``find_names``, figures only (a source: a
    summary's names are looked up in its text, so the source's own names are never needed)."""
    skipped: list[str] = []
    figures = tuple(extract_figures(text))
    found = tuple(extract_names(text, names=names, skipped=skipped, words=words)) if find_names else ()
    return Extracted(text, (normalize or default_normalize)(text), figures, found, tuple(skipped))


def on_topic(source: str, offtopic: str | None) -> str:
    """The source without its off-topic text: whole off-topic lines are dropped, other pieces cut out."""
    if not offtopic:
        return source
    noise = [line.strip() for line in offtopic.splitlines() if line.strip()]
    whole = set(noise)
    kept = [line for line in source.splitlines() if line.strip() not in whole]
    text = "\n".join(kept)
    for piece in noise:
        if len(piece) >= 8 and piece in text:  # short pieces (a name, a date) may be on-topic too
            text = text.replace(piece, "\n")
    return text


def check_facts(
    summary: str,
    *,
    source: str | None,
    offtopic: str | None,
    references: Sequence[str] = (),
    names: NamesList | None = None,
    normalize: Callable[[str], str] | None = None,
) -> FactsResult:
    """Extract and check in one call (the pipeline calls ``extract`` and ``check_extracted`` instead)."""
    def read(text: str) -> Extracted:
        return extract(text, names=names, normalize=normalize)

    return check_extracted(
        read(summary),
        source=None if source is None else read(on_topic(source, offtopic)),
        offtopic=None if not offtopic else read(offtopic),
        references=[read(reference) for reference in references],
        normalize=normalize,
    )


def check_extracted(
    summary: Extracted,
    *,
    source: Extracted | None,
    offtopic: Extracted | None,
    references: Sequence[Extracted] = (),
    normalize: Callable[[str], str] | None = None,
) -> FactsResult:
    """Give every distinct figure and name of ``summary`` a status; ``source`` is already on-topic."""
    fold = normalize or default_normalize
    evidence: Sequence[Extracted] = [source] if source is not None else list(references)
    kind: EvidenceKind = "source" if source is not None else ("references" if references else "none")
    noise = [offtopic] if offtopic is not None else []
    items: list[FactItem] = []
    seen: set[object] = set()
    for figure in summary.figures:
        key = ("figure", figure.value, figure.unit, figure.kind, figure.second, figure.approx)
        if key not in seen:
            seen.add(key)
            status, snippet = _status(kind, partial(_find_figure, figure), evidence, noise)
            items.append(FactItem("figure", figure.text, figure.start, figure.end, status, snippet,
                                  figure.value, figure.unit))
    for name in summary.names:
        forms = tuple(fold(form) for form in (name.forms or (name.text,)))
        if ("name", forms[0]) not in seen:
            seen.add(("name", forms[0]))
            status, snippet = _status(kind, partial(_find_name, forms), evidence, noise)
            items.append(FactItem("name", name.text, name.start, name.end, status, snippet))
    items.sort(key=lambda item: item.start)
    return FactsResult(tuple(items), kind, _recall(summary, references, fold), summary.skipped)


def _status(
    kind: EvidenceKind,
    find: Callable[[Sequence[Extracted]], str | None],
    evidence: Sequence[Extracted],
    noise: Sequence[Extracted],
) -> tuple[Status, str | None]:
    if kind == "none":
        return "unchecked", None
    snippet = find(evidence)
    if snippet is not None:
        return "supported", snippet
    snippet = find(noise)
    return ("offtopic", snippet) if snippet is not None else ("unsupported", None)


def _snippet(text: str, start: int, end: int) -> str:
    piece = text[max(0, start - SNIPPET_SIDE):end + SNIPPET_SIDE]
    return " ".join(piece.split())


def _find_figure(figure: Figure, texts: Sequence[Extracted]) -> str | None:
    key = (figure.value, figure.unit, figure.kind, figure.step, figure.approx, figure.second)
    for extracted in texts:
        snippet: str | None
        if key in extracted.found:
            snippet = extracted.found[key]
        else:
            snippet = next((_snippet(extracted.text, other.start, other.end) for other in extracted.figures
                            if figures_match(figure, other)), None)
            extracted.found[key] = snippet
        if snippet is not None:
            return snippet
    return None


def _find_name(forms: tuple[str, ...], texts: Sequence[Extracted]) -> str | None:
    for extracted in texts:
        snippet: str | None
        if forms in extracted.found:
            snippet = extracted.found[forms]
        else:
            snippet = extracted.found[forms] = _name_in(forms, extracted)
        if snippet is not None:
            return snippet
    return None


def _name_in(forms: tuple[str, ...], extracted: Extracted) -> str | None:
    for form in forms:
        latin = _is_latin(form)
        index = latin_at_edges(extracted.folded, form) if latin else extracted.folded.find(form)
        if index >= 0 and form:
            # NFKC + casefold keep the length of Chinese and ASCII text: then show the original.
            shown = extracted.text if len(extracted.text) == len(extracted.folded) else extracted.folded
            return _snippet(shown, index, index + len(form))
    return None


def figures_match(claim: Figure, other: Figure) -> bool:
    """Whether two figures state the same quantity (the rule is in the module docstring and docs/facts.md)."""
    calendar = ("year", "date")
    if claim.kind in calendar and other.kind in calendar:
        return _same_day(claim, other)
    if claim.kind in calendar or other.kind in calendar:
        # 2022 and 2022年 are one year; a date never equals a bare number.
        return "date" not in (claim.kind, other.kind) and claim.value == other.value and None in (claim.unit, other.unit)
    if claim.kind == "score" or other.kind == "score":
        pair = (claim.value, claim.second)
        return claim.kind == other.kind and (pair == (other.value, other.second) or pair == (other.second, other.value))
    if claim.unit is not None and other.unit is not None and claim.unit != other.unit:
        return False
    low, high = _interval(claim)
    other_low, other_high = _interval(other)
    return low < other_high and other_low < high  # touching ends (5.4亿 and 5.5亿 at 5.45亿) do not match


def _interval(figure: Figure) -> tuple[Decimal, Decimal]:
    down, up = _WIDEN[figure.approx]
    half = figure.step / 2
    return figure.value * down - half, figure.value * up + half


def _same_day(claim: Figure, other: Figure) -> bool:
    """Year, month and day agree; what the claim leaves out (a date without year) is not compared."""
    def parts(figure: Figure) -> tuple[int, int, int]:
        number = int(figure.value)
        return (number, 0, 0) if figure.kind == "year" else (number // 10000, number // 100 % 100, number % 100)

    return all(mine in (0, theirs) for mine, theirs in zip(parts(claim), parts(other), strict=True))


def _recall(summary: Extracted, references: Sequence[Extracted], fold: Callable[[str], str]) -> float | None:
    """The share of the references' distinct figures and names that the summary states."""
    figures, names = _wanted(references, fold)
    total = len(figures) + len(names)
    if not total:
        return None
    stated = sum(1 for figure in figures if any(figures_match(figure, other) for other in summary.figures))
    stated += sum(1 for forms, latin in names if _contains(summary.folded, forms, latin))
    return stated / total


_Wanted = tuple[list[Figure], list[tuple[tuple[str, ...], tuple[bool, ...]]]]


def _wanted(references: Sequence[Extracted], fold: Callable[[str], str]) -> _Wanted:
    """The references' distinct figures, and their distinct names (folded forms, and whether each
    form is Latin), worked out once for all the summaries of a document: kept in the first
    reference's memo, under the identities of all of them."""
    if not references:
        return [], []
    key = ("wanted", fold, *map(id, references))
    kept = references[0].found.get(key)
    if kept is not None and all(a is b for a, b in zip(kept[0], references, strict=True)):
        return kept[1]  # type: ignore[no-any-return]
    figures: list[Figure] = []
    names: dict[str, tuple[str, ...]] = {}
    for reference in references:
        for figure in reference.figures:
            if not any(figures_match(figure, kept) and figures_match(kept, figure) for kept in figures):
                figures.append(figure)
        for name in reference.names:
            forms = tuple(fold(form) for form in (name.forms or (name.text,)))
            names.setdefault(forms[0], forms)
    wanted: _Wanted = (figures, [(forms, tuple(_is_latin(form) for form in forms)) for forms in names.values()])
    references[0].found[key] = (tuple(references), wanted)
    return wanted


def _is_latin(form: str) -> bool:
    return any("a" <= c <= "z" for c in form)


def _contains(folded: str, forms: tuple[str, ...], latin: tuple[bool, ...]) -> bool:
    """Whether any of the forms is in the folded text (Latin ones at word edges)."""
    return any(form and (latin_at_edges(folded, form) if is_latin else folded.find(form)) >= 0
               for form, is_latin in zip(forms, latin, strict=True))


def encode(extracted: Extracted) -> bytes:
    """`extracted` as bytes for the persistent cache (JSON; its text is the cache key's own)."""
    figures = [[f.text, f.start, f.end, str(f.value), f.unit, f.kind, str(f.step), f.approx,
                None if f.second is None else str(f.second)] for f in extracted.figures]
    names = [[n.text, n.start, n.end, n.origin, list(n.forms)] for n in extracted.names]
    return json.dumps([figures, names, list(extracted.skipped)], ensure_ascii=False).encode("utf-8")


def decode(text: str, data: bytes, normalize: Callable[[str], str] | None = None) -> Extracted | None:
    """`encode`'s bytes back into the Extracted of `text`; None when they are not what encode writes."""
    try:
        figures, names, skipped = json.loads(data.decode("utf-8"))
        return Extracted(
            text, (normalize or default_normalize)(text),
            tuple(Figure(f[0], f[1], f[2], Decimal(f[3]), f[4], f[5], Decimal(f[6]), f[7],
                         None if f[8] is None else Decimal(f[8])) for f in figures),
            tuple(Name(n[0], n[1], n[2], n[3], tuple(n[4])) for n in names),
            tuple(skipped),
        )
    except (ValueError, TypeError, IndexError, ArithmeticError):
        return None
