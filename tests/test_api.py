"""The public Python API: harness.Scorer, harness.evaluate, harness.load_corpus, harness.check.

Expected numbers are worked out by hand on tiny texts (character unit, so the tokens are
plain to see), or computed by rouge-score's RougeScorer fed by the independent tokenizer
of tests/conftest.py (`ind`), which shares no code with the harness.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import harness

REPO = Path(__file__).resolve().parents[1]
METRICS = ["rouge1", "rouge2", "rougeL", "rougeLsum"]


def test_public_names_are_exported_and_typed():
    assert set(harness.__all__) == set(harness._EXPORTS) | {"__version__"}
    assert set(harness.__all__) >= {"Scorer", "Score", "evaluate", "load_corpus", "check", "Evaluation", "Corpus", "Verdict"}
    for name in harness.__all__:
        assert getattr(harness, name) is not None
    assert callable(harness.evaluate) and callable(harness.check) and callable(harness.load_corpus)
    assert (REPO / "harness" / "py.typed").is_file()


def test_import_harness_is_light():
    # `import harness` must not pull in the scoring stack: the command's start-up and its early
    # Ctrl-C handling depend on it. Checked in a fresh interpreter: only the one-constant version
    # module may come along.
    code = "import sys, harness; print(sorted(m for m in sys.modules if m.startswith(('harness.', 'jieba', 'click'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "['harness._version']\n"


# ------------------------------------------------------------------------------ Scorer


def test_scorer_by_hand_char_unit():
    # 猫吃鱼 vs 猫吃肉, characters: unigrams 猫 吃 shared, 2 of 3 each way -> P = R = F = 2/3;
    # bigrams 猫吃|吃鱼 vs 猫吃|吃肉: 1 of 2 -> 1/2; LCS 猫吃 = 2 -> 2/3 (one sentence: Lsum = L).
    scores = harness.Scorer(METRICS, unit="char").score(target="猫吃鱼", prediction="猫吃肉")
    assert scores["rouge1"] == (2 / 3, 2 / 3, 2 / 3)
    assert scores["rouge2"] == (0.5, 0.5, 0.5)
    assert scores["rougeL"] == scores["rougeLsum"] == (2 / 3, 2 / 3, 2 / 3)
    assert list(scores) == METRICS


def test_scorer_precision_is_over_the_prediction():
    # 猫 vs 猫吃鱼: one hit; P = 1/1 over the prediction, R = 1/3 over the target, F = 2*1*(1/3)/(4/3) = 1/2.
    s = harness.Scorer(["rouge1"], unit="char").score(target="猫吃鱼", prediction="猫")["rouge1"]
    assert (s.precision, s.recall, s.fmeasure) == (1.0, 1 / 3, 0.5)


def test_scorer_arguments_cannot_be_swapped_by_position():
    scorer = harness.Scorer(["rouge1"], unit="char")
    with pytest.raises(TypeError):
        scorer.score("猫吃鱼", "猫")  # type: ignore[misc]
    with pytest.raises(TypeError):
        scorer.score_many(["猫吃鱼"], ["猫"])  # type: ignore[misc]


def test_scorer_several_references_best_and_mean():
    # Prediction 猫吃肉 (chars). Target 狗跑: nothing shared, all 0. Target 猫吃鱼: 2/3 (above).
    best = harness.Scorer(["rouge1"], unit="char").score(target=["狗跑", "猫吃鱼"], prediction="猫吃肉")
    assert best["rouge1"] == (2 / 3, 2 / 3, 2 / 3)
    mean = harness.Scorer(["rouge1"], unit="char", multiref="mean").score(target=["狗跑", "猫吃鱼"], prediction="猫吃肉")
    assert mean["rouge1"] == pytest.approx((1 / 3, 1 / 3, 1 / 3), abs=1e-15)
    with pytest.raises(harness.InputError):
        harness.Scorer(["rouge1"]).score(target=[], prediction="猫")


def test_scorer_rejects_bad_settings_and_types_at_once():
    with pytest.raises(harness.InputError, match="unknown metric 'rouge0'"):
        harness.Scorer(["rouge0"])
    with pytest.raises(harness.InputError, match="unit"):
        harness.Scorer(unit="byte")
    with pytest.raises(harness.InputError, match="multiref"):
        harness.Scorer(multiref="worst")
    with pytest.raises(TypeError):
        harness.Scorer(["rouge1"], unit="char").score(target="猫", prediction=b"cat")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="2 targets but 1 predictions"):
        harness.Scorer(["rouge1"], unit="char").score_many(targets=["a", "b"], predictions=["a"])


def _shipped_pairs() -> list[tuple[str, str]]:
    refs = sorted((REPO / "references" / "ai-open-source").glob("*.txt"))
    cands = sorted((REPO / "candidates").glob("*/ai-open-source.txt"))
    return [(r.read_text(encoding="utf-8"), c.read_text(encoding="utf-8")) for r in refs for c in cands]


def test_score_many_equals_rouge_score_on_every_shipped_pair(ind):
    # rouge-score's RougeScorer on the independent tokenizer's tokens (conftest's ind.rouge_score).
    pairs = _shipped_pairs()
    assert len(pairs) == 21
    oracle = ind.rouge_score(METRICS)
    got = harness.Scorer(METRICS).score_many(targets=[r for r, _ in pairs], predictions=[c for _, c in pairs])
    for (ref, cand), ours in zip(pairs, got, strict=True):
        theirs = oracle(ref, cand)
        for m in METRICS:
            assert tuple(ours[m]) == pytest.approx(tuple(theirs[m]), abs=1e-15), m


def test_scorer_signature_names_the_settings_without_corpus_counts():
    sig = harness.Scorer(["rouge1", "rougeL"], unit="char").signature
    assert sig.startswith("unit:char|tok:char-v1|")
    assert "|metrics:rouge1,rougeL|multiref:best|rouge:0.1.2|" in sig
    assert "docs:" not in sig and "refs:" not in sig


def _shard(pairs: list[tuple[str, str]]) -> list[tuple[float, float, float]]:
    scorer = harness.Scorer(["rougeL"], unit="char")
    return [tuple(s["rougeL"]) for s in scorer.score_many(targets=[r for r, _ in pairs], predictions=[c for _, c in pairs])]


def test_score_many_over_a_process_pool_of_shards_equals_one_process():
    # Scoring is a pure map over pairs: shards scored in a pool (the shape of a Spark or Ray map,
    # shown in the README) give exactly the numbers of one scorer over all pairs.
    pairs = _shipped_pairs()
    shards = [pairs[i::3] for i in range(3)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_shard, shards))
    merged = [None] * len(pairs)
    for i, shard_result in enumerate(results):
        merged[i::3] = shard_result
    assert merged == _shard(pairs)


# ------------------------------------------------------------------------------ evaluate, check


def test_evaluate_an_in_memory_corpus():
    # Char unit. d1: ref 猫吃鱼; a says 猫吃鱼 (all 1), b says 猫 (rougeL P 1, R 1/3, F 1/2).
    # d2: ref 狗跑了; a says 狗跑 (LCS 2: P 1, R 2/3, F 4/5); b has no summary: 0, with a warning.
    corpus = harness.Corpus.from_texts({"d1": "猫吃鱼", "d2": ["狗跑了"]}, {"a": {"d1": "猫吃鱼", "d2": "狗跑"}, "b": {"d1": "猫"}})
    ev = harness.evaluate(corpus, harness.Settings(metrics=("rougeL",), unit="char"))
    assert [s.name for s in ev.systems] == ["a", "b"]
    a, b = ev.systems
    assert a.scores["rougeL"].fmeasure == pytest.approx((1 + 4 / 5) / 2, abs=1e-15)
    assert b.scores["rougeL"].fmeasure == pytest.approx((1 / 2 + 0) / 2, abs=1e-15)
    assert ev.warnings == ["system 'b': no summary for document 'd2'; scored 0"]
    assert "|docs:2|refs:2|" in ev.signature


def test_corpus_from_texts_lists_every_problem():
    with pytest.raises(harness.InputError) as err:
        harness.Corpus.from_texts({"d1": [], "d2": "x"}, {"s": {"d3": "y"}}, offtopic={"d9": "z"})
    assert str(err.value) == (
        "3 problems:\n  document 'd1': no references\n  system 's': summary for unknown document 'd3'\n"
        "  off-topic text for unknown document 'd9'"
    )


def test_check_returns_the_verdict_without_printing(capsys):
    corpus = harness.Corpus.from_texts({"d": "猫吃鱼"}, {"s": {"d": "猫吃鱼"}})
    settings = harness.Settings(metrics=("rouge1",), unit="char")
    before = harness.evaluate(corpus, settings)
    worse = harness.evaluate(harness.Corpus.from_texts({"d": "猫吃鱼"}, {"s": {"d": "猫"}}), settings)
    from harness.render.table import to_json_obj

    verdict = harness.check(to_json_obj(before), worse, tolerance=0.1)
    # rouge1 F fell from 1 to 1/2 (P 1, R 1/3): a drop of 0.5 > 0.1.
    assert not verdict.passed
    assert [(r.system, r.status) for r in verdict.rows] == [("s", "regressed")]
    assert verdict.rows[0].delta == pytest.approx(-0.5, abs=1e-15)
    assert harness.check(to_json_obj(before), before).passed
    other = harness.evaluate(corpus, harness.Settings(metrics=("rouge1",), unit="word"))
    with pytest.raises(harness.SignatureMismatch):
        harness.check(to_json_obj(before), other)
    assert capsys.readouterr() == ("", "")


# ------------------------------------------------------------------------------ --jobs


def _many_documents(root: Path, n: int) -> None:
    """n documents made from the shipped corpus by rotating each text's lines (all distinct)."""

    def rotate(text: str, k: int) -> str:
        lines = [line for line in text.splitlines() if line.strip()]
        k %= len(lines)
        return "\n".join(lines[k:] + lines[:k]) + f"\n第{k}篇"

    for ref in (REPO / "references" / "ai-open-source").glob("*.txt"):
        for i in range(n):
            (root / "references" / f"d{i:02d}").mkdir(parents=True, exist_ok=True)
            (root / "references" / f"d{i:02d}" / ref.name).write_text(rotate(ref.read_text(encoding="utf-8"), i), encoding="utf-8")
    for cand in (REPO / "candidates").glob("*/ai-open-source.txt"):
        for i in range(n):
            if (i + len(cand.parent.name)) % 5:  # some documents missing: warnings in the output too
                (root / "candidates" / cand.parent.name).mkdir(parents=True, exist_ok=True)
                (root / "candidates" / cand.parent.name / f"d{i:02d}.txt").write_text(rotate(cand.read_text(encoding="utf-8"), i), encoding="utf-8")
    (root / "offtopic").mkdir()
    for i in range(n):
        (root / "offtopic" / f"d{i:02d}.txt").write_text((REPO / "offtopic" / "ai-open-source.txt").read_text(encoding="utf-8"), encoding="utf-8")


