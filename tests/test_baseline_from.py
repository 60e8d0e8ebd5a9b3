"""`harness check --baseline-from REV` (issue 18, section 4): the baseline comes from a git revision,
never from the working tree, so a change that lowers a system and rewrites baseline.json in the
same commit still fails its gate.

Every test runs real git on repositories it makes in a temporary folder: an "upstream" with the
corpus and its baseline on `main`, a clone holding a pull-request branch, and shallow clones as CI
makes them. Scores, in the character unit: `good` repeats the reference 猫吃鱼 (ROUGE-1 F = 1); the
pull request changes it to 猫 (1 hit: P = 1, R = 1/3, F = 2*(1/3)/(4/3) = 0.5), a drop of 0.5.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from harness.gate import git as gate_git

PYPROJECT = '[tool.harness]\nreferences = "references"\ncandidates = "candidates"\nunit = "char"\nmetrics = "rouge1"\n'
FILES = {
    "pyproject.toml": PYPROJECT,
    "references/d1/ref.txt": "猫吃鱼\n",
    "candidates/good/d1.txt": "猫吃鱼\n",
    "candidates/half/d1.txt": "猫吃肉了\n",
}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "GIT_CEILING_DIRECTORIES": str(cwd.parent)}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repos(tmp_path, cli_files, cli_run, monkeypatch):
    """upstream (main: corpus + baseline) and work, a clone on branch `pr` whose one commit lowers
    `good` and rewrites baseline.json with --update-baseline. Runs commands in `work`."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    upstream = tmp_path / "upstream"
    cli_files(FILES, upstream)
    git(upstream, "init", "-q", "-b", "main")
    monkeypatch.chdir(upstream)
    made = cli_run("check", "--update-baseline", "--no-cache")
    assert made.exit_code == 0, made.stderr
    git(upstream, "add", ".")
    git(upstream, "commit", "-q", "-m", "corpus and baseline")
    git(tmp_path, "clone", "-q", str(upstream), "work")
    work = tmp_path / "work"
    git(work, "checkout", "-q", "-b", "pr")
    (work / "candidates/good/d1.txt").write_text("猫\n", encoding="utf-8")
    monkeypatch.chdir(work)
    assert cli_run("check", "--no-cache").exit_code == 1  # the committed baseline catches it...
    assert cli_run("check", "--update-baseline", "--no-cache").exit_code == 0  # ...so the change rewrites it
    git(work, "commit", "-q", "-am", "lower good, rewrite the baseline")
    return upstream, work


def _good(result_stdout: str) -> dict:
    rows = json.loads(result_stdout)["rows"]
    return next(r for r in rows if r["system"] == "good")


def test_a_change_cannot_vouch_for_itself(repos, cli_run):
    # Reading the working tree, the rewritten baseline passes the lowered system: the hole.
    assert cli_run("check", "--no-cache").exit_code == 0
    for revision in ("origin/main", "merge-base:origin/main", "HEAD~1", "main"):
        result = cli_run("check", "--no-cache", "--baseline-from", revision, "--format", "json")
        assert result.exit_code == 1, (revision, result.stdout, result.stderr)
        good = _good(result.stdout)
        # 1.0 on main, 0.5 now (module docstring).
        assert (good["status"], good["baseline"], good["current"]) == ("regressed", 1.0, 0.5), revision
    # HEAD holds the rewritten baseline: it passes, as the working tree did.
    assert cli_run("check", "--no-cache", "--baseline-from", "HEAD").exit_code == 0


def test_messages_name_the_revision_and_commit(repos, cli_run):
    upstream, _work = repos
    commit = git(upstream, "rev-parse", "main").strip()
    result = cli_run("check", "--no-cache", "--baseline-from", "origin/main", "--unit", "word")
    assert result.exit_code == 3  # the baseline was made with --unit char (pyproject.toml)
    assert result.stderr.startswith(f"Error: origin/main:baseline.json ({commit[:12]}): baseline was made with other settings (unit: char -> word;")


def test_the_working_tree_is_never_read(repos, cli_run):
    _upstream, work = repos
    # Garbage in the working tree's baseline (uncommitted): --baseline-from never opens the file.
    (work / "baseline.json").write_text("{not json", encoding="utf-8")
    assert cli_run("check", "--no-cache").exit_code == 2
    assert cli_run("check", "--no-cache", "--baseline-from", "origin/main").exit_code == 1
    # Deleted from the working tree: still read from git.
    (work / "baseline.json").unlink()
    assert cli_run("check", "--no-cache", "--baseline-from", "HEAD").exit_code == 0


