"""Check a summary's figures and names against its evidence and give each a status (facts rules, docs/facts.md).

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

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from harness.analyses.facts.extraction import Extracted, PieceMemo, default_normalize, extract
from harness.analyses.facts.figure import Figure, date_parts
from harness.analyses.facts.fragment import value_or_none, value_text
from harness.analyses.facts.names import latin_at_edges
from harness.analyses.facts.names_list import NamesList
from harness.analyses.facts.result import EvidenceKind, FactsResult, Row, Status
from harness.errors import InputError

RULES_VERSION = "facts-v8"
SNIPPET_SIDE = 12  # characters each side of the match: about 30 with the match itself

_WIDEN = {"about": (Decimal("0.9"), Decimal("1.1")), "over": (Decimal(1), Decimal("1.5")),
          "under": (Decimal("0.9"), Decimal(1)), None: (Decimal(1), Decimal(1))}


Statuses = dict[object, tuple[Status, str | None, str | None]]
"""The check's memo of statuses for one evidence: by a figure's values (`figure_key`) or a name's folded
forms, (status, evidence snippet, the figure's value as the contract writes it or None)."""


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
    """Extract and check in one call (the pipeline calls ``extract`` and ``check_extracted`` instead).
    ``offtopic`` with neither ``source`` nor ``references`` raises InputError, as `harness facts
    --offtopic` alone does: with no evidence every item is unchecked, and the text would be ignored."""
    if offtopic is not None and source is None and not references:
        raise InputError("offtopic needs source or references: items are told off-topic beside the evidence")
    memo: PieceMemo = {}

    def read(text: str) -> Extracted:
        return extract(text, names=names, normalize=normalize, memo=memo)

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
    memo: dict[str, Any] | None = None,
) -> FactsResult:
    """Give every distinct figure and name of ``summary`` a status; ``source`` is already on-topic.
    ``memo`` keeps what was worked out for this evidence (the same source, off-topic text,
    references and ``normalize``) for the next summary of the document: a dict the caller keeps
    with the evidence, and never shares with other evidence."""
    fold = normalize or default_normalize
    evidence: Sequence[Extracted] = [source] if source is not None else list(references)
    kind: EvidenceKind = "source" if source is not None else ("references" if references else "none")
    noise = [offtopic] if offtopic is not None else []
    memo = {} if memo is None else memo
    statuses: Statuses = memo.setdefault("statuses", {})
    rows: list[Row] = []
    seen: set[object] = set()
    for figure in summary.figures:
        same = figure_once(figure)
        if same not in seen:
            seen.add(same)
            found = figure_status(figure, kind, evidence, noise, statuses)
            rows.append(("figure", figure.text, figure.start, figure.end, found[0], found[1], found[2], figure.unit,
                         value_or_none(figure.second)))
    for name in summary.names:
        forms = fold_forms(fold, name.forms or (name.text,))
        if name_once(forms) not in seen:
            seen.add(name_once(forms))
            found = name_status(forms, kind, evidence, noise, statuses)
            rows.append(("name", name.text, name.start, name.end, found[0], found[1], None, None, None))
    if "wanted" not in memo:
        memo["wanted"] = wanted_items(references, fold)
    return FactsResult.from_rows(rows, kind, _recall(summary, memo["wanted"]), summary.skipped)


def figure_once(figure: Figure) -> tuple[object, ...]:
    """The key a summary's figure is counted once under: its values, the rounding aside."""
    return ("figure", figure.value, figure.unit, figure.kind, figure.second, figure.approx)


def name_once(forms: tuple[str, ...]) -> tuple[str, str]:
    """The key a summary's name is counted once under: its first folded form (`fold_forms`)."""
    return ("name", forms[0])


def figure_status(figure: Figure, kind: EvidenceKind, evidence: Sequence[Extracted], noise: Sequence[Extracted],
                  statuses: Statuses, key: tuple[object, ...] | None = None) -> tuple[Status, str | None, str | None]:
    """A figure's status, snippet and value text against this evidence, from `statuses` or found
    (`key`: its `figure_key`, when known)."""
    key = figure_key(figure) if key is None else key
    found = statuses.get(key)
    if found is None:
        found = statuses[key] = (*_status(kind, partial(_find_figure, figure), evidence, noise),
                                 value_text(figure.value))
    return found


