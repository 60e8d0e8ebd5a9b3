"""A forged `"baseline": true` row, a name imitating a --baselines row, or a hand-edited corpus
mean cannot switch the gate off (issue 17, class 4): exit 2 naming the system."""

from __future__ import annotations

import pytest

from harness.gate.baseline import is_row_name, near_row_name


def _row(obj, name):
    return next(s for s in obj["systems"] if s["name"] == name)


def test_forged_baseline_flag_is_refused(cli_corpus, cli_run, edit_baseline):
    # "half" (猫 吃 肉 了 against 猫 吃 鱼) marked as a computed row: before, the gate skipped it.
    edit_baseline(lambda obj: _row(obj, "half").__setitem__("baseline", True))
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2
    assert "systems[1] 'half' is marked \"baseline\": true" in result.stderr, result.stderr


@pytest.mark.parametrize("name", ["lead-3 (source) ", "lead-3\u00a0(source)", "Lead-3 (Source)", "ｌｅａｄ-3 (source)",
                                  "ORACLE (source)"])
def test_names_near_a_computed_row_are_refused(cli_corpus, cli_run, name, edit_baseline):
    # The trailing space, NBSP, another case and full-width letters; variant: ORACLE.
    def rename(obj):
        row = _row(obj, "half")
        row["name"], row["baseline"] = name, True
    edit_baseline(rename)
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2
    assert "too close to a --baselines row" in result.stderr or "is marked" in result.stderr, result.stderr


def test_a_candidate_system_named_like_a_row_is_refused(cli_corpus, cli_run):
    # Variant: the imitation comes from the candidates folder, not the baseline file. Its rows
    # would be skipped by name in the next check, so every run refuses the name itself: the check,
    # and (it once wrote a baseline that every later check refused) --update-baseline and score.
    baseline = cli_corpus / "baseline.json"
    assert cli_run("check", "--no-config", "--update-baseline").exit_code == 0
    before = baseline.read_bytes()
    (cli_corpus / "candidates" / "half").rename(cli_corpus / "candidates" / "oracle (source)")
    for command in (["check", "--update-baseline"], ["check"], ["score"], ["explain", "oracle (source)"]):
        result = cli_run(*command, "--no-config")
        assert result.exit_code == 2, command
        assert "system 'oracle (source)': a name reserved for --baselines rows" in result.stderr, result.stderr
    assert baseline.read_bytes() == before  # nothing written


def test_hand_edited_corpus_mean_is_refused(cli_corpus, cli_run, edit_baseline):
    # "half" rouge1 F on its one document: 2PR/(P+R) with P 1/2, R 2/3, which in doubles is
    # 0.5714285714285715 (4/7 itself rounds to ...714); the edited mean says 0.9.
    edit_baseline(lambda obj: _row(obj, "half")["scores"]["rouge1"].__setitem__("fmeasure", 0.9))
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2
    assert ("systems[1] 'half'.scores.rouge1.fmeasure is 0.9, but the mean of its 1 per-document scores is "
            "0.5714285714285715") in result.stderr, result.stderr


def test_real_rows_are_recognised_by_name_only():
    assert is_row_name("lead-3 (source)") and is_row_name("oracle (source)") and is_row_name("lead-9999 (source)")
    assert not is_row_name("lead-0 (source)") and not is_row_name("lead-3") and not is_row_name("lead-10000 (source)")
    assert near_row_name("lead-3 (source)\t") and not near_row_name("lead-3 (source)") and not near_row_name("half")
