"""The registry of ROUGE measures: names, how each is computed, labels, and parsing.

Every place that accepts or shows a metric name (options and their help, config, the
gate's floors, the renderers, the scorer) asks this module, so adding a measure is one
entry here plus its arithmetic in `harness.rouge.scoring`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from harness.errors import InputError

DEFAULT_METRICS: tuple[str, ...] = ("rouge1", "rouge2", "rougeL", "rougeLsum")
# What users may type, for help texts and error messages.
CHOICES_HELP = "rouge1..rouge9, rougeL, rougeLsum, rougeSU0..rougeSU9, rougeS0..rougeS9"
# A metric name inside a larger pattern (the gate's `--min SYSTEM:METRIC=VALUE`); ASCII only.
NAME_PATTERN = r"rouge(?:[1-9]|L|Lsum|SU?[0-9])"
_NAME = re.compile(rf"{NAME_PATTERN}\Z", re.ASCII)


@dataclass(frozen=True)
class Metric:
    """One ROUGE measure: `kind` is 'ngram' (with its `n`), 'lcs' (sentence-level ROUGE-L),
    'lcsum' (summary-level ROUGE-Lsum) or 'skip' (ROUGE-1.5.5's skip-bigrams with at most
    `gap` tokens between the two, plus unigrams when `unigrams`: rougeSU4 is `-2 4 -u`)."""

    name: str
    kind: str
    n: int = 0
    gap: int = 0
    unigrams: bool = False

    @property
    def label(self) -> str:
        """Short column label: rouge1 -> R-1, rougeL -> R-L, rougeLsum -> R-Lsum, rougeSU4 -> R-SU4."""
        return "R-" + self.name[len("rouge") :]


@cache
def get(name: str) -> Metric:
    """The Metric called `name`; InputError for a name the registry does not know."""
    if not _NAME.match(name):
        raise InputError(f"unknown metric {name!r}; choose from {CHOICES_HELP}")
    if name == "rougeL":
        return Metric(name, "lcs")
    if name == "rougeLsum":
        return Metric(name, "lcsum")
    if name.startswith("rougeSU"):
        return Metric(name, "skip", gap=int(name[len("rougeSU") :]), unigrams=True)
    if name.startswith("rougeS"):
        return Metric(name, "skip", gap=int(name[len("rougeS") :]))
    return Metric(name, "ngram", int(name[len("rouge") :]))


def check_metrics(metrics: Sequence[str]) -> tuple[str, ...]:
    """Validate metric names; keep their order, drop repeats. Every unknown name is reported."""
    bad = [m for m in metrics if not _NAME.match(m)]
    if bad:
        guesses = [g for g in map(suggest, bad) if g]
        hint = f" (did you mean {', '.join(map(repr, guesses))}?)" if len(guesses) == len(bad) else ""
        raise InputError(f"unknown metric {', '.join(map(repr, bad))}{hint}; choose from {CHOICES_HELP}")
    if not metrics:
        raise InputError(f"no metrics given; choose from {CHOICES_HELP}")
    return tuple(dict.fromkeys(metrics))


def suggest(name: str) -> str | None:
    """The metric a mistyped `name` most likely meant ('rougel' -> 'rougeL', 'ROUGE-1' -> 'rouge1'), or None."""
    folded = re.sub(r"[\s_-]", "", name).lower()
    by_fold = {m.lower(): m for m in _SPELLED}
    if folded in by_fold:
        return by_fold[folded]
    # Within its family: 'rouge0' is closer to rougeS0 by letters, but meant an n-gram.
    family = [m for m in by_fold if m.startswith("rouges") == folded.startswith("rouges")]
    # The closest by letters; a tie goes to the earlier name (rouge0 -> rouge1, not rougeL).
    ratio, best = max((difflib.SequenceMatcher(None, folded, m).ratio(), -i, m) for i, m in enumerate(family))[::2]
    return by_fold[best] if ratio >= 0.75 else None


# Every name the registry takes, spelled out, for suggestions.
_SPELLED = (*(f"rouge{n}" for n in range(1, 10)), "rougeL", "rougeLsum", *(f"rougeS{g}" for g in range(10)),
            *(f"rougeSU{g}" for g in range(10)))


def parse_list(text: str) -> tuple[str, ...]:
    """Metric names from a comma-separated option value such as 'rouge1, rougeL'."""
    return check_metrics([m.strip() for m in text.split(",") if m.strip()])


def label(name: str) -> str:
    """Column label of a metric name (see Metric.label)."""
    return get(name).label


def rank_metric(metrics: Sequence[str]) -> str:
    """The metric systems are ranked by: ROUGE-L if computed, else ROUGE-Lsum, else the first."""
    for preferred in ("rougeL", "rougeLsum"):
        if preferred in metrics:
            return preferred
    return metrics[0]


def is_metric(name: str) -> bool:
    """Whether `name` is a metric's name (not an analysis's gate value such as `facts`)."""
    return re.fullmatch(NAME_PATTERN, name) is not None
