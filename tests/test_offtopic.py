"""Off-topic share: the fraction of a candidate's word bigrams found in off-topic text and no reference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli.main import cli
from harness.inputs.corpus import Corpus
from harness.run.pipeline import Settings, evaluate

ROOT = Path(__file__).resolve().parents[1]

# Words separated by "，" (dropped as punctuation) so jieba cuts exactly there.
REF = "开源，模型，很快"
NOISE = "股票，价格，上涨"
CAND = "开源，模型，股票，价格"


def test_tiny_words_are_what_the_hand_computation_assumes(ind_jieba):
    # The hand computation below relies on jieba cutting each comma-separated word whole.
    tok = ind_jieba
    assert [t for t in tok.cut(REF) if t != "，"] == ["开源", "模型", "很快"]
    assert [t for t in tok.cut(NOISE) if t != "，"] == ["股票", "价格", "上涨"]
    assert [t for t in tok.cut(CAND) if t != "，"] == ["开源", "模型", "股票", "价格"]


@pytest.mark.parametrize("unit", ["word", "char"])
def test_share_by_hand(unit):
    # By hand: candidate bigrams (开源,模型) (模型,股票) (股票,价格); off-topic bigrams not in the
    # reference: (股票,价格) (价格,上涨). One of three -> 1/3, measured on words whatever the unit.
    corpus = Corpus({"d": {"r": REF}}, {"s": {"d": CAND}, "clean": {"d": REF}}, offtopic={"d": NOISE})
    ev = evaluate(corpus, Settings(unit=unit))
    shares = {s.name: s.documents["d"].analyses.get("offtopic") for s in ev.systems}
    assert shares == {"s": pytest.approx(1 / 3, abs=1e-15), "clean": 0.0}
    assert any("'s'" in w and "33% of its word bigrams" in w for w in ev.warnings)
    assert not any("'clean'" in w for w in ev.warnings)


def test_bigrams_the_references_use_are_not_off_topic():
    # The reference also contains 股票 价格 -> that bigram is on topic; the share drops to 0.
    corpus = Corpus({"d": {"r": REF + "，股票，价格"}}, {"s": {"d": CAND}}, offtopic={"d": NOISE})
    (system,) = evaluate(corpus).systems
    assert system.documents["d"].analyses.get("offtopic") == 0.0


def test_no_offtopic_text_means_no_column_and_no_json_field():
    corpus = Corpus({"d": {"r": REF}}, {"s": {"d": CAND}})
    (system,) = evaluate(corpus).systems
    assert system.summary("offtopic") is None


def test_shipped_corpus_flags_exactly_the_two_crypto_candidates():
    # offtopic/ai-open-source.txt is the article's lines 1, 9-11, 17, 24, 32, 41 and 77 verbatim.
    article = (ROOT / "sources" / "ai-open-source.txt").read_text(encoding="utf-8").splitlines()
    expected = [article[i - 1] for i in (1, 9, 10, 11, 17, 24, 32, 41, 77)]
    assert (ROOT / "offtopic" / "ai-open-source.txt").read_text(encoding="utf-8").splitlines() == expected
    result = CliRunner().invoke(cli, ["score", "--no-config", "--references", str(ROOT / "references"),
                                      "--candidates", str(ROOT / "candidates"), "--format", "json"])
    assert result.exit_code == 0, result.output
    shares = {s["name"]: s["offtopic"]["ai-open-source"] for s in json.loads(result.stdout)["systems"]}
    flagged = {name for name, share in shares.items() if share >= 0.05}
    assert flagged == {"faithful-plus-crypto", "crypto-distracted"}
    warned = {line.split("'")[1] for line in result.stderr.splitlines() if "off-topic" in line}
    assert warned == flagged


def test_offtopic_for_unknown_document_is_an_input_error(tmp_path):
    (tmp_path / "references" / "d").mkdir(parents=True)
    (tmp_path / "references" / "d" / "r.txt").write_text(REF, encoding="utf-8")
    (tmp_path / "candidates" / "s").mkdir(parents=True)
    (tmp_path / "candidates" / "s" / "d.txt").write_text(CAND, encoding="utf-8")
    (tmp_path / "offtopic").mkdir()
    (tmp_path / "offtopic" / "other.txt").write_text(NOISE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["score", "--no-config", "--references", str(tmp_path / "references"),
                                      "--candidates", str(tmp_path / "candidates")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'offtopic' / 'other.txt'}: off-topic text for unknown document 'other'" in result.stderr
