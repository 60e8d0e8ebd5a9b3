"""`harness check`: statuses, exit codes, tolerance edge, floors, baseline files, reports.

Numbers come from the tiny corpus in conftest.py (CLI_TINY), worked out by hand there:
corpus F for good = 1.0 on every metric; half = 4/7 (rouge1, rougeL, rougeLsum) and 2/5 (rouge2),
with rougeL precision 1/2 and recall 2/3; bad = 0.0.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

WORK = Path(__file__).resolve().parent.parent  # the repository: shipped references/ and candidates/


def _update(cli_run, *extra) -> Path:
    result = cli_run("check", "--no-config", "--update-baseline", *extra)
    assert result.exit_code == 0, result.output
    return Path("baseline.json").resolve()


def _edit(path: Path, change) -> None:
    obj = json.loads(path.read_text(encoding="utf-8"))
    change(obj)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2), encoding="utf-8")


def _system(obj: dict, name: str) -> dict:
    return next(s for s in obj["systems"] if s["name"] == name)


def _set(obj: dict, name: str, metric: str, value: float, measure: str = "fmeasure") -> None:
    # Every document gets the value too: a corpus score must be the mean of its documents' (a
    # hand-edited mean alone is refused, issue 17 class 4).
    system = _system(obj, name)
    system["scores"][metric][measure] = value
    for scores in system["documents"].values():
        scores[metric][measure] = value


def _json_check(cli_run, *extra):
    result = cli_run("check", "--no-config", "--format", "json", *extra)
    assert result.stdout, result.output
    verdict = json.loads(result.stdout)
    statuses = {(r["system"], r["metric"]): r["status"] for r in verdict["rows"]}
    return result, verdict, statuses


# --------------------------------------------------------------------------- statuses and exit codes


def test_unchanged_scores_all_ok_exit_0(cli_run, cli_corpus):
    _update(cli_run)
    result, verdict, statuses = _json_check(cli_run)
    assert result.exit_code == 0
    assert verdict["passed"] is True
    # 3 systems x 4 metrics, all ok, every delta exactly 0 (same inputs, same numbers).
    assert set(statuses.values()) == {"ok"} and len(statuses) == 12
    assert all(r["delta"] == 0.0 for r in verdict["rows"])
    table = cli_run("check", "--no-config")
    assert table.exit_code == 0
    assert table.stdout.rstrip().splitlines()[-1] == "PASSED: 12 ok"


def test_regressed_exit_1(cli_run, cli_corpus):
    base = _update(cli_run)
    _edit(base, lambda o: _set(o, "half", "rougeL", 0.7))  # current 4/7 = 0.5714: a drop of 0.1286
    result, verdict, statuses = _json_check(cli_run)
    assert result.exit_code == 1
    assert statuses[("half", "rougeL")] == "regressed"
    assert [k for k, v in statuses.items() if v != "ok"] == [("half", "rougeL")]
    row = next(r for r in verdict["rows"] if (r["system"], r["metric"]) == ("half", "rougeL"))
    assert row["baseline"] == 0.7
    assert row["current"] == pytest.approx(4 / 7, rel=1e-12)
    assert row["delta"] == pytest.approx(4 / 7 - 0.7, rel=1e-12)
    table = cli_run("check", "--no-config")
    assert table.exit_code == 1
    last = table.stdout.rstrip().splitlines()[-1]
    # 100 * (4/7 - 0.7) = -12.857 -> -12.86 points
    assert last.startswith("FAILED: 11 ok, 1 regressed (half rougeL regressed -12.86")
    assert "REGRESSED" in table.stdout


def test_improved_exit_0(cli_run, cli_corpus):
    base = _update(cli_run)
    _edit(base, lambda o: _set(o, "half", "rouge2", 0.3))  # current 2/5: +0.1
    result, verdict, statuses = _json_check(cli_run)
    assert result.exit_code == 0
    assert statuses[("half", "rouge2")] == "improved"
    row = next(r for r in verdict["rows"] if (r["system"], r["metric"]) == ("half", "rouge2"))
    assert row["delta"] == pytest.approx(0.1, rel=1e-12)
    assert cli_run("check", "--no-config").stdout.rstrip().endswith("PASSED: 1 improved, 11 ok")


def test_new_system_exit_0(cli_run, cli_corpus, cli_files):
    _update(cli_run)
    cli_files({"candidates/newcomer/d1.txt": "猫 吃\n"})
    result, verdict, statuses = _json_check(cli_run)
    assert result.exit_code == 0
    assert {statuses[("newcomer", m)] for m in ("rouge1", "rouge2", "rougeL", "rougeLsum")} == {"new"}
    row = next(r for r in verdict["rows"] if (r["system"], r["metric"]) == ("newcomer", "rouge1"))
    # 猫 吃 vs 猫 吃 鱼: P 1, R 2/3, F 0.8; no baseline, so no delta.
    assert row["baseline"] is None and row["delta"] is None
    assert row["current"] == pytest.approx(0.8, rel=1e-12)


def test_missing_system_exit_1_names_it(cli_run, cli_corpus):
    _update(cli_run)
    shutil.rmtree(cli_corpus / "candidates" / "half")
    result, _verdict, statuses = _json_check(cli_run)
    assert result.exit_code == 1
    assert {statuses[("half", m)] for m in ("rouge1", "rouge2", "rougeL", "rougeLsum")} == {"missing"}
    table = cli_run("check", "--no-config")
    assert table.exit_code == 1
    assert "half rouge1 missing" in table.stdout.rstrip().splitlines()[-1]


def test_below_floor_exit_1(cli_run, cli_corpus):
    _update(cli_run)
    # rougeL F: good 1.0, half 4/7 = 0.571, bad 0.0 -> only bad is under 0.30
    result, verdict, statuses = _json_check(cli_run, "--min", "rougeL=0.30")
    assert result.exit_code == 1
    assert statuses[("bad", "rougeL")] == "below-min"
    assert statuses[("half", "rougeL")] == "ok" and statuses[("good", "rougeL")] == "ok"
    assert statuses[("bad", "rouge1")] == "ok"  # the floor is on rougeL only
    assert verdict["floors"] == ["rougeL=0.3"]
    # A floor at 0.6 catches half too (0.571 < 0.6).
    _, _, statuses = _json_check(cli_run, "--min", "rougeL=0.6")
    assert statuses[("half", "rougeL")] == "below-min"


def test_system_specific_floor(cli_run, cli_corpus):
    _update(cli_run)
    # Only half is held to 0.6 on rougeL (4/7 < 0.6); bad (0.0) has no floor.
    result, _, statuses = _json_check(cli_run, "--min", "half:rougeL=0.6")
    assert result.exit_code == 1
    assert statuses[("half", "rougeL")] == "below-min"
    assert statuses[("bad", "rougeL")] == "ok"
    # A system floor it meets (4/7 >= 0.5) passes.
    passing, _, statuses = _json_check(cli_run, "--min", "half:rougeL=0.5")
    assert passing.exit_code == 0
    assert statuses[("half", "rougeL")] == "ok"


@pytest.mark.parametrize("floor", ["rougeL", "rougeL=abc", "bleu=0.3", "rougeL=1.5"])
def test_malformed_floor_exit_2(cli_run, cli_corpus, floor):
    _update(cli_run)
    result = cli_run("check", "--no-config", "--min", floor)
    assert result.exit_code == 2
    assert "--min" in result.stderr


def test_floor_on_uncomputed_metric_exit_2(cli_run, cli_corpus):
    _update(cli_run, "--metrics", "rouge1")
    result = cli_run("check", "--no-config", "--metrics", "rouge1", "--min", "rougeL=0.3")
    assert result.exit_code == 2
    assert "rougeL" in result.stderr and "not computed" in result.stderr


def test_signature_mismatch_exit_3_names_fields(cli_run, cli_corpus):
    base = _update(cli_run, "--unit", "char")
    before = base.read_bytes()
    result = cli_run("check", "--no-config")
    assert result.exit_code == 3
    assert "baseline.json" in result.stderr
    assert "unit: char -> word" in result.stderr
    assert "tok: char-v1 -> jieba-" in result.stderr
    assert "metrics" not in result.stderr.split("(", 1)[1].split(")", 1)[0]  # only differing fields named
    assert base.read_bytes() == before


def test_signature_mismatch_on_metrics(cli_run, cli_corpus):
    _update(cli_run)
    result = cli_run("check", "--no-config", "--metrics", "rouge1,rougeL")
    assert result.exit_code == 3
    assert "metrics: rouge1,rouge2,rougeL,rougeLsum -> rouge1,rougeL" in result.stderr


# --------------------------------------------------------------------------- tolerance edge


def test_drop_exactly_at_tolerance_passes_slightly_more_fails(cli_run, cli_corpus):
    base = _update(cli_run)
    # bad's rougeL F is 0.0; a baseline of 0.005 is a drop of exactly 0.005 (the default tolerance).
    _edit(base, lambda o: _set(o, "bad", "rougeL", 0.005))
    result, _, statuses = _json_check(cli_run)
    assert result.exit_code == 0 and statuses[("bad", "rougeL")] == "ok"
    _edit(base, lambda o: _set(o, "bad", "rougeL", 0.0051))
    result, _, statuses = _json_check(cli_run)
    assert result.exit_code == 1 and statuses[("bad", "rougeL")] == "regressed"


def test_tolerance_edge_with_float_rounding(cli_run, cli_corpus):
    base = _update(cli_run)
    # half rouge2 F is 0.4; 0.4 - 0.405 = -0.0050000000000000044 in floating point, which is
    # "exactly the tolerance" in decimal and must pass.
    assert 0.4 - 0.405 < -0.005
    _edit(base, lambda o: _set(o, "half", "rouge2", 0.405))
    result, _, statuses = _json_check(cli_run, "--tolerance", "0.005")
    assert result.exit_code == 0 and statuses[("half", "rouge2")] == "ok"
    # With an explicit, larger tolerance: a drop of 0.1 passes at 0.1, fails at 0.09.
    _edit(base, lambda o: _set(o, "half", "rouge2", 0.5))
    assert _json_check(cli_run, "--tolerance", "0.1")[0].exit_code == 0
    result, _, statuses = _json_check(cli_run, "--tolerance", "0.09")
    assert result.exit_code == 1 and statuses[("half", "rouge2")] == "regressed"


def test_zero_tolerance_any_drop_fails(cli_run, cli_corpus):
    base = _update(cli_run)
    _edit(base, lambda o: _set(o, "bad", "rouge1", 0.0001))
    result, _, statuses = _json_check(cli_run, "--tolerance", "0")
    assert result.exit_code == 1 and statuses[("bad", "rouge1")] == "regressed"


def test_negative_tolerance_is_usage_error(cli_run, cli_corpus):
    _update(cli_run)
    assert cli_run("check", "--no-config", "--tolerance", "-0.1").exit_code == 2


# --------------------------------------------------------------------------- --on


def test_on_precision(cli_run, cli_corpus):
    base = _update(cli_run)
    # Raise only half's rougeL *precision* in the baseline: 0.6 vs current 1/2 is a drop of 0.1.
    _edit(base, lambda o: _set(o, "half", "rougeL", 0.6, "precision"))
    result, _, statuses = _json_check(cli_run)  # fmeasure is unchanged: passes
    assert result.exit_code == 0 and statuses[("half", "rougeL")] == "ok"
    result, verdict, statuses = _json_check(cli_run, "--on", "precision")
    assert result.exit_code == 1
    assert verdict["on"] == "precision"
    assert statuses[("half", "rougeL")] == "regressed"
    row = next(r for r in verdict["rows"] if (r["system"], r["metric"]) == ("half", "rougeL"))
    assert row["current"] == 0.5 and row["baseline"] == 0.6
    # --on recall: half's rougeL recall 2/3 is untouched -> passes
    assert _json_check(cli_run, "--on", "recall")[0].exit_code == 0


# --------------------------------------------------------------------------- baseline file


def test_update_baseline_is_deterministic_and_leaves_no_temp_files(cli_run, cli_corpus):
    base = _update(cli_run)
    first = base.read_bytes()
    _update(cli_run)
    assert base.read_bytes() == first
    # The baseline is the score JSON contract: same bytes as `score --format json --indent` (a pipe
    # gets it compact since issue 19; a baseline stays indented, so that its git diffs stay readable).
    assert cli_run("score", "--no-config", "--format", "json", "--indent").stdout_bytes == first
    assert json.loads(cli_run("score", "--no-config", "--format", "json").stdout_bytes) == json.loads(first)
    leftovers = [p.name for p in cli_corpus.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_update_baseline_prints_summary(cli_run, cli_corpus):
    result = cli_run("check", "--no-config", "--update-baseline")
    lines = result.stdout.splitlines()
    assert lines[0] == "wrote baseline.json: 3 systems, 4 metrics"
    assert lines[1].startswith("unit:word|")


def test_interrupted_update_keeps_old_baseline(cli_run, cli_corpus, monkeypatch):
    # Atomic write: if the final rename never happens (Ctrl-C just before it), the old file
    # is intact and the temporary file is gone.
    base = _update(cli_run)
    before = base.read_bytes()
    (cli_corpus / "candidates" / "half" / "d1.txt").write_text("狗\n", encoding="utf-8")

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    import harness.files

    monkeypatch.setattr(harness.files.os, "replace", interrupted)
    result = cli_run("check", "--no-config", "--update-baseline")
    assert result.exit_code == 130
    assert "interrupted" in result.stderr
    assert base.read_bytes() == before
    assert sorted(p.name for p in cli_corpus.iterdir()) == ["baseline.json", "candidates", "references"]


def test_failing_check_never_rewrites_baseline(cli_run, cli_corpus):
    base = _update(cli_run)
    _edit(base, lambda o: _set(o, "half", "rougeL", 0.9))
    before = base.read_bytes()
    stat = base.stat()
    for fmt in ("table", "json", "markdown"):
        assert cli_run("check", "--no-config", "--format", fmt, "--junit", "j.xml").exit_code == 1
    assert base.read_bytes() == before
    assert base.stat().st_mtime_ns == stat.st_mtime_ns


def test_missing_baseline_file_exit_2(cli_run, cli_corpus):
    result = cli_run("check", "--no-config", "--baseline", "nope.json")
    assert result.exit_code == 2
    assert "nope.json" in result.stderr and "--update-baseline" in result.stderr


def test_truncated_baseline_exit_2(cli_run, cli_corpus):
    base = _update(cli_run)
    data = base.read_bytes()
    base.write_bytes(data[: len(data) // 2])
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert "baseline.json" in result.stderr and "not valid JSON" in result.stderr
    assert result.stdout == ""


def _drop(key):
    return lambda o: o.pop(key)


def _set_path(*path, value):
    def change(o):
        for key in path[:-1]:
            o = o[key]
        o[path[-1]] = value

    return change


MANGLED = {
    "no-signature": (_drop("signature"), "'signature'"),
    "no-metrics": (_drop("metrics"), "'metrics'"),
    "metrics-not-list": (_set_path("metrics", value="rougeL"), "'metrics'"),
    "no-systems": (_drop("systems"), "'systems'"),
    "systems-not-list": (_set_path("systems", value={"good": 1}), "'systems'"),
    "name-not-string": (_set_path("systems", 0, "name", value=7), "systems[0]"),
    "score-is-string": (_set_path("systems", 0, "scores", "rougeL", "fmeasure", value="high"), "systems[0].scores.rougeL.fmeasure"),
    "score-is-bool": (_set_path("systems", 0, "scores", "rouge1", "recall", value=True), "systems[0].scores.rouge1.recall"),
    "score-over-one": (_set_path("systems", 1, "scores", "rouge2", "precision", value=57.14), "systems[1].scores.rouge2.precision"),
    "score-missing": (lambda o: o["systems"][2]["scores"].pop("rougeLsum"), "systems[2].scores.rougeLsum"),
    "documents-missing": (lambda o: o["systems"][0].pop("documents"), "systems[0].documents"),
    "doc-score-missing": (_set_path("systems", 0, "documents", "d1", value={}), "systems[0].documents['d1']"),
    "duplicate-system": (lambda o: o["systems"].append(dict(o["systems"][0])), "repeats system"),
    "signature-garbage": (_set_path("signature", value="garbage"), "garbage"),
    "score-nan": (_set_path("systems", 0, "scores", "rouge1", "fmeasure", value=float("nan")), "systems[0].scores.rouge1.fmeasure"),
    "score-negative": (_set_path("systems", 0, "documents", "d1", "rougeL", "recall", value=-0.1), "systems[0].documents['d1'].rougeL.recall"),
}


@pytest.mark.parametrize("case", sorted(MANGLED))
def test_hand_mangled_baseline_exit_2(cli_run, cli_corpus, case):
    base = _update(cli_run)
    change, fragment = MANGLED[case]
    _edit(base, change)
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stderr.startswith("Error: baseline.json: ")
    assert fragment in result.stderr


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "not valid JSON"),
        (b"not json at all", "not valid JSON"),
        (b'{"signature": ', "not valid JSON"),
        (b"[1, 2, 3]", "top level"),
        (b"\xff\xfe\xfd{}", "not valid"),  # starts like a UTF-16 BOM, then garbage
        (b"\x80{}", "not valid UTF-8"),
    ],
)
def test_not_json_baseline_exit_2(cli_run, cli_corpus, data, fragment):
    (cli_corpus / "baseline.json").write_bytes(data)
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: baseline.json: ")
    assert fragment in result.stderr


def test_baseline_metrics_list_disagreeing_with_its_signature(cli_run, cli_corpus):
    # Hand-edited: 'metrics' and the scores trimmed to rouge1, but the signature (which is what is
    # compared) still says all four metrics. This must be an exit-2 "malformed baseline" error
    # naming the file, not a crash.
    base = _update(cli_run)

    def trim(o):
        o["metrics"] = ["rouge1"]
        for s in o["systems"]:
            s["scores"] = {"rouge1": s["scores"]["rouge1"]}
            s["documents"] = {d: {"rouge1": v["rouge1"]} for d, v in s["documents"].items()}

    _edit(base, trim)
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2
    assert "baseline.json" in result.stderr


# --------------------------------------------------------------------------- reports


def test_junit_report(cli_run, cli_corpus):
    base = _update(cli_run)
    _edit(base, lambda o: _set(o, "half", "rougeL", 0.7))
    result = cli_run("check", "--no-config", "--junit", "junit.xml")
    assert result.exit_code == 1
    suite = ET.parse(cli_corpus / "junit.xml").getroot()
    assert suite.tag == "testsuite"
    cases = suite.findall("testcase")
    # one per system x metric
    assert len(cases) == 12 == int(suite.get("tests"))
    assert {(c.get("classname"), c.get("name")) for c in cases} == {
        (f"harness.{s}", f"{m}.fmeasure") for s in ("good", "half", "bad") for m in ("rouge1", "rouge2", "rougeL", "rougeLsum")
    }
    failed = [c for c in cases if c.find("failure") is not None]
    assert [(c.get("classname"), c.get("name")) for c in failed] == [("harness.half", "rougeL.fmeasure")]
    assert suite.get("failures") == "1"
    failure = failed[0].find("failure")
    assert failure.get("type") == "regressed"
    message = failure.get("message")
    assert message.startswith("regressed: ")
    fields = dict(part.split("=", 1) for part in message.split(": ", 1)[1].split())
    assert float(fields["baseline"]) == 0.7
    assert float(fields["current"]) == pytest.approx(4 / 7, rel=1e-12)
    assert float(fields["delta"]) == pytest.approx(4 / 7 - 0.7, rel=1e-12)
    assert float(fields["tolerance"]) == 0.005
    assert "half" in failure.text and "rougeL" in failure.text
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["signature"].startswith("unit:word|")


def test_junit_into_missing_folder_exit_2(cli_run, cli_corpus):
    _update(cli_run)
    result = cli_run("check", "--no-config", "--junit", "no/such/dir/j.xml")
    assert result.exit_code == 2
    assert "j.xml" in result.stderr


def test_markdown_and_github_step_summary(cli_run, cli_corpus):
    base = _update(cli_run)
    _edit(base, lambda o: _set(o, "half", "rougeL", 0.7))
    summary = cli_corpus / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    result = cli_run("check", "--no-config", "--format", "markdown", env=env)
    assert result.exit_code == 1
    md = result.stdout
    # The pull-request comment (layout changed with issue 18: a row per system, not per system and metric).
    assert md.startswith("<!-- harness-check -->\n\n## ❌ harness check: FAILED")
    rows = [line for line in md.splitlines() if line.startswith("| half ")]
    cells = [c.strip() for c in rows[0].strip("|").split("|")]
    # 100 * 0.7 = 70.00, 100 * 4/7 = 57.14, delta -12.86; one document: no interval, no p-value.
    assert cells[:6] == ["half", "**REGRESSED**", "70.00 → 57.14", "-12.86", "-", "-"]
    assert "Signature: `unit:word|" in md
    # Appended after what was already there, and identical to the printed markdown.
    assert summary.read_text(encoding="utf-8") == "# earlier step\n" + md + "\n"
    # A second run (table format) appends again; still markdown in the summary file.
    again = cli_run("check", "--no-config", env=env)
    assert not again.stdout.startswith("##")
    assert summary.read_text(encoding="utf-8") == "# earlier step\n" + md + "\n" + md + "\n"


def test_unwritable_step_summary_is_a_clean_error(cli_run, cli_corpus):
    # GITHUB_STEP_SUMMARY pointing into a folder that does not exist. The gate itself passes, so the
    # run must not end in exit 1 ("regressed") and must not crash with a traceback: either a
    # warning and exit 0, or one `Error:` line naming the file and exit 2.
    _update(cli_run)
    missing = cli_corpus / "no-such-dir" / "summary.md"
    result = cli_run("check", "--no-config", env={"GITHUB_STEP_SUMMARY": str(missing)})
    assert result.exit_code in (0, 2)
    assert str(missing) in result.stderr


def test_passing_markdown(cli_run, cli_corpus):
    _update(cli_run)
    result = cli_run("check", "--no-config", "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!-- harness-check -->\n\n## ✅ harness check: PASSED: 12 ok")


def test_documents_whose_scores_fell_most(cli_run, cli_files):
    # Two documents; sys is perfect on both in the baseline (d1 猫 吃 鱼, d2 狗 跑 了).
    cli_files({
        "references/d1/r.txt": "猫 吃 鱼\n",
        "references/d2/r.txt": "狗 跑 了\n",
        "candidates/sys/d1.txt": "猫 吃 鱼\n",
        "candidates/sys/d2.txt": "狗 跑 了\n",
    })
    _update(cli_run)
    # Then d2 becomes 狗 跑: rouge1/rougeL/rougeLsum F 0.8 (P 1, R 2/3), rouge2 F 2/3 (P 1, R 1/2).
    cli_files({"candidates/sys/d2.txt": "狗 跑\n"})
    result, verdict, statuses = _json_check(cli_run)
    assert result.exit_code == 1
    # Corpus rougeL = (1 + 0.8) / 2 = 0.9: a drop of 0.1.
    assert statuses[("sys", "rougeL")] == "regressed"
    drops = [(d["system"], d["document"], d["metric"], d["baseline"], d["current"]) for d in verdict["documents"]]
    # Largest fall first: rouge2 (-1/3), then the -0.2 ones by metric name. d1 did not fall.
    assert [d[:3] for d in drops] == [
        ("sys", "d2", "rouge2"), ("sys", "d2", "rouge1"), ("sys", "d2", "rougeL"), ("sys", "d2", "rougeLsum"),
    ]
    assert verdict["documents"][0]["delta"] == pytest.approx(2 / 3 - 1, rel=1e-12)
    assert verdict["documents"][2]["delta"] == pytest.approx(-0.2, rel=1e-12)
    table = cli_run("check", "--no-config")
    section = table.stdout.split("Documents whose scores fell most:", 1)[1]
    lines = [line.split() for line in section.strip().splitlines()]
    assert lines[0] == ["System", "Document", "Metric", "Baseline", "Current", "Delta"]
    assert lines[2] == ["sys", "d2", "R-2", "100.00", "66.67", "-33.33"]
    assert lines[3] == ["sys", "d2", "R-1", "100.00", "80.00", "-20.00"]
    # --top-documents limits the list.
    _, verdict, _ = _json_check(cli_run, "--top-documents", "1")
    assert [d["metric"] for d in verdict["documents"]] == ["rouge2"]
    none = cli_run("check", "--no-config", "--top-documents", "0")
    assert "Documents whose scores fell most" not in none.stdout


# --------------------------------------------------------------------------- end to end on the shipped corpus


@pytest.fixture
def shipped(tmp_path):
    shutil.copytree(WORK / "references", tmp_path / "references")
    shutil.copytree(WORK / "candidates", tmp_path / "candidates")
    return tmp_path


def test_acceptance_degraded_candidate_fails(cli_run, shipped):
    base = _update(cli_run)
    before = base.read_bytes()
    assert cli_run("check", "--no-config").exit_code == 0
    target = shipped / "candidates" / "abstractive-strong" / "ai-open-source.txt"
    text = target.read_text(encoding="utf-8")
    first_sentence = text[: text.index("。") + 1]
    assert 10 < len(first_sentence) < len(text) // 4
    target.write_text(first_sentence + "\n", encoding="utf-8")
    result = cli_run("check", "--no-config")
    assert result.exit_code == 1
    failed_line = result.stdout.rstrip().splitlines()[-1]
    assert failed_line.startswith("FAILED:")
    assert "abstractive-strong" in failed_line and "regressed" in failed_line
    # Only the degraded system fails.
    _, _verdict, statuses = _json_check(cli_run)
    assert {s for (s, _m), st in statuses.items() if st == "regressed"} == {"abstractive-strong"}
    assert base.read_bytes() == before


def test_acceptance_improved_candidate_passes(cli_run, shipped):
    _update(cli_run)
    # lead-3 becomes a copy of a reference: its best-reference F becomes 1.0 on every metric.
    reference = (shipped / "references" / "ai-open-source" / "ref-medium.txt").read_bytes()
    (shipped / "candidates" / "lead-3" / "ai-open-source.txt").write_bytes(reference)
    result = cli_run("check", "--no-config")
    assert result.exit_code == 0, result.output
    assert "improved" in result.stdout
    _, verdict, statuses = _json_check(cli_run)
    assert {statuses[("lead-3", m)] for m in ("rouge1", "rouge2", "rougeL", "rougeLsum")} == {"improved"}
    assert all(r["current"] == 1.0 for r in verdict["rows"] if r["system"] == "lead-3")
    assert {st for (s, _m), st in statuses.items() if s != "lead-3"} == {"ok"}
