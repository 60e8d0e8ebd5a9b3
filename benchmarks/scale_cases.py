"""The scale cases of bench_scoring.py (`--scale`): whole `harness` commands on JSONL test sets
from benchmarks/workload.py against the naive way, with targets, memory and agreement.

The naive way is rouge-score's RougeScorer with a jieba tokenizer, one `score()` per
(reference, candidate) pair, best F over the references (rouge-score's `score_multi` rule).
It reuses nothing between pairs, so it is timed on a random sample of pairs and scaled to
the whole set; the same sample is compared, number by number, with the harness's output.
The harness side is the installed `harness` command, timed as a whole process (start-up,
reading JSONL, scoring, writing JSON), on 2 processes (`--jobs 2`).

"Empty cache" means a harness cache folder holding only the files derived from jieba's
dictionary, its prefix dictionary and facts' name pieces (what any machine has after its first
run); "warm" means the same command run again.
"""

from __future__ import annotations

import compileall
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from workload import make_test_set, write_jsonl

from harness.rouge.metrics import DEFAULT_METRICS
from harness.rouge.scoring import _rouge_l, naive_score
from harness.rouge.settings import Settings
from harness.text.analysed import AnalysedText

ROOT = Path(__file__).resolve().parents[1]
HARNESS = [sys.executable, "-m", "harness"]


@dataclass
class Row:
    case: str
    pairs: int
    naive: float | None
    harness: float
    target: str
    peak_mib: float | None = None
    max_diff: float | None = None
    met: bool | None = None
    speed: str | None = None  # the speed-up cell, when it is not naive / harness (the facts rows' ratio)

    def cells(self) -> list[str]:
        speed = self.speed or ("-" if self.naive is None else f"{self.naive / self.harness:.1f}x")
        return [
            self.case, str(self.pairs), "-" if self.naive is None else f"{self.naive:.2f}", f"{self.harness:.2f}", speed,
            self.target, "-" if self.peak_mib is None else f"{self.peak_mib:.0f}",
            "-" if self.max_diff is None else f"{self.max_diff:.1e}" if self.max_diff else "0",
            {True: "yes", False: "NO", None: "-"}[self.met],
        ]


# -- process memory ------------------------------------------------------------------------------


def _tree(pid: int) -> list[int]:
    """The process and all its descendants, those started by any of its threads too (Dask starts
    its workers from its event loop's thread, not the main one)."""
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


def _pss_mib(pids: list[int]) -> float:
    """Proportional set size of the processes: shared pages (forked workers) are counted once."""
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def run_measured(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, float]:
    """(seconds, peak PSS MiB of the whole process tree) of one command; fails loudly."""
    seconds, _coordinator, tree = measure_command(args, env, cwd)
    return seconds, tree


def measure_command(args: list[str], env: dict[str, str], cwd: Path = ROOT, *,
                    coordinator: bool = False) -> tuple[float, float, float]:
    """(seconds, peak PSS MiB of the command's own process (with `coordinator`, else 0), peak PSS MiB
    of its whole process tree) of one command; fails loudly."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks = [0.0, 0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            if coordinator:
                peaks[0] = max(peaks[0], _pss_mib([proc.pid]))
            peaks[1] = max(peaks[1], _pss_mib(_tree(proc.pid)))
            # Reading smaps_rollup of large processes costs CPU the measured command then lacks
            # (at 20 samples a second a 1 s rerun measured 1.6 s): 5 a second is enough for a peak.
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return seconds, peaks[0], peaks[1]


def compile_package(root: Path = ROOT) -> None:
    """Write the bytecode of the harness package that the timed commands import (`python -m harness`
    from ROOT, or with `root` on PYTHONPATH), before anything is timed. An installed package has its .pyc files (pip compiles them
    at install time); a checkout run with PYTHONDONTWRITEBYTECODE set (as in some sandboxes and CI
    images) never writes them, and every timed command would then compile the harness modules it
    imports again (0.09 s of a warm `harness score` here), which no user's command spends."""
    if not compileall.compile_dir(str(root / "harness"), quiet=1):
        raise SystemExit(f"could not compile {root / 'harness'}")


# -- cache folders -------------------------------------------------------------------------------


def dictionary_folder(base: Path, name: str = "dictionary", env: dict[str, str] | None = None,
                      cwd: Path | None = None) -> Path:
    """`base`/`name`: what one run of the installed harness (or, run from `cwd`, of the package `env`
    puts on PYTHONPATH) leaves once and for all, jieba's dictionary cache and the name pieces facts picks from it
    (tokenizers.dictionary_words). Every case starts from these files and nothing else: "cold" is a run
    on texts the cache has never seen."""
    warm = base / name
    (base / "source.txt").write_text("OpenAI 2022年花了5.4亿美元。", encoding="utf-8")
    command = [*HARNESS, "facts", "--source", str(base / "source.txt")]
    done = subprocess.run(command, input="OpenAI 花了5.4亿美元。", text=True, capture_output=True, cwd=cwd,
                          env=dict(env or os.environ, HARNESS_CACHE_DIR=str(warm)))
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}")
    made = sorted(f.name for f in warm.glob("jieba-*.cache"))
    if len(made) != 2 or not any("-names-" in name for name in made):  # else the cases time their making
        raise SystemExit(f"the dictionary folder holds {made}, not jieba's dictionary and the name pieces")
    return warm


def dictionary_only_cache(base: Path, warm_from: Path) -> Path:
    """A fresh harness cache folder holding only the files derived from jieba's dictionary."""
    folder = Path(tempfile.mkdtemp(dir=base, prefix="cache-"))
    for f in warm_from.glob("jieba-*.cache"):
        shutil.copy(f, folder / f.name)
    return folder


# -- the naive way ---------------------------------------------------------------------------------


def naive_best(refs: list[str], cand: str, settings: Settings) -> dict[str, tuple[float, float, float]]:
    processor = settings.processor()
    per_ref = [naive_score(target=r, prediction=cand, processor=processor, metrics=settings.metrics) for r in refs]
    best = {}
    for m in settings.metrics:
        chosen = per_ref[0][m]
        for s in per_ref[1:]:
            if s[m].fmeasure > chosen.fmeasure:
                chosen = s[m]
        best[m] = tuple(chosen)
    return best


def naive_sample(refs: dict[str, list[str]], cands: dict[str, dict[str, str]], sample: int, seed: int) -> tuple[float, dict]:
    """(seconds per (system, document), {(system, doc): scores}) on a random sample."""
    settings = Settings()
    settings.processor().tokenizer.tokenize("预热")  # jieba loaded before timing, as for the harness's warm-up
    keys = [(s, d) for s in cands for d in cands[s]]
    chosen = random.Random(seed).sample(keys, min(sample, len(keys)))
    start = time.perf_counter()
    out = {(s, d): naive_best(refs[d], cands[s][d], settings) for s, d in chosen}
    return (time.perf_counter() - start) / len(chosen), out


def max_difference(output: Path, naive: dict) -> float:
    data = json.loads(output.read_text(encoding="utf-8"))
    docs = {s["name"]: s["documents"] for s in data["systems"]}
    worst = 0.0
    for (system, doc), scores in naive.items():
        for m, (p, r, f) in scores.items():
            got = docs[system][doc][m]
            worst = max(worst, abs(got["precision"] - p), abs(got["recall"] - r), abs(got["fmeasure"] - f))
    return worst


# -- the cases ---------------------------------------------------------------------------------------


def test_set_case(base: Path, warm: Path, systems: int, docs: int, n_refs: int, sample: int, label: str, target: float,
                  rows: list[Row], warm_target: float | None = None, distinct: bool = False) -> None:
    refs, cands, _sources = make_test_set(systems, docs, n_refs, distinct=distinct)
    folder = base / label
    ref_path, cand_path = write_jsonl(folder, refs, cands)
    cache = dictionary_only_cache(base, warm)
    env = dict(os.environ, HARNESS_CACHE_DIR=str(cache))
    out = folder / "scores.json"
    args = [*HARNESS, "score", "--no-config", "--references", str(ref_path), "--candidates", str(cand_path),
            "--jobs", "2", "--format", "json", "-o", str(out)]
    cold_s, cold_mib = run_measured(args, env)
    pairs = systems * docs * n_refs
    per_item, naive = (None, {}) if sample == 0 else naive_sample(refs, cands, sample, seed=docs)
    naive_s = None if per_item is None else per_item * systems * docs
    diff = max_difference(out, naive) if naive else None
    met = None if naive_s is None else naive_s / cold_s >= target and (diff or 0.0) <= 1e-12
    rows.append(Row(label, pairs, naive_s, cold_s, f">= {target:g}x" if sample else "-", cold_mib, diff, met))
    if warm_target is not None:
        warm_s, warm_mib = run_measured(args, env)
        met = None if naive_s is None else naive_s / warm_s >= warm_target and max_difference(out, naive) <= 1e-12
        rows.append(Row(f"{label} warm", pairs, naive_s, warm_s, f">= {warm_target:g}x", warm_mib, diff, met))
    shutil.rmtree(cache, ignore_errors=True)


