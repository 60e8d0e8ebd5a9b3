"""The JSON contract of `harness score --format json`, owned here: the measures, writing it
(whole or one system at a time) and validating a stored copy (a baseline).

Every other module reads and writes scores through these functions, so a new field of the
contract is added here, next to its check.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import replace
from json.encoder import encode_basestring  # the C encoder of one string, as ensure_ascii=False uses it
from pathlib import Path
from typing import Any

from harness.analyses.registry import registered
from harness.errors import BaselineError
from harness.results.jsontext import compact, compact_parts, indented, read_raw
from harness.results.model import Evaluation, SystemResult
from harness.rouge.scoring import Score

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
    from harness.rouge.signature import parse

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
        def fail(field: str, problem: str, where: str = where) -> BaselineError:
            return _fail(path, where + field, problem)

        for analysis in registered():
            analysis.validate(system, fail)
    return obj


def _score_dict(score: Score) -> dict[str, Any]:
    return {"precision": score.precision, "recall": score.recall, "fmeasure": score.fmeasure}


def to_json_obj(ev: Evaluation, *, per_document: bool = True, raw: bool = False) -> dict[str, Any]:
    """The machine contract: signature, version, metrics, systems with corpus and per-document scores
    (without `per_document`, corpus scores only). Names go in unchanged; JSON escapes control
    characters itself. With `raw`, an analysis's `RawJSON` texts are left as they are (for the
    writers in harness.results.jsontext); otherwise they are read into objects."""
    from harness._version import __version__

    systems = [_entry(ev, s, per_document, raw=raw) for s in ev.systems]
    return {"signature": ev.signature, "version": __version__, "metrics": list(ev.metrics), "systems": systems}


def _entry(ev: Evaluation, s: SystemResult, per_document: bool, documents: bool = True,
           raw: bool = False) -> dict[str, Any]:
    """One system of the contract; without `documents`, all of it but its "documents" (which
    come right after its "name" and "scores"); `raw` as in `to_json_obj`."""
    scores: dict[str, Any] = {m: _score_dict(s.scores[m]) for m in ev.metrics}
    if ev.intervals is not None:
        for m in ev.metrics:
            scores[m]["ci"] = {measure: list(bounds) for measure, bounds in ev.intervals[s.name][m].items()}
    entry: dict[str, Any] = {"name": s.name, "scores": scores}
    if per_document and documents:
        entry["documents"] = {doc: {m: _score_dict(r.score(m)) for m in ev.metrics} for doc, r in sorted(s.documents.items())}
    if s.baseline:
        entry["baseline"] = True
    for analysis in registered():  # each analysis's keys, in registration order
        measured = s.measured(analysis.name)
        if measured:
            found = analysis.to_json(measured, per_document=per_document)
            entry.update(found if raw else {key: read_raw(value) for key, value in found.items()})
    return entry


def _compact_entry(ev: Evaluation, s: SystemResult) -> list[str | bytes]:
    """compact() of one system's entry, in parts (`compact_parts`). Its per-document scores, nearly all of the contract, are
    written from each result's numbers with one format rather than built as dicts for the encoder:
    the same text (json writes a float as its repr), 0.1 s instead of 0.23 s for 10 systems x
    1,000 documents. A result that cannot be written so (other metrics, a number that is not
    finite) sends the whole entry the dicts' way: the same text, or json's error."""
    form = "{" + ",".join(encode_basestring(m).replace("%", "%%") + ':{"precision":%r,"recall":%r,"fmeasure":%r}'
                          for m in ev.metrics) + "}"
    parts = []
    for doc, result in sorted(s.documents.items()):
        numbers = result.numbers(ev.metrics)
        if numbers is None or type(doc) is not str or not math.isfinite(sum(numbers)):
            return compact_parts(_entry(ev, s, per_document=True, raw=True))
        parts.append(encode_basestring(doc) + ":" + form % tuple(numbers))
    rest = _entry(ev, s, per_document=True, documents=False, raw=True)
    head = compact({"name": rest.pop("name"), "scores": rest.pop("scores")})
    documents = head[:-1] + ',"documents":{' + ",".join(parts) + "}"
    if not rest:
        return [documents + "}"]
    first, *tail = compact_parts(rest)
    assert isinstance(first, str)  # a key starts every part that is not an analysis's texts
    return [documents + "," + first[1:], *tail]


def dumps_json(obj: Evaluation | Mapping[str, Any], *, indent: bool = True) -> str:
    """The JSON contract of an evaluation, as `harness score --format json` writes it (the same
    bytes: indented as on a terminal or with --indent, or compact as into files and pipes), or any
    JSON object in the same stable form: fixed key order, UTF-8 names kept readable, trailing newline."""
    if isinstance(obj, Evaluation):
        return "".join(json_pieces(obj, indent=indent))
    return (indented(obj) if indent else compact(obj)) + "\n"


def json_pieces(ev: Evaluation, *, indent: bool = True) -> Iterator[str]:
    """`dumps_json(to_json_obj(ev), indent=indent)` in pieces, a few per system, so a large contract
    (100,000 pairs) is never held whole as objects or as text; the joined pieces are the same text."""
    for part in json_parts(ev, indent=indent):
        yield part if isinstance(part, str) else part.decode("utf-8")


def json_parts(ev: Evaluation, *, indent: bool = True) -> Iterator[str | bytes]:
    """`json_pieces`, where an analysis's per-document JSON texts come as the UTF-8 bytes they are
    kept in (compact only): a file is written from them without decoding and encoding them again.
    On a warm 10 x 1,000 run with facts, that was a third of what the facts cost the parent process."""
    head = dumps_json(to_json_obj(replace(ev, systems=[])), indent=indent)
    if not ev.systems:
        yield head
        return
    before, after = head.rsplit('"systems": []' if indent else '"systems":[]', 1)
    yield before + ('"systems": [\n' if indent else '"systems":[')
    for i, system in enumerate(ev.systems):
        if indent:
            yield ("" if i == 0 else ",\n") + "    " + indented(_entry(ev, system, per_document=True, raw=True), "    ")
        else:
            first, *parts = _compact_entry(ev, system)
            assert isinstance(first, str)
            yield ("" if i == 0 else ",") + first
            yield from parts
    yield ("\n  ]" if indent else "]") + after
