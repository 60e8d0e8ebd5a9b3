"""`Scorer`: ROUGE of single pairs from Python, shaped like rouge-score's `RougeScorer`.

Differences from RougeScorer, on purpose: texts are Chinese-aware (normalised, split into
sentences and cut into jieba words, as everywhere in the harness); `target` and
`prediction` are keyword-only, so they cannot be swapped by position (a swap exchanges
precision and recall silently); a target may be a list of references, combined by
`multiref`; and analysed texts are kept in a bounded cache, so a reference scored
against many predictions is tokenized once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from harness.errors import InputError
from harness.rouge.metrics import DEFAULT_METRICS
from harness.rouge.multiref import combine_references
from harness.rouge.scoring import Score, pair_counts
from harness.rouge.settings import Settings, sign
from harness.text.analysed import AnalysedText

Target = str | Sequence[str]


class Scorer:
    """ROUGE of a prediction against one or more targets, with the harness's tokenization.

    >>> scorer = Scorer(["rouge1"], unit="char")
    >>> scorer.score(target="猫吃鱼", prediction="猫吃肉")["rouge1"].fmeasure
    0.6666666666666666
    """

    def __init__(
        self,
        metrics: Sequence[str] = DEFAULT_METRICS,
        *,
        unit: str = "word",
        hmm: bool = True,
        user_dict: str | Path | None = None,
        t2s: bool = False,
        multiref: str = "best",
        cache_size: int = 10_000,
    ) -> None:
        # A list, or a string such as "rouge1,rougeL": Settings splits it.
        self.settings = Settings(
            metrics=metrics, unit=unit, hmm=hmm, user_dict=None if user_dict is None else Path(user_dict),
            t2s=t2s, multiref=multiref,
        )
        self._processor = self.settings.processor()
        self._cache: OrderedDict[str, AnalysedText] = OrderedDict()
        self._cache_size = max(0, cache_size)

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metric names, in the order results list them."""
        return tuple(self.settings.metrics)

    @property
    def signature(self) -> str:
        """The reproducibility signature of every score this scorer returns (no corpus counts)."""
        return sign(self._processor, self.settings)

    def analyze(self, text: str) -> AnalysedText:
        """Sentences, tokens and counts of `text`, as scoring sees them (cached, least recently used out)."""
        if not isinstance(text, str):
            raise TypeError(f"texts must be str, not {type(text).__name__}")
        found = self._cache.get(text)
        if found is not None:
            self._cache.move_to_end(text)
            return found
        found = self._processor.analyze(text)
        if self._cache_size:
            self._cache[text] = found
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return found

    def score(self, *, target: Target, prediction: str) -> dict[str, Score]:
        """`{metric: Score(precision, recall, fmeasure)}` of `prediction` against `target`
        (a reference, or a list of references combined by the scorer's `multiref`)."""
        targets = [target] if isinstance(target, str) else list(target)
        if not targets:
            raise InputError("target: an empty list of references; give at least one")
        predicted = self.analyze(prediction)
        per_reference = {
            str(i): pair_counts(target=self.analyze(t), prediction=predicted, metrics=self.settings.metrics)
            for i, t in enumerate(targets)
        }
        return combine_references(per_reference, self.settings.metrics, self.settings.multiref)

    def score_many(self, *, targets: Sequence[Target], predictions: Sequence[str]) -> list[dict[str, Score]]:
        """`score` for each (target, prediction) pair, in order; targets shared by many pairs are
        tokenized once."""
        if isinstance(targets, str) or isinstance(predictions, str):
            raise TypeError("score_many takes lists of texts; for one pair use score()")
        if len(targets) != len(predictions):
            raise ValueError(f"{len(targets)} targets but {len(predictions)} predictions")
        return [self.score(target=t, prediction=p) for t, p in zip(targets, predictions, strict=True)]
