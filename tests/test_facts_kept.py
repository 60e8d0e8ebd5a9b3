"""A document's facts results in the persistent cache (harness.analyses.facts.kept): the entry's
bytes, and what a run reads and writes of it.

Texts written for these tests, as in tests/test_facts_pipeline.py. Source: 2021年公司营收为3.2亿元，
员工1200人。 with 比特币价格为6万美元。 pasted into it as off-topic text.
"""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import pytest

from harness.analyses.facts import analysis as facts_analysis
from harness.analyses.facts import kept
from harness.analyses.facts.kept import decode_result, pack, unpack
from harness.analyses.facts.output import documents_json
from harness.analyses.facts.result import FactItem, FactsResult
from harness.inputs.corpus import Corpus
from harness.results.contract import to_json_obj
from harness.results.jsontext import _raw_bytes
from harness.rouge.settings import Settings
from harness.run.pipeline import evaluate

SOURCE = "2021年公司营收为3.2亿元，员工1200人。\n比特币价格为6万美元。\n"
NOISE = "比特币价格为6万美元。"
GOOD = "2021年公司营收3.2亿元，员工1200人。"
BAD = "公司营收32亿元，价格为6万美元。"
THIRD = "公司员工1200人。"
SETTINGS = Settings(metrics=("rouge1",))

A, B, C, D = (bytes([n]) * 16 for n in b"abcd")


def _n(value: int) -> bytes:
    return value.to_bytes(4, "little")


def test_an_entry_holds_each_result_under_its_key_this_runs_first():
    # By hand: "F1", the count (3), each key with its result's length (a: 2, b: 0, c: 3), then the
    # results' bytes. c, which this run did not meet, comes after its results; the older result of
    # a is replaced by this run's.
    data = pack({A: b"R1", B: b""}, {C: b"xyz", A: b"old"})
    assert data == b"F1" + _n(3) + A + _n(2) + B + _n(0) + C + _n(3) + b"R1xyz"
    assert list(unpack(data).items()) == [(A, b"R1"), (B, b""), (C, b"xyz")]
    assert unpack(pack({})) == {} and pack({}) == b"F1" + _n(0)


def test_bytes_that_are_no_entry_read_as_none():
    data = pack({A: b"R1", B: b"xy"})
    twice = b"F1" + _n(2) + A + _n(1) + A + _n(1) + b"RR"  # the same key twice: not what pack writes
    for bad in (None, b"", b"F1", b"F1" + _n(1), data[:-1], data + b"x", b"F2" + data[2:],
                data[:2] + _n(3) + data[6:], data[:2] + _n(1) + data[6:], twice):
        assert unpack(bad) == {}, bad


def test_an_entry_keeps_the_results_it_did_not_meet_within_its_bounds(monkeypatch):
    monkeypatch.setattr(kept, "MAX_RESULTS", 3)
    monkeypatch.setattr(kept, "MAX_BYTES", 10)
    # By hand: a (4 bytes) is this run's; b makes 8 bytes; c would make 14 > 10, so it and every
    # older result after it (d, which would fit) are left out: the oldest go first.
    assert list(unpack(pack({A: b"aaaa"}, {B: b"bbbb", C: b"cccccc", D: b"d"}))) == [A, B]
    # This run's results are all kept however many; older ones only while fewer than 3 are kept.
    assert list(unpack(pack({A: b"a", B: b"b", C: b"c"}, {D: b"d"}))) == [A, B, C]
    assert list(unpack(pack({A: b"a", B: b"b"}, {D: b"d", C: b"c"}))) == [A, B, D]


def _corpus(**systems: str) -> Corpus:
    return Corpus.from_texts({"d": ["公司2021年营收3.2亿元。"]}, {name: {"d": text} for name, text in systems.items()},
                             sources={"d": SOURCE}, offtopic={"d": NOISE})


def _entries(cache: Path) -> list[tuple[bytes, bytes]]:
    """The cache's facts entries (key, value): the values that start as `pack` writes them."""
    db = sqlite3.connect(cache)
    try:
        return [(bytes(k), bytes(v)) for k, v in db.execute("SELECT key, value FROM analyses") if bytes(v)[:2] == b"F1"]
    finally:
        db.close()


