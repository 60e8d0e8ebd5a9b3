"""Source statistics (harness.analyses.source_stats): hand-computed on tiny token lists, and one shipped
candidate checked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.analyses.source_stats import (
    DENSITY_WARN,
    Fragment,
    compression,
    copying_warnings,
    coverage,
    density,
    fragments,
    novel_share,
    source_stats,
)
from harness.rouge.settings import Settings
from harness.text.normalize import normalize

REPO = Path(__file__).resolve().parents[1]
DOC = "ai-open-source"

# Source 我 爱 北京 天安门 上 太阳 升; summary 北京 天安门 上 红旗 我 爱.
SOURCE = ["我", "爱", "北京", "天安门", "上", "太阳", "升"]
SUMMARY = ["北京", "天安门", "上", "红旗", "我", "爱"]


def test_fragments_by_hand():
    # From 北京 the article scan finds 北京 天安门 上 (source 2-4, length 3) and nothing longer;
    # 红旗 matches nothing (one step on); from 我 it finds 我 爱 (source 0, length 2).
    found = fragments(SUMMARY, SOURCE)
    assert found == [Fragment(0, 2, 3), Fragment(4, 0, 2)]
    assert coverage(SUMMARY, found) == 5 / 6  # (3 + 2) / 6
    assert density(SUMMARY, found) == 13 / 6  # (9 + 4) / 6


def test_novel_shares_and_compression_by_hand():
    # Unigrams: only 红旗 is new, 1 of 6. Bigrams 北京天安门 天安门上 上红旗 红旗我 我爱: the source
    # has 我爱 北京天安门 天安门上, so 上红旗 and 红旗我 are new, 2 of 5.
    assert novel_share(SUMMARY, SOURCE, 1) == 1 / 6
    assert novel_share(SUMMARY, SOURCE, 2) == 2 / 5
    assert compression(SUMMARY, SOURCE) == 7 / 6
    stats = source_stats(SUMMARY, SOURCE, "北京天安门上 红旗\n我爱")
    assert (stats.tokens, stats.chars) == (6, 10)  # 10 characters once the space and newline go


def test_the_longest_fragment_wins_and_the_first_of_equals():
    # a b c: the scan meets a b (length 2) at 0, then a b c (length 3) at 3: the longer wins.
    assert fragments(["a", "b", "c"], ["a", "b", "x", "a", "b", "c"]) == [Fragment(0, 3, 3)]
    # a b occurs twice in the source: the first occurrence is kept.
    assert fragments(["a", "b"], ["a", "b", "x", "a", "b"]) == [Fragment(0, 0, 2)]


def test_the_scan_jumps_past_a_match_as_the_paper_does():
    # Summary a a b in source a a a b. The scan matches a a at 0 (length 2) and resumes at 2,
    # so the a a b starting at 1 is never tried (Algorithm 1: j <- j'); then b alone at 3.
    found = fragments(["a", "a", "b"], ["a", "a", "a", "b"])
    assert found == [Fragment(0, 0, 2), Fragment(2, 3, 1)]
    assert density(["a", "a", "b"], found) == 5 / 3


def test_empty_and_disjoint_summaries():
    assert fragments([], SOURCE) == []
    stats = source_stats([], SOURCE, "")
    assert (stats.compression, stats.coverage, stats.density, stats.novel_unigrams) == (None, 0.0, 0.0, 0.0)
    stats = source_stats(["x", "y"], SOURCE, "x y")
    assert (stats.coverage, stats.density, stats.novel_unigrams, stats.novel_bigrams) == (0.0, 0.0, 1.0, 1.0)
    assert novel_share(["x"], SOURCE, 2) == 0.0  # no bigram at all


def test_copying_warnings():
    long_copy = source_stats(SOURCE * 3, SOURCE, "")  # 21 tokens from a 7-token source
    notes = copying_warnings(long_copy, len(SOURCE))
    assert notes[0] == "it is longer than its source (21 tokens against 7)"
    # SOURCE three times: the scan takes all 7 tokens three times (density 3 * 49 / 21 = 7).
    assert long_copy.density == 7.0 and len(notes) == 1
    verbatim = [f"w{i}" for i in range(12)]  # one fragment of 12: density 12 > 10
    notes = copying_warnings(source_stats(verbatim, [*verbatim, "z"], ""), 13)
    assert notes == [f"extractive fragment density 12.0 is above {DENSITY_WARN:g} (long runs copied from the source)"]
    assert copying_warnings(source_stats(SUMMARY, SOURCE, ""), len(SOURCE)) == []


@pytest.fixture(scope="module")
def shipped():
    processor = Settings().processor()
    source = (REPO / "sources" / f"{DOC}.txt").read_text(encoding="utf-8")
    return processor, processor.analyze(source).tokens, normalize(source)


def test_one_sentence_candidate_by_hand(shipped):
    # candidates/一句话摘要: its 25 word tokens, written out and checked by eye against the text.
    processor, source, text = shipped
    raw = (REPO / "candidates" / "一句话摘要" / f"{DOC}.txt").read_text(encoding="utf-8")
    tokens = processor.analyze(raw).tokens
    assert tokens == (
        "谷歌", "泄露", "文件", "称", "大厂", "没有", "护城河", "低成本", "开源", "模型", "正", "快速", "追赶",
        "大厂", "可", "借鉴", "android", "模式", "在", "开源", "中", "寻找", "盈利", "之", "路",
    )
    stats = source_stats(tokens, source, raw)
    assert stats.tokens == 25
    assert stats.chars == 53  # docs/shipped-data.md's table, counted there with re.sub(r"\s", "", text)
    # Novel words: 追赶, 借鉴, 寻找 are nowhere in the article (a substring search finds none), and
    # 路 only inside longer words: 4 of 25.
    assert [w for w in ("追赶", "借鉴", "寻找") if w in text] == []
    assert stats.novel_unigrams == 4 / 25
    # Of its 24 bigrams the article has three (没有护城河, 开源模型, 在开源): 21 new.
    assert stats.novel_bigrams == 21 / 24
    # Fragments: those three pairs (length 2) and the 15 other shared words alone (length 1):
    # coverage (15 + 6) / 25, density (15 + 3 * 4) / 25.
    assert stats.coverage == 21 / 25
    assert stats.density == 27 / 25
    assert stats.compression == len(source) / 25


def test_shipped_lead3_is_one_fragment(shipped):
    # candidates/lead-3 is article lines 2-4 verbatim (docs/shipped-data.md), contiguous in the
    # article: all its tokens form one fragment, so density equals its length.
    processor, source, _ = shipped
    raw = (REPO / "candidates" / "lead-3" / f"{DOC}.txt").read_text(encoding="utf-8")
    stats = source_stats(processor.analyze(raw).tokens, source, raw)
    assert stats.chars == 186  # docs/shipped-data.md
    assert (stats.coverage, stats.density, stats.novel_unigrams, stats.novel_bigrams) == (1.0, stats.tokens, 0.0, 0.0)
    assert stats.density > DENSITY_WARN


def _paper_scan(summary: list[str], source: list[str]) -> list[tuple[int, int, int]]:
    """Algorithm 1 of Grusky et al. (2018) as the paper writes it: every source position scanned
    for each summary position, the scan resuming after each match; written out here independently."""
    found = []
    i = 0
    while i < len(summary):
        best = None
        j = 0
        while j < len(source):
            if summary[i] != source[j]:
                j += 1
                continue
            end = 1
            while i + end < len(summary) and j + end < len(source) and summary[i + end] == source[j + end]:
                end += 1
            if best is None or end > best[2]:
                best = (i, j, end)
            j += end
        if best is None:
            i += 1
        else:
            found.append(best)
            i += best[2]
    return found


def test_indexed_fragments_equal_the_papers_full_scan():
    # fragments() looks up only the positions holding the summary's token; on small alphabets
    # (many repeats, many overlapping matches) it must find exactly the paper's fragments.
    import random

    from harness.analyses.source_stats import fragments

    rng = random.Random(3)
    for _ in range(3000):
        summary = [rng.choice("abcde") for _ in range(rng.randint(0, 30))]
        source = [rng.choice("abcdef") for _ in range(rng.randint(0, 60))]
        assert [(f.summary, f.source, f.length) for f in fragments(summary, source)] == _paper_scan(summary, source)
