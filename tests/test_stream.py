"""harness.score_stream: one result per pair, in input order, read lazily, on this process, a pool
of its own or an executor given.

Expected numbers come from `harness.Scorer.score` called here pair by pair (the stream scores on
workers, in chunks, and rebuilds each `Score` from the floats they send back: another path), and
on the shipped pairs from rouge-score's RougeScorer fed by the independent tokenizer of
tests/conftest.py (`ind`), which shares no code with the harness.
"""

from __future__ import annotations

import concurrent.futures as cf
import itertools
import multiprocessing
import os
import signal
from pathlib import Path

import pytest

import harness
from harness.errors import ExitCode, WorkerLost

REPO = Path(__file__).resolve().parents[1]
METRICS = ["rouge1", "rouge2", "rougeL", "rougeLsum"]

ARTICLE_REFS = sorted((REPO / "references" / "ai-open-source").glob("*.txt"))
ARTICLE_CANDS = sorted((REPO / "candidates").glob("*/ai-open-source.txt"))


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# Chinese, Chinese with English and digits, full-width forms, several references, an empty and a
# punctuation-only prediction, identical texts; then every shipped candidate against one shipped
# reference or all three (long, many sentences).
HAND = [
    ("谷歌和OpenAI都没有护城河。", "谷歌没有护城河。"),
    ("开源模型正在快速追赶大厂。", "大厂正在被开源模型追赶。"),
    ("以LLaMA的衍生模型Alpaca为例，其训练成本仅用了52k数据和600美元。", "Alpaca的训练成本只有600美元。"),
    ("The moat is gone. 护城河没了。", "护城河 is gone."),
    ("ＧＰＴ－４发布于２０２３年。", "GPT-4发布于2023年。"),
    (["开源模型很快。", "谷歌没有护城河。"], "谷歌没有护城河。"),
    (["大厂很难放弃昂贵的大模型研究。", "研究很贵。", "大模型研究昂贵"], "大厂放弃不了大模型研究。"),
    ("猫吃鱼。", ""),
    ("猫吃鱼。", "。！？"),
    ("他说：“开源很快。”大厂呢？难说……再看吧", "他说：“开源很快。”大厂呢？难说……再看吧"),
    ("", "没有参考也可以打分。"),
]
PAIRS = HAND + [
    (_text(ref) if i % 2 else [_text(r) for r in ARTICLE_REFS], _text(cand))
    for i, (ref, cand) in enumerate(zip(itertools.cycle(ARTICLE_REFS), ARTICLE_CANDS * 3))
]
SETTINGS = [
    {},
    {"metrics": ["rouge1", "rougeL", "rougeSU4"], "unit": "char", "multiref": "mean"},
]


def _expected(pairs, **settings):
    scorer = harness.Scorer(**settings)
    return [scorer.score(target=t, prediction=p) for t, p in pairs]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("settings", SETTINGS, ids=["word-best", "char-mean-su4"])
def test_each_result_equals_scorer_score(jobs, settings):
    assert len(PAIRS) == 32
    with harness.score_stream(iter(PAIRS), jobs=jobs, chunk_size=5, **settings) as stream:
        got = list(stream)
    # Keys are the pairs' positions when none is given; numbers equal to the bit (==, not approx).
    assert [key for key, _ in got] == list(range(len(PAIRS)))
    assert [scores for _, scores in got] == _expected(PAIRS, **settings)
    assert list(got[0][1]) == list(stream.metrics)


def test_shipped_pairs_equal_rouge_score_with_keys_passed_through(ind):
    # rouge-score's RougeScorer on the independent tokenizer's tokens (conftest's ind.rouge_score).
    pairs = [(_text(r), _text(c), (c.parent.name, r.stem)) for r in ARTICLE_REFS for c in ARTICLE_CANDS]
    oracle = ind.rouge_score(METRICS)
    got = list(harness.score_stream(pairs, METRICS, jobs=2, chunk_size=4))
    assert [key for key, _ in got] == [key for _, _, key in pairs]
    for (ref, cand, _), (_, ours) in zip(pairs, got, strict=True):
        theirs = oracle(ref, cand)
        for m in METRICS:
            assert tuple(ours[m]) == pytest.approx(tuple(theirs[m]), abs=1e-15), m


