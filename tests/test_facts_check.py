"""Statuses, matching rules, precision and recall, on texts written here and on the shipped corpus."""

from __future__ import annotations

import pickle
from decimal import Decimal
from pathlib import Path

import pytest

import harness
from harness.analyses.facts import (
    check_extracted,
    check_facts,
    extract,
    extract_figures,
    figures_match,
    on_topic,
    parse_names,
)
from harness.errors import InputError

SOURCE = "2021年,北辰公司用了3000万元和两千台机器,收入增长了12.5%。斯坦福团队在6月18日发布了Orion模型。"
OFFTOPIC = "另据报道,Kay Swinburne表示黄金可能下跌两成。"
TEXT = SOURCE + "\n" + OFFTOPIC


def fig(text: str) -> object:
    (figure,) = extract_figures(text)
    return figure


def statuses(summary: str, **kwargs: object) -> dict[str, str]:
    result = check_facts(summary, **{"source": TEXT, "offtopic": OFFTOPIC, **kwargs})  # type: ignore[arg-type]
    return {item.text: item.status for item in result.items}


def test_every_status_on_a_written_example() -> None:
    got = statuses("北辰公司花了3000万元,增长12.5%;Orion由斯坦福发布。Kay Swinburne说黄金会跌两成。Vega模型用了5000万元。")
    assert got == {
        "3000万元": "supported", "12.5%": "supported", "Orion": "supported", "斯坦福": "supported",
        "Kay Swinburne": "offtopic", "两成": "offtopic",  # only in the off-topic paragraph
        "Vega": "unsupported", "5000万元": "unsupported",  # nowhere
    }


def test_items_carry_a_snippet_of_about_30_characters() -> None:
    result = check_facts("增长12.5%", source=TEXT, offtopic=OFFTOPIC)
    (item,) = result.items
    # 12 characters each side of "12.5%" in the source: hand-counted from SOURCE.
    assert item.evidence == "和两千台机器,收入增长了12.5%。斯坦福团队在6月18日"
    assert item.evidence is not None and "12.5%" in item.evidence and len(item.evidence) <= 12 + 5 + 12
    # At the start of the source the snippet starts there too: nothing before, 12 characters after.
    (first,) = check_facts("谷歌", source="谷歌发布了新模型。", offtopic=None).items
    assert first.evidence == "谷歌发布了新模型。"


def test_precision_recall_and_counts() -> None:
    result = check_facts("北辰用了3000万元,Vega用了5000万元", source=SOURCE, offtopic=None,
                         references=["北辰用了3000万元和两千台机器", "斯坦福发布了Orion"])
    # Items: 3000万元 (in the source), Vega and 5000万元 (nowhere); jieba does not tag 北辰 as a
    # name. Precision 1 supported of 3.
    assert [(i.text, i.status) for i in result.items] == [
        ("3000万元", "supported"), ("Vega", "unsupported"), ("5000万元", "unsupported")]
    assert result.precision == pytest.approx(1 / 3)
    assert (result.unsupported, result.offtopic, result.evidence) == (2, 0, "source")
    # Reference items: 3000万元, 两千 (两千台), 斯坦福, Orion = 4; the summary states 3000万元 only.
    assert result.recall == pytest.approx(1 / 4)


def test_references_are_the_evidence_without_a_source() -> None:
    result = check_facts("Orion用了3000万元", source=None, offtopic=None, references=["Orion花了3000万元"])
    assert result.evidence == "references"
    assert [i.status for i in result.items] == ["supported", "supported"]
    bare = check_facts("Orion用了3000万元", source=None, offtopic=None)
    assert bare.evidence == "none" and bare.precision is None and {i.status for i in bare.items} == {"unchecked"}


def test_offtopic_text_needs_evidence_beside_it_as_the_cli_says() -> None:
    # `harness facts --offtopic F` with neither --source nor --reference exits 2 with "--offtopic needs
    # --source or --reference"; harness.facts(text, offtopic=...) took the same input, dropped the
    # off-topic text without a word and gave every item "unchecked". Now it raises InputError.
    for call in (harness.facts, check_facts):
        for noise in ("黄金可能下跌两成", ""):  # an empty file passed as --offtopic is refused too
            with pytest.raises(InputError) as raised:
                call("黄金会跌两成", source=None, offtopic=noise)
            assert str(raised.value) == ("offtopic needs source or references: items are told off-topic "
                                         "beside the evidence")
    # With references as the evidence the off-topic text is used, as `--offtopic F --reference R` uses
    # it. By hand: 3000万元 is in the reference (supported); 两成 only in the off-topic text (offtopic).
    result = harness.facts("Orion用了3000万元,黄金跌两成", offtopic="黄金可能下跌两成", references=["Orion花了3000万元"])
    assert result.evidence == "references"
    assert {i.text: i.status for i in result.items} == {"Orion": "supported", "3000万元": "supported", "两成": "offtopic"}


def test_value_equality_across_notations() -> None:
    assert figures_match(fig("5.4亿"), fig("540,000,000"))  # 5.4×10^8 exactly
    assert figures_match(fig("540 million"), fig("5.4亿"))
    assert figures_match(fig("13B"), fig("130亿"))  # 13×10^9 = 130×10^8
    assert figures_match(fig("五亿四千万"), fig("5.4亿"))
    assert figures_match(fig("5成"), fig("50%"))
    assert figures_match(fig("百分之五十"), fig("50%"))
    assert figures_match(fig("二〇二二年"), fig("2022年"))
    assert not figures_match(fig("52k"), fig("520k"))
    assert not figures_match(fig("5.4亿美元"), fig("54亿美元"))
    assert not figures_match(fig("2800万美元"), fig("28亿美元"))


def test_rounding_the_notation_implies() -> None:
    # 5.4亿 stands for [5.35亿, 5.45亿]: 5.43亿 (written to 0.01亿) lies inside, 5.5亿 does not.
    assert figures_match(fig("5.4亿"), fig("5.43亿"))
    assert not figures_match(fig("5.4亿"), fig("5.5亿"))
    # 52k stands for [51,500, 52,500].
    assert figures_match(fig("52k"), fig("52,300"))
    assert not figures_match(fig("52k"), fig("53,000"))
    # An integer is exact: 600 is [599.5, 600.5].
    assert not figures_match(fig("600"), fig("601"))