def facts_case(base: Path, warm: Path, systems: int, docs: int, rows: list[Row], rounds: int = 5,
               distinct: bool = False, notes: list[str] | None = None, warm_pairs: int = 3) -> None:
    """The facts check's cost: the same test set with its sources, `harness score` with and without
    `--no-facts`, cold (an empty cache but jieba's dictionary and facts' name pieces, which one run
    of the installed harness leaves) and warm (run again); the ROUGE numbers of every run must be the
    same. The `naive s` column holds the run without facts here; both columns are CPU seconds of the
    whole command, workers included, and the speed-up column the median of the pairs' ratios (with /
    without, the two runs of a pair back to back), which the target is held to (why not the least of
    each way: docs/performance.md).

    A round makes a cold pair, each run on a cache of its own, then `warm_pairs` warm pairs on those
    caches, every pair in turn without facts first and with facts first (so neither way always has
    the host's second turn): a warm run takes about a second, and a
    second's drift of the host's speed moved a single pair by 0.1 or more (a round's one warm pair gave
    ratios from 0.92 to 1.24 in one run of the script, 2026-12-05).

    With `distinct`, the summaries and references share no sentence (`make_test_set`), as
    model-written summaries share none with each other: every piece of every summary is read, where
    the shared set's summaries, cut from their sources, repeat the same few thousand sentences.

    Every pair's ratio, least to most, goes to `notes`: how far one pair is from the median shows
    how much the host moved the row."""
    refs, cands, sources = make_test_set(systems, docs, 1, distinct=distinct)
    folder = base / ("facts-distinct" if distinct else "facts")

    def _cpu(at: os.times_result) -> float:
        return at.children_user + at.children_system

    ref_path, cand_path = write_jsonl(folder, refs, cands, sources)
    times: dict[str, dict[str, list[float]]] = {"cold": {"without": [], "with": []}, "warm": {"without": [], "with": []}}
    outputs: list[object] = []

    def run(label: str, cache: Path) -> float:
        out = folder / f"scores-{label}.json"
        args = [*HARNESS, "score", "--no-config", "--references", str(ref_path), "--candidates", str(cand_path),
                "--jobs", "2", "--format", "json", "-o", str(out), *(["--no-facts"] if label == "without" else [])]
        # CPU seconds of the command and its workers (os.times' children fields): on a shared machine
        # wall-clock times swing with the other load, CPU seconds less.
        before = os.times()
        run_measured(args, dict(os.environ, HARNESS_CACHE_DIR=str(cache)))
        took = _cpu(os.times()) - _cpu(before)
        outputs.append({s["name"]: s["documents"] for s in json.loads(out.read_text(encoding="utf-8"))["systems"]})
        return took

    for number in range(rounds):
        caches = {label: dictionary_only_cache(base, warm) for label in ("without", "with")}
        for label in ("without", "with") if number % 2 == 0 else ("with", "without"):
            times["cold"][label].append(run(label, caches[label]))
        for pair in range(warm_pairs):
            for label in ("without", "with") if (number + pair) % 2 == 0 else ("with", "without"):
                times["warm"][label].append(run(label, caches[label]))
        for cache in caches.values():
            shutil.rmtree(cache, ignore_errors=True)
    diff = 0.0 if all(found == outputs[0] for found in outputs) else 1.0  # every run's, with facts or without
    pairs = systems * docs
    for label, limit in (("cold", 1.3), ("warm", 1.1)):
        found = times[label]
        ratios = sorted(b / a for a, b in zip(found["without"], found["with"], strict=True))
        ratio = statistics.median(ratios)
        case = f"{systems}x{docs} + facts{', distinct' if distinct else ''}, {label}"
        if notes is not None:
            notes.append(f"{case}: the pairs' ratios {' '.join(f'{r:.2f}' for r in ratios)}")
        rows.append(Row(case, pairs, statistics.median(found["without"]), statistics.median(found["with"]),
                        f"<= {limit:g}x time", None, diff, ratio <= limit and diff == 0.0, f"{ratio:.3f}x time"))


def memory_case(base: Path, warm: Path, systems: int, docs: int, limit_mib: float, rows: list[Row]) -> None:
    refs, cands, _ = make_test_set(systems, docs, 1, seed=99)
    folder = base / "memory"
    ref_path, cand_path = write_jsonl(folder, refs, cands, per_system=True)
    cache = dictionary_only_cache(base, warm)
    out = folder / "scores.json"
    args = [*HARNESS, "score", "--no-config", "--references", str(ref_path), "--candidates", str(cand_path),
            "--jobs", "2", "--format", "json", "-o", str(out)]
    seconds, peak = run_measured(args, dict(os.environ, HARNESS_CACHE_DIR=str(cache)))
    _, naive = naive_sample(refs, cands, 50, seed=1)
    diff = max_difference(out, naive)
    rows.append(Row(f"{systems * docs:,} pairs", systems * docs, None, seconds, f"< {limit_mib:g} MiB", peak, diff,
                    peak < limit_mib and diff <= 1e-12))
    shutil.rmtree(cache, ignore_errors=True)


def long_lcs_case(n_tokens: int, n_pairs: int, target: float, rows: list[Row]) -> None:
    """ROUGE-L alone on pairs of about n_tokens tokens: rouge-score's `_score_lcs` (its full table in
    pure Python) against the harness's bit-parallel LCS, on the same tokens."""
    from rouge_score import rouge_scorer

    processor = Settings().processor()
    article = (ROOT / "sources" / "ai-open-source.txt").read_text(encoding="utf-8")
    tokens = list(processor.analyze(article * 3).tokens)
    rng = random.Random(5)
    pairs = []
    for _ in range(n_pairs):
        a, b = rng.randrange(0, len(tokens) - n_tokens), rng.randrange(0, len(tokens) - n_tokens)
        pairs.append((tokens[a : a + n_tokens], tokens[b : b + n_tokens]))
    start = time.perf_counter()
    theirs = [rouge_scorer._score_lcs(t, p) for t, p in pairs]
    naive_s = time.perf_counter() - start
    start = time.perf_counter()
    ours = [_rouge_l(AnalysedText((tuple(t),)), AnalysedText((tuple(p),))) for t, p in pairs]
    ours_s = time.perf_counter() - start
    diff = max(abs(x - y) for o, t in zip(ours, theirs, strict=True) for x, y in zip(o, t, strict=True))
    rows.append(Row(f"rougeL {n_tokens} tokens", n_pairs, naive_s, ours_s, f">= {target:g}x", None, diff,
                    naive_s / ours_s >= target and diff <= 1e-12))


def command_cases(base: Path, warm: Path, repeats: int, rows: list[Row]) -> None:
    """`harness score` on the shipped corpus as a whole command, against a bare jieba start."""
    jieba_dir = Path(tempfile.mkdtemp(dir=base, prefix="jieba-"))
    bare = [sys.executable, "-c",
            f"import jieba; t = jieba.Tokenizer(); t.tmp_dir = {str(jieba_dir)!r}; t.initialize()"]
    subprocess.run(bare, check=True, capture_output=True)  # its own cache file written once, untimed
    bare_s = statistics.median(run_measured(bare, dict(os.environ))[0] for _ in range(repeats))
    args = [*HARNESS, "score", "--no-config"]
    warm_cache = dictionary_only_cache(base, warm)
    env = dict(os.environ, HARNESS_CACHE_DIR=str(warm_cache))
    run_measured(args, env)  # fills the cache
    warm_s = statistics.median(run_measured(args, env)[0] for _ in range(repeats))
    cold_times = []
    for _ in range(repeats):
        cold_cache = dictionary_only_cache(base, warm)
        cold_times.append(run_measured(args, dict(os.environ, HARNESS_CACHE_DIR=str(cold_cache)))[0])
    cold_s = statistics.median(cold_times)
    rows.append(Row("score, warm cache", 21, bare_s, warm_s, "<= 1/3 of jieba", None, None, warm_s <= bare_s / 3))
    rows.append(Row("score, empty cache", 21, bare_s, cold_s, "< jieba", None, None, cold_s < bare_s))


def run(args: object) -> int:
    """All scale cases; prints the table; exit status 1 if a target is missed or a number differs."""
    sample = getattr(args, "sample", 200)
    docs = getattr(args, "scale_docs", 1000)
    rows: list[Row] = []
    notes: list[str] = []  # what a case has to say under the table
    compile_package()
    with tempfile.TemporaryDirectory(prefix="harness-bench-") as tmp:
        base = Path(tmp)
        warm = dictionary_folder(base)
        test_set_case(base, warm, 10, docs, 1, sample, f"10x{docs}, 1 ref", 15, rows, warm_target=150)
        test_set_case(base, warm, 10, docs, 3, sample // 2, f"10x{docs}, 3 refs", 15, rows)
        test_set_case(base, warm, 10, docs, 1, sample, f"10x{docs}, 1 ref, distinct", 15, rows, distinct=True)
        facts_case(base, warm, 10, docs, rows, notes=notes)
        facts_case(base, warm, 10, docs, rows, distinct=True, notes=notes)
        long_lcs_case(2000, 3, 200, rows)
        command_cases(base, warm, 5, rows)
        if not getattr(args, "skip_memory", False):
            memory_case(base, warm, 100, docs, 500, rows)
    headers = ["case", "pairs", "naive s", "harness s", "speed-up", "target", "peak MiB", "max |diff|", "met"]
    table = [headers] + [r.cells() for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    for row in table:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))))
    print(f"(naive: rouge-score {DEFAULT_METRICS} per pair, timed on a sample of {sample} and scaled; "
          "harness: the whole command, --jobs 2; 'score' rows compare with a bare jieba Tokenizer().initialize())")
    for note in notes:
        print(note)
    return 0 if all(r.met is not False for r in rows) else 1
