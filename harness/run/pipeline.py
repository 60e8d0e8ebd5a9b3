"""The scoring pipeline, in stages that each return their result and their warnings:

1. analyse a document's distinct texts (references once, each candidate once);
2. score every (candidate, reference) pair;
3. combine the references of a document (`--multiref`);
4. aggregate each system over the documents (exact means);
5. rank the systems and sign the result.

With a document's source, stage 1 also makes the `--baselines` rows' texts from it
(harness.analyses.extractive), which are then scored like any candidate, and stage 2 measures every
candidate against the source (harness.analyses.source_stats).

Stages 1-3 are a pure map over documents (`score_document`), which is what `jobs`
spreads over processes; stages 4-5 run once, in document order, so the result is
byte-identical whatever the number of processes.
"""

from __future__ import annotations

import hashlib
import math
import os
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.analyses.extractive import ORACLE, lead, lead_size, oracle, parse_baselines, row_name, scorable, source_sentences
from harness.analyses.offtopic import WARN_SHARE, offtopic_ngrams, offtopic_share
from harness.analyses.source_stats import Source, SourceStats, copying_warnings, source_stats
from harness.analyses.themes import Coverage, coverage, missing_coverage, unit_tokens
from harness.errors import InputError
from harness.inputs.corpus import Corpus
from harness.inputs.themes import Theme
from harness.rouge.metrics import rank_metric
from harness.rouge.multiref import combine_references, mean_score
from harness.rouge.scoring import Counts, Score, pair_counts
from harness.rouge.settings import Settings, sign
from harness.rouge.signature import extend
from harness.run.cache import Cache, namespace, text_key
from harness.text.analysed import Analysis
from harness.text.normalize import han_ratio_changed_by_t2s, to_simplified

__all__ = ["DocumentResult", "Evaluation", "Settings", "SystemResult", "evaluate", "rank_metric", "score_document"]

Progress = Callable[[int], None]  # called with the number of documents just finished
# Warnings about one system's documents shown in full; past this a count stands for the rest
# (1,000 documents of an extractive system would otherwise give 1,000 lines).
NOTES_PER_SYSTEM = 5


