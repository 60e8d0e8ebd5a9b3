"""`harness score`: rank systems by ROUGE against the references and print the table."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from harness.cli.clobber import check_outputs, inputs_of
from harness.cli.inputs import positional_candidates, say_notes
from harness.cli.options import (
    baselines_option,
    confidence_option,
    config_options,
    corpus_options,
    evaluate_from,
    fields_from,
    load_from,
    offtopic_folder,
    output_option,
    scoring_options,
    seed_option,
    settings_from,
    sources_folder,
    themes_folder,
)
from harness.errors import visible
from harness.files import write_output
from harness.inputs.load import load_adhoc
from harness.render import table as report
from harness.stats.resampling import Resampling

FORMATS = (*report.FORMATS, "html")


def emit(text: str | Iterable[str | bytes], output: str | None) -> None:
    """Print `text` (or its pieces, as they are rendered; a bytes piece is UTF-8 already), or write
    it to `output` (see harness.files.write_output)."""
    if output is None:
        # color=True: click would otherwise delete anything that looks like an ANSI escape when
        # stdout is not a terminal, silently changing a name in CSV ("red\x1b[31mX" -> "redX").
        # The renderers for people already show such characters as visible escapes.
        # A bytes piece is printed as text too: the stream may have no binary buffer (a caller's
        # StringIO), and a text stream encodes every piece alike.
        for piece in [text] if isinstance(text, str) else text:
            click.echo(piece.decode("utf-8") if isinstance(piece, bytes) else piece, nl=False, color=True)
    else:
        write_output(output, text)


def warn(messages: list[str]) -> None:
    """Print warnings on stderr, one per line (control characters in names shown as escapes);
    none with -q/--quiet."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.params.get("quiet"):
        return
    for message in messages:
        click.echo(f"warning: {visible(message, backslash=False)}", err=True)


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@config_options
@corpus_options
@click.option("--doc", metavar="ID", help="With FILES: the document they summarise (needed when there are several).")
@scoring_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format; json is the machine contract; html the page of `harness report`.")
@click.option("--indent", is_flag=True,
              help="--format json: indent for people (the default on a terminal); compact into files and pipes.")
@click.option("--detail", is_flag=True, help="Add precision and recall columns to the table.")
@click.option("--stats", is_flag=True,
              help="Add source statistics to the table (means over documents with a source); JSON always has them.")
@baselines_option
@output_option
@click.option("--bootstrap", type=int, metavar="N",
              help="Add percentile confidence intervals from N bootstrap resamples of the documents (N >= 100).")
@confidence_option
@seed_option
def score(files: tuple[Path, ...], doc: str | None, fmt: str, indent: bool, detail: bool, stats: bool, baselines: tuple[str, ...],
          output: str | None, bootstrap: int | None, confidence: float, seed: int, **params: Any) -> None:
    """Score candidate summaries against reference summaries with ROUGE on jieba words.

    \b
    Without FILES, every system in --candidates is scored on every document in
    --references. With FILES, each file is one system (named by its file stem)
    scored against the references of one document.

    \b
    Examples:
      harness score
      harness score --format json -o scores.json
      harness score --format html -o report.html
      harness score --unit char --detail
      harness score my-summary.txt --doc ai-open-source
      harness score --bootstrap 1000 --seed 7
      harness score --stats --baselines lead-3,oracle
    """
    files, params = positional_candidates(files, params)  # `--candidates out/*.jsonl` after the shell
    if doc is not None and not files:
        raise click.UsageError("--doc only applies when summary FILES are given")
    settings = settings_from(params)  # every setting checked before any text is read
    check_outputs([("-o", output)], inputs_of(params, files=files))
    resampling = None if bootstrap is None else Resampling(bootstrap, confidence, seed, option="--bootstrap")
    if files:
        corpus = load_adhoc(
            params["references"], files, doc, params["encoding"], offtopic_folder(params), sources_folder(params),
            themes_folder(params), fields=fields_from(params),
        )
        say_notes(corpus.notes, params)
    else:
        corpus = load_from(params)
    evaluation = evaluate_from(corpus, settings, params, baselines)
    if resampling is not None:
        from harness.stats.bootstrap import add_intervals  # only with --bootstrap

        evaluation = add_intervals(evaluation, resampling)
    warn(evaluation.warnings)
    if fmt == "html":
        from harness.render.html import render_html

        emit(render_html(evaluation, corpus, settings), output)
        return
    indent = indent or (output is None and sys.stdout.isatty())
    emit(report.render_pieces(evaluation, fmt, detail, stats, indent=indent), output)
