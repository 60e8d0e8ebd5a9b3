"""`harness explain`: one candidate's tokens marked, its scores, and its theme coverage."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from harness.cli.options import (
    analysis_options,
    config_options,
    corpus_options,
    load_from,
    scoring_options,
    settings_from,
    skipped_analyses,
)
from harness.render import explain as core
from harness.run.pipeline import check_baselines


@click.command()
@click.argument("system")
@click.argument("doc", required=False)
@config_options
@corpus_options
@scoring_options
@click.option("--color/--no-color", default=None, help="Mark tokens with colour (default: when standard output is a terminal).")
def explain(system: str, doc: str | None, color: bool | None, **params: Any) -> None:
    """Show SYSTEM's summary of DOC as scoring sees it: tokens in the best reference (bold green,
    or [token]), off-topic bigrams (red, or {token}), and per theme the units covered and missed.

    \b
    Examples:
      harness explain first-theme-only
      harness explain crypto-distracted ai-open-source --no-color
      harness explain lead-3 ai-open-source --convention opencompass
    """
    settings = settings_from(params)
    corpus = load_from(params)
    check_baselines(corpus, ())  # a submitted system named like a --baselines row is refused, as by score
    options = analysis_options(params)  # --names, read as `score` reads it (a bad file: exit 2)
    skip = skipped_analyses(params)
    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    if settings.convention == "harness":
        shown = core.explain(corpus, settings, system, doc, options=options, skip=skip)
        click.echo(core.render(shown, color=color), nl=False, color=color)
        return
    from harness.render import conventions

    # --convention all: the harness's own view first, then each tool's; one tool: only its view.
    if settings.convention == "all":
        shown = core.explain(corpus, settings, system, doc, options=options, skip=skip)
        click.echo(core.render(shown, color=color), color=color)
    click.echo(conventions.render(conventions.explain(corpus, settings, system, doc), color=color), nl=False, color=color)
