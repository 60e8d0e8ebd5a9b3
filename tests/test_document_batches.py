"""Documents scored in batches (harness.run.document.score_batched): a batch's pairs are scored first,
then each document's analyses, and a document read wholly from the cache has its analyses run at
once. The results must be those of scoring each document on its own (`score_document`, the path
every run took before batches, and which `harness explain` still takes).

Texts written for these tests: a source with figures and names, off-topic text pasted into it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest

from harness.inputs.corpus import Corpus
from harness.results.contract import to_json_obj
from harness.rouge.settings import Settings
from harness.run import document, pipeline
from harness.run.document import DocumentScores, DocumentTexts, score_document
from harness.run.processors import Processors

SETTINGS = Settings(metrics=("rouge1", "rougeL"))
SOURCE = "2021年星河公司营收为3.2亿元，员工1200人。\n比特币价格为6万美元。\n星河公司由李明创办。\n"
NOISE = "比特币价格为6万美元。"


def _corpus(docs: int = 5, edited: str = "") -> Corpus:
    """`docs` documents alike but for their number; system "c" lacks a summary of the second one;
    `edited` is added to system "b"'s summaries of the even documents (a partly new run)."""
    ids = [f"d{i}" for i in range(docs)]
    references = {d: [f"星河公司2021年营收3.2亿元，员工1200人，第{i}份。"] for i, d in enumerate(ids)}
    candidates: dict[str, dict[str, str | None]] = {
        "a": {d: f"星河公司营收3.2亿元，员工1200人。第{i}份。" for i, d in enumerate(ids)},
        "b": {d: f"星河公司营收32亿元，比特币价格为6万美元。第{i}份。{edited if i % 2 == 0 else ''}" for i, d in enumerate(ids)},
        "c": {d: (None if i == 1 else f"李明创办的星河公司有员工1200人。{i}") for i, d in enumerate(ids)},
    }
    return Corpus.from_texts(references, candidates, sources={d: SOURCE for d in ids}, offtopic={d: NOISE for d in ids})


def _one_by_one(processors: Processors, documents: Iterable[DocumentTexts]) -> Iterator[DocumentScores]:
    """Each document scored on its own, analyses and all, before the next is started."""
    for doc, references, candidates, offtopic, source, themes in documents:
        yield score_document(doc, references, candidates, offtopic, processors, source, themes=themes)


@pytest.fixture
def small_batches(monkeypatch):
    # Batches of two documents, so that five documents make batches with a document left over.
    monkeypatch.setattr(document, "_BATCH_DOCUMENTS", 2)


def test_batches_give_each_documents_own_results(small_batches, monkeypatch, tmp_path):
    # The contract of runs with batches against the same runs with every document on its own (the
    # independent way): without a cache (every document waits for its batch), and with one, cold,
    # warm (every document's analyses at once) and partly new (the odd documents from the cache).
    def runs() -> list[dict]:
        cache = tmp_path / "cache.sqlite"
        cache.unlink(missing_ok=True)
        return [to_json_obj(pipeline.evaluate(_corpus(), SETTINGS)),
                to_json_obj(pipeline.evaluate(_corpus(), SETTINGS, cache=cache)),
                to_json_obj(pipeline.evaluate(_corpus(), SETTINGS, cache=cache)),
                to_json_obj(pipeline.evaluate(_corpus(edited="另外一句。"), SETTINGS, cache=cache))]

    batched = runs()
    monkeypatch.setattr(pipeline, "score_batched", _one_by_one)
    alone = runs()
    assert batched == alone
    # The analyses ran: b's 6万美元 is only in the off-topic text, and 32亿元 is in no text (the source has 3.2亿元).
    b = batched[0]["systems"][1]
    assert b["name"] == "b"
    for found in b["facts_documents"].values():
        assert [(f["text"], f["status"]) for f in found["figures"]] == [("32亿元", "unsupported"), ("6万美元", "offtopic")]


def test_a_batch_scores_its_documents_before_their_analyses(monkeypatch, tmp_path):
    # The order of starts (pairs scored) and finishes (analyses run), by document: cold, in batches of
    # three; warm, each document finished before the next is started; partly new, a document read from
    # the cache (the odd ones) first finishes the documents waiting before it.
    monkeypatch.setattr(document, "_BATCH_DOCUMENTS", 3)
    steps: list[str] = []
    start, finish = document.start_document, document.finish_document

    def started(doc, *args, **kwargs):
        steps.append(f"S{doc[1:]}")
        return start(doc, *args, **kwargs)

    def finished(pending):
        steps.append(f"F{pending.doc[1:]}")
        return finish(pending)

    monkeypatch.setattr(document, "start_document", started)
    monkeypatch.setattr(document, "finish_document", finished)
    cache = tmp_path / "cache.sqlite"
    found = []
    for corpus in (_corpus(), _corpus(), _corpus(edited="另外一句。")):
        steps.clear()
        pipeline.evaluate(corpus, SETTINGS, cache=cache)
        found.append(" ".join(steps))
    assert found == ["S0 S1 S2 F0 F1 F2 S3 S4 F3 F4",
                     "S0 F0 S1 F1 S2 F2 S3 F3 S4 F4",
                     "S0 S1 F0 F1 S2 S3 F2 F3 S4 F4"]


def test_a_batch_counts_the_sources_characters(monkeypatch, tmp_path):
    # A waiting document holds its analyses' readings of its source, so the source counts towards a
    # batch's characters. The bound is set to one document's texts with its source (by hand: the
    # characters of d0's reference and three summaries, plus the source's): each document then fills a
    # batch alone, but d1, which lacks system c's summary of 19 characters (its off-topic text adds back
    # 11), waits for d2; without the source every document would wait for the next.
    corpus = _corpus()
    own = sum(map(len, corpus.references["d0"].values())) + sum(len(corpus.candidates[s]["d0"] or "") for s in "abc")
    monkeypatch.setattr(document, "_BATCH_CHARS", own + len(SOURCE))
    steps: list[str] = []
    start, finish = document.start_document, document.finish_document
    monkeypatch.setattr(document, "start_document", lambda doc, *a, **k: steps.append(f"S{doc[1:]}") or start(doc, *a, **k))
    monkeypatch.setattr(document, "finish_document", lambda p: steps.append(f"F{p.doc[1:]}") or finish(p))
    pipeline.evaluate(corpus, SETTINGS, cache=tmp_path / "cache.sqlite")
    assert " ".join(steps) == "S0 F0 S1 S2 F1 F2 S3 F3 S4 F4"
