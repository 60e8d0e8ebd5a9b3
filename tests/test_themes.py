"""Theme coverage: parsing theme files, the matching rule, and the shipped corpus's pattern."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.analyses.themes import Coverage, coverage, unit_tokens
from harness.errors import InputError
from harness.inputs.themes import Theme, Unit, parse
from harness.rouge.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "themes" / "ai-open-source.txt"


def _cover(themes_text: str, candidate: str, unit: str = "word") -> dict[str, Coverage]:
    processor = Settings(unit=unit).processor()
    themes = parse(themes_text, "t.txt")
    return coverage(themes, unit_tokens(themes, processor.sentences), processor.sentences(candidate))


# ---------------------------------------------------------------- parsing


def test_parse_sections_units_wordings_and_lines():
    text = "# comment\n\n[甲]\n护城河\n52k数据 | 5.2万条数据\n[乙 丙]\n  佣金|抽佣  \n"
    assert parse(text, "t.txt") == [
        Theme("甲", (Unit(("护城河",), 4), Unit(("52k数据", "5.2万条数据"), 5))),
        Theme("乙 丙", (Unit(("佣金", "抽佣"), 7),)),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("护城河\n[甲]\n佣金\n", "t.txt:1: unit '护城河' before any [theme] header"),
        ("[甲]\n[乙]\n佣金\n", "t.txt:1: theme '甲' has no units"),
        ("[甲]\n佣金\n[乙]\n", "t.txt:3: theme '乙' has no units"),
        ("[甲]\n佣金||抽佣\n", "t.txt:2: empty wording in '佣金||抽佣'"),
        ("[甲]\n|佣金\n", "t.txt:2: empty wording in '|佣金'"),
        ("[甲]\n佣金\n[乙]\n抽佣 | 佣金\n", "t.txt:4: duplicate unit: wording '佣金' is already on line 2"),
        # NFKC folds the full-width form onto the one already listed: the same unit twice.
        ("[甲]\n52k数据\n５２Ｋ数据\n", "t.txt:3: duplicate unit: wording '５２Ｋ数据' is already on line 2"),
        ("[甲]\n佣金\n[甲]\n抽佣\n", "t.txt:3: theme '甲' is listed twice"),
        ("[甲\n佣金\n", "t.txt:1: a theme header is '[name]', got '[甲'"),
        ("[]\n佣金\n", "t.txt:1: bad theme name ''"),
        ("[a=b]\n佣金\n", "t.txt:1: bad theme name 'a=b'"),
        ("[甲]\n，。\n", "t.txt:2: wording '，。' has nothing to match"),
        ("[甲]\n佣金。抽佣\n", "t.txt:2: wording '佣金。抽佣' spans a sentence break"),
        ("# only a comment\n", "t.txt: no themes"),
    ],
)
def test_parse_errors_name_the_file_and_line(text, message):
    with pytest.raises(InputError) as info:
        parse(text, "t.txt")
    assert str(info.value).startswith(message)


def test_folder_errors_name_the_file_unknown_document_and_bad_file(tmp_path):
    from harness.inputs.load import load_corpus

    (tmp_path / "references" / "d").mkdir(parents=True)
    (tmp_path / "references" / "d" / "r.txt").write_text("猫吃鱼", encoding="utf-8")
    (tmp_path / "candidates" / "s").mkdir(parents=True)
    (tmp_path / "candidates" / "s" / "d.txt").write_text("猫吃鱼", encoding="utf-8")
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "d.txt").write_text("[甲]\n", encoding="utf-8")
    (tmp_path / "themes" / "other.txt").write_text("[甲]\n猫\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_corpus(tmp_path / "references", tmp_path / "candidates", themes=tmp_path / "themes")
    message = str(info.value)
    assert message.startswith("2 problems:\n  ")
    assert f"{tmp_path / 'themes' / 'd.txt'}:1: theme '甲' has no units" in message
    assert f"{tmp_path / 'themes' / 'other.txt'}: themes for unknown document 'other'" in message


# ---------------------------------------------------------------- matching


@pytest.mark.parametrize("unit", ["word", "char"])
def test_full_width_and_case_match_after_normalisation(unit):
    # NFKC + lower-case: ５２Ｋ数据 is normalised to 52k数据, tokens [用, 了, 52k, 数据] (word) or
    # [用, 了, 52k, 数, 据] (char); the unit's tokens [52k, 数据] / [52k, 数, 据] occur contiguously.
    got = _cover("[甲]\n52k数据\n", "用了５２Ｋ数据。", unit)
    assert got == {"甲": Coverage(("52k数据",), ())}
    assert got["甲"].share == 1.0


@pytest.mark.parametrize("unit", ["word", "char"])
def test_order_and_sentence_breaks_matter(unit):
    # 数据，52k has both tokens in the wrong order; 52k。数据 has them in two sentences.
    assert _cover("[甲]\n52k数据\n", "数据，52k", unit)["甲"].missed == ("52k数据",)
    assert _cover("[甲]\n52k数据\n", "52k。数据", unit)["甲"].missed == ("52k数据",)


def test_any_wording_covers_the_unit_reported_by_its_first():
    # The candidate states only the second wording (抽佣); the unit is named by 佣金.
    got = _cover("[甲]\n佣金 | 抽佣\n护城河\n定制设备\n", "谷歌从应用中抽佣。")
    assert got == {"甲": Coverage(("佣金",), ("护城河", "定制设备"))}
    assert got["甲"].share == pytest.approx(1 / 3, abs=1e-15)  # 1 of 3 units


def test_jieba_word_boundary_hides_a_wording_inside_a_longer_word():
    # jieba cuts 缺少盈利模式 as [缺少, 盈利模式]: the word 盈利 is not a token, so with words it is
    # missed; with characters [盈, 利] occur in [缺, 少, 盈, 利, 模, 式]. The shipped file lists
    # 盈利模式 as an alternative wording for this reason.
    assert _cover("[甲]\n盈利\n", "缺少盈利模式", "word")["甲"].missed == ("盈利",)
    assert _cover("[甲]\n盈利\n", "缺少盈利模式", "char")["甲"].covered == ("盈利",)
    assert _cover("[甲]\n盈利 | 盈利模式\n", "缺少盈利模式", "word")["甲"].covered == ("盈利",)


def test_a_paraphrase_in_other_words_is_missed():
    # 没有护城河 is stated as 缺乏壁垒: no token of the unit occurs, so it is missed (ROUGE's job).
    assert _cover("[甲]\n护城河\n", "谷歌缺乏壁垒。")["甲"].missed == ("护城河",)


# ---------------------------------------------------------------- the shipped file


def test_every_shipped_unit_is_taken_from_the_article_and_found_in_it():
    # Taken from the article: each unit's first wording is a literal substring of it (plain `in`,
    # no tokenizer). Found by the rule: the harness covers every unit in the article itself, so
    # no first wording is hidden by a jieba word boundary in the article's own context.
    article = (ROOT / "sources" / "ai-open-source.txt").read_text(encoding="utf-8")
    themes = parse(SHIPPED.read_text(encoding="utf-8"), str(SHIPPED))
    assert [t.name for t in themes] == ["开源威胁", "大厂困境", "Android 式商业化"]
    assert [len(t.units) for t in themes] == [9, 8, 10]
    assert [u.name for t in themes for u in t.units if u.name not in article] == []
    for unit in ("word", "char"):
        processor = Settings(unit=unit).processor()
        got = coverage(themes, unit_tokens(themes, processor.sentences), processor.sentences(article))
        assert {name: cov.missed for name, cov in got.items()} == {t.name: () for t in themes}