def test_approximate_words() -> None:
    # 约 widens to ±10% plus half the step: 约5亿 is [4.5亿 - 0.5亿, 5.5亿 + 0.5亿] = [4亿, 6亿].
    assert figures_match(fig("约5亿"), fig("5.4亿"))
    assert not figures_match(fig("约5亿"), fig("6.5亿"))
    # 超过 / 多: at least the value, at most +50%: 超过600 is [599.5, 900.5].
    assert figures_match(fig("超过600"), fig("650"))
    assert not figures_match(fig("超过600"), fig("550"))
    assert not figures_match(fig("超过600"), fig("1000"))
    # 近 / 不到: at most the value, at least -10%: 近600 is [539.5, 600.5].
    assert figures_match(fig("近600"), fig("580"))
    assert not figures_match(fig("近600"), fig("620"))
    # Without the word there is no widening.
    assert not figures_match(fig("100美元"), fig("105美元"))
    assert figures_match(fig("约100美元"), fig("105美元"))


def test_units_must_not_conflict() -> None:
    assert not figures_match(fig("600美元"), fig("600万美元"))  # values differ by 10^4
    assert figures_match(fig("600"), fig("600美元"))  # no unit does not conflict
    assert not figures_match(fig("600美元"), fig("600元"))  # USD vs CNY
    assert figures_match(fig("$600"), fig("600美元"))
    assert not figures_match(fig("50%"), fig("50个"))
    assert figures_match(fig("2022"), fig("2022年"))  # a bare number may be a year
    assert not figures_match(fig("2022年"), fig("2022美元"))  # but a year is no sum of money of the same value
    assert not figures_match(fig("2022美元"), fig("2022年"))


def test_dates_and_score_pairs() -> None:
    assert figures_match(fig("6月18日"), fig("2022/6/18"))  # the claim leaves the year out
    assert not figures_match(fig("2022年6月18日"[5:]), fig("6月19日"))
    assert figures_match(fig("2022年"), fig("2022/6/18"))
    assert not figures_match(fig("6月18日"), fig("618"))  # a date never equals a bare number
    assert figures_match(fig("90比89"), fig("90对89"))
    assert figures_match(fig("89:90"), fig("90对89"))  # the sides may be named in either order
    assert not figures_match(fig("90比88"), fig("90对89"))
    assert not figures_match(fig("90比89"), fig("90"))


def test_names_substring_edges_and_aliases() -> None:
    src = "斯坦福研究者比较了Alpaca7B,谷歌在GooglePlay上架。"
    got = {i.text: i.status for i in check_facts("斯坦福的Alpaca和Google", source=src, offtopic=None).items}
    # 斯坦福 is a substring of 斯坦福研究者; Alpaca is not at a word edge in Alpaca7B; Google
    # inside GooglePlay is no match and 谷歌 is not Google without the names list.
    assert got == {"斯坦福": "supported", "Alpaca": "unsupported", "Google": "unsupported"}
    names = parse_names("谷歌=Google\n", "names.txt")
    got = {i.text: i.status for i in check_facts("Google", source=src, offtopic=None, names=names).items}
    assert got == {"Google": "supported"}
    # Case and width do not matter after normalisation (NFKC + casefold).
    assert check_facts("ＯＰＥＮＡＩ", source="openai发布", offtopic=None).items[0].status == "supported"


def test_on_topic_drops_the_off_topic_lines() -> None:
    assert on_topic("甲\n乙乙乙\n丙", "乙乙乙") == "甲\n丙"
    assert on_topic("甲。这是一段很长的离题文字。丙", "这是一段很长的离题文字。") == "甲。\n丙"
    assert on_topic("甲", None) == "甲"
    # Inside a line, a piece of 8 characters or more is cut out; a shorter one (a name, a date) may be
    # on-topic too and stays: 比特币涨到6万。 is 8 characters, 比特币。 4.
    assert on_topic("营收3亿元，比特币涨到6万。今天", "比特币涨到6万。") == "营收3亿元，\n今天"
    assert on_topic("营收3亿元，比特币。今天", "比特币。") == "营收3亿元，比特币。今天"


@pytest.mark.parametrize(
    "summary",
    ["", "52k 600 5.4亿 90比89", "9" * 400, "1e308", "∞", "NaN", "到650亿", "美元", "A" * 10_000,
     "Ελληνικά 混合 русский 42", "\x00\x07控制字符"],
)
def test_bad_inputs_give_a_status_or_are_skipped(summary: str) -> None:
    result = check_facts(summary, source="一篇没有数字的文章", offtopic="", references=["参考"])
    assert all(item.status in ("supported", "offtopic", "unsupported") for item in result.items)
    assert result.precision is None or 0 <= result.precision <= 1


def test_bad_inputs_specifics() -> None:
    only_figures = check_facts("52k 600 5.4亿 90比89", source="一篇没有数字的文章", offtopic=None)
    assert [i.status for i in only_figures.items] == ["unsupported"] * 4 and only_figures.precision == 0
    assert check_facts("9" * 400, source="x", offtopic=None).items == ()  # over 10^30: skipped
    long = check_facts("A" * 10_000, source="x", offtopic=None)
    assert long.items == () and long.skipped == ("name at 0 skipped: 10000 characters (over 64)",)
    assert [i.value for i in check_facts("到650亿", source="650亿", offtopic=None).items] == [Decimal(65 * 10**9)]


def test_extracted_is_picklable_and_matching_is_separate() -> None:
    summary = extract("Orion用了3000万元")
    again = pickle.loads(pickle.dumps(summary))
    assert again == summary
    result = check_extracted(again, source=extract(SOURCE), offtopic=None)
    assert [i.status for i in result.items] == ["supported", "supported"]


CORPUS = Path(__file__).resolve().parent.parent
if not (CORPUS / "sources" / "ai-open-source.txt").exists():
    CORPUS = Path("/work/main")


def _corpus(path: str) -> str:
    file = CORPUS / path
    if not file.exists():
        pytest.skip(f"shipped corpus not found at {file}")
    return file.read_text(encoding="utf-8")


