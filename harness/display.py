"""Names (systems, documents) as the human-readable renderers show them.

A folder name may hold anything but '/' and NUL: an ESC sequence that recolours the terminal,
a tab, a newline that splits a table row, a '|' that adds a markdown cell, a character that
XML 1.0 forbids. Renderers for people (table, markdown, JUnit, messages) pass every name
through `display_name`, which writes the invisible and structural characters as visible
backslash escapes; CJK and every other visible character stay as they are. JSON and CSV
carry names unchanged: their own quoting keeps them intact.
"""

from __future__ import annotations

import re
import unicodedata

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Control (Cc), format (Cf: zero-width and bidi controls), surrogate (Cs) characters and the
# line and paragraph separators (Zl, Zp) are invisible or move the cursor.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# CommonMark lets a backslash escape any ASCII punctuation; these change a table cell or inline
# formatting ('|' a new cell, '<' an HTML tag, '&' an entity, '*' '_' '~' '`' '[' emphasis, code, links).
_MARKDOWN = re.compile(r"([\\|<>&*_~`\[\]])")


def _is_noncharacter(ch: str) -> bool:
    """U+FDD0..U+FDEF and U+xFFFE/U+xFFFF: reserved, never text; XML 1.0 forbids U+FFFE and U+FFFF."""
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def visible(text: str, *, backslash: bool = True) -> str:
    """`text` with tab, CR and LF as \\t \\r \\n and other invisible characters as \\xNN,
    \\uNNNN or \\UNNNNNNNN; with `backslash`, a backslash is doubled so escapes stay unambiguous."""
    out = []
    for ch in text:
        if ch in _NAMED:
            out.append(_NAMED[ch])
        elif ch == "\\" and backslash:
            out.append("\\\\")
        elif unicodedata.category(ch) in _HIDDEN or _is_noncharacter(ch):
            out.append(_escape(ch))
        else:
            out.append(ch)
    return "".join(out)


def display_name(name: str) -> str:
    """A system or document name safe for a terminal table, markdown and XML: `visible(name)`."""
    return visible(name)


def markdown_text(text: str) -> str:
    """Already-visible text made literal in markdown (a table cell or a heading): every character
    that markdown would read as structure gets a backslash, so it renders as itself."""
    return _MARKDOWN.sub(r"\\\1", text)
