"""What a change does to the facts check's cost, measured in turn with the code before it.

A single `bench_scoring.py --scale` run gives each facts row as the median of a few pairs of runs,
and on a shared machine that median moves by a few hundredths from one run to the next, more than
most changes move it (docs/performance.md, "How the runs vary"). Runs of two packages made in the
same minutes see the same host. So this script times both, in rounds of four `harness score` runs:
this checkout's package and the other one, each with facts and with `--no-facts`. The order rotates
from round to round and runs backwards in every other block of four rounds, so that over eight
rounds each run comes first, last and in between equally often, and each package runs without
facts first in half its rounds (as `--scale` takes its pairs either way first in turn). Each
package's facts ratio (CPU seconds of the whole command and its workers, with facts over without, as
`--scale`'s facts rows) is the median of its rounds' ratios. docs/performance.md's twenty-third
round was measured with it (before the order ran backwards in every other block: then each package
ran without facts first in three rounds of four, the same for both, so the comparisons stand).

Run:  python benchmarks/facts_interleaved.py OTHER [--rounds 16] [--warm] [--distinct] [--docs 1000]

OTHER is a git revision of this repository (`HEAD` to time uncommitted work against the last commit,
`HEAD~1` to time the last commit against the one before),
whose package `git archive` exports to a temporary folder, or a folder that holds a `harness` package
(a copy changed to try something). Both packages' bytecode is compiled before anything is timed.
Cold runs (the default) each start from a cache folder holding only the files one run of that
package derives from jieba's dictionary (the name pieces' file is named by a digest of the names
rules, so each package makes its own); `--warm` runs reuse one cache folder per package and way,
filled by two runs first. The test set is `--scale`'s: 10 systems x `--docs` documents with their
sources (`--distinct`: no two texts share a sentence).

Prints each package's ratios, and whether the two packages' last runs wrote the same bytes (with
facts, and without). Exit status 1 if they did not, unless `--outputs-may-differ` (a change to the
rules), or if a package fails to run (the command and the end of its standard error said); 2 for a
bad argument.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import NoReturn

from scale_cases import HARNESS, ROOT, compile_package, dictionary_folder, dictionary_only_cache, run_measured
from workload import make_test_set, write_jsonl

SYSTEMS = 10


def package_folder(other: str, base: Path) -> Path:
    """The folder that holds the other `harness` package: `other` itself, or the revision exported."""
    given = Path(other)
    if (given / "harness" / "__init__.py").is_file():
        return given.resolve()
    archive = base / "other.tar"
    made = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", f"--output={archive}", other, "harness"],
                          capture_output=True, text=True)
    if made.returncode != 0:
        stop(f"{other}: neither a folder holding a harness package nor a revision git knows ({made.stderr.strip()})")
    folder = base / "other"
    with tarfile.open(archive) as tar:
        if hasattr(tarfile, "data_filter"):  # (Python 3.12, and 3.11 from 3.11.4)
            tar.extractall(folder, filter="data")
        else:
            tar.extractall(folder)  # (git's own archive of this repository)
    return folder


def stop(message: str) -> NoReturn:
    """Exit 2 (a bad argument) with `message` on standard error."""
    print(message, file=sys.stderr)
    raise SystemExit(2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("other", help="a git revision, or a folder that holds a harness package")
    parser.add_argument("--rounds", type=int, default=16, help="at least 1; multiples of 8 balance the order")
    parser.add_argument("--warm", action="store_true", help="time warm runs (default: cold)")
    parser.add_argument("--distinct", action="store_true", help="summaries that share no sentence")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--outputs-may-differ", action="store_true", help="a change to what the check says")
    args = parser.parse_args()
    if args.rounds < 1 or args.docs < 1:
        parser.error("--rounds and --docs must be at least 1")

    base = Path(tempfile.mkdtemp(prefix="facts-interleaved-"))
    try:
        packages = {"this": ROOT, "other": package_folder(args.other, base)}
        for folder in packages.values():
            compile_package(folder)  # (a timed command must not compile its imports)
        refs, cands, sources = make_test_set(SYSTEMS, args.docs, 1, distinct=args.distinct)
        ref_path, cand_path = write_jsonl(base / "set", refs, cands, sources)

        def env(name: str, cache: Path) -> dict[str, str]:
            return dict(os.environ, PYTHONPATH=str(packages[name]), HARNESS_CACHE_DIR=str(cache))

        def run(name: str, facts: bool, cache: Path) -> float:
            """CPU seconds of one `harness score` of `name`'s package and its workers."""
            out = base / f"{name}-{'with' if facts else 'without'}.json"
            command = [*HARNESS, "score", "--no-config", "--references", str(ref_path), "--candidates", str(cand_path),
                       "--jobs", str(args.jobs), "--format", "json", "-o", str(out), *([] if facts else ["--no-facts"])]
            before = os.times()
            run_measured(command, env(name, cache), cwd=base)
            after = os.times()
            return (after.children_user + after.children_system) - (before.children_user + before.children_system)

        # What one run of each package leaves in a cache folder and every run has on a machine: jieba's files.
        # (Run from `base`: `python -m harness` from the checkout would import the checkout's package first.)
        dictionaries = {name: dictionary_folder(base, f"dictionary-{name}", env(name, base), cwd=base) for name in packages}
        runs = [(name, facts) for name in packages for facts in (False, True)]
        caches = {}
        if args.warm:
            for spec in runs:
                caches[spec] = dictionary_only_cache(base, dictionaries[spec[0]])
                run(*spec, caches[spec])
                run(*spec, caches[spec])
        times: dict[tuple[str, bool], list[float]] = {spec: [] for spec in runs}
        for number in range(args.rounds):
            order = runs[number % 4:] + runs[:number % 4]
            for spec in order if (number // 4) % 2 == 0 else order[::-1]:
                cache = caches[spec] if args.warm else dictionary_only_cache(base, dictionaries[spec[0]])
                times[spec].append(run(*spec, cache))
                if not args.warm:
                    shutil.rmtree(cache)

        print(f"{args.rounds} rounds, {'warm' if args.warm else 'cold'}, {SYSTEMS} x {args.docs}"
              f"{' (distinct)' if args.distinct else ''}, --jobs {args.jobs}; CPU s with facts / without:")
        for name in packages:
            ratios = sorted(f / n for n, f in zip(times[(name, False)], times[(name, True)], strict=True))
            label = "this checkout" if name == "this" else args.other
            print(f"  {label}: median {statistics.median(ratios):.3f}, mean {statistics.mean(ratios):.3f} "
                  f"(without {statistics.median(times[(name, False)]):.2f} s, with {statistics.median(times[(name, True)]):.2f} s;"
                  f" rounds {' '.join(f'{r:.2f}' for r in ratios)})")
        same = all(filecmp.cmp(base / f"this-{way}.json", base / f"other-{way}.json", shallow=False)
                   for way in ("with", "without"))
        print("outputs: the same bytes" if same else "outputs: DIFFER between the two packages")
        return 0 if same or args.outputs_may_differ else 1
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
