"""Reading a large JSONL test set: harness.inputs.jsonl against a bare `json.loads` per line.

The bare way validates nothing (no duplicate keys, ids, types or pairing checks); it is the
floor the validating reader is compared with. Both must produce the same texts.
The files (N documents, each with two references and one summary of ~35 characters of Chinese
text from the shipped article's first line) are written to a temporary folder.

Run:  python benchmarks/bench_jsonl.py [--lines 50000] [--repeat 3]
Exit status 1 if the two ways disagree.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from harness.inputs.jsonl import JsonlFields, read_candidates_jsonl, read_references_jsonl

T = TypeVar("T")
TEXT = "以LLaMA的衍生模型Alpaca为例，其训练成本仅用了52k数据和600美元。"


def write(folder: Path, n: int) -> tuple[Path, Path, list[str]]:
    docs = [f"doc-{i:06d}" for i in range(n)]
    refs, cands = folder / "references.jsonl", folder / "system.jsonl"
    with refs.open("w", encoding="utf-8") as out:
        for i, doc in enumerate(docs):
            out.write(json.dumps({"id": doc, "references": [TEXT * 2, f"{i} {TEXT}"], "source": TEXT * 5}, ensure_ascii=False) + "\n")
    with cands.open("w", encoding="utf-8") as out:
        for i, doc in enumerate(docs):
            out.write(json.dumps({"id": doc, "summary": f"{TEXT} {i}"}, ensure_ascii=False) + "\n")
    return refs, cands, docs


def best_of(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    """The shortest of `repeat` runs, and the last run's result."""
    times = []
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def bare(path: Path, key: str) -> dict[str, object]:
    with path.open("rb") as lines:
        return {obj["id"]: obj[key] for obj in map(json.loads, lines)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    fields = JsonlFields()
    with tempfile.TemporaryDirectory() as tmp:
        refs, cands, docs = write(Path(tmp), args.lines)
        problems: list[str] = []
        warnings: list[str] = []
        t_refs, got_refs = best_of(args.repeat, lambda: read_references_jsonl(refs, fields, problems, warnings))
        t_cands, got_cands = best_of(args.repeat, lambda: read_candidates_jsonl([cands], docs, fields, problems, warnings))
        b_refs, want_refs = best_of(args.repeat, lambda: bare(refs, "references"))
        b_cands, want_cands = best_of(args.repeat, lambda: bare(cands, "summary"))
        agree = (
            not problems
            and not warnings
            and {d: list(r.values()) for d, r in got_refs.references.items()} == want_refs
            and got_cands == {"system": want_cands}
        )
        print(f"{'file':<12} {'lines':>7} {'MiB':>6} {'bare s':>7} {'harness s':>9}  agree")
        for name, path, bare_s, ours in (("references", refs, b_refs, t_refs), ("candidates", cands, b_cands, t_cands)):
            mib = path.stat().st_size / 2**20
            print(f"{name:<12} {args.lines:>7} {mib:>6.1f} {bare_s:>7.3f} {ours:>9.3f}  {'yes' if agree else 'NO'}")
        print(f"(best of {args.repeat}; bare = json.loads per line, no validation)")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
