"""Names (systems, documents) as the human-readable renderers show them.

A folder name may hold anything but '/' and NUL: an ESC sequence that recolours the terminal,
a tab, a newline that splits a table row, a '|' that adds a markdown cell, a character that
XML 1.0 forbids. Renderers for people (table, markdown, JUnit, messages) pass every name
through `display_name`, which writes the invisible and structural characters as visible
backslash escapes; CJK and every other visible character stay as they are. JSON and CSV
carry names unchanged: their own quoting keeps them intact.
"""

from __future__ import annotations

import html
import re

from harness.errors import visible

# CommonMark lets a backslash escape any ASCII punctuation; these change a table cell or inline
# formatting ('|' a new cell, '<' an HTML tag, '&' an entity, '*' '_' '~' '`' '[' emphasis, code, links).
_MARKDOWN = re.compile(r"([\\|<>&*_~`\[\]])")


def display_name(name: str) -> str:
    """A system or document name safe for a terminal table, markdown and XML: `visible(name)`."""
    return visible(name)


def markdown_text(text: str) -> str:
    """Already-visible text made literal in markdown (a table cell or a heading): every character
    that markdown would read as structure gets a backslash, so it renders as itself."""
    return _MARKDOWN.sub(r"\\\1", text)


def html_text(text: str) -> str:
    """A name or text for HTML (element content or attribute): invisible characters as visible
    escapes (`display_name`), then HTML-escaped."""
    return html.escape(display_name(text), quote=True)


# Characters of a name the HTML page shows; the rest is in its tooltip. A 10,000-character system
# name made the page 152,000 px wide (table cells do not wrap, so that numbers stay on one line).
HTML_NAME_CAP = 60


def html_name(name: str) -> str:
    """A system, document or reference name as HTML element content: made visible, HTML-escaped,
    isolated in <bdi> (a right-to-left name cannot reorder what stands beside it), and past
    HTML_NAME_CAP characters shortened with an ellipsis, the whole name in its tooltip."""
    shown = display_name(name)
    if len(shown) <= HTML_NAME_CAP:
        return f"<bdi>{html.escape(shown, quote=True)}</bdi>"
    short = shown[: HTML_NAME_CAP - 1] + "…"
    return f'<bdi title="{html.escape(shown, quote=True)}">{html.escape(short, quote=True)}</bdi>'


def html_message(text: str) -> str:
    """A warning or other message for HTML: its names were made visible when it was written (a
    backslash in one is already doubled), so only what is still invisible is escaped, then HTML."""
    return html.escape(visible(text, backslash=False), quote=True)
