"""The conventions inside a harness run: the pipeline's numbers against the core's own functions.

Every expected value here is computed independently of the pipeline: by the core's
`Convention.score_pair` / `score_corpus` (tests/test_conventions_reference.py holds those to the
real rouge-chinese 1.0.3 at 1e-9) cutting with a plain jieba 0.42.1 Tokenizer of the test suite
(`ind_jieba`, not the harness's loaded one), on the first reference by file order, which the test
picks itself from the texts it wrote.
"""

from __future__ import annotations

import json

import pytest

from harness.errors import InputError
from harness.inputs.corpus import Corpus
from harness.results.contract import dumps_json, to_json_obj
from harness.rouge.conventions import CONVENTIONS, METRICS
from harness.rouge.conventions.runner import ConventionScorer
from harness.rouge.settings import Settings
from harness.rouge.signature import differences
from harness.run.pipeline import evaluate

PAIRS = [
    ("谷歌发布了新模型。", "谷歌发布了GPT-3.5模型。"),
    ("营收5.4亿元，同比增长12.5%。", "营收为5.4亿元。"),
    ("开源 开源 开源 模型 模型", "开源模型开源模型开源模型"),
    ("北京今天天气很好。", ""),
    ("", "北京今天天气很好。"),
    ("第一行。\n第二行。\n\n第三行", "第一行。 \n第二行"),
    ("What is the answer? It is a test, an example.", "The answer is a test."),
    ("好", "好"),
]

# Three documents; d2 has two references, whose first by file order (sorted names) is "a.txt".
REFERENCES = {
    "d1": {"ref.txt": "谷歌发布了新模型，开源模型正在追赶。"},
    "d2": {"b.txt": "营收为5.4亿元。", "a.txt": "营收5.4亿元，同比增长12.5%。"},
    "d3": {"ref.txt": "开源 开源 开源 模型 模型"},
}
CANDIDATES = {
    "s1": {"d1": "谷歌发布了GPT-3.5模型。开源模型追赶。", "d2": "营收5.4亿元。", "d3": "开源模型开源模型"},
    "s2": {"d1": "谷歌，发布，新模型", "d2": "", "d3": "模型"},
}
FIRST = {"d1": "ref.txt", "d2": "a.txt", "d3": "ref.txt"}  # picked by hand: sorted file names, the first


def _corpus() -> Corpus:
    return Corpus({d: dict(sorted(refs.items())) for d, refs in REFERENCES.items()}, CANDIDATES)


@pytest.fixture(scope="module")
def cut(ind_jieba):
    return ind_jieba.cut


def test_runner_equals_the_core_per_pair(cut):
    # The shared work (one prepared target per process, one prediction for rouge-chinese and
    # llamafactory) changes no bit of F: compared with ==, not a tolerance.
    scorer = ConventionScorer(list(CONVENTIONS), Settings().convention_cut())
    for target, prediction in PAIRS + [(b, a) for a, b in PAIRS]:
        scored = scorer.score(target=target, prediction=prediction)
        for name, convention in CONVENTIONS.items():
            expected = convention.score_pair(target=target, prediction=prediction, cut=cut)
            assert {m: scored[name][m].fmeasure for m in METRICS} == expected, (name, target, prediction)


def test_precision_and_recall_are_rouge_chinese_s():
    rouge_chinese = pytest.importorskip("rouge_chinese", reason="the oracle: pip install 'rouge-chinese==1.0.3'")
    scorer = ConventionScorer(["rouge-chinese"], Settings().convention_cut())
    cut = Settings().convention_cut()
    for target, prediction in PAIRS[:3] + PAIRS[5:]:
        (tool,) = rouge_chinese.Rouge().get_scores(" ".join(cut(prediction)), " ".join(cut(target)))
        ours = scorer.score(target=target, prediction=prediction)["rouge-chinese"]
        for metric, key in zip(METRICS, ("rouge-1", "rouge-2", "rouge-l"), strict=True):
            assert ours[metric].precision == pytest.approx(tool[key]["p"], abs=1e-12)
            assert ours[metric].recall == pytest.approx(tool[key]["r"], abs=1e-12)


