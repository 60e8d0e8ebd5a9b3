"""Outputs never replace the run's own inputs, and a replaced output keeps its mode (issue 17,
classes 1 and 2).

Every refusal is exit 2 with one line naming the output and the input, and the input's bytes are
compared with what was written before the run: unchanged."""

from __future__ import annotations

import json
import os
import stat

import pytest
from conftest import CLI_TINY


def _refused(result, output: str, the_input: str) -> None:
    assert result.exit_code == 2, result.output + result.stderr
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("Error: "), line
    assert output in line and the_input in line and "refusing to overwrite an input" in line, line


def test_score_output_onto_a_candidate_is_refused(cli_corpus, cli_run):
    before = (cli_corpus / "candidates/half/d1.txt").read_bytes()
    result = cli_run("score", "--no-config", "-o", "candidates/half/d1.txt")
    _refused(result, "candidates/half/d1.txt", "candidates folder candidates")
    assert (cli_corpus / "candidates/half/d1.txt").read_bytes() == before == "猫 吃 肉 了\n".encode()


def test_junit_and_step_summary_onto_the_baseline_are_refused(cli_corpus, cli_run):
    assert cli_run("check", "--no-config", "--update-baseline").exit_code == 0
    before = (cli_corpus / "baseline.json").read_bytes()
    _refused(cli_run("check", "--no-config", "--junit", "baseline.json"), "--junit baseline.json", "baseline file baseline.json")
    summary = cli_run("check", "--no-config", env={"GITHUB_STEP_SUMMARY": str(cli_corpus / "baseline.json")})
    _refused(summary, "GITHUB_STEP_SUMMARY", "baseline file baseline.json")
    assert (cli_corpus / "baseline.json").read_bytes() == before
    # The one intended overlap: --update-baseline replaces the baseline it would otherwise read.
    assert cli_run("check", "--no-config", "--update-baseline").exit_code == 0
    assert json.loads((cli_corpus / "baseline.json").read_text())["systems"]  # still a baseline


def test_two_outputs_that_are_one_file_are_refused_as_outputs(cli_corpus, cli_run):
    # GITHUB_STEP_SUMMARY and --junit both out.xml: the step summary (checked after --junit) names
    # the --junit file, and the message says another output, not an input (it said "an input").
    summary = cli_run("check", "--no-config", "--junit", "out.xml", env={"GITHUB_STEP_SUMMARY": str(cli_corpus / "out.xml")})
    assert summary.exit_code == 2, summary.output + summary.stderr
    line = summary.stderr.strip()
    assert "\n" not in line and "GITHUB_STEP_SUMMARY" in line and "--junit file out.xml" in line, line
    assert line.endswith(": refusing to overwrite another output of this run; nothing written"), line
    assert not (cli_corpus / "out.xml").exists()


def test_report_html_onto_the_config_is_refused(cli_corpus, cli_run):
    config = "[tool.harness]\nunit = 'char'\n"
    (cli_corpus / "pyproject.toml").write_text(config, encoding="utf-8")
    _refused(cli_run("report", "--html", "pyproject.toml"), "--html pyproject.toml", "config file")
    assert (cli_corpus / "pyproject.toml").read_text(encoding="utf-8") == config


def test_output_onto_the_jsonl_it_reads_is_refused(tmp_path, cli_run, cli_files):
    cands = '{"id": "d1", "summary": "猫 吃"}\n'
    cli_files({"refs.jsonl": '{"id": "d1", "reference": "猫 吃 鱼"}\n', "cands.jsonl": cands})
    result = cli_run("score", "--no-config", "--references", "refs.jsonl", "--candidates", "cands.jsonl", "-o", "cands.jsonl")
    _refused(result, "-o cands.jsonl", "candidates file cands.jsonl")
    assert (tmp_path / "cands.jsonl").read_text(encoding="utf-8") == cands


# Variants the issue does not spell out: a hard link (same inode, another name and folder), a
# symbolic link to the user dictionary, compare's -o, and --update-baseline pointed at the
# references file (the baseline it writes must not replace an input either).


def test_hard_link_to_a_reference_is_refused(cli_corpus, cli_run):
    os.link(cli_corpus / "references/d1/ref.txt", cli_corpus / "scores.txt")
    result = cli_run("compare", "--no-config", "-o", "scores.txt")
    _refused(result, "-o scores.txt", "references/d1/ref.txt")
    assert (cli_corpus / "references/d1/ref.txt").read_text(encoding="utf-8") == CLI_TINY["references/d1/ref.txt"]


def test_symbolic_link_to_the_user_dictionary_is_refused(cli_corpus, cli_run):
    (cli_corpus / "words.txt").write_text("吃鱼 5\n", encoding="utf-8")
    (cli_corpus / "out.txt").symlink_to("words.txt")
    result = cli_run("score", "--no-config", "--user-dict", "words.txt", "-o", "out.txt")
    _refused(result, "-o out.txt", "user dictionary file words.txt")
    assert (cli_corpus / "words.txt").read_text(encoding="utf-8") == "吃鱼 5\n"


def test_update_baseline_onto_the_references_file_is_refused(tmp_path, cli_run, cli_files):
    refs = '{"id": "d1", "reference": "猫 吃 鱼"}\n'
    cli_files({"refs.jsonl": refs, "cands/a/d1.txt": "猫\n"})
    result = cli_run("check", "--no-config", "--references", "refs.jsonl", "--candidates", "cands",
                     "--update-baseline", "--baseline", "refs.jsonl")
    _refused(result, "--baseline refs.jsonl", "references file refs.jsonl")
    assert (tmp_path / "refs.jsonl").read_text(encoding="utf-8") == refs


# Class 2: a replaced output keeps its permission bits; a new one gets the umask's.


@pytest.mark.parametrize("mode", [0o600, 0o640])
def test_output_keeps_the_mode_of_the_file_it_replaces(cli_corpus, cli_run, mode):
    target = cli_corpus / "private.txt"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(mode)
    (cli_corpus / "link.txt").symlink_to("private.txt")  # variant: written through a symbolic link
    out = "private.txt" if mode == 0o600 else "link.txt"
    assert cli_run("score", "--no-config", "-o", out).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_text(encoding="utf-8").startswith("System")  # the table replaced "old"
    assert (cli_corpus / "link.txt").is_symlink()


def test_new_output_gets_the_umask_mode(cli_corpus, cli_run):
    old = os.umask(0o027)
    try:
        assert cli_run("score", "--no-config", "-o", "new.txt").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((cli_corpus / "new.txt").stat().st_mode) == 0o640  # 0o666 & ~0o027
