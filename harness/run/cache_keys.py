"""The persistent cache's keys and value encodings (harness.run.cache): a text's key under a
namespace, the namespace of a tokenizer's settings and of the code that makes tokens and scores,
and analysed sentences as one string, read back as a `StoredAnalysis` that splits it when used."""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from collections.abc import Sequence
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

from harness._version import __version__
from harness.text.analysed import AnalysedText

_TOKEN_SEP, _SENTENCE_SEP = "\x1f", "\x1e"  # control characters: normalisation turns them into spaces


def text_key(namespace: str, text: str) -> bytes:
    """The key of `text` under `namespace` (the settings that change what is stored for it)."""
    data = f"{namespace}\0{text}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).digest()


def encode_sentences(sentences: Sequence[Sequence[str]]) -> str:
    return _SENTENCE_SEP.join(_TOKEN_SEP.join(s) for s in sentences)


def decode_sentences(value: str) -> tuple[tuple[str, ...], ...]:
    if not value:
        return ()
    return tuple(tuple(s.split(_TOKEN_SEP)) for s in value.split(_SENTENCE_SEP))


# What OpenCC t2s does to an analysed text, stored before its sentences (`encode_analysis`).
UNKNOWN, KEEPS, CHANGES = "?", "=", "~"
_VERDICT_END = "\x1d"


def encode_analysis(analysis: AnalysedText, verdict: str = UNKNOWN, pending: bytes | None = None) -> bytes:
    """The stored value of a text's analysis: `verdict` on the text (KEEPS or CHANGES followed by the
    OpenCC version that said so, as normalize.opencc_build gives it, or UNKNOWN), a group separator,
    then its sentences (`encode_sentences`), in UTF-8. With `pending`, the value not yet written for
    the same key (so the same text and sentences), a known verdict replaces the one it has."""
    start = -1 if pending is None else pending.find(_VERDICT_END.encode())
    if pending is not None and start >= 0:
        return pending if verdict == UNKNOWN else verdict.encode("utf-8", "surrogatepass") + pending[start:]
    body = analysis._value if isinstance(analysis, StoredAnalysis) else encode_sentences(analysis.sentences)
    return f"{verdict}{_VERDICT_END}{body}".encode("utf-8", "surrogatepass")


def decode_analysis(value: bytes, key: bytes) -> StoredAnalysis | None:
    """The analysis `encode_analysis` stored, or None when the value is not one (not UTF-8, no verdict)."""
    try:
        verdict, end, body = value.decode("utf-8", "surrogatepass").partition(_VERDICT_END)
    except UnicodeDecodeError:
        return None
    return StoredAnalysis(body, verdict, key) if end else None


class StoredAnalysis(AnalysedText):
    """An analysis read back from the cache, its sentences and tokens made from the stored string
    (`encode_sentences`) on first use. A rerun whose pair counts are all cached needs only how
    many tokens each text has, counted in the string: splitting 11,000 texts into tuples took
    about 0.3 s CPU of a warm 10 x 1,000 run. `verdict`: what t2s does to the text, as stored."""

    __slots__ = ("_count", "_value", "verdict")

    def __init__(self, value: str, verdict: str = UNKNOWN, key: bytes = b"") -> None:
        super().__init__((), key)
        del self.sentences, self.tokens  # not set until first read: then __getattr__ makes them
        self._value = value
        self.verdict = verdict
        # Every token but a sentence's last is followed by a token separator, every sentence but the
        # last by a sentence separator: exactly how many tokens decode_sentences(value) has.
        self._count = value.count(_TOKEN_SEP) + value.count(_SENTENCE_SEP) + 1 if value else 0

    def __getattr__(self, name: str) -> Any:
        # Called only for an attribute that is not set: sentences and tokens before first use.
        if name == "sentences" or name == "tokens":
            self.sentences = decode_sentences(self._value)
            self.tokens = tuple(chain.from_iterable(self.sentences))
            return self.sentences if name == "sentences" else self.tokens
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def token_count(self) -> int:
        return self._count


# The modules whose code decides tokens and scores: a change to any of them (a new release, or
# a working copy being edited) must not be answered from entries made by the old code.
_CODE = (
    "text/normalize.py", "text/tokenizers.py", "text/analysed.py",
    "rouge/lcs.py", "rouge/scoring.py", "rouge/metrics.py", "run/cache.py", "run/cache_keys.py",
    "rouge/conventions/base.py", "rouge/conventions/rouge_chinese.py", "rouge/conventions/llamafactory.py",
    "rouge/conventions/opencompass.py", "rouge/conventions/runner.py",
)


@cache
def _code_digest() -> str:
    folder = Path(__file__).parent.parent  # the package
    digest = hashlib.blake2b(__version__.encode(), digest_size=8)
    for name in _CODE:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def namespace(signature_fields: dict[str, str]) -> str:
    """The part of a signature that changes a text's tokens, plus a digest of the code that
    makes tokens and scores (a new release may tokenize differently without a settings change)."""
    keys = ("unit", "tok", "hmm", "dict", "jdict", "norm", "punct", "split")
    # NFKC and the character categories normalisation relies on come from Python's Unicode
    # database, which changes between Python releases; a cache folder outlives a virtualenv.
    runtime = f"|unicode:{unicodedata.unidata_version}|py:{sys.version_info[0]}.{sys.version_info[1]}"
    return "|".join(f"{k}:{signature_fields.get(k, '')}" for k in keys) + f"|code:{_code_digest()}" + runtime
