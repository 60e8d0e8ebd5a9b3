"""A self-contained HTML report of an Evaluation: one file, inline CSS, inline SVG, a little
vanilla JavaScript, no request of any kind (`harness report --html`, `score --format html`).

Shown: the signature, settings and warnings; first, the verdict at a glance
(harness.render.html_ranking: a ranked table with intervals, paired tests and the --baselines rows
inline, and a chart per metric with a value axis); theme coverage as a heat map with the off-topic
share; a sortable per-document table (one row per document, one column per system); with a
verdict, the gate's rows, failing ones first; and a drill-down (harness.render.drilldown) of each
candidate beside each reference. Built from the same Evaluation as every other format, and the page embeds its JSON
contract (`<script type="application/json" id="harness-contract">`, the same object as
`report.to_json_obj`; past CONTRACT_PAIR_CAP system-document pairs without its per-document
fields, which `--format json` writes), so tools can read it back. Every name and text is escaped; the JSON
blocks write `<`, `>` and `&` as \\u escapes so no text can close its script element.
"""

from __future__ import annotations

import html
import json
from typing import Any

from harness.analyses.base import AnyAnalysis, HeatColumn
from harness.analyses.registry import registered
from harness.gate.verdict import FAILING, Verdict
from harness.inputs.corpus import Corpus
from harness.render.drilldown import DEFAULT_DOCUMENT_CAP, drilldown
from harness.render.html_assets import CSS, JS
from harness.render.html_ranking import verdict_section
from harness.render.names import html_message, html_name
from harness.render.names import html_text as esc
from harness.render.table import analysis_remarks, metric_label, to_json_obj
from harness.results.model import Evaluation
from harness.rouge import metrics as metric_registry
from harness.rouge.settings import Settings
from harness.rouge.signature import parse

# A 100 x 1,000 run has some 95,000 warnings (all on standard error): the page lists the first ones.
WARNING_CAP = 100
# Up to this many (system, document) pairs the embedded contract is complete. Past it, its
# per-document fields are left out (a 100 x 1,000 run's contract is 57 MB of JSON; `--format
# json` writes it whole) and the page says so; the per-document table has its own compact block.
CONTRACT_PAIR_CAP = 10_000
# Per-document F values in the table's block are rounded to this many decimals (shown: 2 of F x 100).
_TABLE_DECIMALS = 5


def script_json(obj: Any) -> str:
    """Compact JSON safe inside a <script> element: `<`, `>`, `&` only occur inside strings,
    where the \\u escapes read back as the same characters."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _json_block(element_id: str, obj: Any) -> str:
    return f'<script type="application/json" id="{element_id}">{script_json(obj)}</script>'


def _header(ev: Evaluation, verdict: Verdict | None) -> str:
    fields = parse(ev.signature)
    shown = [("metrics", ", ".join(metric_registry.label(m) for m in ev.metrics)), ("unit", fields.get("unit", "?")),
             ("tokenizer", fields.get("tok", "?")), ("multiref", fields.get("multiref", "?")),
             ("documents", fields.get("docs", "?")), ("references", fields.get("refs", "?")),
             ("systems", str(sum(not s.baseline for s in ev.systems)))]
    if "boot" in fields:
        shown.append(("bootstrap", f"{fields['boot']} resamples, seed {fields.get('seed', '?')}, {fields.get('ci', '?')}%"))
    parts = [
        "<header>",
        "<h1>ROUGE report</h1>",
        '<div class="settings" id="settings">' + "".join(f"<span>{esc(k)}: <b>{esc(v)}</b></span>" for k, v in shown) + "</div>",
        f'<div class="sig" id="signature">{esc(ev.signature)}</div>',
    ]
    if verdict is not None:
        outcome = "passed" if verdict.passed else "FAILED"
        parts.append(f'<p id="verdict-summary"><b>Gate: {outcome}</b> ({esc(_counts(verdict))})</p>')
    parts.append("</header>")
    return "\n".join(parts)


def _warnings(ev: Evaluation) -> str:
    """The run's warnings, folded under one line so that the ranking stays on the first screen."""
    if not ev.warnings:
        return ""
    items = "".join(f"<li>{html_message(w)}</li>" for w in ev.warnings[:WARNING_CAP])
    if len(ev.warnings) > WARNING_CAP:
        items += f'<li class="more">and {len(ev.warnings) - WARNING_CAP} more (all of them on standard error)</li>'
    count = f"{len(ev.warnings)} warning{'' if len(ev.warnings) == 1 else 's'}"
    return (f'<details class="warnings" id="warnings-box"><summary>{count} (click to show)</summary>'
            f'<ul id="warnings">{items}</ul></details>')


def _counts(verdict: Verdict) -> str:
    return ", ".join(f"{n} {status}" for status, n in sorted(verdict.counts().items()))


def _heat(share: float, hue: int) -> str:
    lightness = 96 - 56 * share
    ink = "#fff" if lightness < 60 else "#1f2328"
    return f"background:hsl({hue} 55% {lightness:.0f}%);color:{ink}"


