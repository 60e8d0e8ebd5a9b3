"""Results the cache holds, read by the main process as it hands documents out (harness.run.answers):
a warm `--jobs` run's facts results are read there, not by a worker that would send them, and the
evaluation, its JSON and its warnings are those of a run with one process and no cache.

Texts written for these tests (as tests/test_facts_pipeline.py's). Source of each document:
2021年公司营收为3.2亿元，员工1200人。 with the off-topic line 比特币价格为6万美元。 By hand: summary
`good` states 2021年, 3.2亿元 and 1200人, all in the source; `bad` states 32亿元 (in neither:
unsupported) and 6万美元 (only in the off-topic text), so each of its documents has a facts warning.
"""

from __future__ import annotations

import pytest

from harness.analyses import registry
from harness.analyses.base import DocumentAnalysis
from harness.analyses.facts.analysis import Facts
from harness.inputs.corpus import Corpus
from harness.render import table
from harness.results.contract import dumps_json, to_json_obj
from harness.rouge.settings import Settings
from harness.run.answers import Answers
from harness.run.cache_keys import text_key
from harness.run.document import Job, score_document
from harness.run.pipeline import evaluate
from harness.run.processors import Processors

SOURCE = "2021年公司营收为3.2亿元，员工1200人。\n比特币价格为6万美元。\n"
NOISE = "比特币价格为6万美元。"
GOOD = "2021年公司营收3.2亿元，员工1200人。"
BAD = "公司营收32亿元，价格为6万美元。"
DOCS = ("d1", "d2", "d3")
TAIL = {"d1": "总体如此。", "d2": "情况如此。", "d3": "大致如此。"}  # bad's summaries differ from document to document
SETTINGS = Settings(metrics=("rouge1", "rougeL"))


def _corpus(summaries: dict[str, dict[str, str]] | None = None) -> Corpus:
    found = summaries or {"good": dict.fromkeys(DOCS, GOOD), "bad": {d: BAD + TAIL[d] for d in DOCS}}
    return Corpus.from_texts({d: ["公司2021年营收3.2亿元。"] for d in DOCS}, found,
                             sources=dict.fromkeys(DOCS, SOURCE), offtopic=dict.fromkeys(DOCS, NOISE))


def _job(corpus: Corpus, cache, baselines: tuple[str, ...] = ()) -> Job:
    return Job(corpus, SETTINGS, cache, baselines, {}, frozenset())


def test_a_warm_run_with_workers_reads_the_facts_results_in_the_main_process(tmp_path, monkeypatch):
    cache = tmp_path / "c.sqlite"
    alone = evaluate(_corpus(), SETTINGS)  # one process, no cache: what every run must give
    cold = evaluate(_corpus(), SETTINGS, jobs=2, cache=cache)

    # On the warm run a worker that measures facts fails the run (the workers are forked after this
    # patch): every document's results must come from the main process's reading.
    def refuse(*_args, **_kwargs):
        raise AssertionError("a worker measured facts on a warm run")

    monkeypatch.setattr(Facts, "measure", refuse)
    warm = evaluate(_corpus(), SETTINGS, jobs=2, cache=cache)
    assert to_json_obj(warm) == to_json_obj(cold) == to_json_obj(alone)
    assert warm.warnings == cold.warnings == alone.warnings
    # By hand: bad has 32亿元 unsupported and 6万美元 off-topic in each of its three documents.
    assert [w for w in warm.warnings if "figures or names" in w] == [
        "system 'bad': 3 of 3 documents: 1 figures or names not in the source, e.g. 32亿元 ('d1', 'd2', 'd3')",
        "system 'bad': 3 of 3 documents: 1 figures or names only in the off-topic text, e.g. 6万美元 ('d1', 'd2', 'd3')",
    ]
    facts = {s.name: s.documents["d2"].analyses["facts"] for s in warm.systems}
    assert (facts["good"].supported, facts["bad"].unsupported, facts["bad"].offtopic) == (3, 1, 1)


