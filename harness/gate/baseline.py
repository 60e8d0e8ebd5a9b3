"""Reading and validating a stored baseline (the JSON contract of `harness score`)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from harness.analyses.extractive import is_row_name as is_row_name
from harness.analyses.extractive import near_row_name as near_row_name
from harness.errors import BaselineError, HarnessError
from harness.files import read_text
from harness.results.contract import REGENERATE, _fail, validate


class _Bad:
    """A JSON literal the harness will not read as a number: NaN, Infinity, or one outside a double."""

    def __init__(self, literal: str, problem: str) -> None:
        self.literal = literal
        self.problem = problem


class _Object(dict[str, Any]):
    """A parsed JSON object that remembers the first key it saw twice."""

    repeated: str | None = None


def _short(literal: str) -> str:
    return literal if len(literal) <= 24 else f"{literal[:12]}...{literal[-4:]} ({len(literal)} characters)"


def _number(literal: str) -> float | int | _Bad:
    """A number literal as a Python number, or _Bad when no double can hold it.

    float() turns 1e400 into inf and 1e-400 into 0.0, and int() refuses more than 4,300 digits
    (ValueError); the harness compares doubles, so every number must fit one."""
    value = float(literal)  # never raises on a JSON number literal, whatever its length
    mantissa = re.split("[eE]", literal, maxsplit=1)[0]
    if not math.isfinite(value) or (value == 0.0 and mantissa.strip("-0.")):
        return _Bad(literal, f"is {_short(literal)}, outside the range of a 64-bit float")
    is_int = not any(c in literal for c in ".eE")
    return int(literal) if is_int else value  # an int here has at most 309 digits


def _constant(literal: str) -> _Bad:
    return _Bad(literal, f"is {literal}, which is not a number JSON allows")


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    for key, value in pairs:
        if key in obj and obj.repeated is None:
            obj.repeated = key
        obj[key] = value
    return obj


def _field(where: str, key: str | int) -> str:
    """`where` extended by one step, in the style of the other messages: systems[0].scores.rouge1."""
    if isinstance(key, int):
        return f"{where}[{key}]"
    if key.isidentifier() and key.isascii():
        return f"{where}.{key}" if where else key
    return f"{where}[{key!r}]"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _first_problem(obj: Any) -> tuple[str, str] | None:
    """(field, problem) of the first value in document order that JSON parsing let through but
    the harness refuses: NaN/Infinity, a number no double holds, a repeated key, a lone surrogate."""
    stack: list[tuple[str, Any]] = [("", obj)]
    while stack:  # iterative: the parser already bounds the depth, this walk adds no recursion
        where, value = stack.pop()
        label = where or "the top level"
        if isinstance(value, _Bad):
            return label, value.problem
        if isinstance(value, str) and _SURROGATE.search(value):
            return label, "holds a lone surrogate (\\ud800-\\udfff escape), which is not text"
        if isinstance(value, _Object):
            if value.repeated is not None:
                return label, f"repeats the key {value.repeated!r} (JSON readers disagree on which one counts)"
            for key in value:
                if _SURROGATE.search(key):
                    return label, "has a key with a lone surrogate (\\ud800-\\udfff escape), which is not text"
            stack.extend(reversed([(_field(where, k), v) for k, v in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([(_field(where, i), v) for i, v in enumerate(value)]))
    return None


def parse(path: Path, text: str) -> Any:
    """Parse baseline JSON strictly: BaselineError for invalid JSON, nesting too deep to read,
    NaN or Infinity, numbers outside a double, repeated keys, and lone surrogates."""
    try:
        obj = json.loads(text, parse_float=_number, parse_int=_number, parse_constant=_constant, object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); truncated or hand-edited? {REGENERATE}"
        ) from None
    except RecursionError:
        raise BaselineError(f"{path}: arrays or objects nested too deeply to read; {REGENERATE}") from None
    problem = _first_problem(obj)
    if problem is not None:
        raise _fail(path, *problem)
    return obj


def load(path: Path) -> dict[str, Any]:
    """Read, parse and validate a baseline file."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise BaselineError(f"{path}: no baseline file; create it with `harness check --update-baseline`")
    try:
        text = read_text(path, suggest_encoding=False)  # a baseline is UTF-8 JSON by definition
    except HarnessError as exc:
        raise BaselineError(f"{exc}; {REGENERATE}") from None
    return check_rows(path, validate(path, parse(path, text)))


# Corpus means are recomputed from the per-document scores with the same math.fsum mean; the
# margin only absorbs a writer that summed another way.
_MEAN_MARGIN = 1e-9


def check_rows(path: Path, obj: dict[str, Any]) -> dict[str, Any]:
    """Refuse (BaselineError, exit 2, naming the system) a row flagged `"baseline": true` under a
    name `--baselines` does not make, a name near such a name, and a corpus score that is not
    the mean of the row's per-document scores (a hand-edited mean)."""
    for i, system in enumerate(obj["systems"]):
        name = system["name"]
        where = f"systems[{i}] {name!r}"
        if system.get("baseline") is True and not is_row_name(name):
            raise _fail(path, where, "is marked \"baseline\": true, which only rows of --baselines "
                                     "(named like 'lead-3 (source)') may be")
        if near_row_name(name):
            raise _fail(path, where, "is a name too close to a --baselines row's (like 'lead-3 (source)')")
        documents = [d for d in system["documents"].values()]
        if not documents:
            continue
        for metric, score in system["scores"].items():
            for measure, value in score.items():
                if not isinstance(value, (int, float)):
                    continue
                values = [d[metric][measure] for d in documents if metric in d]
                if values and abs(math.fsum(values) / len(values) - value) > _MEAN_MARGIN:
                    raise _fail(path, f"{where}.scores.{metric}.{measure}",
                                f"is {value!r}, but the mean of its {len(values)} per-document scores is "
                                f"{math.fsum(values) / len(values)!r}: hand-edited?")
    return obj
