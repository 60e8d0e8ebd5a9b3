"""The contract's JSON text three ways on the same evaluation, checking the bytes: json.dumps with
indent=2 (the standard library's pure-Python encoder, what `harness score --format json` used),
harness.results.jsontext.indented (the same bytes), and jsontext.compact (the C encoder, what
files and pipes get now). The evaluation is 10 systems x 1,000 documents from benchmarks/workload.py,
scored once, untimed.

Run:  python benchmarks/bench_json.py [--systems 10] [--docs 1000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from workload import make_test_set

from harness.inputs.corpus import Corpus
from harness.render.table import to_json_obj
from harness.results.jsontext import compact, indented
from harness.run.pipeline import Settings, evaluate


def best(fn, repeats: int) -> tuple[float, str]:
    """(fastest of `repeats` runs in seconds, the text): the minimum, as the machine is shared."""
    times, text = [], ""
    for _ in range(repeats):
        start = time.perf_counter()
        text = fn()
        times.append(time.perf_counter() - start)
    return min(times), text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", type=int, default=10)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    refs, cands, _ = make_test_set(args.systems, args.docs, 1)
    obj = to_json_obj(evaluate(Corpus.from_texts(refs, cands), Settings(unit="char")))
    reference_s, reference = best(lambda: json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False), args.repeats)
    rows = [("json.dumps(indent=2)", reference_s, reference, True)]
    for name, fn in (("jsontext.indented", lambda: indented(obj)), ("jsontext.compact", lambda: compact(obj))):
        seconds, text = best(fn, args.repeats)
        same = text == reference if name.endswith("indented") else json.loads(text) == obj
        rows.append((name, seconds, text, same))
    print(f"{'writer':<22}{'seconds':>9}{'MB':>7}{'x faster':>10}  same")
    for name, seconds, text, same in rows:
        print(f"{name:<22}{seconds:>9.3f}{len(text.encode()) / 1e6:>7.1f}{reference_s / seconds:>10.1f}  "
              f"{'(oracle)' if text is reference else 'bytes' if name.endswith('indented') and same else 'values' if same else 'NO'}")
    return 0 if all(row[3] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
