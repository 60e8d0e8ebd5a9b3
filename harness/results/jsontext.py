"""JSON text of the contract, fast: `indented` gives the same bytes as `json.dumps(obj,
ensure_ascii=False, indent=2, allow_nan=False)` and `compact` those of the C encoder with no spaces.

Why not json.dumps(indent=2): with `indent` the standard library uses its pure-Python encoder, a
generator step per token. On the 10 systems x 1,000 documents contract (6.8 MB) it took 0.7-2.2 s
of a 5-6 s warm `harness score` (a noisy 2-core machine; benchmarks/bench_json.py); `indented`
takes about two thirds of that time, and `compact` (the C encoder) about a fifth, with 40% fewer bytes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from json.encoder import encode_basestring  # the C encoder of one string, as ensure_ascii=False uses it
from typing import Any

from harness.analyses.base import RawJSON

_FLOAT = float.__repr__  # what json writes for a finite float
_INT = int.__repr__
_CONSTANTS = {True: "true", False: "false"}


def compact(obj: Any) -> str:
    """`obj` as JSON with no spaces (C encoder); UTF-8 text kept as is; NaN refused. The values of
    a dict value of `obj` (a system's entry) may be `RawJSON` texts, copied as they are: the same
    text as reading them into objects first (`read_raw`), without building the objects."""
    if type(obj) is dict and any(_holds_raw(value) for value in obj.values()):
        return "".join(_parts(obj, _raw_text))  # type: ignore[arg-type]
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def compact_parts(obj: dict[Any, Any]) -> list[str | bytes]:
    """`compact(obj)` in parts for a writer of UTF-8, each `RawJSON` dict's bytes as one part of their
    own, put into the output as they are, never decoded into a str and encoded again (its keys
    encoded as the writer encodes a str part: a lone surrogate as its escape)."""
    return _parts(obj, _raw_bytes)


def _parts(obj: dict[Any, Any], raw: Callable[[dict[Any, RawJSON] | RawJSON], str | bytes]) -> list[str | bytes]:
    parts: list[str | bytes] = []
    start = "{"
    for key, value in obj.items():
        if _holds_raw(value):
            parts += [start + _key(key) + ":", raw(value)]
        else:
            parts.append(start + _key(key) + ":" + compact(value))
        start = ","
    parts.append("}" if obj else "{}")
    return parts


def _raw_text(texts: dict[Any, RawJSON] | RawJSON) -> str:
    if isinstance(texts, RawJSON):
        return texts.data.decode("utf-8")
    return "{" + ",".join(_key(key) + ":" + raw.data.decode("utf-8") for key, raw in texts.items()) + "}"


def _raw_bytes(texts: dict[Any, RawJSON] | RawJSON) -> bytes:
    if isinstance(texts, RawJSON):
        return texts.data
    return b"{" + b",".join(_key(key).encode("utf-8", "backslashreplace") + b":" + raw.data
                            for key, raw in texts.items()) + b"}"


def _holds_raw(value: Any) -> bool:
    """Whether `value` is a RawJSON text, or a dict of them (an analysis's per-document values)."""
    return type(value) is RawJSON or (type(value) is dict and bool(value) and type(next(iter(value.values()))) is RawJSON)


def read_raw(value: Any) -> Any:
    """`value` with RawJSON texts (one, or a dict of them) read into objects; anything else as it is."""
    if type(value) is RawJSON:
        return json.loads(value.data)
    if _holds_raw(value):
        return {key: json.loads(raw.data) for key, raw in value.items()}
    return value


def indented(obj: Any, indent: str = "") -> str:
    """`obj` as JSON indented by two spaces, byte-identical to json.dumps(indent=2); `indent` is
    the indentation of the line it starts on (its inner lines get that much more)."""
    out: list[str] = []
    _write(obj, indent, out)
    return "".join(out)


def _key(key: Any) -> str:
    if type(key) is str:
        return encode_basestring(key)
    return encode_basestring(next(iter(json.loads(json.dumps({key: None})))))  # json's own conversion of int, float, bool keys


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
    return _FLOAT(value)


def _write(obj: Any, indent: str, out: list[str]) -> None:
    kind = type(obj)
    if kind is str:
        out.append(encode_basestring(obj))
    elif kind is float:
        out.append(_number(obj))
    elif kind is dict:
        if not obj:
            out.append("{}")
            return
        inner = indent + "  "
        values = obj.values()
        if all(type(v) is float for v in values):  # a score: precision, recall, F on three lines at once
            sep = ",\n" + inner
            out.append("{\n" + inner + sep.join([_key(k) + ": " + _number(v) for k, v in obj.items()]) + "\n" + indent + "}")
            return
        start = "{\n" + inner
        for key, value in obj.items():
            out.append(start + _key(key) + ": ")
            start = ",\n" + inner
            _write(value, inner, out)
        out.append("\n" + indent + "}")
    elif kind is list or kind is tuple:
        if not obj:
            out.append("[]")
            return
        inner = indent + "  "
        start = "[\n" + inner
        for value in obj:
            out.append(start)
            start = ",\n" + inner
            _write(value, inner, out)
        out.append("\n" + indent + "]")
    elif kind is RawJSON:
        _write(json.loads(obj.data), indent, out)
    elif kind is bool:
        out.append(_CONSTANTS[obj])
    elif kind is int:
        out.append(_INT(obj))
    elif obj is None:
        out.append("null")
    else:  # subclasses and anything json itself accepts or refuses
        out.append(json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False).replace("\n", "\n" + indent))