def test_config_key_and_empty_value(repos, cli_run):
    _upstream, work = repos
    (work / "pyproject.toml").write_text(PYPROJECT + 'baseline-from = "origin/main"\n', encoding="utf-8")
    assert cli_run("check", "--no-cache").exit_code == 1
    # An empty value reads the working tree again (the config's default overridden).
    assert cli_run("check", "--no-cache", "--baseline-from", "").exit_code == 0
    # With the key set, --update-baseline still writes the working tree's file (nothing is read)...
    assert cli_run("check", "--no-cache", "--update-baseline").exit_code == 0
    # ...but both on one command line contradict each other.
    both = cli_run("check", "--no-cache", "--update-baseline", "--baseline-from", "HEAD")
    assert both.exit_code == 2 and "use one" in both.stderr


@pytest.mark.parametrize(
    ("revision", "message"),
    [
        ("nosuch", "Error: --baseline-from nosuch: unknown revision 'nosuch' (`git rev-parse nosuch` finds no commit)\n"),
        ("origin/nosuch", "Error: --baseline-from origin/nosuch: unknown revision 'origin/nosuch'; fetch it with "
                          "`git fetch origin nosuch:refs/remotes/origin/nosuch`\n"),
        ("-p", "Error: --baseline-from '-p': not a revision (e.g. origin/main, HEAD~1, merge-base:origin/main)\n"),
    ],
)
def test_unknown_revisions_are_exit_2(repos, cli_run, revision, message):
    result = cli_run("check", "--no-cache", "--baseline-from", revision)
    assert (result.exit_code, result.stderr) == (2, message)


def test_no_baseline_at_the_revision(repos, cli_run):
    upstream, _work = repos
    commit = git(upstream, "rev-parse", "main").strip()
    result = cli_run("check", "--no-cache", "--baseline-from", "origin/main", "--baseline", "other.json")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: origin/main:other.json: no baseline file at origin/main (commit {commit[:12]}); commit one made by "
        "`harness check --update-baseline` on that branch first\n"
    )


def test_a_malformed_baseline_at_the_revision_is_named(repos, cli_run):
    _upstream, work = repos
    (work / "baseline.json").write_text('{"signature": 1}', encoding="utf-8")
    git(work, "commit", "-q", "-am", "break it")
    result = cli_run("check", "--no-cache", "--baseline-from", "HEAD")
    assert result.exit_code == 2 and result.stderr.startswith("Error: HEAD:baseline.json: ")


def test_no_git_and_no_repository(tmp_path, cli_files, cli_run, monkeypatch):
    cli_files(FILES)
    made = cli_run("check", "--update-baseline", "--no-cache")
    assert made.exit_code == 0
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = cli_run("check", "--no-cache", "--baseline-from", "HEAD")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: --baseline-from HEAD: {tmp_path} is not in a git repository (fatal: not a git repository")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = cli_run("check", "--no-cache", "--baseline-from", "HEAD")
    assert (result.exit_code, result.stderr) == (2, "Error: --baseline-from HEAD: git is not installed (or not on PATH)\n")


def test_a_shallow_clone_is_told_what_to_fetch(repos, tmp_path, cli_run, monkeypatch):
    # What CI checks out: one commit of the pull-request branch, no base branch.
    _upstream, work = repos
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "pr", f"file://{work}", "ci")
    ci = tmp_path / "ci"
    monkeypatch.chdir(ci)
    result = cli_run("check", "--no-cache", "--baseline-from", "HEAD~1")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --baseline-from HEAD~1: unknown revision 'HEAD~1' in this shallow clone; fetch more history with "
        f"`{gate_git.DEEPEN}`\n"
    )
    result = cli_run("check", "--no-cache", "--baseline-from", "merge-base:origin/main")
    assert result.exit_code == 2
    fetch = "git fetch --depth=1 origin main:refs/remotes/origin/main"
    assert result.stderr == f"Error: --baseline-from merge-base:origin/main: unknown revision 'origin/main'; fetch it with `{fetch}`\n"
    # Doing what it says brings the base branch: origin/main now gates (and fails the change).
    git(ci, *fetch.split()[1:])
    assert cli_run("check", "--no-cache", "--baseline-from", "origin/main").exit_code == 1
    # The merge base needs the history down to it.
    result = cli_run("check", "--no-cache", "--baseline-from", "merge-base:origin/main")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --baseline-from merge-base:origin/main: HEAD and origin/main have no merge base: this clone is "
        f"shallow, so the history down to their common commit is missing; fetch it with `{gate_git.DEEPEN}`\n"
    )
    git(ci, "fetch", "-q", "--deepen=50")
    assert cli_run("check", "--no-cache", "--baseline-from", "merge-base:origin/main").exit_code == 1
    assert cli_run("check", "--no-cache", "--baseline-from", "HEAD~1").exit_code == 1


def test_load_from_python(repos):
    # The gate's reader on its own: the stored baseline of main, validated, with its label.
    upstream, work = repos
    stored, label = gate_git.load_from("origin/main", Path("baseline.json"), cwd=work)
    committed = json.loads(git(upstream, "show", "main:baseline.json"))
    assert stored == committed and label.startswith("origin/main:baseline.json (")
