"""Settings: everything that changes a number, validated when made, and the signature they sign."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.errors import InputError
from harness.files import refuse_nul
from harness.rouge import conventions, signature
from harness.rouge.metrics import DEFAULT_METRICS, check_metrics, parse_list
from harness.rouge.multiref import MULTIREF_MODES
from harness.rouge.scoring import ENGINE, ROUGE_DEFINITION
from harness.text.analysed import TextProcessor
from harness.text.tokenizers import UNITS, JiebaTokenizer, make_tokenizer

# --convention: the harness's own ROUGE (the default), one published tool's, or all side by side.
CONVENTION_CHOICES: tuple[str, ...] = ("harness", *conventions.CONVENTIONS, "all")


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
    convention: str = "harness"

    def __post_init__(self) -> None:
        if self.convention not in CONVENTION_CHOICES:
            raise InputError(f"unknown convention {self.convention!r}; choose one of: {', '.join(CONVENTION_CHOICES)}")
        # Under one tool's convention the metrics not given are the three the tools report; given
        # ones are checked (a rougeLsum would be the harness's number under the tool's name). The
        # default is recognised by identity: an explicit list, even the same four, is checked.
        if self.single_convention and self.metrics is DEFAULT_METRICS:
            object.__setattr__(self, "metrics", conventions.METRICS)
        # A str is a Sequence[str] too: taken whole it would be split into characters ("r", "o", ...).
        names = parse_list(self.metrics) if isinstance(self.metrics, str) else check_metrics(tuple(self.metrics))
        object.__setattr__(self, "metrics", names)
        if self.single_convention:
            conventions.check_metrics(self.metrics, self.convention)
            if self.unit != "word" or self.t2s:
                option = "--t2s" if self.t2s else f"--unit {self.unit}"
                raise InputError(
                    f"--convention {self.convention} scores jieba words of the text as the tool does; {option} "
                    "applies only to the harness's own scores (--convention harness or all)"
                )
        if self.unit not in UNITS:
            raise InputError(f"unknown unit {self.unit!r}; choose one of: {', '.join(UNITS)}")
        if self.multiref not in MULTIREF_MODES:
            raise InputError(f"unknown --multiref {self.multiref!r}; choose one of: {', '.join(MULTIREF_MODES)}")
        refuse_nul("user_dict", self.user_dict)  # open raised a bare ValueError when it was read
        if self.user_dict is not None and self.unit != "word":
            raise InputError("--user-dict only applies to --unit word (jieba)")

    @property
    def single_convention(self) -> bool:
        """Whether the scores are one tool's convention (not the harness's own, not `all`)."""
        return self.convention in conventions.CONVENTIONS

    def convention_cut(self) -> Callable[[str], Iterable[str]]:
        """The jieba cut the conventions use: the harness's loaded jieba (its dictionary and user
        dictionary, this HMM setting) on the text as given, every token kept."""
        user_dict = self.user_dict if self.unit == "word" else None
        return JiebaTokenizer(hmm=self.hmm, user_dict=user_dict, t2s=self.t2s).raw_cut()

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
    fields = processor.signature()
    multiref = settings.multiref
    if settings.single_convention:
        # The tool's numbers: its version, and its one reference per prediction (the first).
        fields = {**fields, "conv": conventions.get(settings.convention).version}
        multiref = "first"
    return signature.build(
        fields,
        metrics=settings.metrics,
        multiref=multiref,
        n_docs=n_docs,
        n_refs=n_refs,
        rouge=ROUGE_DEFINITION,
        engine=ENGINE,
    )