def test_jobs_2_and_jobs_1_give_byte_identical_output(tmp_path, cli_run, monkeypatch):
    _many_documents(tmp_path, 12)
    # --jobs is capped at the usable cores (with a warning); three processes must run even on a
    # 2-core machine, so the cap is lifted here.
    monkeypatch.setattr("harness.cli.options.usable_cores", lambda: 3)
    outputs = {}
    for jobs in ("1", "2", "3"):
        result = cli_run("score", "--no-config", "--format", "json", "--jobs", jobs)
        assert result.exit_code == 0, result.stderr
        outputs[jobs] = (result.stdout, result.stderr)
    assert outputs["1"] == outputs["2"] == outputs["3"]
    data = json.loads(outputs["1"][0])
    assert len(data["systems"]) == 7 and all(len(s["documents"]) == 12 for s in data["systems"])
    assert "no candidate for " in outputs["1"][1]


def test_jobs_in_config_and_validation(tmp_path, cli_run, cli_corpus):
    (tmp_path / "pyproject.toml").write_text("[tool.harness]\njobs = -1\n", encoding="utf-8")
    result = cli_run("score")
    assert result.exit_code == 2 and "'jobs' must be a finite number, zero or more" in result.stderr
    (tmp_path / "pyproject.toml").write_text("[tool.harness]\njobs = 2\n", encoding="utf-8")
    assert cli_run("score").exit_code == 0


