"""`harness facts`'s output: every figure and name of each text with its value, unit, status and
evidence, as text for people or as JSON (pure)."""

from __future__ import annotations

import json
from typing import Any

from harness.analyses.facts import FactsResult
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
                what += f" = {format(item.value.normalize(), 'f')}"
                if item.second is not None:  # a score pair: both sides (90比89 = 90:89)
                    what += f":{format(item.second.normalize(), 'f')}"
                what += f" {item.unit}" if item.unit else ""
            where = f"  «{display_name(item.evidence)}»" if item.evidence else ""
            lines.append(f"  {_MARK[item.status]:<11} {display_name(item.text)}  ({what}){where}")
        lines += [f"  {'left out':<11} {display_name(why)}" for why in r.skipped]
    return "\n".join(lines) + "\n"
