"""Find every quantity in a text and read its value, unit and rounding (facts rules, docs/facts.md).

One left-to-right pass of one regex (no nested quantifiers, so no catastrophic backtracking) finds
number cores: Arabic digits (with 1,234 separators, decimals, 1e9), Chinese numerals, 百分之N and
dates like 2022/6/18. Short anchored reads around each core take the approximate word before it
(约, 超过, about ...), the magnitude after it (万, 亿, k, B, million ...), the unit (美元, $, 元, %,
成, 年, 月日, measure words) and an approximate word after it (多, 余, 左右). A last pass (ranges.py)
joins score pairs (90比89) and ranges (70~650亿: the bare start borrows the end's magnitude and unit). Latin
tokens that start with a letter (GPT-3.5, Alpaca7B, Qwen2.5-7B) are names and are skipped whole.
Values are exact Decimals; ``step`` is the place of the last written digit, so 5.4亿 has step 1e7.
"""

from __future__ import annotations

import re
from decimal import Decimal
from operator import attrgetter
from typing import NamedTuple

from harness.analyses.facts import units
from harness.analyses.facts.bounds import (
    MAX_VALUE,
    Left,
    finest_out_of_bounds,
    out_of_bounds,
    too_many_characters,
)
from harness.analyses.facts.figure import Approx, Figure, FigureKind
from harness.analyses.facts.marks import is_list_mark
from harness.analyses.facts.ranges import join_pairs

# Full-width ASCII becomes ASCII one character for one, so offsets still point into the caller's text.
_WIDE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0xFFE5: ord("¥"), 0x3000: ord(" ")}
_WIDE_CHAR = re.compile("[\uff01-\uff5e\uffe5\u3000]")

_HAN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_HAN_UNIT = {"十": 10, "百": 100, "千": 1000}
_HAN_BIG = {"万": 10**4, "亿": 10**8}
_HAN_CHARS = "零〇一二两三四五六七八九十百千万亿"

# The lookahead lets the scan skip a character that starts no core with one test, where trying
# each alternative there made the scan three times slower on summaries (benchmarks/README.md).
_CORE = re.compile(
    r"(?=[A-Za-z0-9零〇一二两三四五六七八九十百千万亿])(?:"
    r"(?P<latin>(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*)"
    r"|(?P<ymd>(?P<y>[0-9]{4})[/.-](?P<m>[0-9]{1,2})[/.-](?P<d>[0-9]{1,2})(?![0-9]|\.[0-9]))"  # before dotted (v5)
    r"|(?P<dotted>[0-9]+(?:\.[0-9]+){2,})"
    r"|(?P<time>[0-9]{1,2}:[0-9]{2}:[0-9]{2})"
    r"|(?P<arabic>(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<hanpct>百分之(?P<pnum>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?))"
    r"|(?P<han>[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?))"
)
class _Core(NamedTuple):
    start: int
    end: int
    value: Decimal
    step: Decimal
    has_magnitude: bool


def widen(text: str) -> str:
    """Full-width ASCII to ASCII, one character for one (offsets are kept, unlike NFKC). A regex
    replaces only the full-width characters there are: `str.translate` with a table looks up every
    character and took ten times longer on the shipped texts."""
    return _WIDE_CHAR.sub(_narrow, text)


def _narrow(match: re.Match[str]) -> str:
    return chr(_WIDE[ord(match.group())])


# Traditional characters of numerals and units, read as their simplified ones (5.4億美元, 兩成, 人民幣;
# v5), one for one as in `widen`: figures are read in the text as written, not as --t2s converts it.
_TRADITIONAL = dict(zip("億萬兩點個幣歐鎊圓韓臺盧條項歲週時鐘參數紀", "亿万两点个币欧镑圆韩台卢条项岁周时钟参数纪", strict=True))
_TRADITIONAL_CHAR = re.compile(f"[{''.join(_TRADITIONAL)}]")


