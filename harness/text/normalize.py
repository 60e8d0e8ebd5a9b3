"""Text normalisation and sentence splitting applied before tokenization.

Normalisation makes a score independent of encoding accidents: Unicode NFKC
(full-width letters, digits and punctuation become half-width), lower-case,
CRLF and lone CR become LF, control characters become spaces, invisible format
characters (zero-width space, BOM) vanish, spaces between two Han characters are
removed, and optionally traditional Chinese becomes simplified (OpenCC t2s).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

# Closing quotes and brackets that stay with the sentence they end (after NFKC).
CLOSERS = "\"'”’」』)]}》〉】〗"
# A sentence ends after 。!?; (full-width forms are ASCII after NFKC), after an
# ellipsis (two or more dots: NFKC turns … into ..., and the midline ⋯ is mapped to …
# first), after a single '.' that is not inside a number or a name like "gpt-3.5" / "x.com", and at every line break.
_SENTENCE_END = re.compile(rf"(?:[。!?;]+|\.{{2,}}|\.(?![a-z0-9]))[{re.escape(CLOSERS)}]*|\n")
SPLIT_NAME = "zh-v1"

_KEEP_CONTROLS = {"\n", "\t"}
# Han ideographs for regex character classes: CJK Unified (BMP and extensions), compatibility.
HAN_RANGES = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U0003134f"
)
# Spaces and tabs between two Han characters carry no meaning in Chinese (editors, OCR and
# some models insert them) but would cut a jieba word in two; they are removed. Line breaks
# are kept: they end a sentence.
_HAN_GAP = re.compile(rf"(?<=[{HAN_RANGES}])[^\S\n]+(?=[{HAN_RANGES}])")


@lru_cache(maxsize=1)
def _opencc_t2s():  # type: ignore[no-untyped-def]
    import opencc  # lazy: only needed with --t2s or for the traditional-Chinese warning

    return opencc.OpenCC("t2s")


def opencc_version() -> str:
    """Version of the OpenCC binding used for --t2s."""
    from importlib.metadata import version

    return version("opencc")


@cache
def opencc_build() -> str:
    """The OpenCC binding's version as its module gives it: what a verdict of t2s kept in the
    persistent cache is checked against (harness.run.cache_keys). Importing the module takes about
    10 ms, opencc_version()'s lookup of the package metadata about 40 ms."""
    import opencc

    return str(getattr(opencc, "__version__", "") or opencc_version())


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters to simplified ones (OpenCC t2s)."""
    return str(_opencc_t2s().convert(text))


@lru_cache(maxsize=4096)
def _scrub(ch: str) -> str:
    if ch in _KEEP_CONTROLS:
        return ch
    category = unicodedata.category(ch)
    if category == "Cf":  # zero-width space/joiner, BOM, soft hyphen: invisible, so they vanish
        return ""
    return " " if category[0] == "C" else ch


def normalize(text: str, *, t2s: bool = False) -> str:
    """Apply the normalisation policy (see module docstring) to a whole text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("⋯", "…")
    text = unicodedata.normalize("NFKC", text)
    if t2s:
        text = to_simplified(text)
    text = text.lower()
    # Line breaks and tabs are kept but are not "printable": test without them, so that the
    # common multi-line text skips the per-character pass.
    if not text.replace("\n", "").replace("\t", "").isprintable():
        text = "".join(map(_scrub, text))
    return _HAN_GAP.sub("", text)


def split_sentences(text: str) -> list[str]:
    """Split normalised text into sentences for ROUGE-Lsum, keeping closing quotes
    with their sentence; empty pieces are dropped."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        piece = text[start : match.end()].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


@cache
def _basic_han() -> re.Pattern[str]:
    """One basic Han character, compiled on first use: only a text that t2s changes is counted
    with it, and the pattern takes about 2 ms to compile."""
    return re.compile("[\u4e00-\u9fff]")


def han_ratio_changed_by_t2s(text: str) -> tuple[int, int]:
    """Return (Han characters, Han characters that t2s would change): a cheap
    traditional-Chinese detector."""
    joined = "".join(_basic_han().findall(text))
    if not joined:
        return 0, 0
    converted = to_simplified(joined)
    if len(converted) != len(joined):
        return len(joined), sum(1 for ch in joined if to_simplified(ch) != ch)
    return len(joined), sum(1 for a, b in zip(joined, converted, strict=True) if a != b)
