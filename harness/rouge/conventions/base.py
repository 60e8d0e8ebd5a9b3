"""What every Chinese ROUGE convention provides: the metric names, the reference rule, jieba.

A convention reproduces the number one published tool prints, with that tool's own
tokenization and arithmetic; `Convention` is the interface the harness calls (see the
package docstring for the flow). Nothing here imports jieba until a text is cut.
"""

from __future__ import annotations

import abc
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

from harness.errors import InputError

# The metrics the three tools report, in the harness's names (rouge-chinese calls them
# rouge-1, rouge-2, rouge-l; its rouge-l is an LCS over the whole word list, see rouge_chinese.py).
METRICS: tuple[str, ...] = ("rouge1", "rouge2", "rougeL")

Cut = Callable[[str], Iterable[str]]
Side = Literal["target", "prediction"]

_TOKENIZER: list[Any] = []
_LOCK = threading.Lock()


def default_cut(text: str) -> Iterable[str]:
    """`jieba.cut(text)` (precise mode, HMM on) of a plain `jieba.Tokenizer`, loaded on first use.

    The tools call the module-level `jieba.cut`, whose tokenizer has the same default dictionary;
    the harness passes its own loaded jieba instead, so the dictionary is read once per process."""
    if not _TOKENIZER:
        with _LOCK:
            if not _TOKENIZER:
                import jieba

                logger = logging.getLogger("jieba")
                old_level = logger.level
                logger.setLevel(logging.CRITICAL + 1)  # jieba logs "Building prefix dict" to stderr
                try:
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                finally:
                    logger.setLevel(old_level)
                _TOKENIZER.append(tokenizer)
    cut: Cut = _TOKENIZER[0].cut
    return cut(text)


def check_metrics(metrics: Iterable[str], convention: str) -> tuple[str, ...]:
    """`metrics` in order without repeats; InputError naming every metric the convention lacks.

    The tools compute only these three: a rougeLsum under a convention would be the harness's
    number printed under the tool's name, so it is refused instead of silently falling back."""
    wanted = tuple(dict.fromkeys(metrics))
    bad = [m for m in wanted if m not in METRICS]
    if bad:
        raise InputError(
            f"--convention {convention} reports only {', '.join(METRICS)}; not {', '.join(bad)} "
            f"(allowed: {', '.join(METRICS)})"
        )
    return wanted


def pick_reference(references: Sequence[str], *, document: str = "") -> str:
    """The reference a convention scores: the first by file order, the others are not used.

    The three tools take exactly one reference per prediction (rouge-chinese's `get_scores`
    zips predictions with references; OpenCompass and LLaMA-Factory pass one label each), so
    there is no multi-reference rule to reproduce. "File order" is the order the corpus keeps:
    reference file names sorted, or the list order of a JSONL record. A document without a
    reference is an InputError naming it."""
    if not references:
        where = f" {document!r}" if document else ""
        raise InputError(f"document{where} has no reference to score under a convention")
    return references[0]


def unused_references_reason(count: int) -> list[str]:
    """The reason line for a document whose extra references a convention ignores."""
    if count <= 1:
        return []
    return [f"{count - 1} more reference(s) not used: conventions score the first by file order"]


def sequential_mean(values: Sequence[float]) -> float:
    """Mean summed left to right in float, as rouge-chinese's `get_scores(avg=True)` does."""
    if not values:
        return 0.0
    total = 0.0
    for value in values:
        total += value
    return total / len(values)


class Convention(abc.ABC):
    """One tool's ROUGE: its text preparation, its tokens, its per-pair F and its corpus mean.

    Scores are F on the harness's 0-1 scale (renderers multiply by 100, as the tools do before
    printing). Keyword arguments name the sides: `target` is the reference, `prediction` the
    candidate, as in rouge-score (rouge-chinese takes them the other way round, hyp first)."""

    name: str
    version: str  # goes into the signature as `conv:<version>`
    metrics: tuple[str, ...] = METRICS

    def prepare(self, text: str) -> str:
        """The text as the tool hands it to jieba (for `explain`): unchanged unless overridden."""
        return text

    @abc.abstractmethod
    def tokens(self, text: str, cut: Cut | None = None, *, side: Side = "prediction") -> list[str]:
        """The word list the tool scores for `text` on `side` ([] when the tool sees no words)."""

    @abc.abstractmethod
    def score_tokens(self, *, target: Sequence[str], prediction: Sequence[str]) -> dict[str, float]:
        """Per-pair F for each metric from `tokens()` of both sides, with the tool's rounding."""

    @abc.abstractmethod
    def aggregate(self, values: Sequence[float]) -> float:
        """The corpus number from per-pair values, with the tool's averaging and rounding."""

    @abc.abstractmethod
    def reasons(self, *, target: str, prediction: str, cut: Cut | None = None) -> list[str]:
        """Human explanations of where this convention departs from the harness on this pair."""

    def score_pair(
        self, *, target: str, prediction: str, cut: Cut | None = None, metrics: Iterable[str] = METRICS
    ) -> dict[str, float]:
        """Per-pair F for `metrics` (a subset of rouge1, rouge2, rougeL; others: InputError)."""
        wanted = check_metrics(metrics, self.name)
        scores = self.score_tokens(
            target=self.tokens(target, cut, side="target"), prediction=self.tokens(prediction, cut, side="prediction")
        )
        return {m: scores[m] for m in wanted}

    def score_corpus(
        self, pairs: Iterable[tuple[str, str]], cut: Cut | None = None, metrics: Iterable[str] = METRICS
    ) -> dict[str, float]:
        """The tool's corpus numbers for (target, prediction) pairs, each distinct text cut once."""
        wanted = check_metrics(metrics, self.name)
        seen: dict[tuple[str, Side], list[str]] = {}

        def words(text: str, side: Side) -> list[str]:
            key = (text, side)
            found = seen.get(key)
            if found is None:
                found = seen[key] = self.tokens(text, cut, side=side)
            return found

        per_metric: dict[str, list[float]] = {m: [] for m in wanted}
        for target, prediction in pairs:
            scores = self.score_tokens(target=words(target, "target"), prediction=words(prediction, "prediction"))
            for m in wanted:
                per_metric[m].append(scores[m])
        return {m: self.aggregate(values) for m, values in per_metric.items()}