def _simplify(match: re.Match[str]) -> str:
    return _TRADITIONAL[match.group()]


def parse_han(numeral: str) -> tuple[Decimal, Decimal] | None:
    """Value and step of a Chinese numeral (五亿四千万, 两千, 十二, 二〇二二, 三点五), None when malformed."""
    whole, _, frac = numeral.partition("点")
    if whole and all(c in _HAN_DIGIT for c in whole):
        if len(whole) > 1 and (whole[0] in "零〇" or "两" in whole):
            return None  # 两 never spells a digit string (四两 is four taels, not 42)
        value = Decimal("".join(str(_HAN_DIGIT[c]) for c in whole))
        step = Decimal(1)
    else:
        parsed = _parse_positional(whole)
        if parsed is None:
            return None
        value, step = parsed
    if frac:
        digits = "".join(str(_HAN_DIGIT[c]) for c in frac)
        value += Decimal("0." + digits)
        step = Decimal(1).scaleb(-len(digits))
    return value, step


def _parse_positional(whole: str) -> tuple[Decimal, Decimal] | None:
    total = section = 0
    digit: int | None = None
    small_limit = 10**4  # 十/百/千 must fall inside a section: 二千三百 yes, 三百二千 no
    for ch in whole:
        if ch in _HAN_DIGIT:
            if digit not in (None, 0):
                return None  # two digits in a row (四两, 三四) are no positional numeral
            digit = _HAN_DIGIT[ch]
        elif ch in _HAN_UNIT:
            place = _HAN_UNIT[ch]
            if place >= small_limit or (digit is None and (section or total)):
                return None
            section += (1 if digit is None else digit) * place
            small_limit, digit = place, None
        else:
            section += digit or 0
            if section == 0 and not (ch == "亿" and total):
                return None  # 万一, 亿万: 万 and 亿 must multiply something (两万亿 multiplies 两万)
            if ch == "亿":
                total = (total + section) * _HAN_BIG[ch]
            else:
                total += section * _HAN_BIG[ch]
            section, digit, small_limit = 0, None, 10**4
    total += section + (digit or 0)
    step = 1
    if any(c in _HAN_BIG for c in whole):
        # 两千 is exactly 2000, but 五亿四千万 is written like 5.4亿: rounded at its last non-zero digit.
        while total and total % (step * 10) == 0:
            step *= 10
    return Decimal(total), Decimal(step)


def _read_arabic(raw: str) -> tuple[Decimal, Decimal] | str:
    """Value and step of Arabic digits (at most MAX_FIGURE_CHARS of them), or why they are left out."""
    digits = raw.replace(",", "")
    mantissa, _, exponent = digits.lower().partition("e")
    finest = -len(mantissa.partition(".")[2]) + (int(exponent) if exponent else 0)
    # Before Decimal reads it: an exponent of 10^18 or more is past Decimal's (InvalidOperation).
    return finest_out_of_bounds(finest) or (Decimal(digits), Decimal(1).scaleb(finest))


