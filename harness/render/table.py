"""Pure renderers of an Evaluation: table, markdown, csv and the JSON contract.

Rows computed by `--baselines` are marked in every format: `"baseline": true` in JSON, a
`baseline` column in CSV (only when there are such rows), and `*` after the name in the table,
explained under it."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import Any

from harness.analyses.base import Column
from harness.analyses.registry import registered
from harness.errors import visible
from harness.render.names import display_name, markdown_text
from harness.results.contract import dumps_json, json_parts, json_pieces, to_json_obj
from harness.results.model import Evaluation
from harness.rouge import metrics

# The JSON contract lives in harness.results.contract; its writers are imported here for the renderers.
__all__ = [
    "FORMATS", "dumps_json", "json_pieces", "metric_label", "name_cell", "render", "render_pieces", "tabulated", "to_json_obj",
]

FORMATS = ("table", "markdown", "csv", "json")
_MEASURES = (("P", "precision"), ("R", "recall"), ("F", "fmeasure"))




def tabulated(rows: list[list[Any]], headers: list[str], style: str, colalign: Sequence[str]) -> str:
    """`rows` under `headers` aligned by tabulate in `style`, cells as given (no number parsing).
    tabulate is imported here, when a table is drawn: with wcwidth it takes about 15 ms to import
    (30 ms with importlib.metadata, which it imports too), and JSON and CSV need none of it."""
    from tabulate import tabulate

    return str(tabulate(rows, headers=headers, tablefmt=style, disable_numparse=True, colalign=colalign))


def metric_label(metric: str) -> str:
    """Short column label: rouge1 -> R-1, rougeL -> R-L, rougeLsum -> R-Lsum; an analysis's gate
    value (`theme:NAME`, `facts`) as is."""
    if not metrics.is_metric(metric):
        return display_name(metric)
    return metrics.label(metric)


def name_cell(name: str, fmt: str) -> str:
    """A system or document name as a table cell: visible escapes, and markdown-literal in markdown."""
    shown = display_name(name)
    return markdown_text(shown) if fmt == "markdown" else shown


def _cell(ev: Evaluation, system: str, metric: str, value: float, measure: str) -> str:
    """A score on the 0-100 scale, with its interval when there is one: `54.32 [51.9, 56.7]`."""
    if ev.intervals is None:
        return f"{100 * value:.2f}"
    low, high = ev.intervals[system][metric][measure]
    # Fixed-width bounds, so that in a right-aligned column the brackets line up too.
    return f"{100 * value:.2f} [{100 * low:4.1f}, {100 * high:4.1f}]"


BASELINE_MARK = " *"
BASELINE_NOTE = (
    "* computed from the sources by --baselines, not a submitted system: lead-N is the first N sentences "
    "(off-topic lines skipped), oracle the greedy extractive oracle (mean of R-1 and R-2 F)."
)


def analysis_columns(ev: Evaluation, stats: bool = False) -> list[Column]:
    """The registered analyses' table columns, one cell per system in rank order; an analysis
    shown only on request (`--stats`) only when `stats`."""
    columns: list[Column] = []
    for analysis in registered():
        if analysis.on_request and not stats:
            continue
        measured = [s.measured(analysis.name) for s in ev.systems]
        if any(measured):
            columns += analysis.columns(measured)
    return columns


def analysis_remarks(ev: Evaluation) -> list[str]:
    """The registered analyses' lines under the table (invisible characters in names made visible,
    as in warnings)."""
    lines: list[str] = []
    for analysis in registered():
        measured = [(s.name, s.measured(analysis.name)) for s in ev.systems]
        if any(found for _, found in measured):
            lines += [visible(line, backslash=False) for line in analysis.remarks(measured)]
    return lines


def _rows(ev: Evaluation, detail: bool, fmt: str, stats: bool = False) -> tuple[list[str], list[list[Any]]]:
    headers = ["System"]
    for m in ev.metrics:
        label = metric_label(m)
        headers += [f"{label} {p}" for p, _ in _MEASURES] if detail else [label]
    columns = analysis_columns(ev, stats)
    headers += [name_cell(c.header, fmt) for c in columns]
    rows = []
    for i, s in enumerate(ev.systems):
        mark = (BASELINE_MARK.replace("*", "\\*") if fmt == "markdown" else BASELINE_MARK) if s.baseline else ""
        row: list[Any] = [name_cell(s.name, fmt) + mark]
        for m in ev.metrics:
            fields = _MEASURES if detail else (("F", "fmeasure"),)
            row += [_cell(ev, s.name, m, getattr(s.scores[m], attr), attr) for _, attr in fields]
        row += [c.cells[i] for c in columns]
        rows.append(row)
    return headers, rows


def render_table(ev: Evaluation, fmt: str = "table", detail: bool = False, stats: bool = False) -> str:
    """Systems best first, F (and with detail P, R) on a 0-100 scale, with `stats` the source
    statistics' means over the documents, then the signature."""
    headers, rows = _rows(ev, detail, fmt, stats)
    style = "github" if fmt == "markdown" else "simple"
    table = tabulated(rows, headers, style, ("left",) + ("right",) * (len(headers) - 1))
    if any(s.baseline for s in ev.systems):
        table += "\n\n" + (BASELINE_NOTE.replace("*", "\\*", 1) if fmt == "markdown" else BASELINE_NOTE)
    remarks = analysis_remarks(ev)
    if remarks:  # in markdown as a text block: indentation kept, names literal
        text = "\n".join(remarks)
        table += "\n\n" + (f"```text\n{text}\n```" if fmt == "markdown" else text)
    if fmt == "markdown":
        return f"{table}\n\nSignature: `{ev.signature}`\n"
    return f"{table}\n\n{ev.signature}\n"