def test_the_perturbed_figures_of_the_issue() -> None:
    source, offtopic = _corpus("sources/ai-open-source.txt"), _corpus("offtopic/ai-open-source.txt")
    original = _corpus("candidates/abstractive-strong/ai-open-source.txt")
    perturbed = original
    for old, new in [("52k", "520k"), ("600美元", "6000美元"), ("5.4亿美元", "54亿美元"), ("2800万美元", "28亿美元")]:
        perturbed = perturbed.replace(old, new)
    before = check_facts(original, source=source, offtopic=offtopic)
    after = check_facts(perturbed, source=source, offtopic=offtopic)
    assert [(i.text, i.status) for i in before.figures] == [
        ("52k", "supported"), ("600美元", "supported"), ("2022年", "supported"),
        ("5.4亿美元", "supported"), ("2800万美元", "supported")]
    assert [(i.text, i.status) for i in after.figures] == [
        ("520k", "unsupported"), ("6000美元", "unsupported"), ("2022年", "supported"),
        ("54亿美元", "unsupported"), ("28亿美元", "unsupported")]
    assert before.unsupported == 0 and after.unsupported == 4


def test_crypto_distracted_shows_its_off_topic_names() -> None:
    source, offtopic = _corpus("sources/ai-open-source.txt"), _corpus("offtopic/ai-open-source.txt")
    result = check_facts(_corpus("candidates/crypto-distracted/ai-open-source.txt"), source=source, offtopic=offtopic)
    off = {i.text for i in result.items if i.status == "offtopic"}
    assert {"Genesis", "Peter Brandt", "Kay Swinburne", "James Altucher"} <= off
    assert {i.text for i in result.items if i.status == "supported"} >= {"谷歌"}


def test_figures_past_the_bounds_are_left_out_with_a_reason() -> None:
    # Each reason worked out by hand from bounds.py: 1e-9999 has its last digit at 10^-9999 (past
    # 30 decimal places; it was read as the two figures 1 and 9999); 29 written digits are over 24;
    # 400 nines are 400 characters (over 64), as is a 0. followed by 300 zeros and a 1; 1e40 is over
    # 10^30; 6e29 (29 zeros, one digit) is under 10^30 and read.
    text = "价格为1e-9999，成本为12345678901234567890123456789，收入为" + "9" * 400 + "，利润为1e40，市值为6e29。"
    result = check_facts(text, source="没有数字", offtopic=None)
    assert [i.text for i in result.items] == ["6e29"]
    assert result.skipped == (
        f"figure at {text.index('1e-')} skipped: digits past the 30th decimal place",
        f"figure at {text.index('123')} skipped: 29 significant digits (over 24)",
        f"figure at {text.index('9' * 400)} skipped: 400 characters (over 64)",
        f"figure at {text.index('1e40')} skipped: 10^30 or more",
    )
    # The 30th decimal place itself is read, the 31st is not (bounds.FINEST_STEP).
    assert [i.text for i in check_facts("误差为1e-30。", source="x", offtopic=None).items] == ["1e-30"]
    assert check_facts("误差为1e-31。", source="x", offtopic=None).skipped == (
        "figure at 3 skipped: digits past the 30th decimal place",)
    # 10^30 itself, written with one decimal (so its last digit is at 10^29, in bounds), is left out too.
    assert check_facts("市值为1.0e30美元。", source="x", offtopic=None).skipped == ("figure at 3 skipped: 10^30 or more",)
    tiny = check_facts("0." + "0" * 300 + "1元", source="x", offtopic=None)
    assert tiny.items == () and tiny.skipped == ("figure at 0 skipped: 303 characters (over 64)",)
    # A 2 MB run of digits is left out unread (one reason, no 2-million-digit number made).
    assert check_facts("1" * 2_000_000, source="x", offtopic=None).skipped == (
        "figure at 0 skipped: 2000000 characters (over 64)",)


def test_exponents_past_decimals_reach_and_numeral_runs_are_no_figures() -> None:
    # A reviewer's finds: an exponent of 10^18 or more made Decimal raise InvalidOperation (a
    # traceback from harness facts and score); 百分之1e-9999 was read as 百分之1 and 9999; 65 亿 in a
    # row are no quantity and need no reason line.
    huge = check_facts("增长1E1000000000000000000倍", source="x", offtopic=None)
    assert huge.items == () and huge.skipped == ("figure at 2 skipped: 10^30 or more",)
    tiny = check_facts("误差1e-" + "9" * 61, source="x", offtopic=None)
    assert tiny.items == () and tiny.skipped == ("figure at 2 skipped: digits past the 30th decimal place",)
    percent = check_facts("占百分之1e-9999", source="x", offtopic=None)
    assert percent.items == () and percent.skipped == ("figure at 1 skipped: digits past the 30th decimal place",)
    numerals = check_facts("说" + "亿" * 65 + "了", source="x", offtopic=None)
    assert numerals.items == () and numerals.skipped == ()
    digits = check_facts("占百分之" + "1" * 70, source="x", offtopic=None)
    assert digits.skipped == ("figure at 1 skipped: 73 characters (over 64)",)


def test_values_of_24_digits_compare_exactly() -> None:
    # Two 24-digit values one apart: under Decimal's 28-digit context their intervals (value ± 0.5)
    # are exact, so the neighbour is unsupported and the same value supported. Two 29-digit values
    # one apart rounded to one value before (both read as ...790), and are now left out.
    a, b = "123456789012345678901234", "123456789012345678901235"
    assert [i.status for i in check_facts(f"收入{a}元", source=f"收入{b}元", offtopic=None).items] == ["unsupported"]
    assert [i.status for i in check_facts(f"收入{a}元", source=f"收入{a}元", offtopic=None).items] == ["supported"]
    big = check_facts("收入12345678901234567890123456788元", source="收入12345678901234567890123456789元", offtopic=None)
    assert big.items == () and big.skipped == ("figure at 2 skipped: 29 significant digits (over 24)",)


def test_a_latin_name_touching_chinese_opens_no_english_sentence() -> None:
    # 12 Latin letters against 3 Han characters make the text "mostly Latin", where a capitalised
    # word opening a sentence alone is read as English (`Amazon invested ...`: not a name). Followed
    # by a Han character it is a name in Chinese text, and Amazon was dropped before.
    names = [i.text for i in check_facts("Amazon投资了OpenAI。", source="x", offtopic=None).items]
    assert names == ["Amazon", "OpenAI"]
    english = [i.text for i in check_facts("Amazon invested in OpenAI.", source="x", offtopic=None).items]
    assert english == ["OpenAI"]


