"""Reading and validating a stored baseline (the JSON contract of `harness score`)."""

from __future__ import annotations

import json
import math
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
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not number or not math.isfinite(value) or not 0.0 <= value <= 1.0:  # type: ignore[arg-type,operator]
                raise _fail(path, f"{where}.{metric}.{measure}", "must be a number in [0, 1]")


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
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); truncated or hand-edited? {REGENERATE}"
        ) from None
    return validate(path, obj)
