"""Names: tagger names, Latin names, the names list and the false-name filter, on texts written here."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from harness.analyses.facts import pos_model
from harness.analyses.facts.names import NAME_MARGIN, UNKNOWN_MARGIN, extract_names, latin_at_edges
from harness.analyses.facts.names_list import parse_names, read_names
from harness.analyses.facts.pos_model import NAME_TAGS, name_margin, name_margin_at_least, pos_table
from harness.errors import InputError


def texts(text: str, **kwargs: object) -> list[str]:
    return [name.text for name in extract_names(text, **kwargs)]  # type: ignore[arg-type]


def test_tagged_chinese_names_are_found_and_pieces_merged() -> None:
    # jieba.posseg tags 张伟, 李娜 nr and 北京 ns; 蔡崇信 comes out as 蔡 (nr) + 崇信 (nrt): merged.
    assert texts("张伟和李娜去了北京") == ["张伟", "李娜", "北京"]
    assert texts("蔡崇信是阿里巴巴的创始人") == ["蔡崇信", "阿里巴巴"]
    # Two pieces that are names on their own stay two names.
    assert texts("欧洲议会英国成员") == ["欧洲议会", "英国"]
    # A joiner between two pieces keeps them one name (jieba cuts 比尔 / · / 盖茨).
    assert texts("比尔·盖茨说") == ["比尔·盖茨"]


def test_false_tagger_names_are_filtered_on_text_that_is_not_the_article() -> None:
    # 高达 ("as high as") is nr in jieba's dictionary, but jieba's POS model scores it only e^0.6
    # more likely a name than an adjective: under the e^3 margin, so it is dropped.
    assert texts("这台机器的售价高达300元") == []
    assert texts("他在智慧城市大会上发言,明星们都来了") == ["智慧城市"]  # 智慧 and 明星 alone are dropped
    assert texts("我们需要修正这个错误,多谢") == []
    assert name_margin("高达") < 3 < name_margin("英国")


def test_latin_names_in_chinese_text() -> None:
    text = "Michael Moro表示,OpenAI和GPT-3.5以及Alpaca7B都在GooglePlay上"
    assert texts(text) == ["Michael Moro", "OpenAI", "GPT-3.5", "Alpaca7B", "GooglePlay"]


def test_unit_letters_and_one_letter_words_are_not_names() -> None:
    # The k of 52k and the B of 7B never start a Latin word (a digit touches them); billion and
    # USD are unit words; the N of 1+N is one letter.
    assert texts("用了52k数据和7B参数,共3 billion,100 USD,模式1+N") == []


def test_latin_names_in_english_prose_need_a_capital_and_skip_sentence_openers() -> None:
    text = "After Meta's LLaMA leaked, cheap models followed. Big labs are stuck. Peter Brandt said so."
    # After (a function word) and Big (a lone capitalised opener) are grammar, not names.
    assert texts(text) == ["Meta", "LLaMA", "Peter Brandt"]


def test_names_list_with_aliases_and_priority() -> None:
    names = parse_names("谷歌=Google\n百度\n英伟达 # chips\n", "names.txt")
    assert names.entries == (("谷歌", "Google"), ("百度",), ("英伟达",))
    found = extract_names("百度和英伟达,还有Google与谷歌", names=names)
    assert [(n.text, n.origin) for n in found] == [("百度", "list"), ("英伟达", "list"), ("Google", "list"), ("谷歌", "list")]
    assert found[2].forms == ("谷歌", "Google")
    # A listed Latin name only at word edges: Google is not in GooglePlay.
    assert [n.text for n in extract_names("GooglePlay商店", names=names)] == ["GooglePlay"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("谷歌=\n", "names.txt:1: empty name"),
        ("ok\n=Google\n", "names.txt:2: empty name"),
        ("a" * 65 + "\n", "names.txt:1: a name longer than 64"),
        ("ok\n\nbad\x07name\n", "names.txt:3: a name with a control character"),
        # A name with no letter or digit: `，=Google` made every comma an alias of Google.
        ("，=Google\n", "names.txt:1: a name with no letter or digit in '，=Google'"),
        ("谷歌=...\n", "names.txt:1: a name with no letter or digit"),
    ],
)
def test_bad_names_lines_name_the_file_and_line(content: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_names(content, "names.txt")


def test_comments_and_blank_lines_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_text("# my names\n\n  Meta = 脸书  \n", encoding="utf-8")
    assert read_names(str(path)).entries == (("Meta", "脸书"),)
    # A comment starts a line or follows a space: `C#` is a name (it was cut to `C`).
    path.write_text("C#=Csharp # the language\nF# #\n", encoding="utf-8")
    assert read_names(str(path)).entries == (("C#", "Csharp"), ("F#",))
    with pytest.raises(InputError, match="cannot read the names file"):
        read_names(str(tmp_path / "missing.txt"))


def test_latin_edges() -> None:
    assert latin_at_edges("谷歌Google商店", "Google") == 2  # a Han character is an edge
    assert latin_at_edges("GooglePlay", "Google") == -1
    assert latin_at_edges("Alpaca7B", "Alpaca") == -1  # decided: a versioned name is compared whole
    assert latin_at_edges("LLaMA-2", "LLaMA") == 0  # a hyphen is an edge
    assert latin_at_edges("GooglePlay and Google", "Google") == 15


def test_bad_inputs_give_no_exception() -> None:
    skipped: list[str] = []
    assert extract_names("A" * 10_000 + "是一个名字", skipped=skipped) == []
    assert skipped == ["name at 0 skipped: 10000 characters (over 64)"]
    # The bound itself: a name of 64 characters is kept, one of 65 left out (bounds.MAX_NAME_CHARS).
    assert [len(n.text) for n in extract_names("公司" + "A" * 64 + "发布了")] == [64]
    skipped.clear()
    assert extract_names("公司" + "A" * 65 + "发布了", skipped=skipped) == []
    assert skipped == ["name at 2 skipped: 65 characters (over 64)"]
    assert texts("") == []
    assert texts("∞ NaN 美元") == ["NaN"]  # NaN is a Latin word like any other (unsupported if invented)
    assert texts("Ελληνικά и русский 混合 scripts") == []


def test_extraction_is_deterministic_and_linear() -> None:
    # About 200 KB of UTF-8: each repeat holds exactly the names 张伟, OpenAI and Kay Swinburne.
    unit = "张伟说OpenAI的模型很好,Kay Swinburne同意了。"
    repeats = 200_000 // len(unit.encode())
    found = extract_names(unit * repeats)
    assert len(found) == 3 * repeats
    assert found[:3] == extract_names(unit) == extract_names(unit)  # same names, same spans, every time


def test_the_us_of_us_dollars_is_a_currency_not_a_name() -> None:
    # US$ is a currency sign (figures.py reads it before a number as USD); its US is no name wherever
    # it stands, as USD is none. A US not followed by $ stays a name: counted by hand, 预0 算1 是2 U3
    # S4 $5 7 0 ,8 由9, so the second US starts at 10. US $70 with a space is no currency for the
    # figures ($70 is), and its US a name.
    assert [(n.text, n.start) for n in extract_names("预算是US$70,由US政府支付")] == [("US", 10)]
    assert texts("预算是us$70") == []
    assert texts("以US$计价的债券") == []
    assert texts("HK$600和AUS$70") == []  # other dollars' letters too
    assert texts("花了US $70") == ["US"]


def _margin_tag_by_tag(word: str) -> float:
    """name_margin as jieba's part-of-speech HMM scores a word, one tag at a time: for each of its
    64 tags the log probability of the states S (one character) or B, M..., E, its start's and
    first emission's sum, then per next character the transition's and emission's sum added, -1e9
    for what the tables lack; the best name tag's score less the best other tag's. Written here
    from jieba/posseg's tables, apart from the module's rows over all tags at once."""
    start, trans, emit = pos_table("prob_start"), pos_table("prob_trans"), pos_table("prob_emit")

    def score(tag: str) -> float:
        states = [("S", tag)] if len(word) == 1 else [("B", tag)] + [("M", tag)] * (len(word) - 2) + [("E", tag)]
        total = start.get(states[0], -1e9) + emit.get(states[0], {}).get(word[0], -1e9)
        for previous, state, ch in zip(states, states[1:], word[1:], strict=False):
            total += trans.get(previous, {}).get(state, -1e9) + emit.get(state, {}).get(ch, -1e9)
        return total

    tags = {tag for _, tag in start}
    return max(score(t) for t in tags & NAME_TAGS) - max(score(t) for t in tags - NAME_TAGS)


def _emitted() -> list[str]:
    """Every character jieba's part-of-speech model emits in some state."""
    return sorted({ch for row in pos_table("prob_emit").values() for ch in row})


