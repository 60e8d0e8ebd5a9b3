"""Issue 18 §2, messages a person can act on: problems and warnings grouped one line per kind,
did-you-mean, -q and -v, the start a run with no inputs gets, `harness report` on a terminal,
and the --trials help. Each message is asserted as printed, on inputs written here."""

from __future__ import annotations

import json
import os
from pathlib import Path

from harness.run.notes import system_notes

SOURCE = "研究人员周二发布了一份关于开源人工智能模型如何改变整个软件行业竞争格局的详细报告。报告还提到监管问题。"
COPIED = SOURCE.split("。")[0] + "。"


def _lines(*objs: dict) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs)


# --------------------------------------------------------------------------- problems


def test_a_field_missing_from_every_line_is_one_line_naming_the_option(cli_run, cli_files):
    cli_files({
        "refs.jsonl": _lines(*({"docid": f"d{i}", "article": SOURCE, "highlights": "开源"} for i in range(24))),
        "out.jsonl": _lines({"docid": "d0", "output": "开源"}),
    })
    result = cli_run("score", "--no-config", "--references", "refs.jsonl", "--candidates", "out.jsonl")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: refs.jsonl: 24 lines miss field 'id' (lines 1, 2, 3, …); the lines have 'docid', 'article', "
        "'highlights' — use --id-field docid\n"
    )
    fixed = cli_run("score", "--no-config", "--references", "refs.jsonl", "--candidates", "out.jsonl",
                    "--id-field", "docid", "-q")
    assert fixed.exit_code == 0, fixed.stderr


def test_an_error_lists_at_most_twenty_lines(cli_run, cli_files):
    cli_files({"references/d1/r.txt": "猫", **{f"candidates/s{i:02d}/zz.txt": "猫" for i in range(25)}})
    result = cli_run("score", "--no-config")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 21
    assert lines[0] == "Error: 25 problems:"
    assert lines[1] == f"  {os.path.join('candidates', 's00', 'zz.txt')}: candidate for unknown document 'zz'"
    assert lines[-1] == "... and 6 more"


def test_did_you_mean_for_metrics_and_system_names(cli_run, cli_corpus):
    metric = cli_run("score", "--no-config", "--metrics", "rouge1,ROUGE-L")
    assert metric.exit_code == 2
    assert metric.stderr == (
        "Error: unknown metric 'ROUGE-L' (did you mean 'rougeL'?); "
        "choose from rouge1..rouge9, rougeL, rougeLsum, rougeSU0..rougeSU9, rougeS0..rougeS9\n"
    )
    system = cli_run("explain", "--no-config", "goood")
    assert system.exit_code == 2
    assert system.stderr == "Error: no system 'goood' (did you mean 'good'?) (systems: bad, good, half)\n"
    compared = cli_run("compare", "--no-config", "hlf")
    assert compared.exit_code == 2
    assert compared.stderr == "Error: no system 'hlf' to compare against (did you mean 'half'?); systems: good, half, bad\n"


def test_did_you_mean_for_choices(cli_run, cli_corpus):
    # harness.cli.inputs.Choice: what a --convention option (issue 18 §2, "conventions") can use too.
    result = cli_run("score", "--no-config", "--multiref", "best_recall")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for '--multiref': 'best_recall' is not one of 'best', 'mean', 'best-recall', 'pooled' "
        "(did you mean 'best-recall'?)\n"
    )
    convention = cli_run("score", "--no-config", "--convention", "rouge_chinese")
    assert convention.exit_code == 2
    assert convention.stderr.endswith(
        "Error: Invalid value for '--convention': 'rouge_chinese' is not one of 'harness', 'rouge-chinese', "
        "'llamafactory', 'opencompass', 'all' (did you mean 'rouge-chinese'?)\n"
    )
    far = cli_run("score", "--no-config", "--unit", "xyz")
    assert far.stderr.endswith("Error: Invalid value for '--unit': 'xyz' is not one of 'word', 'char'.\n")


# --------------------------------------------------------------------------- warnings, -q, -v


def _copying(cli_files):
    reference = "开源人工智能模型正在改变软件行业的竞争格局，研究人员在周二的报告中这样说"
    cli_files({
        "refs.jsonl": _lines(*({"id": f"d{i}", "source": SOURCE, "reference": reference} for i in range(3))),
        "lead.jsonl": _lines(*({"id": f"d{i}", "summary": COPIED} for i in range(3))),
    })
    return ("score", "--no-config", "--references", "refs.jsonl", "--candidates", "lead.jsonl", "--format", "csv")


