"""Chinese ROUGE conventions: the numbers rouge-chinese, LLaMA-Factory and OpenCompass print.

Each convention turns one (target, prediction) pair into per-metric F the way its tool does,
and a list of per-pair values into the tool's corpus number:

    text -> prepare (OpenCompass's general_postprocess) -> jieba.cut joined by spaces
         -> rouge-chinese's words (sentence rules, whitespace split, placeholders)
         -> per-pair F for rouge1 / rouge2 / rougeL (unique n-grams, whole-list LCS, 1e-8 guard;
            LLaMA-Factory rounds F x 100 to 4 decimals) -> aggregate (mean, each tool's arithmetic)

Pairs are independent, so they may be scored in any order or process; only `aggregate` sees
them all, and it takes the values in document order, so the corpus number is byte-identical.

Multi-reference documents: the tools take one reference per prediction. A convention scores
the first reference by file order (`pick_reference`) and ignores the others; the reason line
from `unused_references_reason` says so. Metrics other than rouge1, rouge2 and rougeL are an
InputError (`check_metrics`). jieba is imported only when a text is first cut; callers pass
their own loaded `cut` to share a dictionary.
"""

from __future__ import annotations

from harness.rouge.conventions.base import (
    METRICS,
    Convention,
    Cut,
    Side,
    caching_cut,
    check_metrics,
    default_cut,
    pick_reference,
    unused_references_reason,
)
from harness.rouge.conventions.llamafactory import LlamaFactory
from harness.rouge.conventions.opencompass import OpenCompass, general_postprocess
from harness.rouge.conventions.rouge_chinese import RougeChinese, split_words

# Name (as typed after --convention) -> convention. "harness" is the harness's own scoring and
# is not a Convention here: the caller keeps its own path for it.
CONVENTIONS: dict[str, Convention] = {c.name: c for c in (RougeChinese(), LlamaFactory(), OpenCompass())}

__all__ = [
    "CONVENTIONS",
    "METRICS",
    "Convention",
    "Cut",
    "LlamaFactory",
    "OpenCompass",
    "RougeChinese",
    "Side",
    "caching_cut",
    "check_metrics",
    "default_cut",
    "general_postprocess",
    "get",
    "pick_reference",
    "split_words",
    "unused_references_reason",
]


def get(name: str) -> Convention:
    """The convention called `name`; InputError listing the choices for any other name."""
    try:
        return CONVENTIONS[name]
    except KeyError:
        from harness.errors import InputError

        raise InputError(f"unknown convention {name!r}; choose from harness, {', '.join(CONVENTIONS)}") from None
