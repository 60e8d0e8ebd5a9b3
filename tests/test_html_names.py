"""Names and warnings in the HTML report (issue 17, class 11): escaped once, isolated in <bdi>,
long names shortened with the whole name in a tooltip, and the page no wider than its window."""

from __future__ import annotations

import re

import pytest
from test_html_browser import browser, open_page  # noqa: F401  (the browser fixtures, by module name as test_cache does)

from harness import Corpus, Settings, evaluate
from harness.render.html import render_html
from harness.render.names import HTML_NAME_CAP, html_name

LONG = "长" * 9_997 + "end"  # 10,000 characters
RLO = "good\u202eevil"  # a right-to-left override: "evil" would be drawn reversed, and what follows it too
SLASH = "a\\b"


def _page() -> tuple[str, Corpus, Settings]:
    corpus = Corpus(
        references={"d": {"r": "今天天气很好"}, "e": {"r": "明天下雨"}},
        candidates={LONG: {"d": "今天很好", "e": "明天"}, RLO: {"d": "天气很好", "e": "下雨"},
                    SLASH: {"d": "。", "e": "明天下雨"}},
    )
    settings = Settings(unit="char")
    return render_html(evaluate(corpus, settings), corpus, settings), corpus, settings


def _outside_scripts(page: str) -> str:
    return re.sub(r"<script\b.*?</script>", "", page, flags=re.S)


def test_warnings_are_escaped_once():
    page, _, _ = _page()
    # The warning names the system with repr(), as on standard error: 'a\\b' (two backslashes).
    # The page used to double them again (four).
    warning = "<li>system &#x27;a\\\\b&#x27;, document &#x27;d&#x27;: candidate has no scorable tokens; scored 0</li>"
    assert warning in page
    assert "a\\\\\\\\b" not in page


def test_names_are_isolated_and_a_bidi_control_is_never_raw():
    page, _, _ = _page()
    shown = _outside_scripts(page)
    assert "\u202e" not in shown  # only the JSON blocks carry the name unchanged
    assert "<bdi>good\\u202eevil</bdi>" in shown  # the ranked table, the heat map...
    assert "\u202e" in page  # ...and the JSON contract keeps the real name for tools


def test_a_long_name_is_shortened_with_the_whole_name_in_its_tooltip():
    page, _, _ = _page()
    shown = _outside_scripts(page)
    short = "长" * (HTML_NAME_CAP - 1) + "…"
    assert f'<bdi title="{LONG}">{short}</bdi>' in shown
    # Nowhere outside a tooltip (or the SVG <title>, a tooltip too) or a data attribute (not
    # displayed: the page's script finds rows by it) does more of it appear.
    without_tips = re.sub(r'(?:title|data-system)="[^"]*"|<title>.*?</title>', "", shown, flags=re.S)
    assert "长" * HTML_NAME_CAP not in without_tips


def test_html_name_at_the_cap_and_past_it():
    # A variant on the boundary: exactly HTML_NAME_CAP characters are kept whole, one more is cut.
    assert html_name("x" * HTML_NAME_CAP) == "<bdi>" + "x" * HTML_NAME_CAP + "</bdi>"
    cut = html_name("x" * (HTML_NAME_CAP + 1))
    assert cut == f'<bdi title="{"x" * (HTML_NAME_CAP + 1)}">{"x" * (HTML_NAME_CAP - 1)}…</bdi>'
    # markup in a name is text, in the tooltip as in the element
    assert html_name('<b a="1">') == "<bdi>&lt;b a=&quot;1&quot;&gt;</bdi>"


@pytest.mark.browser
def test_the_page_stays_as_wide_as_its_window_and_the_drilldown_finds_long_names(open_page):  # noqa: F811
    page, _, _ = _page()
    opened = open_page(page)
    assert opened.clean(), opened.errors
    p = opened.page
    # The viewport is 1,200 px wide; a 10,000-character name made the page 152,000 px wide.
    assert p.evaluate("document.documentElement.scrollWidth") <= 1200
    # The per-document table and the drill-down are drawn by the page's script: the same rules.
    assert "\u202e" not in p.evaluate("document.body.innerText")
    headers = p.eval_on_selector_all("#doc-table thead th bdi", "els => els.map(e => e.textContent)")
    assert "good\\u202eevil" in headers and "a\\\\b" in headers
    assert "长" * (HTML_NAME_CAP - 1) + "…" in headers
    # Choosing the long-named system (options are shortened: it is found by its index, not its text)
    options = p.eval_on_selector_all("#drill-system option", "els => els.map(e => e.textContent)")
    p.select_option("#drill-system", index=options.index("长" * (HTML_NAME_CAP - 1) + "…"))
    heading = p.inner_text("#drill-cand h3")
    assert heading == "Candidate: " + "长" * (HTML_NAME_CAP - 1) + "…"
    assert p.get_attribute("#drill-cand h3", "title") == LONG

