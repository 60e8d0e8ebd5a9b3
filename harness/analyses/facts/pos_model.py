"""jieba's part-of-speech model, read as tables (facts rules, names.py): how much more likely it finds a
word a name than any other part of speech, scored on the word alone."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

NAME_TAGS = frozenset({"nr", "ns", "nt", "nz", "nrt", "nrfg"})


@lru_cache(maxsize=3)
def pos_table(name: str) -> dict[Any, Any]:
    """One table of jieba's part-of-speech HMM (jieba/posseg/NAME.py), read without importing
    jieba.posseg, whose import builds a second tag table from the whole dictionary (1.4 s)."""
    import importlib.util
    import os

    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "posseg", f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"harness_posseg_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.P)


@lru_cache(maxsize=4096)
def name_margin(word: str) -> float:
    """How much more likely jieba's POS model finds ``word`` a name than anything else (log, per word)."""
    prob_start, prob_trans, prob_emit = pos_table("prob_start"), pos_table("prob_trans"), pos_table("prob_emit")

    def score(tag: str) -> float:
        states = [("S", tag)] if len(word) == 1 else [("B", tag)] + [("M", tag)] * (len(word) - 2) + [("E", tag)]
        total = prob_start.get(states[0], -1e9) + prob_emit.get(states[0], {}).get(word[0], -1e9)
        for previous, state, ch in zip(states, states[1:], word[1:], strict=False):
            total += prob_trans.get(previous, {}).get(state, -1e9) + prob_emit.get(state, {}).get(ch, -1e9)
        return float(total)

    tags = {tag for _, tag in prob_start}
    best_name = max(score(tag) for tag in tags & NAME_TAGS)
    best_other = max(score(tag) for tag in tags - NAME_TAGS)
    return best_name - best_other
