"""Golden scores for the shipped corpus (references/, candidates/), computed independently.

The independent computation lives in this file: rouge-score's RougeScorer and its
`score_multi`, fed by a tokenizer written here (NFKC + lower-case, then plain jieba
0.42.1 `Tokenizer().cut(HMM=True)` or a char-by-char scanner, punctuation tokens
dropped; see tests/conftest.py, `ind`) and a simple sentence split of its own (one
sentence per line for rougeLsum). It shares no code with harness.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rouge_score import rouge_scorer

from harness.inputs.load import load_corpus
from harness.render import table as report
from harness.run.pipeline import Settings, evaluate

REPO = Path(__file__).resolve().parents[1]
METRICS = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
DOC = "ai-open-source"


def _split(text: str) -> list[str]:
    """After each of 。!?; (full-width forms are ASCII after NFKC), after a '.' that is
    followed by whitespace or the end, and at line breaks. Enough for this corpus: its
    only other dots are inside numbers and names (3.5, 5.4亿)."""
    pieces = re.split(r"(?<=[。!?;])|(?<=\.)(?=\s|$)|\n", text)
    return [p.strip() for p in pieces if p.strip()]


class _IndTokenizer:
    def __init__(self, tokenize):
        self.tokenize = tokenize


def _texts():
    refs = {p.stem: p.read_text(encoding="utf-8") for p in (REPO / "references" / DOC).glob("*.txt")}
    cands = {p.name: (p / f"{DOC}.txt").read_text(encoding="utf-8") for p in (REPO / "candidates").iterdir() if p.is_dir()}
    return refs, cands


def independent(ind, unit: str, mode: str = "best") -> dict[str, dict[str, tuple[float, float, float]]]:
    """{system: {metric: (P, R, F)}} for the one shipped document."""
    tokenize = ind.word if unit == "word" else ind.char
    scorer = rouge_scorer.RougeScorer(METRICS, tokenizer=_IndTokenizer(tokenize))

    def prep(text: str) -> str:
        return "\n".join(_split(ind.normalize(text)))

    refs, cands = _texts()
    targets = [prep(refs[name]) for name in sorted(refs)]  # name order: ties go to the first
    out = {}
    for system, text in cands.items():
        if mode == "best":
            best = scorer.score_multi(targets, prep(text))
            out[system] = {m: (best[m].precision, best[m].recall, best[m].fmeasure) for m in METRICS}
        else:
            each = [scorer.score(t, prep(text)) for t in targets]
            out[system] = {
                m: tuple(sum(getattr(s[m], a) for s in each) / len(each) for a in ("precision", "recall", "fmeasure"))
                for m in METRICS
            }
    return out


def harness_scores(unit: str, mode: str = "best"):
    ev = evaluate(load_corpus(REPO / "references", REPO / "candidates"), Settings(unit=unit, multiref=mode))
    return ev, {s.name: {m: tuple(s.scores[m]) for m in METRICS} for s in ev.systems}


@pytest.fixture(scope="module")
def word_best(ind):
    return independent(ind, "word")


@pytest.mark.parametrize(("unit", "mode"), [("word", "best"), ("char", "best"), ("word", "mean")])
def test_every_system_and_metric_matches_independent_rouge(ind, word_best, unit, mode):
    expected = word_best if (unit, mode) == ("word", "best") else independent(ind, unit, mode)
    ev, got = harness_scores(unit, mode)
    assert sorted(got) == sorted(expected) and len(got) == 7
    for system in expected:
        for metric in METRICS:
            assert got[system][metric] == pytest.approx(expected[system][metric], abs=1e-12), (system, metric)
    assert ev.warnings == []


def test_ranking_matches_independent_ranking(word_best):
    ev, _ = harness_scores("word")
    # ranked by rougeL F, best first, name breaks ties
    expected = sorted(word_best, key=lambda s: (-word_best[s]["rougeL"][2], s))
    assert [s.name for s in ev.systems] == expected


def test_pinned_golden_numbers(word_best):
    # Literal values printed once by `independent(ind, "word")` above and pasted here; the
    # fractions are the hit and token counts behind them (word tokens: ref-long 197,
    # ref-medium 113, ref-short 48; abstractive-strong 130, english 131, 一句话摘要 25).
    ev, got = harness_scores("word")
    # rank order by rougeL F
    assert [s.name for s in ev.systems] == [
        "abstractive-strong",
        "faithful-plus-crypto",
        "first-theme-only",
        "一句话摘要",
        "lead-3",
        "crypto-distracted",
        "english",
    ]
    # abstractive-strong, rougeL, best reference ref-long: LCS 72 -> P 72/130, R 72/197, F 144/327
    assert got["abstractive-strong"]["rougeL"] == pytest.approx(
        (0.5538461538461539, 0.36548223350253806, 0.44036697247706424), abs=1e-12
    )
    assert got["abstractive-strong"]["rougeL"][2] == pytest.approx(144 / 327, abs=1e-15)
    # english, rougeL, best reference ref-medium: the LCS (rouge_score.lcs_ind on the
    # independent tokens) is openai meta llama alpaca 52k 600 gpt 3.5 openai 2022 android,
    # 11 tokens -> P 11/131, R 11/113, F 11/122
    assert got["english"]["rougeL"] == pytest.approx((11 / 131, 11 / 113, 11 / 122), abs=1e-12)
    assert got["english"]["rougeL"][2] == pytest.approx(0.09016393442622951, abs=1e-15)
    # 一句话摘要, rouge1, best reference ref-short: its 25 tokens share 谷歌 泄露 文件 护城河
    # 低成本 开源(x2) 模型 大厂 android 盈利 with it, 11 -> P 11/25, R 11/48, F 22/73
    assert got["一句话摘要"]["rouge1"] == pytest.approx((0.44, 0.22916666666666666, 0.3013698630136986), abs=1e-12)
    assert got["一句话摘要"]["rouge1"] == pytest.approx((11 / 25, 11 / 48, 22 / 73), abs=1e-12)
    # the same numbers straight from the independent computation
    for system, metric in (("abstractive-strong", "rougeL"), ("english", "rougeL"), ("一句话摘要", "rouge1")):
        assert word_best[system][metric] == pytest.approx(got[system][metric], abs=1e-12)


def _load(offtopic: bool = True, sources: bool = True):
    # The CLI picks up offtopic/, sources/ and themes/ beside references/ by itself.
    return load_corpus(
        REPO / "references", REPO / "candidates", offtopic=REPO / "offtopic" if offtopic else None,
        sources=REPO / "sources" if sources else None, themes=REPO / "themes",
    )


def test_offtopic_shares_match_independent_count(ind):
    # Independent: word bigrams (plain jieba on the normalised whole text) of
    # offtopic/ai-open-source.txt minus every bigram of the three references; a
    # candidate's share = its bigrams (with repeats) in that set / all its bigrams.
    from collections import Counter

    def bigrams(text):
        toks = ind.word(ind.normalize(text))
        return Counter(itertools.pairwise(toks))

    refs, cands = _texts()
    on_topic = set().union(*(bigrams(t) for t in refs.values()))
    noise = set(bigrams((REPO / "offtopic" / f"{DOC}.txt").read_text(encoding="utf-8"))) - on_topic
    expected = {}
    for system, text in cands.items():
        grams = bigrams(text)
        expected[system] = sum(n for g, n in grams.items() if g in noise) / sum(grams.values())
    ev = evaluate(_load(sources=False))  # the off-topic warnings alone
    got = {s.name: s.documents[DOC].analyses.get("offtopic") for s in ev.systems}
    assert got == pytest.approx(expected, abs=1e-12)
    # pinned from that computation: crypto-distracted 55 of 91 bigrams, faithful-plus-crypto
    # 10 of 111, lead-3 2 of 89 (the article's own wording), every other system 0
    assert got["crypto-distracted"] == pytest.approx(55 / 91, abs=1e-15)
    assert got["faithful-plus-crypto"] == pytest.approx(10 / 111, abs=1e-15)
    assert got["lead-3"] == pytest.approx(2 / 89, abs=1e-15)
    assert {s for s, v in got.items() if v == 0.0} == {"abstractive-strong", "english", "first-theme-only", "一句话摘要"}
    # 5% threshold: 60% and 9% warn, 2.2% does not
    assert ev.warnings == [
        "system 'crypto-distracted', document 'ai-open-source': 60% of its word bigrams come from the "
        "document's off-topic text and from no reference",
        "system 'faithful-plus-crypto', document 'ai-open-source': 9% of its word bigrams come from the "
        "document's off-topic text and from no reference",
    ]


def test_json_is_byte_identical_across_runs():
    first = report.render(evaluate(_load()), "json")
    second = report.render(evaluate(_load()), "json")
    assert first == second
    assert first.endswith("}\n")


def _cli_json(seed: str, cache: Path) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONHASHSEED=seed, HARNESS_CACHE_DIR=str(cache))
    return subprocess.run(
        [sys.executable, "-m", "harness", "score", "--format", "json", "--no-config", "--no-cache"],
        cwd=REPO, env=env, capture_output=True, timeout=300,
    )


def test_json_is_byte_identical_across_hash_seeds(tmp_path, word_best):
    runs = [_cli_json(seed, tmp_path / "cache") for seed in ("0", "12345")]
    for run in runs:
        assert run.returncode == 0, run.stderr.decode()
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stderr == runs[1].stderr
    # the same bytes as rendering in this process (hash seed of the test run); the CLI
    # picks up offtopic/ beside references/ by itself and prints the warnings on stderr
    ev = evaluate(_load())
    # (compact: stdout is a pipe here; `--indent` gives report.render's indented text, test_gate.py)
    assert runs[0].stdout == report.dumps_json(ev, indent=False).encode("utf-8")
    # and the parts the CLI writes (an analysis's per-document texts as UTF-8 bytes) join to them too
    parts = list(report.render_pieces(ev, "json", indent=False))
    assert any(isinstance(part, bytes) for part in parts)
    assert runs[0].stdout == b"".join(p if isinstance(p, bytes) else p.encode("utf-8") for p in parts)
    assert runs[0].stderr.decode("utf-8") == "".join(f"warning: {w}\n" for w in ev.warnings)
    # and the numbers in it are the independent ones
    data = json.loads(runs[0].stdout)
    assert [s["name"] for s in data["systems"]] == sorted(word_best, key=lambda s: (-word_best[s]["rougeL"][2], s))
    for s in data["systems"]:
        for metric in METRICS:
            value = s["scores"][metric]
            assert (value["precision"], value["recall"], value["fmeasure"]) == pytest.approx(
                word_best[s["name"]][metric], abs=1e-12
            )
            assert s["documents"][DOC][metric] == value  # one document: corpus score = its score