def name_status(forms: tuple[str, ...], kind: EvidenceKind, evidence: Sequence[Extracted],
                noise: Sequence[Extracted], statuses: Statuses) -> tuple[Status, str | None, str | None]:
    """A name's status and snippet (and None) against this evidence, by its folded forms (`fold_forms`)."""
    found = statuses.get(forms)
    if found is None:
        found = statuses[forms] = (*_status(kind, partial(_find_name, forms), evidence, noise), None)
    return found


def figure_key(figure: Figure) -> tuple[object, ...]:
    """What matching reads of a figure (value, unit, kind, step, approximation, second side): the
    key under which its status, its snippet in a text and the reference figures it states are kept."""
    return figure[3:]


_FOLDED: dict[tuple[Callable[[str], str], tuple[str, ...]], tuple[str, ...]] = {}


def fold_forms(fold: Callable[[str], str], forms: tuple[str, ...]) -> tuple[str, ...]:
    """`fold` of each form, remembered (a name recurs in many summaries; bounded)."""
    found = _FOLDED.get((fold, forms))
    if found is None:
        if len(_FOLDED) >= 65536:
            _FOLDED.clear()
        found = _FOLDED[(fold, forms)] = tuple(fold(form) for form in forms)
    return found


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


_SPANS = "intervals"  # the key of a text's figures' intervals in its `found`, whose other keys are tuples


def _find_figure(figure: Figure, texts: Sequence[Extracted]) -> str | None:
    key = figure_key(figure)
    span: tuple[Decimal, Decimal] | None = None
    for extracted in texts:
        snippet: str | None
        found = extracted.found
        if key in found:
            snippet = found[key]
        else:
            spans = found.get(_SPANS)
            if spans is None:  # each figure's interval, worked out once per text, not once per figure it is held to
                spans = found[_SPANS] = [(other, _interval(other)) for other in extracted.figures]
            span = span or _interval(figure)
            snippet = next((_snippet(extracted.text, other.start, other.end) for other, (low, high) in spans
                            if ((span[0] < high and low < span[1]) if (decided := _decided(figure, other)) is None
                                else decided)), None)
            found[key] = snippet
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
    decided = _decided(claim, other)
    if decided is not None:
        return decided
    low, high = _interval(claim)
    other_low, other_high = _interval(other)
    return low < other_high and other_low < high  # touching ends (5.4亿 and 5.5亿 at 5.45亿) do not match


def _decided(claim: Figure, other: Figure) -> bool | None:
    """`figures_match` where the figures' kinds or units decide it; None where their intervals do."""
    if claim.kind == "score" or other.kind == "score":  # before years: a pair 2023: 18 is no year (v6)
        pair = (claim.value, claim.second)
        if claim.kind == other.kind:
            return pair == (other.value, other.second) or pair == (other.second, other.value)
        # a bare number the claim states is the hour or minute of the evidence's time (20点30分 and 20:30;
        # v6), not a side of a score (3球 is not 3比1; a score shaped like a time, 21:19, still is one)
        return (other.kind == "score" and claim.kind == "number" and claim.unit is None and claim.approx is None
                and claim.value in (other.value, other.second) and _CLOCK.fullmatch(other.text) is not None)
    calendar = ("year", "date")
    if claim.kind in calendar and other.kind in calendar:
        return _same_day(claim, other)
    if claim.kind in calendar or other.kind in calendar:
        # 2022 and 2022年 are one year; a date never equals a bare number.
        return "date" not in (claim.kind, other.kind) and claim.value == other.value and None in (claim.unit, other.unit)
    if claim.unit is not None and other.unit is not None and claim.unit != other.unit and not (
            "个" in (claim.unit, other.unit) and claim.unit in _COUNTED and other.unit in _COUNTED):
        return False
    return None


# Measure words of things counted: 个, the general one, agrees with each (3个新品 and 3款新品, 5个学生 and
# 5名学生; v6). It lets 3人 be supported by 3个村庄 too: the general word is the common paraphrase.
_COUNTED = frozenset("个条家项款篇人")
_CLOCK = re.compile(r"(?:[01]?[0-9]|2[0-4])[:∶：][0-5][0-9]")  # a time of day as a pair reads it


