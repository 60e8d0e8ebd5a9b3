"""`harness check --format markdown` as one pull-request comment (issue 18, section 3): a stable
marker first, one table with a row per system, changed systems first, each delta with its paired
interval and p-value, and the documents that fell most. Scores hand-computed with --unit char."""

from __future__ import annotations

from harness.gate.changes import system_changes
from harness.gate.verdict import Row, Verdict
from harness.render.verdict import COMMENT_MARKER, render_comment

REF = "猫吃鱼狗"
BEFORE = {"drop": REF, "same": REF, "up": "猫"}
AFTER = {"drop": "猫吃", "same": REF, "up": REF}


def _write(cli_files, texts: dict[str, str]) -> None:
    files = {f"references/d{i}/r.txt": REF + "\n" for i in range(1, 5)}
    files.update({f"candidates/{name}/d{i}.txt": text + "\n" for name, text in texts.items() for i in range(1, 5)})
    cli_files(files)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def test_comment_puts_changed_systems_first_with_interval_and_p(cli_run, cli_files):
    _write(cli_files, BEFORE)
    assert cli_run("check", "--no-config", "--unit", "char", "--update-baseline", "--no-cache").exit_code == 0
    _write(cli_files, AFTER)
    result = cli_run("check", "--no-config", "--unit", "char", "--format", "markdown", "--no-cache")
    assert result.exit_code == 1
    md = result.stdout
    assert md.splitlines()[0] == COMMENT_MARKER == "<!-- harness-check -->"
    table = [line for line in md.splitlines() if line.startswith("|")]
    assert len(table) == 2 + 3  # one table: header, rule, a row per system
    assert _cells(table[0])[:6] == ["System", "Status", "R-L (baseline → current)", "Δ", "95% interval of Δ", "p"]
    drop, up, same = (_cells(line) for line in table[2:])
    # drop: 猫吃鱼狗 (F 1) -> 猫吃 (P 1, R 1/2, F 2/3) on all 4 documents: -33.33 everywhere, so every
    # bootstrap resample's mean difference is -1/3 too: the interval is a point. Of the 2^4 sign
    # patterns of the permutation test, the observed one and its mirror are as extreme: p = 2/16 = 0.125
    # exactly, which 10,000 random patterns estimate within about 0.007 (3 standard errors).
    assert drop[:5] == ["drop", "**REGRESSED**", "100.00 → 66.67", "-33.33", "[-33.33, -33.33]"]
    assert abs(float(drop[5]) - 0.125) < 0.01
    # up: 猫 (P 1, R 1/4, F 2/5) -> F 1: +60 on every document and metric; improved, changed.
    assert up[:5] == ["up", "improved", "40.00 → 100.00", "+60.00", "[+60.00, +60.00]"]
    # same: unchanged, last; a difference of 0 everywhere: p = 1 (every pattern ties).
    assert same[:6] == ["same", "ok", "100.00 → 100.00", "+0.00", "[+0.00, +0.00]", "1.0000"]
    # The documents that fell most: drop's, -33.33 on R-1 and R-L (R-2: bigrams 猫吃 吃鱼 鱼狗 -> 猫吃, F 1/2).
    bullets = [line for line in md.splitlines() if line.startswith("- ")]
    assert len(bullets) == 5 and all(b.startswith("- drop · d") for b in bullets)
    assert "R-2: 100.00 → 50.00 (-50.00)" in bullets[0]
    assert "(10000 trials, seed 12345)" in md


def test_comment_without_contracts_has_no_tests():
    # The renderer alone (the API): rows from the verdict, no interval or p-value; the marker stays.
    v = Verdict("sig", "fmeasure", 0.005, [], [
        Row("a", "rougeL", 0.5, 0.5, "ok"), Row("b", "rougeL", 0.5, 0.4, "regressed"),
    ])
    changes = system_changes(v)
    assert [c.system for c in changes.systems] == ["b", "a"] and changes.resampling is None
    md = render_comment(v)
    assert md.startswith(COMMENT_MARKER + "\n\n## ❌")
    rows = [_cells(line) for line in md.splitlines() if line.startswith("| ")][1:]
    assert rows == [["b", "**REGRESSED**", "50.00 → 40.00", "-10.00", "-", "-"], ["a", "ok", "50.00 → 50.00", "+0.00", "-", "-"]]
