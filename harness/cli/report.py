"""`harness report`: the self-contained HTML report (ranking chart, themes, per-document table,
drill-down; with --check, the gate's verdict)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from harness.cli.clobber import check_outputs, inputs_of
from harness.cli.options import (
    OUTPUT_FILE,
    baselines_option,
    confidence_option,
    config_options,
    corpus_options,
    evaluate_from,
    load_from,
    output_path,
    scoring_options,
    seed_option,
    settings_from,
)
from harness.cli.score import emit, warn
from harness.gate import verdict as gate
from harness.render.drilldown import DEFAULT_DOCUMENT_CAP, DRILL_PAIR_CAP
from harness.render.html import render_html
from harness.stats.resampling import Resampling

DEFAULT_HTML = "report.html"  # where the page goes when standard output is a terminal


@click.command()
@config_options
@corpus_options
@scoring_options
@click.option("--html", "html_path", type=OUTPUT_FILE, callback=output_path,
              help=f"Write the page to FILE (atomically); without it, to standard output when that is a file or "
                   f"a pipe, and to {DEFAULT_HTML} when it is a terminal.")
@click.option("--check", "with_check", is_flag=True,
              help="Also gate against --baseline, as `harness check` does, and show the verdict (failing rows first).")
@click.option("--baseline", "baseline_path", type=OUTPUT_FILE, default="baseline.json", show_default=True,
              help="With --check: the stored baseline.")
@click.option("--tolerance", type=click.FloatRange(min=0.0), default=gate.DEFAULT_TOLERANCE, show_default=True,
              callback=lambda _ctx, _param, value: gate.check_tolerance(value), help="With --check: the allowed drop.")
@click.option("--drill-documents", type=click.IntRange(min=0), default=DEFAULT_DOCUMENT_CAP,
              help=f"Embed the drill-down texts of at most this many documents (the page's size grows with it); "
                   f"default: every document, up to {DRILL_PAIR_CAP:,} system-document pairs.")
@baselines_option
@click.option("--bootstrap", type=int, metavar="N", help="Draw bootstrap intervals from N resamples as whiskers.")
@confidence_option
@seed_option
def report(html_path: str | None, with_check: bool, baseline_path: str, tolerance: float, drill_documents: int | None,
           baselines: tuple[str, ...], bootstrap: int | None, confidence: float, seed: int, **params: Any) -> None:
    """Write one HTML file that opens offline in any browser: the ranking chart, theme coverage,
    a sortable per-document table, and each candidate beside each reference with matched tokens.

    \b
    Examples:
      harness report --html report.html
      harness report --html report.html --bootstrap 1000 --baselines lead-3,oracle
      harness report --html report.html --check
    """
    settings = settings_from(params)
    default = html_path is None and stdout_is_terminal()
    if default:  # 74 KB of HTML on a terminal helps no one
        html_path = DEFAULT_HTML
    check_outputs([("--html", html_path)], inputs_of(params, baseline=baseline_path if with_check else None))
    resampling = None if bootstrap is None else Resampling(bootstrap, confidence, seed, option="--bootstrap")
    stored = None
    if with_check:
        from harness.gate import baseline as baseline_file

        stored = baseline_file.load(Path(baseline_path))
    corpus = load_from(params)
    evaluation = evaluate_from(corpus, settings, params, baselines)
    if resampling is not None:
        from harness.stats.bootstrap import add_intervals  # only with --bootstrap

        evaluation = add_intervals(evaluation, resampling)
    warn(evaluation.warnings)
    verdict = None
    if stored is not None:
        # computed rows are ignored, as in check; errors name the file the baseline came from
        verdict = gate.check(stored, evaluation, tolerance=tolerance, source=baseline_path)
    emit(render_html(evaluation, corpus, settings, verdict=verdict, drill_cap=drill_documents), html_path)
    if default:
        click.echo(f"wrote {Path(DEFAULT_HTML).resolve()} (open it in a browser; --html FILE names another file)", err=True)



def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (a test replaces this to be one)."""
    return sys.stdout is not None and sys.stdout.isatty()