def _rewrite(cache: Path, key: bytes, value: bytes) -> None:
    """Replace an entry's value, with the CRC-32 of key and value the cache checks (as harness.run.cache
    computes it: zlib's CRC-32 of the value, started from that of the key), so only its bytes are wrong."""
    db = sqlite3.connect(cache)
    db.execute("UPDATE analyses SET value = ?, crc = ? WHERE key = ?", (value, zlib.crc32(value, zlib.crc32(key)), key))
    db.commit()
    db.close()


@pytest.fixture
def queries(monkeypatch) -> list[bytes]:
    """The keys of the cache's single-key queries (`Cache._row`'s, not a prefetch's) in what follows."""
    from harness.run.cache import Cache

    found: list[bytes] = []
    fetch = Cache._fetch_all

    def counting(self, sql, keys):
        if "key = ?" in sql:
            found.append(bytes(keys[0]))
        return fetch(self, sql, keys)

    monkeypatch.setattr(Cache, "_fetch_all", counting)
    return found


@pytest.fixture
def checked(monkeypatch) -> list[str]:
    """The summaries the facts check reads in the runs that follow (not answered from the cache)."""
    found: list[str] = []
    real = facts_analysis._Evidence.check
    monkeypatch.setattr(facts_analysis._Evidence, "check", lambda self, text: found.append(text) or real(self, text))
    return found


def test_a_run_checks_only_the_summaries_its_documents_entry_lacks(tmp_path, checked):
    cache = tmp_path / "c.sqlite"
    first = evaluate(_corpus(good=GOOD, bad=BAD), SETTINGS, cache=cache)
    assert sorted(checked) == sorted([GOOD, BAD]) and len(_entries(cache)) == 1  # one entry for the document
    checked.clear()
    # A system replaced by another: only its summary is checked; its result is a run's without a cache.
    second = evaluate(_corpus(good=GOOD, third=THIRD), SETTINGS, cache=cache)
    assert checked == [THIRD]
    assert to_json_obj(second) == to_json_obj(evaluate(_corpus(good=GOOD, third=THIRD), SETTINGS))
    # The entry now holds good's and third's results, then bad's, which the second run did not meet.
    [(_, value)] = _entries(cache)
    results = [decode_result(v) for v in unpack(value).values()]
    by_system = {s.name: s.documents["d"].analyses["facts"] for run in (first, second) for s in run.systems}
    assert results == [by_system["good"], by_system["third"], by_system["bad"]]
    checked.clear()
    # So the first run's systems again check nothing, and give the first run's output.
    assert to_json_obj(evaluate(_corpus(good=GOOD, bad=BAD), SETTINGS, cache=cache)) == to_json_obj(first)
    assert checked == []


def test_a_damaged_entry_is_checked_again(tmp_path, checked):
    cache = tmp_path / "c.sqlite"
    cold = evaluate(_corpus(good=GOOD, bad=BAD), SETTINGS, cache=cache)
    [(key, value)] = _entries(cache)
    found = unpack(value)
    # Each with a CRC-32 that fits: an entry cut short (no entry), and an entry whose first result is
    # no result (`decode_result`; the other result is still read).
    first, second = found
    for damaged, again in ((value[:-1], [BAD, GOOD]), (pack({first: b"R" + found[first][1:40], second: found[second]}), [BAD])):
        checked.clear()
        _rewrite(cache, key, damaged)
        assert to_json_obj(evaluate(_corpus(good=GOOD, bad=BAD), SETTINGS, cache=cache)) == to_json_obj(cold)
        assert checked == again  # (the systems in order: bad, then good)
        assert unpack(_entries(cache)[0][1]) == found  # written again whole


