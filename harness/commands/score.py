"""`harness score`: rank systems by ROUGE against the references and print the table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from harness import report
from harness.commands.options import (
    OUTPUT_FILE,
    config_options,
    corpus_options,
    offtopic_folder,
    scoring_options,
    settings_from,
)
from harness.corpus import load_adhoc, load_corpus
from harness.evaluate import evaluate
from harness.files import write_output


def emit(text: str, output: str | None) -> None:
    """Print `text`, or write it to `output` (see harness.files.write_output)."""
    if output is None:
        click.echo(text, nl=False)
    else:
        write_output(output, text)


def warn(messages: list[str]) -> None:
    """Print warnings on stderr, one per line."""
    for message in messages:
        click.echo(f"warning: {message}", err=True)


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@config_options
@corpus_options
@click.option("--doc", metavar="ID", help="With FILES: the document they summarise (needed when there are several).")
@scoring_options
@click.option("--format", "fmt", type=click.Choice(report.FORMATS), default="table", show_default=True,
              help="Output format; json is the machine contract.")
@click.option("--detail", is_flag=True, help="Add precision and recall columns to the table.")
@click.option("-o", "--output", type=OUTPUT_FILE,
              help="Write the report to FILE (atomically) instead of standard output.")
def score(files: tuple[Path, ...], doc: str | None, fmt: str, detail: bool, output: str | None, **params: Any) -> None:
    """Score candidate summaries against reference summaries with ROUGE on jieba words.

    \b
    Without FILES, every system in --candidates is scored on every document in
    --references. With FILES, each file is one system (named by its file stem)
    scored against the references of one document.

    \b
    Examples:
      harness score
      harness score --format json -o scores.json
      harness score --unit char --detail
      harness score my-summary.txt --doc ai-open-source
    """
    if files:
        corpus = load_adhoc(params["references"], files, doc, params["encoding"], offtopic_folder(params))
    else:
        if doc is not None:
            raise click.UsageError("--doc only applies when summary FILES are given")
        corpus = load_corpus(params["references"], params["candidates"], params["encoding"], offtopic_folder(params))
    evaluation = evaluate(corpus, settings_from(params))
    warn(evaluation.warnings)
    emit(report.render(evaluation, fmt, detail), output)
