"""`harness facts`: which figures and names of a text its source supports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from harness.analyses.facts import facts as check_facts
from harness.cli.options import CommandLineOnly, config_options, encoding_option, names_from
from harness.cli.score import emit
from harness.errors import InputError
from harness.files import decode, read_stream, read_text
from harness.render import facts as rendered


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@config_options
@click.option("--source", type=click.Path(dir_okay=False, path_type=Path), help="The document the text summarizes.")
@click.option("--offtopic", cls=CommandLineOnly, type=click.Path(dir_okay=False, path_type=Path),
              help="Text pasted into the source that a summary should leave out (its items are 'off-topic'); "
                   "the config's offtopic key, a folder for the other commands, does not set it.")
@click.option("--reference", "references", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Reference summaries: the evidence when there is no --source, and what recall counts (repeatable).")
@click.option("--names", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Names to know (one a line; `谷歌=Google` makes aliases).")
@encoding_option
@click.option("--format", "fmt", type=click.Choice(rendered.FORMATS), default="text", show_default=True)
def facts(files: tuple[Path, ...], source: Path | None, offtopic: Path | None, references: tuple[Path, ...],
          names: Path | None, encoding: str | None, fmt: str, **_params: Any) -> None:
    """List every figure and name of each FILE (or of standard input) with its status:
    supported (in the source), off-topic (only in --offtopic), or unsupported.

    \b
    Examples:
      harness facts --source sources/ai-open-source.txt --offtopic offtopic/ai-open-source.txt \\
          candidates/abstractive-strong/ai-open-source.txt
      echo 'OpenAI 在2022年花费了54亿美元' | harness facts --source sources/ai-open-source.txt
    """
    if offtopic is not None and source is None and not references:  # it would be ignored: no evidence
        raise InputError("--offtopic needs --source or --reference: items are told off-topic beside the evidence")
    listed = names_from(names, encoding)  # every input is read before anything is checked
    evidence = None if source is None else read_text(source, encoding)
    noise = None if offtopic is None else read_text(offtopic, encoding)
    refs = [read_text(path, encoding) for path in references]
    if files:
        texts = [(str(path), read_text(path, encoding)) for path in files]
    else:
        if sys.stdin is None or sys.stdin.isatty():
            raise click.UsageError("give FILE arguments, or pipe a summary on standard input")
        texts = [("<stdin>", decode(read_stream(sys.stdin.buffer, "<stdin>"), "<stdin>", encoding))]
    results = [(name, check_facts(text, source=evidence, offtopic=noise, references=refs, names=listed))
               for name, text in texts]
    emit(rendered.render(results, fmt), None)
