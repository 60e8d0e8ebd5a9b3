"""`harness score --bootstrap`, `harness compare` and `harness check --significance` through the CLI."""

import json

import pytest
from test_stats import M64, second_splitmix
from wcwidth import wcswidth

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


# --------------------------------------------------------------------------- harness compare


def _compare_json(cli_run, *extra):
    result = cli_run("compare", "--no-config", "--no-cache", "--format", "json", "--trials", "200", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_compare_values_recomputed_independently(cli_run, cli_files):
    cli_files(THREE)
    data = _compare_json(cli_run, "--jobs", "1")
    assert data["baseline"] == "好系统"  # the top-ranked system by default
    assert "|trials:200|seed:12345|ci:95|" in data["signature"]
    row = next(r for r in data["comparisons"] if r["metric"] == "rouge1")
    assert set(row) == {"system", "metric", "delta", "ci", "p_bootstrap", "p_permutation", "significant"}
    # mixed - 好系统 on rouge1 F per document: 1 - 1, 4/7 - 1, 0 - 1 (see THREE).
    d = [0.0, 4 / 7 - 1, -1.0]
    observed = abs(sum(d) / 3)
    assert row["system"] == "mixed" and abs(row["delta"] - sum(d) / 3) < 1e-15
    # Permutation: document 1's flip changes nothing (its difference is 0), and a trial is as
    # extreme as the observed -10/7 exactly when documents 2 and 3 keep or both flip their sign:
    # bits 1 and 2 of each trial's output (the test's own SplitMix64) agree. Exact p = 4/8.
    other = second_splitmix(12345)
    c = sum(1 for _ in range(200) if ((word := next(other)) >> 1 & 1) == (word >> 2 & 1))
    assert row["p_permutation"] == (c + 1) / 201
    # Bootstrap: resample means of d from the same seed's draws, shifted by the observed delta;
    # c counts |mean - delta| >= |delta|; interval ranks 5 and 194 of the sorted means.
    other = second_splitmix(12345)
    means = [sum(d[next(other) * 3 // M64] for _ in range(3)) / 3 for _ in range(200)]
    c = sum(1 for m in means if abs(m - sum(d) / 3) >= observed - 1e-12)
    assert row["p_bootstrap"] == (c + 1) / 201
    ordered = sorted(means)
    assert row["ci"] == [pytest.approx(ordered[5], abs=1e-15), pytest.approx(ordered[194], abs=1e-15)]
    # With 3 documents no permutation p-value can be below 2/8: nothing is significant, and it says so.
    assert row["significant"] is False
    assert any("no permutation p-value can be below 0.25" in n for n in data["notes"])


def test_compare_is_byte_identical_across_runs_and_jobs(cli_run, cli_files):
    cli_files(THREE)
    runs = [cli_run("compare", "--no-config", "--no-cache", "--trials", "200", "--jobs", j, "--format", "json").stdout
            for j in ("1", "2", "1")]
    assert runs[0] == runs[1] == runs[2]


def test_compare_named_baseline_and_formats(cli_run, cli_files):
    cli_files(THREE)
    data = _compare_json(cli_run, "mixed", "--on", "recall")
    assert data["baseline"] == "mixed" and data["on"] == "recall"
    assert {r["system"] for r in data["comparisons"]} == {"好系统"}
    for fmt in ("table", "markdown"):
        result = cli_run("compare", "--no-config", "--no-cache", "--trials", "200", "--format", fmt)
        assert result.exit_code == 0 and "p (permutation)" in result.stdout
    table = cli_run("compare", "--no-config", "--no-cache", "--trials", "200", "mixed").stdout.split("\n\n", 1)[0]
    assert len({wcswidth(line) for line in table.splitlines()}) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "Error: no system 'nobody' to compare against"),
        (["mixd"], "(did you mean 'mixed'?)"),
        (["--trials", "50"], "Error: --trials 50: at least 100 resamples"),
        (["--alpha", "1.5"], "--alpha 1.5: must be between 0 and 1"),
    ],
)
def test_compare_usage_errors(cli_run, cli_files, args, message):
    cli_files(THREE)
    result = cli_run("compare", "--no-config", "--no-cache", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_compare_one_document_says_so(cli_run, cli_corpus):
    data = _compare_json(cli_run)
    assert data["documents"] == 1
    assert all(r["p_permutation"] is None and r["ci"] is None and not r["significant"] for r in data["comparisons"])
    assert data["notes"] == [
        "too few documents for a paired test: 1 (at least 2 are needed; with so few, a difference says nothing "
        "about the next document)"
    ]


def test_compare_needs_two_systems(cli_run, cli_files):
    cli_files({"references/d1/ref.txt": "猫 吃 鱼\n", "candidates/only/d1.txt": "猫\n"})
    result = cli_run("compare", "--no-config", "--no-cache")
    assert result.exit_code == 2
    assert "nothing to compare: the corpus has 1 system, a comparison needs 2" in result.stderr


# --------------------------------------------------------------------------- check --significance


def _scores_obj(per_doc: list[float]) -> dict:
    """A JSON-contract object with one system 'sys' and rouge1 F per document as given."""
    def score(f):
        return {"rouge1": {"precision": f, "recall": f, "fmeasure": f}}

    mean = sum(per_doc) / len(per_doc)
    return {
        "signature": f"metrics:rouge1|docs:{len(per_doc)}",
        "metrics": ["rouge1"],
        "systems": [{"name": "sys", "scores": score(mean), "documents": {f"d{i}": score(f) for i, f in enumerate(per_doc)}}],
    }


def test_significance_passes_a_noisy_drop_and_fails_a_consistent_one():
    from harness.gate import verdict as gate

    test = gate.Significance(0.05, trials=200)
    base = [0.5] * 8
    # Noisy: +0.2 and -0.25 alternating, mean drop 0.025 (five times the tolerance). Every sign
    # pattern with four flips of each kind ties the observed |mean|: exact p is far above 0.05.
    noisy = [0.7, 0.25] * 4
    verdict = gate.compare(_scores_obj(base), _scores_obj(noisy), significance=test)
    (row,) = verdict.rows
    assert row.status == gate.NOT_SIGNIFICANT and verdict.passed and row.p_value > 0.05
    # Without the flag the same drop fails, as before.
    assert gate.compare(_scores_obj(base), _scores_obj(noisy)).rows[0].status == gate.REGRESSED
    # Consistent: every document drops 0.05; exact p = 2/256, the seeded estimate is under 0.05.
    consistent = [0.45] * 8
    verdict = gate.compare(_scores_obj(base), _scores_obj(consistent), significance=test)
    (row,) = verdict.rows
    assert row.status == gate.REGRESSED and not verdict.passed and row.p_value <= 0.05
    assert "|trials:200|seed:12345" in verdict.signature


def test_significance_with_too_few_documents_keeps_the_tolerance():
    from harness.gate import verdict as gate

    # 3 documents: no permutation p-value can be below 2/8, so the test cannot judge; the drop
    # fails on the tolerance alone, with a note saying why.
    verdict = gate.compare(_scores_obj([0.5] * 3), _scores_obj([0.4] * 3), significance=gate.Significance(0.05, 200))
    (row,) = verdict.rows
    assert row.status == gate.REGRESSED and row.p_value is None
    assert row.note == "3 shared documents: too few for a significance test at 0.05 (judged by the tolerance alone)"


def test_significance_refuses_too_few_trials():
    from harness.errors import InputError
    from harness.gate import verdict as gate

    with pytest.raises(InputError, match="no drop could be significant"):
        gate.Significance(0.001, trials=200)


EIGHT_REFS = {f"references/d{i}/ref.txt": "猫 吃 鱼\n" for i in range(8)}


def test_check_significance_cli(cli_run, cli_files, tmp_path):
    cli_files({**EIGHT_REFS, **{f"candidates/sys/d{i}.txt": "猫 吃 鱼\n" for i in range(8)}})
    assert cli_run("check", "--no-config", "--no-cache", "--update-baseline").exit_code == 0
    # One document of eight falls from 1 to 0: every sign pattern ties the observed |mean| 1/8,
    # so p = 1: beyond the tolerance, but not significant; exit 0 and said in every format.
    (tmp_path / "candidates/sys/d0.txt").write_text("狗 跑\n", encoding="utf-8")
    args = ("check", "--no-config", "--no-cache", "--significance", "0.05", "--trials", "200")
    result = cli_run(*args)
    assert result.exit_code == 0, result.stdout
    assert "not-significant" in result.stdout and "1.0000" in result.stdout
    data = json.loads(cli_run(*args, "--format", "json").stdout)
    assert {r["status"] for r in data["rows"]} == {"not-significant"}
    assert all(r["p_value"] == 1.0 for r in data["rows"]) and data["significance"]["alpha"] == 0.05
    cli_run(*args, "--junit", "j.xml")
    assert "not-significant:" in (tmp_path / "j.xml").read_text(encoding="utf-8")
    assert "<failure" not in (tmp_path / "j.xml").read_text(encoding="utf-8")
    # Without the flag the same drop fails, as before.
    assert cli_run("check", "--no-config", "--no-cache").exit_code == 1
    # Every document falls: exact p = 2/256; significant, exit 1.
    for i in range(8):
        (tmp_path / f"candidates/sys/d{i}.txt").write_text("狗 跑\n", encoding="utf-8")
    result = cli_run(*args)
    assert result.exit_code == 1 and "REGRESSED" in result.stdout
