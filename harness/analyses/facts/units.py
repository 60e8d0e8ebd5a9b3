"""The words around a number (facts rules, docs/facts.md): approximate words before and after it,
its magnitude (万, 亿, k, billion), its currency before or after it, and its unit (%, 成, 年, 月日,
measure words). figures.py reads a number's core, then these around it.
"""

from __future__ import annotations

import re

from harness.analyses.facts.figure import Approx

APPROX_BEFORE = re.compile(
    r"(?P<w>大约|约|将近|接近|近|超过|突破|超|逾|不到|不足|至少|about|around|roughly|approximately|nearly|almost|"
    r"over|more than|at least|less than|under)\s*$",
    re.IGNORECASE,
)
APPROX_KIND: dict[str, Approx] = {
    "大约": "about", "约": "about", "about": "about", "around": "about", "roughly": "about", "approximately": "about",
    "将近": "under", "接近": "under", "近": "under", "不到": "under", "不足": "under", "nearly": "under",
    "almost": "under", "less than": "under", "under": "under",
    "超过": "over", "超": "over", "逾": "over", "至少": "over", "over": "over", "more than": "over", "at least": "over",
    "多": "over", "余": "over", "左右": "about", "上下": "about",
    "突破": "over", "以上": "over", "以下": "under",  # v6
}
# Dollars by the letters of their country before the sign (HK$ is Hong Kong's, not US dollars); names.py
# reads these letters, with the sign, as no name.
DOLLARS = {"US": "USD", "HK": "HKD", "NT": "TWD", "AUS": "AUD", "AU": "AUD", "A": "AUD", "CA": "CAD", "C": "CAD",
           "SG": "SGD", "S": "SGD", "NZ": "NZD"}
# A currency written before a number: a dollar sign with its country's letters, if any (the letters of
# another word, costs$5, make no currency), or a code.
CURRENCY_BEFORE = re.compile(rf"(?<![A-Za-z])(?P<c>(?:{'|'.join(DOLLARS)})?\$|USD|RMB|CNY|EUR|GBP|JPY|¥|€|£)\s?$",
                             re.IGNORECASE)
# An English word ends where no Latin letter or digit follows: `\b` saw no end in "billion美元", as
# Python counts a Han character as a word character (v5).
_END = "(?![A-Za-z0-9])"
# After a Chinese magnitude, 多 or 余 says "over" as it does before one (10亿多元, 1万多人, 100万余元; v5).
# 千 before 米, 克 or 瓦 is a unit's kilo (350千米, 75千克), no magnitude: the unit is read in metres,
# grams or watts (KILO; v6: 350千米 was a bare 350,000, which 350公里 did not match).
MAGNITUDE_AFTER = re.compile(
    r"(?P<more>[多余])?(?:(?P<han>[十百千]?[万亿]{1,2}|(?:[十百]|千(?![米克瓦]))(?![年月日号分]))(?P<over>[多余](?![多余万亿]))?"
    rf"|(?P<latin>k|K|m|M|bn|b|B){_END}|\s?(?P<word>thousand|million|billion|trillion){_END})?",
    re.IGNORECASE,
)
LATIN_MAGNITUDE = {"k": 10**3, "m": 10**6, "b": 10**9, "bn": 10**9, "thousand": 10**3, "million": 10**6,
                    "billion": 10**9, "trillion": 10**12}
CURRENCIES = {"美元": "USD", "美金": "USD", "usd": "USD", "$": "USD", "dollars": "USD",
              "人民币": "CNY", "元": "CNY", "块钱": "CNY", "rmb": "CNY", "cny": "CNY", "¥": "CNY", "yuan": "CNY",
              "欧元": "EUR", "eur": "EUR", "€": "EUR", "英镑": "GBP", "gbp": "GBP", "£": "GBP", "日元": "JPY",
              "日圆": "JPY", "jpy": "JPY", "港元": "HKD", "港币": "HKD", "澳元": "AUD", "加元": "CAD", "新加坡元": "SGD",
              "新元": "SGD", "新台币": "TWD", "台币": "TWD", "韩元": "KRW", "卢布": "RUB", "瑞郎": "CHF",
              "瑞士法郎": "CHF", "泰铢": "THB", "卢比": "INR",
              **{f"{letters.lower()}$": code for letters, code in DOLLARS.items()}}
