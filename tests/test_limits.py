"""Unbounded requests are bounded (issue 17, class 8): --jobs is capped at the usable cores, with
a warning; a resample or trial count above MAX_RESAMPLES is refused before any text is read."""

from __future__ import annotations

import os

import pytest

from harness.stats.resampling import MAX_RESAMPLES

CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def test_jobs_above_the_cores_are_capped_with_a_warning(cli_corpus, cli_run):
    alone = cli_run("score", "--no-config", "--format", "json", "-j1")
    capped = cli_run("score", "--no-config", "--format", "json", "-j", "10000")
    assert capped.exit_code == alone.exit_code == 0, capped.stderr
    assert capped.stdout == alone.stdout  # the same bytes whatever the number of processes
    assert capped.stderr == f"warning: --jobs 10000: capped at the {CORES} usable cores\n"


def test_jobs_from_the_config_are_capped_too(cli_corpus, cli_run):
    # Variant: the request comes from [tool.harness], not the command line; and a count equal to
    # the cores is no warning.
    (cli_corpus / "pyproject.toml").write_text("[tool.harness]\njobs = 4096\n", encoding="utf-8")
    result = cli_run("score")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"warning: --jobs 4096: capped at the {CORES} usable cores\n"
    exact = cli_run("score", "--no-config", "-j", CORES)
    assert (exact.exit_code, exact.stderr) == (0, "")


@pytest.mark.parametrize("command", [
    ["score", "--bootstrap", "1000000000"],
    ["report", "--bootstrap", "1000000000"],
    ["compare", "--trials", "1000000000"],
    ["check", "--significance", "0.05", "--trials", "1000000000"],
    ["compare", "--trials", str(MAX_RESAMPLES + 1)],  # variant: one past the documented maximum
])
def test_resample_counts_above_the_maximum_are_refused(cli_corpus, cli_run, command):
    option, count = command[-2], command[-1]
    result = cli_run(*command[:1], "--no-config", *command[1:])
    assert result.exit_code == 2
    # MAX_RESAMPLES is 1,000,000 (harness/stats/resampling.py and README)
    assert result.stderr == f"Error: {option} {count}: at most 1,000,000 resamples (time grows with each)\n"


def test_the_maximum_itself_is_accepted_by_the_check():
    from harness.stats.resampling import Resampling

    assert Resampling(MAX_RESAMPLES).trials == 1_000_000
