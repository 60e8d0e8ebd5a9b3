"""Settings: everything that changes a number, validated when made, and the signature they sign."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.errors import InputError
from harness.rouge import signature
from harness.rouge.metrics import DEFAULT_METRICS, check_metrics, parse_list
from harness.rouge.multiref import MULTIREF_MODES
from harness.rouge.scoring import ENGINE, ROUGE_DEFINITION
from harness.text.analysed import TextProcessor
from harness.text.tokenizers import UNITS, make_tokenizer


@dataclass(frozen=True)
class Settings:
    """Scoring settings; all of them end up in the signature. Invalid values raise InputError
    at construction, so a run fails before it reads any text."""

    # A list, a tuple or a comma-separated string ("rouge1,rougeL"); always a tuple once made.
    metrics: Sequence[str] = DEFAULT_METRICS
    unit: str = "word"
    hmm: bool = True
    user_dict: Path | None = None
    t2s: bool = False
    multiref: str = "best"

    def __post_init__(self) -> None:
        # A str is a Sequence[str] too: taken whole it would be split into characters ("r", "o", ...).
        names = parse_list(self.metrics) if isinstance(self.metrics, str) else check_metrics(tuple(self.metrics))
        object.__setattr__(self, "metrics", names)
        if self.unit not in UNITS:
            raise InputError(f"unknown unit {self.unit!r}; choose one of: {', '.join(UNITS)}")
        if self.multiref not in MULTIREF_MODES:
            raise InputError(f"unknown --multiref {self.multiref!r}; choose one of: {', '.join(MULTIREF_MODES)}")
        if self.user_dict is not None and self.unit != "word":
            raise InputError("--user-dict only applies to --unit word (jieba)")

    def check(self) -> TextProcessor:
        """Everything construction cannot check without reading a file (the user dictionary is
        read and parsed here), before any corpus text is read; returns the processor."""
        return self.processor()

    def processor(self) -> TextProcessor:
        """The text processor (normaliser + tokenizer) these settings describe."""
        tokenizer = make_tokenizer(self.unit, hmm=self.hmm, user_dict=self.user_dict, t2s=self.t2s)
        return TextProcessor(tokenizer, t2s=self.t2s)

    def word_processor(self) -> TextProcessor:
        """A jieba-word processor with these settings' normalisation: off-topic shares are measured
        on words whatever the unit, so that one threshold fits (character bigrams are shared far
        more often by unrelated texts)."""
        if self.unit == "word":
            return self.processor()
        return Settings(hmm=self.hmm, t2s=self.t2s).processor()


def sign(processor: TextProcessor, settings: Settings, *, n_docs: int | None = None, n_refs: int | None = None) -> str:
    """The signature of scores made by `processor` under `settings` (counts only for a corpus)."""
    return signature.build(
        processor.signature(),
        metrics=settings.metrics,
        multiref=settings.multiref,
        n_docs=n_docs,
        n_refs=n_refs,
        rouge=ROUGE_DEFINITION,
        engine=ENGINE,
    )