def test_a_systems_results_by_document_are_the_json_of_each_results_text():
    # documents_json writes {document: fragment} in one join; the oracle is the contract writer's form
    # of a dict of one RawJSON per document, for names with quotes, non-ASCII and a lone surrogate.
    from harness.analyses.base import RawJSON

    one = FactsResult([FactItem("name", "谷歌", 0, 2, "supported", "谷歌称")], "source", 0.5).kept()
    two = FactsResult([FactItem("figure", "32亿元", 3, 8, "unsupported", None)], "source", None)  # made from rows
    results = {'d"1': one, "文档": two, "d3": one}
    whole = documents_json(results)
    assert isinstance(whole, RawJSON)
    assert _raw_bytes(whole) == _raw_bytes({doc: RawJSON(r.fragment_utf8()) for doc, r in results.items()})
    assert documents_json({}) == {}
    # A name with a lone surrogate (possible through the API) or one that is no str: one text per
    # document, which the writer escapes or converts as it does any key (tests/test_json_text.py).
    for odd in ("文档\udcff", 7):
        apart = documents_json({**results, odd: two})
        assert isinstance(apart, dict)
        assert {d: raw.data for d, raw in apart.items()} == {**{d: r.fragment_utf8() for d, r in results.items()},
                                                              odd: two.fragment_utf8()}


def test_names_json_made_once_stays_bounded_and_right(monkeypatch):
    # The names' JSON is kept for the next system, at most _NAMES_KEPT of them (all dropped at once
    # past it); the join stays the contract writer's form (as above) whatever the memo holds.
    from harness.analyses.base import RawJSON
    from harness.analyses.facts import output

    monkeypatch.setattr(output, "_NAMES", {})
    monkeypatch.setattr(output, "_NAMES_KEPT", 2)
    one = FactsResult([FactItem("name", "谷歌", 0, 2, "supported", "谷歌称")], "source", 0.5).kept()
    results = {f"d{i}": one for i in range(5)}
    for _ in range(2):  # the second pass meets names the memo dropped
        whole = documents_json(results)
        assert isinstance(whole, RawJSON)
        assert _raw_bytes(whole) == _raw_bytes({doc: RawJSON(r.fragment_utf8()) for doc, r in results.items()})
        assert 0 < len(output._NAMES) <= 2


def test_two_systems_with_one_summary_are_checked_once(tmp_path, checked):
    # In one document, the second system's summary, alike, is the first one's result (read from this
    # run's, not checked again), with a cache and without.
    for cache in (tmp_path / "c.sqlite", None):
        checked.clear()
        ev = evaluate(_corpus(bad=BAD, copy=BAD, good=GOOD), SETTINGS, cache=cache)
        assert checked == [BAD, GOOD]
        found = {s.name: s.documents["d"].analyses["facts"] for s in ev.systems}
        assert found["copy"] == found["bad"]


def test_the_coordinators_probe_sends_a_document_on_before_checking_it(tmp_path, checked):
    # harness.run.distributed scores here the documents whose every entry is in the cache; a document
    # whose facts entry lacks a summary goes to a worker, and the coordinator checks nothing itself.
    from harness.run import distributed
    from harness.run.cache import Cache
    from harness.run.document import Job

    path = tmp_path / "c.sqlite"
    evaluate(_corpus(good=GOOD, bad=BAD), SETTINGS, cache=path)
    evaluate(_corpus(third=THIRD), SETTINGS, cache=path, skip=("facts",))  # third's tokens and pairs kept, no facts
    checked.clear()

    def probe(corpus: Corpus) -> object:
        return distributed._probe(Job(corpus, SETTINGS, None, (), {}, frozenset()), Cache(path), {})("d")

    assert probe(_corpus(good=GOOD, bad=BAD)) is not None  # all kept: scored here
    assert probe(_corpus(good=GOOD, bad=BAD, third=THIRD)) is None and checked == []