def _heat_map(ev: Evaluation) -> str:
    """The registered analyses' map columns (theme coverage, off-topic share, ...), one row per system."""
    columns = [c for a in registered() for c in _heat_columns(ev, a)]
    if not columns:
        return ""
    head = "".join(f"<th>{esc(c.header)}</th>" for c in columns)
    body = []
    for i, s in enumerate(ev.systems):
        cells = [f'<td class="name">{html_name(s.name)}{" *" if s.baseline else ""}</td>']
        for c in columns:
            shade, title = c.shades[i], c.titles[i]
            # A share of 0 (no off-topic bigram, no unit covered) is no tint: the colour shows an amount.
            style = "" if not shade else f' style="{_heat(shade, c.hue)}"'
            tip = "" if title is None else f' title="{esc(title)}"'
            cells.append(f'<td class="heat"{style}{tip}>{esc(c.texts[i])}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    notes = list(dict.fromkeys(c.note for c in columns))
    notes += ["* computed from the sources by --baselines."] if any(s.baseline for s in ev.systems) else []
    note = " ".join(notes)
    return (f'<section id="themes"><h2>Coverage and off-topic share</h2><p class="note">{note}</p>'
            f'<table id="heatmap"><thead><tr><th>System</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></section>')


def _remarks(ev: Evaluation) -> str:
    """The analyses' lines under the table (`--convention all`: where the conventions differ most),
    already made visible by `analysis_remarks`."""
    lines = analysis_remarks(ev)
    if not lines:
        return ""
    text = "\n".join(html.escape(line) for line in lines)
    return f'<section id="remarks"><h2>Notes</h2><pre class="note" style="white-space:pre-wrap">{text}</pre></section>'


def _heat_columns(ev: Evaluation, analysis: AnyAnalysis) -> list[HeatColumn]:
    measured = [s.measured(analysis.name) for s in ev.systems]
    return analysis.heat(measured) if any(measured) else []


def _document_columns(ev: Evaluation) -> list[tuple[AnyAnalysis, list[str]]]:
    """The analyses with columns in the per-document table, with their headers."""
    out = []
    for analysis in registered():
        headers = analysis.document_headers([s.measured(analysis.name) for s in ev.systems])
        if headers:
            out.append((analysis, headers))
    return out


def _verdict(verdict: Verdict) -> str:
    rows = sorted(verdict.rows, key=lambda r: r.status not in FAILING)  # failing first, otherwise gate order
    body = []
    for r in rows:
        cls = ' class="failing"' if r.status in FAILING else ""
        cells = [html_name(r.system), esc(metric_label(r.metric))]
        cells += ["-" if v is None else f"{100 * v:.2f}" for v in (r.baseline, r.current)]
        cells.append("-" if r.delta is None else f"{100 * r.delta:+.2f}")
        status = f'<td class="status-{esc(r.status)}">{esc(r.status)}</td>'
        body.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in cells) + status + "</tr>")
    drops = ""
    if verdict.drops:
        items = "".join(f"<li>{html_name(d.system)} / {html_name(d.document)} / {esc(metric_registry.label(d.metric))}: "
                        f"{100 * d.baseline:.2f} → {100 * d.current:.2f}</li>" for d in verdict.drops)
        drops = f'<p class="note">Largest per-document drops:</p><ul id="drops">{items}</ul>'
    outcome = "passed" if verdict.passed else "failed"
    return (
        f'<section id="verdict"><h2>Gate verdict: {outcome}</h2><p class="note">Against the baseline, on '
        f"{esc(verdict.on)}, tolerance {verdict.tolerance:g} (0-1 scale); failing rows first.</p>"
        '<table id="verdict-table"><thead><tr><th>System</th><th>Metric</th><th>Baseline</th><th>Current</th>'
        f'<th>Delta</th><th>Status</th></tr></thead><tbody>{"".join(body)}</tbody></table>{drops}</section>'
    )


def _documents(ev: Evaluation) -> str:
    """The wide per-document table: one row per document, one column per system (submitted systems
    in rank order, then the baselines), the value shown chosen in a menu; the page's script fills it."""
    omitted = ""
    if len(ev.systems) * len(ev.documents) > CONTRACT_PAIR_CAP:
        omitted = (f" With more than {CONTRACT_PAIR_CAP:,} system-document pairs, the JSON contract embedded in this "
                   "page leaves out the per-document scores; <code>harness score --format json</code> has them all.")
    rank = esc(metric_registry.label(metric_registry.rank_metric(ev.metrics)))
    return (
        '<section id="documents"><h2>Per document</h2><p class="note">One row per document, one column per system '
        f'(baselines, ◆, last); click a column header to sort. <label>Show <select id="doc-measure"></select></label> '
        f'(default {rank} F, x 100).{omitted} <span id="doc-note"></span></p>'
        '<div class="wide"><table id="doc-table" class="sortable"><thead><tr></tr></thead><tbody></tbody></table></div>'
        "</section>"
    )


