"""The whole product from Python (issue 18, section 5): harness.compare, harness.dumps_json and
harness.render_html are the functions the commands print, and Settings takes metrics as a list or
as the comma-separated string the command line and the config use.

Expected numbers are worked out by hand on a three-document corpus in the character unit (each
Han character one token, so every count can be read off the texts); the commands' own outputs
are compared byte for byte with the API's.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import harness

# Three documents; `good` and `copy` repeat the references, `half` drops or changes characters.
# ROUGE-1 F of `half`, characters:
#   d1 猫吃肉 vs 猫吃鱼: 2 of 3 either way            -> P = R = 2/3, F = 2/3
#   d2 狗跑   vs 狗跑步: 2 hits, 2 predicted, 3 target -> P = 1, R = 2/3, F = 2*(2/3)/(5/3) = 0.8
#   d3 鸟     vs 鸟飞天: 1 hit, 1 predicted, 3 target  -> P = 1, R = 1/3, F = 2*(1/3)/(4/3) = 0.5
HALF_F = [2 / 3, 0.8, 0.5]
FILES = {
    "references/d1/ref.txt": "猫吃鱼\n",
    "references/d2/ref.txt": "狗跑步\n",
    "references/d3/ref.txt": "鸟飞天\n",
    "candidates/good/d1.txt": "猫吃鱼\n",
    "candidates/good/d2.txt": "狗跑步\n",
    "candidates/good/d3.txt": "鸟飞天\n",
    "candidates/copy/d1.txt": "猫吃鱼\n",
    "candidates/copy/d2.txt": "狗跑步\n",
    "candidates/copy/d3.txt": "鸟飞天\n",
    "candidates/half/d1.txt": "猫吃肉\n",
    "candidates/half/d2.txt": "狗跑\n",
    "candidates/half/d3.txt": "鸟\n",
}
OPTIONS = ["--unit", "char", "--metrics", "rouge1", "--no-config", "--no-cache", "--jobs", "1"]


@pytest.fixture
def run_three(cli_files, tmp_path, monkeypatch):
    """The corpus above evaluated from Python, in tmp_path: (corpus, settings, evaluation)."""
    cli_files(FILES)
    monkeypatch.chdir(tmp_path)
    corpus = harness.load_corpus("references", ["candidates"])
    settings = harness.Settings(metrics="rouge1", unit="char")
    return corpus, settings, harness.evaluate(corpus, settings)


# ------------------------------------------------------------------------------ Settings(metrics=...)


@pytest.mark.parametrize(
    "given",
    ["rouge1,rougeL", " rouge1 , rougeL ", ["rouge1", "rougeL"], ("rouge1", "rougeL"), "rouge1,rougeL,rouge1"],
)
def test_settings_metrics_as_list_or_comma_separated_string(given):
    # Before, the string was split into characters ('r', 'o', 'u', ...) and refused.
    assert harness.Settings(metrics=given).metrics == ("rouge1", "rougeL")


def test_settings_metrics_string_errors_name_every_bad_metric():
    with pytest.raises(harness.InputError, match="unknown metric 'rouge0', 'bleu'"):
        harness.Settings(metrics="rouge1,rouge0,bleu")
    with pytest.raises(harness.InputError, match="no metrics given"):
        harness.Settings(metrics=" , ")


def test_a_user_dict_path_with_nul_is_an_input_error_at_construction():
    # A path holding NUL reached os.open when the dictionary was read: a bare ValueError ("embedded
    # null byte") from Settings.check() or from the first text scored. Expected: InputError when
    # the Settings (or the Scorer, which makes one) is made, worded as [tool.harness] words its NUL
    # refusal ('user-dict' must not hold a NUL character, not 'x\x00'), the value as repr shows it.
    for path in ("a\0b.txt", Path("a\0b.txt")):
        with pytest.raises(harness.InputError) as info:
            harness.Settings(user_dict=path)
        assert str(info.value) == "user_dict must not hold a NUL character, not 'a\\x00b.txt'"
    with pytest.raises(harness.InputError, match="user_dict must not hold a NUL character"):
        harness.Scorer("rouge1", user_dict="a\0b.txt")


def test_scorer_takes_the_same_string():
    scorer = harness.Scorer("rouge1,rouge2", unit="char")
    assert scorer.metrics == ("rouge1", "rouge2")
    # 猫吃鱼 vs 猫吃肉: unigrams 2 of 3 (F 2/3), bigrams 猫吃 1 of 2 (F 1/2).
    scores = scorer.score(target="猫吃鱼", prediction="猫吃肉")
    assert (scores["rouge1"].fmeasure, scores["rouge2"].fmeasure) == (2 / 3, 0.5)


# ------------------------------------------------------------------------------ dumps_json


def test_dumps_json_is_what_score_prints(run_three, cli_run):
    _corpus, _settings, evaluation = run_three
    text = harness.dumps_json(evaluation)
    result = cli_run("score", *OPTIONS, "--format", "json", "--indent")
    assert result.exit_code == 0
    assert result.stdout == text
    # Into a pipe (as here) without --indent, the compact form (issue 19): dumps_json(indent=False).
    compact = cli_run("score", *OPTIONS, "--format", "json").stdout
    assert compact == harness.dumps_json(evaluation, indent=False) and json.loads(compact) == json.loads(text)
    systems = {s["name"]: s for s in json.loads(text)["systems"]}
    # The corpus F is the plain mean of the three documents' F (above).
    assert systems["half"]["scores"]["rouge1"]["fmeasure"] == math.fsum(HALF_F) / 3
    assert systems["good"]["scores"]["rouge1"]["fmeasure"] == 1.0
    # A plain JSON object goes through the same writer (the baseline file and the verdict use it).
    assert harness.dumps_json({"b": 1, "a": "猫"}) == '{\n  "b": 1,\n  "a": "猫"\n}\n'


# ------------------------------------------------------------------------------ compare


def test_compare_by_hand_and_as_the_command_prints_it(run_three, cli_run):
    _corpus, _settings, evaluation = run_three
    result = harness.compare(evaluation, "good", trials=2000, seed=7)
    assert isinstance(result, harness.Comparisons) and result.baseline == "good" and result.n_docs == 3
    rows = {r.system: r for r in result.rows}
    assert set(rows) == {"copy", "half"}
    # half - good: mean(2/3, 0.8, 0.5) - 1.
    assert rows["half"].delta == pytest.approx(math.fsum(HALF_F) / 3 - 1, abs=1e-15)
    # All three differences are negative, so only 2 of the 2^3 sign patterns (all -, all +) reach
    # the observed |mean|: the permutation p is 1/4 up to sampling noise (2,000 trials: sd ~0.01).
    assert rows["half"].p_permutation == pytest.approx(0.25, abs=0.04)
    assert not rows["half"].significant  # 1/4 can never be <= 0.05
    # copy = good document by document: every trial ties the observed 0, so c = trials and p = 1.
    assert rows["copy"].delta == 0.0 and rows["copy"].p_permutation == 1.0
    # The command prints the same comparison (same seed and trials).
    from harness.render.comparison import to_json_obj

    printed = cli_run("compare", "good", *OPTIONS, "--trials", "2000", "--seed", "7", "--format", "json")
    assert printed.exit_code == 0
    assert json.loads(printed.stdout) == to_json_obj(result)


def test_compare_refuses_an_unknown_system_with_a_suggestion(run_three):
    with pytest.raises(harness.InputError, match="no system 'hlaf' to compare against \\(did you mean 'half'\\?\\)"):
        harness.compare(run_three[2], "hlaf")


# ------------------------------------------------------------------------------ render_html


def test_render_html_is_what_report_writes(run_three, cli_run, tmp_path):
    corpus, settings, evaluation = run_three
    page = harness.render_html(evaluation, corpus, settings)
    result = cli_run("report", *OPTIONS, "--html", "report.html")
    assert result.exit_code == 0
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == page
    # The page embeds the JSON contract; its numbers are the evaluation's.
    embedded = page.split('id="harness-contract">', 1)[1].split("</script>", 1)[0]
    half = next(s for s in json.loads(embedded)["systems"] if s["name"] == "half")
    assert half["scores"]["rouge1"]["fmeasure"] == math.fsum(HALF_F) / 3


def test_new_names_are_exported_lazily_and_typed():
    assert {"compare", "dumps_json", "render_html", "facts", "Comparisons"} <= set(harness.__all__)
    from harness.render.html import render_html
    from harness.results.contract import dumps_json
    from harness.stats.comparison import compare

    assert (harness.compare, harness.dumps_json, harness.render_html) == (compare, dumps_json, render_html)
    for function in (compare, dumps_json, render_html):
        assert function.__annotations__.get("return") is not None and function.__doc__


def test_load_corpus_refuses_a_path_holding_nul():
    # os.stat raised a bare ValueError ("embedded null byte") from the API; the CLI never passes
    # one (click refuses it first). Worded as the user_dict refusal above.
    for kwargs, what in [({"references": "r\0s"}, "references"), ({"candidates": ["c", "d\0e"]}, "candidates"),
                         ({"sources": "s\0"}, "sources"), ({"offtopic": "o\0"}, "offtopic"), ({"themes": "t\0"}, "themes")]:
        args = {"references": "references", "candidates": "candidates", **kwargs}
        with pytest.raises(harness.InputError) as info:
            harness.load_corpus(**args)
        bad = next(v for v in (kwargs[what] if isinstance(kwargs[what], list) else [kwargs[what]]) if "\0" in v)
        assert str(info.value) == f"{what} must not hold a NUL character, not {bad!r}"
