"""`harness compare`: is one system really better than another? Paired tests over the documents."""

from __future__ import annotations

from typing import Any

import click

from harness.cli.clobber import check_outputs, inputs_of
from harness.cli.options import (
    confidence_option,
    config_options,
    corpus_options,
    evaluate_from,
    load_from,
    on_option,
    output_option,
    scoring_options,
    seed_option,
    settings_from,
    trials_option,
)
from harness.cli.score import emit, warn
from harness.render import comparison as rendered
from harness.stats import comparison
from harness.stats.resampling import Resampling


@click.command()
@click.argument("baseline", required=False, metavar="[BASELINE_SYSTEM]")
@config_options
@corpus_options
@scoring_options
@on_option
@trials_option
@seed_option
@confidence_option
@click.option("--alpha", type=float, default=comparison.DEFAULT_ALPHA, show_default=True,
              callback=lambda _ctx, _param, value: comparison.check_alpha(value),
              help="Significance level: a row is significant when its permutation p-value is at most this.")
@click.option("--format", "fmt", type=click.Choice(rendered.FORMATS), default="table", show_default=True,
              help="Output format; json is byte-identical across runs and machines.")
@output_option
def compare(baseline: str | None, on: str, trials: int, seed: int, confidence: float, alpha: float, fmt: str,
            output: str | None, **params: Any) -> None:
    """Compare every system with BASELINE_SYSTEM (default: the top-ranked one), document by document.

    \b
    For each other system and metric: the difference of corpus means (system -
    baseline), its paired bootstrap interval, and two-sided p-values from paired
    bootstrap resampling and from approximate randomization (each document's pair
    swapped with probability 1/2), p = (c + 1) / (trials + 1). A row is significant
    when the permutation p-value is at most --alpha. Seeded: the same bytes every run.

    \b
    Examples:
      harness compare
      harness compare lead-3 --on recall --format markdown
      harness compare --references refs.jsonl --candidates outputs/ --trials 20000 --seed 7
    """
    resampling = Resampling(trials, confidence, seed)  # every option checked before any text is read
    settings = settings_from(params)
    check_outputs([("-o", output)], inputs_of(params))
    corpus = load_from(params)
    evaluation = evaluate_from(corpus, settings, params)
    warn(evaluation.warnings)
    result = comparison.compare(evaluation, baseline, on=on, alpha=alpha, trials=resampling.trials, seed=resampling.seed,
                                confidence=resampling.confidence)
    emit(rendered.render(result, fmt), output)