def extract_figures(text: str, left: list[Left] | None = None) -> list[Figure]:
    """Every figure of ``text`` in order (see the module docstring for the surface forms); those
    past the bounds of bounds.py go to ``left``."""
    left = [] if left is None else left
    first = len(left)
    wide = _TRADITIONAL_CHAR.sub(_simplify, widen(text))  # one scan; a text without them is returned as it is
    figures: list[Figure] = []
    mantissas: list[Decimal] = []
    spans: list[tuple[int, int]] = []  # where the figures left out stand, for join_pairs
    last_end = 0
    for match in _CORE.finditer(wide):
        kind_of = match.lastgroup
        if kind_of in ("latin", "dotted", "time") or match.start() < last_end:
            continue
        if kind_of == "ymd":
            y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
            if 1 <= m <= 12 and 1 <= d <= 31:
                figures.append(Figure(text[match.start():match.end()], match.start(), match.end(),
                                      Decimal(y * 10000 + m * 100 + d), "date", "date", Decimal(0)))
                mantissas.append(Decimal(0))
            continue
        long = too_many_characters(match.end() - match.start())
        numerals = kind_of == "han" or (kind_of == "hanpct" and not match["pnum"][:1].isdigit())
        if long is not None and numerals:
            continue  # 65 Han numerals in a row (亿亿亿…, 一二三…) are no quantity anyone writes
        read = _read_core(wide, match) if long is None else long
        if read is None:
            continue
        if isinstance(read, str):
            figure: Figure | str | None = read
        else:
            core, hanpct = read
            figure = out_of_bounds(core.value, core.step) or _complete(text, wide, core, percent=hanpct)
        if isinstance(figure, str):  # left out where it stands, its currency before it too (US$1e40)
            spans.append(_left_span(wide, match.start(), match.end(), percent=kind_of == "hanpct"))
            left.append(Left("figure", *spans[-1], figure))
            last_end = spans[-1][1]
        elif figure is not None:
            if (figure.unit is None and figure.approx is None and figure.kind == "number"
                    and (version := units.version_end(wide, figure.start - 1)) >= figure.end):
                last_end = version  # the size of Llama 3.1 405B too (v6)
                continue  # Llama 3: a name's version, read with the name (names.py; v5)
            figures.append(figure)
            mantissas.append(core.value)
            last_end = figure.end
    joined = join_pairs(text, wide, figures, mantissas, spans, left)
    if spans:  # a range's start left out for its end comes first
        left[first:] = sorted(left[first:], key=attrgetter("start"))
    return joined


def _left_span(wide: str, start: int, end: int, *, percent: bool) -> tuple[int, int]:
    """Where a figure left out (bounds.py) stands: its core with the currency before it and the
    magnitude, unit and approximate word after it, as `_complete` reads them, so that none of them
    is read again as a figure of its own (1e40百万美元 holds no 百万美元, 1e40月18日 no 18) and a
    range or pair it is part of is found (join_pairs)."""
    if not percent:
        magnitude = units.MAGNITUDE_AFTER.match(wide, units.after_space(wide, end))  # every part optional
        end = magnitude.end() if magnitude and magnitude.end() > magnitude.start() else end
        unit = units.UNIT_AFTER.match(wide, units.after_space(wide, end))
        end = unit.end() if unit else end
        currency = units.CURRENCY_BEFORE.search(wide, max(0, start - 5), start)
        start = currency.start() if currency else start
    after = units.APPROX_AFTER.match(wide, end)
    return start, after.end() if after else end


def _read_core(wide: str, match: re.Match[str]) -> tuple[_Core, bool] | str | None:
    start, end = match.start(), match.end()
    if match.lastgroup == "arabic":
        if start > 1 and wide[start - 1] in "._" and wide[start - 2].isalnum():
            return None  # the tail of a name or version: v1.5, x.2
        if is_list_mark(wide, start, end) or wide.endswith("第", 0, start):
            return None  # 第3 is a rank, as 第三 is (v5)
        arabic = _read_arabic(match.group())
        return arabic if isinstance(arabic, str) else (_Core(start, end, *arabic, False), False)
    raw = match["pnum"] if match.lastgroup == "hanpct" else match.group()
    if raw[0] in "0123456789":
        arabic = _read_arabic(raw)
        return arabic if isinstance(arabic, str) else (_Core(start, end, *arabic, False), True)
    parsed = parse_han(raw)
    if parsed is None:
        return None
    if match.lastgroup == "hanpct":
        return _Core(start, end, parsed[0], parsed[1], False), True
    if wide.endswith(units.ORDINAL_BEFORE, 0, start):
        return None
    if ((raw[0] in "十百千万亿" and wide.endswith(("数", "几"), 0, start)) or wide.startswith("几", end)
            or (wide.startswith("位数", end) and wide[end + 2:end + 3] not in _WORD_AFTER_DIGITS)):
        return None  # 数十家, 几百万, 十几个, 两位数: no stated quantity (v6: 10 家, 2 people); 指数三千 is one
    lone = len(raw) == 1
    after = wide[end:end + 4]
    if all(c in "百千万亿" for c in raw) and not re.match(r"美元|元|人民币", after):
        return None  # 千万 (must), 百度, 万万: magnitude words, unless they count money (千万美元)
    if lone and raw == "一" and not units.LONE_ONE_OK.match(after):
        return None
    if lone and not units.LONE_OK.match(after):
        return None
    if len(raw) > 1 and all(c in _HAN_DIGIT for c in raw) and not (after.startswith("年") or "〇" in raw):
        return None  # 三三两两, 一一: digit strings only as years (二〇二二年)
    return _Core(start, end, parsed[0], parsed[1], any(c in _HAN_BIG for c in raw)), False