def test_the_readme_example_prints_what_the_readme_shows():
    # The README's first Python block, run as a user would in a clone, must print the text block
    # under it (the expected values there were worked out by hand where small: 谷歌 没有 护城河
    # against 谷歌 和 openai 都 没有 护城河 is P 3/3, R 3/6, F 2/3).
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## From Python", 1)[1]
    code, shown = re.search(r"```python\n(.*?)```\n\n```text\n(.*?)```", section, re.S).groups()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout == shown


def test_progress_bar_only_on_a_terminal_and_only_for_long_runs(monkeypatch, capsys):
    import io

    from harness.cli import progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    # A pipe (capsys's stderr is not a terminal): nothing is drawn, however long the run.
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0.0)
    with progress.progress_bar(10) as advance:
        advance(10)
    assert capsys.readouterr().err == ""
    # A terminal, and a run past the threshold: the bar shows the documents done.
    screen = Terminal()
    monkeypatch.setattr(progress.sys, "stderr", screen)
    with progress.progress_bar(10, label="scoring") as advance:
        advance(4)
        advance(6)
    drawn = screen.getvalue()
    assert "scoring" in drawn and " 40%" in drawn and "100%" in drawn  # 4 of 10, then 10 of 10
    # A terminal, but a short run: nothing.
    quiet = Terminal()
    monkeypatch.setattr(progress.sys, "stderr", quiet)
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 3600.0)
    with progress.progress_bar(10) as advance:
        advance(10)
    assert quiet.getvalue() == ""


