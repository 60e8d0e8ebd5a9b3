"""The scoring pipeline: corpus -> analysed texts -> pair scores -> document and corpus scores + signature."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from harness import signature
from harness.aggregate import MULTIREF_MODES, combine_references, mean_score
from harness.analysis import TextProcessor
from harness.corpus import Corpus
from harness.errors import InputError
from harness.normalize import han_ratio_changed_by_t2s
from harness.offtopic import WARN_SHARE, offtopic_ngrams, offtopic_share
from harness.scoring import (
    DEFAULT_METRICS,
    Score,
    check_metrics,
    rouge_version,
    score_pair,
)
from harness.tokenizers import make_tokenizer


@dataclass(frozen=True)
class Settings:
    """Everything that changes a number; all of it ends up in the signature."""

    metrics: tuple[str, ...] = DEFAULT_METRICS
    unit: str = "word"
    hmm: bool = True
    user_dict: Path | None = None
    t2s: bool = False
    multiref: str = "best"

    def processor(self) -> TextProcessor:
        """The text processor (normaliser + tokenizer) these settings describe."""
        tokenizer = make_tokenizer(self.unit, hmm=self.hmm, user_dict=self.user_dict, t2s=self.t2s)
        return TextProcessor(tokenizer, t2s=self.t2s)

    def check(self) -> TextProcessor:
        """Validate every setting before any corpus text is read (metric names, multiref mode,
        unit, the user dictionary, which is read and parsed here); return the processor."""
        check_metrics(self.metrics)
        if self.multiref not in MULTIREF_MODES:
            raise InputError(f"unknown --multiref {self.multiref!r}; choose one of: {', '.join(MULTIREF_MODES)}")
        return self.processor()


@dataclass
class DocumentResult:
    """One system on one document: the combined score and the score against each reference."""

    scores: dict[str, Score]
    per_reference: dict[str, dict[str, Score]]
    offtopic: float | None = None  # share of bigrams from the document's off-topic text, if it has one


@dataclass
class SystemResult:
    """One system: corpus scores (exact mean over documents) and per-document results."""

    name: str
    scores: dict[str, Score]
    documents: dict[str, DocumentResult]

    @property
    def offtopic(self) -> float | None:
        """Mean off-topic share over the documents that have an off-topic text."""
        shares = [r.offtopic for r in self.documents.values() if r.offtopic is not None]
        return math.fsum(shares) / len(shares) if shares else None


@dataclass
class Evaluation:
    """A complete scoring run, systems ranked best first."""

    signature: str
    metrics: tuple[str, ...]
    systems: list[SystemResult]
    warnings: list[str] = field(default_factory=list)


def rank_metric(metrics: tuple[str, ...]) -> str:
    """The metric systems are ranked by: ROUGE-L if computed, else ROUGE-Lsum, else the first."""
    for preferred in ("rougeL", "rougeLsum"):
        if preferred in metrics:
            return preferred
    return metrics[0]


# A candidate is "mostly traditional" when t2s would change this share of its Han characters;
# simplified text changes under 1% (measured on the shipped references: 0%).
_TRADITIONAL_SHARE = 0.10


def _traditional(text: str) -> bool:
    han, changed = han_ratio_changed_by_t2s(text)
    return han >= 10 and changed / han >= _TRADITIONAL_SHARE


def evaluate(corpus: Corpus, settings: Settings = Settings()) -> Evaluation:
    """Score every system on every document against that document's references."""
    processor = settings.check()
    metrics = check_metrics(settings.metrics)
    warnings = list(corpus.warnings)
    documents = corpus.documents
    refs = {doc: {name: processor.analyze(text) for name, text in corpus.references[doc].items()} for doc in documents}
    for doc, by_name in refs.items():
        for name, analysis in by_name.items():
            if not analysis.tokens:
                warnings.append(f"reference {name!r} of document {doc!r} has no scorable tokens; every candidate scores 0 against it")
    refs_traditional = not settings.t2s and any(
        _traditional(t) for texts in corpus.references.values() for t in texts.values()
    )
    # Off-topic shares are always measured on jieba words, whatever --unit says, so that
    # one threshold fits (character bigrams are shared far more often by unrelated texts).
    words = processor if settings.unit == "word" else Settings(hmm=settings.hmm, t2s=settings.t2s).processor()
    noise = {
        doc: offtopic_ngrams(words.analyze(corpus.offtopic[doc]), [words.analyze(t) for t in corpus.references[doc].values()])
        for doc in documents
        if doc in corpus.offtopic
    }
    zero = Score(0.0, 0.0, 0.0)
    systems: list[SystemResult] = []
    for name in sorted(corpus.candidates):
        results: dict[str, DocumentResult] = {}
        for doc in documents:
            text = corpus.candidates[name].get(doc)
            if text is None:
                empty = {m: zero for m in metrics}
                results[doc] = DocumentResult(dict(empty), {r: dict(empty) for r in refs[doc]}, 0.0 if doc in noise else None)
                continue
            cand = processor.analyze(text)
            if not cand.tokens:
                warnings.append(f"system {name!r}, document {doc!r}: candidate has no scorable tokens; scored 0")
            elif not settings.t2s and not refs_traditional and _traditional(text):
                warnings.append(
                    f"system {name!r}, document {doc!r}: candidate looks like traditional Chinese and the "
                    "references simplified; consider --t2s"
                )
            per_ref = {r: score_pair(target=ref, prediction=cand, metrics=metrics) for r, ref in refs[doc].items()}
            share = offtopic_share(words.analyze(text), noise[doc]) if doc in noise else None
            if share is not None and share >= WARN_SHARE:
                warnings.append(
                    f"system {name!r}, document {doc!r}: {100 * share:.0f}% of its word bigrams come from the "
                    "document's off-topic text and from no reference"
                )
            results[doc] = DocumentResult(combine_references(per_ref, metrics, settings.multiref), per_ref, share)
        corpus_scores = {m: mean_score([results[d].scores[m] for d in documents]) for m in metrics}
        systems.append(SystemResult(name, corpus_scores, results))
    key = rank_metric(metrics)
    systems.sort(key=lambda s: (-s.scores[key].fmeasure, s.name))
    sig = signature.build(
        processor.signature(),
        metrics=metrics,
        multiref=settings.multiref,
        n_docs=len(documents),
        n_refs=corpus.n_references,
        rouge=rouge_version(),
    )
    return Evaluation(signature=sig, metrics=metrics, systems=systems, warnings=warnings)
