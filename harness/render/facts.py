"""`harness facts`'s output: every figure and name of each text with its value, unit, status and
evidence, as text for people or as JSON (pure)."""

from __future__ import annotations

import json
from typing import Any

from harness.analyses.facts import FactItem, FactsResult
from harness.analyses.facts.figure import date_parts
from harness.analyses.facts.fragment import value_text
from harness.analyses.facts.output import result_json
from harness.render.names import display_name

FORMATS = ("text", "json")
_MARK = {"supported": "ok", "offtopic": "OFF-TOPIC", "unsupported": "UNSUPPORTED", "unchecked": "unchecked"}


def to_json_obj(name: str, result: FactsResult) -> dict[str, Any]:
    """One input's facts: `{"file", "evidence", "figures", "names", "precision", ...}`."""
    return {"file": name, "evidence": result.evidence, **result_json(result)}


def render(results: list[tuple[str, FactsResult]], fmt: str = "text") -> str:
    """Every input's items; JSON: one object for a single input, else a list of them."""
    if fmt == "json":
        objs = [to_json_obj(name, r) for name, r in results]
        return json.dumps(objs[0] if len(objs) == 1 else objs, ensure_ascii=False, indent=2) + "\n"
    lines: list[str] = []
    for name, r in results:
        precision = "-" if r.precision is None else f"{100 * r.precision:.1f}%"
        lines.append(f"{display_name(name)}: {len(r.items)} figures and names, {r.supported} supported, "
                     f"{r.unsupported} unsupported, {r.offtopic} off-topic (precision {precision}; evidence: {r.evidence})")
        for item in r.items:
            what: str = item.kind
            if item.kind == "figure" and item.value is not None:
                what += f" = {_value(item)}" + (f" {item.unit}" if item.unit else "")
            where = f"  «{display_name(item.evidence)}»" if item.evidence else ""
            lines.append(f"  {_MARK[item.status]:<11} {display_name(item.text)}  ({what}){where}")
        lines += [f"  {'left out':<11} {display_name(why)}" for why in r.skipped]
    return "\n".join(lines) + "\n"


def _value(item: FactItem) -> str:
    """A figure's value as people read it: a score pair's two sides (90比89: `90:89`); a date, whose value
    is year, month and day as one number with 0 for what its text leaves out (the JSON's), in ISO 8601's
    forms (2022年6月18日: `2022-06-18`, 2022年6月: `2022-06`, 6月18日: `--06-18`, 18日: `---18`); else the
    plain decimal (also for a value no date reads as, which only a result made from Python can hold)."""
    value = "" if item.value is None else value_text(item.value)
    if item.second is not None:
        return f"{value}:{value_text(item.second)}"
    if (item.unit == "date" and item.value is not None and item.value.is_finite() and 0 < item.value < 10**8
            and item.value == item.value.to_integral_value()):
        year, month, day = date_parts(int(item.value))
        if month > 12 or day > 31:
            return value
        if year and month:
            return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
        if month:
            return f"--{month:02d}-{day:02d}" if day else f"--{month:02d}"
        if day and not year:
            return f"---{day:02d}"
    return value
