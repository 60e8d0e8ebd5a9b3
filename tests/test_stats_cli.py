"""`harness score --bootstrap`, `harness compare` and `harness check --significance` through the CLI."""

import json

from wcwidth import wcswidth

from tests.test_stats import M64, second_splitmix

# Three documents, one reference each (猫 吃 鱼); tokens as in conftest's CLI_TINY.
# System 好系统 (a Chinese name, for alignment): 猫 吃 鱼 everywhere -> F = 1 on each document.
# System mixed: d1 identical (rouge1 F 1), d2 猫 吃 肉 了 (rouge1 F 4/7), d3 狗 跑 (0).
THREE = {
    **{f"references/d{i}/ref.txt": "猫 吃 鱼\n" for i in (1, 2, 3)},
    **{f"candidates/好系统/d{i}.txt": "猫 吃 鱼\n" for i in (1, 2, 3)},
    "candidates/mixed/d1.txt": "猫 吃 鱼\n",
    "candidates/mixed/d2.txt": "猫 吃 肉 了\n",
    "candidates/mixed/d3.txt": "狗 跑\n",
}


def _score_json(cli_run, *extra):
    result = cli_run("score", "--no-config", "--no-cache", "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return result, json.loads(result.stdout)


def test_bootstrap_below_100_is_a_usage_error(cli_run, cli_files):
    cli_files(THREE)
    result = cli_run("score", "--no-config", "--bootstrap", "99")
    assert result.exit_code == 2
    assert "Error: --bootstrap 99: at least 100 resamples are needed" in result.stderr


def test_bootstrap_json_values_recomputed_independently(cli_run, cli_files):
    cli_files(THREE)
    _, data = _score_json(cli_run, "--bootstrap", "200", "--jobs", "1")
    assert "|boot:200|seed:12345|ci:95|" in data["signature"]
    by_name = {s["name"]: s for s in data["systems"]}
    for system in by_name.values():
        for metric in data["metrics"]:
            assert set(system["scores"][metric]["ci"]) == {"precision", "recall", "fmeasure"}
    assert by_name["好系统"]["scores"]["rouge1"]["ci"]["fmeasure"] == [1.0, 1.0]
    # mixed's rouge1 F per document (d1, d2, d3) is 1, 4/7, 0 (see THREE). Its interval is
    # recomputed here from the seed alone: 200 resamples of 3 indices drawn with the test's own
    # SplitMix64 (floor(x * 3 / 2**64); Lemire's rejection needs x's low word < 1, never met
    # here), each mean a plain fsum / 3, sorted, then ranks k = floor(0.025 * 200) = 5 and 194.
    per_doc = [1.0, 4 / 7, 0.0]
    other = second_splitmix(12345)
    means = sorted(sum(per_doc[next(other) * 3 // M64] for _ in range(3)) / 3 for _ in range(200))
    low, high = by_name["mixed"]["scores"]["rouge1"]["ci"]["fmeasure"]
    assert low == means[5] and high == means[194]
    assert low < by_name["mixed"]["scores"]["rouge1"]["fmeasure"] < high


def test_bootstrap_output_is_byte_identical_across_runs_and_jobs(cli_run, cli_files):
    cli_files(THREE)
    outputs = [
        cli_run("score", "--no-config", "--no-cache", "--bootstrap", "200", "--format", fmt, "--jobs", jobs).stdout
        for fmt in ("json", "table")
        for jobs in ("1", "2", "1")
    ]
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[3] == outputs[4] == outputs[5]
    other_seed = cli_run("score", "--no-config", "--no-cache", "--bootstrap", "200", "--format", "json", "--seed", "7").stdout
    assert json.loads(other_seed)["signature"] != json.loads(outputs[0])["signature"]


def test_bootstrap_table_stays_aligned(cli_run, cli_files):
    cli_files(THREE)
    result = cli_run("score", "--no-config", "--no-cache", "--bootstrap", "200", "--detail")
    table = result.stdout.split("\n\n", 1)[0].splitlines()
    assert len({wcswidth(line) for line in table}) == 1, table
    assert any(line.startswith("好系统") and "100.00 [100.0, 100.0]" in line for line in table)


def test_bootstrap_with_one_document_warns_and_adds_nothing(cli_run, cli_corpus):
    result, data = _score_json(cli_run, "--bootstrap", "200")
    assert "warning: no confidence intervals: the corpus has 1 document, and resampling documents needs at least 2" in result.stderr
    assert "boot:" not in data["signature"]
    assert all("ci" not in s["scores"][m] for s in data["systems"] for m in data["metrics"])


def test_baseline_with_intervals_gates_a_run_without(cli_run, cli_files, tmp_path):
    # boot/seed/ci never change a point score, so they are not compared (signature.NOT_COMPARED).
    cli_files(THREE)
    _, data = _score_json(cli_run, "--bootstrap", "200")
    (tmp_path / "baseline.json").write_text(json.dumps(data), encoding="utf-8")
    result = cli_run("check", "--no-config", "--no-cache")
    assert result.exit_code == 0, result.stdout + result.stderr
    broken = json.loads(json.dumps(data))
    broken["systems"][0]["scores"]["rouge1"]["ci"]["recall"] = [0.9, 0.1]
    (tmp_path / "baseline.json").write_text(json.dumps(broken), encoding="utf-8")
    result = cli_run("check", "--no-config", "--no-cache")
    assert result.exit_code == 2
    assert "systems[0].scores.rouge1.ci.recall must be [low, high] with 0 <= low <= high <= 1" in result.stderr
