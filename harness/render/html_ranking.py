"""The HTML report's first screen, the verdict at a glance (harness.render.html puts it first).

A ranked table of every row of the evaluation, the --baselines rows (lead-N, oracle) ranked among
the submitted systems and marked as baselines: per metric the mean F (x 100) with its bootstrap
interval when the evaluation has intervals (`--bootstrap N`, at least 2 documents); whether the row
differs significantly from the best submitted system and from each baseline row, by the paired
approximate randomization test of harness.stats.comparison on the rank metric, with the
evaluation's own resample count and seed (so the same inputs give the same bytes); and the
registered analyses' headline values (`DocumentAnalysis.ranking`, e.g. facts precision).

Below it, one bar chart per metric in the same ranking, with a value axis, baseline bars marked
by colour and a label, whiskers for the intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from harness.analyses.base import Column
from harness.analyses.registry import registered
from harness.render.names import html_name
from harness.render.names import html_text as esc
from harness.results.model import Evaluation
from harness.rouge import metrics as metric_registry
from harness.rouge.signature import parse
from harness.stats.comparison import DEFAULT_ALPHA, Comparison, compare
from harness.stats.resampling import Resampling

_BAR_HEIGHT, _GAP, _LABEL_WIDTH, _BAR_WIDTH, _RIGHT = 16, 6, 170, 220, 50
BASELINE_TAG = "baseline"


@dataclass(frozen=True)
class PairedTests:
    """The paired tests of the ranked table: each row against each reference row (the best
    submitted system, then every baseline row) on `metric`; empty `found` when none ran, and `why`."""

    metric: str
    references: list[str]
    found: dict[tuple[str, str], Comparison]
    method: str
    why: list[str]


def resampling_of(ev: Evaluation) -> Resampling | None:
    """The resampling the evaluation's intervals were drawn with (from its signature), or None."""
    fields = parse(ev.signature)
    if ev.intervals is None or "boot" not in fields:
        return None
    confidence = float(fields.get("ci", "95")) / 100
    return Resampling(int(fields["boot"]), confidence, int(fields.get("seed", "0")), option="--bootstrap")


def paired_tests(ev: Evaluation, alpha: float = DEFAULT_ALPHA) -> PairedTests:
    """Each row against the best submitted system and against each baseline row, on the rank
    metric's F (harness.stats.comparison.compare); run only when the evaluation has intervals,
    with their resample count and seed."""
    metric = metric_registry.rank_metric(ev.metrics)
    submitted = [s.name for s in ev.systems if not s.baseline]
    references = submitted[:1] + [s.name for s in ev.systems if s.baseline]
    resampling = resampling_of(ev)
    if resampling is None or len(ev.systems) < 2:
        why = ["no paired tests: the report has no bootstrap intervals (run it with --bootstrap 1000 on at least "
               "2 documents)"] if resampling is None else []
        return PairedTests(metric, references, {}, "", why)
    found: dict[tuple[str, str], Comparison] = {}
    notes: list[str] = []
    for reference in references:
        result = compare(ev, reference, alpha=alpha, resampling=resampling, metrics=[metric])
        found.update(((row.system, reference), row) for row in result.rows)
        notes += [n for n in result.notes if n not in notes]
    method = (f"paired approximate randomization test ({resampling.trials} trials, seed {resampling.seed}), "
              f"significant at p ≤ {alpha:g}")
    return PairedTests(metric, references, found, method, notes)


def _analysis_columns(ev: Evaluation) -> list[Column]:
    return [c for a in registered() for c in a.ranking([s.measured(a.name) for s in ev.systems])]


def _test_cell(test: Comparison | None) -> str:
    if test is None:
        return "<td>-</td>"
    delta = f"{100 * test.delta:+.2f}".replace("-", "−")
    if test.p_permutation is None:
        return f'<td class="vs" title="too few documents for a test">{delta}</td>'
    ci = "" if test.ci is None else f", interval [{100 * test.ci[0]:+.2f}, {100 * test.ci[1]:+.2f}]"
    title = esc(f"{delta} points{ci}, p = {test.p_permutation:.4f} (bootstrap p = {test.p_bootstrap:.4f})")
    p = f"p {test.p_permutation:.3f}" if test.p_permutation >= 0.001 else "p &lt; 0.001"
    if test.significant:
        arrow, side = ("▲", "higher") if test.delta > 0 else ("▼", "lower")
        return f'<td class="vs sig {side}" title="{title}"><b>{arrow} {delta}</b> <small>{p}</small></td>'
    return f'<td class="vs ns" title="{title}">{delta} <small>n.s. ({p})</small></td>'


def ranked_table(ev: Evaluation) -> str:
    """The first screen's table: every row best first by the rank metric, baselines inline and marked."""
    tests = paired_tests(ev)
    rank = tests.metric
    metrics = [rank, *(m for m in ev.metrics if m != rank)]
    intervals = ev.intervals or {}
    extra = _analysis_columns(ev)
    compared = tests.references if tests.found else []
    by_name = {s.name: s for s in ev.systems}
    heads = [esc(h) for h in ["#", "System", *(f"{metric_registry.label(m)} F" for m in metrics)]]
    heads += [("vs best: " if i == 0 and not by_name[r].baseline else "vs ") + html_name(r) for i, r in enumerate(compared)]
    heads += [esc(c.header) for c in extra]
    body = []
    for i, s in enumerate(ev.systems):
        name = html_name(s.name) + (f' <span class="tag">{BASELINE_TAG}</span>' if s.baseline else "")
        cells = [f"<td>{i + 1}</td>", f'<td class="name">{name}</td>']
        for m in metrics:
            value, title = f"{100 * s.scores[m].fmeasure:.2f}", ""
            if s.name in intervals:  # shown on the rank metric; the others' in a tooltip, to keep the table narrow
                interval = "[{:.2f}, {:.2f}]".format(*(100 * v for v in intervals[s.name][m]["fmeasure"]))
                if m == rank:
                    value += f' <span class="ci">{interval}</span>'
                else:
                    title = f' title="interval {interval}"'
            cells.append(f'<td class="{"rank" if m == rank else "score"}"{title}>{value}</td>')
        for r in compared:
            cells.append('<td class="vs self">—</td>' if r == s.name else _test_cell(tests.found.get((s.name, r))))
        cells += [f"<td>{esc(c.cells[i])}</td>" for c in extra]
        cls = ' class="baseline"' if s.baseline else ""
        body.append(f'<tr{cls} data-system="{esc(s.name)}">' + "".join(cells) + "</tr>")
    head = "".join(f'<th scope="col">{h}</th>' for h in heads)
    return (f'<div class="wide"><table id="ranked"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
            f'<p class="note" id="ranked-note">{esc(_note(ev, tests))}</p>')


def _note(ev: Evaluation, tests: PairedTests) -> str:
    fields = parse(ev.signature)
    label = metric_registry.label(tests.metric)
    parts = [f"F x 100, best first by {label} F, baselines computed from the sources (--baselines) ranked "
             "among the systems and marked."]
    if ev.intervals is not None:
        parts.append(f"In brackets (and over the other metrics' scores): the {fields.get('ci', '?')}% bootstrap interval ({fields.get('boot', '?')} "
                     f"resamples of the {len(ev.documents)} documents, seed {fields.get('seed', '?')}).")
    else:
        parts.append("No intervals: run with --bootstrap 1000 (needs at least 2 documents).")
    if tests.found:
        parts.append(f"vs columns: the difference in {label} F points from that row, by a {tests.method}; "
                     "▲/▼ significantly higher/lower, n.s. not significant.")
    parts += [w[0].upper() + w[1:] + "." for w in tests.why]
    return " ".join(parts)


def chart(ev: Evaluation, metric: str) -> str:
    """One metric's bars (F x 100) in rank order, baseline rows marked, with a value axis below."""
    intervals = ev.intervals or {}
    highs = [100 * intervals[s.name][metric]["fmeasure"][1] for s in ev.systems if s.name in intervals]
    top = 10 * math.ceil(max([100 * s.scores[metric].fmeasure for s in ev.systems] + highs + [1.0]) / 10)  # next 10
    scale = _BAR_WIDTH / top
    rows: list[str] = []
    y = 22
    for s in ev.systems:
        value = 100 * s.scores[metric].fmeasure
        width = value * scale
        name = esc(s.name)
        kind = " baseline" if s.baseline else ""
        rows.append(f'<g class="row{kind}" data-system="{name}"><title>{name}: {value:.2f}</title>')
        label = esc(_short(s.name)) + (" ◆" if s.baseline else "")
        rows.append(f'<text x="{_LABEL_WIDTH - 6}" y="{y + 12}" text-anchor="end">{label}</text>')
        rows.append(f'<rect class="bar{kind}" x="{_LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{_BAR_HEIGHT}"/>')
        end = _LABEL_WIDTH + width
        if s.name in intervals:
            low, high = (100 * v for v in intervals[s.name][metric]["fmeasure"])
            x1, x2, mid = _LABEL_WIDTH + low * scale, _LABEL_WIDTH + high * scale, y + _BAR_HEIGHT / 2
            rows.append(f'<path class="whisker" d="M{x1:.1f} {mid}H{x2:.1f}M{x1:.1f} {y + 3}V{y + 13}M{x2:.1f} {y + 3}V{y + 13}"/>')
            end = max(end, x2)
        rows.append(f'<text class="value" x="{end + 4:.1f}" y="{y + 12}">{value:.2f}</text></g>')
        y += _BAR_HEIGHT + _GAP
    axis = _axis(top, scale, 18, y)
    height = y + 22
    total = _LABEL_WIDTH + _BAR_WIDTH + _RIGHT
    label = esc(metric_registry.label(metric))
    return (
        f'<svg class="chart" data-metric="{esc(metric)}" width="{total}" height="{height}" viewBox="0 0 {total} {height}" '
        f'role="img" aria-label="{label} F by system"><text class="title" x="0" y="12">{label} F</text>'
        + axis + "".join(rows) + "</svg>"
    )


def _axis(top: int, scale: float, y0: int, y1: int) -> str:
    """Grid lines and labelled ticks (0 to `top`, F x 100) under the bars."""
    step = 10 if top <= 50 else 20
    ticks = []
    for value in range(0, top + 1, step):
        x = _LABEL_WIDTH + value * scale
        ticks.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{y0}" y2="{y1}"/>'
                     f'<text class="tick" x="{x:.1f}" y="{y1 + 14}" text-anchor="middle">{value}</text>')
    base = f'<line class="axis" x1="{_LABEL_WIDTH}" x2="{_LABEL_WIDTH + top * scale:.1f}" y1="{y1}" y2="{y1}"/>'
    return f'<g class="x-axis" data-top="{top}">{"".join(ticks)}{base}</g>'


def _short(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def verdict_section(ev: Evaluation) -> str:
    """The first screen: the ranked table, then one chart per metric."""
    charts = "".join(chart(ev, m) for m in ev.metrics)
    legend = ('<p class="note">Bars: F x 100 on each metric; <span class="key baseline"></span> baselines (◆); '
              + ("whiskers: the bootstrap interval." if ev.intervals is not None else "") + "</p>")
    return (f'<section id="ranking"><h2>Ranking</h2>{ranked_table(ev)}'
            f'<div class="charts">{charts}</div>{legend}</section>')
