"""Real-world input: interrupts, atomic writes, traditional Chinese, degenerate and very large texts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness import files
from harness.cli.main import cli
from harness.inputs.corpus import Corpus
from harness.rouge.scoring import DEFAULT_METRICS, naive_score, score_pair
from harness.run.pipeline import Settings, evaluate

ROOT = Path(__file__).resolve().parents[1]
REFS = ROOT / "references" / "ai-open-source"
STRONG = ROOT / "candidates" / "abstractive-strong" / "ai-open-source.txt"


def make_corpus(tmp_path: Path, refs: dict[str, str], cands: dict[str, str], doc: str = "d") -> Path:
    for name, text in refs.items():
        (tmp_path / "references" / doc).mkdir(parents=True, exist_ok=True)
        (tmp_path / "references" / doc / f"{name}.txt").write_text(text, encoding="utf-8")
    for system, text in cands.items():
        (tmp_path / "candidates" / system).mkdir(parents=True, exist_ok=True)
        (tmp_path / "candidates" / system / f"{doc}.txt").write_text(text, encoding="utf-8")
    return tmp_path


# --- interrupts and atomic writes -------------------------------------------------------------


def test_ctrl_c_inside_a_command_exits_130_with_one_line(tmp_path, monkeypatch):
    # Whatever the command is doing when Ctrl-C arrives, the group turns it into exit 130.
    make_corpus(tmp_path, {"r": "开源模型"}, {"s": "开源模型"})

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("harness.cli.options.evaluate", interrupted)
    result = CliRunner().invoke(
        cli, ["score", "--no-config", "--references", str(tmp_path / "references"),
              "--candidates", str(tmp_path / "candidates")]
    )
    assert result.exit_code == 130
    assert result.stderr == "Error: interrupted\n"
    assert "Traceback" not in result.output


def test_atomic_write_interrupted_keeps_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "scores.json"
    target.write_text("old\n", encoding="utf-8")

    def boom(*_args):
        raise KeyboardInterrupt  # as if Ctrl-C arrived between writing and renaming

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        files.write_output(target, "new\n" * 1000)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.json"]


def test_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("x" * 10_000, encoding="utf-8")
    files.write_output(target, "短\n")
    assert target.read_bytes() == "短\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_during_a_real_run_exits_128_plus_n_and_keeps_the_output(tmp_path, sig):
    # A big candidate keeps the process busy long enough to be signalled mid-run; we poll
    # stderr for nothing and simply signal once the process is started and importing/scoring.
    make_corpus(tmp_path, {"r": REFS.joinpath("ref-long.txt").read_text(encoding="utf-8")},
                {"s": STRONG.read_text(encoding="utf-8")})
    article = (ROOT / "sources" / "ai-open-source.txt").read_text(encoding="utf-8")
    # About 480,000 characters (under the 500,000 a text may have), every sentence made distinct by
    # its copy's number, so that none is remembered from an earlier copy: seconds of jieba
    # Six such summaries (six systems), so that even a quiet machine is still scoring when the
    # signal comes (one alone took under 1.5 s in CI).
    bigs = []
    for k in range(6):
        big = "".join(article.replace("。", f"{k}-{i}。") for i in range(95))
        assert len(big) < 500_000
        (tmp_path / f"big{k}.txt").write_text(big, encoding="utf-8")
        bigs.append(str(tmp_path / f"big{k}.txt"))
    out = tmp_path / "scores.json"
    out.write_text("previous\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "harness", "score", "--no-config", "--references", str(tmp_path / "references"),
         "--format", "json", "-o", str(out), *bigs],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )
    time.sleep(1.5)  # not a timing assertion: only lets the run get under way before the signal
    proc.send_signal(sig)
    _stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 128 + sig, stderr  # 130 for SIGINT (2), 143 for SIGTERM (15)
    assert stderr.strip().splitlines()[-1] == "Error: interrupted"
    assert "Traceback" not in stderr
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [*(f"big{k}.txt" for k in range(6)), "candidates", "references",
                                                          "scores.json"]


# --- traditional Chinese ------------------------------------------------------------------------


def test_t2s_makes_a_traditional_copy_score_like_the_simplified_original(tmp_path):
    # OpenCC s2t of the strong candidate, then --t2s: scores equal those of the original,
    # because t2s(s2t(x)) == x for this text (checked below, independently of harness).
    import opencc

    simplified = STRONG.read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(simplified)
    assert traditional != simplified
    assert opencc.OpenCC("t2s").convert(traditional) == simplified
    refs = {p.stem: p.read_text(encoding="utf-8") for p in REFS.glob("*.txt")}
    corpus = Corpus({"d": refs}, {"orig": {"d": simplified}, "trad": {"d": traditional}})
    plain = evaluate(corpus)
    converted = evaluate(corpus, Settings(t2s=True))
    by_name = {s.name: s.scores for s in converted.systems}
    assert by_name["trad"] == by_name["orig"]
    assert "+t2s-opencc-" in converted.signature and "+t2s" not in plain.signature
    # Without --t2s the traditional copy scores lower and draws a warning naming it.
    plain_by_name = {s.name: s.scores for s in plain.systems}
    assert plain_by_name["trad"]["rouge1"].fmeasure < plain_by_name["orig"]["rouge1"].fmeasure
    assert any("'trad'" in w and "traditional" in w and "--t2s" in w for w in plain.warnings)
    assert not any("'orig'" in w for w in plain.warnings)


# --- degenerate texts ---------------------------------------------------------------------------

DEGENERATE = {
    "empty": "",
    "whitespace": " \n\t\u3000 \r\n",
    "punctuation": "，。！？、……——“”（）",
    "single-char": "模",
    "controls": "\x01\x02\x07\x1b开源\x7f",
    "nul": "开源\x00模型",
    "emoji": "🚀🔥😀",
    "mixed": "GPT-3.5 与 Alpaca：开源 модель ＡＢＣ 😀",
}


@pytest.mark.parametrize("name", sorted(DEGENERATE))
def test_degenerate_candidates_score_within_bounds_with_warnings(tmp_path, name):
    text = DEGENERATE[name]
    (tmp_path / "c").mkdir()
    path = tmp_path / "c" / f"{name}.txt"
    path.write_bytes(text.encode("utf-8"))
    make_corpus(tmp_path, {"r": "开源模型与封闭模型共生。"}, {})
    result = CliRunner().invoke(
        cli, ["score", "--no-config", "--references", str(tmp_path / "references"), "--format", "json", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    (system,) = json.loads(result.stdout)["systems"]
    for score in system["scores"].values():
        assert all(0.0 <= v <= 1.0 for v in score.values())
    no_tokens = name in {"empty", "whitespace", "punctuation"}
    assert ("no scorable tokens" in result.stderr) == no_tokens
    if no_tokens:
        assert all(v == 0.0 for s in system["scores"].values() for v in s.values())


def test_nul_and_control_characters_act_as_spaces(ind_jieba):
    # "开源\x00模型" must tokenize like "开源 模型": jieba gives ['开源', '模型'] for both
    # (checked by running jieba on "开源 模型" directly and dropping the space token).
    processor = Settings().processor()
    expected = [t for t in ind_jieba.cut("开源 模型") if t.strip()]
    assert expected == ["开源", "模型"]
    assert processor.sentences("开源\x00模型") == [expected]
    assert processor.sentences("\x01开源\x1b模型\x7f") == [expected]


# --- size ---------------------------------------------------------------------------------------


def test_200kb_candidate_scores_identically_to_rouge_score():
    # Correctness at size, not speed: a 200 KB candidate against the long reference, compared with
    # rouge-score's own RougeScorer (the naive way, which takes seconds here; harness is timed in
    # benchmarks/bench_scoring.py, never in tests).
    article = (ROOT / "sources" / "ai-open-source.txt").read_text(encoding="utf-8")
    big = article * (200_000 // len(article.encode()) + 1)
    assert len(big.encode()) >= 200_000
    ref = REFS.joinpath("ref-short.txt").read_text(encoding="utf-8")
    processor = Settings().processor()
    ours = score_pair(target=processor.analyze(ref), prediction=processor.analyze(big), metrics=DEFAULT_METRICS)
    theirs = naive_score(target=ref, prediction=big, processor=processor, metrics=DEFAULT_METRICS)
    assert ours == theirs
    # Swapping the texts swaps P and R for n-grams and LCS. Not for rougeLsum: its union LCS is
    # taken per reference sentence, so the two directions are different sums (as in ROUGE-1.5.5).
    swapped = score_pair(target=processor.analyze(big), prediction=processor.analyze(ref), metrics=DEFAULT_METRICS)
    for metric in ("rouge1", "rouge2", "rougeL"):
        assert swapped[metric].precision == ours[metric].recall
        assert swapped[metric].recall == ours[metric].precision


# --- determinism --------------------------------------------------------------------------------


def test_json_identical_across_hash_seeds(tmp_path):
    outputs = []
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-m", "harness", "score", "--no-config", "--no-cache", "--format", "json"],
            cwd=ROOT, env=env, capture_output=True, check=True,
        )
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert json.loads(outputs[0])["systems"]
