"""Bootstrap intervals two ways, side by side, checking they are identical: keeping every resample
mean and sorting (`resample_means` + `percentile_interval`, how harness.stats.resampling did it at
every count before, and still does up to STREAM_ABOVE = 65,536), and streaming them
(`bootstrap_intervals` with the threshold set to 0, so it streams at every count shown).

10 columns of 50 seeded scores in [0, 1] (as for 10 systems' F on 50 documents), at 10,000,
100,000 and 1,000,000 resamples, seed 12345, 95%. Each way runs in a fresh Python process, so
one's memory cannot hide the other's: the seconds, the peak memory it added (resident set size
after, minus before: ru_maxrss; with --traced, tracemalloc's peak of Python allocations, which
slows the run about tenfold), and the passes over the resamples (generators made). The intervals
are compared as exact floats; exit status 1 if any differs.

Run:  python benchmarks/bench_resampling.py [--max 1000000] [--columns 10] [--docs 50] [--traced]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from harness.stats import resampling
from harness.stats.resampling import Resampling, percentile_interval, resample_means

COUNTS = (10_000, 100_000, 1_000_000)
SEED = 12345


def make_columns(columns: int, docs: int) -> dict[str, list[float]]:
    rng = random.Random(7)
    return {f"system{c:02d}": [round(rng.betavariate(4, 5), 4) for _ in range(docs)] for c in range(columns)}


def kept(columns: dict[str, list[float]], res: Resampling) -> dict[str, tuple[float, float]]:
    """Every resample mean kept, each column sorted: the way before streaming."""
    means = resample_means(columns, len(next(iter(columns.values()))), res)
    return {key: percentile_interval(values, res.confidence) for key, values in means.items()}


def streamed(columns: dict[str, list[float]], res: Resampling) -> dict[str, tuple[float, float]]:
    resampling.STREAM_ABOVE = 0
    return resampling.bootstrap_intervals(columns, res)


def child(way: str, count: int, columns: int, docs: int, traced: bool) -> None:
    """One measurement, printed as a JSON line for the parent."""
    data = make_columns(columns, docs)
    res = Resampling(count, 0.95, SEED)
    made = []

    class Counted(resampling.SplitMix64):
        def __init__(self, seed: int) -> None:
            made.append(seed)
            super().__init__(seed)

    resampling.SplitMix64 = Counted  # type: ignore[misc]
    if traced:
        tracemalloc.start()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    found = (kept if way == "kept" else streamed)(data, res)
    seconds = time.perf_counter() - start
    if traced:
        peak = tracemalloc.get_traced_memory()[1]
    else:
        peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024  # KiB on Linux
    ends = {key: [low.hex(), high.hex()] for key, (low, high) in found.items()}
    print(json.dumps({"seconds": seconds, "peak": peak, "passes": len(made), "ends": ends}))


def measure(way: str, count: int, args: argparse.Namespace) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", way, str(count),
               "--columns", str(args.columns), "--docs", str(args.docs)] + (["--traced"] if args.traced else [])
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max", type=int, default=1_000_000, help="largest resample count run")
    parser.add_argument("--columns", type=int, default=10)
    parser.add_argument("--docs", type=int, default=50)
    parser.add_argument("--traced", action="store_true", help="peak traced Python memory instead of resident (slow)")
    parser.add_argument("--child", nargs=2, metavar=("WAY", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.columns, args.docs, args.traced)
        return 0
    memory = "traced Python allocations" if args.traced else "resident memory added"
    print(f"{args.columns} columns x {args.docs} documents, seed {SEED}, 95%; each way in a fresh process; "
          f"peak MiB: {memory}")
    print(f"{'resamples':>10}  {'way':<9}{'seconds':>9}{'peak MiB':>10}{'passes':>8}  identical")
    same_everywhere = True
    for count in (c for c in COUNTS if c <= args.max):
        base = measure("kept", count, args)
        other = measure("streamed", count, args)
        same = other["ends"] == base["ends"]
        same_everywhere &= same
        for way, row in (("kept", base), ("streamed", other)):
            mark = "(oracle)" if row is base else "yes" if same else "NO"
            print(f"{count:>10,}  {way:<9}{row['seconds']:>9.2f}{row['peak'] / 2**20:>10.1f}{row['passes']:>8}  {mark}")
    return 0 if same_everywhere else 1


if __name__ == "__main__":
    sys.exit(main())
