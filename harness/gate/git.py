"""The baseline as a git revision holds it (`harness check --baseline-from REV`), never the working tree.

A change cannot vouch for itself: a pull request that lowers a system and rewrites baseline.json
in the same commit passes a gate that reads the checkout's baseline.json, and fails one that
reads the base branch's. The file is read with `git show REV:PATH`, from git's objects only.
REV is anything `git rev-parse` takes (`origin/main`, `HEAD~1`, a commit), or
`merge-base:OTHER`, the merge base of HEAD and OTHER (where a pull request branched off).

Every failure is a BaselineError (exit 2) naming what is missing: git itself, the repository,
the revision (with the `git fetch` that brings it into a shallow clone), or the file at it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from harness.errors import BaselineError
from harness.gate.baseline import parse
from harness.results.contract import REGENERATE, validate

MERGE_BASE = "merge-base:"
# A CI checkout (actions/checkout, GitLab's default) is shallow: one commit, no base branch.
# The refspec is spelled out: a single-branch clone's fetch would leave origin/BRANCH unset.
FETCH_BASE = "git fetch {depth}origin {branch}:refs/remotes/origin/{branch}"
DEEPEN = "git fetch --deepen=50 (or --unshallow; actions/checkout: fetch-depth: 0)"


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """`git ARGS` in `cwd`, bytes out; LC_ALL=C so nothing depends on the locale."""
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, check=False)


def _text(out: bytes) -> str:
    return out.decode("utf-8", "replace").strip()


def _remote_branch(revision: str) -> str | None:
    """'main' for 'origin/main' (the branch a `git fetch origin BRANCH` brings back), else None."""
    remote, _, branch = revision.partition("/")
    return branch if remote == "origin" and branch else None


def _missing(revision: str, shallow: bool) -> str:
    """Why `revision` is unknown, and the command that fetches it."""
    branch = _remote_branch(revision)
    if branch is not None:
        fetch = FETCH_BASE.format(depth="--depth=1 " if shallow else "", branch=branch)
        return f"unknown revision {revision!r}; fetch it with `{fetch}`"
    if shallow:
        return f"unknown revision {revision!r} in this shallow clone; fetch more history with `{DEEPEN}`"
    return f"unknown revision {revision!r} (`git rev-parse {revision}` finds no commit)"


def resolve(revision: str, cwd: Path) -> tuple[str, bool]:
    """(commit id, shallow?) of `revision`, `merge-base:OTHER` included, in the repository of `cwd`."""
    if shutil.which("git") is None:
        raise BaselineError(f"--baseline-from {revision}: git is not installed (or not on PATH)")
    if not revision or revision.startswith("-") or revision == MERGE_BASE:
        raise BaselineError(f"--baseline-from {revision!r}: not a revision (e.g. origin/main, HEAD~1, merge-base:origin/main)")
    top = _git(["rev-parse", "--is-shallow-repository"], cwd)
    if top.returncode != 0:
        raise BaselineError(f"--baseline-from {revision}: {cwd} is not in a git repository ({_text(top.stderr)})")
    shallow = _text(top.stdout) == "true"
    other = revision[len(MERGE_BASE):] if revision.startswith(MERGE_BASE) else None
    name = revision if other is None else other
    found = _git(["rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"], cwd)
    if found.returncode != 0:
        raise BaselineError(f"--baseline-from {revision}: {_missing(name, shallow)}")
    commit = _text(found.stdout)
    if other is None:
        return commit, shallow
    base = _git(["merge-base", "HEAD", commit], cwd)
    if base.returncode != 0:
        why = (f"this clone is shallow, so the history down to their common commit is missing; fetch it with `{DEEPEN}`"
               if shallow else "they share no history")
        raise BaselineError(f"--baseline-from {revision}: HEAD and {other} have no merge base: {why}")
    return _text(base.stdout), shallow


def _in_repository(path: Path, cwd: Path) -> str:
    """`path` relative to the top of the repository of `cwd`, with '/' (what `git show REV:PATH` takes)."""
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:  # a bare repository or a .git folder: no working tree to place the path in
        raise BaselineError(f"--baseline-from: {cwd} has no working tree to place {path} in")
    root = Path(_text(top.stdout))
    # The folder is resolved (git prints the real path of the top), the name is kept: a baseline
    # that is a symbolic link is read as the link git stores, never followed into the working tree.
    absolute = Path(os.path.realpath(cwd / path.parent)) / path.name
    try:
        return absolute.relative_to(Path(os.path.realpath(root))).as_posix()
    except ValueError:
        raise BaselineError(f"--baseline-from: {path} is outside the git repository at {root}") from None


def load_from(revision: str, path: Path, cwd: Path | None = None) -> tuple[dict[str, Any], str]:
    """The baseline `path` as `revision` holds it, validated like a file, and the label messages
    and reports name it by (`origin/main:baseline.json`, with the commit)."""
    here = Path(cwd) if cwd is not None else Path.cwd()
    commit, shallow = resolve(revision, here)
    inside = _in_repository(Path(path), here)
    label = f"{revision}:{inside}"
    shown = _git(["show", f"{commit}:{inside}"], here)
    if shown.returncode != 0:
        hint = f"; this clone is shallow, fetch more with `{DEEPEN}`" if shallow else ""
        raise BaselineError(
            f"{label}: no baseline file at {revision} (commit {commit[:12]}){hint}; commit one made by "
            "`harness check --update-baseline` on that branch first"
        )
    try:
        text = shown.stdout.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BaselineError(f"{label}: not valid UTF-8 (byte at offset {exc.start}); {REGENERATE}") from None
    text = text.removeprefix("\ufeff")
    where = Path(label)
    return validate(where, parse(where, text)), f"{label} ({commit[:12]})"