def test_name_margin_scores_every_tag_as_one_tag_at_a_time_does() -> None:
    # The module scores all tags in one pass (rows of 64 floats); the same sums, in the same order,
    # as the tag-by-tag walk above: equal to the bit, on words of one to eight characters drawn
    # from the model's own characters, characters it lacks, Latin and digits.
    emitted = _emitted()
    rng = random.Random(15)
    words = ["高达", "英国", "谷歌", "英伟达", "蔡崇信", "谷", "a", "Ab", "１２", "\U0001f600"]
    words += ["".join(rng.choice(emitted) for _ in range(n)) for n in range(1, 9) for _ in range(150)]
    words += ["".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(1, 5))) for _ in range(300)]
    for word in words:
        assert name_margin.__wrapped__(word) == _margin_tag_by_tag(word), word
    # Known values, as docs/facts.md and names.py give them: 谷歌 just above 0, 英伟达 about 7.
    assert 0 < name_margin("谷歌") < 1 and 6.5 < name_margin("英伟达") < 7.5


def test_name_margin_is_the_same_when_its_kept_rows_are_emptied(monkeypatch: pytest.MonkeyPatch) -> None:
    # The rows kept per character are emptied when a kind holds _ROWS_KEPT of them; with room for
    # three, nearly every word empties some, and the margins are still the tag-by-tag walk's.
    model = pos_model._model()
    monkeypatch.setattr(pos_model, "_ROWS_KEPT", 3)
    for kept in (*model.firsts.values(), *model.steps.values()):
        kept.clear()
    rng = random.Random(16)
    emitted = _emitted()
    for word in ["".join(rng.choice(emitted) for _ in range(n)) for n in range(1, 6) for _ in range(60)]:
        assert name_margin.__wrapped__(word) == _margin_tag_by_tag(word), word
        assert all(len(kept) <= 3 for kept in (*model.firsts.values(), *model.steps.values()))


