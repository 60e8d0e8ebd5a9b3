"""List and citation marks (facts rules, docs/facts.md): the numbers of enumerations, headings and
citations, which figures.py reads as no figure (1、, 。2., (3), [4], **5., 01 at a line start)."""

from __future__ import annotations

# Brackets around a list or citation number ((1), [2], 【3】), in widened text: （ and ［ are ( and [.
_CLOSING = {"(": ")", "[": "]", "【": "】", "〔": "〕", "〖": "〗"}


def is_list_mark(wide: str, start: int, end: int) -> bool:
    """Enumeration and citation marks, not quantities: 1、 anywhere; 2. at a line start (after a colon
    or semicolon too, not a time's 14:07) and, one or two digits, at a sentence or clause start or
    after a space after a Han character with more text after it (v6: 。1.降价, ，2.开源, 如下 1. 降价);
    3), one or two digits, there too, with text after it when after a comma or space (v6); (4), [5]
    and 【6】, one or two digits (v6); 01 as a heading number at a line start. Spaces, closing quotes
    and Markdown's * # - may stand between the start and the number (v6)."""
    before = start
    while before > 0 and wide[before - 1] in " \t\"'”’」』*#-":  # 。”2. as 。2.; Markdown's **1., ### 2., - 3.
        before -= 1
    mark = wide[before - 1] if before else "\n"
    short = end - start <= 2
    # after a colon that follows a digit, a time or a score (14:07), not a list (v6: 07 a heading number)
    line_start = mark in "\n:;：；" and not (mark in ":：" and before > 1 and wide[before - 2].isdigit())
    nxt = wide[end:end + 2]
    if short and (nxt[:1] == "、" or (start and _CLOSING.get(wide[start - 1], "?") == nxt[:1])):
        return True
    # ！？ are widened to !?; a comma, or a space after a Han character before a point and more text
    # (，2. 开源, 如下 1. 降价; v6), starts a list item too, not a bracket's 增长 15）or an end's 价格为 89.
    sentence = mark in "。!?"
    clause = mark in "，," or (before < start and "\u4e00" <= mark <= "\u9fff")
    listed = nxt[1:2] == " " or "\u4e00" <= nxt[1:2] <= "\u9fff"  # text after the mark: 1) 成本, not 15）。
    if short and nxt[:1] == ")" and (line_start or sentence or (clause and listed)) and not _opened(wide, start):
        return True
    if (line_start or (short and (sentence or (clause and nxt[1:2] not in ("", "\n"))))) and (
            nxt[:1] == "." and not nxt[1:2].isdigit()):
        return True
    # 01 at a line start is a heading number; 09:30 there is a time, its hour no heading (v7)
    return (line_start and wide[start] == "0" and end - start == 2 and not nxt[:1].isdigit()
            and not (nxt[:1] in ":∶" and nxt[1:2].isdigit()))


def _opened(wide: str, start: int) -> bool:
    """Whether a bracket opened in the 64 characters before `start` is still open there (（男，45）); a
    bounded look, so that a long text of list items costs linear time (the whole text was quadratic)."""
    low = max(0, start - 64)
    return wide.rfind("(", low, start) > max(wide.rfind(")", low, start), wide.rfind("\n", low, start))