# ------------------------------------------------------------------------------ order and laziness


class _AskedFuture(cf.Future):  # type: ignore[type-arg]
    def __init__(self, executor: HeldExecutor) -> None:
        super().__init__()
        self._executor = executor

    def result(self, timeout=None):
        self._executor.run_held(self)
        return super().result(timeout)


class HeldExecutor(cf.Executor):
    """Runs nothing when a task is submitted; when a result is asked for (or `hold_at` tasks are
    held), runs in this thread every task it holds, the newest first, so chunks finish in reverse
    order; or with `only_asked`, only the task whose result is asked for. `finished` records which
    task (by submission number) finished when."""

    def __init__(self, hold_at: int = 1_000_000, only_asked: bool = False) -> None:
        self.held: list = []
        self.futures: list[cf.Future] = []
        self.finished: list[int] = []
        self.hold_at = hold_at
        self.only_asked = only_asked

    def submit(self, fn, /, *args, **kwargs):
        future = _AskedFuture(self)
        self.held.append((len(self.futures), future, fn, args, kwargs))
        self.futures.append(future)
        if len(self.held) >= self.hold_at:
            self.run_held()
        return future

    def run_held(self, asked=None):
        if self.only_asked:
            tasks = [task for task in self.held if task[1] is asked]
            self.held = [task for task in self.held if task[1] is not asked]
        else:
            tasks, self.held = self.held[::-1], []
        for number, future, fn, args, kwargs in tasks:
            if future.set_running_or_notify_cancel():
                future.set_result(fn(*args, **kwargs))
                self.finished.append(number)


def test_results_keep_input_order_when_chunks_finish_in_reverse():
    executor = HeldExecutor(hold_at=4)
    got = list(harness.score_stream(PAIRS, executor=executor, chunk_size=3, in_flight=4))
    # The executor did finish chunks newest first (else this test would prove nothing)...
    assert executor.finished[:4] == [3, 2, 1, 0]
    # ...and the results still come in input order, each equal to Scorer.score's.
    assert [key for key, _ in got] == list(range(len(PAIRS)))
    assert [scores for _, scores in got] == _expected(PAIRS)


class Counted:
    """An input generator that says how many pairs have been taken from it."""

    def __init__(self, pairs):
        self.taken = 0
        self._pairs = pairs

    def __iter__(self):
        for pair in self._pairs:
            self.taken += 1
            yield pair


@pytest.mark.parametrize("jobs, chunk, in_flight", [(2, 3, 2), (2, 4, 3), (1, 1, 1)])
def test_the_input_is_read_at_most_chunk_times_in_flight_ahead(jobs, chunk, in_flight):
    source = Counted(HAND * 4)
    stream = harness.score_stream(iter(source), jobs=jobs, chunk_size=chunk, in_flight=in_flight)
    assert source.taken == 0  # nothing is read before the first result is asked for
    ahead = []
    for yielded, _ in enumerate(stream, start=1):
        ahead.append(source.taken - yielded)
    assert yielded == len(HAND) * 4
    assert max(ahead) <= chunk * in_flight
    if jobs > 1:
        assert max(ahead) > chunk  # it does read ahead: the workers have the next chunks meanwhile
    else:
        assert max(ahead) == 0  # in this process, one pair at a time


# ------------------------------------------------------------------------------ stopping


def _new_children(before: list) -> list:
    """This process's multiprocessing children alive now and not in `before` (another test's)."""
    return [child for child in multiprocessing.active_children() if child not in before]


def test_closing_early_ends_the_workers_and_reads_no_more():
    before = multiprocessing.active_children()
    source = Counted(itertools.islice(itertools.cycle(HAND), 100_000))
    stream = harness.score_stream(iter(source), jobs=2, chunk_size=2, in_flight=2)
    first = [next(stream) for _ in range(3)]
    assert [key for key, _ in first] == [0, 1, 2]
    assert len(_new_children(before)) == 2  # the stream's pool
    stream.close()
    assert _new_children(before) == []
    taken = source.taken
    assert taken <= 3 + 2 * 2
    with pytest.raises(StopIteration):
        next(stream)
    assert source.taken == taken


