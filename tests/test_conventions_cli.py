"""`--convention` on the command line: score, check, explain, and the shipped corpus side by side.

Expected numbers are independent of the harness's pipeline: by hand on the tiny corpus of
conftest.py (CLI_TINY, worked out in the comments below with rouge-chinese's formulas), and on the
shipped corpus by the core's own `Convention.score_pair` with a plain jieba 0.42.1 of the test
suite (`ind_jieba`), against the first reference by file order (ref-long.txt: sorted names).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.rouge.conventions import CONVENTIONS, METRICS

WORK = Path(__file__).resolve().parent.parent  # the repository: shipped references/ and candidates/
GUARD = 1e-8  # rouge-chinese adds it to P + R in every F


def _f(p: float, r: float) -> float:
    return 2.0 * ((p * r) / (p + r + GUARD))


# CLI_TINY under rouge-chinese (jieba keeps the spaces as tokens; rouge-chinese splits on
# whitespace, so the words are the characters): reference 猫 吃 鱼.
#   good 猫 吃 鱼:    every set equal: P = R = 1 on each metric, F = 2 / (2 + 1e-8)
#   half 猫 吃 肉 了: unigrams 2 of {猫 吃 肉 了} (P 2/4, R 2/3); bigrams {猫吃 吃肉 肉了} vs {猫吃 吃鱼}:
#                    1 (P 1/3, R 1/2); LCS 猫 吃 = 2 (P 2/4, R 2/3)
#   bad 狗 跑:        nothing shared: 0
TINY = {
    "good": {"rouge1": _f(1, 1), "rouge2": _f(1, 1), "rougeL": _f(1, 1)},
    "half": {"rouge1": _f(2 / 4, 2 / 3), "rouge2": _f(1 / 3, 1 / 2), "rougeL": _f(2 / 4, 2 / 3)},
    "bad": {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0},
}


def _json(cli_run, *args) -> dict:
    result = cli_run("score", "--no-config", "--no-cache", "--format", "json", *args)
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


def test_score_convention_rouge_chinese_by_hand(cli_run, cli_corpus):
    obj = _json(cli_run, "--convention", "rouge-chinese")
    assert obj["metrics"] == list(METRICS) and "conv:rouge-chinese-1.0.3" in obj["signature"]
    for system in obj["systems"]:
        assert {m: s["fmeasure"] for m, s in system["scores"].items()} == pytest.approx(TINY[system["name"]], abs=1e-15)
    half = next(s for s in obj["systems"] if s["name"] == "half")["scores"]["rouge2"]
    assert (half["precision"], half["recall"]) == (1 / 3, 1 / 2)


def test_score_convention_llamafactory_rounds_each_pair(cli_run, cli_corpus):
    obj = _json(cli_run, "--convention", "llamafactory")
    # round(F x 100, 4) / 100: 4/7 - tiny -> 57.1429 / 100; 2/(2+1e-8) -> 100.0 / 100
    found = {s["name"]: s["scores"]["rouge1"]["fmeasure"] for s in obj["systems"]}
    assert found == {"good": 1.0, "half": 57.1429 / 100, "bad": 0.0}


def test_table_and_default_unchanged(cli_run, cli_corpus):
    default = cli_run("score", "--no-config", "--no-cache").stdout
    assert cli_run("score", "--no-config", "--no-cache", "--convention", "harness").stdout == default
    assert "conv:" not in default
    table = cli_run("score", "--no-config", "--no-cache", "--convention", "opencompass").stdout
    assert "R-Lsum" not in table and "conv:opencompass-bff6651+rouge-chinese-1.0.3" in table


def test_other_metrics_under_a_convention_are_an_error(cli_run, cli_corpus):
    result = cli_run("score", "--no-config", "--convention", "opencompass", "--metrics", "rouge1,rougeLsum")
    assert result.exit_code == 2
    assert "Error: --convention opencompass reports only rouge1, rouge2, rougeL; not rougeLsum" in result.stderr
    result = cli_run("score", "--no-config", "--convention", "paper")
    assert result.exit_code == 2 and "'paper' is not one of" in result.stderr


def test_gate_refuses_a_baseline_of_another_convention(cli_run, cli_corpus):
    made = cli_run("check", "--no-config", "--update-baseline")  # the harness's own
    assert made.exit_code == 0, made.stderr
    result = cli_run("check", "--no-config", "--convention", "opencompass")
    assert result.exit_code == 3
    assert "conv: harness -> opencompass-bff6651+rouge-chinese-1.0.3" in result.stdout + result.stderr
    made = cli_run("check", "--no-config", "--update-baseline", "--convention", "rouge-chinese")
    assert made.exit_code == 0 and "conv:rouge-chinese-1.0.3" in made.stdout
    assert cli_run("check", "--no-config", "--convention", "rouge-chinese").exit_code == 0
    result = cli_run("check", "--no-config", "--convention", "llamafactory")
    assert result.exit_code == 3
    assert "conv: rouge-chinese-1.0.3 -> llamafactory-158f4cb" in result.stdout + result.stderr
    result = cli_run("check", "--no-config")  # and back: a convention's baseline never gates the harness
    assert result.exit_code == 3 and "conv: rouge-chinese-1.0.3 -> harness" in result.stdout + result.stderr


def test_gate_under_a_convention_uses_its_numbers(cli_run, cli_corpus):
    assert cli_run("check", "--no-config", "--update-baseline", "--convention", "rouge-chinese").exit_code == 0
    baseline = json.loads(Path("baseline.json").read_text(encoding="utf-8"))
    half = next(s for s in baseline["systems"] if s["name"] == "half")
    assert half["scores"]["rouge1"]["fmeasure"] == pytest.approx(TINY["half"]["rouge1"], abs=1e-15)
    result = cli_run("check", "--no-config", "--convention", "rouge-chinese", "--min", "half:rouge1=0.58")
    assert result.exit_code == 1  # 4/7 - tiny = 0.5714 is under the floor


def test_explain_opencompass_shows_the_truncation(cli_run, cli_files):
    cli_files({
        "references/d1/ref.txt": "谷歌发布了新模型，开源模型正在追赶。",
        "candidates/s/d1.txt": "谷歌发布了GPT-3.5模型。",
    })
    result = cli_run("explain", "s", "d1", "--no-config", "--convention", "opencompass", "--no-color")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    # general_postprocess keeps the text before the first ASCII '.': "谷歌发布了GPT-3" (the '-' deleted)
    assert "  text:    谷歌发布了GPT3\n" in out
    assert "  dropped: from '.' at character 10 of 15: .5模型。" in out
    assert "prediction: truncated at '.' after 10 of 15 characters" in out
    assert out.startswith("--convention opencompass (opencompass-bff6651+rouge-chinese-1.0.3): s on d1")
    both = cli_run("explain", "s", "d1", "--no-config", "--convention", "all", "--no-color").stdout
    assert all(f"--convention {name} (" in both for name in CONVENTIONS) and "best reference" in both


def test_all_json_shape(cli_run, cli_corpus):
    obj = _json(cli_run, "--convention", "all")
    assert obj["metrics"] == ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    half = next(s for s in obj["systems"] if s["name"] == "half")
    assert list(half["conventions"]) == ["harness", "rouge-chinese", "llamafactory", "opencompass"]
    assert half["conventions"]["rouge-chinese"] == pytest.approx(TINY["half"], abs=1e-15)
    assert half["conventions_documents"]["d1"]["rouge-chinese"] == half["conventions"]["rouge-chinese"]
    (difference,) = half["conventions_differences"]
    assert set(difference) == {"document", "metric", "gap", "reasons"} and difference["document"] == "d1"


def test_shipped_corpus_all_side_by_side(cli_run, ind_jieba):
    args = ("--references", WORK / "references", "--candidates", WORK / "candidates", "--offtopic", WORK / "offtopic",
            "--sources", WORK / "sources", "--themes", WORK / "themes")
    obj = _json(cli_run, "--convention", "all", *args)
    reference = (WORK / "references" / "ai-open-source" / "ref-long.txt").read_text(encoding="utf-8")
    for system in obj["systems"]:
        summary = (WORK / "candidates" / system["name"] / "ai-open-source.txt").read_text(encoding="utf-8")
        for name, convention in CONVENTIONS.items():
            pair = convention.score_pair(target=reference, prediction=summary, cut=ind_jieba.cut)
            assert system["conventions"][name] == {m: convention.aggregate([pair[m]]) for m in METRICS}, name
    table = cli_run("score", "--no-config", "--no-cache", "--convention", "all", *args).stdout
    columns = [c for c in table.splitlines()[0].split("  ") if c.strip()]
    groups = [f"{tag} {m}" for tag in ("RC", "LF", "OC") for m in ("R-1", "R-2", "R-L")]
    assert [c.strip() for c in columns[:14]] == ["System", "R-1", "R-2", "R-L", "R-Lsum", *groups]
    assert "Where the conventions differ most (F x 100):" in table
    # lead-3 is written with ASCII commas: OpenCompass keeps "最近" and scores 0 (see explain). Its
    # RC and OC values are the ones checked against the core above (shown x 100, 2 decimals).
    assert "  lead-3 on ai-open-source: R-1 harness 28.57, RC 15.38, LF 15.38, OC 0.00 (gap 28.57)" in table
    assert "    - opencompass: prediction: truncated at ',' after 2 of 189 characters" in table
