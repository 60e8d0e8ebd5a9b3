"""Pure renderers of a gate Verdict: terminal table, the pull-request comment (markdown), JSON and
JUnit XML.

The markdown is one comment meant to be posted once and then edited in place on every push: it
starts with COMMENT_MARKER (`<!-- harness-check -->`, invisible once rendered), which CI tooling
searches the pull request's comments for to find the one to update.
"""

from __future__ import annotations

from typing import Any

from harness.gate.changes import Changes, system_changes
from harness.gate.verdict import ABOVE_MAX, BELOW_MIN, FAILING, NOT_SIGNIFICANT, Row, Verdict
from harness.render.names import display_name, markdown_text
from harness.render.table import dumps_json, metric_label, name_cell, tabulated

FORMATS = ("table", "markdown", "json")
COMMENT_MARKER = "<!-- harness-check -->"


def _pts(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{100 * value:+.2f}" if signed else f"{100 * value:.2f}"


def _why(r: Row) -> str:
    name = display_name(r.system)
    if r.status == ABOVE_MAX:
        return f"{name} {r.note}"
    if r.status == BELOW_MIN:
        return f"{name} {r.metric} below-min ({_pts(r.current)} < floor {_pts(r.floor)})"
    if r.delta is not None:
        return f"{name} {r.metric} {r.status} {_pts(r.delta, True)} points"
    return f"{name} {r.metric} {r.status}"


def summary(v: Verdict) -> str:
    """One line: PASSED/FAILED with the counts, and what failed (names display-safe)."""
    counts = v.counts()
    parts = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    if v.passed:
        return f"PASSED: {parts}"
    failed = "; ".join(_why(r) for r in v.failures)
    return f"FAILED: {parts} ({failed})"


def _tables(v: Verdict, fmt: str) -> str:
    style = "github" if fmt == "markdown" else "simple"
    head = ["System", "Metric", "Baseline", "Current", "Delta", "Status"]
    rows = [
        [name_cell(r.system, fmt), metric_label(r.metric), _pts(r.baseline), _pts(r.current), _pts(r.delta, True),
         r.status.upper() if r.status in FAILING else r.status]
        for r in v.rows
    ]
    align: tuple[str, ...] = ("left", "left", "right", "right", "right", "left")
    if v.significance is not None:
        head.insert(5, "p")
        for row, r in zip(rows, v.rows, strict=True):
            row.insert(5, "-" if r.p_value is None else f"{r.p_value:.4f}")
        align = ("left", "left", "right", "right", "right", "right", "left")
    out = [tabulated(rows, head, style, align)]
    if v.drops:
        drop_rows = [
            [name_cell(d.system, fmt), name_cell(d.document, fmt), metric_label(d.metric), _pts(d.baseline), _pts(d.current), _pts(d.delta, True)]
            for d in v.drops
        ]
        title = "Documents whose scores fell most:"
        out.append(("### " if fmt == "markdown" else "") + title)
        out.append(tabulated(drop_rows, ["System", "Document", "Metric", "Baseline", "Current", "Delta"], style,
                             ("left",) * 3 + ("right",) * 3))
    return "\n\n".join(out)


def _significance_text(v: Verdict) -> str:
    """How drops were judged, and why some could not be tested (empty without --significance)."""
    if v.significance is None:
        return ""
    s = v.significance
    text = (
        f" A drop beyond the tolerance fails only when the approximate randomization test over the documents "
        f"({s.trials} trials, seed {s.seed}) gives p <= {s.alpha:g}; otherwise it is {NOT_SIGNIFICANT} and passes."
    )
    notes = sorted({r.note for r in v.rows if r.note})
    return text + "".join(f" Note: {n}." for n in notes)


def render_verdict(v: Verdict, fmt: str = "table", changes: Changes | None = None) -> str:
    """The check report in `fmt` (table, markdown or json); markdown is the pull-request comment
    (`render_comment`, with `changes` when given)."""
    if fmt == "json":
        return dumps_json(to_json_obj(v))
    if fmt == "markdown":
        return render_comment(v, changes)
    return f"{_tables(v, fmt)}\n\nScores are {_scale(v)}\n{v.signature}\n\n{summary(v)}\n"


def _scale(v: Verdict) -> str:
    named = [str(f) for f in v.floors] + [str(f) for f in v.theme_floors]
    floors = f"; floors {', '.join(display_name(f) for f in named)}" if named else ""
    return f"{v.on} x 100; tolerance {v.tolerance:g} (= {100 * v.tolerance:.2f} points){floors}." + _significance_text(v)


def render_comment(v: Verdict, changes: Changes | None = None) -> str:
    """The verdict as one pull-request comment: COMMENT_MARKER, a heading with the outcome, one
    table with a row per system (changed systems first: its status, the rank metric before and
    after, the delta with its paired interval and p-value, the other metrics' deltas), the
    documents whose scores fell most, and how it was computed. Without `changes`, the rows come
    from the verdict alone (no interval, no p-value)."""
    found = changes if changes is not None else system_changes(v)
    metric = found.systems[0].metric if found.systems else ""
    others = list(dict.fromkeys(m for c in found.systems for m in c.deltas if m != metric))
    level = f"{found.resampling.percent}% interval" if found.resampling is not None else "interval"
    head = ["System", "Status", f"{metric_label(metric)} (baseline → current)", "Δ", f"{level} of Δ", "p",
            *(f"{metric_label(m)} Δ" for m in others)]
    rows = []
    for c in found.systems:
        status = f"**{c.status.upper()}**" if c.status in FAILING else c.status
        before_after = "-" if c.baseline is None and c.current is None else f"{_pts(c.baseline)} → {_pts(c.current)}"
        interval = "-" if c.ci is None else f"[{_pts(c.ci[0], True)}, {_pts(c.ci[1], True)}]"
        p = "-" if c.p_value is None else f"{c.p_value:.4f}"
        rows.append([name_cell(c.system, "markdown"), status, before_after, _pts(c.delta, True), interval, p,
                     *(_pts(c.deltas.get(m), True) for m in others)])
    table = tabulated(rows, head, "github", ("left", "left") + ("right",) * (len(head) - 2))
    icon = "✅" if v.passed else "❌"
    parts = [COMMENT_MARKER, f"## {icon} harness check: {markdown_text(summary(v))}", table]
    if v.drops:
        parts.append("**Documents whose scores fell most:**\n\n" + "\n".join(
            f"- {name_cell(d.system, 'markdown')} · {name_cell(d.document, 'markdown')} · {metric_label(d.metric)}: "
            f"{_pts(d.baseline)} → {_pts(d.current)} ({_pts(d.delta, True)})" for d in v.drops))
    how = f"Scores are {markdown_text(_scale(v))}"
    if found.resampling is not None:
        r = found.resampling
        how += (f" Interval and p of the {metric_label(metric)} delta: paired bootstrap and approximate randomization "
                f"over the documents both runs scored ({r.trials} trials, seed {r.seed}); - with fewer than 2.")
    parts += [how, f"Signature: `{v.signature}`"]
    return "\n\n".join(parts) + "\n"


def to_json_obj(v: Verdict) -> dict[str, Any]:
    """Machine-readable verdict (0-1 scale, unrounded); with --significance, a `significance`
    object and each row's `p_value` and `note`."""
    rows: list[dict[str, Any]] = [
        {"system": r.system, "metric": r.metric, "baseline": r.baseline, "current": r.current,
         "delta": r.delta, "status": r.status, "floor": r.floor}
        for r in v.rows
    ]
    extra: dict[str, Any] = {}
    if v.significance is not None:
        s = v.significance
        extra["significance"] = {"alpha": s.alpha, "trials": s.trials, "seed": s.seed, "test": "approximate-randomization"}
        for row, r in zip(rows, v.rows, strict=True):
            row.update(p_value=r.p_value, note=r.note)
    return {
        "passed": v.passed,
        "signature": v.signature,
        "on": v.on,
        "tolerance": v.tolerance,
        "floors": [str(f) for f in v.floors] + [str(f) for f in v.theme_floors],
        **extra,
        "rows": rows,
        "documents": [
            {"system": d.system, "document": d.document, "metric": d.metric, "baseline": d.baseline,
             "current": d.current, "delta": d.delta}
            for d in v.drops
        ],
    }


def render_junit(v: Verdict) -> str:
    """JUnit XML: one test case per system and metric; failures carry baseline, current and delta.
    System names are display-safe, so the XML is well-formed whatever a folder is called."""
    import xml.etree.ElementTree as ET  # only for --junit

    suite = ET.Element(
        "testsuite", name="harness check", tests=str(len(v.rows)), failures=str(len(v.failures)), errors="0", skipped="0"
    )
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="signature", value=v.signature)
    ET.SubElement(props, "property", name="tolerance", value=repr(v.tolerance))
    for r in v.rows:
        system = display_name(r.system)
        case = ET.SubElement(suite, "testcase", classname=f"harness.{system}", name=f"{r.metric}.{v.on}")
        detail = f"baseline={r.baseline!r} current={r.current!r} delta={r.delta!r} tolerance={v.tolerance!r}"
        if r.floor is not None:
            detail += f" floor={r.floor!r}"
        if r.p_value is not None and v.significance is not None:
            detail += f" p={r.p_value!r} alpha={v.significance.alpha!r}"
        if r.note:
            detail += f" ({r.note})"
        if r.status in FAILING:
            failure = ET.SubElement(case, "failure", message=f"{r.status}: {detail}", type=r.status)
            failure.text = f"{system} {r.metric} {v.on}: {r.status}; {detail}"
        else:
            ET.SubElement(case, "system-out").text = f"{r.status}: {detail}"
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
