"""Side-by-side benchmark: each Chinese ROUGE convention vs the harness's own scoring, and vs the
naive way of getting the convention's number (the real rouge-chinese, one call per pair).

The test set is benchmarks/workload.py's (10 systems x 1,000 documents, one reference each, from
the shipped article). Timed, in one process:
  harness         `harness.pipeline.evaluate` with rouge1, rouge2, rougeL, one process, no cache
                  (its jieba loaded beforehand, as the conventions' is)
  <convention>    the convention's corpus numbers for every system, each distinct text cut once
                  with the harness's loaded jieba (the way the pipeline will call it)
  all             the three conventions on one shared cut per text
  pipeline rows   `evaluate(corpus, Settings(convention=NAME))` and `Settings(convention="all")`: the
                  whole harness run under a convention (what `harness score --convention` does, one
                  process, no cache), its corpus numbers checked equal to the core's rows above
  naive           rouge-chinese 1.0.3's `Rouge().get_scores` per pair with a fresh jieba cut, as
                  LLaMA-Factory's loop does; timed on a sample and scaled, its numbers compared
                  with the rouge-chinese convention's (needs `pip install rouge-chinese==1.0.3`)

Run:  python benchmarks/bench_conventions.py [--systems 10] [--docs 1000] [--sample 300]
Exit status 1 if a convention differs from the real tool by more than 1e-9, or the pipeline's
numbers from the core's.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterable

from workload import make_test_set

from harness.inputs.corpus import Corpus
from harness.rouge.conventions import CONVENTIONS, METRICS
from harness.run.pipeline import Evaluation, Settings, evaluate
from harness.text.tokenizers import _load_jieba

Pairs = dict[str, list[tuple[str, str]]]


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    """`fn()` and the CPU seconds this process spent on it: everything runs in this one process,
    so that is its wall time on an idle machine, and it stays comparable on a shared one."""
    start = time.process_time()
    out = fn()
    return out, time.process_time() - start


def memo_cut(cut: Callable[[str], Iterable[str]]) -> Callable[[str], list[str]]:
    seen: dict[str, list[str]] = {}

    def cached(text: str) -> list[str]:
        found = seen.get(text)
        if found is None:
            found = seen[text] = list(cut(text))
        return found

    return cached


def run_conventions(pairs: Pairs, names: Iterable[str], cut: Callable[[str], Iterable[str]]) -> dict[str, dict[str, dict[str, float]]]:
    shared = memo_cut(cut)
    return {name: CONVENTIONS[name].score_systems(pairs, shared) for name in names}


def naive(pairs: Pairs, sample: int, cut: Callable[[str], Iterable[str]]) -> tuple[float, float, int]:
    """(seconds scaled to all pairs, max |F difference| vs the convention, pairs compared)."""
    from rouge_chinese import Rouge

    flat = [pair for p in pairs.values() for pair in p]
    chosen = random.Random(16).sample(flat, min(sample, len(flat)))
    conv = CONVENTIONS["rouge-chinese"]
    start = time.process_time()
    tool = []
    for target, prediction in chosen:
        (scores,) = Rouge().get_scores(" ".join(cut(prediction)), " ".join(cut(target)))
        tool.append(scores)
    seconds = (time.process_time() - start) * len(flat) / len(chosen)
    diff = 0.0
    for (target, prediction), scores in zip(chosen, tool, strict=True):
        ours = conv.score_pair(target=target, prediction=prediction, cut=cut)
        for metric, key in zip(METRICS, ("rouge-1", "rouge-2", "rouge-l"), strict=True):
            diff = max(diff, abs(ours[metric] - scores[key]["f"]))
    return seconds, diff, len(chosen)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=10)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=300, help="pairs the naive way is timed on (0: skip it)")
    args = parser.parse_args()
    refs, cands, _ = make_test_set(args.systems, args.docs, 1)
    corpus = Corpus({d: {"ref": texts[0]} for d, texts in refs.items()}, cands)
    pairs: Pairs = {s: [(refs[d][0], text) for d, text in docs.items()] for s, docs in cands.items()}
    jieba = _load_jieba((), "")
    evaluate(Corpus({"d": {"r": "热身"}}, {"s": {"d": "热身"}}), Settings(metrics=METRICS))  # loads its jieba
    n = sum(len(p) for p in pairs.values())

    rows: list[tuple[str, float]] = []
    _, harness_s = timed(lambda: evaluate(corpus, Settings(metrics=METRICS)))
    rows.append(("harness (own scoring)", harness_s))
    for name in CONVENTIONS:
        _, seconds = timed(lambda name=name: run_conventions(pairs, [name], jieba.cut))
        rows.append((name, seconds))
    results, all_s = timed(lambda: run_conventions(pairs, list(CONVENTIONS), jieba.cut))
    rows.append(("all three conventions", all_s))
    status = 0
    for name in CONVENTIONS:
        ev, seconds = timed(lambda name=name: evaluate(corpus, Settings(convention=name)))
        rows.append((f"pipeline --convention {name}", seconds))
        assert isinstance(ev, Evaluation)
        found = {s.name: {m: s.scores[m].fmeasure for m in METRICS} for s in ev.systems}
        if found != results[name]:
            print(f"pipeline --convention {name}: numbers differ from the core's")
            status = 1
    ev, seconds = timed(lambda: evaluate(corpus, Settings(metrics=METRICS, convention="all")))
    rows.append(("pipeline --convention all (harness + three)", seconds))
    assert isinstance(ev, Evaluation)
    for name in CONVENTIONS:
        if {s.name: s.summary("conventions")[name] for s in ev.systems} != results[name]:
            print(f"pipeline --convention all: {name} differs from the core's")
            status = 1
    if args.sample:
        try:
            seconds, diff, compared = naive(pairs, args.sample, jieba.cut)
        except ImportError:
            print("naive: rouge-chinese not installed, skipped (pip install rouge-chinese==1.0.3)")
        else:
            rows.append((f"naive rouge-chinese (scaled from {compared} pairs)", seconds))
            print(f"max |F difference| vs the real rouge-chinese on {compared} pairs: {diff:.1e}")
            status = max(status, int(diff > 1e-9))

    print(f"{args.systems} systems x {args.docs} documents = {n} pairs, rouge1/rouge2/rougeL")
    print(f"{'case':<48} {'CPU s':>8} {'vs harness':>10}")
    for case, seconds in rows:
        print(f"{case:<48} {seconds:8.2f} {seconds / harness_s:9.2f}x")
    print("\ncorpus F x 100, first system:")
    first = next(iter(pairs))
    for name, by_system in results.items():
        print(f"  {name:<14} " + " / ".join(f"{100 * by_system[first][m]:.2f}" for m in METRICS))
    return status


if __name__ == "__main__":
    sys.exit(main())
