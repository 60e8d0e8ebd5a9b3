"""How often does an early Ctrl-C or SIGTERM reach Python before the harness can handle it?

harness.cli.entry installs its SIGINT/SIGTERM handlers as its first instruction, but Python itself
starts first (interpreter, `site`, .pth files, the console script's own imports), and a signal in
that window gets Python's default: SIGTERM kills the process silently (status -15), SIGINT
kills it (-2) or prints Python's KeyboardInterrupt traceback. This script measures the window.

  1. Time from spawn until the handlers exist, seen in /proc/PID/status (SigCgt gains SIGTERM,
     which Python never catches by itself); Linux only.
  2. Runs `harness --version`, signals it D ms after spawn (D spread over 0..60, SIGINT and SIGTERM
     alternating), and counts the outcomes.

Run:  python benchmarks/signal_window.py [--runs 200] [--command harness]
Exit status 1 if any signal that arrived after the handlers existed was not exit 128 + n + one line.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

TERM_BIT = 1 << (signal.SIGTERM - 1)


def handlers_installed(pid: int) -> bool | None:
    """Whether `pid` catches SIGTERM (our handler is in), or None when it has ended."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("SigCgt:"):
                return bool(int(line.split()[1], 16) & TERM_BIT)
    except OSError:
        return None
    return None


def time_to_handlers(command: list[str]) -> float:
    """Milliseconds from spawn until the handlers are installed (polled every 0.5 ms)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while proc.poll() is None and handlers_installed(proc.pid) is False:
        time.sleep(0.0005)
    elapsed = (time.perf_counter() - start) * 1000
    proc.kill()
    proc.wait()
    return elapsed


def classify(code: int, stderr: bytes) -> str:
    if code in (130, 143) and stderr == b"Error: interrupted\n":  # 128 + SIGINT or SIGTERM
        return "harness: exit 128 + n, one line"
    if code == 0 and not stderr:
        return "finished before the signal (0)"
    if b"Traceback" in stderr:
        return f"Python, before harness code: traceback, status {code}"
    if code < 0 and not stderr:
        return f"Python, before harness code: killed, status {code}"
    return f"OTHER: status {code}, stderr {stderr[:80]!r}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--command", default=shutil.which("harness") or "harness")
    args = parser.parse_args()
    command = [args.command, "--version"]
    if os.path.exists("/proc/self/status"):
        times = sorted(time_to_handlers(command) for _ in range(30))
        print(f"spawn -> handlers installed: median {statistics.median(times):.1f} ms, "
              f"min {times[0]:.1f}, max {times[-1]:.1f} (30 runs of {' '.join(command)})")
    counts: collections.Counter[str] = collections.Counter()
    for i in range(args.runs):
        sig = (signal.SIGINT, signal.SIGTERM)[i % 2]
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep((i * 7 % 61) / 1000)  # 0..60 ms, spread evenly over the runs
        proc.send_signal(sig)
        _, stderr = proc.communicate()
        counts[f"{sig.name:7}  {classify(proc.returncode, stderr)}"] += 1
    print(f"{args.runs} runs, signal sent 0-60 ms after spawn:")
    for outcome, count in sorted(counts.items()):
        print(f"  {count:4}  {outcome}")
    return 1 if any("OTHER" in outcome for outcome in counts) else 0


if __name__ == "__main__":
    sys.exit(main())