_WORD_AFTER_DIGITS = frozenset("学据字码值")  # 三位数学家, 两位数据科学家: 位 counts people there

def _complete(text: str, wide: str, core: _Core, *, percent: bool) -> Figure | str | None:
    """The figure of ``core`` with its magnitude, unit and approximate words; why it is left out
    when its magnitude takes it to 10^30 or more; None when it is no figure after all."""
    value, step, pos = core.value, core.step, core.end
    approx: Approx | None = None
    unit: str | None = None
    kind: FigureKind = "number"
    start = core.start
    has_magnitude = core.has_magnitude
    if not percent:
        at = units.after_space(wide, pos)
        mag = units.MAGNITUDE_AFTER.match(wide, at)
        if mag is not None and mag.end() > at:
            if mag["more"] or mag["over"]:
                approx = "over"
            factor = 1
            if mag["han"]:
                for ch in mag["han"]:
                    factor *= _HAN_UNIT.get(ch, 1) * _HAN_BIG.get(ch, 1)
            elif mag["latin"] or mag["word"]:
                factor = units.LATIN_MAGNITUDE[(mag["latin"] or mag["word"]).lower()]
            value, step, pos = value * factor, step * factor, mag.end()
            has_magnitude = has_magnitude or factor > 1
            rest = _REST.match(wide, pos) if mag["han"] and step == factor and not approx else None
            if rest is not None and (rest["place"] or rest["wan"] or rest["wan2"]):  # 5亿4千万, 1亿2000万, 3万5千: the places after the magnitude (v5)
                place = _HAN_UNIT.get(rest["place"], 1) * (10**4 if rest["wan"] or rest["wan2"] else 1)
                if int(rest["n"]) * place < factor:
                    value, step, pos = value + int(rest["n"]) * place, Decimal(place), rest.end()
                    approx = "over" if rest["more"] else None  # 1亿2千多万, 3万5千多 (v6)
        unit_match = units.UNIT_AFTER.match(wide, units.after_space(wide, pos))
    else:
        unit, kind = "%", "percent"
        unit_match = None
    if unit_match is not None:
        group = next(name for name in units.UNIT_GROUPS if unit_match[name] is not None)
        word = unit_match.group().strip()
        if group == "pct":
            unit, kind = ("百分点", "number") if word == "个百分点" else ("%", "percent")
        elif group == "cur":
            unit, kind = units.CURRENCIES[word.lower()], "money"
        elif group == "cheng":
            if value > 10 or has_magnitude:
                unit_match = None
            else:
                value, step, unit, kind = value * 10, step * 10, "%", "percent"
        elif group == "decade":
            unit = "年代"
        elif group == "year":
            if step == 1 and 1000 <= value <= 2999 and not has_magnitude:
                unit, kind, step = "year", "year", Decimal(0)
                month, day = _day(unit_match["ymonth"], 12), _day(unit_match["yday"])
                if unit_match["ymonth"] is not None and month and day is not None:  # 2023年6月18日: one date
                    value, unit, kind = Decimal(int(value) * 10000 + month * 100 + day), "date", "date"
                elif unit_match["ymonth"] is not None:  # 2023年13月: the year alone
                    unit_match = _YEAR_ALONE.match(wide, unit_match.start())
            else:
                unit = "年"
                unit_match = _YEAR_ALONE.match(wide, unit_match.start())
        elif group == "day":  # 18日: a day of a month the text gave before, or none (v5)
            if (step == 1 and 1 <= value <= 31 and not has_magnitude and value == value.to_integral_value()
                    and not units.DURATION_BEFORE.search(wide, max(0, start - 4), start)):
                value, step, unit, kind = Decimal(int(value)), Decimal(0), "date", "date"
            else:
                unit_match = None
        elif group == "month":
            month = int(value) if value == value.to_integral_value() else 0
            day = _day(unit_match["dnum"])
            if not 1 <= month <= 12 or day is None or has_magnitude:
                unit_match = None
            else:
                value, step, unit, kind = Decimal(month * 100 + day), Decimal(0), "date", "date"
        else:
            word = word.removeprefix("个") if word != "个" and word != "个月" else word
            unit = units.MEASURES.get(word.lower(), word)
            if word.lower() in units.KILO:  # 350千米, 350公里 and 350km are 350,000 米 (v6)
                unit, factor = units.KILO[word.lower()]
                value, step = value * factor, step * factor
        if unit_match is not None:
            pos = unit_match.end()
    if unit is None and not percent:
        cur = units.CURRENCY_BEFORE.search(wide, max(0, start - 5), start)
        if cur is not None:
            unit, kind, start = units.CURRENCIES[cur["c"].lower()], "money", cur.start()
    before = units.APPROX_BEFORE.search(wide, max(0, start - 16), start)
    if before is not None and not (before["w"] == "近" and wide.endswith(("最", "附"), 0, before.start())):
        approx = units.APPROX_KIND[before["w"].lower()]
    after = units.APPROX_AFTER.match(wide, pos)
    if after is not None:
        approx, pos = units.APPROX_KIND[after["w"] or after["more"]], after.end()
    if abs(value) >= MAX_VALUE:
        return "10^30 or more"
    if all(c in "百千万亿" for c in wide[core.start:core.end]):
        approx = approx or "about"  # 千万美元: "tens of millions", read as 10^7 give or take
    value, step = _tidy(value), _tidy(step)
    return Figure(text[start:pos], start, pos, value, unit, kind, step, approx)


def _tidy(number: Decimal) -> Decimal:
    """540000000.0 -> 540000000 (5.4亿 times 10^8), so values print as they compare."""
    return number.to_integral_value() if number == number.to_integral_value() else number.normalize()


def _day(raw: str | None, last: int = 31) -> int | None:
    """A day (or, with `last` 12, a month) as written; 0 when not written, None when out of range."""
    if raw is None:
        return 0
    if raw[0].isdigit():
        day = int(raw)
    else:
        parsed = parse_han(raw)
        day = int(parsed[0]) if parsed else 0
    return day if 1 <= day <= last else None


_YEAR_ALONE = re.compile("年")  # a year's unit without the month after it
# What may follow a Chinese magnitude as its lower places: digits and a place (4千万, 2000万, 5千).
# Not when a larger place follows (3万亿5千亿, 1万2千亿: read as before v5). 多 or 余 may stand before
# the last 万 or end it, "over" (1亿2千多万, 3万5千多人; v6: two figures before, 1亿 and 2千).
_REST = re.compile(r"(?P<n>[0-9]{1,4})(?P<place>[十百千])?(?:(?P<more>[多余])(?P<wan>万)?|(?P<wan2>万))?(?![0-9十百千万亿多余])")
