"""Side-by-side benchmark: harness scoring vs the naive way, checking the numbers agree.

The naive way is what people do today: rouge-score's RougeScorer with a jieba
tokenizer, one `score()` call per (reference, candidate) pair, tokenizing both
texts on every call and filling the full LCS table in pure Python.

Cases (all from the shipped corpus, so anyone can rerun them):
  corpus  the 7 shipped systems x 3 references, over N documents made distinct by
          rotating each text's sentences (so no text repeats and caching gets no free lunch)
  long-candidate   a ~200 KB candidate (the article repeated) against the 3 references
  long-reference   a ~200 KB reference against each of the 7 shipped candidates
  long-both        a ~200 KB candidate against a ~200 KB reference (the article with its lines
                   rotated); the naive way needs a 37,000 x 37,000 table per LCS metric, hours
                   in pure Python, so it runs only with --naive-long-both

With --scale, the test-set cases instead (benchmarks/scale_cases.py): 10 systems x 1,000
documents from JSONL with one and with three references, the same run with the cache warm,
ROUGE-L on 2,000-token pairs, `harness score` as a whole command warm and cold against a bare
jieba start, and 100,000 pairs for peak memory; each with its target.

Run:  python benchmarks/bench_scoring.py [--docs 20] [--memory] [--skip-naive-long]
      python benchmarks/bench_scoring.py --scale [--sample 200] [--scale-docs 1000] [--skip-memory]
Exit status 1 if any score differs between the two ways (or, with --scale, a target is missed).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from scale_cases import naive_best

from harness.inputs.corpus import Corpus
from harness.inputs.load import load_corpus
from harness.rouge.scoring import DEFAULT_METRICS
from harness.run.pipeline import Settings, evaluate

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "sources" / "ai-open-source.txt"


def rotate(text: str, k: int) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    k %= max(len(lines), 1)
    return "\n".join(lines[k:] + lines[:k])


def scaled_corpus(base: Corpus, n_docs: int) -> Corpus:
    (doc,) = base.documents
    refs = {f"doc{i:03d}": {r: rotate(t, i) + f"\n第{i}篇" for r, t in base.references[doc].items()} for i in range(n_docs)}
    cands = {s: {f"doc{i:03d}": rotate(t or "", i) + f"\n第{i}篇" for i in range(n_docs)} for s, by in base.candidates.items() for t in [by[doc]]}
    return Corpus(refs, cands)


def naive_corpus(corpus: Corpus, settings: Settings) -> dict[tuple[str, str], dict[str, tuple[float, float, float]]]:
    """Naive per-pair scoring, best F per metric over references (rouge-score's score_multi rule)."""
    return {
        (system, doc): naive_best([ref for _, ref in sorted(corpus.references[doc].items())], text or "", settings)
        for system, docs in corpus.candidates.items()
        for doc, text in docs.items()
    }


def harness_corpus(corpus: Corpus, settings: Settings) -> dict[tuple[str, str], dict[str, tuple[float, float, float]]]:
    ev = evaluate(corpus, settings)
    return {(s.name, d): {m: tuple(r.scores[m]) for m in settings.metrics} for s in ev.systems for d, r in s.documents.items()}


def measure(fn: Callable[[], object], memory: bool) -> tuple[object, float, float]:
    """(result, seconds, peak MiB or NaN); memory is traced in a second run, as tracing slows Python
    code several times over (the naive long cases then take minutes)."""
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    if not memory:
        return result, seconds, float("nan")
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20, help="documents in the scaled corpus case")
    parser.add_argument("--memory", action="store_true", help="also trace peak Python memory (slow)")
    parser.add_argument("--naive-long-both", action="store_true", help="also run the naive way on long-both (hours)")
    parser.add_argument("--skip-naive-long", action="store_true", help="do not run the (slow) naive way on the long cases")
    parser.add_argument("--scale", action="store_true", help="run the test-set cases with targets instead")
    parser.add_argument("--sample", type=int, default=200, help="--scale: pairs the naive way is timed on")
    parser.add_argument("--scale-docs", type=int, default=1000, help="--scale: documents per test set")
    parser.add_argument("--skip-memory", action="store_true", help="--scale: skip the 100,000-pair memory case")
    args = parser.parse_args()
    if args.scale:
        import scale_cases

        return scale_cases.run(args)

    base = load_corpus(ROOT / "references", ROOT / "candidates")
    (doc,) = base.documents
    article = ARTICLE.read_text(encoding="utf-8")
    long_text = article * (200_000 // len(article.encode()) + 1)
    settings = Settings(metrics=DEFAULT_METRICS)
    harness_corpus(Corpus({"warm": {"r": "预热"}}, {"s": {"warm": "预热"}}), settings)  # load jieba once, untimed

    cases = {
        "corpus": scaled_corpus(base, args.docs),
        "long-candidate": Corpus(base.references, {"long": {doc: long_text}}),
        "long-reference": Corpus({doc: {"long": long_text}}, base.candidates),
        "long-both": Corpus({doc: {"long": long_text}}, {"long": {doc: rotate(article, 5) * (len(long_text) // len(article))}}),
    }
    def mib(v: float) -> str:
        return "-" if math.isnan(v) else f"{v:.1f}"  # NaN when memory was not traced

    print(f"{'case':<16}{'pairs':>7}{'naive s':>10}{'harness s':>11}{'speed-up':>10}{'naive MiB':>11}{'harness MiB':>13}  agree")
    failed = False
    for name, corpus in cases.items():
        pairs = sum(len(corpus.references[d]) for s in corpus.candidates.values() for d in s)
        ours, t_h, m_h = measure(lambda c=corpus: harness_corpus(c, settings), args.memory)
        skip = name == "long-both" and not args.naive_long_both
        if skip or (args.skip_naive_long and name != "corpus"):
            print(f"{name:<16}{pairs:>7}{'-':>10}{t_h:>11.2f}{'-':>10}{'-':>11}{mib(m_h):>13}  (naive not run)")
            continue
        theirs, t_n, m_n = measure(lambda c=corpus: naive_corpus(c, settings), args.memory)
        agree = ours == theirs
        failed |= not agree
        print(f"{name:<16}{pairs:>7}{t_n:>10.2f}{t_h:>11.2f}{t_n / t_h:>9.1f}x{mib(m_n):>11}{mib(m_h):>13}  {'yes' if agree else 'NO'}")
    print(f"({len(settings.metrics)} metrics: {', '.join(settings.metrics)}; both ways use the same jieba tokens)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