def test_leaving_a_with_block_cancels_the_chunks_a_given_executor_holds():
    executor = HeldExecutor(only_asked=True)
    with harness.score_stream(HAND * 3, executor=executor, chunk_size=2, in_flight=3) as stream:
        key, scores = next(stream)
    assert (key, scores) == (0, _expected(HAND[:1])[0])
    # Three chunks were read; the first ran, the two others were never started: cancelled.
    assert executor.finished == [0]
    assert [f.cancelled() for f in executor.futures] == [False, True, True]
    # The executor is the caller's: still open.
    assert executor.submit(pow, 2, 5).result() == 32


def test_a_process_pool_executor_given_is_used_and_left_open():
    with cf.ProcessPoolExecutor(2) as pool:
        got = list(harness.score_stream(PAIRS, executor=pool, jobs=2, chunk_size=6))
        assert pool.submit(pow, 3, 3).result() == 27
    assert [scores for _, scores in got] == _expected(PAIRS)


def test_a_worker_killed_ends_the_stream_with_worker_lost():
    before = multiprocessing.active_children()
    source = Counted(itertools.islice(itertools.cycle(HAND), 200_000))
    stream = harness.score_stream(iter(source), jobs=2, chunk_size=2, in_flight=4)
    next(stream)
    victim = _new_children(before)[0]
    os.kill(victim.pid, signal.SIGKILL)
    with pytest.raises(WorkerLost, match=r"^a score_stream worker process was killed by SIGKILL after \d+ results") as lost:
        for _ in stream:
            pass
    assert lost.value.exit_code == ExitCode.WORKER_LOST == 4
    assert source.taken < 200_000  # ended by the loss, not by running out of pairs
    assert _new_children(before) == []


# ------------------------------------------------------------------------------ input and settings


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize(
    "bad, error, message",
    [
        (("猫吃鱼", 3), TypeError, "pair 7: the prediction must be a str, not int"),
        (([], "猫"), harness.InputError, "pair 7: target: an empty list of references; give at least one"),
        ("猫吃鱼", TypeError, "pair 7: expected (target, prediction) or (target, prediction, key)"),
    ],
)
def test_a_bad_pair_raises_after_the_results_before_it(jobs, bad, error, message):
    stream = harness.score_stream([*HAND[:7], bad, *HAND], jobs=jobs, chunk_size=3)
    got = []
    with pytest.raises(error) as raised:
        for item in stream:
            got.append(item)
    assert str(raised.value).startswith(message)
    assert [scores for _, scores in got] == _expected(HAND[:7])


def test_settings_are_checked_before_any_pair_is_read():
    source = Counted(HAND)
    with pytest.raises(harness.InputError, match="unknown metric 'bleu'"):
        harness.score_stream(iter(source), "rouge1,bleu", jobs=2)
    with pytest.raises(harness.InputError, match="jobs must be a positive whole number, not 0"):
        harness.score_stream(iter(source), jobs=0)
    assert source.taken == 0


def test_signature_is_the_scorers():
    stream = harness.score_stream([], ["rouge1", "rougeL"], unit="char", multiref="mean", jobs=2)
    assert stream.signature == harness.Scorer(["rouge1", "rougeL"], unit="char", multiref="mean").signature
    assert list(stream) == []


def test_a_user_dictionary_travels_by_content(tmp_path):
    # The pool's workers get the dictionary's bytes, not its path: deleted before the first pair
    # is read, it still applies. Expected from Scorer(user_dict=...) made while the file existed.
    path = tmp_path / "words.txt"
    path.write_text("没有护城河 100\n开源模型 100\n", encoding="utf-8")
    pairs = [("谷歌和OpenAI都没有护城河。", "谷歌没有护城河的开源模型。"), *HAND]
    expected = _expected(pairs, user_dict=path)
    assert expected[0] != _expected(pairs[:1])[0]  # the dictionary changes this pair's numbers
    stream = harness.score_stream(pairs, user_dict=path, jobs=2, chunk_size=4)
    path.unlink()
    assert [scores for _, scores in stream] == expected
