"""`harness check`: the CI regression gate against a stored baseline."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from harness.cli.clobber import check_outputs, inputs_of
from harness.cli.options import (
    OUTPUT_FILE,
    baselines_option,
    check_output_path,
    config_options,
    corpus_options,
    evaluate_from,
    load_from,
    on_option,
    output_path,
    scoring_options,
    seed_option,
    settings_from,
    trials_option,
)
from harness.cli.score import emit, warn
from harness.errors import ExitCode, HarnessError, InputError
from harness.files import append_output, write_output
from harness.gate import baseline as baseline_file
from harness.gate import verdict as gate
from harness.gate.changes import system_changes
from harness.inputs.themes import theme_names
from harness.render import verdict as verdict_report
from harness.results import contract
from harness.stats.resampling import Resampling


@click.command()
@config_options
@corpus_options
@scoring_options
@click.option("--baseline", "baseline_path", type=OUTPUT_FILE,
              default="baseline.json", show_default=True, help="The stored baseline (JSON from `harness score`).")
@click.option("--baseline-from", "baseline_from", metavar="REV",
              help="Read --baseline as git revision REV holds it (origin/main, HEAD~1, merge-base:origin/main), "
                   "never from the working tree, so a change cannot rewrite the baseline it is gated on.")
@click.option("--update-baseline", is_flag=True, help="Write the current scores as the new baseline, and compare nothing.")
@on_option
@click.option("--tolerance", type=click.FloatRange(min=0.0), default=gate.DEFAULT_TOLERANCE, show_default=True,
              callback=lambda _ctx, _param, value: gate.check_tolerance(value),  # NaN passes FloatRange
              help="Allowed drop on the 0-1 scale; a drop exactly at it passes.")
@click.option("--min", "floors", multiple=True, metavar="[SYSTEM:]METRIC=VALUE",
              help="Absolute floor on the 0-1 scale, e.g. rougeL=0.30 (repeatable).")
@click.option("--min-theme", "theme_floors", multiple=True, metavar="THEME=VALUE",
              help="Fail a system covering less than this share of a theme's units, e.g. 开源威胁=0.5 (repeatable).")
@click.option("--max-unsupported", type=click.IntRange(min=0), metavar="N",
              help="Fail a system with a document whose summary has more than N figures or names that its "
                   "source does not support (unsupported or only off-topic), naming them. Needs sources.")
@click.option("--format", "fmt", type=click.Choice(verdict_report.FORMATS), default="table", show_default=True,
              help="Report format. markdown is one pull-request comment (a row per system, changed ones first, "
                   "each delta with its paired interval and p-value over --trials, --seed); it starts with "
                   f"{verdict_report.COMMENT_MARKER} so CI can find and update it instead of adding another.")
@click.option("--junit", type=OUTPUT_FILE, callback=output_path, help="Also write JUnit XML to FILE.")
@click.option("--top-documents", type=click.IntRange(min=0), default=5, show_default=True,
              help="How many of the most-fallen per-document scores to list.")
@click.option("--significance", type=float, metavar="ALPHA",
              help="Fail a drop beyond --tolerance only when a paired permutation test over the documents "
                   "finds it significant at ALPHA (e.g. 0.05); otherwise it is reported as not-significant.")
@baselines_option
@trials_option
@seed_option
def check(baseline_path: str, baseline_from: str | None, update_baseline: bool, on: str, tolerance: float, floors: tuple[str, ...],
          theme_floors: tuple[str, ...], max_unsupported: int | None, fmt: str, junit: str | None, top_documents: int, significance: float | None,
          baselines: tuple[str, ...], trials: int, seed: int, **params: Any) -> None:
    """Fail (exit 1) when a system's scores regress against the baseline.

    \b
    Exit codes: 0 passed; 1 a score dropped by more than --tolerance, fell under a
    --min floor, or a baseline system is missing; 2 bad input or baseline file;
    3 the baseline was made with other settings (see its signature).
    --baselines rows are written, marked, only with --update-baseline, and are
    never gated (ignored when comparing).
    When GITHUB_STEP_SUMMARY is set, the markdown report is appended to it.

    \b
    Examples:
      harness check
      harness check --update-baseline
      harness check --min rougeL=0.30 --junit harness.xml --format markdown
      harness check --significance 0.05
      harness check --max-unsupported 0 --min facts=0.9
      harness check --baseline-from merge-base:origin/main
    """
    # Every option and the baseline are checked before any text is read; floors naming a system
    # once the corpus is listed, before any scoring.
    parsed_floors = [gate.parse_floor(f) for f in floors]
    parsed_theme_floors = [gate.parse_theme_floor(f) for f in theme_floors]
    test = None if significance is None else gate.Significance(significance, trials, seed)
    settings = settings_from(params)
    gate.check_floor_metrics(parsed_floors, settings.metrics)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY") or None
    if update_baseline and baseline_from and _given(click.get_current_context(), "baseline_from"):
        raise InputError("--update-baseline writes the working tree's baseline and --baseline-from reads a "
                         "git revision's: use one")
    # The comment's paired tests (markdown only): checked with every other option, before any scoring.
    paired = Resampling(trials, seed=seed) if fmt == "markdown" or step_summary else None
    if update_baseline:
        check_output_path(baseline_path)
        # The baseline it writes is not read in this mode: replacing it is the point.
        check_outputs([("--baseline", baseline_path)], inputs_of(params))
    else:
        check_outputs([("--junit", junit), ("GITHUB_STEP_SUMMARY", step_summary)], inputs_of(params, baseline=baseline_path))
    stored, source = None, str(baseline_path)
    if baseline_from and not update_baseline:  # a config's baseline-from is moot when writing one
        from harness.gate import git  # only with --baseline-from (subprocess)

        stored, source = git.load_from(baseline_from, Path(baseline_path))
    elif not update_baseline:
        stored = baseline_file.load(Path(baseline_path))
    corpus = load_from(params)
    gate.check_floor_systems(parsed_floors, corpus.candidates, [s["name"] for s in stored["systems"]] if stored else [])
    gate.check_theme_names(parsed_theme_floors, theme_names(corpus.themes))
    if not update_baseline:  # writing a baseline gates nothing
        gate.check_facts_gate(parsed_floors, max_unsupported, "--no-facts skips the facts check" if not params["facts"]
                              else None if corpus.sources else "no document has a source (sources/<doc>.txt or a JSONL "
                              "source field)")
    # Computed rows are never gated: only --update-baseline computes (and writes) them.
    evaluation = evaluate_from(corpus, settings, params, baselines if update_baseline else ())
    warn(evaluation.warnings)
    current = contract.to_json_obj(evaluation)
    if update_baseline:
        write_output(baseline_path, contract.dumps_json(current))
        click.echo(f"wrote {baseline_path}: {len(current['systems'])} systems, {len(current['metrics'])} metrics")
        click.echo(evaluation.signature)
        return
    assert stored is not None
    gate.check_signatures(stored, current, Path(source))
    verdict = gate.compare(
        stored, current, on=on, tolerance=tolerance, floors=parsed_floors, top_documents=top_documents,
        source=source, significance=test, theme_floors=parsed_theme_floors, max_unsupported=max_unsupported,
    )
    if junit is not None:
        write_output(junit, verdict_report.render_junit(verdict))
    comment = None
    if paired is not None:
        comment = verdict_report.render_verdict(verdict, "markdown", system_changes(verdict, stored, current, paired))
    if step_summary:
        try:
            append_output(step_summary, f"{comment}\n")
        except HarnessError as exc:  # the verdict still stands; only the CI summary is lost
            warn([f"GITHUB_STEP_SUMMARY: the report was not appended: {exc}"])
    emit(comment if fmt == "markdown" and comment is not None else verdict_report.render_verdict(verdict, fmt), None)
    if not verdict.passed:
        raise click.exceptions.Exit(ExitCode.GATE_FAILED)


def _given(ctx: click.Context, name: str) -> bool:
    """Whether option `name` was given on the command line (not by [tool.harness] or its default)."""
    return ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE
