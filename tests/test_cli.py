"""Wiring of the `harness` command: options, formats, exit codes, stderr, and the installed entry points.

Every expected number is worked out by hand from the tiny corpus in conftest.py (CLI_TINY):
reference 猫 吃 鱼; good = identical; half = 猫 吃 肉 了; bad = 狗 跑.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import click
import pytest
from wcwidth import wcswidth

from harness.cli.main import cli
from harness.run.pipeline import Settings

# Hand computation for `half` against the reference (see conftest.CLI_TINY):
# unigrams: 猫, 吃 match -> P = 2/4, R = 2/3, F = 2PR/(P+R) = (2/3)/(7/6) = 4/7
# bigrams: only 猫吃 matches -> P = 1/3, R = 1/2, F = (1/3)/(5/6) = 2/5
# LCS(猫吃肉了, 猫吃鱼) = 猫吃 = 2 -> rougeL = rougeLsum = rouge1 (one sentence each)
HALF = {
    "rouge1": (1 / 2, 2 / 3, 4 / 7),
    "rouge2": (1 / 3, 1 / 2, 2 / 5),
    "rougeL": (1 / 2, 2 / 3, 4 / 7),
    "rougeLsum": (1 / 2, 2 / 3, 4 / 7),
}
GOOD = {m: (1.0, 1.0, 1.0) for m in HALF}
BAD = {m: (0.0, 0.0, 0.0) for m in HALF}
ALL_METRICS = ["rouge1", "rouge2", "rougeL", "rougeLsum"]


def _table_lines(stdout: str) -> list[str]:
    """The table part of `harness score` output: the lines before the first blank line."""
    return stdout.split("\n\n", 1)[0].splitlines()


def _rows(stdout: str) -> list[list[str]]:
    """Data rows of a `simple` tabulate table (header and dashes line skipped)."""
    return [line.split() for line in _table_lines(stdout)[2:]]


def _triple(score: dict) -> tuple[float, float, float]:
    return (score["precision"], score["recall"], score["fmeasure"])


# --------------------------------------------------------------------------- meta


def test_version(cli_run):
    # The version the installed distribution reports (from its metadata, not the module).
    result = cli_run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"harness, version {version('harness')}"


@pytest.mark.parametrize("command", [[], ["score"], ["check"], ["compare"], ["tokenize"], ["cache"], ["explain"], ["report"], ["facts"]])
def test_every_help_has_examples(cli_run, command):
    result = cli_run(*command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    # An example line is indented and starts with the command itself.
    examples = result.stdout.split("Examples:", 1)[1]
    assert f"harness {' '.join(command)}".strip() in examples


def test_every_registered_command_is_covered_by_help_test():
    # If a command is added, test_every_help_has_examples must learn about it.
    # (The group lists its commands without importing them: harness.cli.main.COMMANDS.)
    names = cli.list_commands(click.Context(cli))
    assert names == ["cache", "check", "compare", "explain", "facts", "report", "score", "tokenize"]


def test_tiny_corpus_tokens(cli_run, cli_corpus):
    # The exact token lists every hand computation in these tests relies on.
    expected = {"猫 吃 鱼": ["猫", "吃", "鱼"], "猫 吃 肉 了": ["猫", "吃", "肉", "了"], "狗 跑": ["狗", "跑"]}
    for text, tokens in expected.items():
        result = cli_run("tokenize", "--no-config", "--format", "json", text)
        assert result.exit_code == 0
        assert json.loads(result.stdout) == tokens


# --------------------------------------------------------------------------- score: table


def test_score_table_best_first_with_signature(cli_run, cli_corpus):
    result = cli_run("score", "--no-config")
    assert result.exit_code == 0, result.output
    lines = _table_lines(result.stdout)
    assert lines[0].split() == ["System", "R-1", "R-2", "R-L", "R-Lsum"]
    # Best first by ROUGE-L F: good (100) > half (4/7 = 57.14) > bad (0); not alphabetical.
    assert _rows(result.stdout) == [
        ["good", "100.00", "100.00", "100.00", "100.00"],
        ["half", "57.14", "40.00", "57.14", "57.14"],
        ["bad", "0.00", "0.00", "0.00", "0.00"],
    ]
    # The signature line comes right under the table, after one blank line.
    after = result.stdout.split("\n\n", 1)[1].splitlines()
    assert len(after) == 1
    sig = dict(part.split(":", 1) for part in after[0].split("|"))
    assert sig["unit"] == "word"
    assert sig["tok"] == f"jieba-{version('jieba')}"
    assert sig["metrics"] == "rouge1,rouge2,rougeL,rougeLsum"
    assert sig["multiref"] == "best"
    assert sig["docs"] == "1" and sig["refs"] == "1"
    assert sig["rouge"] == version("rouge-score")
    assert sig["version"] == version("harness")
    assert result.stderr == ""


def test_score_ranks_by_rougeL_not_rouge1(cli_run, cli_files):
    # ref 猫 吃 鱼 肉. x = 鱼 肉 猫 吃: all 4 unigrams (R-1 F 1.0) but LCS 2 (R-L F 0.5).
    # y = 猫 吃 鱼: 3 unigrams (P 1, R 3/4, F 6/7 = 85.71) and LCS 3 (R-L F 6/7).
    # By R-1 x would come first; by R-L (the ranking metric) y must. The words are separated by
    # "、" (punctuation, dropped) because spaces between Han characters are normalised away.
    cli_files({
        "references/d/r.txt": "猫、吃、鱼、肉\n",
        "candidates/x/d.txt": "鱼、肉、猫、吃\n",
        "candidates/y/d.txt": "猫、吃、鱼\n",
    })
    result = cli_run("score", "--no-config", "--metrics", "rouge1,rougeL")
    assert result.exit_code == 0, result.output
    assert _rows(result.stdout) == [["y", "85.71", "85.71"], ["x", "100.00", "50.00"]]


def test_score_detail_adds_precision_and_recall(cli_run, cli_corpus):
    result = cli_run("score", "--no-config", "--detail")
    assert result.exit_code == 0
    header = _table_lines(result.stdout)[0].split()  # "R-1 P" splits into "R-1", "P"
    assert header == ["System"] + [tok for label in ("R-1", "R-2", "R-L", "R-Lsum") for m in "PRF" for tok in (label, m)]
    rows = {r[0]: r[1:] for r in _rows(result.stdout)}
    # half: P/R/F per metric x 100, rounded to 2 places (HALF, by hand).
    assert rows["half"] == [
        "50.00", "66.67", "57.14",
        "33.33", "50.00", "40.00",
        "50.00", "66.67", "57.14",
        "50.00", "66.67", "57.14",
    ]
    assert rows["good"] == ["100.00"] * 12
    assert rows["bad"] == ["0.00"] * 12


def test_score_metrics_option(cli_run, cli_corpus):
    result = cli_run("score", "--no-config", "--metrics", "rouge1,rougeL")
    assert result.exit_code == 0
    assert _table_lines(result.stdout)[0].split() == ["System", "R-1", "R-L"]
    assert _rows(result.stdout)[1] == ["half", "57.14", "57.14"]
    assert "|metrics:rouge1,rougeL|" in result.stdout
    as_json = json.loads(cli_run("score", "--no-config", "--metrics", "rouge1,rougeL", "--format", "json").stdout)
    assert as_json["metrics"] == ["rouge1", "rougeL"]
    assert set(as_json["systems"][0]["scores"]) == {"rouge1", "rougeL"}


def test_score_unknown_metric_is_exit_2(cli_run, cli_corpus):
    result = cli_run("score", "--no-config", "--metrics", "rouge1,bleu")
    assert result.exit_code == 2
    assert "'bleu'" in result.stderr


def test_score_unit_char_changes_signature_and_scores(cli_run, cli_files):
    # Reference 开源模型, candidate 开放模型.
    # word: [开源, 模型] vs [开放, 模型] -> 1 of 2 unigrams: F = 0.5
    # char: [开, 源, 模, 型] vs [开, 放, 模, 型] -> 3 of 4: F = 0.75
    cli_files({"references/d/r.txt": "开源模型\n", "candidates/s/d.txt": "开放模型\n"})
    word = cli_run("score", "--no-config", "--metrics", "rouge1")
    char = cli_run("score", "--no-config", "--metrics", "rouge1", "--unit", "char")
    assert word.exit_code == char.exit_code == 0
    assert _rows(word.stdout) == [["s", "50.00"]]
    assert _rows(char.stdout) == [["s", "75.00"]]
    assert word.stdout.rstrip().splitlines()[-1].startswith("unit:word|tok:jieba-")
    assert char.stdout.rstrip().splitlines()[-1].startswith("unit:char|tok:char-v1|")


def test_chinese_system_names_align(cli_run, cli_corpus, cli_files):
    # Two-column-wide Han characters: every line of the table must have the same display width.
    cli_files({"candidates/一句话摘要/d1.txt": "猫 吃\n", "candidates/长名字的系统甲/d1.txt": "猫\n"})
    for extra in ([], ["--detail"]):
        result = cli_run("score", "--no-config", *extra)
        assert result.exit_code == 0
        lines = _table_lines(result.stdout)
        assert {r.split()[0] for r in lines[2:]} >= {"一句话摘要", "长名字的系统甲"}
        widths = {wcswidth(line) for line in lines}
        assert len(widths) == 1, [(wcswidth(line), line) for line in lines]
        # The names differ in display width, yet the first score column ends at the same column.
        assert len({wcswidth(line.split()[0]) for line in lines[2:]}) > 1
        ends = set()
        for line in lines[2:]:
            name, first = line.split()[:2]
            ends.add(wcswidth(line[: line.index(first, len(name)) + len(first)]))
        assert len(ends) == 1, lines


# --------------------------------------------------------------------------- score: other formats


def test_score_markdown(cli_run, cli_corpus):
    result = cli_run("score", "--no-config", "--format", "markdown")
    assert result.exit_code == 0
    table, rest = result.stdout.split("\n\n", 1)
    lines = table.splitlines()
    assert all(line.startswith("|") and line.endswith("|") for line in lines)
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines]
    assert cells[0] == ["System", "R-1", "R-2", "R-L", "R-Lsum"]
    assert cells[2:] == [
        ["good", "100.00", "100.00", "100.00", "100.00"],
        ["half", "57.14", "40.00", "57.14", "57.14"],
        ["bad", "0.00", "0.00", "0.00", "0.00"],
    ]
    assert rest.startswith("Signature: `unit:word|")
    assert rest.rstrip().endswith("`")


def test_score_csv(cli_run, cli_corpus):
    result = cli_run("score", "--no-config", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["system", "document", "metric", "precision", "recall", "fmeasure", "signature"]
    body = rows[1:]
    # 3 systems x (corpus row '*' + 1 document) x 4 metrics
    assert len(body) == 3 * 2 * 4
    signatures = {r[6] for r in body}
    assert len(signatures) == 1 and next(iter(signatures)).startswith("unit:word|")
    got = {(r[0], r[1], r[2]): tuple(float(x) for x in r[3:6]) for r in body}
    for name, expected in (("good", GOOD), ("half", HALF), ("bad", BAD)):
        for doc in ("*", "d1"):  # one document: corpus mean == the document's score
            for metric in ALL_METRICS:
                assert got[(name, doc, metric)] == pytest.approx(expected[metric], rel=1e-12, abs=1e-15)
    # Unrounded: 1/3 is written in full, not as 33.33.
    half_rouge2 = next(r for r in body if r[:3] == ["half", "d1", "rouge2"])
    assert half_rouge2[3:6] == [repr(1 / 3), "0.5", "0.4"]


def test_score_json_contract(cli_run, cli_corpus, cli_files):
    # A second document so corpus scores are means: d2 ref 狗 跑 了.
    #   good has no d2 candidate file -> scored 0 there (and warned about).
    #   half d2 = 狗 跑 了 (identical: 1.0); bad d2 = 狗 跑: unigrams P 1, R 2/3, F 0.8;
    #   bigrams 狗跑 of {狗跑, 跑了}: P 1, R 1/2, F 2/3; LCS 2 -> rougeL = rougeLsum = rouge1.
    cli_files({
        "references/d2/r.txt": "狗 跑 了\n",
        "candidates/half/d2.txt": "狗 跑 了\n",
        "candidates/bad/d2.txt": "狗 跑\n",
    })
    result = cli_run("score", "--no-config", "--format", "json")
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert list(obj) == ["signature", "version", "metrics", "systems"]
    assert obj["version"] == version("harness")
    assert obj["metrics"] == ALL_METRICS
    assert "|docs:2|refs:2|" in obj["signature"]
    systems = {s["name"]: s for s in obj["systems"]}
    assert all(set(s) == {"name", "scores", "documents"} for s in obj["systems"])
    bad_d2 = {"rouge1": (1.0, 2 / 3, 0.8), "rouge2": (1.0, 0.5, 2 / 3), "rougeL": (1.0, 2 / 3, 0.8),
              "rougeLsum": (1.0, 2 / 3, 0.8)}
    per_doc = {
        "good": {"d1": GOOD, "d2": BAD},
        "half": {"d1": HALF, "d2": GOOD},
        "bad": {"d1": BAD, "d2": bad_d2},
    }
    for name, docs in per_doc.items():
        assert set(systems[name]["documents"]) == {"d1", "d2"}
        for doc, expected in docs.items():
            for metric in ALL_METRICS:
                got = _triple(systems[name]["documents"][doc][metric])
                assert got == pytest.approx(expected[metric], rel=1e-12, abs=1e-15), (name, doc, metric)
        for metric in ALL_METRICS:
            # Corpus score = plain mean over the two documents, field by field.
            mean = tuple((a + b) / 2 for a, b in zip(docs["d1"][metric], docs["d2"][metric], strict=True))
            assert _triple(systems[name]["scores"][metric]) == pytest.approx(mean, rel=1e-12, abs=1e-15)
    # Ranked by corpus R-L F: half (4/7 + 1)/2 = 0.786 > good (1 + 0)/2 = 0.5 > bad (0 + 0.8)/2 = 0.4
    assert [s["name"] for s in obj["systems"]] == ["half", "good", "bad"]
    assert "warning:" in result.stderr and "'d2'" in result.stderr and "candidates/good" in result.stderr


def test_output_file_same_bytes_as_stdout(cli_run, cli_corpus):
    for fmt in ("table", "markdown", "csv", "json"):
        printed = cli_run("score", "--no-config", "--format", fmt)
        written = cli_run("score", "--no-config", "--format", fmt, "--output", f"out.{fmt}")
        assert printed.exit_code == written.exit_code == 0
        assert written.stdout == ""
        assert (cli_corpus / f"out.{fmt}").read_bytes() == printed.stdout_bytes
        assert printed.stdout_bytes  # non-empty, so the comparison means something


def test_output_into_missing_folder_is_exit_2(cli_run, cli_corpus):
    result = cli_run("score", "--no-config", "-o", "nowhere/out.txt")
    assert result.exit_code == 2
    assert "nowhere" in result.stderr


# --------------------------------------------------------------------------- score: ad-hoc files


def test_adhoc_files_named_by_stem_single_document(cli_run, cli_files):
    # One document, no --doc needed. a = 猫 吃 vs 猫 吃 鱼: P 1, R 2/3, F 0.8; b = 狗: 0.
    cli_files({"references/d1/ref.txt": "猫 吃 鱼\n", "a.txt": "猫 吃\n", "sub/b.txt": "狗\n"})
    result = cli_run("score", "--no-config", "a.txt", "sub/b.txt", "--metrics", "rouge1")
    assert result.exit_code == 0, result.output
    assert _rows(result.stdout) == [["a", "80.00"], ["b", "0.00"]]


def test_adhoc_two_documents_need_doc(cli_run, cli_files):
    cli_files({
        "references/d1/ref.txt": "猫 吃 鱼\n",
        "references/d2/ref.txt": "狗 跑 了\n",
        "a.txt": "猫 吃\n",
        "b.txt": "狗 跑\n",
    })
    result = cli_run("score", "--no-config", "a.txt", "b.txt")
    assert result.exit_code == 2
    assert "--doc" in result.stderr and "d1" in result.stderr and "d2" in result.stderr
    assert result.stdout == ""
    # --doc d2: b = 狗 跑 vs 狗 跑 了: R-1 F 0.8; a shares nothing with d2: 0.
    picked = cli_run("score", "--no-config", "a.txt", "b.txt", "--doc", "d2", "--metrics", "rouge1")
    assert picked.exit_code == 0
    assert _rows(picked.stdout) == [["b", "80.00"], ["a", "0.00"]]
    # --doc d1 flips them: a = 0.8, b = 0.
    picked = cli_run("score", "--no-config", "a.txt", "b.txt", "--doc", "d1", "--metrics", "rouge1")
    assert _rows(picked.stdout) == [["a", "80.00"], ["b", "0.00"]]
    unknown = cli_run("score", "--no-config", "a.txt", "--doc", "d3")
    assert unknown.exit_code == 2 and "d3" in unknown.stderr


def test_doc_without_files_is_usage_error(cli_run, cli_corpus):
    result = cli_run("score", "--no-config", "--doc", "d1")
    assert result.exit_code == 2
    assert "--doc" in result.stderr


# --------------------------------------------------------------------------- exit codes and messages


def test_missing_folders_exit_2_one_message(cli_run, tmp_path):
    # Named on the command line: with nothing given at all, the start of tests/test_user_inputs.py (issue 18 §2).
    result = cli_run("score", "--no-config", "--references", "references")
    assert result.exit_code == 2
    assert result.stdout == ""
    # Both missing folders in one message.
    # One problem a line since issue 18 §2.
    assert result.stderr == "Error: 2 problems:\n  references: no such folder\n  candidates: no such folder\n"


def test_document_without_references_exit_2(cli_run, cli_corpus):
    (cli_corpus / "references" / "empty-doc").mkdir()
    result = cli_run("score", "--no-config")
    assert result.exit_code == 2
    assert "empty-doc" in result.stderr and "no reference" in result.stderr


def test_candidate_for_unknown_document_exit_2(cli_run, cli_corpus, cli_files):
    cli_files({"candidates/good/d9.txt": "猫\n"})
    result = cli_run("score", "--no-config")
    assert result.exit_code == 2
    assert "candidates/good/d9.txt" in result.stderr.replace(os.sep, "/")
    assert "unknown document 'd9'" in result.stderr


def test_invalid_utf8_exit_2_names_file_and_suggests_encoding(cli_run, cli_corpus, cli_files):
    # '猫 ' is 3 + 1 bytes in UTF-8, so the 0xff byte sits at offset 4.
    cli_files({"candidates/half/d1.txt": "猫 ".encode() + b"\xff" + "吃".encode()})
    result = cli_run("score", "--no-config")
    assert result.exit_code == 2
    assert "candidates/half/d1.txt" in result.stderr.replace(os.sep, "/")
    assert "offset 4" in result.stderr
    assert "--encoding" in result.stderr


def test_several_problems_in_one_message(cli_run, cli_corpus, cli_files):
    (cli_corpus / "references" / "empty-doc").mkdir()
    cli_files({"candidates/good/d9.txt": "猫\n", "candidates/bad/d1.txt": b"\xff"})
    result = cli_run("score", "--no-config")
    assert result.exit_code == 2
    err = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in err if line.startswith("Error:")]
    assert errors == ["Error: 3 problems:"] and len(err) == 4  # one problem a line (issue 18 §2)
    listed = "\n".join(err[1:])
    assert "empty-doc" in listed and "'d9'" in listed and "bad/d1.txt" in listed.replace(os.sep, "/")


def test_missing_candidate_scores_zero_with_warning(cli_run, cli_corpus):
    (cli_corpus / "candidates" / "half" / "d1.txt").unlink()
    result = cli_run("score", "--no-config", "--format", "json")
    assert result.exit_code == 0
    assert "warning: " in result.stderr
    warning = next(line for line in result.stderr.splitlines() if line.startswith("warning:"))
    assert "candidates/half" in warning.replace(os.sep, "/") and "'d1'" in warning and "scored 0" in warning
    half = next(s for s in json.loads(result.stdout)["systems"] if s["name"] == "half")
    assert all(_triple(half["scores"][m]) == (0.0, 0.0, 0.0) for m in ALL_METRICS)
    assert "warning" not in result.stdout


def test_empty_candidate_scores_zero_with_warning(cli_run, cli_corpus, cli_files):
    cli_files({"candidates/half/d1.txt": "", "candidates/good/d1.txt": "。，！\n"})
    result = cli_run("score", "--no-config")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2
    assert any("'half'" in w and "scored 0" in w for w in warnings)
    assert any("'good'" in w and "scored 0" in w for w in warnings)  # punctuation only: no tokens
    assert {r[0]: r[1:] for r in _rows(result.stdout)}["half"] == ["0.00"] * 4


def test_unknown_encoding_is_exit_2(cli_run, cli_corpus):
    result = cli_run("score", "--no-config", "--encoding", "klingon")
    assert result.exit_code == 2
    assert "klingon" in result.stderr


def test_encoding_option_reads_gb18030(cli_run, cli_files):
    # All files in GB18030 (no BOM): --encoding applies to every file. Same texts as good/half.
    cli_files({
        "references/d1/ref.txt": "猫 吃 鱼\n".encode("gb18030"),
        "candidates/half/d1.txt": "猫 吃 肉 了\n".encode("gb18030"),
    })
    assert cli_run("score", "--no-config").exit_code == 2
    result = cli_run("score", "--no-config", "--encoding", "gb18030")
    assert result.exit_code == 0
    assert _rows(result.stdout) == [["half", "57.14", "40.00", "57.14", "57.14"]]


# --------------------------------------------------------------------------- tokenize


def test_tokenize_text_argument(cli_run):
    # jieba precise mode: 开源模型很好。 -> 开源 / 模型 / 很 / 好, final 。 dropped (punctuation).
    result = cli_run("tokenize", "--no-config", "开源模型很好。")
    assert result.exit_code == 0
    assert result.stdout == "开源 模型 很 好\n"
    char = cli_run("tokenize", "--no-config", "--unit", "char", "开源模型很好。")
    assert char.stdout == "开 源 模 型 很 好\n"


def test_tokenize_file_and_stdin_agree(cli_run, cli_files):
    cli_files({"t.txt": "我们喜欢开源模型。\n"})
    expected = "我们 喜欢 开源 模型\n"
    from_file = cli_run("tokenize", "--no-config", "--file", "t.txt")
    from_stdin = cli_run("tokenize", "--no-config", input="我们喜欢开源模型。\n".encode())
    assert from_file.exit_code == from_stdin.exit_code == 0
    assert from_file.stdout == from_stdin.stdout == expected


def test_tokenize_text_and_file_conflict(cli_run, cli_files):
    cli_files({"t.txt": "猫\n"})
    result = cli_run("tokenize", "--no-config", "--file", "t.txt", "狗")
    assert result.exit_code == 2


def test_tokenize_json_equals_scoring_tokens(cli_run):
    text = "GPT-3.5 与 Alpaca 的开源模型。羊驼家族接连出现！"
    result = cli_run("tokenize", "--no-config", "--format", "json", text)
    assert result.exit_code == 0
    tokens = json.loads(result.stdout)
    assert isinstance(tokens, list) and all(isinstance(t, str) for t in tokens)
    # What scoring sees: the AnalysedText the evaluator builds for a text (lower-cased by normalisation).
    assert tokens == list(Settings().processor().analyze(text).tokens)
    # By hand: lower-cased Latin, the hyphen dropped as punctuation (jieba keeps 3.5 whole),
    # dictionary words 开源/模型/羊驼/家族/接连/出现, and no 。/！ tokens.
    assert tokens == ["gpt", "3.5", "与", "alpaca", "的", "开源", "模型", "羊驼", "家族", "接连", "出现"]


def test_tokenize_sentences(cli_run):
    # Two sentences ending in 。 -> one line each; punctuation dropped.
    text = "猫吃鱼。狗吃肉。"
    lines = cli_run("tokenize", "--no-config", "--sentences", text)
    assert lines.exit_code == 0
    assert lines.stdout == "猫 吃 鱼\n狗 吃 肉\n"
    as_json = cli_run("tokenize", "--no-config", "--sentences", "--format", "json", text)
    assert json.loads(as_json.stdout) == [["猫", "吃", "鱼"], ["狗", "吃", "肉"]]
    flat = cli_run("tokenize", "--no-config", "--format", "json", text)
    assert json.loads(flat.stdout) == ["猫", "吃", "鱼", "狗", "吃", "肉"]


def test_tokenize_invalid_stdin_bytes(cli_run):
    result = cli_run("tokenize", "--no-config", input=b"\xfd abc")
    assert result.exit_code == 2
    assert "<stdin>" in result.stderr


# --------------------------------------------------------------------------- installed entry points


def _installed_harness() -> str:
    found = shutil.which("harness")
    if found:
        return found
    candidate = Path(sys.executable).parent / ("harness.exe" if os.name == "nt" else "harness")
    assert candidate.exists(), "the `harness` console script is not installed"
    return str(candidate)


def test_installed_console_script(cli_corpus):
    proc = subprocess.run(
        [_installed_harness(), "score", "--no-config", "--metrics", "rouge1"],
        cwd=cli_corpus, capture_output=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode("utf-8")
    assert _rows(out) == [["good", "100.00"], ["half", "57.14"], ["bad", "0.00"]]
    assert b"Traceback" not in proc.stderr


def test_python_dash_m(cli_corpus):
    ok = subprocess.run([sys.executable, "-m", "harness", "--version"], cwd=cli_corpus, capture_output=True, timeout=300)
    assert ok.returncode == 0
    assert ok.stdout.decode().strip() == f"harness, version {version('harness')}"
    # A bad-input run through the real process: exit 2, one Error line, no traceback.
    bad = subprocess.run([sys.executable, "-m", "harness", "score", "--no-config", "--references", "nope"],
                         cwd=cli_corpus, capture_output=True, timeout=300)
    assert bad.returncode == 2
    assert bad.stderr.decode().startswith("Error: ")
    assert b"Traceback" not in bad.stderr + bad.stdout

