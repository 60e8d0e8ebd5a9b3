"""The same test set on each engine: `harness score` as a whole command on `--jobs 1`, on the
process pool (`--jobs 2`) and on a local Dask cluster of 2 workers (`--executor dask --jobs 2`),
with pairs per second, the coordinator's peak memory (proportional set size of the `harness`
process alone) and of the whole process tree, and a check that every engine wrote the same bytes.

Default: 100 systems x 1,000 documents (100,000 pairs), each run with an empty cache (jieba's
dictionary file only). `--million` adds 1,000,000 pairs (100 x 10,000) on the process pool, its
JSONL written as a stream, one document at a time (benchmarks/workload.py's generator never
holds the set whole; the harness itself then reads the whole corpus, see docs/scale.md).

Run:  python benchmarks/bench_engines.py [--systems 100] [--docs 1000] [--million]
Exit status 1 if two engines' outputs differ.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from scale_cases import HARNESS, _pss_mib, dictionary_only_cache
from workload import STYLES, _summary, make_test_set, sentences, write_jsonl

ENGINES = {"--jobs 1": ["--jobs", "1"], "process pool x2": ["--jobs", "2"], "dask local x2": ["--executor", "dask", "--jobs", "2"]}


def _tree(pid: int) -> list[int]:
    """The process and all its descendants, those started by any of its threads too (Dask starts
    its workers from its event loop's thread, which scale_cases._tree does not look at)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for children in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo += [int(c) for c in children.read_text().split()]
            except OSError:
                continue
    return out


def measured(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(seconds, coordinator peak PSS MiB, process tree peak PSS MiB) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks = [0.0, 0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peaks[0] = max(peaks[0], _pss_mib([proc.pid]))
            peaks[1] = max(peaks[1], _pss_mib(_tree(proc.pid)))
            time.sleep(0.2)  # more often costs the measured command CPU (see scale_cases.run_measured)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return seconds, peaks[0], peaks[1]


def stream_test_set(folder: Path, n_systems: int, n_docs: int, seed: int = 7) -> tuple[Path, Path]:
    """references.jsonl and candidates.jsonl (one line per system and document, grouped by
    document), written one document at a time: memory stays that of one document."""
    rng = random.Random(seed)
    pool = sentences()
    systems = [f"sys{s:03d}-{STYLES[s % len(STYLES)]}" for s in range(n_systems)]
    folder.mkdir(parents=True, exist_ok=True)
    refs_path, cands_path = folder / "references.jsonl", folder / "candidates.jsonl"
    with refs_path.open("w", encoding="utf-8") as refs_out, cands_path.open("w", encoding="utf-8") as cands_out:
        for d in range(n_docs):
            doc = f"doc{d:06d}"
            start = rng.randrange(0, len(pool) - 30)
            window = pool[start : start + rng.randint(15, 30)]
            ref = "".join(rng.sample(window, rng.randint(4, 10)))
            refs_out.write(json.dumps({"id": doc, "references": [ref]}, ensure_ascii=False) + "\n")
            for s, system in enumerate(systems):
                text = _summary(rng, STYLES[s % len(STYLES)], window, [ref], pool)
                cands_out.write(json.dumps({"id": doc, "system": system, "summary": text}, ensure_ascii=False) + "\n")
    return refs_path, cands_path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", type=int, default=100)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--million", action="store_true", help="also 1,000,000 pairs, streamed, on the process pool")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated subset of: " + ", ".join(ENGINES))
    args = parser.parse_args()
    rows: list[tuple[str, int, float, float, float]] = []
    outputs: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="harness-engines-") as tmp:
        base = Path(tmp)
        warm = base / "dictionary"
        subprocess.run([*HARNESS, "tokenize", "预热"], env=dict(os.environ, HARNESS_CACHE_DIR=str(warm)), check=True,
                       capture_output=True)
        refs, cands, _ = make_test_set(args.systems, args.docs, 1, seed=99)
        ref_path, cand_path = write_jsonl(base / "set", refs, cands)
        pairs = args.systems * args.docs
        for engine in [e for e in args.engines.split(",") if e]:
            out = base / f"out-{len(outputs)}.json"
            cmd = [*HARNESS, "score", "--no-config", "--references", str(ref_path), "--candidates", str(cand_path),
                   "--format", "json", "-o", str(out), *ENGINES[engine]]
            env = dict(os.environ, HARNESS_CACHE_DIR=str(dictionary_only_cache(base, warm)))
            seconds, coordinator, tree = measured(cmd, env)
            rows.append((engine, pairs, seconds, coordinator, tree))
            outputs[engine] = out.read_bytes()
        if args.million:
            ref_path, cand_path = stream_test_set(base / "million", 100, 10_000)
            cmd = [*HARNESS, "score", "--no-config", "--references", str(ref_path), "--candidates", str(cand_path),
                   "--format", "json", "-o", str(base / "million.json"), "--jobs", "2"]
            env = dict(os.environ, HARNESS_CACHE_DIR=str(dictionary_only_cache(base, warm)))
            seconds, coordinator, tree = measured(cmd, env)
            rows.append(("process pool x2 (streamed set)", 1_000_000, seconds, coordinator, tree))
    same = len(set(outputs.values())) <= 1
    print(f"{'engine':<32}{'pairs':>10}{'seconds':>9}{'pairs/s':>9}{'coord. MiB':>12}{'tree MiB':>10}")
    for engine, n, seconds, coordinator, tree in rows:
        print(f"{engine:<32}{n:>10,}{seconds:>9.1f}{n / seconds:>9,.0f}{coordinator:>12.0f}{tree:>10.0f}")
    compared = f"; outputs {'identical' if same else 'DIFFER'} across {', '.join(outputs)}" if len(outputs) > 1 else ""
    print(f"(empty cache but jieba's dictionary; peak proportional set size{compared})")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
