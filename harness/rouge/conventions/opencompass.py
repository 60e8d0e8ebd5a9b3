"""OpenCompass's `JiebaRougeEvaluator` re-implemented: `general_postprocess`, jieba, placeholders,
then rouge-chinese's `get_scores(avg=True)`.

Reproduced from the behaviour of open-compass/opencompass
`opencompass/openicl/icl_evaluator/icl_jieba_rouge_evaluator.py` (commit
bff66519297c8f7492f0b1d20f773d6ac56de3df) and `general_postprocess` in
`opencompass/utils/text_postprocessors.py` (commit 014fb10564d971f6020bbf35e39e1049a69352e7):

1. `general_postprocess` on both sides: keep the text before the first newline, ASCII '.' or
   ASCII ',' (so "GPT-3.5" keeps "GPT-3" and "5.4亿" keeps "5"); delete every character that is
   neither a word character nor whitespace (Unicode: Han characters are word characters, all
   punctuation goes, full-width included); delete the whole words a / an / the in any case
   (a word boundary is needed on both sides, so "A股" stays); collapse whitespace runs to one
   space and strip.
2. `" ".join(jieba.cut(text))`; an empty result becomes `__PREDPLACEHOLDER__` (prediction) or
   `__REFRPLACEHOLDER__` (reference), one word each, so an empty side scores 0 (or matches a
   reference that literally holds the placeholder) instead of raising.
3. rouge-chinese 1.0.3 on all pairs with `avg=True`: each metric's F summed left to right and
   divided by the count; the tool prints that times 100.

A dataset config may run its own `pred_postprocessor` before the evaluator (LCSTS's does): that
step is the dataset's, not the evaluator's, and is not part of this convention.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from harness.rouge.conventions.base import Cut, Side, default_cut
from harness.rouge.conventions.rouge_chinese import VERSION, RougeChinese, split_words, word_reasons

COMMIT = "bff6651"
PLACEHOLDER: dict[str, str] = {"prediction": "__PREDPLACEHOLDER__", "target": "__REFRPLACEHOLDER__"}

_CUT = re.compile(r"[\n.,]")
_NON_WORD = re.compile(r"[^\w\s]")
_ARTICLE = re.compile(r"\b(?:a|an|the)\b", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def cut_point(text: str) -> re.Match[str] | None:
    """Where `general_postprocess` stops reading `text`: its first newline, ASCII '.' or ','."""
    return _CUT.search(text)


@lru_cache(maxsize=4096)  # a reference is post-processed once for every system scored against it
def general_postprocess(text: str) -> str:
    """OpenCompass's `general_postprocess`: truncate, drop non-word characters and articles, squeeze."""
    stop = _CUT.search(text)
    head = text if stop is None else text[: stop.start()]
    return _SPACES.sub(" ", _ARTICLE.sub("", _NON_WORD.sub("", head))).strip()


def postprocess_reasons(text: str, side: Side) -> list[str]:
    """What `general_postprocess` did to one side, the largest effect first."""
    out: list[str] = []
    stop = _CUT.search(text)
    head = text if stop is None else text[: stop.start()]
    if stop is not None and text[stop.end() :].strip():
        out.append(f"{side}: truncated at {stop.group()!r} after {stop.start()} of {len(text)} characters")
    no_punct, deleted = _NON_WORD.subn("", head)
    articles = len(_ARTICLE.findall(no_punct))
    if articles:
        out.append(f"{side}: {articles} English article(s) a/an/the deleted")
    if deleted:
        out.append(f"{side}: {deleted} punctuation or symbol character(s) deleted")
    return out


class OpenCompass(RougeChinese):
    """OpenCompass's JiebaRougeEvaluator: general_postprocess, jieba, placeholder, rouge-chinese avg."""

    name = "opencompass"
    version = f"opencompass-{COMMIT}+rouge-chinese-{VERSION}"

    def prepare(self, text: str) -> str:
        """The text after `general_postprocess` (what jieba is given)."""
        return general_postprocess(text)

    def tokens(self, text: str, cut: Cut | None = None, *, side: Side = "prediction") -> list[str]:
        """rouge-chinese's words of the postprocessed, jieba-joined text, or the side's placeholder."""
        joined = " ".join((cut or default_cut)(general_postprocess(text)))
        return split_words(joined or PLACEHOLDER[side])

    def reasons(
        self, *, target: str, prediction: str, cut: Cut | None = None, words: Mapping[Side, Sequence[str]] | None = None
    ) -> list[str]:
        """Placeholders, truncations, deletions and repeated n-grams, prediction first."""
        out: list[str] = []
        texts: dict[Side, str] = {"prediction": prediction, "target": target}
        for side, text in texts.items():
            if not general_postprocess(text):
                out.append(f"{side}: empty after postprocess: placeholder scored")
        for side, text in texts.items():
            out.extend(postprocess_reasons(text, side))
        for side, text in texts.items():
            if general_postprocess(text):
                out.extend(word_reasons(self.tokens(text, cut, side=side) if words is None else words[side], side))
        return out
