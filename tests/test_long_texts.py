"""Long texts (issue 17, class 9): the same numbers in bounded memory, a refusal (exit 2) before
memory is spent on what would not fit, a warning before a slow pair, and MemoryError as exit 2.

Sizes are made small by lowering the thresholds, so that every path runs in milliseconds; the
memory and time figures themselves are in benchmarks/long_texts.py (tests never assert time).
"""

from __future__ import annotations

import random
from collections import Counter

import pytest
from rouge_score import rouge_scorer

import harness
from harness.rouge import cost, lcs, scoring
from harness.text.analysed import AnalysedText, TextProcessor, masks_bytes, match_masks


def test_checkpointed_rows_walk_to_rouge_scores_very_lcs(monkeypatch):
    # Independent side: rouge-score's own table and walk (lcs_ind). Forcing checkpoints on every
    # pair (ROWS_KEPT = 0) must pick the same indices, ties included (a small alphabet makes many).
    monkeypatch.setattr(lcs, "ROWS_KEPT", 0)
    rng = random.Random(7)
    for _ in range(300):
        a = [rng.choice("ABC") for _ in range(rng.randint(1, 40))]
        b = [rng.choice("ABCD") for _ in range(rng.randint(1, 40))]
        assert lcs.lcs_indices(a, b) == rouge_scorer.lcs_ind(a, b), (a, b)


def test_rouge_l_and_lsum_with_checkpoints_and_pair_masks_equal_rouge_score(monkeypatch):
    # A variant across sentences: the union LCS of rougeLsum, with checkpoints forced and the
    # masks made per pair for the shared tokens only (as for long texts: LONG = 1), against
    # rouge-score's RougeScorer on the same tokens (one sentence a line).
    monkeypatch.setattr(lcs, "ROWS_KEPT", 0)
    monkeypatch.setattr(scoring, "LONG", 1)
    rng = random.Random(8)
    scorer = rouge_scorer.RougeScorer(["rougeL", "rougeLsum"], tokenizer=_Split())
    for _ in range(40):
        ref = tuple(tuple(rng.choice("abcde") for _ in range(rng.randint(1, 15))) for _ in range(rng.randint(1, 4)))
        can = tuple(tuple(rng.choice("abcdef") for _ in range(rng.randint(1, 15))) for _ in range(rng.randint(1, 4)))
        scoring._LCS_MEMO.clear()
        ours = scoring.score_pair(target=AnalysedText(ref), prediction=AnalysedText(can), metrics=["rougeL", "rougeLsum"])
        theirs = scorer.score("\n".join(" ".join(s) for s in ref), "\n".join(" ".join(s) for s in can))
        for metric in ("rougeL", "rougeLsum"):
            assert tuple(ours[metric]) == tuple(theirs[metric]), (metric, ref, can)
    scoring._LCS_MEMO.clear()


class _Split:
    def tokenize(self, text: str) -> list[str]:
        return text.split()


