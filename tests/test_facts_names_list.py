"""The names list (`--names FILE`): lines that share a name are one alias group."""

from __future__ import annotations

from harness.analyses.facts import check_facts, parse_names


def test_lines_sharing_a_name_are_one_alias_group() -> None:
    # `谷歌=Google` and a later `Google=Alphabet` were two entries, so 谷歌 never met Alphabet. By
    # hand: the two lines share Google, so one group; its forms in order of first appearance (谷歌,
    # Google from line 1, then Alphabet), the first line's first form canonical; 百度 shares nothing;
    # the repeated line 4 adds nothing.
    names = parse_names("谷歌=Google\n百度\nGoogle=Alphabet\n谷歌=Google\n", "names.txt")
    assert names.entries == (("谷歌", "Google", "Alphabet"), ("百度",))
    # Groups join through a later line, a name compared case-folded as the list is searched in a
    # text: b1 is B1, so line 3 joins lines 1 and 2; forms A1 B1 (line 1), C1 D1 (line 2), b1 (line 3).
    assert parse_names("A1=B1\nC1=D1\nb1=C1\n", "names.txt").entries == (("A1", "B1", "C1", "D1", "b1"),)
    assert parse_names("谷歌\n谷歌\n", "names.txt").entries == (("谷歌",),)


def test_a_name_is_supported_by_an_alias_from_another_line() -> None:
    # The source says Alphabet only; the summary says 谷歌 and Google. Before, 谷歌 and Google were
    # one item (line 1's group, canonical 谷歌) with forms 谷歌 and Google only: UNSUPPORTED. Now the
    # group holds Alphabet, found in the source: one item, supported.
    names = parse_names("谷歌=Google\nGoogle=Alphabet\n", "names.txt")
    result = check_facts("Google与谷歌发布了新模型。", source="Alphabet发布了新模型。", offtopic=None, names=names)
    assert [(item.text, item.status) for item in result.names] == [("Google", "supported")]