def test_an_interrupt_during_a_parallel_run_stops_the_workers(tmp_path):
    # Ctrl-C reaches the parent as KeyboardInterrupt (the workers ignore SIGINT); raised here from
    # the progress callback, i.e. while the pool is running. The pool must be gone afterwards.
    import multiprocessing

    _many_documents(tmp_path, 8)
    corpus = harness.load_corpus(tmp_path / "references", tmp_path / "candidates")

    def interrupt(_n: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        harness.evaluate(corpus, harness.Settings(unit="char"), jobs=2, progress=interrupt)
    assert multiprocessing.active_children() == []


def test_json_in_pieces_is_the_same_bytes_as_the_whole(tmp_path):
    # The command writes large JSON one system at a time; json.dumps of the whole object is the
    # independent rendering it must equal, byte for byte (several systems, one, none).
    from dataclasses import replace

    from harness.render.table import dumps_json, json_pieces, to_json_obj

    _many_documents(tmp_path, 3)
    ev = harness.evaluate(harness.load_corpus(tmp_path / "references", tmp_path / "candidates", offtopic=tmp_path / "offtopic"))
    for case in (ev, replace(ev, systems=ev.systems[:1]), replace(ev, systems=[])):
        pieces = list(json_pieces(case))
        assert "".join(pieces) == dumps_json(to_json_obj(case))
        assert len(pieces) == len(case.systems) + 2 if case.systems else len(pieces) == 1


def test_compact_json_in_pieces_is_the_c_encoders_text_of_the_whole(tmp_path):
    # Into files the contract is compact, its per-document scores written from the results' numbers
    # with a format string: json.dumps (C encoder) of the whole object is the independent rendering
    # it must equal, byte for byte: with the off-topic analysis's keys, --baselines rows (their own
    # key after the documents), bootstrap intervals, names with quotes, '%' and line separators, one
    # metric or four; and a result whose metrics are in another order takes the dicts' way.
    from dataclasses import replace

    from harness.render.table import dumps_json, json_pieces, to_json_obj
    from harness.results.model import DocumentResult
    from harness.stats.bootstrap import add_intervals
    from harness.stats.resampling import Resampling

    _many_documents(tmp_path, 3)
    corpus = harness.load_corpus(tmp_path / "references", tmp_path / "candidates", offtopic=tmp_path / "offtopic")
    corpus.sources.update({d: (REPO / "sources" / "ai-open-source.txt").read_text(encoding="utf-8") for d in corpus.documents})
    ev = harness.evaluate(corpus, baselines="lead-3")
    odd = harness.Corpus.from_texts({'d"%s\u2028': "猫吃鱼", "d%r": "狗吃肉"}, {'s"%d': {'d"%s\u2028': "猫吃", "d%r": "狗"}})
    small = harness.evaluate(odd, harness.Settings(metrics=("rouge1",), unit="char"))
    system = ev.systems[0]
    doc, result = next(iter(system.documents.items()))
    reordered = DocumentResult({m: result.score(m) for m in reversed(ev.metrics)}, result.per_reference, result.analyses)
    shuffled = replace(system, documents={**system.documents, doc: reordered})
    cases = [ev, add_intervals(ev, Resampling(200, 0.95, 7)), small, replace(ev, systems=[shuffled]), replace(ev, systems=[])]
    assert any(s.baseline for s in ev.systems) and any(s.measured("offtopic") for s in ev.systems)
    for case in cases:
        expected = json.dumps(to_json_obj(case), ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
        assert "".join(json_pieces(case, indent=False)) == dumps_json(case, indent=False) == expected


def test_corpus_means_are_those_of_the_scores_one_by_one():
    # aggregate's means come from the results' kept numbers by column: the same as mean_score (math.fsum)
    # over each result's Score, the definition, also when one result holds its metrics in another order.
    import random

    from harness.results.model import DocumentResult
    from harness.rouge.multiref import mean_score
    from harness.rouge.scoring import Score
    from harness.run.pipeline import _means

    rng = random.Random(3)
    metrics = ("rouge1", "rouge2", "rougeL")

    def result(order: tuple[str, ...]) -> DocumentResult:
        scores = {m: Score(rng.random(), rng.random(), rng.random()) for m in order}
        return DocumentResult(scores, {"r": scores})

    for results in ([result(metrics) for _ in range(500)], [result(metrics), result(metrics[::-1])], []):
        expected = {m: mean_score([r.score(m) for r in results]) for m in metrics}
        assert _means(results, metrics) == expected


def test_json_pieces_keep_names_with_unicode_line_separators():
    # U+2028, U+2029 and U+0085 stay raw in JSON written with ensure_ascii=False; the pieces must
    # not treat them as line breaks (json.dumps of the whole object is the independent rendering).
    from harness.render.table import dumps_json, json_pieces, to_json_obj

    names = ["a\u2028b", "x\x85y", "p\u2029q"]
    corpus = harness.Corpus.from_texts({"d\u20281": "猫吃鱼"}, {n: {"d\u20281": "猫吃鱼"} for n in names})
    ev = harness.evaluate(corpus, harness.Settings(metrics=("rouge1",), unit="char"))
    assert "".join(json_pieces(ev)) == dumps_json(to_json_obj(ev))
    assert sorted(s["name"] for s in json.loads("".join(json_pieces(ev)))["systems"]) == sorted(names)


def test_corpus_from_texts_refuses_lone_surrogates():
    # Files are decoded strictly, so only texts handed in from Python can hold one; OpenCC and
    # UTF-8 cannot, so it is refused up front instead of failing deep in scoring.
    with pytest.raises(harness.InputError, match="lone surrogate"):
        harness.Corpus.from_texts({"a": "开源模型\ud800很便宜。"}, {"x": {"a": "开源模型"}})