def render_csv(ev: Evaluation) -> str:
    """Long format, one row per system x document x metric (document '*' is the corpus score), unrounded;
    names unchanged (the csv module quotes them), as in JSON."""
    import csv  # only for --format csv

    buf = io.StringIO()
    plain = csv.writer(buf, lineterminator="\n")
    # The csv module quotes a field holding "\n" (the line terminator) but not one holding a lone
    # "\r", which readers take as a line break: rows with a "\r" in a name are written fully quoted.
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    marked = any(s.baseline for s in ev.systems)  # the column only when there are computed rows
    plain.writerow(["system", "document", "metric", "precision", "recall", "fmeasure", "signature"] + (["baseline"] if marked else []))
    for s in ev.systems:
        for doc, scores in [("*", s.scores)] + [(d, r.scores) for d, r in sorted(s.documents.items())]:
            for m in ev.metrics:
                sc = scores[m]
                writer = quoted if "\r" in s.name + doc else plain
                row = [s.name, doc, m, repr(sc.precision), repr(sc.recall), repr(sc.fmeasure), ev.signature]
                writer.writerow(row + ([str(s.baseline).lower()] if marked else []))
    return buf.getvalue()


def render_pieces(
    ev: Evaluation, fmt: str = "table", detail: bool = False, stats: bool = False, *, indent: bool = True
) -> Iterator[str | bytes]:
    """`render`, in pieces where the format allows (JSON: `json_parts`, compact without `indent`).
    Other formats are rendered at once, before the caller opens a file for them: drawing a table
    imports tabulate, and nothing is imported while a file is being written (harness.cli.interrupts)."""
    if fmt == "json":
        return json_parts(ev, indent=indent)
    return iter((render(ev, fmt, detail, stats),))


def render(ev: Evaluation, fmt: str = "table", detail: bool = False, stats: bool = False) -> str:
    """Dispatch to the renderer for `fmt` (one of FORMATS); `stats` adds the source statistics
    to the table and markdown (JSON always carries them)."""
    if fmt == "json":
        return dumps_json(to_json_obj(ev))
    if fmt == "csv":
        return render_csv(ev)
    return render_table(ev, fmt, detail, stats)