def test_a_document_sent_to_an_executors_worker_adds_to_its_entry(tmp_path, checked):
    # On an executor (harness.run.distributed) the coordinator sends each document it cannot score
    # from the cache to a worker, with the document's facts entry: the worker checks only the summary
    # the entry lacks, and the entry written back holds the earlier results too.
    from concurrent.futures import ThreadPoolExecutor

    def corpus(**systems: str) -> Corpus:  # two documents alike, "d" and "e": one shard each (one worker)
        return Corpus.from_texts({d: ["公司2021年营收3.2亿元。"] for d in "de"},
                                 {name: {d: text for d in "de"} for name, text in systems.items()},
                                 sources={d: SOURCE for d in "de"}, offtopic={d: NOISE for d in "de"})

    path = tmp_path / "c.sqlite"
    cold = evaluate(corpus(good=GOOD, bad=BAD), SETTINGS, cache=path)
    checked.clear()
    with ThreadPoolExecutor(max_workers=1) as pool:
        three = evaluate(corpus(good=GOOD, bad=BAD, third=THIRD), SETTINGS, cache=path, executor=pool, jobs=1)
    assert checked == [THIRD, THIRD]
    assert to_json_obj(three) == to_json_obj(evaluate(corpus(good=GOOD, bad=BAD, third=THIRD), SETTINGS))
    assert [len(unpack(value)) for _, value in _entries(path)] == [3, 3]
    checked.clear()
    assert to_json_obj(evaluate(corpus(good=GOOD, bad=BAD), SETTINGS, cache=path)) == to_json_obj(cold)
    assert checked == []


def test_a_run_reads_the_evidence_with_its_document(tmp_path, queries):
    # The cache's single-key queries (`Cache._row`'s, not a prefetch's) of runs over three documents, each
    # with its own source and reference, counted with facts and without. Cold, facts adds none: the three
    # documents are started together (harness.run.document.score_batched) before any entry of results is
    # read, so each lists its source and reference with its entry, read in the document's one query. Warm,
    # facts adds none either: the first document lists them (nothing is known yet) and its entry is there,
    # so the next ones list only their entries.
    docs = {"x": "公司2021年营收3.2亿元。", "y": "员工1200人，营收3.2亿元。", "z": "2021年员工1200人。"}
    corpus = Corpus.from_texts({d: [text] for d, text in docs.items()}, {"s": {d: GOOD for d in docs}},
                               sources={d: f"{docs[d]}\n{SOURCE}" for d in docs})
    counts = {}
    for skip in ((), ("facts",)):
        cache = tmp_path / f"cache-{bool(skip)}.sqlite"
        for run in ("cold", "warm"):
            queries.clear()
            evaluate(corpus, SETTINGS, cache=cache, skip=skip)
            counts[run, bool(skip)] = len(queries)
    assert counts["cold", False] == counts["cold", True]
    assert counts["warm", False] == counts["warm", True]


def test_what_a_prefetch_read_and_no_get_asked_for_is_dropped_by_the_next(tmp_path):
    # A document's entries read ahead and not asked for (a text the run did not need after all) are not
    # kept for the rest of the run: the next prefetch replaces them.
    from harness.run.cache import Cache

    cache = Cache(tmp_path / "cache.sqlite")
    cache.put_bytes(A, b"a")
    cache.put_bytes(B, b"b")
    cache.flush()
    cache.prefetch(analyses=[A, B, C])
    assert cache.get_bytes(A) == b"a"
    cache.prefetch(analyses=[D])
    assert set(cache._ahead_analyses) == {D}
    assert cache.get_bytes(B) == b"b" and cache.get_bytes(C) is None  # read again, with queries of their own
    cache.close()


def test_a_batchs_prefetches_keep_what_the_earlier_ones_read(tmp_path, queries):
    # In a batch of documents (harness.run.document.score_batched) each document's analyses run after the
    # whole batch was scored: what its prefetch read for them must still be there then, so a prefetch with
    # `keep` adds to the earlier ones' rows (A, read first, is then served with no query of its own), and
    # one without it (the batch's end) drops them.
    from harness.run.cache import Cache

    cache = Cache(tmp_path / "cache.sqlite")
    cache.put_bytes(A, b"a")
    cache.put_bytes(B, b"b")
    cache.flush()
    cache.prefetch(analyses=[A, C])
    cache.prefetch(analyses=[B, D], keep=True)
    assert set(cache._ahead_analyses) == {A, B, C, D}
    assert [cache.get_bytes(k) for k in (A, B, C, D)] == [b"a", b"b", None, None] and queries == []
    cache.prefetch(analyses=[A], keep=True)
    cache.prefetch()
    assert cache._ahead_analyses == {} and cache.get_bytes(A) == b"a" and queries == [A]
    cache.close()
