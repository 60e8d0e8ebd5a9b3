"""`harness explain`: one candidate's tokens marked (matched with its best reference, off-topic),
with its scores and, per theme, the units it covers and misses; so a number is understood."""

from __future__ import annotations

from dataclasses import dataclass

from harness.analyses.offtopic import N, offtopic_ngrams
from harness.analyses.themes import Coverage
from harness.errors import InputError
from harness.inputs.corpus import Corpus
from harness.render.drilldown import best_reference, clipped_unigrams
from harness.render.names import display_name
from harness.rouge.metrics import label, rank_metric
from harness.rouge.scoring import Score
from harness.rouge.settings import Settings
from harness.run.pipeline import _Processors, score_document

MATCH, OFFTOPIC = "match", "offtopic"
_STYLE = {MATCH: ("\x1b[1;32m", "\x1b[0m"), OFFTOPIC: ("\x1b[31m", "\x1b[0m")}
_PLAIN = {MATCH: ("[", "]"), OFFTOPIC: ("{", "}")}


@dataclass
class Explanation:
    """What `render` shows: tokens per sentence with their marks, the best reference, scores, themes."""

    system: str
    document: str
    reference: str
    scores: dict[str, Score]
    sentences: list[list[tuple[str, set[str]]]]
    themes: dict[str, Coverage] | None
    offtopic_marked: bool


def explain(corpus: Corpus, settings: Settings, system: str, document: str | None = None) -> Explanation:
    """Explain `system` on `document` (optional when the corpus has one document)."""
    if system not in corpus.candidates:
        raise InputError(f"no system {system!r} (systems: {', '.join(sorted(corpus.candidates))})")
    if document is None:
        if len(corpus.documents) != 1:
            raise InputError(f"{len(corpus.documents)} documents: name one (documents: {', '.join(corpus.documents)})")
        document = corpus.documents[0]
    if document not in corpus.references:
        raise InputError(f"no document {document!r} (documents: {', '.join(corpus.documents)})")
    text = corpus.candidates[system].get(document)
    if text is None:
        raise InputError(f"system {system!r} has no summary for document {document!r}")
    processors = _Processors(settings)
    refs = corpus.references[document]
    noise_text = corpus.offtopic.get(document)
    scored = score_document(
        document, refs, {system: text}, noise_text, processors, themes=corpus.themes.get(document, ())
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
    same = processors.words is processors.main
    if noise_text is not None and same:  # off-topic bigrams are word bigrams: marked on word tokens only
        noise = offtopic_ngrams(processors.analyze(noise_text), [processors.analyze(t) for t in refs.values()])
        for marked in sentences:
            for i in range(len(marked) - N + 1):
                if tuple(t for t, _ in marked[i : i + N]) in noise:
                    for j in range(i, i + N):
                        marked[j][1].add(OFFTOPIC)
    return Explanation(system, document, best, scored.scores, sentences, scored.themes, noise_text is not None and same)


def render(ex: Explanation, color: bool = False) -> str:
    """The explanation as terminal text: ANSI bold/colour with `color`, else [matched] and {off-topic}."""
    styles = _STYLE if color else _PLAIN
    lines = [f"{display_name(ex.system)} on {display_name(ex.document)}, best reference {display_name(ex.reference)}:"]
    lines.append("  " + "  ".join(f"{label(m)} {100 * s.fmeasure:.2f}" for m, s in ex.scores.items()))
    lines.append("")
    for sentence in ex.sentences:
        words = []
        for token, marks in sentence:
            shown = display_name(token)
            for mark in (MATCH, OFFTOPIC):
                if mark in marks:
                    start, end = styles[mark]
                    shown = f"{start}{shown}{end}"
            words.append(shown)
        lines.append(" ".join(words))
    lines.append("")
    legend = "bold green: in the best reference" if color else "[token]: in the best reference"
    if ex.offtopic_marked:
        legend += "; red: off-topic bigram" if color else "; {token}: off-topic bigram"
    lines.append(f"({legend})")
    for name, cov in (ex.themes or {}).items():
        lines.append(f"{display_name(name)} {len(cov.covered)}/{cov.total}")
        lines.append(f"  covered: {', '.join(cov.covered) or '-'}")
        lines.append(f"  missed:  {', '.join(cov.missed) or '-'}")
    return "\n".join(lines) + "\n"