@pytest.mark.parametrize("name", list(CONVENTIONS))
def test_evaluate_under_a_convention_is_the_tool_s_corpus_number(name, cut):
    ev = evaluate(_corpus(), Settings(convention=name))
    assert ev.metrics == METRICS
    convention = CONVENTIONS[name]
    for system in ev.systems:
        pairs = [(REFERENCES[d][FIRST[d]], CANDIDATES[system.name][d]) for d in sorted(REFERENCES)]
        expected = convention.score_corpus(pairs, cut)
        assert {m: system.scores[m].fmeasure for m in METRICS} == expected
        for d, result in system.documents.items():
            assert list(result.per_reference) == [FIRST[d]]  # the others are not scored
            pair = convention.score_pair(target=REFERENCES[d][FIRST[d]], prediction=CANDIDATES[system.name][d], cut=cut)
            assert {m: result.score(m).fmeasure for m in METRICS} == pair
    assert f"conv:{convention.version}" in ev.signature and "multiref:first" in ev.signature
    assert any("1 of 3 documents have several references" in w for w in ev.warnings)
    assert any("'s2', document 'd2': candidate has no words under --convention" in w for w in ev.warnings)


def test_settings_validate_the_convention_and_its_metrics():
    assert Settings(convention="opencompass").metrics == ("rouge1", "rouge2", "rougeL")
    assert Settings(convention="all").metrics == ("rouge1", "rouge2", "rougeL", "rougeLsum")  # the harness's own
    assert Settings(convention="llamafactory", metrics=("rougeL",)).metrics == ("rougeL",)
    with pytest.raises(InputError, match=r"--convention opencompass reports only rouge1, rouge2, rougeL; not rougeLsum"):
        Settings(convention="opencompass", metrics=("rouge1", "rougeLsum"))
    with pytest.raises(InputError, match="not rougeLsum"):  # the four listed explicitly: never narrowed silently
        Settings(convention="rouge-chinese", metrics=("rouge1", "rouge2", "rougeL", "rougeLsum"))
    with pytest.raises(InputError, match="unknown convention 'rouge'; choose one of: harness, rouge-chinese"):
        Settings(convention="rouge")
    with pytest.raises(InputError, match="--unit char applies only to the harness's own scores"):
        Settings(convention="rouge-chinese", unit="char")
    with pytest.raises(InputError, match="--t2s applies only"):
        Settings(convention="opencompass", t2s=True)


def test_api_settings_convention():
    import harness

    ev = harness.evaluate(_corpus(), harness.Settings(convention="llamafactory"))
    assert "conv:llamafactory-158f4cb" in ev.signature


def test_signatures_across_conventions_differ_and_absent_means_harness():
    own = evaluate(_corpus(), Settings(metrics=METRICS)).signature
    tool = evaluate(_corpus(), Settings(convention="opencompass")).signature
    assert "conv:" not in own  # the default's output is unchanged
    assert "conv: harness -> opencompass-bff6651+rouge-chinese-1.0.3" in differences(own, tool)
    assert "multiref: best -> first" in differences(own, tool)
    other = evaluate(_corpus(), Settings(convention="rouge-chinese")).signature
    assert differences(tool, other) == ["conv: opencompass-bff6651+rouge-chinese-1.0.3 -> rouge-chinese-1.0.3"]
    assert differences(own + "|conv:harness", own) == []


def test_cache_is_keyed_by_convention_and_jobs_change_no_byte(tmp_path, monkeypatch):
    cache = tmp_path / "cache.sqlite"
    fresh = {name: dumps_json(to_json_obj(evaluate(_corpus(), Settings(convention=name)))) for name in CONVENTIONS}
    fresh["harness"] = dumps_json(to_json_obj(evaluate(_corpus(), Settings(metrics=METRICS))))
    scored = []
    real = ConventionScorer.score
    monkeypatch.setattr(ConventionScorer, "score", lambda self, **pair: scored.append(1) or real(self, **pair))
    for round_ in range(2):
        for name, expected in fresh.items():
            settings = Settings(metrics=METRICS) if name == "harness" else Settings(convention=name)
            assert dumps_json(to_json_obj(evaluate(_corpus(), settings, cache=cache))) == expected, name
        # The first round scores every pair under each convention; the second reads them all from the
        # cache (its CRC-32 checked as for counts): a convention's scores were once never served.
        assert bool(scored) == (round_ == 0), round_
        scored.clear()
    for name in ("opencompass", "all"):
        settings = Settings(convention=name)
        assert dumps_json(to_json_obj(evaluate(_corpus(), settings, jobs=2))) == dumps_json(
            to_json_obj(evaluate(_corpus(), settings))
        )


