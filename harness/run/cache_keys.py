"""The persistent cache's keys and value encodings (harness.run.cache): a text's key under a
namespace, the namespace of a tokenizer's settings and of the code that makes tokens and scores,
and analysed sentences as one string."""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from harness._version import __version__

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
