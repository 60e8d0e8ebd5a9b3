"""Facts rules v3 read a text piece by piece (cut after 。！？): the figures must be exactly those of
the whole text read at once (the oracle: figures.extract_figures on the whole text), and names are
located in the sentence jieba found them in."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.analyses.facts.extraction import _PIECE, _cut, decode, encode, extract, piece_keys, pieces
from harness.analyses.facts.figures import extract_figures
from harness.analyses.facts.names import extract_names, latin_and_han

ROOT = Path(__file__).resolve().parents[1]

# Texts written for this test: figures at the start of a sentence (a list marker there too, v6; no line
# start), approximate words, currencies and ordinals right before a mark, ranges and score pairs
# that end a sentence, marks in runs and quotes after marks.
WRITTEN = [
    "约5亿美元。1. 第一点：收入3.2亿元！2、成本600美元？01 标题",
    "营收超过2800万美元。。90比89！70~650亿？“3成”。第3名。",
    "首先。1.5亿用户。US$30。约。5亿。超过！3成。近？20%。",
    "2022年6月18日。2022/6/18。5000到1万。7B-65B。百分之五十。五亿四千万元。",
    "OpenAI的GPT-3.5。Alpaca7B只花了600美元！52k条指令。LLaMA 13B？",
    "。。。5亿",
    "",
    "没有数字的句子。也没有。",
]


def _figures_whole(text: str) -> tuple:
    return tuple(extract_figures(text))


@pytest.mark.parametrize("text", WRITTEN)
def test_pieces_give_the_figures_of_the_whole_text(text):
    assert extract(text, find=False).figures == _figures_whole(text)


def test_pieces_cover_the_text_and_end_after_marks():
    # By hand: cut after each run of 。！？, the rest is the last piece.
    assert pieces("甲。乙！！丙？丁") == [(0, "甲。"), (2, "乙！！"), (5, "丙？"), (7, "丁")]
    assert pieces("") == [(0, "")]
    assert pieces("甲。") == [(0, "甲。")]
    text = WRITTEN[0]
    assert "".join(piece for _, piece in pieces(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="甲a。！？ \n", max_size=14))
def test_a_text_is_cut_as_the_pattern_of_its_pieces_cuts_it(text):
    # Held to the other implementation: the pattern (text up to a run of 。！？, or the rest) that
    # cuts every text with ！ or ？ and cut all of them before the split on 。 alone.
    assert _cut(text) == (_PIECE.findall(text) or [text])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZ甲\u3400\u4dbf\u4dc0\u9fff\ua000\uf900\ufaff\ufb00。1 \U00020000", max_size=16))
def test_letters_and_han_characters_are_counted_as_one_by_one(text):
    # Held to a count character by character: ASCII letters, and Han characters in the three ranges
    # the names rules read (U+4DC0, U+A000, U+FB00 and U+20000 lie outside them).
    han = sum("\u3400" <= c <= "\u4dbf" or "\u4e00" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)
    assert latin_and_han(text) == (sum(c.isascii() and c.isalpha() for c in text), han)


def test_prose_is_decided_on_the_whole_text_from_its_pieces_counts():
    # Counted by hand: prose when ASCII letters (full-width ones too) outnumber Han characters three
    # to one over the whole text, whichever piece holds them; every key of a text says the same.
    def prose(text):
        found = {key[2] for _, key in piece_keys(text, None)}
        assert len(found) == 1
        return found.pop()

    assert prose("Orion用了3000万元。") is False  # 5 letters, 4 Han: 5 <= 12
    assert prose("Apple bought Beats。For three billion！他说") is True  # 31 letters, 2 Han: 31 > 6
    assert prose("Apple。他说了一些话。") is False  # 5 letters, 6 Han: the second piece decides for the first
    assert prose("ＯｐｅｎＡＩ和Ｇｏｏｇｌｅ。") is True  # 12 full-width letters, 1 Han
    assert prose("abc。def。") is True and prose("甲。乙。") is False and prose("") is False
    assert prose("abcdefghi。甲乙丙") is False  # 9 letters, 3 Han: not more than three to one
    assert prose("abcdefghij。甲乙丙") is True  # 10 letters, 3 Han
    # the same piece in another text is counted there again (its counts are remembered, not its verdict)
    assert prose("Apple bought Beats。") is True and prose("Apple bought Beats。甲乙丙丁戊己") is False
    # no names read (a source's figures only): never prose
    assert {key[2] for _, key in piece_keys("Apple bought Beats。", None, find=False)} == {False}


def test_the_shipped_texts_give_the_figures_of_the_whole_text():
    texts = [p.read_text(encoding="utf-8") for folder in ("candidates", "references", "sources")
             for p in sorted((ROOT / folder).rglob("*.txt"))]
    assert len(texts) >= 10
    for text in texts:
        assert extract(text, find=False).figures == _figures_whole(text)


_BITS = st.sampled_from([
    "约", "超过", "近", "最近", "第", "US$", "$", "5", "5.4", "1.", "01", "2,800", "亿", "万", "美元", "元", "%", "成",
    "年", "6月18日", "比", "对", ":", "到", "~", "-", " ", "\n", "。", "！", "？", "、", "多", "左右", "k", "B", "GPT-3.5",
    "百分之", "五", "十", "两千", "个", "参数", "谷歌", "和", "”", "“",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_BITS, max_size=40).map("".join))
def test_any_text_gives_the_figures_of_the_whole_text(text):
    assert extract(text, find=False).figures == _figures_whole(text)


def test_a_name_is_located_where_jieba_found_it():
    # jieba cuts the first sentence 而谷歌 / 这样 / ... (no 谷歌 word there) and the second 谷歌 / 和 /
    # OpenAI (checked with plain_jieba().cut). Read as one text, 谷歌 was looked for from the text's
    # start and located inside 而谷歌 (offset 1); read by sentence it is where jieba found it (17).
    text = "而谷歌这样的大厂，要想训练大模型。谷歌和OpenAI都没有护城河。"
    assert [(n.text, n.start) for n in extract_names(text)] == [("谷歌", 1), ("OpenAI", 20)]
    assert [(n.text, n.start) for n in extract(text).names] == [("谷歌", 17), ("OpenAI", 20)]


def test_a_memo_shared_by_texts_gives_what_each_text_gives_alone():
    memo: dict = {}
    texts = ["收入5亿美元。谷歌很大。", "谷歌很大。收入5亿美元。", "收入5亿美元。", "。收入5亿美元。"]
    for text in texts:
        assert extract(text, memo=memo) == extract(text)
    # Each distinct (mark before, piece) is read once: 收入5亿美元。 after nothing, after 。 ; 谷歌很大。
    # after 。 and after nothing; the lone 。 piece.
    assert len(memo) == 5


def test_too_long_names_are_skipped_at_their_place_in_the_whole_text():
    long_name = "A" * 70
    text = f"第一句。然后{long_name}出现了。"
    found = extract(text)
    assert found.skipped == ("name at 6 skipped: 70 characters (over 64)",)
    assert decode(text, encode(found)) == found


def test_a_listed_name_with_a_sentence_mark_is_read_in_one_piece():
    from harness.analyses.facts.names_list import parse_names

    # The names list holds 哇!牛奶 (NFKC of 哇！牛奶): the text is then not cut after its ！, and the
    # name is found whole, as extract_names (which reads the whole text) finds it.
    names = parse_names("哇!牛奶\nYahoo!Japan\n", "names.txt")
    text = "他们推出了哇！牛奶这个品牌。Yahoo！Japan也是。"
    assert [(n.text, n.start) for n in extract(text, names=names).names] == [
        (n.text, n.start) for n in extract_names(text, names=names)]
    assert [n.text for n in extract(text, names=names).names if n.origin == "list"] == ["哇！牛奶", "Yahoo！Japan"]