def test_masks_of_long_texts_equal_bit_by_bit_masks():
    rng = random.Random(9)
    tokens = [rng.choice("abcdefgh") + str(rng.randint(0, 300)) for _ in range(9000)]  # past the 4,096 switch
    expected: dict[str, int] = {}
    for i, token in enumerate(tokens):  # the definition, bit by bit
        expected[token] = expected.get(token, 0) | (1 << i)
    assert match_masks(tokens) == expected
    # masks_bytes: each mask is as long as its token's last position (+64 for the object)
    last = {t: i for i, t in enumerate(tokens)}
    assert masks_bytes(tokens) == sum(i // 8 + 64 for i in last.values())


def test_compact_skip_bigrams_equal_a_brute_force_count():
    # Independent side: every (t[i], t[j]) with j - i <= gap + 1 by a double loop, plus the
    # unigrams of all tokens but the last (ROUGE-1.5.5's -u quirk), clipped overlap by hand.
    rng = random.Random(10)
    for _ in range(100):
        t = [rng.choice("abcdef") for _ in range(rng.randint(0, 30))]
        p = [rng.choice("abcdefg") for _ in range(rng.randint(0, 30))]

        def grams(toks: list[str]) -> Counter[tuple[str, ...]]:
            found: Counter[tuple[str, ...]] = Counter()
            for i in range(len(toks)):
                for j in range(i + 1, min(i + 6, len(toks))):  # gap 4: at most 4 tokens between
                    found[(toks[i], toks[j])] += 1
            found.update((x,) for x in toks[:-1])
            return found

        gt, gp = grams(t), grams(p)
        hits = sum(min(c, gp[g]) for g, c in gt.items())
        assert scoring._compact_skip_counts(t, p, 4, True) == (hits, sum(gt.values()), sum(gp.values()))


def _corpus(candidate: str, reference: str = "今天天气很好") -> harness.Corpus:
    return harness.Corpus(references={"d": {"r": reference}}, candidates={"s": {"d": candidate}})


def test_a_text_over_the_limit_is_refused_before_it_is_tokenized(cli_run, tmp_path, monkeypatch):
    monkeypatch.setattr(cost, "MAX_SCORED_CHARS", 100)
    (tmp_path / "references" / "d").mkdir(parents=True)
    (tmp_path / "candidates" / "s").mkdir(parents=True)
    (tmp_path / "references" / "d" / "r.txt").write_text("好" * 101, encoding="utf-8")  # a reference: a variant
    (tmp_path / "candidates" / "s" / "d.txt").write_text("好" * 100, encoding="utf-8")  # at the limit: fine
    calls = []
    monkeypatch.setattr(TextProcessor, "analyze", lambda self, text: calls.append(text))
    result = cli_run("score", "--no-config", "--no-cache", "--unit", "char")
    assert result.exit_code == 2
    assert result.stderr == ("Error: too long to score (at most 100 characters a text): "
                             "reference 'r' of document 'd' (101)\n")
    assert calls == []  # refused before anything was analysed


def test_a_pair_whose_masks_would_not_fit_is_refused_naming_it(monkeypatch):
    # 20,000 distinct Han characters in one sentence: the masks of one side take
    # sum(i // 8 + 64 for i < 20,000) = 8 * (0 + 1 + ... + 2,499) + 64 * 20,000 = 26,270,000 bytes
    # (25.05 MiB), which rougeL needs for one side. With a budget of 20 MiB the pair is refused.
    monkeypatch.setattr(cost, "MASK_BUDGET", 20 * 2**20)
    text = "".join(chr(0x4E00 + i) for i in range(20_000))
    assert sum(i // 8 + 64 for i in range(20_000)) == 8 * 2499 * 2500 // 2 + 64 * 20_000 == 26_270_000
    with pytest.raises(harness.InputError, match=r"^system 's', document 'd', reference 'r': too large to score: "
                                                 r"ROUGE-L of 20,000 tokens against 20,000 would need about \d+ MiB"):
        harness.evaluate(_corpus(text, text), harness.Settings(unit="char", metrics="rougeL"))
    monkeypatch.setattr(cost, "MASK_BUDGET", 30 * 2**20)  # 25 MiB fits: scored, LCS = all of it
    ev = harness.evaluate(_corpus(text, text), harness.Settings(unit="char", metrics="rougeL"))
    assert ev.systems[0].scores["rougeL"].fmeasure == 1.0


def test_a_slow_pair_is_announced_before_scoring(cli_run, tmp_path, monkeypatch):
    monkeypatch.setattr(cost, "SLOW_SECONDS", 1e-6)
    (tmp_path / "references" / "d").mkdir(parents=True)
    (tmp_path / "candidates" / "s").mkdir(parents=True)
    (tmp_path / "references" / "d" / "r.txt").write_text("天" * 640, encoding="utf-8")
    (tmp_path / "candidates" / "s" / "d.txt").write_text("天" * 320, encoding="utf-8")
    said = []
    original = TextProcessor.analyze
    monkeypatch.setattr(TextProcessor, "analyze", lambda self, text: said.append("analyse") or original(self, text))
    result = cli_run("score", "--no-config", "--no-cache", "--unit", "char", "--metrics", "rougeL")
    assert result.exit_code == 0
    # 320 rows of 640 characters: 320 * (640 / 64 + 4) = 4,480 words, one pass, at SECONDS_PER_WORD
    seconds = 320 * (640 / 64 + 4) * cost.SECONDS_PER_WORD
    line = (f"warning: system 's', document 'd': scoring it against its longest reference will take about "
            f"{seconds:,.0f} s (ROUGE-L on 320 and 640 characters)")
    assert result.stderr.splitlines()[0] == line
    assert said  # and it was scored after


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_memory_error_anywhere_is_exit_2_with_one_line(cli_run, tmp_path, monkeypatch, jobs):
    # With --jobs 2 the MemoryError happens in a forked worker (it inherits the patch) and comes
    # back through the pool: a variant the issue does not name.
    from harness.run import processors

    def exhausted(**_kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(processors, "pair_counts", exhausted)
    for doc in ("a", "b", "c"):
        (tmp_path / "references" / doc).mkdir(parents=True)
        (tmp_path / "references" / doc / "r.txt").write_text("今天天气很好", encoding="utf-8")
    (tmp_path / "candidates" / "s").mkdir(parents=True)
    for doc in ("a", "b", "c"):
        (tmp_path / "candidates" / "s" / f"{doc}.txt").write_text("今天很好", encoding="utf-8")
    result = cli_run("score", "--no-config", "--no-cache", "--jobs", jobs, "--unit", "char")
    assert result.exit_code == 2
    assert result.stderr == "Error: out of memory (see docs/performance.md: long texts); nothing written\n"


def test_a_baselines_row_over_the_limit_is_refused_before_it_is_analysed(monkeypatch):
    # The --baselines rows skipped the limit every reference and candidate gets: a lead-2 of
    # 600,012 characters was scored. By hand, with the limit lowered to 20: the source is two
    # sentences of 10 characters (9 Han characters and 。), 20 in all, so within the limit itself;
    # lead-1 is 10 characters; lead-2 is its sentences one per line, 10 + 1 + 10 = 21: over it. So a
    # bound on the sources would not do: the rows are checked as they are made.
    monkeypatch.setattr(cost, "MAX_SCORED_CHARS", 20)
    source = "好" * 9 + "。" + "坏" * 9 + "。"
    corpus = harness.Corpus.from_texts({"d": ["好好好"]}, {"s": {"d": "好好"}}, sources={"d": source})
    analysed: list[str] = []
    original = TextProcessor.analyze
    monkeypatch.setattr(TextProcessor, "analyze", lambda self, text, **kw: analysed.append(text) or original(self, text, **kw))
    settings = harness.Settings(unit="char", metrics="rouge1")
    with pytest.raises(harness.InputError) as info:
        harness.evaluate(corpus, settings, baselines="lead-1,lead-2", cache=None)
    assert str(info.value) == ("too long to score (at most 20 characters a text): system 'lead-2 (source)', "
                               "document 'd' (21), a --baselines row made from its source")
    assert "好" * 9 + "。\n" + "坏" * 9 + "。" not in analysed  # refused before it was analysed
    ev = harness.evaluate(corpus, settings, baselines="lead-1")
    assert sorted(s.name for s in ev.systems) == ["lead-1 (source)", "s"]  # lead-1, 10 characters: scored
