"""harness.text.jieba_cut: jieba's cut with a linear-time HMM and a one-pass best route gives jieba's own words.

Every expected value here is jieba 0.42.1's own output (a plain `jieba.Tokenizer`, `ind_jieba`,
and `jieba.finalseg.viterbi`), the implementation the harness must not differ from."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from jieba import finalseg

from harness.text.jieba_cut import LinearJieba, hmm_cut, hmm_states
from harness.text.tokenizers import plain_jieba

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "seed" / "article.txt"

# Characters the HMM sees in unknown runs: common ones, ones its emission tables lack (they get
# jieba's floor score), and a few rare ones, so ties and floor scores are exercised too.
_HAN = "谷歌开源模型大厂困境商业化羊驼的了是在一二三亿万美元龘齉靐鱻䲜𠀀"
_OTHER = ["GPT", "3.5", "52k", "50%", "，", "。", " ", "\n", "Alpaca", "—", "·"]


def _random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 12)):
            if rng.random() < 0.75:
                parts.append("".join(rng.choice(_HAN) for _ in range(rng.randint(1, 40))))
            else:
                parts.append(rng.choice(_OTHER))
        texts.append("".join(parts))
    return texts


def _shipped_texts() -> list[str]:
    paths = sorted((ROOT / "candidates").rglob("*.txt")) + sorted((ROOT / "references").rglob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    if ARTICLE.exists():
        texts.append(ARTICLE.read_text(encoding="utf-8"))
    return texts


@pytest.fixture(scope="module")
def linear(ind_jieba) -> LinearJieba:
    """A LinearJieba on ind_jieba's dictionary (the same words and counts, no second build)."""
    tok = LinearJieba()
    tok.FREQ, tok.total, tok.initialized = ind_jieba.FREQ, ind_jieba.total, True
    return tok


def test_the_states_and_score_are_those_of_jiebas_viterbi():
    # jieba's own Viterbi returns (score, path); ours the path. The score is checked by summing
    # the path's log-probabilities with jieba's tables, in the order jieba adds them.
    for run in ["".join(t for t in text if "\u4e00" <= t <= "\u9fd5") for text in _random_texts(300, 1)] + ["谷歌" * 400]:
        if not run:
            continue
        score, path = finalseg.viterbi(run, "BMES", finalseg.start_P, finalseg.trans_P, finalseg.emit_P)
        states = hmm_states(run)
        assert states == "".join(path), run
        floor = finalseg.MIN_FLOAT
        total = finalseg.start_P[states[0]] + finalseg.emit_P[states[0]].get(run[0], floor)
        for before, state, char in zip(states, states[1:], run[1:], strict=False):
            total = total + finalseg.trans_P[before].get(state, floor) + finalseg.emit_P[state].get(char, floor)
        assert total == score


