"""`harness explain`: one candidate's tokens marked (matched with its best reference, off-topic),
with its scores and, per theme, the units it covers and misses; so a number is understood."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from harness.analyses.base import Mark, Summary
from harness.errors import InputError
from harness.inputs.corpus import Corpus
from harness.render.drilldown import best_reference, clipped_unigrams, document_analyses
from harness.render.names import display_name
from harness.rouge.metrics import label, rank_metric
from harness.rouge.scoring import Score
from harness.rouge.settings import Settings
from harness.run.document import score_document
from harness.run.processors import Processors

MATCH = "match"
_COLOR_NAMES = {"\x1b[31m": "red", "\x1b[32m": "green", "\x1b[33m": "yellow", "\x1b[34m": "blue"}
_MATCH_STYLE = ("\x1b[1;32m", "\x1b[0m")
_MATCH_PLAIN = ("[", "]")


@dataclass
class Explanation:
    """What `render` shows: tokens per sentence with their marks (MATCH, or an analysis's drill
    key), the best reference, scores, and what each analysis says of the summary."""

    system: str
    document: str
    reference: str
    scores: dict[str, Score]
    sentences: list[list[tuple[str, set[str]]]]
    marks: list[Mark]  # the analyses' marks that apply to this summary
    notes: list[str]  # the analyses' lines (theme coverage, ...)


def summary_of(corpus: Corpus, system: str, document: str | None) -> tuple[str, str]:
    """(document, summary) that `explain` shows: `document` may be left out when the corpus has
    one; InputError, with a did-you-mean for the system, when either is unknown or missing."""
    if system not in corpus.candidates:
        close = difflib.get_close_matches(system, sorted(corpus.candidates), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(f"no system {system!r}{hint} (systems: {', '.join(sorted(corpus.candidates))})")
    if document is None:
        if len(corpus.documents) != 1:
            raise InputError(f"{len(corpus.documents)} documents: name one (documents: {', '.join(corpus.documents)})")
        document = corpus.documents[0]
    if document not in corpus.references:
        raise InputError(f"no document {document!r} (documents: {', '.join(corpus.documents)})")
    text = corpus.candidates[system].get(document)
    if text is None:
        raise InputError(f"system {system!r} has no summary for document {document!r}")
    return document, text


def explain(corpus: Corpus, settings: Settings, system: str, document: str | None = None, *,
            options: Mapping[str, Any] | None = None, skip: Collection[str] = ()) -> Explanation:
    """Explain `system` on `document` (optional when the corpus has one document); `options` and
    `skip` as `harness.evaluate` takes them (the names list of facts, analyses left out)."""
    document, text = summary_of(corpus, system, document)
    processors = Processors(settings, options=options, skip=frozenset(skip))
    refs = corpus.references[document]
    noise_text = corpus.offtopic.get(document)
    scored = score_document(
        document, refs, {system: text}, noise_text, processors, corpus.sources.get(document),
        themes=corpus.themes.get(document, ()),
    ).results[system]
    names = list(refs)
    best = names[best_reference([scored.per_reference[r] for r in names], rank_metric(settings.metrics))]
    cand = processors.analyze(text)
    # Clipped: a token matches as often as the reference has it (the drill-down's rule).
    matched = set(clipped_unigrams(cand.tokens, processors.analyze(refs[best]).tokens))
    sentences: list[list[tuple[str, set[str]]]] = []
    position = 0
    for sentence in cand.sentences:
        marked = []
        for token in sentence:
            marked.append((token, {MATCH} if position in matched else set()))
            position += 1
        sentences.append(marked)
    flat = [marks for sentence in sentences for _, marks in sentence]
    summary = Summary(system, text, cand)
    shown: list[Mark] = []
    notes: list[str] = []
    for analysis, prepared in document_analyses(corpus, document, processors):
        result = scored.analyses.get(analysis.name)
        drilled = analysis.drill(prepared, summary, result)
        for mark in analysis.marks:
            if mark.key in drilled:  # the analysis marks on these tokens (off-topic: word tokens only)
                shown.append(mark)
                for position in drilled[mark.key]:
                    flat[position].add(mark.key)
        notes += analysis.explain(result)
    return Explanation(system, document, best, scored.scores, sentences, shown, notes)


def render(ex: Explanation, color: bool = False) -> str:
    """The explanation as terminal text: ANSI bold/colour with `color`, else [matched] and {off-topic}."""
    styles = {MATCH: _MATCH_STYLE if color else _MATCH_PLAIN}
    styles.update({m.key: (m.color, "\x1b[0m") if color else m.plain for m in ex.marks})
    lines = [f"{display_name(ex.system)} on {display_name(ex.document)}, best reference {display_name(ex.reference)}:"]
    lines.append("  " + "  ".join(f"{label(m)} {100 * s.fmeasure:.2f}" for m, s in ex.scores.items()))
    lines.append("")
    for sentence in ex.sentences:
        words = []
        for token, marks in sentence:
            shown = display_name(token)
            for mark in styles:
                if mark in marks:
                    start, end = styles[mark]
                    shown = f"{start}{shown}{end}"
            words.append(shown)
        lines.append(" ".join(words))
    lines.append("")
    legend = "bold green: in the best reference" if color else "[token]: in the best reference"
    for m in ex.marks:
        legend += f"; {_COLOR_NAMES.get(m.color, 'coloured')}: {m.legend}" if color else f"; {m.plain[0]}token{m.plain[1]}: {m.legend}"
    lines.append(f"({legend})")
    lines += [display_name(line) for line in ex.notes]
    return "\n".join(lines) + "\n"