def test_a_source_range_with_an_end_left_out_still_supports_its_other_end() -> None:
    # A reviewer's finding: the source says 600美元 word for word (600美元到1e40美元, whose end is over
    # 10^30 and left out, bounds.py), and a summary's 600美元 was unsupported, as the whole range was
    # left out. 600美元 has its own unit and borrows nothing from the end: supported, with the
    # source's words around it. The bare 70 of 70到1e40亿 would borrow the end's 亿: unknown, so a
    # summary's 70家 (家 a measure word, read with the figure) finds no figure 70 in the source.
    found = harness.facts("售价600美元起。", source="售价从600美元到1e40美元不等。")
    assert [(item.text, item.status) for item in found.items] == [("600美元", "supported")]
    found = harness.facts("有70家。", source="从70到1e40亿家。")
    assert [(item.text, item.status) for item in found.items] == [("70家", "unsupported")]


def test_the_us_of_a_us_dollar_figure_is_no_name() -> None:
    # The figures rules read US$5.4亿 as 540,000,000 USD (the currency before it, as 5.4亿美元 is), and
    # the names rules read the same US as a Latin name, which a source saying 5.4亿美元 lacks: a faithful
    # summary had one unsupported item. By hand: the source states the year and the sum, the summary
    # the same in other notations, and its name: all three items are supported.
    found = harness.facts("Orion在2022年花了US$5.4亿。", source="Orion公司2022年花了5.4亿美元。")
    assert [(item.text, item.status) for item in found.items] == [
        ("Orion", "supported"), ("2022年", "supported"), ("US$5.4亿", "supported")]  # in order of place
    # A US not followed by $ is still a name (the source has none: unsupported).
    found = harness.facts("US政府花了5.4亿美元。", source="Orion公司2022年花了5.4亿美元。")
    assert [(item.text, item.status) for item in found.items] == [("US", "unsupported"), ("5.4亿美元", "supported")]


def test_a_dollar_of_another_country_is_not_a_us_dollar() -> None:
    # HK$ and AUS$ were read as US$ (the $ alone, and the US inside AUS): a summary's HK$600 was
    # supported by a source's 600美元. By hand: HKD and USD conflict, HKD and 港元 agree; a bare
    # number (costs$5: no currency) matches any unit.
    assert [i.status for i in harness.facts("售价HK$600。", source="售价600美元。").items] == ["unsupported"]
    assert [i.status for i in harness.facts("售价HK$600。", source="售价600港元。").items] == ["supported"]
    assert [i.status for i in harness.facts("售价AUS$70。", source="售价70美元。").items] == ["unsupported"]
    assert [i.status for i in harness.facts("售价US$70。", source="售价70美元。").items] == ["supported"]


@pytest.mark.parametrize(
    ("summary", "source", "expected"),
    [
        # Each row's status worked out by hand from docs/facts.md's rules v5; each was wrong under v4.
        ("营收10亿多元。", "营收12亿元。", {"10亿多元": "supported"}),  # over: [10亿, 15亿) holds 12亿
        ("营收2亿多美元。", "营收2亿多元。", {"2亿多美元": "unsupported"}),  # USD against CNY
        ("捐款100万余元。", "捐款130万元。", {"100万余元": "supported"}),
        ("营收5亿4千万美元。", "营收5.4亿美元。", {"5亿4千万美元": "supported"}),
        ("员工3万5千人。", "员工3.5万人。", {"3万5千人": "supported"}),
        ("公司获得了1 billion美元投资。", "公司获得了10亿美元投资。", {"1 billion美元": "supported"}),
        ("公司获得了5 billion dollars投资。", "公司获得了50亿元人民币投资。", {"5 billion dollars": "unsupported"}),
        ("交易额约100亿澳元。", "交易额为100亿美元。", {"100亿澳元": "unsupported"}),  # AUD against USD
        ("公司裁员约1000人。", "裁减约1000名员工。", {"1000人": "supported"}),
        ("騰訊營收5.4億美元。", "腾讯营收增长5.4%。", {"5.4億美元": "unsupported"}),  # not the 5.4 of 5.4%
        ("公司于18日宣布完成融资。", "公司于6月18日宣布完成融资。", {"18日": "supported"}),
        ("会议于6月18日至20日举行。", "会议于6月18日至6月20日举行。", {"6月18日": "supported", "20日": "supported"}),
        ("公司于2023/6/18成立。", "公司于2023年6月18日成立。", {"2023/6/18": "supported"}),
        ("公司于2023年6月18日成立。", "公司于2023.6.18成立。", {"2023年6月18日": "supported"}),
        # the year of a whole date is compared with its month and day: not two figures a wrong year passes
        ("公司于2023年6月18日成立。", "公司于2022年6月18日成立,2023年上市。", {"2023年6月18日": "unsupported"}),
        ("该公司排名第3。", "该公司排名第三。", {}),  # a rank is no figure, in either script
        ("位列第5。", "位列第四,营收增长5%。", {}),
        ("以3∶0获胜。", "最终比分3比0。", {"3∶0": "supported"}),
        # spaced as models often write it: v4 read 5.4 and 6 and 18 as bare numbers, all unsupported
        ("营收 5.4 亿美元,同比增长 12%。", "营收5.4亿美元,同比增长12%。", {"5.4 亿美元": "supported", "12%": "supported"}),
        ("6 月 18 日发布。", "2023年6月18日发布。", {"6 月 18 日": "supported"}),
        ("营收 54 亿美元。", "营收5.4亿美元。", {"54 亿美元": "unsupported"}),
    ],
)
def test_rules_v5_on_written_news_sentences(summary: str, source: str, expected: dict[str, str]) -> None:
    assert _by_text(summary, source, "figure") == expected


def _by_text(summary: str, source: str, kind: str | None = None) -> dict[str, str]:
    """Each item's status by its text (of one kind, or all), the summary checked against the source alone."""
    return {i.text: i.status for i in check_facts(summary, source=source, offtopic=None).items if kind in (None, i.kind)}


