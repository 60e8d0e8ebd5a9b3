"""The HTML report's drill-down data: for a candidate and each reference of its document, which
tokens match as unigrams, as bigrams and in the LCS, which bigrams are off-topic, and the theme
units it misses; as compact JSON-ready dicts (token lists and index lists).

The marks follow the scoring rules: unigram and bigram hits are clipped (a token or bigram
matches as often as the other text has it, left to right, as `harness explain` marks them), over
the whole token sequence as ROUGE-N counts them; the LCS is ROUGE-L's, the reference positions
being exactly rouge-score's (`harness.rouge.lcs.lcs_indices`) and the candidate positions the leftmost
occurrence of that same token sequence in the candidate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from harness.analyses.base import AnyAnalysis, Summary
from harness.inputs.corpus import Corpus
from harness.results.model import Evaluation
from harness.rouge.lcs import lcs_indices
from harness.rouge.metrics import rank_metric
from harness.rouge.scoring import Score
from harness.rouge.settings import Settings
from harness.run.document import document_inputs, prepared_analyses
from harness.run.processors import Processors

# Every document is embedded unless the page would then hold more than this many candidates'
# texts (submitted system x document pairs); past it, the first documents that fit (in corpus
# order). A 30 x 10 run is 300 pairs, about 1 MB of page; a 100-system x 1,000-document drill-down
# would hold 100,000 candidates' tokens. Each document is its own JSON block, parsed only when shown.
DRILL_PAIR_CAP = 3_000
DEFAULT_DOCUMENT_CAP: int | None = None  # None: as many documents as DRILL_PAIR_CAP allows (all, usually)


def best_reference(per_reference: Sequence[Mapping[str, Score]], metric: str) -> int:
    """Index of the reference with the highest F on `metric`, the first in reference order on
    ties: the reference `harness explain` and the drill-down show a candidate against."""
    return max(range(len(per_reference)), key=lambda i: (per_reference[i][metric].fmeasure, -i))


def clipped_unigrams(tokens: Sequence[str], other: Sequence[str]) -> list[int]:
    """Positions in `tokens` whose token is in `other`, each of `other`'s tokens used once."""
    left = Counter(other)
    hits = []
    for i, token in enumerate(tokens):
        if left[token] > 0:
            left[token] -= 1
            hits.append(i)
    return hits


def clipped_bigrams(tokens: Sequence[str], other: Sequence[str]) -> list[int]:
    """Positions in `tokens` covered by a bigram that `other` has (each of its bigrams used once)."""
    left = Counter(pairwise(other))
    covered: set[int] = set()
    for i, gram in enumerate(pairwise(tokens)):
        if left[gram] > 0:
            left[gram] -= 1
            covered.update((i, i + 1))
    return sorted(covered)


def lcs_positions(reference: Sequence[str], candidate: Sequence[str]) -> tuple[list[int], list[int]]:
    """(candidate positions, reference positions) of ROUGE-L's LCS: the reference side is
    rouge-score's own; the candidate side embeds the same tokens leftmost."""
    ref_side = lcs_indices(reference, candidate)
    cand_side: list[int] = []
    j = 0
    for i in ref_side:
        while candidate[j] != reference[i]:
            j += 1
        cand_side.append(j)
        j += 1
    return cand_side, ref_side


def pair_marks(reference: Sequence[str], candidate: Sequence[str]) -> dict[str, list[int]]:
    """Index lists for one pair: c1/r1 unigram hits, c2/r2 bigram hits, cl/rl the LCS
    (c: positions in the candidate, r: in the reference)."""
    cl, rl = lcs_positions(reference, candidate)
    return {
        "c1": clipped_unigrams(candidate, reference),
        "r1": clipped_unigrams(reference, candidate),
        "c2": clipped_bigrams(candidate, reference),
        "r2": clipped_bigrams(reference, candidate),
        "cl": cl,
        "rl": rl,
    }


def document_analyses(corpus: Corpus, doc: str, processors: Processors) -> list[tuple[AnyAnalysis, Any]]:
    """The registered analyses that run on `doc`, prepared as the pipeline prepares them."""
    refs = corpus.references[doc]
    inputs = document_inputs(
        doc, refs, {name: processors.analyze(t) for name, t in refs.items()}, processors,
        source=corpus.sources.get(doc), offtopic=corpus.offtopic.get(doc), themes=corpus.themes.get(doc, ()),
    )
    return prepared_analyses(inputs, processors.skip)


def _text(sentences: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Tokens flat, with each sentence's length (so the page can break lines)."""
    return {"tokens": [t for s in sentences for t in s], "sentences": [len(s) for s in sentences]}


def document_data(ev: Evaluation, corpus: Corpus, doc: str, processors: Processors) -> dict[str, Any]:
    """Everything the drill-down shows for one document, for every submitted system."""
    key = rank_metric(ev.metrics)
    refs = corpus.references[doc]
    ref_names = list(refs)
    ref_analyses = [processors.analyze(t) for t in refs.values()]
    analyses = document_analyses(corpus, doc, processors)
    systems: dict[str, Any] = {}
    for system in ev.systems:
        text = corpus.candidates.get(system.name, {}).get(doc)
        result = system.documents.get(doc)
        if text is None or result is None:  # a computed --baselines row, or no summary for this document
            continue
        cand = processors.analyze(text)
        tokens = cand.tokens
        per_ref = [result.per_reference[r] for r in ref_names]
        best = best_reference(per_ref, key)
        entry: dict[str, Any] = {
            **_text(cand.sentences),
            "best": best,
            "scores": [{m: s.fmeasure for m, s in scores.items()} for scores in per_ref],
            "marks": [pair_marks(ref.tokens, tokens) for ref in ref_analyses],
        }
        summary = Summary(system.name, text, cand)
        for analysis, prepared in analyses:  # what each analysis marks or lists (off-topic bigrams, missed units)
            entry.update(analysis.drill(prepared, summary, result.analyses.get(analysis.name)))
        systems[system.name] = entry
    return {
        "document": doc,
        "references": [{"name": name, **_text(a.sentences)} for name, a in zip(ref_names, ref_analyses, strict=True)],
        "systems": systems,
    }


def document_cap(ev: Evaluation, cap: int | None = DEFAULT_DOCUMENT_CAP) -> int:
    """How many documents the drill-down embeds: `cap` when given, else every document up to
    DRILL_PAIR_CAP submitted system-document pairs (at least one document)."""
    if cap is not None:
        return min(cap, len(ev.documents))
    submitted = max(1, sum(not s.baseline for s in ev.systems))
    return min(len(ev.documents), max(1, DRILL_PAIR_CAP // submitted))


def drilldown(
    ev: Evaluation, corpus: Corpus, settings: Settings, *, cap: int | None = DEFAULT_DOCUMENT_CAP
) -> list[dict[str, Any]]:
    """`document_data` for the first `document_cap(ev, cap)` documents of the evaluation
    (re-analysed with `settings`, which must be the evaluation's)."""
    processors = Processors(settings)
    return [document_data(ev, corpus, doc, processors) for doc in ev.documents[:document_cap(ev, cap)]]