def test_name_margin_at_least_decides_as_the_whole_margin_does(monkeypatch: pytest.MonkeyPatch) -> None:
    # name_margin_at_least scores the name tags and two others first and refuses a word whose margin
    # against those is below the bound; it must answer exactly `name_margin(word) >= bound` (the tag-by-
    # tag walk above computes name_margin independently), on the bounds the rules use, on bounds at a
    # word's own margin (the edge: at least, not above) and just past it, and with its kept rows
    # emptied nearly every word (room for three rows a kind).
    rng = random.Random(17)
    emitted = _emitted()
    words = ["高达", "英国", "谷歌", "英伟达", "蔡崇信", "谷", "a", "１２", "\U0001f600"]
    words += ["".join(rng.choice(emitted) for _ in range(n)) for n in range(1, 7) for _ in range(150)]
    for rows in (None, 3):
        if rows is not None:
            monkeypatch.setattr(pos_model, "_ROWS_KEPT", rows)
        for word in words:
            margin = _margin_tag_by_tag(word)
            for bound in (UNKNOWN_MARGIN, NAME_MARGIN, margin, margin + 1e-9, margin - 1e-9, -5.0, 12.0):
                assert name_margin_at_least(word, bound) == (margin >= bound), (word, bound)
    # Both sides of the rules' bound occur among the words, and most refusals are made from the few tags:
    # the whole margin is worked out (counted here) only for the words the few tags do not refuse.
    whole = []
    monkeypatch.setattr(pos_model, "name_margin", lambda word: whole.append(word) or _margin_tag_by_tag(word))
    refused = [word for word in words if not name_margin_at_least(word, UNKNOWN_MARGIN)]
    assert 0 < len(refused) < len(words)
    accepted = len(words) - len(refused)  # each of these is scored whole
    assert len(whole) - accepted < len(refused) // 2  # here 67 of 654 refusals (909 words)