@pytest.mark.parametrize(
    ("summary", "source", "expected"),
    [
        # A version after a name is part of it, compared whole (v5): the invented Llama 3 is not the
        # name Llama plus a figure 3 that the source's 3个版本 supported.
        ("Meta发布了Llama 3。", "Meta发布了Llama 2,提供3个版本。", {"Meta": "supported", "Llama 3": "unsupported"}),
        ("Anthropic发布Claude 3.5 Sonnet模型。", "Anthropic发布了Claude 3.5 Sonnet。",
         {"Anthropic": "supported", "Claude 3.5 Sonnet": "supported"}),
        # a hyphen and a space spell one name
        ("DeepSeek发布了DeepSeek V3模型。", "DeepSeek发布了DeepSeek-V3模型。", {"DeepSeek": "supported", "DeepSeek V3": "supported"}),
        ("Meta发布Llama-3。", "Meta发布了Llama 3模型。", {"Meta": "supported", "Llama-3": "supported"}),
        # a Chinese word after the version that is no count: 模型 (spaced or not)
        ("Meta发布Llama 3模型。", "Meta发布Llama 2模型。", {"Meta": "supported", "Llama 3": "unsupported"}),
        ("苹果发布iPhone 15 手机。", "苹果发布iPhone 15手机。", {"iPhone 15": "supported"}),
        # an English unit word after a number is no name (examples)
        ("Alpaca用52K examples进行微调。", "Alpaca用52K examples微调。", {"Alpaca": "supported"}),
    ],
)
def test_names_with_versions_and_spellings_v5(summary: str, source: str, expected: dict[str, str]) -> None:
    assert _by_text(summary, source, "name") == expected


def test_a_version_in_english_prose_stays_a_figure() -> None:
    # A version stands in Chinese text only (after a Han character or a Chinese mark, and before the
    # end, a mark or a capitalised word): in English prose every number stays a figure, as under v4.
    assert [f.text for f in extract_figures("In 3 years, GPT 4 and Llama 2 shipped.")] == ["3", "4", "2"]
    assert [f.text for f in extract_figures("At 10, he joined Google. On 18 April, Microsoft shipped Windows 11.")] == [
        "10", "18", "11"]
    assert extract_figures("微软发布了Windows 11。") == []


@pytest.mark.parametrize(
    ("summary", "source", "expected"),
    [
        # What a review of v5's first version found it broke, each read as v4 read it (statuses by hand):
        # a count after a name and a space is no version (pangu spacing; a wrong count is still caught),
        ("OpenAI 3 位高管离职。", "OpenAI有5位高管离职。", {"OpenAI": "supported", "3 位": "unsupported"}),
        # nor is a score's first side (the wrong 3比1 beside a source's 3比2 and 1个),
        ("BLG 3比1击败JDG。", "BLG 3比2击败JDG,夺得1个冠军。", {"BLG": "supported", "3比1": "unsupported", "JDG": "supported"}),
        # nor a number before a measure word (英伟达H100 8张: a count; Llama 3模型 is a version, below);
        ("英伟达H100 8张。", "英伟达H100 8张。", {"H100": "supported", "8": "supported"}),
        # Times is a newspaper's name, not the English measure word;
        ("据New York Times报道。", "据New York Times报道。", {"New York Times": "supported"}),
        ("据Los Angeles Times报道。", "据Los Angeles Daily报道。", {"Los Angeles Times": "unsupported"}),
        # N日 after 连续/为期/近 counts days, as a bare number (连续3日 and 3个交易日);
        ("连续3日涨停。", "连续3个交易日涨停。", {"3": "supported"}),
        ("他连续3日登上热搜。", "他在3月3日登上热搜。", {"3": "unsupported"}),
        # 18日报道 is a day,
        ("苹果于18日宣布裁员。", "据路透社18日报道,苹果裁员。", {"18日": "supported"}),
        # and the lower places after a magnitude are not joined when a larger place follows them.
        ("营收3万亿5千亿元。", "营收3万亿元。", {"3万亿": "supported", "5千亿元": "unsupported"}),
        ("营收1万2千亿元。", "营收1.2万亿元。", {"1万": "unsupported", "2千亿元": "unsupported"}),
    ],
)
def test_what_the_first_v5_broke_reads_as_v4_read_it(summary: str, source: str, expected: dict[str, str]) -> None:
    assert _by_text(summary, source) == expected


def test_a_listed_name_with_digits_is_a_name_only_and_matched_at_digit_edges() -> None:
    # A review's finding: a listed 360 (=奇虎) was both the name 360 and the figure 360 (unsupported
    # beside a source that says 奇虎), and matched inside 3600. Expected, by hand: the name alone,
    # supported by its alias; 小米14 one name, no figure 14; 3600台 a figure with no name 360 in it,
    # and a source's 3600 no evidence for the name 360.
    names = parse_names("360=奇虎\n小米14\n", "names.txt")

    def items(summary: str, source: str) -> list[tuple[str, str, str]]:
        return [(i.kind, i.text, i.status) for i in check_facts(summary, source=source, offtopic=None, names=names).items]

    assert items("360公司发布了新产品。", "奇虎公司发布了新产品。") == [("name", "360", "supported")]
    assert items("小米14售价3999元。", "小米14售价3999元。") == [("name", "小米14", "supported"), ("figure", "3999元", "supported")]
    assert items("共卖出3600台。", "奇虎卖出3600台。") == [("figure", "3600", "supported")]
    assert items("360公司发布了新产品。", "公司卖出3600台。") == [("name", "360", "unsupported")]
    # The digit edges hold for every digit, not only 0 and 1: a listed 小米9 is not in 小米99, whose 99
    # is then a figure (a bare 99, unsupported by a source without it).
    nine = parse_names("小米9\n", "names.txt")
    assert [(i.kind, i.text) for i in check_facts("小米99发布了。", source="小米9发布了。", offtopic=None, names=nine).items] == [
        ("figure", "99")]


def test_a_number_after_a_one_letter_word_is_a_figure() -> None:
    # A one-letter word is no name (names.py), so no version follows it: v5 before this test dropped
    # the 3 of 球队A 3。 as a version that no name took up, and the figure vanished.
    assert [f.text for f in extract_figures("球队A 3。")] == ["3"]
    assert [f.text for f in extract_figures("比赛中Team A 3。")] == ["3"]


