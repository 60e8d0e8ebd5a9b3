"""Figures: every surface form of issue 15 §1 read to a value and unit (values worked out by hand)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from harness.analyses.facts.bounds import Left
from harness.analyses.facts.figure import Figure
from harness.analyses.facts.figures import extract_figures, parse_han

# (text, value, unit): each text holds exactly one figure. The value is written out by hand from the
# notation: 万 = 10^4, 亿 = 10^8, k = 10^3, M/million = 10^6, B/billion = 10^9, 成 = 10%.
FORMS: list[tuple[str, str, str | None]] = [
    # Arabic digits, separators, decimals
    ("共有2,800人", "2800", "人"),
    ("1,234,567", "1234567", None),
    ("增长了5.4", "5.4", None),
    ("0.25", "0.25", None),
    ("耗时12天", "12", "天"),
    ("3次", "3", "次"),
    ("7倍", "7", "倍"),
    ("共100条", "100", "条"),
    ("20个", "20", "个"),
    ("有3位专家", "3", "人"),  # 位 and 名 count people, as 人 does (v5)
    ("13B参数", "13000000000", "参数"),  # 13 × 10^9
    ("70亿个参数", "7000000000", "参数"),  # 70 × 10^8, 个 before 参数 dropped
    # full-width digits (U+FF10..) read like ASCII ones
    ("１２３４", "1234", None),
    ("５．４亿", "540000000", None),  # 5.4 × 10^8
    ("５０％", "50", "%"),
    # Chinese numerals
    ("十二", "12", None),
    ("六百美元", "600", "USD"),
    ("两千", "2000", None),
    ("五亿四千万", "540000000", None),  # 5×10^8 + 4×10^3×10^4
    ("一百零五", "105", None),
    ("三千零二十", "3020", None),
    ("一万二千", "12000", None),
    ("十万", "100000", None),
    ("三点五", "3.5", None),
    ("三点五亿", "350000000", None),  # 3.5 × 10^8
    ("两万亿", "2000000000000", None),  # 2 × 10^4 × 10^8
    ("九千九百九十九", "9999", None),
    ("十年", "10", "年"),
    ("二十个", "20", "个"),
    ("两个模型", "2", "个"),
    ("十多万", "100000", None),  # 10 × 10^4, approximate ("over")
    # mixed Arabic + Chinese magnitudes
    ("5.4亿", "540000000", None),
    ("2800万", "28000000", None),  # 2800 × 10^4
    ("1.2万亿", "1200000000000", None),  # 1.2 × 10^4 × 10^8
    ("3千", "3000", None),
    ("5百万", "5000000", None),  # 5 × 100 × 10^4
    ("3千万美元", "30000000", "USD"),
    ("100多万", "1000000", None),
    ("650亿", "65000000000", None),
    ("5.4亿美元", "540000000", "USD"),
    ("2800万美元", "28000000", "USD"),
    ("千万美元", "10000000", "USD"),  # 千万 alone only before a currency
    # Latin magnitudes
    ("52k", "52000", None),
    ("52K", "52000", None),
    ("13B", "13000000000", None),
    ("7M", "7000000", None),
    ("1.5bn", "1500000000", None),
    ("3 billion", "3000000000", None),
    ("540 million", "540000000", None),
    ("2 thousand", "2000", None),
    ("1 trillion", "1000000000000", None),
    ("52k examples", "52000", "条"),
    ("7B parameters", "7000000000", "参数"),
    # currencies, both scripts
    ("600美元", "600", "USD"),
    ("$600", "600", "USD"),
    ("US$600", "600", "USD"),
    ("600 USD", "600", "USD"),
    ("$540 million", "540000000", "USD"),
    ("100元", "100", "CNY"),
    ("100人民币", "100", "CNY"),
    ("¥100", "100", "CNY"),
    ("￥100", "100", "CNY"),  # full-width yen
    ("30欧元", "30", "EUR"),
    ("5英镑", "5", "GBP"),
    ("20美金", "20", "USD"),
    # other dollars: the country's letters before the sign name the currency (HK$ is not USD)
    ("HK$600", "600", "HKD"),
    ("AUS$70", "70", "AUD"),
    ("A$70", "70", "AUD"),
    ("NT$ 300", "300", "TWD"),
    ("S$5亿", "500000000", "SGD"),
    ("costs$5", "5", None),  # the letters of another word make no currency
    # percentages
    ("50%", "50", "%"),
    ("12.5%", "12.5", "%"),
    ("百分之五十", "50", "%"),
    ("百分之12", "12", "%"),
    ("百分之10", "10", "%"),  # a 0 among the digits
    ("5成", "50", "%"),  # 5 × 10%
    ("三成", "30", "%"),
    ("15成", "15", None),  # 成 is tenths of up to 10 (15成 is no 150%)
    ("50 percent", "50", "%"),
    ("3个百分点", "3", "百分点"),
    # years and dates (date value: year×10^4 + month×100 + day)
    ("2022年", "2022", "year"),
    ("二〇二二年", "2022", "year"),
    ("一九九八年", "1998", "year"),  # digit by digit without 〇: a year before 年
    ("二〇二二", "2022", None),  # digit by digit with 〇: a number without 年
    ("6月18日", "618", "date"),
    ("6月18号", "618", "date"),
    ("今年2月", "200", "date"),
    ("一月", "100", "date"),
    ("十二月", "1200", "date"),
    ("2022/6/18", "20220618", "date"),
    ("2022-06-18", "20220618", "date"),
    ("1000年", "1000", "year"),  # a year is 1000 to 2999 written with 年 (3000年 is three thousand years)
    ("2999年", "2999", "year"),
    ("3000年", "3000", "年"),
    ("2018/1/31", "20180131", "date"),  # the first month, the last day
    ("2018/12/1", "20181201", "date"),  # the last month, the first day
    ("80年代", "80", "年代"),
    ("20世纪", "20", "世纪"),
    ("3年", "3", "年"),  # not a year: 3 is no calendar year
    # approximate words keep the value (the flag is tested below)
    ("约100美元", "100", "USD"),
    ("超过600", "600", None),
    ("近5亿", "500000000", None),
    ("30%左右", "30", "%"),
    ("about $600", "600", "USD"),
    # score pairs: the value is the first side
    ("90对89", "90", None),
    ("90比89", "90", None),
    ("90:89", "90", None),
    ("９０：８９", "90", None),
    ("以3∶0获胜", "3", None),  # ∶ (U+2236), the ratio sign of Chinese typesetting (v5)
    # rules v5, from a review on written news sentences: 多/余 after a magnitude, the places after
    # one, English words before Han text, more currencies, traditional numerals, whole dates, days
    ("营收10亿多元", "1000000000", "CNY"),  # 10 × 10^8, "over"
    ("共有1万多人参加", "10000", "人"),
    ("捐款100万余元", "1000000", "CNY"),
    ("营收5亿4千万美元", "540000000", "USD"),  # 5 × 10^8 + 4 × 10^3 × 10^4
    ("员工3万5千人", "35000", "人"),  # 3 × 10^4 + 5 × 10^3
    ("1亿2000万元", "120000000", "CNY"),  # 10^8 + 2000 × 10^4
    ("获得了1 billion美元投资", "1000000000", "USD"),
    ("5 percent左右", "5", "%"),
    ("50亿USD投资", "5000000000", "USD"),
    ("约100亿澳元", "10000000000", "AUD"),
    ("3000韩元", "3000", "KRW"),
    ("€5亿", "500000000", "EUR"),
    ("£30", "30", "GBP"),
    ("1000名员工", "1000", "人"),  # 名 and 位 count people, as 人 does
    ("騰訊營收5.4億美元", "540000000", "USD"),
    ("增長兩成", "20", "%"),
    ("2023年6月18日", "20230618", "date"),  # year × 10^4 + month × 100 + day: one date
    ("二〇二三年六月十八日", "20230618", "date"),
    ("2023年6月", "20230600", "date"),
    ("2023.6.18", "20230618", "date"),
    ("于18日宣布", "18", "date"),  # a day alone: month and year 0, compared as not written
    # one space between digits and Chinese, as many writers and models put it (v5)
    ("营收 5.4 亿美元", "540000000", "USD"),
    ("共 3 位高管", "3", "人"),
    ("6 月 18 日发布", "618", "date"),
    ("2022 年 6 月 18 日", "20220618", "date"),
    ("任期3 年", "3", "年"),
    # 多 or 余 before the last 万 of the lower places: one figure (v6)
    ("营收1亿2千多万元", "120000000", "CNY"),
    ("1亿2000余万", "120000000", None),
    ("3万5千多人", "35000", "人"),
    ("12%以上", "12", "%"),  # v6: 以上, 突破 and 多 after 成 or 倍 read "over"
    ("营收突破100亿元", "10000000000", "CNY"),
    ("三成多", "30", "%"),
    ("时速350千米", "350000", "米"),  # v6: 千 before 米, 克, 瓦 is the unit's kilo, read in the base unit
    ("时速350公里", "350000", "米"),
    ("75千克", "75000", "克"),
    ("80kg", "80000", "克"),
    ("5千瓦", "5000", "瓦"),
    ("体重75公斤", "75000", "克"),
    ("4百米", "400", None),  # 米 alone is no unit (国米2-1米兰)
    ("续航600km", "600000", "米"),
    ("100万kW", "1000000000", "瓦"),
    ("3亿人次", "300000000", "人次"),  # v6: 人次 is its own unit
]


@pytest.mark.parametrize(("text", "value", "unit"), FORMS)
def test_each_surface_form_reads_its_value_and_unit(text: str, value: str, unit: str | None) -> None:
    figures = extract_figures(text)
    assert len(figures) == 1, figures
    assert figures[0].value == Decimal(value)
    assert figures[0].unit == unit


def test_the_table_covers_at_least_80_forms() -> None:
    assert len(FORMS) >= 80


def test_a_spaced_year_keeps_its_unit_in_its_text() -> None:
    # The year's unit after one space is part of the figure's text, as the unit is part of its value:
    # 任期3 年 read 3 with the unit 年 but the text "3" (the unit was looked for at the space).
    assert [f.text for f in extract_figures("任期3 年")] == ["3 年"]
    assert [f.text for f in extract_figures("2023 年13月")] == ["2023 年", "13"]


@pytest.mark.parametrize("text", [text for text, _, _ in FORMS] + ["比分是９０：８９，进３球", "ＨＫ＄６００到７００", "７０～６５０亿"])
def test_a_figures_text_is_the_text_where_it_stands(text: str) -> None:
    # A figure's text is what the summary wrote at its span, full-width digits as written: 90比89's
    # join was read in the widened text and showed ９０：８９ as 90:89 (rules v4).
    figures = extract_figures(text)
    assert figures
    assert [f.text for f in figures] == [text[f.start:f.end] for f in figures]


@pytest.mark.parametrize(
    "text",
    [
        "GPT-3.5", "GPT-4", "Alpaca7B", "LLaMA-2", "Qwen2.5-7B", "A100显卡", "v1.2.3",  # names and versions
        "〇", "零", "一个", "一种", "一直", "十分尖锐", "三箭资本", "八仙过海", "四两拨千斤", "万万没想到",
        "千万别", "百度", "第三个", "三四个", "统一", "万一", "美元", "∞", "NaN", "1e308", "9" * 400,
        "4:36:07", "1、一个强大的模型", "01异军突起", "2018/13/7", "2018/0/7", "2018/12/32", "2018/1/0",  # no such month or day
        "版本1.2.3发布",  # a dotted version
        "发布了Yi 1.5模型",  # a name of two letters has its version too (one letter does not: A 3)
        "排名第3", "Meta发布了Llama 3。", "发布了Claude 3.5 Sonnet", "DeepSeek V3", "多元化",  # v5: ranks, versions
        "如下。1.降价", "如下！2. 开源", "**1. 利润**", "- 1. 降价", "### 2. 开源", "要点：1. 降价，2. 开源", "如下 1. 降价",
        "数十家", "几百万", "十几个", "两位数", "发布了Llama 3.1 405B。", "发布了Mistral 7B模型",  # v6 "(1)降价", "（2）开源", "见[12]", "【3】", "1)降价", "\n  1. 降价",  # v6: list marks
    ],
)
def test_these_are_not_figures(text: str) -> None:
    # 1e308 and 400 nines are skipped on purpose: no summary states a quantity of 10^30 or more.
    assert extract_figures(text) == []


def test_ranges_give_each_end_and_the_bare_start_borrows_the_magnitude() -> None:
    def read(text: str) -> list[tuple[Decimal, str | None]]:
        return [(f.value, f.unit) for f in extract_figures(text)]

    # 70 ≤ 650, so 70~650亿 means 70亿 to 650亿: 7×10^9 and 6.5×10^10.
    assert read("70~650亿") == [(Decimal(7 * 10**9), None), (Decimal(65 * 10**9), None)]
    assert read("70亿到650亿") == [(Decimal(7 * 10**9), None), (Decimal(65 * 10**9), None)]
    assert read("7B-65B") == [(Decimal(7 * 10**9), None), (Decimal(65 * 10**9), None)]
    assert read("70至650亿美元") == [(Decimal(7 * 10**9), "USD"), (Decimal(65 * 10**9), "USD")]
    # 5000 > 1, so 5000到1万 keeps 5000 (it does not become 5000万).
    assert read("5000到1万") == [(Decimal(5000), None), (Decimal(10000), None)]
    # An unbalanced range is the one figure it has.
    assert read("到650亿") == [(Decimal(65 * 10**9), None)]


def test_score_pair_keeps_both_sides() -> None:
    (pair,) = extract_figures("获胜次数为90对89。")
    assert (pair.kind, pair.value, pair.second, pair.text) == ("score", 90, 89, "90对89")
    (wide,) = extract_figures("比分９０：８９。")  # the same pair in full-width characters, as written
    assert (wide.kind, wide.value, wide.second, wide.text) == ("score", 90, 89, "９０：８９")
    # A dash joins two sides of a score only under 1000 each (999-998); 1000-999 is two numbers.
    assert [f.kind for f in extract_figures("999-998")] == ["score"]
    assert [(f.kind, f.value) for f in extract_figures("1000-999")] == [("number", 1000), ("number", 999)]
    # An ascending pair is a score after 比分 (99-100), with both sides under 1000 still (not 999-1000).
    assert [(f.kind, f.value, f.second) for f in extract_figures("比分为99-100")] == [("score", 99, 100)]
    assert [(f.kind, f.value) for f in extract_figures("比分为999-1000")] == [("number", 999), ("number", 1000)]


def test_a_number_before_an_ascii_full_stop_and_more_text_stays_a_figure() -> None:
    # A list mark after a Han character needs a space before it (如下 1. 降价, above); without one,
    # 89. ends a clause (收入为89.其中…) and 89 is a figure.
    assert [(f.text, f.value) for f in extract_figures("收入为89.其中一半来自广告")] == [("89", 89)]


def test_a_number_before_a_closing_bracket_is_a_list_mark_only_spaced_after_han_and_with_text_after() -> None:
    # 3) after a space after a Han character is a list item when text follows it (如下 1) 成本, in the
    # list above); without the space before, or without text after, it closes a bracket or a clause.
    assert extract_figures("营收增长 15） 成本") == []
    assert [f.text for f in extract_figures("营收增长 15）。")] == ["15"]
    assert [f.text for f in extract_figures("价格15) 成本")] == ["15"]


def test_a_date_is_not_read_out_of_longer_digits() -> None:
    # y/m/d whose day runs on into more digits, or a decimal, is no date (18 is not the day of 180 or 18.5亿).
    for text in ("2022/6/180", "2022/6/18.0", "2022/6/18.5亿"):
        assert "date" not in [f.kind for f in extract_figures(text)], text
    assert [(f.kind, f.value) for f in extract_figures("2022/6/180")] == [("number", 2022), ("number", 6), ("number", 180)]


def test_a_day_past_31_is_no_date() -> None:
    assert [(f.text, f.kind) for f in extract_figures("6月31日")] == [("6月31日", "date")]
    assert [(f.text, f.kind) for f in extract_figures("6月32日")] == [("6", "number"), ("32", "number")]


def test_rounding_step_is_the_place_of_the_last_written_digit() -> None:
    def step(text: str) -> Decimal:
        return extract_figures(text)[0].step

    assert step("5.4亿") == Decimal(10**7)  # 0.1 × 10^8
    assert step("2800万") == Decimal(10**4)  # 1 × 10^4
    assert step("52k") == Decimal(1000)
    assert step("2,800") == Decimal(1)
    assert step("五亿四千万") == Decimal(10**7)  # written like 5.4亿
    assert step("两千") == Decimal(1)  # a Chinese numeral without 万/亿 is exact
    assert step("5成") == Decimal(10)  # 5成 is 50% to the nearest 10%
    assert step("12.5%") == Decimal("0.1")


def test_approximate_words_set_the_direction() -> None:
    def approx(text: str) -> str | None:
        return extract_figures(text)[0].approx

    assert approx("约100美元") == "about"
    assert approx("大约5亿") == "about"
    assert approx("30%左右") == "about"
    assert approx("超过600") == "over"
    assert approx("100多万") == "over"
    assert approx("逾千万美元") == "over"
    assert approx("近5亿") == "under"
    assert approx("不到3成") == "under"
    assert approx("最近5年") is None  # 最近 is "recently", not "nearly"
    assert approx("600美元") is None


def test_spans_point_into_the_original_text() -> None:
    text = "OpenAI花费５．４亿美元,收入2800万美元。"
    for figure in extract_figures(text):
        assert text[figure.start:figure.end] == figure.text
    assert [f.text for f in extract_figures(text)] == ["５．４亿美元", "2800万美元"]


def test_a_sentence_with_names_and_figures() -> None:
    text = "斯坦福研究者对GPT-3.5和Alpaca7B进行了比较,Alpaca仅用了52k数据和600美元。"
    assert [(f.text, f.value, f.unit) for f in extract_figures(text)] == [
        ("52k", Decimal(52000), None),
        ("600美元", Decimal(600), "USD"),
    ]


def test_parse_han_rejects_malformed_numerals() -> None:
    assert parse_han("四两") is None  # two digits in a row
    assert parse_han("百十") is None  # 百 then 十 with no digit between
    assert parse_han("万五") is None  # starts with 万
    assert parse_han("二〇二二") == (Decimal(2022), Decimal(1))


def test_a_long_one_line_text_is_read_in_one_pass() -> None:
    # About 200 KB of UTF-8 on one line; a quadratic scan would take minutes. Each repeat holds
    # exactly three figures (5.4亿美元, 52k, 90对89), so the count is known without timing anything.
    unit = "OpenAI花费5.4亿美元,Alpaca用了52k数据,胜负为90对89,GPT-3.5和谷歌一二三"
    text = unit * (200_000 // len(unit.encode()))
    figures = extract_figures(text)
    assert len(figures) == 3 * (200_000 // len(unit.encode()))
    assert all(isinstance(f, Figure) for f in figures[:3])


def test_a_figure_left_out_takes_its_magnitude_and_unit_with_it() -> None:
    # Each is over 10^30 by hand (bounds.py): 1e40 alone; 9e25 is in bounds but 千万 makes it 9×10^32.
    # The words after the left-out core were then read again as a figure of their own: 百万美元 as
    # 10^6 USD, 千万美元 as 10^7 USD, 十万元 as 10^5 CNY, and the 18 of 月18日 as the number 18.
    # Left out, a figure is left out with its magnitude, unit and day: no figure at all remains.
    for text in ("1e40百万美元", "9e25千万美元", "1e40十万元", "1e40月18日"):
        left: list[Left] = []
        assert extract_figures(text, left) == [], text
        assert [line.line() for line in left] == ["figure at 0 skipped: 10^30 or more"]


def test_a_figure_that_depends_on_an_end_left_out_is_left_out_too() -> None:
    def read(text: str) -> tuple[list[str], list[str]]:
        left: list[Left] = []
        return [f.text for f in extract_figures(text, left)], [line.line() for line in left]

    # Each end past the bounds is worked out by hand from bounds.py (1e40, 9e25亿 = 9×10^33 and
    # 1e40亿 are over 10^30; 1e-9999 has digits past the 30th decimal place; 25 digits are over 24);
    # places are counted by hand. The bare start of a range borrows the end's magnitude and unit
    # (70到650亿 is 70亿 to 650亿): with the end left out it is unknown, so the start goes too. It was
    # read alone as the number 70 before.
    end, big = "part of a range with an end left out", "10^30 or more"
    assert read("70到1e40亿") == ([], [f"figure at 0 skipped: {end}", f"figure at 3 skipped: {big}"])
    assert read("70到9e25亿") == ([], [f"figure at 0 skipped: {end}", f"figure at 3 skipped: {big}"])
    assert read("70到1e40亿美元") == ([], [f"figure at 0 skipped: {end}", f"figure at 3 skipped: {big}"])
    assert read("7B-1e40B") == ([], [f"figure at 0 skipped: {end}", f"figure at 3 skipped: {big}"])
    # Through a chain: 650亿 is the bare start of 650亿到1e40亿, and 70 borrows from 650亿.
    assert read("70到650亿到1e40亿") == ([], [f"figure at 0 skipped: {end}", f"figure at 3 skipped: {end}",
                                              f"figure at 8 skipped: {big}"])
    # What reads the same alone stays (a reviewer's finding: a source's 600美元到1e40美元 lost its
    # 600美元, so a summary's 600美元 was unsupported): a start with its own unit or a year (no
    # borrowing), a start whose end lends nothing (1e40: no magnitude, no unit), and any range's end
    # (an end borrows nothing from its start).
    assert read("US$70到US$1e40") == (["US$70"], [f"figure at 6 skipped: {big}"])  # at its US$: U0 S1 $2 7 0 到5 U6
    assert read("600美元到1e40美元") == (["600美元"], [f"figure at 6 skipped: {big}"])
    assert read("70亿到1e40") == (["70亿"], [f"figure at 4 skipped: {big}"])
    assert read("70到1e40") == (["70"], [f"figure at 3 skipped: {big}"])
    assert read("2022年到1e40年") == (["2022年"], [f"figure at 6 skipped: {big}"])
    assert read("1e40到650亿") == (["650亿"], [f"figure at 0 skipped: {big}"])
    assert read("1e40亿到650") == (["650"], [f"figure at 0 skipped: {big}"])
    assert read("1e40B-65B") == (["65B"], [f"figure at 0 skipped: {big}"])
    assert read("百分之1e-9999到百分之五十") == (["百分之五十"], ["figure at 0 skipped: digits past the 30th decimal place"])
    # A score pair is one figure of two sides (both bare numbers of step 1, as 90比89). With a side
    # left out that could be one (digits alone), the other is half a score and goes; a side left out
    # that could not be one (1e40, 1e40%) leaves the other a number, as 90比1e3 reads 90 and 1e3.
    pair, digits = "part of a pair with a side left out", "25 significant digits (over 24)"
    assert read("90比" + "9" * 25) == ([], [f"figure at 0 skipped: {pair}", f"figure at 3 skipped: {digits}"])
    assert read("9" * 25 + "比90") == ([], [f"figure at 0 skipped: {digits}", f"figure at 26 skipped: {pair}"])
    assert read("90比1e40") == (["90"], [f"figure at 3 skipped: {big}"])
    assert read("90比1e40%") == (["90"], [f"figure at 3 skipped: {big}"])
    assert read("90%比1e40") == (["90%"], [f"figure at 4 skipped: {big}"])
    # A figure before the pair that is no side of it (5%, its unit) is passed over, not the pair:
    # places by hand, 增0 长1 5 2 %3 ，4 比5 分6 9 7.
    assert read("增长5%，比分90比" + "9" * 25) == (["5%"], [f"figure at 7 skipped: {pair}", f"figure at 10 skipped: {digits}"])
    # Pairs are made from the left, as in 90比89比88 (90比89, then 88): 90比89 stays.
    assert read("90比89比" + "9" * 25) == (["90比89"], [f"figure at 6 skipped: {digits}"])
    # A figure left out beside a range it is not part of changes nothing: 70到650亿 is 70亿 to 650亿.
    assert read("1e40，70到650亿") == (["70", "650亿"], [f"figure at 0 skipped: {big}"])
    assert read("70到650亿，1e40") == (["70", "650亿"], [f"figure at 8 skipped: {big}"])
    assert [f.value for f in extract_figures("1e40，70到650亿")] == [Decimal(7 * 10**9), Decimal(65 * 10**9)]