def _read(job: Job) -> tuple[dict, dict | None]:
    """What `Answers` reads for the whole of `job` handed out as one chunk: the answers, and what goes with it."""
    answers = Answers(job)
    given = answers.given(list(job.corpus.documents))
    answers.close()
    return dict(answers.answered), given


def test_what_is_answered_and_what_is_not(tmp_path):
    cache = tmp_path / "c.sqlite"
    assert _read(_job(_corpus(), cache)) == ({}, None)  # a cold run: nothing to read
    evaluate(_corpus(), SETTINGS, cache=cache)
    answers, given = _read(_job(_corpus(), cache))
    assert given is not None and sorted(given) == sorted(answers) == list(DOCS)
    # Each answer is the result a worker would give, with its notes: here those of one process, no cache.
    alone = {s.name: s.documents for s in evaluate(_corpus(), SETTINGS).systems}
    for doc, (name, results) in answers.items():
        assert name == "facts" and sorted(results) == ["bad", "good"]
        for system, (result, notes) in results.items():
            assert result == alone[system][doc].analyses["facts"]
            assert len(notes) == (2 if system == "bad" else 0)
    # The keys that go with a document are the ones a worker would make, references first.
    namespace = Processors(SETTINGS).namespace
    for doc in DOCS:
        texts = ["公司2021年营收3.2亿元。", BAD + TAIL[doc], GOOD]  # (the summaries by system name: bad, good)
        assert given[doc] == ("facts", tuple(text_key(namespace, t) for t in texts))

    # A summary the cache has no result for: its document is not answered, the others are; when it is
    # the first document's, none is asked (a run that changed a system changed it on every document).
    for doc, answered in (("d2", ["d1", "d3"]), ("d1", [])):
        summaries = {"good": dict.fromkeys(DOCS, GOOD), "bad": {d: BAD + TAIL[d] for d in DOCS}}
        summaries["good"][doc] = GOOD + "另有说明。"
        answers, given = _read(_job(_corpus(summaries), cache))
        assert sorted(answers) == sorted(given or {}) == answered
    # With --baselines the workers make rows that are summaries too: nothing is read here.
    assert _read(_job(_corpus(), cache, baselines=("lead-1",))) == ({}, None)
    assert _read(_job(_corpus(), None)) == ({}, None)


def test_without_an_analysis_that_can_answer_nothing_is_read(tmp_path, monkeypatch):
    # --no-facts: no analysis that runs can answer, so not even the first document is read (a run
    # without facts costs what it did).
    import harness.run.answers as answers_module

    cache = tmp_path / "c.sqlite"
    evaluate(_corpus(), SETTINGS, cache=cache)

    def refuse(*_args, **_kwargs):
        raise AssertionError("the cache was read for a run none of whose analyses can answer")

    monkeypatch.setattr(answers_module, "Processors", refuse)
    assert _read(Job(_corpus(), SETTINGS, cache, (), {}, frozenset({"facts"}))) == ({}, None)


@pytest.mark.parametrize("settings", [SETTINGS, Settings(metrics=("rouge1",), unit="char"),
                                      Settings(metrics=("rouge1",), t2s=True)], ids=["word", "char", "t2s"])