def test_all_adds_every_convention_beside_the_harness_s_own(cut):
    ev = evaluate(_corpus(), Settings(convention="all"))
    own = evaluate(_corpus())
    assert [s.scores for s in ev.systems] == [s.scores for s in own.systems]  # the harness's numbers, unchanged
    obj = json.loads(dumps_json(to_json_obj(ev)))
    for entry in obj["systems"]:
        assert list(entry["conventions"]) == ["harness", *CONVENTIONS]
        for name, convention in CONVENTIONS.items():
            pairs = [(REFERENCES[d][FIRST[d]], CANDIDATES[entry["name"]][d]) for d in sorted(REFERENCES)]
            assert entry["conventions"][name] == convention.score_corpus(pairs, cut)
            for d in REFERENCES:
                assert entry["conventions_documents"][d][name] == convention.score_pair(
                    target=REFERENCES[d][FIRST[d]], prediction=CANDIDATES[entry["name"]][d], cut=cut
                )
        assert entry["conventions"]["harness"] == {m: entry["scores"][m]["fmeasure"] for m in METRICS}
        gaps = [d["gap"] for d in entry["conventions_differences"]]
        assert gaps == sorted(gaps, reverse=True) and len(gaps) == 3
    assert "conventions:rouge-chinese-1.0.3,llamafactory-158f4cb,opencompass-bff6651+rouge-chinese-1.0.3" in ev.signature


def test_caching_cut_gives_jieba_s_own_words(ind_jieba):
    # Pieces end after every character jieba yields alone; the words must be exactly those of one
    # cut of the whole text, on the shipped texts and on the characters jieba treats specially.
    from pathlib import Path

    from harness.rouge.conventions import caching_cut

    root = Path(__file__).resolve().parents[1]
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("*/**/*.txt"))]
    texts += ["a\r\nb\r\n\r\nc", "GPT-3.5和C++、C#：5.4亿，100%", "全角\u3000空格 and  two  spaces\t制表", "é的ü字", "“引号”（括号）《书名》"]
    texts += [a + b for a, b in PAIRS]
    cached = caching_cut(ind_jieba.cut)
    for text in texts * 2:  # the second round from the memo
        assert cached(text) == list(ind_jieba.cut(text)), text[:40]


def test_all_lists_the_same_differences_whatever_the_processes():
    # Reasons are computed only for pairs among the 5 largest gaps a process has seen for their
    # system (harness.analyses.conventions._contender); with 12 documents and 2 processes each
    # process sees only part of them, and the listed pairs, with their reasons, must not change.
    sentences = [text for pair in PAIRS for text in pair if text] * 2
    references = {f"d{i:02}": {"ref.txt": sentences[i]} for i in range(12)}
    candidates = {
        "s1": {f"d{i:02}": sentences[(i + 1) % 12] + sentences[i][: i + 2] for i in range(12)},
        "s2": {f"d{i:02}": sentences[i].replace("，", ",").replace("。", ".") for i in range(12)},
    }
    corpus = Corpus(references, candidates)
    one = json.loads(dumps_json(to_json_obj(evaluate(corpus, Settings(convention="all")))))
    two = json.loads(dumps_json(to_json_obj(evaluate(corpus, Settings(convention="all"), jobs=2))))
    assert one == two
    for entry in one["systems"]:
        listed = entry["conventions_differences"]
        assert len(listed) == 5 and all(d["reasons"] for d in listed)


def test_all_follows_a_user_dictionary_edited_between_runs_in_one_process(tmp_path):
    # The conventions' scorers are kept per process; they were once kept by the dictionary's path
    # alone, so a second evaluate() after the file changed scored with the first dictionary. Oracle:
    # each convention's own score_pair with jieba's cut under the dictionary as it is at each run.
    import os

    from harness.text.tokenizers import JiebaTokenizer

    ud = tmp_path / "ud.txt"
    ref, cand = "开源模型的羊驼家族追上了谷歌", "羊驼家族开源模型追赶谷歌"
    corpus = Corpus.from_texts({"d": [ref]}, {"s": {"d": cand}})
    found = []
    for content in ("x 1\n", "羊驼家族开源 99999 n\n开源模型 99999 n\n"):
        ud.write_text(content, encoding="utf-8")
        os.utime(ud, ns=(len(found) * 10**9, len(found) * 10**9))  # a new time even on a coarse clock
        cut = JiebaTokenizer(user_dict=ud).raw_cut()
        expected = {name: c.score_pair(target=ref, prediction=cand, cut=cut) for name, c in CONVENTIONS.items()}
        entry = json.loads(dumps_json(to_json_obj(evaluate(corpus, Settings(convention="all", user_dict=ud)))))
        assert {name: entry["systems"][0]["conventions_documents"]["d"][name] for name in CONVENTIONS} == expected
        found.append(expected)
    assert found[0] != found[1]  # the two dictionaries cut the texts differently