def _interval(figure: Figure) -> tuple[Decimal, Decimal]:
    down, up = _WIDEN[figure.approx]
    half = figure.step / 2
    return figure.value * down - half, figure.value * up + half


def _same_day(claim: Figure, other: Figure) -> bool:
    """Year, month and day agree; what the claim leaves out (a date without year) is not compared."""
    def parts(figure: Figure) -> tuple[int, int, int]:
        number = int(figure.value)
        return (number, 0, 0) if figure.kind == "year" else date_parts(number)

    return all(mine in (0, theirs) for mine, theirs in zip(parts(claim), parts(other), strict=True))


def _recall(summary: Extracted, wanted: Wanted) -> float | None:
    """The share of the references' distinct figures and names (`wanted_items`) that the summary states."""
    stated: set[int] = set()
    for figure in summary.figures:
        stated |= stated_figures(figure, wanted)
    return recall_of(stated, lambda: summary.folded, wanted)


def stated_figures(figure: Figure, wanted: Wanted, key: tuple[object, ...] | None = None) -> frozenset[int]:
    """The indices of the references' figures (`wanted_items`) that a summary's figure states (kept in
    `wanted`'s memo, by the figure's values: `key`, its `figure_key` when known)."""
    key = figure_key(figure) if key is None else key
    found = wanted[3].get(key)
    if found is None:
        found = wanted[3][key] = frozenset(i for i, other in enumerate(wanted[0]) if figures_match(other, figure))
    return found


def recall_of(stated: set[int], folded_text: Callable[[], str], wanted: Wanted) -> float | None:
    """Recall of a summary that states the references' figures `stated` (`stated_figures`); the
    references' names are looked up in its folded text, which `folded_text` gives when there are
    references to look for (None without)."""
    figures, plain, names, _ = wanted
    total = len(figures) + len(plain) + len(names)
    if not total:
        return None
    folded = folded_text()
    stated_names = sum(1 for form in plain if form in folded)
    # Each other name is stated when any of its forms is in the text (a Latin one at word edges): `in` first,
    # as most forms are in no summary and it costs no call. Written out here: a function called per name made
    # recall 4.6 us a summary of the 10 x 1,000 set, 3.4 us without.
    for forms, latin in names:
        for form, is_latin in zip(forms, latin, strict=True):
            if form and form in folded and (not is_latin or latin_at_edges(folded, form) >= 0):
                stated_names += 1
                break
    return (len(stated) + stated_names) / total


# The references' distinct figures; their distinct names: those of one non-Latin form (found as
# substrings), then the others (folded forms, and whether each is Latin); and, by a summary figure's
# values, the indices of the references' figures it states (a memo).
Wanted = tuple[list[Figure], list[str], list[tuple[tuple[str, ...], tuple[bool, ...]]], dict[object, frozenset[int]]]


def wanted_items(references: Sequence[Extracted], fold: Callable[[str], str]) -> Wanted:
    """The references' distinct figures, and their distinct names (folded forms, and whether each
    form is Latin), worked out once for all the summaries of a document (kept in the check's memo)."""
    figures: list[Figure] = []
    names: dict[str, tuple[str, ...]] = {}
    for reference in references:
        for figure in reference.figures:
            if not any(figures_match(figure, kept) and figures_match(kept, figure) for kept in figures):
                figures.append(figure)
        for name in reference.names:
            forms = tuple(fold(form) for form in (name.forms or (name.text,)))
            names.setdefault(forms[0], forms)
    marked = [(forms, tuple(_is_latin(form) for form in forms)) for forms in names.values()]
    plain = [forms[0] for forms, latin in marked if len(forms) == 1 and not latin[0] and forms[0]]
    other = [(forms, latin) for forms, latin in marked if not (len(forms) == 1 and not latin[0] and forms[0])]
    return figures, plain, other, {}


def _is_latin(form: str) -> bool:
    """Whether a (folded) name is matched at word edges: it holds a Latin letter or a digit (360 is
    not in 3600, nor 小米14 in 小米145; v5). (One regex scan, where a generator over the characters
    took 2 us a name of a cold run's sources.)"""
    return _LATIN_OR_DIGIT.search(form) is not None


_LATIN_OR_DIGIT = re.compile("[a-z0-9]")  # ASCII ranges, as folded names have them
