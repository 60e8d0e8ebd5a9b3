"""What every Chinese ROUGE convention provides: the metric names, the reference rule, jieba.

A convention reproduces the number one published tool prints, with that tool's own
tokenization and arithmetic; `Convention` is the interface the harness calls (see the
package docstring for the flow). Nothing here imports jieba until a text is cut.
"""

from __future__ import annotations

import abc
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
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
    """`jieba.cut(text)` (precise mode, HMM on) of a `jieba.Tokenizer` with jieba's default
    dictionary (harness.text.jieba_cut.LinearJieba: jieba's words, faster), loaded
    on first use.

    The tools call the module-level `jieba.cut`, whose tokenizer has the same default dictionary.
    This default builds that dictionary without a cache file (about a second, once per process);
    the harness passes its own loaded jieba instead, whose dictionary is cached."""
    if not _TOKENIZER:
        with _LOCK:
            if not _TOKENIZER:
                import logging
                import tempfile

                from harness.text.jieba_cut import LinearJieba

                logger = logging.getLogger("jieba")
                old_level = logger.level
                logger.setLevel(logging.CRITICAL + 1)  # jieba logs "Building prefix dict" to stderr
                # A throw-away cache folder: jieba's default /tmp/jieba.cache is shared between
                # users (another user's file would be read as ours), and the harness never uses it.
                folder = tempfile.TemporaryDirectory(prefix="harness-conv-jieba-")
                try:
                    tokenizer = LinearJieba()
                    tokenizer.tmp_dir = folder.name
                    tokenizer.initialize()
                finally:
                    logger.setLevel(old_level)
                    folder.cleanup()
                _TOKENIZER.append(tokenizer)
    cut: Cut = _TOKENIZER[0].cut
    return cut(text)


@cache
def _piece_end() -> re.Pattern[str]:
    r"""Where a text may be cut in pieces without changing jieba's words: right after a character
    jieba never joins to a neighbour. jieba 0.42.1 cuts each run of Han characters (its range
    U+4E00-U+9FD5), ASCII letters, digits and +#&._%- on its own (`re_han_default`) and yields every
    other character alone (whitespace too, except "\r\n", which is never split here since "\r" is
    not a piece end). So every such run is a piece: summaries share most of their clauses with the
    article and with each other, and on the 10 x 300 workload the distinct pieces hold 11,000
    characters where pieces split only after 。！？；：，\n held 149,000 (jieba 0.12 s instead of 0.74 s).
    Compiled on first use: a run without --convention never cuts a text this way."""
    return re.compile(r"(?<=[^\u4E00-\u9FD5a-zA-Z0-9+#&._%\-\r])")


def caching_cut(cut: Cut, *, limit: int | None = None) -> Callable[[str], list[str]]:
    """`cut` with its words memoised per piece (text split after every character jieba yields on
    its own: punctuation, whitespace, any character outside its word runs): the same words as
    `cut(text)` for jieba, which never joins across those characters.

    A test set's texts share most sentences (summaries reuse the article's), so each distinct
    piece is cut once: on the 10 x 1,000 benchmark this takes the conventions from 4x the
    harness's time to under it (benchmarks/bench_conventions.py). With `limit`, each memo is
    emptied when it holds that many entries, so a process's memory stays bounded on any corpus."""
    seen: dict[str, list[str]] = {}
    whole: dict[str, list[str]] = {}
    piece_end = _piece_end()

    def cached(text: str) -> list[str]:
        found = whole.get(text)
        if found is not None:
            return found
        words: list[str] = []
        for piece in piece_end.split(text):
            part = seen.get(piece)
            if part is None:
                if limit is not None and len(seen) >= limit:
                    seen.clear()
                part = seen[piece] = list(cut(piece))
            words.extend(part)
        if limit is not None and len(whole) >= limit:
            whole.clear()
        whole[text] = words
        return words

    return cached


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
    def reasons(
        self, *, target: str, prediction: str, cut: Cut | None = None, words: Mapping[Side, Sequence[str]] | None = None
    ) -> list[str]:
        """Human explanations of where this convention departs from the harness on this pair
        (`words`: each side's `tokens()`, when the caller has them, so nothing is cut again)."""

    def prepare_tokens(self, words: Sequence[str]) -> object:
        """What `score_prepared` needs of one side, built once per text (default: the words)."""
        return words

    def score_prepared(self, target: object, prediction: object) -> dict[str, float]:
        """`score_tokens` on `prepare_tokens` results (override both to cache per-text work)."""
        assert isinstance(target, Sequence) and isinstance(prediction, Sequence)
        return self.score_tokens(target=target, prediction=prediction)

    def score_prepared_prf(self, target: object, prediction: object) -> dict[str, tuple[float, float, float]]:
        """Per-pair (p, r, f) per metric from `prepare_tokens` of both sides (for the harness's reports)."""
        raise NotImplementedError

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
        """The tool's corpus numbers for (target, prediction) pairs (see `score_systems`)."""
        return self.score_systems({"": pairs}, cut, metrics)[""]

    def score_systems(
        self, systems: Mapping[str, Iterable[tuple[str, str]]], cut: Cut | None = None, metrics: Iterable[str] = METRICS
    ) -> dict[str, dict[str, float]]:
        """Corpus numbers per system from its (target, prediction) pairs, each distinct text cut and
        prepared once across systems; `cut` goes through `caching_cut`, so it must be jieba-like
        (never joining words across punctuation or whitespace)."""
        wanted = check_metrics(metrics, self.name)
        cut = caching_cut(cut or default_cut)
        seen: dict[tuple[str, Side], object] = {}

        def prepared(text: str, side: Side) -> object:
            key = (text, side)
            found = seen.get(key)
            if found is None:
                found = seen[key] = self.prepare_tokens(self.tokens(text, cut, side=side))
            return found

        out: dict[str, dict[str, float]] = {}
        for system, pairs in systems.items():
            per_metric: dict[str, list[float]] = {m: [] for m in wanted}
            for target, prediction in pairs:
                scores = self.score_prepared(prepared(target, "target"), prepared(prediction, "prediction"))
                for m in wanted:
                    per_metric[m].append(scores[m])
            out[system] = {m: self.aggregate(values) for m, values in per_metric.items()}
        return out
