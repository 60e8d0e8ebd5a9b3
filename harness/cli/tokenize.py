"""`harness tokenize`: show the tokens exactly as scoring sees them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from harness.cli.options import config_options, encoding_option, settings_options
from harness.files import decode, read_stream, read_text
from harness.rouge.settings import Settings


@click.command()
@click.argument("text", nargs=-1)
@config_options
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path), help="Tokenize this file.")
@encoding_option
@settings_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: tokens separated by spaces; json: a JSON array of strings.")
@click.option("--sentences", is_flag=True, help="One sentence per line (json: an array per sentence), as ROUGE-Lsum sees them.")
def tokenize(text: tuple[str, ...], path: Path | None, encoding: str | None, fmt: str, sentences: bool, **params: Any) -> None:
    """Print the tokens of TEXT, of --file, or of standard input, as scoring sees them.

    \b
    Examples:
      harness tokenize 开源模型更快、可定制性更强
      harness tokenize --file candidates/lead-3/ai-open-source.txt --sentences
      echo 'GPT-3.5 与 Alpaca' | harness tokenize --format json
    """
    if text and path:
        raise click.UsageError("give TEXT or --file, not both")
    # Settings first: a bad user dictionary is reported before any text is read.
    processor = Settings(unit=params["unit"], hmm=params["hmm"], user_dict=params["user_dict"], t2s=params["t2s"]).processor()
    if path is not None:
        source = read_text(path, encoding)
    elif text:
        source = " ".join(text)
    else:
        if sys.stdin is None or sys.stdin.isatty():
            raise click.UsageError("give TEXT, --file PATH, or pipe text on standard input")
        source = decode(read_stream(sys.stdin.buffer, "<stdin>"), "<stdin>", encoding)
    split = processor.sentences(source)
    if fmt == "json":
        data: Any = split if sentences else [t for s in split for t in s]
        click.echo(json.dumps(data, ensure_ascii=False))
    elif sentences:
        for s in split:
            click.echo(" ".join(s))
    else:
        click.echo(" ".join(t for s in split for t in s))
