"""Peak memory and time of one long pair, per metric and unit, for two versions side by side.

    python benchmarks/long_texts.py --chars 50000,200000 [--before DIR] [--limit-gb 4]

Each case runs in a fresh process (its peak resident memory is then its own) under an address
space limit, so a version that needs more fails with MemoryError instead of swapping the machine.
The texts are one sentence each (no punctuation: the worst case for ROUGE-Lsum, whose LCS
table spans two whole sentences) of Han characters drawn, seeded, from the shipped sources, so
they have the character frequencies of real Chinese (`--text random`), or the sources' own text
repeated, the candidate's sentences shuffled (`--text real`: real words, far fewer distinct ones). `--before DIR` is another copy of the
package (`git archive REV harness | tar -x -C DIR`); the counts of both are checked equal. A pair
that a run would refuse (harness.rouge.cost.check_pair: its LCS masks past the budget) shows as
`refused`, with the memory spent up to the refusal (jieba and both texts' tokens).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CASE = r"""
import json, random, resource, sys, time
from pathlib import Path
limit = int(float(sys.argv[4]) * 2**30)
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from harness.rouge.scoring import pair_counts
from harness.rouge.settings import Settings
n, unit, metric = int(sys.argv[1]), sys.argv[2], sys.argv[3]
article = "".join(p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[5], "sources").glob("*.txt")))
han = [c for c in article if "\u4e00" <= c <= "\u9fff"]
rng = random.Random(1)
if sys.argv[6] == "random":  # characters drawn independently: jieba finds many distinct words
    ref = "".join(rng.choice(han) for _ in range(n))
    can = "".join(rng.choice(han) for _ in range(n))
else:  # real text: the sources' Han characters in order, and their sentences shuffled
    parts = [p for p in article.replace("\n", "。").split("。") if p]
    def text(order):
        out = "".join(c for p in order for c in p if "\u4e00" <= c <= "\u9fff")
        return (out * (n // max(len(out), 1) + 1))[:n]
    ref = text(parts)
    can = text(rng.sample(parts, len(parts)))
proc = Settings(unit=unit, metrics=(metric,)).processor()
a, b = proc.analyze(ref), proc.analyze(can)
refused = None
try:  # what a run does first: refuse a pair whose LCS masks would not fit (absent before)
    from harness.rouge import cost
    cost.check_pair(a, b, (metric,), "pair")
except ImportError:
    pass
except Exception as exc:
    refused = str(exc)
start = time.perf_counter()
try:
    counts = None if refused else list(pair_counts(target=a, prediction=b, metrics=(metric,))[metric])
except MemoryError:
    counts = None
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"counts": counts, "seconds": seconds, "peak": peak, "tokens": [len(a.tokens), len(b.tokens)],
                  "refused": refused}))
"""


def run(path: Path, n: int, unit: str, metric: str, limit_gb: float, text: str) -> dict:
    # cwd too: `python -c` puts the working folder first on sys.path
    env = dict(os.environ, PYTHONPATH=str(path))
    done = subprocess.run([sys.executable, "-c", CASE, str(n), unit, metric, str(limit_gb), str(REPO), text],
                          capture_output=True, text=True, env=env, cwd=path, timeout=3600)
    if done.returncode != 0:
        return {"counts": None, "seconds": float("nan"), "peak": 0, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", default="50000,200000")
    parser.add_argument("--units", default="char,word")
    parser.add_argument("--metrics", default="rougeL,rougeLsum,rougeSU4")
    parser.add_argument("--before", type=Path, help="another copy of the package to compare with")
    parser.add_argument("--limit-gb", type=float, default=4.0)
    parser.add_argument("--text", choices=("random", "real"), default="random",
                        help="random Han characters (the worst case), or the sources' text, sentences shuffled")
    args = parser.parse_args()
    versions = [("now", REPO)] + ([("before", args.before)] if args.before else [])
    print(f"{'chars':>9} {'unit':5} {'metric':10} " + " ".join(f"{v + ' s':>10} {v + ' MB':>10}" for v, _ in versions))
    for n in (int(x) for x in args.chars.split(",")):
        for unit in args.units.split(","):
            for metric in args.metrics.split(","):
                results = [run(path, n, unit, metric, args.limit_gb, args.text) for _, path in versions]
                cells = []
                for r in results:
                    if r.get("refused"):
                        cells.append(f"{'refused':>10} {r['peak'] / 2**20:>10.0f}")
                    elif r["counts"] is None:
                        cells.append(f"{'MemoryError':>10} {'>' + str(int(args.limit_gb * 1024)):>10}")
                    else:
                        cells.append(f"{r['seconds']:>10.1f} {r['peak'] / 2**20:>10.0f}")
                known = [r["counts"] for r in results if r["counts"] is not None]
                same = "" if len(known) < 2 else ("  same counts" if known[0] == known[1] else "  COUNTS DIFFER")
                print(f"{n:>9} {unit:5} {metric:10} " + " ".join(cells) + same, flush=True)


if __name__ == "__main__":
    main()
