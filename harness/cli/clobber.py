"""Refusing an output that would replace one of the run's own inputs (issue 17, class 1).

Before anything is read or written, every output path (-o, --junit, --html, the baseline that
--update-baseline writes, GITHUB_STEP_SUMMARY) is compared with every input of the run
(references, candidates, sources, themes, off-topic texts, the config file, the baseline it
reads, the user dictionary, the names list, summary FILES): after resolving symbolic links, by path, and, where
the output already exists, by device and inode, so that a hard link is caught too. An output
inside an input folder is refused as well: it would either replace an input or become one on
the next run. `--update-baseline` writing the baseline it compares nothing with is not an
overlap: in that mode the baseline is not read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from harness.cli.inputs import input_paths
from harness.cli.options import CONFIG_PATH, offtopic_folder, sources_folder, themes_folder
from harness.errors import InputError

Labelled = tuple[str, "str | os.PathLike[str] | None"]


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _files_under(folder: str) -> Iterable[tuple[str, tuple[int, int]]]:
    """Every file below `folder` (symbolic links followed, as the readers do) with its identity."""
    for root, _dirs, names in os.walk(folder, followlinks=True):
        for name in names:
            path = os.path.join(root, name)
            found = _identity(path)
            if found is not None:
                yield path, found


def _clash(output: str, inputs: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    """The (label, path) of the input `output` would replace or land in, or None."""
    real = os.path.realpath(output)
    identity = _identity(real)
    for label, path in inputs:
        real_input = os.path.realpath(path)
        if real == real_input or (identity is not None and identity == _identity(real_input)):
            return label, path
        if os.path.isdir(real_input):
            if Path(real).is_relative_to(real_input):
                return label, path
            if identity is not None:
                for inner, inner_identity in _files_under(real_input):
                    if inner_identity == identity:
                        return label, inner
    return None


def check_outputs(outputs: Sequence[Labelled], inputs: Sequence[Labelled]) -> None:
    """Raise InputError naming both paths when an output is one of `inputs` (a file, a file in an
    input folder, or a link to either), or when two outputs are the same file."""
    given_inputs = [(label, os.fspath(path)) for label, path in inputs if path is not None]
    given_outputs = [(label, os.fspath(path)) for label, path in outputs if path is not None]
    problems = []
    twice = False  # an output clashing with an earlier output, not an input
    for i, (label, path) in enumerate(given_outputs):
        clash = _clash(path, given_inputs + given_outputs[:i])
        if clash is not None:
            where = "is inside the {} folder {}" if os.path.isdir(clash[1]) else "is the {} file {}"
            problems.append(f"{label} {path} " + where.format(*clash))
            twice = twice or clash in given_outputs[:i]
    if problems:
        what = "an input or another output" if twice and len(problems) > 1 else "another output" if twice else "an input"
        raise InputError("; ".join(problems) + f": refusing to overwrite {what} of this run; nothing written")


def inputs_of(params: dict[str, Any], *, baseline: str | None = None, files: Sequence[Path] = ()) -> list[Labelled]:
    """Every input a scoring command's parsed options name: the corpus, the folders beside it,
    the user dictionary, the config file that filled the defaults, and `baseline` when read."""
    references, candidates = input_paths(params["references"], params["candidates"])  # FILE#names, globs
    found: list[Labelled] = [("references", references)]
    found += [("candidates", c) for c in candidates]
    found += [("summary", f) for f in files]
    found += [("sources", sources_folder(params)), ("themes", themes_folder(params)),
              ("off-topic", offtopic_folder(params)), ("user dictionary", params.get("user_dict")),
              ("names list", params.get("names")),
              ("config", click.get_current_context().meta.get(CONFIG_PATH)), ("baseline", baseline)]
    return found