@pytest.mark.parametrize(
    ("summary", "source", "expected"),
    [
        # Rules v6, each row's statuses by hand from docs/facts.md; each row was wrong under v5 (a false
        # alarm on a faithful summary, noted in the comment). 多 before the last 万: one figure, "over",
        # so value x [1, 1.5]: [1.2亿, 1.8亿] holds 1.25亿 (v5: 1亿 and an unsupported 2千),
        ("营收1亿2千多万元。", "营收1.25亿元。", {"1亿2千多万元": "supported"}),
        ("营收1亿2000多万元。", "营收1.3亿元。", {"1亿2000多万元": "supported"}),
        ("员工3万5千多人。", "员工3.6万人。", {"3万5千多人": "supported"}),  # v5: 3万 and 5千多人, both unsupported
        # and not 1.1亿, which rounds to [1.05亿, 1.15亿] (v5: its 1亿 passed).
        ("营收1亿2千多万元。", "营收1.1亿元。", {"1亿2千多万元": "unsupported"}),
        # List and citation marks are no figures (v5: each number unsupported): after a sentence's end,
        ("要点如下。1.降价。2.开源。", "公司决定降价并开源。", {}),
        ("措施有二。1)降价;2)开源。", "措施包括降价和开源。", {}),
        # in brackets, half- or full-width,
        ("措施包括(1)降价和(2)开源。", "措施包括降价和开源。", {}),
        ("措施包括（1）降价；（2）开源。", "措施包括降价和开源。", {}),
        ("据报道[3],营收5.4亿美元。", "营收5.4亿美元。", {"5.4亿美元": "supported"}),
        # and indented at a line's start; a decimal after a sentence's end is still a figure.
        ("措施:\n  1. 降价\n  2. 开源", "措施包括降价和开源。", {}),
        ("营收增长3倍。2.5亿用户受益。", "营收增长3倍,2.5亿用户受益。", {"3倍": "supported", "2.5亿": "supported"}),
        # A function character jieba's HMM glues to an unknown name is taken off it (v5: 张三说, 由王小川
        # and 张三在 were names, unsupported); a made-up name stays unsupported.
        ("张三说公司营收增长。", "张三表示,公司营收增长。", {"张三": "supported"}),
        ("会议由王小川主持。", "王小川主持了会议。", {"王小川": "supported"}),
        ("搜狗由王小川创办。", "王小川创办了搜狗。", {"王小川": "supported"}),  # v5: 搜狗由王小川, one name
        ("张三在会上发言。", "张三表示同意。", {"张三": "supported"}),
        ("由王五主持会议。", "王小川主持了会议。", {"王五": "unsupported"}),
    ],
)
def test_rules_v6_false_alarms_on_faithful_summaries(summary: str, source: str, expected: dict[str, str]) -> None:
    assert _by_text(summary, source) == expected


@pytest.mark.parametrize(
    ("summary", "source", "expected"),
    [
        # Rules v6 from a review that wrote news sources and faithful summaries of them; statuses by hand
        # from docs/facts.md, each row but the two marked controls was wrong under v5 (v5 in the comment).
        # 突破 and 以上 read "over", value x [1, 1.5]: [100亿, 150亿] holds 102亿 (v5: unsupported),
        ("营收突破100亿元。", "营收达到102亿元。", {"100亿元": "supported"}),
        ("占比12%以上。", "占比12.8%。", {"12%以上": "supported"}),  # v5: 12% unsupported
        # and 多 after 成 or 倍: 三成多 is [30%, 45%] widened by its half step of 5 points, holding 37.5%.
        ("占比三成多。", "占比37.5%。", {"三成多": "supported"}),  # v5: 三成 unsupported
        ("收入5倍多。", "收入增长到5.6倍。", {"5倍多": "supported"}),  # v5: 5倍 unsupported
        # 千米 is a kilometre, not 350 thousand: both read as 350,000 米 (v5: the source read a bare
        # 350,000, the summary a bare 350, unsupported); 五千米 is 5千米 (a review of v6's first version).
        ("时速350公里。", "时速350千米。", {"350公里": "supported"}),
        ("女子5千米决赛。", "女子五千米决赛。", {"5千米": "supported"}),
        # Found by the review's unfaithful summaries: 人次 is no 人 (v5 supported), 14:07 is no heading 07.
        ("人数为3亿人次。", "人数为3亿人。", {"3亿人次": "unsupported"}),
        ("比赛于14:07开始。", "比赛于14:05开始。", {"14:07": "unsupported"}),  # v5: a figure 14, supported
        # v7: a time at a line start is no heading 09 and the figure 30, which 10:30's minute supported;
        # 01 there is still a heading number, no figure.
        ("09:30 会议开始。", "会议10:30开始。", {"09:30": "unsupported"}),  # v6: a figure 30, supported
        ("09:30 会议开始。", "会议9:30开始。", {"09:30": "supported"}),  # control
        ("01 引言\n09：30 开始。", "会议10:30开始。", {"09：30": "unsupported"}),  # v6: 30, supported
        # 个, the general measure word, agrees with 款 (v5: a unit conflict); a wrong count is still caught.
        ("公司发布了3个新品。", "公司发布了3款新品。", {"3个": "supported"}),
        ("公司发布了3个新品。", "公司发布了4款新品。", {"3个": "unsupported"}),  # control
        # List marks in Markdown, after a comma, and spaced after a Han character (v5: unsupported figures).
        ("**1. 利润**增长12%。", "利润增长12%。", {"12%": "supported"}),
        ("要点：1. 降价，2. 开源。", "公司决定降价并开源。", {}),
        ("措施如下 1. 降价 2. 开源", "公司决定降价并开源。", {}),
        ("- 1. 降价\n- 2. 开源", "公司决定降价并开源。", {}),
        ("温度3以下。", "温度2.8。", {"3以下": "supported"}),  # control: under, [2.5, 3.5] holds 2.8
        # Names: 亿人 after a number is its magnitude and unit (v5: a name, unsupported); a version after a
        # name spaced from the Chinese before it (v5: Llama and an unsupported 3); a title parts Latin
        # names (v5: Meta CEO, unsupported); a name on its own after a two-character word is apart from
        # it (v5: 华为余承东, unsupported).
        ("用户超过3亿人。", "用户数突破3亿。", {"3亿人": "supported"}),
        ("Meta 发布了 Llama 3。", "Meta发布了Llama 3。", {"Meta": "supported", "Llama 3": "supported"}),
        ("Meta CEO扎克伯格表示。", "Meta的CEO扎克伯格表示。", {"Meta": "supported", "CEO": "supported", "扎克伯格": "supported"}),
        ("华为余承东表示。", "华为常务董事余承东表示。", {"余承东": "supported"}),
    ],
)
def test_rules_v6_from_a_review_of_faithful_summaries(summary: str, source: str, expected: dict[str, str]) -> None:
    assert _by_text(summary, source) == expected