# The currency words after a number, longest first (新加坡元 before 元).
_CURRENCY_WORDS = "|".join(sorted((w for w in CURRENCIES if "\u4e00" <= w[0] <= "\u9fff"), key=len, reverse=True))
# Measure and count words that may follow a number; English ones map to the Chinese word, and the
# words that count people (人, 名, 位: 1000人 and 1000名员工) to one (v5).
MEASURES = {"parameters": "参数", "params": "参数", "times": "次", "tokens": "token", "examples": "条", "名": "人", "位": "人",
            "kwh": "千瓦时", "kw·h": "千瓦时", "千瓦·时": "千瓦时"}
# Lengths, masses and powers in their base unit: (unit, factor) of the kilo words (v6).
KILO = {"千米": ("米", 1000), "公里": ("米", 1000), "km": ("米", 1000), "千克": ("克", 1000), "公斤": ("克", 1000),
        "kg": ("克", 1000), "千瓦": ("瓦", 1000), "kw": ("瓦", 1000)}  # 米, 克, 瓦 alone are no unit (国米2-1米兰)
# A month and day after a year make one date with it (2023年6月18日; v5), as 2023/6/18 is one.
_DAY = "(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})"
UNIT_AFTER = re.compile(
    rf"\s?(?P<pct>%|percent{_END}|个百分点)"
    rf"|(?P<cur>{_CURRENCY_WORDS}|\s?(?:USD|RMB|CNY|dollars|yuan|EUR|GBP|JPY){_END})"
    r"|(?P<cheng>成)(?![本功为立员果绩交长就熟型品])"
    rf"|(?P<decade>年代)|(?P<year>年)(?![级])(?: ?(?P<ymonth>{_DAY}) ?月(?: ?(?P<yday>{_DAY}) ?[日号])?)?"
    rf"|(?P<month>月)(?: ?(?P<dnum>{_DAY}) ?[日号])?"
    r"|(?P<day>日)(?![元圆本均期内游])"
    r"|(?P<measure>个?参数|世纪|个月|个|条|次|倍|位|名|家|项|款|篇|天|周|小时|分钟|秒|岁|人次|人|千米|公里|千克|公斤|千瓦·?时|千瓦|亿?token|"
    rf"\s(?:parameters|params|times|tokens|examples){_END}|\s?(?:km(?![²³23])|kg|kw·?h|kw){_END})",
    re.IGNORECASE,
)
UNIT_GROUPS = ("pct", "cur", "cheng", "decade", "year", "month", "day", "measure")
# After a unit: about (左右, 上下), over (以上, and 多 after 成 or 倍: 三成多, 5倍多) or under (以下; v6).
APPROX_AFTER = re.compile(r"[ \t]*(?P<w>左右|上下|以上|以下)|(?<=[成倍])(?P<more>多)(?!数)")  # not on the next line
ORDINAL_BEFORE = ("第", "星期", "周")
# A lone Chinese numeral is a figure only before one of these (一 only before 月/成/倍/%/currency:
# otherwise 一个/一种/一天 are the article "a", and 三箭资本/八仙过海/十分 are words).
LONE_OK = re.compile(r"[多余]?[万亿]|[%成倍年月日号美元人民币欧英港]|个百分点|亿|万|个|条|次|位|名|家|项|天|周|岁")
LONE_ONE_OK = re.compile(r"[%成倍月]|美元|元|人民币")

