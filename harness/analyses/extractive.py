"""Baselines computed from a document's source (`--baselines`): lead-N and the greedy oracle.

Both pick whole sentences of the source, cut by the harness's own splitter (`split:zh-v1`) on
the normalised text, after dropping every line of the source that is a line of the document's
off-topic text (a pasted header, news items, a disclaimer). Sentences without a scorable token
(`----`) are never picked. A row's text is its sentences in source order, one per line, so
scoring cuts it back into exactly those sentences.

- `lead-N`: the first N sentences.
- `oracle`: the greedy extractive oracle of Nallapati et al. (2017) as Liu and Lapata (2019)
  compute it: start empty; add the sentence that most raises the mean of ROUGE-1 F and ROUGE-2 F
  against the references (with several references, each metric combined by the run's
  `--multiref` mode, `best` by default); stop when no sentence raises it. No length cap; ties go
  to the earliest sentence. The upper bound of a summarizer that extracts whole sentences
  (greedily found, so a bound in practice rather than in theory).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from harness.errors import InputError, visible
from harness.rouge.multiref import combine_references
from harness.rouge.scoring import pair_counts
from harness.text.analysed import AnalysedText
from harness.text.normalize import normalize, split_sentences

ORACLE = "oracle"
ORACLE_METRICS = ("rouge1", "rouge2")
# Computed rows never share a name with a submitted system: the shipped corpus has its own `lead-3`.
ROW_SUFFIX = " (source)"
_LEAD = re.compile(r"lead-([1-9][0-9]{0,3})")


def parse_baselines(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """`lead-3,oracle` (or a list) -> ('lead-3', 'oracle'), in the order given, repeats dropped."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    names: list[str] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if item != ORACLE and not _LEAD.fullmatch(item):
            raise InputError(f"--baselines {item}: unknown baseline; use lead-N (N from 1 to 9999) or oracle")
        if item not in names:
            names.append(item)
    return tuple(names)


def row_name(baseline: str) -> str:
    """The system name of a computed row: `lead-3` -> `lead-3 (source)`."""
    return baseline + ROW_SUFFIX


# The names `--baselines` gives its computed rows: these, and only these, are reference points the
# gate skips, so no submitted system may bear or imitate one (harness.gate.baseline).
_ROW = re.compile(r"(?:lead-[1-9][0-9]{0,3}|" + re.escape(ORACLE) + ")" + re.escape(ROW_SUFFIX))


def is_row_name(name: str) -> bool:
    """Whether `name` is exactly a name `--baselines` gives its rows (`lead-3 (source)`, `oracle (source)`)."""
    return _ROW.fullmatch(name) is not None


def near_row_name(name: str) -> bool:
    """A name that reads as a computed row's but is not one (`lead-3 (source) ` with a trailing
    space, an NBSP, full-width letters, another case): refused, so no system can pass as a row."""
    folded = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    return not is_row_name(name) and is_row_name(folded)


def refuse_row_names(systems: Iterable[str]) -> None:
    """InputError for the first submitted system that bears or imitates a computed row's name."""
    for name in systems:
        if is_row_name(name) or near_row_name(name):
            raise InputError(f"system {visible(name)!r}: a name reserved for --baselines rows (like 'lead-3 (source)'); "
                             "rename it")


def source_sentences(source: str, offtopic: str | None = None, *, t2s: bool = False) -> list[str]:
    """The normalised sentences of `source`, after dropping the lines that are off-topic lines
    (compared after normalisation and stripping)."""
    text = normalize(source, t2s=t2s)
    if offtopic is not None:
        noise = {line.strip() for line in normalize(offtopic, t2s=t2s).split("\n")} - {""}
        text = "\n".join(line for line in text.split("\n") if line.strip() not in noise)
    return split_sentences(text)


def scorable(sentences: Sequence[str], tokenize: Callable[[str], list[list[str]]]) -> list[tuple[str, tuple[str, ...]]]:
    """(sentence, its tokens) of each sentence with a scorable token; `tokenize` is the scoring
    processor's `sentences` (text -> token lists)."""
    out = []
    for sentence in sentences:
        tokens = tuple(t for part in tokenize(sentence) for t in part)
        if tokens:
            out.append((sentence, tokens))
    return out


def lead(sentences: Sequence[str], n: int) -> str:
    """The first `n` sentences, one per line."""
    return "\n".join(sentences[:n])


def lead_size(name: str) -> int:
    """N of `lead-N`."""
    match = _LEAD.fullmatch(name)
    if match is None:
        raise ValueError(f"not a lead baseline: {name!r}")
    return int(match[1])


def oracle_value(chosen: Sequence[tuple[str, ...]], references: Sequence[AnalysedText], multiref: str) -> float:
    """Mean of ROUGE-1 F and ROUGE-2 F of the sentences `chosen` (one summary, in this order)
    against `references`, each metric combined over the references by `multiref`."""
    summary = AnalysedText(tuple(chosen))
    counts = {str(i): pair_counts(target=ref, prediction=summary, metrics=ORACLE_METRICS) for i, ref in enumerate(references)}
    combined = combine_references(counts, ORACLE_METRICS, multiref)
    return (combined["rouge1"].fmeasure + combined["rouge2"].fmeasure) / 2


def oracle(sentences: Sequence[tuple[str, ...]], references: Sequence[AnalysedText], multiref: str = "best") -> list[int]:
    """Indices (ascending) of the greedy oracle's sentences, given each sentence's tokens."""
    chosen: list[int] = []
    value = 0.0
    while True:
        best, best_value = -1, value
        for i in range(len(sentences)):
            if i in chosen:
                continue
            trial = sorted([*chosen, i])
            found = oracle_value([sentences[k] for k in trial], references, multiref)
            if found > best_value:  # strictly: a tie keeps the earlier sentence, no gain stops
                best, best_value = i, found
        if best < 0:
            return chosen
        chosen = sorted([*chosen, best])
        value = best_value
