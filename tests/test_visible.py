"""harness.errors.visible: what it escapes, and its fast path for text with nothing to escape.

The expected output is computed by a loop written here from the rule in visible's docstring
(tab, CR, LF named; a backslash doubled; control, format, surrogate, line and paragraph
separator characters and the noncharacters U+FDD0-U+FDEF, U+xFFFE, U+xFFFF escaped), one
character at a time, so the fast path cannot drift from it."""

from __future__ import annotations

import random
import unicodedata

import pytest

from harness.errors import visible


def _by_hand(text: str, backslash: bool) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\t\n\r":
            out.append({"\t": "\\t", "\n": "\\n", "\r": "\\r"}[ch])
        elif ch == "\\" and backslash:
            out.append("\\\\")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


@pytest.mark.parametrize("backslash", [True, False])
def test_every_character_of_the_first_planes_ends_and_specials(backslash: bool) -> None:
    codes = [*range(0x3100), *range(0xFD00, 0x10000), *(p * 0x10000 + k for p in range(1, 17) for k in (0, 0xFFFE, 0xFFFF)),
             0xE0001, 0x202E, 0x3000, 0x00A0]
    for code in codes:
        assert visible(chr(code), backslash=backslash) == _by_hand(chr(code), backslash), hex(code)


def test_mixed_strings() -> None:
    rng = random.Random(7)
    pool = [chr(c) for c in (*range(0x20, 0x80), 0x9, 0xA, 0x5C, 0x200B, 0x202E, 0xFEFF, 0x3000, 0xFDD0, 0xFFFE,
                             *range(0x4E00, 0x4E40))]
    for _ in range(20_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 6)))
        assert visible(text) == _by_hand(text, True)
        assert visible(text, backslash=False) == _by_hand(text, False)
    # By hand: a plain Chinese warning comes back as the same object (the fast path), a backslash
    # is doubled, an RLO (U+202E) is escaped.
    plain = "系统 'a' 的摘要：2 figures or names not in the source"
    assert visible(plain) is plain
    assert visible("a\\b") == "a\\\\b" and visible("x\u202ey") == "x\\u202ey"
