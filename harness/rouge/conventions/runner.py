"""Scoring pairs under conventions inside a harness run: shared cuts, shared prepared tokens, P/R/F.

What the pipeline (harness.run) and the `--convention all` analysis call, once per process:

    ConventionScorer(names, cut) -> score(target=..., prediction=...) -> {convention: {metric: Score}}
    corpus_score(convention, per-document Scores in document order) -> {metric: Score}

The work a pair needs is shared as far as the tools allow, and the numbers stay those of
`Convention.score_pair` to the bit (tests/test_conventions_pipeline.py):

- jieba runs once per sentence-like piece of text (`caching_cut`, bounded), with the harness's own
  loaded jieba (its dictionary cache, its user dictionary);
- rouge-chinese and LLaMA-Factory see the same words (LLaMA-Factory is rouge-chinese per pair), so
  a text is prepared once for both; OpenCompass prepares its own (it post-processes first);
- a reference, which every system meets, is prepared once per process (a bounded memo); a summary
  once per call, for every convention asked.

P and R: the tools print F (LLaMA-Factory stores only F); rouge-chinese's `get_scores` also gives
p and r, and those are what a convention's Score carries, stored and averaged like its F.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from harness.rouge.conventions import CONVENTIONS, METRICS, Convention, Cut, Side, caching_cut
from harness.rouge.conventions.opencompass import PLACEHOLDER
from harness.rouge.conventions.rouge_chinese import RougeChinese, raw_prf
from harness.rouge.scoring import Score

# Prepared references and cut pieces kept per process: every text of a few thousand documents,
# bounded however large the corpus (a memo is emptied when full).
_MEMO = 20_000


def _family(convention: Convention) -> Callable[..., Any]:
    """Conventions with the same `tokens` function see the same words (rouge-chinese, llamafactory)."""
    return type(convention).tokens


class ConventionScorer:
    """Pairs scored under the conventions `names`, with `cut` (the harness's jieba) and shared work."""

    def __init__(self, names: Sequence[str], cut: Cut) -> None:
        self.conventions: tuple[Convention, ...] = tuple(CONVENTIONS[n] for n in names)
        self.cut = caching_cut(cut, limit=_MEMO)
        self._targets: dict[tuple[Callable[..., Any], str], object] = {}
        self._last: dict[Callable[..., Any], tuple[str, object]] = {}  # per family: the last prediction

    def prepared(self, convention: Convention, text: str, side: Side) -> object:
        """`prepare_tokens(tokens(text))` of one side (references remembered per process)."""
        return convention.prepare_tokens(convention.tokens(text, self.cut, side=side))

    def _target(self, convention: Convention, text: str) -> object:
        key = (_family(convention), text)
        found = self._targets.get(key)
        if found is None:
            if len(self._targets) >= _MEMO:
                self._targets.clear()
            found = self._targets[key] = self.prepared(convention, text, "target")
        return found

    def score(self, *, target: str, prediction: str) -> dict[str, dict[str, Score]]:
        """{convention: {metric: Score(p, r, f)}} of one pair, each as that convention stores it."""
        out: dict[str, dict[str, Score]] = {}
        raw: dict[Callable[..., Any], dict[str, tuple[float, float, float]]] = {}
        for convention in self.conventions:
            family = _family(convention)
            if isinstance(convention, RougeChinese):  # every tool here: one rouge-chinese run per family
                found = raw.get(family)
                if found is None:
                    found = raw[family] = raw_prf(self._target(convention, target), self._prediction(convention, prediction))
                stored = convention.store_prf(found)
            else:
                stored = convention.score_prepared_prf(
                    self._target(convention, target), self._prediction(convention, prediction)
                )
            out[convention.name] = {m: Score(*stored[m]) for m in METRICS}
        return out

    def _prediction(self, convention: Convention, text: str) -> object:
        family = _family(convention)
        last = self._last.get(family)
        if last is None or last[0] != text:
            last = self._last[family] = (text, self.prepared(convention, text, "prediction"))
        return last[1]

    def family(self, convention: Convention) -> Callable[..., Any]:
        """What conventions seeing the same words share (rouge-chinese and llamafactory)."""
        return _family(convention)

    def words(self, convention: Convention, *, target: str, prediction: str) -> dict[Side, Sequence[str]]:
        """Each side's words under `convention` (from the prepared texts: the pair just scored is not cut again)."""
        return {  # every tool's prepared side is a rouge_chinese.Features
            "target": getattr(self._target(convention, target), "words"),  # noqa: B009
            "prediction": getattr(self._prediction(convention, prediction), "words"),  # noqa: B009
        }

    def empty_sides(self, convention: Convention, *, target: str, prediction: str) -> list[str]:
        """The sides the convention sees no words on ("reference", "candidate"): scored 0."""
        out = []
        for side, name, text in (("target", "reference", target), ("prediction", "candidate", prediction)):
            words = convention.tokens(text, self.cut, side=side)  # type: ignore[arg-type]
            if not words or words == [PLACEHOLDER[side]]:
                out.append(name)
        return out


def corpus_score(convention: Convention, scores: Sequence[Mapping[str, Score]], metrics: Sequence[str]) -> dict[str, Score]:
    """The tool's corpus numbers from per-document Scores in document order (its `aggregate` on
    each of P, R and F)."""
    aggregate = convention.aggregate
    return {
        m: Score(
            aggregate([s[m].precision for s in scores]),
            aggregate([s[m].recall for s in scores]),
            aggregate([s[m].fmeasure for s in scores]),
        )
        for m in metrics
    }
