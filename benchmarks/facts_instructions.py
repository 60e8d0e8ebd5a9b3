"""What the facts check adds to `harness score`, in instructions: the same runs as `--scale`'s facts
case (the 10 x 1,000 test set with its sources, with and without `--no-facts`, cold then warm), each
under Valgrind's cachegrind, which counts the instructions the process executes.

Why a second measure: the issue's targets are in time (facts may add 30% to a cold run and 10% to a
warm one), and `bench_scoring.py --scale` times them, but on a shared machine a run's CPU seconds
swing by a fifth to a third between runs, more than the warm target itself (docs/performance.md).
An instruction count is the same on every run of the same code and inputs, so it says what the code
costs, apart from the machine; it does not see the kernel's time (reads, page faults) or what a
cache miss costs, so it is a floor, not a replacement, for the timed rows.

The runs use one process (`--jobs 1`): a process forked under cachegrind starts from its parent's
count, so summing over workers would count the parent's start-up again. The package's bytecode is
compiled first (a module compiled at import time would count its compilation). Each pair of runs
must give the same ROUGE numbers, and each run the same output as the same command without
cachegrind.

With `--cache-sim`, also the misses of cachegrind's simulated first-level instruction and data
caches (I1, D1), without a target: the check's code misses the instruction cache about three times
as often per instruction as scoring's (docs/performance.md, the seventh round).

Run:  python benchmarks/facts_instructions.py [--docs 1000] [--cache-sim]   (needs valgrind: apt-get install valgrind)
Exit status 1 if a count is above its target or a number differs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scale_cases import HARNESS, ROOT, compile_package, dictionary_folder, dictionary_only_cache
from workload import make_test_set, write_jsonl

_TARGETS = {"cold": 1.3, "warm": 1.1}
_COUNTS = {"instructions": re.compile(r"I\s+refs:\s+([\d,]+)"), "I1 misses": re.compile(r"I1\s+misses:\s+([\d,]+)"),
           "D1 misses": re.compile(r"D1\s+misses:\s+([\d,]+)")}


def counted(args: list[str], env: dict[str, str], cache_sim: bool) -> dict[str, int]:
    """The instructions one command executes under cachegrind (its own process; its output kept),
    and with `cache_sim` the misses of cachegrind's simulated first-level caches too."""
    found = subprocess.run(["valgrind", "--tool=cachegrind", f"--cache-sim={'yes' if cache_sim else 'no'}",
                            "--cachegrind-out-file=/dev/null", *args], env=env, cwd=ROOT, capture_output=True, text=True)
    counts = {name: match.group(1) for name, pattern in _COUNTS.items() if (match := pattern.search(found.stderr))}
    if found.returncode != 0 or "instructions" not in counts or (cache_sim and len(counts) != len(_COUNTS)):
        raise SystemExit(f"{' '.join(args)} under cachegrind: exit {found.returncode}: {found.stderr[-2000:]}")
    return {name: int(value.replace(",", "")) for name, value in counts.items()}


def pair(base: Path, warm: Path, ref_path: Path, cand_path: Path, label: str, extra: list[str],
         cache_sim: bool = False) -> dict[str, object]:
    """Cold and warm counts of one way of running (with facts or without), and its outputs."""
    cache = dictionary_only_cache(base, warm)
    env = dict(os.environ, HARNESS_CACHE_DIR=str(cache))

    def command(out: Path) -> list[str]:
        return [*HARNESS, "score", "--no-config", "--references", str(ref_path), "--candidates", str(cand_path),
                "--jobs", "1", "--format", "json", "-o", str(out), *extra]

    out, plain = base / f"scores-{label}.json", base / f"plain-{label}.json"
    found: dict[str, object] = {}
    for run in ("cold", "warm"):
        found[run] = counted(command(out), env, cache_sim)
        found[f"{run} output"] = out.read_bytes()
    subprocess.run(command(plain), env=env, cwd=ROOT, capture_output=True, check=True)
    found["plain output"] = plain.read_bytes()
    shutil.rmtree(cache, ignore_errors=True)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents of the 10-system test set (1,000)")
    parser.add_argument("--cache-sim", action="store_true",
                        help="also count the misses of cachegrind's simulated first-level caches (about twice as slow)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind not found (Debian: apt-get install valgrind)")
    compile_package()
    with tempfile.TemporaryDirectory(prefix="harness-facts-instr-") as tmp:
        base = Path(tmp)
        warm = dictionary_folder(base)
        refs, cands, sources = make_test_set(10, args.docs, 1)
        ref_path, cand_path = write_jsonl(base / "set", refs, cands, sources)
        with ThreadPoolExecutor(2) as pool:  # the two ways at once: counts do not depend on the load
            without, with_facts = pool.map(lambda way: pair(base, warm, ref_path, cand_path, way[0], way[1], args.cache_sim),
                                           [("without", ["--no-facts"]), ("with", [])])
    same = True
    for found in (without, with_facts):
        same &= found["cold output"] == found["warm output"] == found["plain output"]
    scores = [{s["name"]: (s["scores"], s["documents"]) for s in json.loads(found["plain output"])["systems"]}  # type: ignore[arg-type]
              for found in (without, with_facts)]
    same &= scores[0] == scores[1]
    rows = [["run", "without facts", "with facts", "facts adds", "target", "met"]]
    met = True
    for run, limit in _TARGETS.items():
        a, b = without[run]["instructions"], with_facts[run]["instructions"]  # type: ignore[index]
        ok = b <= limit * a and same
        met &= ok
        rows.append([f"10x{args.docs} {run}", f"{a / 1e9:.2f} G", f"{b / 1e9:.2f} G", f"{100 * (b / a - 1):+.1f}%",
                     f"<= {100 * (limit - 1):+.0f}%", "yes" if ok else "NO"])
    # The simulated caches' misses: no target, a sign of what an instruction costs (a miss of the
    # first-level instruction cache waits on the next level), which the counts above do not show.
    for run in _TARGETS if args.cache_sim else ():
        for name in ("I1 misses", "D1 misses"):
            a, b = without[run][name], with_facts[run][name]  # type: ignore[index]
            rows.append([f"10x{args.docs} {run}, {name}", f"{a / 1e6:.1f} M", f"{b / 1e6:.1f} M",
                         f"{100 * (b / a - 1):+.1f}%", "-", "-"])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))))
    print(f"(instructions of `harness score --jobs 1`, cachegrind; outputs {'the same' if same else 'DIFFER'} "
          "cold, warm and without cachegrind, and the ROUGE numbers the same with facts and without)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