def table_data(ev: Evaluation) -> dict[str, Any]:
    """The per-document table's block: what a cell can show (`headers`: each metric's F, then each
    analysis's values), the systems once (submitted in rank order, then baselines, flagged), the
    documents, and per system and document one value per header (rounded; null where it did not run)."""
    extra = [analysis for analysis, _ in _document_columns(ev)]
    headers = [f"{metric_registry.label(m)} F" for m in ev.metrics]
    headers += [h for _, found in _document_columns(ev) for h in found]
    ordered = [s for s in ev.systems if not s.baseline] + [s for s in ev.systems if s.baseline]
    rows = []
    for s in ordered:
        per_doc = []
        for doc in ev.documents:
            result = s.documents[doc]
            values: list[float | None] = [round(result.scores[m].fmeasure, _TABLE_DECIMALS) for m in ev.metrics]
            for analysis in extra:
                found = analysis.document_values(result.analyses.get(analysis.name))
                values += [None if v is None else round(v, _TABLE_DECIMALS) for v in found]
            per_doc.append(values)
        rows.append(per_doc)
    return {"headers": headers, "shown": ev.metrics.index(metric_registry.rank_metric(ev.metrics)),
            "systems": [s.name for s in ordered], "baseline": [s.baseline for s in ordered],
            "documents": list(ev.documents), "values": rows}


def contract(ev: Evaluation) -> dict[str, Any]:
    """The JSON contract to embed: `to_json_obj(ev)`, without the per-document fields past
    CONTRACT_PAIR_CAP pairs (then `"per_document_omitted": true` says so)."""
    if len(ev.systems) * len(ev.documents) <= CONTRACT_PAIR_CAP:
        return to_json_obj(ev)
    obj = to_json_obj(ev, per_document=False)
    obj["per_document_omitted"] = True
    return obj


def _drill(ev: Evaluation, data: list[dict[str, Any]]) -> str:
    if not data:
        return ""
    systems = [s.name for s in ev.systems if any(s.name in d["systems"] for d in data)]
    note = (f" Only the first {len(data)} of {len(ev.documents)} documents are included, to keep the page small "
            "(harness report --drill-documents N)." if len(data) < len(ev.documents) else
            f" All {len(data)} documents: page through them with the arrows.")
    blocks = "".join(_json_block(f"drill-{i}", d) for i, d in enumerate(data))
    index = _json_block("drill-index", {"systems": systems, "documents": [d["document"] for d in data]})
    legend = (
        '<p class="legend note"><span class="tok u">unigram match</span><span class="tok b">bigram match</span>'
        '<span class="tok l">in the LCS (ROUGE-L)</span><span class="tok o">off-topic bigram</span>'
        '<span class="tok f">figure or name the source does not support (hover for why)</span></p>'
    )
    return (
        '<section id="drill"><h2>Drill-down</h2><p class="note">A candidate beside one reference (the best on the '
        f"rank metric unless chosen), tokens as scoring sees them. Computed rows (--baselines) are not shown.{note}</p>"
        '<div class="drill-controls"><label>System <select id="drill-system"></select></label>'
        '<label>Document <button type="button" id="drill-prev" title="previous document">◀</button>'
        '<select id="drill-doc"></select><button type="button" id="drill-next" title="next document">▶</button></label>'
        f'<label>Reference <select id="drill-ref"></select></label></div>{legend}'
        '<div class="pair"><div class="pane" id="drill-cand"></div><div class="pane" id="drill-ref-text"></div></div>'
        f'<div id="drill-info"></div>{index}{blocks}</section>'
    )


def render_html(
    ev: Evaluation,
    corpus: Corpus | None = None,
    settings: Settings | None = None,
    *,
    verdict: Verdict | None = None,
    drill_cap: int | None = DEFAULT_DOCUMENT_CAP,
) -> str:
    """The whole page for `ev`; with `corpus` and `settings` (the evaluation's own), the
    drill-down of every document (of the first `drill_cap`, or as many as
    harness.render.drilldown.DRILL_PAIR_CAP allows); with `verdict`, the gate's rows."""
    data = drilldown(ev, corpus, settings, cap=drill_cap) if corpus is not None and settings is not None else []
    labels = {"metrics": {m: metric_registry.label(m) for m in ev.metrics}}
    body = [
        _header(ev, verdict),
        verdict_section(ev),
        _warnings(ev),
        _heat_map(ev),
        _remarks(ev),
        _verdict(verdict) if verdict is not None else "",
        _documents(ev),
        _drill(ev, data),
        _json_block("doc-scores", table_data(ev)),
        _json_block("harness-contract", contract(ev)),
        _json_block("harness-labels", labels),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # No request of any kind: not even a favicon (an empty data: URL is not fetched).
        '<link rel="icon" href="data:,">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
        "script-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>ROUGE report</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(part for part in body if part)
        + f"\n</main>\n<script>{JS}</script>\n</body>\n</html>\n"
    )
