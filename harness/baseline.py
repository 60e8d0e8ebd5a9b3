"""Reading and validating a stored baseline (the JSON contract of `harness score`)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from harness.errors import BaselineError, HarnessError
from harness.files import read_text

MEASURES = ("precision", "recall", "fmeasure")
REGENERATE = "regenerate it with `harness check --update-baseline`"


def _fail(path: Path, where: str, problem: str) -> BaselineError:
    return BaselineError(f"{path}: {where} {problem}; {REGENERATE}")


def _check_scores(path: Path, where: str, obj: Any, metrics: list[str]) -> None:
    if not isinstance(obj, dict):
        raise _fail(path, where, "must be an object of metric scores")
    for metric in metrics:
        score = obj.get(metric)
        if not isinstance(score, dict):
            raise _fail(path, f"{where}.{metric}", "is missing")
        for measure in MEASURES:
            value = score.get(measure)
            if not _unit(value):
                raise _fail(path, f"{where}.{metric}.{measure}", "must be a number in [0, 1]")
        if "ci" in score:
            _check_interval(path, f"{where}.{metric}.ci", score["ci"])


def _unit(value: Any) -> bool:
    """A JSON number (not a boolean) in [0, 1]."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return number and math.isfinite(value) and 0.0 <= value <= 1.0


def _check_interval(path: Path, where: str, obj: Any) -> None:
    """`ci` (from `harness score --bootstrap`): {measure: [low, high]} with 0 <= low <= high <= 1."""
    if not isinstance(obj, dict):
        raise _fail(path, where, "must be an object of [low, high] intervals")
    for measure in MEASURES:
        bounds = obj.get(measure)
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(_unit(b) for b in bounds) and bounds[0] <= bounds[1]):
            raise _fail(path, f"{where}.{measure}", "must be [low, high] with 0 <= low <= high <= 1")


def validate(path: Path, obj: Any) -> dict[str, Any]:
    """Check the structure of a parsed baseline; raise BaselineError naming the first bad field."""
    if not isinstance(obj, dict):
        raise _fail(path, "the top level", "must be a JSON object")
    if not isinstance(obj.get("signature"), str) or not obj["signature"]:
        raise _fail(path, "'signature'", "is missing")
    metrics = obj.get("metrics")
    if not isinstance(metrics, list) or not metrics or not all(isinstance(m, str) for m in metrics):
        raise _fail(path, "'metrics'", "must be a non-empty list of metric names")
    from harness.signature import parse

    signed = parse(obj["signature"], str(path)).get("metrics")
    if signed is not None and signed.split(",") != metrics:
        raise _fail(path, "'metrics'", f"{metrics} disagrees with its signature's metrics:{signed}")
    systems = obj.get("systems")
    if not isinstance(systems, list):
        raise _fail(path, "'systems'", "must be a list")
    if not systems:
        raise _fail(path, "'systems'", "is empty: a baseline without systems would gate nothing")
    seen: set[str] = set()
    for i, system in enumerate(systems):
        where = f"systems[{i}]"
        if not isinstance(system, dict) or not isinstance(system.get("name"), str):
            raise _fail(path, where, "must be an object with a 'name'")
        if system["name"] in seen:
            raise _fail(path, where, f"repeats system {system['name']!r}")
        seen.add(system["name"])
        _check_scores(path, f"{where}.scores", system.get("scores"), metrics)
        documents = system.get("documents")
        if not isinstance(documents, dict):
            raise _fail(path, f"{where}.documents", "must be an object")
        for doc, scores in documents.items():
            _check_scores(path, f"{where}.documents[{doc!r}]", scores, metrics)
        _check_themes(path, where, system)
    return obj


def _check_themes(path: Path, where: str, system: dict[str, Any]) -> None:
    """The optional theme coverage: `theme_shares` {theme: share} and `themes` {doc: {theme:
    {share, covered, missed}}}; never gated against, but a hand-edited one is still refused."""
    shares = system.get("theme_shares", {})
    if not isinstance(shares, dict) or not all(_unit(v) for v in shares.values()):
        raise _fail(path, f"{where}.theme_shares", "must be an object of numbers in [0, 1]")
    themes = system.get("themes", {})
    if not isinstance(themes, dict):
        raise _fail(path, f"{where}.themes", "must be an object")
    for doc, by_theme in themes.items():
        if not isinstance(by_theme, dict):
            raise _fail(path, f"{where}.themes[{doc!r}]", "must be an object")
        for name, cov in by_theme.items():
            lists = isinstance(cov, dict) and all(
                isinstance(cov.get(k), list) and all(isinstance(u, str) for u in cov[k]) for k in ("covered", "missed")
            )
            if not (lists and _unit(cov.get("share"))):
                raise _fail(path, f"{where}.themes[{doc!r}][{name!r}]", "must be {share, covered, missed}")


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
    return validate(path, parse(path, text))