@pytest.mark.parametrize(
    ("summary", "source", "expected"),
    [
        # More of the same review's rows, statuses by hand, each wrong under bd0a61a (in the comment).
        # A score with a hyphen (first side not less than the second, under 1,000) or spaced 比 and the
        # same score written 2:1 are one (before: a range's two ends, or two numbers, each unsupported).
        ("西班牙2-1战胜英格兰。", "西班牙2:1战胜英格兰。", {"西班牙": "supported", "2-1": "supported", "英格兰": "supported"}),
        ("西班牙2 比 1战胜英格兰。", "西班牙2:1战胜英格兰。", {"西班牙": "supported", "2 比 1": "supported", "英格兰": "supported"}),
        ("比分1-1。", "比分1:1。", {"1-1": "supported"}),
        # 数十, 几百 and 两位数 state no quantity (before: 10 家, 10亿美元 and 2 people, unsupported).
        ("数十家企业参与。", "63家企业参与。", {}),
        ("投资数十亿美元。", "投资45亿美元。", {}),
        ("实现两位数增长。", "增长12.5%。", {}),
        # A model's size after a name in Chinese text is part of the name, as a version is (before: Mistral
        # and a figure 7B, unsupported); the wrong size of Llama 3.1 is still caught, as the whole name.
        ("Mistral发布了Mistral 7B模型。", "Mistral发布了Mistral-7B模型。", {"Mistral": "supported", "Mistral 7B": "supported"}),
        ("Meta发布了Llama 3.1 70B。", "Meta发布了Llama 3.1 405B。", {"Meta": "supported", "Llama 3.1 70B": "unsupported"}),
        # A version is not found inside a longer one (before: supported, an invented version passed).
        ("Meta发布了Llama 3。", "Meta发布了Llama 3.1。", {"Meta": "supported", "Llama 3": "unsupported"}),
        ("Anthropic发布了Claude 3。", "Anthropic发布了Claude 3.5 Sonnet。", {"Anthropic": "supported", "Claude 3": "unsupported"}),
        ("Meta发布了Llama 3。", "Meta发布了Llama 3。随后发布Llama 3.1。", {"Meta": "supported", "Llama 3": "supported"}),
    ],
)
def test_rules_v6_scores_vague_numbers_and_model_sizes(summary: str, source: str, expected: dict[str, str]) -> None:
    assert _by_text(summary, source) == expected


@pytest.mark.parametrize(
    ("summary", "source", "expected"),
    [
        # What a review of v6's first version (95b717b) found it broke or misread, statuses by hand; each
        # row was wrong on 95b717b (in the comment). A hyphen score is a score in either order, matched
        # in either order (95b717b: the ascending 1-2 was a range, 2-1 unsupported),
        ("利物浦2-1击败曼联。", "曼联主场1-2不敌利物浦。", {"利物浦": "supported", "2-1": "supported", "曼联": "supported"}),
        # and a bare number is supported by either side of a pair (95b717b: 20:00 a pair, 20 unsupported);
        ("比赛于20点开始。", "比赛于20:00开始。", {"20": "supported"}),
        # a pair is never a year (2023: 18 matched 2023年) and a spaced colon joins none.
        ("营收（亿元）：\n- 2023: 18", "2023年营收15亿元。", {"2023": "supported", "18": "unsupported"}),
        # The employer before a title stays a name, even opening an English sentence (95b717b: dropped).
        ("Anthropic CEO Sam Altman said.", "OpenAI CEO Sam Altman said.",
         {"Anthropic": "unsupported", "CEO": "supported", "Sam Altman": "supported"}),
        # A size alone after a name is a version only before the end, a mark or 模型/版本, and a count
        # before 分, 杀, 核, 票 is none (95b717b: TikTok 1B and Jokic 30, names, unsupported).
        ("字节 TikTok 1B 用户。", "TikTok 拥有 1B 用户。", {"TikTok": "supported", "1B": "supported"}),
        ("掘金 Jokic 30 分。", "掘金约基奇30分。", {"Jokic": "unsupported", "30": "supported"}),
        # 以上 on the next line qualifies nothing (95b717b: 5.2亿元 "over", supported by 5.8亿元).
        ("- 净利润：5.2亿元\n\n以上为要点。", "净利润5.8亿元。", {"5.2亿元": "unsupported"}),
        # 数 and 位数 make a number vague only where they are: 数十, not 指数三千; 两位数, not 三位数学家
        # (95b717b: no item, the wrong figure passed).
        ("上证指数两千点。", "上证指数三千点。", {"两千": "unsupported"}),
        ("三位数学家获奖。", "两位数学家获奖。", {"三位": "unsupported"}),
        # 3千米 is 3,000 米 (95b717b: a bare 3 against 3000, 米 alone being no unit since).
        ("跑了3000米。", "跑了3千米。", {"3000": "supported"}),
        # 来 ends given names: not taken off (95b717b: 张国, supported by 张国强).
        ("张国来担任董事长。", "张国强担任董事长。", {"张国来": "unsupported"}),
        # A number closed by a bracket after a space, or ending a text after a point, is no list mark
        # (95b717b: no item), nor a pair's side (95b717b: 1 unsupported, the 0 dropped).
        ("营收（同比增长 15）。", "营收增长12。", {"15": "unsupported"}),
        ("价格为 89.", "价格为 80.", {"89": "unsupported"}),
        ("（半场 1 比 0）", "半场1比0。", {"1 比 0": "supported"}),
    ],
)
def test_rules_v6_what_a_review_of_its_first_version_found(summary: str, source: str, expected: dict[str, str]) -> None:
    assert _by_text(summary, source) == expected