class DocumentResult:
    """One system on one document: the combined score and the score against each reference,
    and what the document's off-topic text, source and themes say of the candidate.

    The numbers are kept packed (one array of doubles, the Score objects built when asked for):
    a run of 100,000 pairs holds one of these per pair, and packed they take about 250 bytes
    instead of about 1 KB."""

    __slots__ = ("_metrics", "_packed", "_references", "offtopic", "stats", "themes")

    def __init__(
        self,
        scores: Mapping[str, Score],
        per_reference: Mapping[str, Mapping[str, Score]],
        offtopic: float | None = None,
        stats: SourceStats | None = None,
        themes: dict[str, Coverage] | None = None,
    ) -> None:
        metrics = tuple(scores)
        self._metrics = _METRIC_TUPLES.setdefault(metrics, metrics)  # one tuple shared by every result
        self._packed = _pack(scores, metrics)
        # One reference whose scores are the combined ones (every mode gives that): its name only.
        only = next(iter(per_reference)) if len(per_reference) == 1 else None
        if only is not None and _pack(per_reference[only], metrics) == self._packed:
            self._references: str | dict[str, array[float]] = only
        else:
            self._references = {name: _pack(s, metrics) for name, s in per_reference.items()}
        self.offtopic = offtopic  # share of bigrams from the document's off-topic text, if it has one
        self.stats = stats  # the summary against the document's source, if it has one
        self.themes = themes  # theme name -> units covered and missed, if the document has themes

    def score(self, metric: str) -> Score:
        """The combined score of one metric."""
        i = 3 * self._metrics.index(metric)
        return Score(*self._packed[i : i + 3])

    @property
    def scores(self) -> dict[str, Score]:
        """The combined score per metric."""
        return _unpack(self._packed, self._metrics)

    @property
    def per_reference(self) -> dict[str, dict[str, Score]]:
        """The score per metric against each reference."""
        if isinstance(self._references, str):
            return {self._references: self.scores}
        return {name: _unpack(packed, self._metrics) for name, packed in self._references.items()}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DocumentResult):
            return NotImplemented
        return (self.scores, self.per_reference, self.offtopic, self.stats, self.themes) == (
            other.scores, other.per_reference, other.offtopic, other.stats, other.themes
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return (f"DocumentResult(scores={self.scores!r}, per_reference={self.per_reference!r}, "
                f"offtopic={self.offtopic!r}, stats={self.stats!r}, themes={self.themes!r})")

    def __getstate__(self) -> tuple[object, ...]:
        return (self._metrics, self._packed, self._references, self.offtopic, self.stats, self.themes)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        metrics, self._packed, self._references, self.offtopic, self.stats, self.themes = state
        self._metrics = _METRIC_TUPLES.setdefault(metrics, metrics)


_METRIC_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _pack(scores: Mapping[str, Score], metrics: tuple[str, ...]) -> array[float]:
    return array("d", [x for m in metrics for x in scores[m]])


def _unpack(packed: array[float], metrics: tuple[str, ...]) -> dict[str, Score]:
    return {m: Score(*packed[3 * i : 3 * i + 3]) for i, m in enumerate(metrics)}


@dataclass
class SystemResult:
    """One system: corpus scores (exact mean over documents) and per-document results."""

    name: str
    scores: dict[str, Score]
    documents: dict[str, DocumentResult]
    baseline: bool = False  # a row computed from the sources by --baselines, not a submitted system

    @property
    def offtopic(self) -> float | None:
        """Mean off-topic share over the documents that have an off-topic text."""
        shares = [r.offtopic for r in self.documents.values() if r.offtopic is not None]
        return math.fsum(shares) / len(shares) if shares else None

    @property
    def stats(self) -> dict[str, float] | None:
        """Each source statistic's mean over the documents that have a source (compression over
        those where it is defined); None without any."""
        found = [r.stats.as_dict() for r in self.documents.values() if r.stats is not None]
        if not found:
            return None
        means: dict[str, float] = {}
        for key in found[0]:
            values = [v for d in found if (v := d[key]) is not None]
            if values:
                means[key] = math.fsum(values) / len(values)
        return means

    @property
    def theme_shares(self) -> dict[str, float]:
        """Per theme, the mean share of its units covered, over the documents that have that
        theme (in the order the themes first appear); empty without themes."""
        found: dict[str, list[float]] = {}
        for doc in sorted(self.documents):
            for name, cov in (self.documents[doc].themes or {}).items():
                found.setdefault(name, []).append(cov.share)
        return {name: math.fsum(shares) / len(shares) for name, shares in found.items()}

    def theme_counts(self) -> dict[str, tuple[int, int]]:
        """Per theme, (units covered, units) summed over the documents that have that theme."""
        out: dict[str, tuple[int, int]] = {}
        for doc in sorted(self.documents):
            for name, cov in (self.documents[doc].themes or {}).items():
                covered, total = out.get(name, (0, 0))
                out[name] = (covered + len(cov.covered), total + cov.total)
        return out


@dataclass
class Evaluation:
    """A complete scoring run, systems ranked best first."""

    signature: str
    metrics: tuple[str, ...]
    systems: list[SystemResult]
    warnings: list[str] = field(default_factory=list)
    documents: tuple[str, ...] = ()
    # With `harness.stats.bootstrap.add_intervals`: system -> metric -> measure -> (low, high).
    intervals: dict[str, dict[str, dict[str, tuple[float, float]]]] | None = None


@dataclass
class DocumentScores:
    """What stages 1-3 give for one document: a result per system, and warnings about the
    document (`general`) and about each system's candidate (`by_system`)."""

    results: dict[str, DocumentResult]
    general: list[str]
    by_system: dict[str, list[str]]


# A candidate is "mostly traditional" when t2s would change this share of its Han characters;
# simplified text changes under 1% (measured on the shipped references: 0%).
_TRADITIONAL_SHARE = 0.10


def _traditional(text: str) -> bool:
    if to_simplified(text) == text:  # the common case, decided in OpenCC's C++ alone
        return False
    han, changed = han_ratio_changed_by_t2s(text)
    return han >= 10 and changed / han >= _TRADITIONAL_SHARE


class _Processors:
    """The processors of one process: scoring's, and the word one for off-topic shares; with
    the persistent cache, analyses and pair scores are looked up there first."""

    def __init__(self, settings: Settings, cache: Cache | Path | None = None, baselines: tuple[str, ...] = ()) -> None:
        self.settings = settings
        self.baselines = baselines  # --baselines, computed on each document that has a source
        self.main = settings.processor()
        self.words = self.main if settings.unit == "word" else settings.word_processor()
        self.cache = Cache(cache) if isinstance(cache, Path) else cache
        self.namespace = namespace(self.main.signature())
        self._word_namespace = namespace(self.words.signature())
        self._pair_namespace = f"{self.namespace}|metrics:{','.join(settings.metrics)}".encode()

    def prefetch(self, references: Mapping[str, str], candidates: Mapping[str, str | None]) -> None:
        """Read a document's cached analyses and pair scores in one go (see Cache.prefetch)."""
        if self.cache is None:
            return
        ref_keys = [text_key(self.namespace, t) for t in references.values()]
        cand_keys = [text_key(self.namespace, t) for t in candidates.values() if t is not None]
        pairs = [self._pair_key(r, c) for c in cand_keys for r in ref_keys]
        self.cache.prefetch(analyses=ref_keys + cand_keys, pairs=pairs)

    def _pair_key(self, target: bytes, prediction: bytes) -> bytes:
        return hashlib.blake2b(self._pair_namespace + target + prediction, digest_size=16).digest()

    def analyze(self, text: str, *, words: bool = False) -> Analysis:
        """The analysis of `text` by the scoring processor (or the word one), cached if a cache is used."""
        processor = self.words if words else self.main
        if self.cache is None:
            return processor.analyze(text)
        key = text_key(self._word_namespace if words else self.namespace, text)
        found = self.cache.get_analysis(key)
        if found is None:
            found = processor.analyze(text)
            self.cache.put_analysis(key, found)
        found.key = key
        return found

    def counts(self, target: Analysis, prediction: Analysis) -> dict[str, Counts]:
        """`pair_counts`, cached if a cache is used."""
        metrics = self.settings.metrics
        if self.cache is None:
            return pair_counts(target=target, prediction=prediction, metrics=metrics)
        key = self._pair_key(target.key, prediction.key)
        found = self.cache.get_pair(key, metrics)
        if found is None:
            found = pair_counts(target=target, prediction=prediction, metrics=metrics)
            self.cache.put_pair(key, found, metrics)
        return found


def baseline_texts(
    source: str, offtopic: str | None, references: Mapping[str, Analysis], processors: _Processors
) -> dict[str, str]:
    """The text of each --baselines row for one document, by row name (harness.analyses.extractive)."""
    settings = processors.settings
    sentences = scorable(source_sentences(source, offtopic, t2s=settings.t2s), processors.main.sentences)
    rows: dict[str, str] = {}
    for name in processors.baselines:
        if name == ORACLE:
            picked = oracle([tokens for _, tokens in sentences], list(references.values()), settings.multiref)
            rows[row_name(name)] = "\n".join(sentences[i][0] for i in picked)
        else:
            rows[row_name(name)] = lead([text for text, _ in sentences], lead_size(name))
    return rows


def score_document(
    doc: str,
    references: Mapping[str, str],
    candidates: Mapping[str, str | None],
    offtopic: str | None,
    processors: _Processors,
    source: str | None = None,
    *,
    themes: Sequence[Theme] = (),
) -> DocumentScores:
    """Stages 1-3 for one document: analyse its texts, score every pair, combine references;
    with a source, add the --baselines rows and measure every candidate against the source;
    with `themes`, which of their units each candidate covers (no effect on any score)."""
    settings = processors.settings
    metrics = settings.metrics
    processors.prefetch(references, candidates)
    general: list[str] = []
    refs: dict[str, Analysis] = {}
    for name, ref_text in references.items():
        refs[name] = processors.analyze(ref_text)
        if not refs[name].tokens:
            general.append(
                f"reference {name!r} of document {doc!r} has no scorable tokens; every candidate scores 0 against it"
            )
    refs_traditional = not settings.t2s and any(_traditional(t) for t in references.values())
    noise = None
    if offtopic is not None:
        words = processors.words
        same = words is processors.main
        ref_words = refs.values() if same else [processors.analyze(t, words=True) for t in references.values()]
        noise = offtopic_ngrams(processors.analyze(offtopic, words=True), ref_words)
    src = None if source is None else processors.analyze(source)
    src_view = None if src is None else Source(src.tokens)  # indexed once for all the document's summaries
    computed: dict[str, str] = {}
    if source is not None and processors.baselines:
        computed = baseline_texts(source, offtopic, refs, processors)
        candidates = {**candidates, **computed}
    zero = {m: Score(0.0, 0.0, 0.0) for m in metrics}
    # The units' tokens, once per document, by the scoring processor (so in the scoring unit).
    units = unit_tokens(themes, lambda w: processors.analyze(w).sentences) if themes else None
    results: dict[str, DocumentResult] = {}
    by_system: dict[str, list[str]] = {}
    for system, text in candidates.items():
        notes: list[str] = []
        if text is None:
            results[system] = DocumentResult(
                dict(zero), {r: dict(zero) for r in refs}, 0.0 if noise is not None else None,
                themes=missing_coverage(themes) if units is not None else None,
            )
            continue
        cand = processors.analyze(text)
        if not cand.tokens:
            notes.append(f"system {system!r}, document {doc!r}: candidate has no scorable tokens; scored 0")
        elif not settings.t2s and not refs_traditional and _traditional(text):
            notes.append(
                f"system {system!r}, document {doc!r}: candidate looks like traditional Chinese and the "
                "references simplified; consider --t2s"
            )
        per_ref_counts = {r: processors.counts(ref, cand) for r, ref in refs.items()}
        per_ref = {r: {m: c.score() for m, c in counts.items()} for r, counts in per_ref_counts.items()}
        # One reference: every mode gives its scores (kept once: a corpus may hold 100,000 pairs).
        if len(per_ref) == 1:
            combined = next(iter(per_ref.values()))
        else:
            combined = combine_references(per_ref_counts, metrics, settings.multiref)
        share = None
        if noise is not None:
            share = offtopic_share(cand if processors.words is processors.main else processors.analyze(text, words=True), noise)
            if share >= WARN_SHARE:
                notes.append(
                    f"system {system!r}, document {doc!r}: {100 * share:.0f}% of its word bigrams come from the "
                    "document's off-topic text and from no reference"
                )
        stats = None
        if src is not None and src_view is not None:
            stats = source_stats(cand.tokens, src_view, text)
            if system not in computed:  # extractive by construction: no news in a warning
                notes += [f"system {system!r}, document {doc!r}: {why}; copying, not summarizing"
                          for why in copying_warnings(stats, len(src.tokens))]
        covered = coverage(themes, units, cand.sentences) if units is not None else None
        results[system] = DocumentResult(combined, per_ref, share, stats, covered)
        if notes:  # only systems with something to say: 100 systems x 1,000 documents add up
            by_system[system] = notes
    return DocumentScores(results, general, by_system)


def _document_inputs(corpus: Corpus, doc: str) -> tuple[str, Mapping[str, str], dict[str, str | None], str | None]:
    cands = {system: corpus.candidates[system].get(doc) for system in sorted(corpus.candidates)}
    return doc, corpus.references[doc], cands, corpus.offtopic.get(doc)


def score_documents(
    corpus: Corpus, settings: Settings, *, jobs: int = 1, cache: Cache | None = None, progress: Progress | None = None,
    baselines: tuple[str, ...] = (),
) -> Iterator[DocumentScores]:
    """Stages 1-3 over every document, in document order, on `jobs` processes (each worker
    opens `cache`'s file for itself); `baselines` as parsed by harness.analyses.extractive."""
    documents = corpus.documents
    if jobs > 1 and len(documents) > 1:
        from harness.run import executors as parallel

        path = None if cache is None else cache.path
        if cache is not None:
            cache.close()  # no SQLite connection may cross a fork; the workers open their own
        yield from parallel.map_documents(corpus, settings, jobs=jobs, cache=path, progress=progress, baselines=baselines)
        return
    processors = _Processors(settings, cache, baselines)
    try:
        for doc in documents:
            yield score_document(
                *_document_inputs(corpus, doc), processors, corpus.sources.get(doc), themes=corpus.themes.get(doc, ())
            )
            if progress is not None:
                progress(1)
    finally:
        if cache is not None:
            cache.flush()


def aggregate(
    names: list[str], documents: tuple[str, ...], per_document: list[DocumentScores], metrics: tuple[str, ...],
    computed: frozenset[str] = frozenset(),
) -> list[SystemResult]:
    """Stage 4: each system's corpus score, the exact mean of its document scores; the names in
    `computed` are --baselines rows."""
    systems = []
    for name in names:
        results = {doc: scored.results[name] for doc, scored in zip(documents, per_document, strict=True)}
        scores = {m: mean_score([results[d].score(m) for d in documents]) for m in metrics}
        systems.append(SystemResult(name, scores, results, baseline=name in computed))
    return systems


def check_baselines(corpus: Corpus, baselines: tuple[str, ...]) -> list[str]:
    """The row names of `baselines` on `corpus`; InputError when a document has no source or a
    submitted system already has a row's name."""
    if not baselines:
        return []
    missing = [doc for doc in corpus.documents if doc not in corpus.sources]
    if missing:
        shown = ", ".join(repr(d) for d in missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise InputError(
            f"--baselines {','.join(baselines)}: needs the source of every document (sources/<doc-id>.txt, --sources, "
            f"or \"source\" in the references JSONL); none for {shown}"
        )
    rows = [row_name(b) for b in baselines]
    taken = [r for r in rows if r in corpus.candidates]
    if taken:
        raise InputError(f"--baselines: a submitted system is already named {taken[0]!r}; rename it")
    return rows


def rank(systems: list[SystemResult], metrics: tuple[str, ...]) -> list[SystemResult]:
    """Stage 5a: best first by the rank metric's F, ties by name."""
    key = rank_metric(metrics)
    return sorted(systems, key=lambda s: (-s.scores[key].fmeasure, s.name))


def evaluate(
    corpus: Corpus,
    settings: Settings | None = None,
    *,
    jobs: int = 1,
    cache: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    baselines: str | tuple[str, ...] = (),
) -> Evaluation:
    """Score every system on every document against that document's references.

    `jobs` > 1 spreads documents over that many processes (same result, byte for byte);
    `cache`, a file path (`harness.run.cache.default_path()` is the command's), keeps analysed
    texts and pair scores across runs (same result, faster); `progress`, if given, is called
    with the number of documents finished as they finish. `baselines` (`"lead-3,oracle"`, or
    a tuple) adds rows computed from the documents' sources (harness.analyses.extractive), marked
    `SystemResult.baseline`; every document then needs a source."""
    settings = settings or Settings()
    wanted = parse_baselines(baselines)
    rows = check_baselines(corpus, wanted)
    metrics = settings.metrics
    documents = tuple(corpus.documents)
    store = None if cache is None else Cache(Path(cache))
    try:
        if store is not None:
            store.open()  # a damaged file is replaced here, once, before any worker opens it
        per_document = list(score_documents(corpus, settings, jobs=jobs, cache=store, progress=progress, baselines=wanted))
        if store is not None:
            store.evict()
    finally:
        if store is not None:
            store.close()
    names = sorted(corpus.candidates) + rows
    warnings = list(corpus.warnings) + (store.warnings if store is not None else [])
    warnings += [w for scored in per_document for w in scored.general]
    warnings = list(dict.fromkeys(warnings))  # a cache problem seen by every worker is said once
    for name in names:
        notes = [w for scored in per_document for w in scored.by_system.get(name, ())]
        warnings += notes[:NOTES_PER_SYSTEM]
        if len(notes) > NOTES_PER_SYSTEM:
            warnings.append(
                f"system {name!r}: {len(notes) - NOTES_PER_SYSTEM} more "
                f"{'warning' if len(notes) - NOTES_PER_SYSTEM == 1 else 'warnings'} about its documents, not shown "
                "(every per-document number is in --format json)"
            )
    systems = rank(aggregate(names, documents, per_document, metrics, frozenset(rows)), metrics)
    signature = sign(settings.processor(), settings, n_docs=len(documents), n_refs=corpus.n_references)
    if corpus.themes:
        signature = extend(signature, themes=settings.unit)  # units matched on the scoring unit
    return Evaluation(signature=signature, metrics=metrics, systems=systems, warnings=warnings, documents=documents)