def test_a_partly_warm_run_writes_what_one_process_writes(tmp_path, settings):
    # d1: two systems with the same summary; d2: a system without one; d3: no source (no facts);
    # d4: a summary changed after the first run. d1 and d2 are answered by the main process, d3 and d4
    # are not (the second read by a worker), and every output is that of one process without a cache.
    refs = {d: ["公司2021年营收3.2亿元。"] for d in ("d1", "d2", "d3", "d4")}
    first = {"good": dict.fromkeys(refs, GOOD), "twin": {"d1": GOOD, "d2": BAD, "d3": BAD, "d4": BAD},
             "bad": {d: BAD + TAIL.get(d, "") for d in refs}, "gap": {"d1": BAD, "d3": GOOD, "d4": GOOD}}
    sources, noise = dict.fromkeys(("d1", "d2", "d4"), SOURCE), dict.fromkeys(("d1", "d2", "d4"), NOISE)
    cache = tmp_path / "c.sqlite"
    evaluate(Corpus.from_texts(refs, first, sources=sources, offtopic=noise), settings, jobs=2, cache=cache)
    changed = {**first, "bad": {**first["bad"], "d4": BAD + "另有说明。"}}
    corpus = Corpus.from_texts(refs, changed, sources=sources, offtopic=noise)
    job = Job(corpus, settings, cache, (), {}, frozenset())
    assert sorted(_read(job)[0]) == ["d1", "d2"]
    warm = evaluate(corpus, settings, jobs=2, cache=cache)
    alone = evaluate(corpus, settings)
    assert dumps_json(warm) == dumps_json(alone)
    assert table.render(warm) == table.render(alone) and warm.warnings == alone.warnings
    assert "facts" not in warm.systems[0].documents["d3"].analyses  # (no source)
    assert {s.name for s in warm.systems if "facts" in s.documents["d2"].analyses} == {"good", "twin", "bad"}


def test_the_first_chunk_is_read_with_no_connection_left_open(tmp_path):
    # The first chunk is read before the workers are forked, and no SQLite connection may cross a
    # fork: the reading closes it (and opens it again for the next chunk).
    cache = tmp_path / "c.sqlite"
    evaluate(_corpus(), SETTINGS, cache=cache)
    answers = Answers(_job(_corpus(), cache))
    assert answers.given(["d1"]) is not None
    assert answers._processors is not None and answers._processors.cache._db is None
    assert answers.given(["d2", "d3"]) is not None and sorted(answers.answered) == list(DOCS)
    answers.close()


class _Toy(DocumentAnalysis[None, int]):
    name = "toy-after-facts"

    def prepare(self, doc):
        return None

    def measure(self, prepared, summary):
        return len(summary.text)

    def notes(self, prepared, summary, result):
        return ["toy note"]


@pytest.fixture
def toy():
    registry.register(_Toy())
    yield
    registry.unregister(_Toy.name)


def test_only_a_documents_last_analysis_is_asked(tmp_path, toy):
    # An analysis registered after facts runs last: facts' notes would no longer come last among a
    # summary's, where the merge puts them, so facts is not read ahead; the run is still that of one process.
    cache = tmp_path / "c.sqlite"
    evaluate(_corpus(), SETTINGS, cache=cache)
    assert _read(_job(_corpus(), cache)) == ({}, None)
    warm = evaluate(_corpus(), SETTINGS, jobs=2, cache=cache)
    alone = evaluate(_corpus(), SETTINGS)
    assert warm.warnings == alone.warnings and to_json_obj(warm) == to_json_obj(alone)
    assert any("toy note" in w for w in warm.warnings)


def test_a_worker_skips_the_analysis_answered_on_a_document():
    processors = Processors(SETTINGS)
    refs, summaries = {"r": "公司2021年营收3.2亿元。"}, {"good": GOOD, "bad": BAD}
    processors.given = {"d1": ("facts", ())}
    for doc, facts in (("d1", False), ("d2", True)):
        scored = score_document(doc, refs, summaries, NOISE, processors, SOURCE)
        assert ("facts" in scored.results["bad"].analyses) is facts
        assert "stats" in scored.results["bad"].analyses  # the other analyses run
        assert any("figures or names" in n for n in scored.by_system["bad"]) is facts


def test_a_document_takes_the_keys_given_with_it(tmp_path):
    # Keys given for a document's texts are the ones it looks them up by; keys of another number of
    # texts are not taken (each text hashed as without them).
    processors = Processors(SETTINGS, tmp_path / "c.sqlite")
    refs, summaries = {"r": "甲"}, {"a": "乙", "b": None, "c": "甲"}
    given = (b"1" * 16, b"2" * 16, b"1" * 16)
    processors.start(refs, summaries, given)
    assert processors.started_keys() == given and processors.key_of("乙") == b"2" * 16
    processors.start(refs, summaries, given[:2])
    assert processors.started_keys() == tuple(text_key(processors.namespace, t) for t in ("甲", "乙", "甲"))