def test_ties_of_characters_the_hmm_tables_lack_go_as_in_jiebas_viterbi():
    # A character missing from an emission table scores jieba's floor (-3.14e100), which absorbs
    # every other term of a sum, so two paths often score the same: then jieba's maximum of
    # (score, state) takes the later letter. Characters missing from some tables, mixed with
    # common ones (侥丯源丩佴俳 is a tie into B, found by such a search, which a `>` for `>=` misses).
    emit = finalseg.emit_P
    han = [chr(c) for c in range(0x4E00, 0x9FD6)]
    pool = [c for c in han if all(c not in emit[y] for y in "BMES")][:50]
    pool += [c for c in han if (c in emit["B"]) != (c in emit["M"]) or (c in emit["E"]) != (c in emit["S"])][:200]
    pool += list("谷歌开源模型的了是在")
    rng = random.Random(6)
    runs = ["侥丯源丩佴俳"] + ["".join(rng.choice(pool) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    for run in runs:
        _, path = finalseg.viterbi(run, "BMES", finalseg.start_P, finalseg.trans_P, finalseg.emit_P)
        assert hmm_states(run) == "".join(path), run


def test_hmm_cut_yields_what_finalseg_cut_yields():
    for text in [*_random_texts(300, 2), "", "abc", "谷歌" * 50 + "GPT-3.5" + "羊驼" * 30]:
        assert list(hmm_cut(text)) == list(finalseg.cut(text)), text


def test_words_force_split_by_del_word_come_out_as_characters(monkeypatch):
    # jieba.del_word(w) puts w in finalseg.Force_Split_Words (a global set): the HMM may still find
    # it, and both cuts must then yield its characters. 歌谷 is what the HMM makes of 谷歌谷歌….
    run = "谷歌" * 20
    assert "歌谷" in list(finalseg.cut(run))
    monkeypatch.setattr(finalseg, "Force_Split_Words", {"歌谷"})
    expected = list(finalseg.cut(run))
    assert "歌谷" not in expected
    assert list(hmm_cut(run)) == expected


@pytest.mark.parametrize("hmm", [True, False])
def test_the_cut_of_shipped_and_random_texts_equals_jiebas(linear, ind_jieba, hmm):
    texts = _shipped_texts() + _random_texts(400, 3) + ["谷歌" * 1000, "谷", "", "。。", "龘" * 50]
    assert len(texts) > 400
    for text in texts:
        assert list(linear.cut(text, HMM=hmm)) == list(ind_jieba.cut(text, HMM=hmm)), text[:80]


def test_added_and_deleted_words_cut_as_jieba_cuts_them(plain_jieba):
    # A user dictionary changes the route and which runs are known words as a whole.
    ours, theirs = LinearJieba(), plain_jieba()
    ours.FREQ, ours.total, ours.initialized = dict(theirs.FREQ), theirs.total, True
    for tok in (ours, theirs):
        tok.add_word("歌谷歌", 5)
        tok.add_word("羊驼模型", 10, "nz")
    for text in ["谷歌" * 30, "羊驼模型开源了龘齉靐", "歌谷歌谷", *_random_texts(100, 4)]:
        assert list(ours.cut(text)) == list(theirs.cut(text)), text


def test_random_stretches_of_real_text_cut_as_jieba_cuts_them(linear, ind_jieba):
    # Real words, cut anywhere: the best route's ties and prefixes as jieba's calc finds them.
    texts = _shipped_texts()
    rng = random.Random(5)
    joined = "".join(texts)
    for _ in range(2000):
        start = rng.randrange(len(joined))
        text = joined[start : start + rng.randint(1, 120)]
        assert list(linear.cut(text)) == list(ind_jieba.cut(text)), text


def test_words_added_after_cutting_change_the_next_cut_as_in_jieba(plain_jieba, monkeypatch):
    # The kept word scores depend on every frequency and the total: add_word (and del_word, which
    # calls it) must make them be worked out again. del_word also adds to jieba's global set of
    # words to split, restored after the test.
    monkeypatch.setattr(finalseg, "Force_Split_Words", set(finalseg.Force_Split_Words))
    ours, theirs = LinearJieba(), plain_jieba()
    ours.FREQ, ours.total, ours.initialized = dict(theirs.FREQ), theirs.total, True
    text = "开源模型羊驼只花了六百美元"
    assert list(ours.cut(text)) == list(theirs.cut(text))
    for change in (lambda t: t.add_word("羊驼只花", 10**7), lambda t: t.del_word("开源"), lambda t: t.suggest_freq("六百美元", True)):
        change(ours)
        change(theirs)
        assert list(ours.cut(text)) == list(theirs.cut(text))
    assert "羊驼只花" in list(ours.cut(text))
    # A word of huge frequency raises the total, so every word's log(f) - log(total) falls and a
    # route of fewer words wins: jieba cuts 模型更快 as 模型/更/快 before and 模型/更快 after (found
    # by comparing jieba's own cuts of article stretches before and after such a word).
    other = "模型更快、可定制性更强"
    assert list(theirs.cut(other))[:3] == ["模型", "更", "快"] and list(ours.cut(other)) == list(theirs.cut(other))
    ours.add_word("龘齉靐", 10**12)
    theirs.add_word("龘齉靐", 10**12)
    assert list(theirs.cut(other))[:2] == ["模型", "更快"] and list(ours.cut(other)) == list(theirs.cut(other))


def test_a_tokenizer_not_loaded_yet_loads_its_dictionary_on_first_cut(ind_jieba):
    # jieba loads its dictionary on the first cut (get_DAG calls check_initialized); best_route
    # replaces get_DAG, so it must too (it took log(0) of an empty total). Loading is stood in for
    # by ind_jieba's dictionary, so nothing is read or written.
    tok = LinearJieba()

    def load() -> None:
        tok.FREQ, tok.total, tok.initialized = ind_jieba.FREQ, ind_jieba.total, True

    tok.initialize = load
    assert tok.lcut("我们中文abc") == ind_jieba.lcut("我们中文abc") == ["我们", "中文", "abc"]


def test_a_negative_count_that_leaves_the_total_as_it_was_is_seen(plain_jieba):
    # A reviewer's sequence: the second add_word and a negative count bring the total back to what
    # it was, yet 的是 is now a frequent word; scores kept by total alone stayed stale.
    ours, theirs = LinearJieba(), plain_jieba()
    ours.FREQ, ours.total, ours.initialized = dict(theirs.FREQ), theirs.total, True
    for tok in (ours, theirs):
        tok.add_word("的是", 1)
        assert tok.lcut("的是") == ["的", "是"]
        tok.add_word("的是", 10**7)
        tok.add_word("zzz", -(10**7))
    assert ours.lcut("的是") == theirs.lcut("的是") == ["的是"]


def test_the_harness_never_runs_jiebas_quadratic_viterbi(monkeypatch):
    # jieba's Viterbi copies every path at every character (O(n^2) on a long unknown run); the
    # harness's jieba must not reach it, for tokens (plain_jieba is what --unit word and names use).
    def refuse(*_args: object) -> None:
        raise AssertionError("jieba.finalseg.viterbi was called")

    monkeypatch.setattr(finalseg, "viterbi", refuse)
    words = list(plain_jieba().cut("谷歌" * 3000))
    assert isinstance(plain_jieba(), LinearJieba)
    assert "".join(words) == "谷歌" * 3000 and len(words) > 1000
