"""The same test set on each engine: `harness score` as a whole command on `--jobs 1`, on the
process pool (`--jobs 2`) and on a local Dask cluster of 2 workers (`--executor dask --jobs 2`),
with pairs per second, the coordinator's peak memory (proportional set size of the `harness`
process alone) and of the whole process tree, and a check that every engine wrote the same bytes.

Default: 100 systems x 1,000 documents (100,000 pairs), each run with an empty cache (jieba's
dictionary file only). `harness score` holds the corpus and every document's scores (it ranks,
bootstraps and writes them), so its memory grows with the pairs.

`--million` adds `harness.score_stream` on the process pool (2 workers) at 100,000 and at
1,000,000 pairs (100 systems x 10,000 documents), each in a fresh process: the pairs come from a
generator, one document at a time (benchmarks/workload.py's `documents`, the same texts as the
100,000-pair set for its first 1,000 documents), are never held whole, and are added up into each
system's running means. Flat memory means the coordinator's peak is about the same at both
sizes. A random sample of 200 pairs of each streamed run is compared, number by number, with the
naive way (rouge-score with a jieba tokenizer, scale_cases.naive_best); the 100,000-pair stream's
system means with those `harness score` wrote for the same pairs.

Run:  python benchmarks/bench_engines.py [--systems 100] [--docs 1000] [--million] [--stream-sizes 100000,1000000]
Exit status 1 if two engines' outputs differ, or a streamed number differs from the naive way's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from scale_cases import HARNESS, dictionary_only_cache, measure_command, naive_best
from workload import documents, make_test_set, system_names, write_jsonl

from harness.rouge.settings import Settings

ENGINES = {"--jobs 1": ["--jobs", "1"], "process pool x2": ["--jobs", "2"], "dask local x2": ["--executor", "dask", "--jobs", "2"]}
SEED = 99  # the 100,000-pair set's; the streamed runs draw the same texts
STREAM_SYSTEMS = 100
STREAM_LABEL = "score_stream, pool x2"
SAMPLE = 200


# -- the streamed runs: a child process each, measured from outside ----------------------------------


def stream_child(n_pairs: int, out: Path) -> None:
    """In the measured process: `n_pairs` pairs from the generator through harness.score_stream on
    2 workers; writes each system's means and the sampled pairs with their scores to `out`."""
    import harness

    n_docs = n_pairs // STREAM_SYSTEMS
    chosen = set(random.Random(SEED).sample(range(n_docs * STREAM_SYSTEMS), SAMPLE))

    def pairs() -> Iterator[tuple[str, str, tuple[int, tuple[str, str] | None]]]:
        i = 0
        for _doc, _source, refs, summaries in documents(STREAM_SYSTEMS, n_docs, 1, random.Random(SEED)):
            for s, summary in enumerate(summaries):
                yield refs[0], summary, (s, (refs[0], summary) if i in chosen else None)  # the key: system, sampled texts
                i += 1

    stream = harness.score_stream(pairs(), jobs=2)
    sums = [[0.0] * (3 * len(stream.metrics)) for _ in range(STREAM_SYSTEMS)]
    sample = []
    for (system, texts), scores in stream:
        values = [x for m in stream.metrics for x in scores[m]]
        sums[system] = [a + b for a, b in zip(sums[system], values, strict=True)]
        if texts is not None:
            sample.append([*texts, {m: list(scores[m]) for m in stream.metrics}])
    means = {
        name: {m: [total / n_docs for total in sums[s][3 * i : 3 * i + 3]] for i, m in enumerate(stream.metrics)}
        for s, name in enumerate(system_names(STREAM_SYSTEMS))
    }
    out.write_text(json.dumps({"means": means, "sample": sample, "signature": stream.signature}, ensure_ascii=False),
                   encoding="utf-8")


def sample_difference(sample: list, settings: Settings) -> float:
    """Max |streamed - naive| over every number of the sampled pairs (0.0: equal to the bit)."""
    worst = 0.0
    for ref, cand, scores in sample:
        naive = naive_best([ref], cand, settings)
        for m, values in scores.items():
            worst = max(worst, *(abs(a - b) for a, b in zip(values, naive[m], strict=True)))
    return worst


