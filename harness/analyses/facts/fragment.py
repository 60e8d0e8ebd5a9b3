"""The JSON contract's text of one summary's facts (`FactsResult.fragment`), written piece by piece
as `json.dumps(..., ensure_ascii=False, separators=(",", ":"))` writes it (tests/test_facts_result.py
compares them): an item's entry is made once per document and piece by the pipeline
(`summaries.py`), from parts made once per process (`item_parts`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from json.encoder import encode_basestring  # the C encoder of one string, as json.dumps(ensure_ascii=False) uses


def value_text(value: Decimal) -> str:
    """A figure's value as the JSON contract writes it: plain digits, no exponent, no trailing zeros."""
    return format(value.normalize(), "f")


def value_or_none(value: Decimal | None) -> str | None:
    """`value_text` of a value that may be absent (a name's, or the other side of a figure that is no score pair)."""
    return None if value is None else value_text(value)


def json_string(text: str | None) -> str:
    """A string as json.dumps(..., ensure_ascii=False) writes it, or null."""
    return "null" if text is None else encode_basestring(text)


def json_number(value: float | None) -> str:
    """A measure as json.dumps writes it (a float as its repr; a whole number given as an int as one)."""
    return "null" if value is None else float.__repr__(value) if type(value) is float else json.dumps(value)


def item_json(kind: str, text: str, status: str, evidence: str | None, value: str | None,
              unit: str | None, second: str | None = None) -> str:
    """One item of the fragment (`FactsResult.fragment`): text, status, evidence, and a figure's value
    (and a score pair's other side) and unit."""
    head, tail = item_parts(kind, text, value, unit, second)
    return head + item_middle(status, evidence) + tail


def item_parts(kind: str, text: str, value: str | None, unit: str | None, second: str | None = None) -> tuple[str, str]:
    """An item's entry in the fragment before its status and after its evidence (`item_middle` goes
    between). A score pair's other side (`90比89`: 89) is `"second"`, after its value; other items have none."""
    head = '{"text":' + encode_basestring(text) + ',"status":"'
    if kind != "figure":
        return head, "}"
    other = "" if second is None else ',"second":' + json_string(second)
    return head, ',"value":' + json_string(value) + other + ',"unit":' + json_string(unit) + "}"


def item_middle(status: str, evidence: str | None) -> str:
    """An item's entry between its `item_parts`: its status and evidence."""
    return status + '","evidence":' + json_string(evidence)


def fragment_text(precision: float | None, recall: float | None, unsupported: int, offtopic: int,
                  figures: Sequence[str], names: Sequence[str], skipped: Sequence[str] = ()) -> str:
    """The fragment of a result from its measures and its items' entries (`item_json`), and, only
    when something was left out (bounds.py), `"skipped"`: why, one line each."""
    left = f',"skipped":[{",".join(map(encode_basestring, skipped))}]' if skipped else ""
    return (f'{{"precision":{json_number(precision)},"recall":{json_number(recall)},"unsupported":{unsupported},'
            f'"offtopic":{offtopic},"figures":[{",".join(figures)}],"names":[{",".join(names)}]{left}}}')