@pytest.mark.parametrize(
    ("summary", "source", "expected"),
    [
        # What a review of 17473a4 found it broke, statuses by hand, each row wrong on 17473a4 (in the
        # comment). 个 counts people too (17473a4: unsupported); the general word is the common paraphrase.
        ("有5名学生获奖。", "有5个学生获奖。", {"5名": "supported"}),
        # A bare number is the hour of a time, not a side of a score (17473a4: 3球 and 1点 supported).
        ("哈兰德打进3球。", "曼城3比1战胜阿森纳，哈兰德梅开二度。", {"哈兰德": "supported", "3": "unsupported"}),
        ("下午1点开始。", "下午2点开始，主队以2比1获胜。", {"1": "unsupported"}),
        # 米 alone is no unit: 米兰 after a score (17473a4: 1米, the score lost).
        ("国米以2-1击败米兰。", "国米2-1米兰。", {"2-1": "supported", "米兰": "supported"}),
        # km and kW are 公里 and 千瓦 (17473a4: a bare 600 against 600,000 米; kW a name).
        ("续航600公里。", "续航600km。", {"600公里": "supported"}),
        ("发电100万kW。", "发电100万千瓦。", {"100万kW": "supported"}),
        # An ascending hyphen pair outside a match's words is a range, as 至 makes one (17473a4: a score).
        ("气温18-25℃。", "气温18至25℃。", {"18": "supported", "25": "supported"}),
        ("打3-5折。", "打3至5折。", {"3": "supported", "5": "supported"}),
        # 核心 after a version is a word, not a count (17473a4: Mate and an unsupported 60).
        ("华为 Mate 60核心配置。", "华为发布Mate 60。", {"Mate 60": "supported"}),
        # 道 glued to a name is taken off again (17473a4: 李华道 unsupported).
        ("李华道：公司营收增长。", "李华表示公司营收增长。", {"李华": "supported"}),
        # A spaced colon between small numbers is a score (17473a4: two numbers).
        ("比分 2 : 1", "比分2:1", {"2 : 1": "supported"}),
        # An English article before a title is no employer (17473a4: a name The).
        ("The CEO of OpenAI, Sam Altman, said.", "Sam Altman is the CEO of OpenAI.",
         {"CEO": "supported", "OpenAI": "supported", "Sam Altman": "supported"}),
        # 1) after a comma, with text after it, is a list mark (17473a4: an unsupported 1).
        ("原因有二，1) 成本上升；2) 需求下降。", "成本上升，需求下降。", {}),
    ],
)
def test_rules_v6_what_a_review_of_17473a4_found(summary: str, source: str, expected: dict[str, str]) -> None:
    assert _by_text(summary, source) == expected


@pytest.mark.parametrize(
    ("summary", "source", "expected"),
    [
        # What a review of 349d99c found, statuses by hand, each row wrong on 349d99c (in the comment):
        # 平 begins 平方米 (349d99c: a score 80-120, both ends unsupported); 以 is no match's word;
        ("面积为80至120平方米", "该户型面积为80-120平方米", {"80": "supported", "120": "supported"}),
        ("6到7", "pH值以6-7为宜", {"6": "supported", "7": "supported"}),
        # 失利, 输给, 比分为 are a match's words (349d99c: 1-3 a range against 1比3);
        ("国足主场1比3失利", "国足主场1-3失利", {"1比3": "supported"}),
        ("比分为1-2", "比分1:2", {"1-2": "supported"}),
        # a size alone before another Chinese word is a figure, which 720亿 matches (349d99c: a name);
        ("Qwen模型拥有720亿参数", "阿里的Qwen 72B在多项测试中领先", {"Qwen": "supported", "720亿参数": "supported"}),
        # 场 before 比赛 is a count (349d99c: the name NBA 12, unsupported);
        ("他在NBA 12场比赛中得分", "他在NBA打了12场比赛", {"NBA": "supported", "12": "supported"}),
        # a time's minute is supported as its hour is (349d99c: 30 unsupported);
        ("20点30分", "发布会将于20:30举行", {"20": "supported", "30": "supported"}),
        ("9点30分", "发布会将于9:30举行", {"9": "supported", "30": "supported"}),  # an hour of one digit
        # km² is no length, kW·h is 千瓦时 (349d99c: 3,000 米 against a bare 3; 千瓦 against 千瓦时);
        ("3平方公里", "面积3km²", {"3": "supported"}),
        ("10亿千瓦时", "10亿千瓦·时", {"10亿千瓦时": "supported"}),
        # a number closing an open bracket is no list mark (349d99c: 45 dropped from the source).
        ("李某45岁", "受伤者李某（男，45）已送医", {"李某": "supported", "45岁": "supported"}),
    ],
)
def test_rules_v6_what_a_review_of_349d99c_found(summary: str, source: str, expected: dict[str, str]) -> None:
    assert _by_text(summary, source) == expected


def test_a_count_after_a_version_ends_the_text_as_it_ends_a_sentence() -> None:
    # Found on rereading 7fa871d: a measure word at the very end of the text (no mark after it) was read
    # as a word it begins ("" is in every string), so 8张 and 30 分 became versions of the name before.
    # By hand: a count after a name stays a figure, with or without a mark after it.
    assert [f.text for f in extract_figures("英伟达H100 8张")] == ["8"]
    assert [f.text for f in extract_figures("英伟达H100 8张。")] == ["8"]
    assert [f.text for f in extract_figures("掘金 Jokic 30 分")] == ["30"]
    assert extract_figures("华为 Mate 60核心") == []  # 核心: a word, the version stays


@pytest.mark.parametrize(
    ("summary", "source", "expected"),
    [
        # Rules v8. jieba's dictionary holds some hundreds of words that glue a function character to a
        # name and tag the whole a name, less frequent than the name alone (dict.txt of jieba 0.42.1:
        # 由李强 2 against 李强 159, 和慈禧 133 against 慈禧 2,353, 从华山 3 against 华山 1,539): v7 took
        # the whole as the name, not in a source that writes the name alone (a false alarm); v8 the name.
        ("会议由李强主持。", "李强主持了会议。", {"李强": "supported"}),  # v7: 由李强 unsupported
        ("她和慈禧谈了很久。", "慈禧召见了她。", {"慈禧": "supported"}),  # v7: 和慈禧 unsupported
        ("我们从华山出发。", "华山在陕西。", {"华山": "supported"}),  # v7: 从华山 unsupported
        ("会议由李强主持。", "王五主持了会议。", {"李强": "unsupported"}),  # still made up (v7: 由李强)
        # Controls, as in v7. The character after is left: the dictionary's words of that shape are real
        # names (北海道 141, 北海 505; 东京都 40, 东京 2,541), supported only by their whole form.
        ("北海道很冷。", "北海道下雪了。", {"北海道": "supported"}),
        ("北海道很冷。", "北海的冬天。", {"北海道": "unsupported"}),
        # 对 is left before a dictionary word: 对二甲苯 is para-xylene (对 "para-"), not 和/对 + a name, and
        # ortho-xylene (邻二甲苯) does not support it (a review found v8's first version taking 对 off).
        ("厦门对二甲苯项目投产。", "厦门邻二甲苯项目投产。", {"厦门": "supported", "对二甲苯": "unsupported"}),
        # A rest that is no name on its own (光荣, "glory": jieba's POS model scores it under the e^3 margin)
        # leaves the word whole, as v7 did.
        ("他和光荣的历史。", "他和光荣的历史。", {"和光荣": "supported"}),
    ],
)
def test_rules_v8_glued_dictionary_words(summary: str, source: str, expected: dict[str, str]) -> None:
    assert _by_text(summary, source) == expected
