"""Inputs as users have them, on the command line: the start a run with no inputs gets, JSONL
files given as FILES (`--candidates out/*.jsonl` after the shell's expansion), how loud the
notes and warnings are (`-q`, `-v`)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from harness.errors import InputError, InputProblems, visible
from harness.inputs.fields import JsonlFields, split_spec
from harness.inputs.jsonl import is_jsonl
from harness.inputs.load import candidate_inputs

verbosity_options = [
    click.option("-q", "--quiet", is_flag=True, help="Print no notes or warnings (errors are still printed)."),
    click.option("-v", "--verbose", is_flag=True,
                 help="List every warning about every document instead of one line per kind."),
]


def _defaulted(name: str) -> bool:
    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.get_parameter_source(name) in (ParameterSource.DEFAULT, None)


def check_started(params: dict[str, Any]) -> None:
    """A run given no inputs, in a folder without references/ and candidates/, gets a start:
    what was looked for, the two layouts, and a command to copy (instead of 'no such folder')."""
    if not (_defaulted("references") and _defaulted("candidates")):
        return
    if Path(params["references"]).exists() or any(Path(c).exists() for c in params["candidates"]):
        return
    ctx = click.get_current_context()
    raise InputProblems([
        "no inputs: looked for references/ and candidates/ here, and for [tool.harness] in a pyproject.toml",
        "  folders: references/<doc-id>/<name>.txt (one or more references) and candidates/<system>/<doc-id>.txt",
        '  JSONL:   refs.jsonl lines {"id": ..., "references": [...]}, outputs/<system>.jsonl lines '
        '{"id": ..., "summary": ...}',
        f"  start:   harness {ctx.info_name} --references refs.jsonl --candidates outputs/",
    ])


def _is_candidates(path: Path) -> bool:
    bare, _own, _why = split_spec(path, "summary")
    return is_jsonl(bare) or bare.is_dir()


def positional_candidates(files: tuple[Path, ...], params: dict[str, Any]) -> tuple[tuple[Path, ...], dict[str, Any]]:
    """JSONL files (or folders) given as FILES are candidates: `--candidates out/*.jsonl`, which
    the shell turns into `--candidates out/a.jsonl out/b.jsonl`, scores both files. Summary
    .txt FILES stay FILES (one document); the two kinds mixed are refused with the fix."""
    given = [f for f in files if _is_candidates(Path(f))]
    if not given:
        return files, params
    loose = [f for f in files if f not in given]
    if loose:
        raise InputError(
            f"{loose[0]}: FILES are either summary .txt files of one document or candidates (JSONL files, folders), "
            f"not both; pass the candidates with --candidates (quote a glob: --candidates '{Path(given[0]).parent}/*.jsonl')"
        )
    before = [] if _defaulted("candidates") else list(params["candidates"])
    return (), {**params, "candidates": (*before, *given)}


def say_notes(notes: list[str], params: dict[str, Any]) -> None:
    """How the inputs were read (which recognised field names), once each, on stderr; not with -q."""
    if params.get("quiet"):
        return
    for note in notes:
        click.echo(f"note: {visible(note, backslash=False)}", err=True)


class Choice(click.Choice):  # type: ignore[type-arg]
    """click.Choice that adds a did-you-mean to its refusal (`--multiref best_recall`)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            names = {str(c).lower(): str(c) for c in self.choices}
            close = difflib.get_close_matches(str(value).lower(), list(names), n=1, cutoff=0.6)
            if not close:
                raise
            raise click.BadParameter(f"{exc.message.rstrip('.')} (did you mean {names[close[0]]!r}?)", ctx, param) from None


def input_paths(references: Path, candidates: Iterable[Path]) -> tuple[Path, list[Path]]:
    """The files and folders the references and candidates options name, as read: `#names`
    split off and quoted globs expanded (for the check that no output replaces an input)."""
    problems: list[str] = []  # reported when the corpus is read
    ref_path = split_spec(Path(references), "references")[0]
    return ref_path, [path for path, _fields in candidate_inputs([Path(c) for c in candidates], JsonlFields(), problems)]