def test_warnings_about_documents_are_one_line_per_system_and_kind(cli_run, cli_files):
    result = cli_run(*_copying(cli_files))
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: system 'lead': 3 of 3 documents: extractive fragment density 20.0 is above 10 (long runs copied "
        "from the source); copying, not summarizing ('d0', 'd1', 'd2')\n"
    )


def test_verbose_lists_every_warning(cli_run, cli_files):
    result = cli_run(*_copying(cli_files), "-v")
    assert result.exit_code == 0
    assert result.stderr == "".join(
        f"warning: system 'lead', document 'd{i}': extractive fragment density 20.0 is above 10 (long runs copied "
        "from the source); copying, not summarizing\n" for i in range(3)
    )


def test_quiet_silences_notes_and_warnings_but_not_errors(cli_run, cli_files):
    args = _copying(cli_files)
    quiet = cli_run(*args, "-q")
    assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout.startswith("system,document,metric")
    cli_files({"idx.jsonl": _lines({"idx": "d0", "output": COPIED})})
    noted = cli_run("score", "--no-config", "--references", "refs.jsonl", "--candidates", "idx.jsonl", "--quiet")
    assert noted.exit_code == 0 and noted.stderr == ""
    error = cli_run(*args, "-q", "--metrics", "rouge7x")
    assert error.exit_code == 2
    assert error.stderr.startswith("Error: unknown metric 'rouge7x' (did you mean 'rouge7'?)")


def test_a_number_that_differs_between_documents_is_shown_as_its_range():
    notes = [{"s": [f"system 's', document 'd{i}': density {d} is above 10"]} for i, d in enumerate((11.5, 25.0, 12.0))]
    assert system_notes(["s"], ["d0", "d1", "d2", "d3"], [*notes, {}]) == [
        "system 's': 3 of 4 documents: density 11.5–25.0 is above 10 ('d0', 'd1', 'd2')"
    ]
    assert system_notes(["s"], ["d0", "d1", "d2", "d3"], [*notes, {}], every=True) == [n["s"][0] for n in notes]


def test_notes_that_differ_in_their_detail_are_one_kind():
    # Facts warnings name their items after ": "; documents whose items differ are still one line
    # (by hand: counts 2, 1, 3 give the range 1–3; the example is d0's detail).
    notes = [{"s": [f"system 's', document 'd{i}': {n} figures or names not in the source: {items}"]}
             for i, (n, items) in enumerate(((2, "Meta, 70亿"), (1, "AI"), (3, "Genesis, 6月18日, Moro")))]
    assert system_notes(["s"], ["d0", "d1", "d2"], notes) == [
        "system 's': 3 of 3 documents: 1–3 figures or names not in the source, e.g. Meta, 70亿 ('d0', 'd1', 'd2')"
    ]
    # Another kind of note (no detail) stays its own line.
    mixed = [{"s": [*n["s"], f"system 's', document 'd{i}': 60% of its word bigrams come from the off-topic text"]}
             for i, n in enumerate(notes)]
    assert len(system_notes(["s"], ["d0", "d1", "d2"], mixed)) == 2


# --------------------------------------------------------------------------- starting out


def test_score_with_no_inputs_says_how_to_start(cli_run):
    result = cli_run("score", "--no-config")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: no inputs: looked for references/ and candidates/ here, and for [tool.harness] in a pyproject.toml\n"
        "  folders: references/<doc-id>/<name>.txt (one or more references) and candidates/<system>/<doc-id>.txt\n"
        '  JSONL:   refs.jsonl lines {"id": ..., "references": [...]}, outputs/<system>.jsonl lines '
        '{"id": ..., "summary": ...}\n'
        "  start:   harness score --references refs.jsonl --candidates outputs/\n"
    )


def test_report_on_a_terminal_writes_report_html_and_says_where(cli_run, cli_corpus, monkeypatch):
    from harness.cli import report

    monkeypatch.setattr(report, "stdout_is_terminal", lambda: True)
    result = cli_run("report", "--no-config")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    written = Path("report.html").resolve()
    assert result.stderr == f"wrote {written} (open it in a browser; --html FILE names another file)\n"
    assert written.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    monkeypatch.setattr(report, "stdout_is_terminal", lambda: False)
    piped = cli_run("report", "--no-config")  # `harness report > page.html` keeps working
    assert piped.exit_code == 0 and piped.stdout.startswith("<!DOCTYPE html>")


def test_trials_help_says_the_real_minimum(cli_run):
    result = cli_run("compare", "--help")
    text = " ".join(result.stdout.split())
    assert "--trials INTEGER Resamples and permutations of the paired tests (at least 100). [default: 10000]" in text
    assert "x>=1" not in text