def means_difference(means: dict, output: bytes) -> float:
    """Max |streamed mean - `harness score`'s| over every system, metric and number."""
    written = {s["name"]: s["scores"] for s in json.loads(output)["systems"]}
    worst = 0.0
    for name, by_metric in means.items():
        for m, (p, r, f) in by_metric.items():
            got = written[name][m]
            worst = max(worst, abs(got["precision"] - p), abs(got["recall"] - r), abs(got["fmeasure"] - f))
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", type=int, default=100)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--million", action="store_true", help="also harness.score_stream at 100,000 and 1,000,000 pairs")
    parser.add_argument("--stream-sizes", default="100000,1000000", help="the streamed runs' sizes (multiples of 100)")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated subset of: " + ", ".join(ENGINES))
    parser.add_argument("--stream-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stream_child:
        stream_child(args.stream_child, args.out)
        return 0
    rows: list[tuple[str, int, float, float, float]] = []
    outputs: dict[str, bytes] = {}
    notes: list[str] = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="harness-engines-") as tmp:
        base = Path(tmp)
        warm = base / "dictionary"
        subprocess.run([*HARNESS, "tokenize", "预热"], env=dict(os.environ, HARNESS_CACHE_DIR=str(warm)), check=True,
                       capture_output=True)
        pairs = args.systems * args.docs
        engines = [e for e in args.engines.split(",") if e]
        if engines:
            refs, cands, _ = make_test_set(args.systems, args.docs, 1, seed=SEED)
            ref_path, cand_path = write_jsonl(base / "set", refs, cands, per_system=True)
            del refs, cands
        for engine in engines:
            out = base / f"out-{len(outputs)}.json"
            cmd = [*HARNESS, "score", "--no-config", "--references", str(ref_path), "--candidates", str(cand_path),
                   "--format", "json", "-o", str(out), *ENGINES[engine]]
            env = dict(os.environ, HARNESS_CACHE_DIR=str(dictionary_only_cache(base, warm)))
            seconds, coordinator, tree = measure_command(cmd, env, coordinator=True)
            rows.append((engine, pairs, seconds, coordinator, tree))
            outputs[engine] = out.read_bytes()
        streamed: dict[int, float] = {}
        for n in [int(x) for x in args.stream_sizes.split(",")] if args.million else []:
            out = base / f"stream-{n}.json"
            cmd = [sys.executable, str(Path(__file__).resolve()), "--stream-child", str(n), "--out", str(out)]
            env = dict(os.environ, HARNESS_CACHE_DIR=str(dictionary_only_cache(base, warm)))
            seconds, coordinator, tree = measure_command(cmd, env, coordinator=True)
            rows.append((STREAM_LABEL, n, seconds, coordinator, tree))
            streamed[n] = coordinator
            result = json.loads(out.read_text(encoding="utf-8"))
            diff = sample_difference(result["sample"], Settings())
            failed |= diff != 0.0
            notes.append(f"{n:,} streamed: {len(result['sample'])} sampled pairs vs rouge-score with jieba, "
                         f"max |diff| {diff:g}{'' if diff == 0.0 else ' (DIFFER)'}")
            if n == pairs and args.systems == STREAM_SYSTEMS and outputs:
                diff = means_difference(result["means"], next(iter(outputs.values())))
                failed |= diff > 1e-12
                notes.append(f"{n:,} streamed: system means vs harness score's on the same pairs, max |diff| {diff:.1e}")
    same = len(set(outputs.values())) <= 1
    print(f"{'engine':<32}{'pairs':>10}{'seconds':>9}{'pairs/s':>9}{'coord. MiB':>12}{'tree MiB':>10}")
    for engine, n, seconds, coordinator, tree in rows:
        print(f"{engine:<32}{n:>10,}{seconds:>9.1f}{n / seconds:>9,.0f}{coordinator:>12.0f}{tree:>10.0f}")
    compared = f"; outputs {'identical' if same else 'DIFFER'} across {', '.join(outputs)}" if len(outputs) > 1 else ""
    print(f"(empty cache but jieba's dictionary; peak proportional set size{compared})")
    if len(streamed) > 1:
        (small, at_small), (large, at_large) = min(streamed.items()), max(streamed.items())
        notes.append(f"streamed coordinator peak: {at_small:.0f} MiB at {small:,} pairs, {at_large:.0f} MiB at {large:,} "
                     f"({at_large / at_small:.2f}x for {large / small:g}x the pairs)")
    for note in notes:
        print(f"({note})")
    return 0 if same and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
