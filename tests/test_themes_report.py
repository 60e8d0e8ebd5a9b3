"""Theme coverage in the evaluation: table columns, JSON contract, signature, --jobs, the shipped pattern."""

from __future__ import annotations

import json
from pathlib import Path

from harness.analyses.themes import theme_counts
from harness.inputs.corpus import Corpus
from harness.inputs.load import load_corpus
from harness.inputs.themes import parse
from harness.render import table as report
from harness.run.pipeline import Settings, evaluate

ROOT = Path(__file__).resolve().parents[1]

# Words separated by "，" so jieba cuts exactly there (as in test_offtopic): tokens 开源/模型/很快 etc.
THEMES = parse("[甲]\n开源\n模型\n[乙]\n股票\n", "t.txt")
REFS = {"d1": {"r": "开源，模型，很快"}, "d2": {"r": "股票，价格"}}
CANDS = {"s": {"d1": "开源，股票", "d2": "股票，价格"}, "gone": {"d1": "开源，模型"}}


def _corpus(themes: bool = True) -> Corpus:
    corpus = Corpus.from_texts(REFS, CANDS)
    if themes:
        corpus.themes = {"d1": THEMES}  # d2 has no theme file
    return corpus


def test_json_contract_table_and_signature_by_hand():
    ev = evaluate(_corpus())
    data = report.to_json_obj(ev)
    by_name = {s["name"]: s for s in data["systems"]}
    # s on d1: tokens 开源/股票 -> 甲 covers 开源, misses 模型 (1/2); 乙 covers 股票 (1/1).
    assert by_name["s"]["themes"] == {"d1": {
        "甲": {"share": 0.5, "covered": ["开源"], "missed": ["模型"]},
        "乙": {"share": 1.0, "covered": ["股票"], "missed": []},
    }}
    # Only d1 has themes: the mean is over that one document.
    assert by_name["s"]["theme_shares"] == {"甲": 0.5, "乙": 1.0}
    # gone has no summary for d2 (no themes there) and 开源/模型 on d1: 2/2 and 0/1.
    assert by_name["gone"]["theme_shares"] == {"甲": 1.0, "乙": 0.0}
    assert ev.signature.split("|")[13] == "themes:word"  # after the 13 fields up to rouge (jdict included)
    table = report.render(ev)
    header, _rule, *rows = table.splitlines()
    assert header.split()[-2:] == ["甲", "乙"]
    # s ranks first (mean R-L F over d1 and d2: it matches d2 exactly; gone scores 0 there).
    assert [r.split()[0] for r in rows[:2]] == ["s", "gone"]
    assert [r.split()[-2:] for r in rows[:2]] == [["1/2", "1/1"], ["2/2", "0/1"]]


def test_missing_candidate_misses_every_unit():
    corpus = _corpus()
    corpus.candidates["gone"]["d1"] = None
    (gone,) = [s for s in evaluate(corpus).systems if s.name == "gone"]
    assert theme_counts(gone.measured("themes")) == {"甲": (0, 2), "乙": (0, 1)}


def test_themes_change_no_score_and_are_absent_without_theme_files():
    with_themes = report.to_json_obj(evaluate(_corpus()))
    without = report.to_json_obj(evaluate(_corpus(themes=False)))
    for s in with_themes["systems"]:
        del s["themes"], s["theme_shares"]
    assert "themes" not in without["signature"]
    assert with_themes["signature"] == without["signature"].replace("|engine:", "|themes:word|engine:")
    assert with_themes["systems"] == without["systems"]
    assert "甲" not in report.render(evaluate(_corpus(themes=False)))


def test_char_unit_is_signed_and_jobs_give_the_same_bytes():
    one = report.render(evaluate(_corpus(), Settings(unit="char")), "json")
    two = report.render(evaluate(_corpus(), Settings(unit="char"), jobs=2), "json")
    assert one == two
    assert "|themes:char|" in json.loads(one)["signature"]


def test_shipped_corpus_shows_the_expected_pattern():
    # Counted by hand from the candidate texts (docs/shipped-data.md, "Theme units").
    ev = evaluate(load_corpus(ROOT / "references", ROOT / "candidates", themes=ROOT / "themes"))
    counts = {s.name: [f"{c}/{t}" for c, t in theme_counts(s.measured("themes")).values()] for s in ev.systems}
    assert counts == {
        "abstractive-strong": ["8/9", "8/8", "10/10"],
        "faithful-plus-crypto": ["8/9", "4/8", "5/10"],
        "first-theme-only": ["9/9", "0/8", "0/10"],
        "一句话摘要": ["1/9", "0/8", "2/10"],
        "lead-3": ["2/9", "0/8", "0/10"],
        "crypto-distracted": ["0/9", "0/8", "0/10"],
        "english": ["3/9", "0/8", "1/10"],
    }
    shares = {s.name: list(s.summary("themes").values()) for s in ev.systems}
    assert shares["first-theme-only"][0] == 1.0 and max(shares["first-theme-only"][1:]) < 0.2
    assert max(shares["crypto-distracted"]) < 0.2
    assert min(shares["abstractive-strong"]) >= 0.8
    (abstractive,) = [s for s in ev.systems if s.name == "abstractive-strong"]
    assert abstractive.documents["ai-open-source"].analyses["themes"]["开源威胁"].missed == ("指令微调",)


def test_a_baseline_without_themes_gates_a_run_with_them_and_the_reverse(tmp_path):
    # The committed baseline.json was made before themes/ existed: the themes field of the
    # signature is not compared (it follows `unit`, which is), so the check passes.
    from harness.gate import verdict as gate

    with_themes = evaluate(load_corpus(ROOT / "references", ROOT / "candidates", themes=ROOT / "themes"))
    assert "themes:word" in with_themes.signature
    verdict = gate.check(ROOT / "baseline.json", with_themes)
    assert verdict.passed and verdict.counts() == {"ok": 28}
    stored = report.to_json_obj(with_themes)
    without = evaluate(load_corpus(ROOT / "references", ROOT / "candidates"))
    assert gate.check(stored, without).counts() == {"ok": 28}


def test_a_hand_edited_theme_share_in_a_baseline_is_refused():
    import pytest

    from harness.errors import BaselineError
    from harness.gate.baseline import validate

    stored = report.to_json_obj(evaluate(_corpus()))
    validate(Path("b.json"), stored)  # as written: fine
    stored["systems"][0]["theme_shares"]["甲"] = 1.5
    with pytest.raises(BaselineError, match=r"b.json: systems\[0\].theme_shares must be an object of numbers"):
        validate(Path("b.json"), stored)