# A version stands in Chinese text only: its name comes right after a Han character or a Chinese
# mark; after it the end of the text, a mark, one space and a capitalised word, or a Chinese word
# (Llama 3模型) that is no magnitude, unit, joiner or count (`version_end`). A model's size may follow
# it (Llama 3.1 405B), or stand for it before the end, a mark or 模型/版本 (Mistral 7B模型; not TikTok 1B
# 用户, nor Qwen 72B在, whose 72B is 720亿; v6).
_VERSION = re.compile(r" (?:[0-9]{1,4}(?:\.[0-9])?[BMK](?=$|[，。、；：！？,;!?）)」》”’]| ?(?:模型|大模型|版本))|"
                      r"[0-9]{1,2}(?:\.[0-9]{1,2})?(?: [0-9]{1,4}(?:\.[0-9])?[BMK])?)(?=$|[，。、；：！？,;!?）)」》”’]| [A-Z]| ?[\u4e00-\u9fff])")
_CHINESE_BEFORE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff，。、；：！？（“‘「《]")
# Han characters after a number that make it a count or a side of a pair, not a version (beside the
# magnitudes and units above): joiners of scores and ranges, and measure words.
_NOT_AFTER_VERSION = frozenset("比对到至和与及或张辆台部只件座架艘块颗枚支卡套批轮届季期代层级段多余分杀核票场球")
_COUNT_WORDS = {"分": "为别析享布类配化支成期", "杀": "毒", "核": "心查准算", "票": "房据务", "场": "景所地合面",
                "球": "员队迷场星"}  # the second characters of the words these begin


def after_space(wide: str, pos: int) -> int:
    """Where a Chinese magnitude or unit after a number may start: past one space before a Han
    character (营收 5.4 亿美元, 6 月 18 日: the spacing many writers and models put between digits and
    Chinese; v5), else `pos`."""
    return pos + 1 if wide.startswith(" ", pos) and "\u4e00" <= wide[pos + 1:pos + 2] <= "\u9fff" else pos


def version_end(wide: str, end: int) -> int:
    """Where a version after the Latin word that ends at `end` ends, else -1 (v5): 发布了Llama 3。and
    Claude 3.5 Sonnet are names, compared whole, not a name and a figure. One or two digits, maybe a
    decimal part, after one space and a word with a capital letter that follows a Han character or a
    Chinese mark, or those and one space (v6); after them the end of the text, a mark, a capitalised word, or a Chinese word that is
    no magnitude, unit, joiner or measure word (Llama 3模型). Anything else keeps its figure, as before
    v5: a count or pair after it (OpenAI 3 位高管, BLG 3比1, 英伟达H100 8张), a word of English prose
    (At 10, he; On 18 April), a name after a space (微软向 OpenAI 10 亿)."""
    found = _VERSION.match(wide, end)
    if found is None:
        return -1
    start = end
    while start > 0 and wide[start - 1].isascii() and wide[start - 1].isalnum():
        start -= 1
    word = wide[start:end]
    opener = start - 2 if wide.startswith(" ", start - 1) and start > 1 else start - 1  # Meta 发布了 Llama 3 (v6)
    if (start == 0 or not _CHINESE_BEFORE.match(wide, opener) or len(word) < 2  # one letter is no name (A 3)
            or not (word[:1].isalpha() and word != word.lower())):
        return -1
    after = after_space(wide, found.end())
    if "\u4e00" <= wide[after:after + 1] <= "\u9fff":  # Llama 3模型 is a version; 3 位高管, 3比1, 49亿, 8张 are not
        magnitude = MAGNITUDE_AFTER.match(wide, after)
        # 分, 杀, 核, 票, 场, 球 count but in words they begin (30 分, 12场比赛; not 3分为, 60核心, 23球员)
        word = wide[after:after + 2]  # at the end of the text, the character alone: "" is in every string
        counted = word[0] in _NOT_AFTER_VERSION and not (len(word) == 2 and word[1] in _COUNT_WORDS.get(word[0], ""))
        if (counted or (magnitude is not None and magnitude.end() > after)
                or UNIT_AFTER.match(wide, after) or APPROX_AFTER.match(wide, after)):
            return -1
    return found.end()


# Words before N日 that make it a number of days, not a day of the month (连续3日, 为期3日; v5).
DURATION_BEFORE = re.compile(r"(?:连续|近|为期|持续|过去|未来|最近|长达|历时|上映|假期|前|后|每|共|仅)\s*$")
