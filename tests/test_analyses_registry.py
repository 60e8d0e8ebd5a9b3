"""The per-document analysis interface: a toy analysis defined here, registered with one line,
appears in the pipeline (one and two processes), the JSON contract, the table, the HTML report,
explain and the gate's values, with no other change anywhere."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest

from harness.analyses import registry
from harness.analyses.base import Column, DocumentAnalysis, DocumentInputs, HeatColumn, Mark, Summary
from harness.gate.verdict import analysis_values
from harness.inputs.corpus import Corpus
from harness.render import table
from harness.render.explain import explain, render
from harness.render.html import render_html
from harness.results.contract import dumps_json, to_json_obj, validate
from harness.rouge.settings import Settings
from harness.run.pipeline import evaluate


class Exclaims(DocumentAnalysis[int, int]):
    """Counts the summary's tokens that are 啊 (after the harness's tokenization), marks them, and
    offers the per-system mean as a gate value; runs on every document."""

    name = "exclaims"
    marks = (Mark("toy", ("<", ">"), "\x1b[33m", "an exclamation"),)

    def prepare(self, doc: DocumentInputs) -> int:
        return len(doc.references)  # anything per document: here the number of references

    def measure(self, prepared: int, summary: Summary) -> int:
        return summary.analysis.tokens.count("啊")

    def missing(self, prepared: int) -> int:
        return 0

    def notes(self, prepared: int, summary: Summary, result: int) -> list[str]:
        return [f"{result} exclamations"] if result > 1 else []

    def drill(self, prepared: int, summary: Summary, result: int | None) -> dict[str, Any]:
        return {"toy": [i for i, t in enumerate(summary.analysis.tokens) if t == "啊"]}

    def explain(self, result: int | None) -> list[str]:
        return [f"exclamations: {result}"]

    def aggregate(self, results: Mapping[str, int]) -> float | None:
        return math.fsum(results.values()) / len(results) if results else None

    def to_json(self, results: Mapping[str, int], *, per_document: bool = True) -> dict[str, Any]:
        return {"exclaims": dict(results)} if per_document else {}

    def validate(self, entry: Mapping[str, Any], fail: Callable[[str, str], Exception]) -> None:
        if not all(isinstance(v, int) for v in entry.get("exclaims", {}).values()):
            raise fail(".exclaims", "must hold whole numbers")

    def columns(self, systems: Sequence[Mapping[str, int]]) -> list[Column]:
        return [Column("啊", [f"{self.aggregate(s):.1f}" for s in systems])]

    def heat(self, systems: Sequence[Mapping[str, int]]) -> list[HeatColumn]:
        n = len(systems)
        return [HeatColumn("啊!", [0.5] * n, ["x"] * n, [None] * n, 60, "Toy: exclamations.")]

    def ranking(self, systems: Sequence[Mapping[str, int]]) -> list[Column]:
        return [Column("啊 per summary", [f"{self.aggregate(s):.2f}" for s in systems])]

    def gate_values(self, entry: Mapping[str, Any]) -> dict[str, float]:
        found = entry.get("exclaims", {})
        return {"exclaims": sum(found.values()) / len(found)} if found else {}

    def signature(self, documents_with_input: int, settings: Settings, options: Mapping[str, Any]) -> dict[str, str]:
        return {"toy": str(documents_with_input)}


@pytest.fixture
def toy():
    registry.register(Exclaims())  # the one registration line
    yield
    registry.unregister("exclaims")


def _corpus() -> Corpus:
    # Hand-counted: jieba cuts 好啊，好啊，好啊 into 好/啊/好/啊/好/啊 (3 x 啊, punctuation dropped);
    # 开源模型 has none; system b has no summary of d2 (missing: 0).
    return Corpus.from_texts(
        {"d1": ["开源模型很好"], "d2": ["大厂的困境"]},
        {"a": {"d1": "好啊，好啊，好啊", "d2": "开源模型"}, "b": {"d1": "开源模型啊"}},
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_toy_analysis_runs_through_every_stage(toy, jobs):
    ev = evaluate(_corpus(), Settings(metrics=("rouge1",)), jobs=jobs)
    by_name = {s.name: s for s in ev.systems}
    assert by_name["a"].measured("exclaims") == {"d1": 3, "d2": 0}
    assert by_name["b"].measured("exclaims") == {"d1": 1, "d2": 0}  # d2 missing: `missing` gives 0
    assert by_name["a"].summary("exclaims") == 1.5  # (3 + 0) / 2
    assert "system 'a', document 'd1': 3 exclamations" in ev.warnings
    assert ev.signature.endswith("|toy:2")  # unknown fields go last, in name order

    obj = to_json_obj(ev)
    entry = {s["name"]: s for s in obj["systems"]}["a"]
    assert entry["exclaims"] == {"d1": 3, "d2": 0}
    assert analysis_values(entry) == {"exclaims": 1.5}
    validate(__import__("pathlib").Path("b.json"), json.loads(dumps_json(obj)))
    entry["exclaims"]["d1"] = "three"
    with pytest.raises(Exception, match=r"b.json: systems\[\d\].exclaims must hold whole numbers"):
        validate(__import__("pathlib").Path("b.json"), obj)

    text = table.render(ev)
    header = text.splitlines()[0]
    assert header.split()[-1] == "啊"  # the toy's column after the ROUGE columns
    rows = {line.split()[0]: line.split()[-1] for line in text.splitlines()[2:4]}
    assert rows == {"a": "1.5", "b": "0.5"}

    page = render_html(ev)
    assert "<th>啊!</th>" in page and "Toy: exclamations." in page
    # In the first screen's ranked table too (a 1.5 by hand above; b: 1 in d1, 0 for its missing d2).
    ranked = page.split('id="ranked"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="col">啊 per summary</th>' in ranked
    assert '<td class="name"><bdi>a</bdi></td>' in ranked and "<td>1.50</td>" in ranked and "<td>0.50</td>" in ranked


def test_toy_analysis_marks_tokens_in_explain(toy):
    ex = explain(_corpus(), Settings(), "a", "d1")
    text = render(ex)
    # Every 啊 marked by the toy's plain marker; the reference 开源模型很好 (开源/模型/很/好) has one 好,
    # so only the first 好 is a (clipped) match.
    assert "[好] <啊> 好 <啊> 好 <啊>" in text
    assert "<token>: an exclamation" in text and "exclamations: 3" in text


def test_without_registration_nothing_of_it_appears():
    ev = evaluate(_corpus(), Settings(metrics=("rouge1",)))
    assert "exclaims" not in dumps_json(to_json_obj(ev)) and "toy:" not in ev.signature
    assert [a.name for a in registry.registered()] == ["conventions", "offtopic", "stats", "themes", "facts"]


def test_a_documents_results_keep_the_systems_order_when_one_has_no_summary(toy):
    # By construction: three systems, the middle one without a summary of the document. The
    # analyses run once every pair is scored (harness.run.document), and the results still come in
    # the candidates' order, each present summary with its analysis's value: 好啊，好啊 has two 啊
    # (jieba: 好/啊/好/啊), 开源模型 none.
    from harness.run.document import score_document
    from harness.run.processors import Processors

    got = score_document("d1", {"r": "开源模型很好"}, {"a": "好啊，好啊", "b": None, "c": "开源模型"}, None,
                         Processors(Settings(metrics=("rouge1",))))
    assert list(got.results) == ["a", "b", "c"]
    assert {name: r.analyses["exclaims"] for name, r in got.results.items()} == {"a": 2, "b": 0, "c": 0}
    assert list(got.by_system) == ["a"]  # the only system with a note (its exclamations)


def test_summaries_analysed_in_batches_give_the_same_document_scores(toy, monkeypatch):
    # The oracle is the other way: with a bound of one character every summary's analyses run on
    # their own, right after its pairs (as before the fourteenth round), which must change nothing.
    # The toy notes more than one 啊: a has two, d three (好/啊 three times), c none.
    from harness.run import document
    from harness.run.processors import Processors

    def run():
        return document.score_document(
            "d1", {"r": "开源模型很好"}, {"a": "好啊，好啊", "b": None, "c": "开源模型", "d": "好啊好啊好啊"}, None,
            Processors(Settings(metrics=("rouge1",))))

    together = run()
    monkeypatch.setattr(document, "_WAITING_CHARS", 1)
    alone = run()
    assert list(alone.results) == list(together.results) == ["a", "b", "c", "d"]
    assert {s: (r.analyses, r.scores) for s, r in alone.results.items()} == {
        s: (r.analyses, r.scores) for s, r in together.results.items()}
    assert alone.by_system == together.by_system and list(alone.by_system) == ["a", "d"]
