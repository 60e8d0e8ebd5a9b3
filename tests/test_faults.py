"""Process-level faults (issue 17): a --jobs worker killed or crashing, a signal to the whole
process group, and a step summary that is a FIFO nobody reads. Each must end the run, never hang.

Every run here has a hard subprocess timeout, so a regression fails instead of hanging CI. The
runs never race a real workload: the harness is started through a small script that replaces the
per-chunk work with one that waits for ever (signal.pause) or dies, so the run can only end by
the behaviour under test. The test waits for the workers to exist (in /proc) before it acts; no
sleep decides an outcome and nothing asserts a time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CLI_TINY, cli_write

ROOT = Path(__file__).resolve().parent.parent
HARD_TIMEOUT = 60  # seconds; each run below ends in well under one when the code is right
INTERRUPTED = b"Error: interrupted\n"

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(),
    reason="needs Linux: forked workers, and /proc to find them",
)

# The harness with its per-chunk work replaced: WORK decides what a worker does with a chunk.
SCRIPT = """
import os, signal, sys
import harness.cli.entry
import harness.run.pipeline as pipeline
def work(job, chunk):
    {work}
pipeline.score_chunk = work
sys.argv = ["harness", *sys.argv[1:]]
harness.cli.entry.main()
"""
WAIT_FOR_EVER = "signal.pause()"


def _env(io_env: dict[str, str]) -> dict[str, str]:
    return {**io_env, "PYTHONPATH": str(ROOT)}  # this worktree's harness, not an installed one


def _corpus(root: Path) -> Path:
    # Four documents, so -j2 gives each worker at least one chunk.
    files = dict(CLI_TINY)
    for doc in ("d2", "d3", "d4"):
        files[f"references/{doc}/ref.txt"] = "狗 跑\n"
        files[f"candidates/good/{doc}.txt"] = "狗 跑\n"
    return cli_write(root, files)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _start(root: Path, io_env: dict[str, str], work: str, *args: str, new_session: bool = False) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT.format(work=work), *args], cwd=root, env=_env(io_env),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=new_session,
    )


def _workers(proc: subprocess.Popen, count: int) -> list[int]:
    """The pids of the run's `count` workers, once they all exist (polled; a deadline only so a
    run that never starts them fails instead of looping)."""
    deadline = time.monotonic() + HARD_TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None:
        found = _children(proc.pid)
        if len(found) >= count:
            return found
        time.sleep(0.01)
    proc.kill()
    out, err = proc.communicate(timeout=HARD_TIMEOUT)
    pytest.fail(f"the workers never started: {proc.returncode} {out!r} {err!r}")


def _end(proc: subprocess.Popen) -> tuple[int, bytes, bytes]:
    try:
        out, err = proc.communicate(timeout=HARD_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL) if os.getpgid(proc.pid) == proc.pid else proc.kill()
        for child in _children(proc.pid):
            os.kill(child, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"the run hung for {HARD_TIMEOUT} s")
    return proc.returncode, out, err


# --- class 5: a worker that dies ------------------------------------------------------------------

LOST = (b"Error: a --jobs worker process was killed by SIGKILL before returning its documents; no output was "
        b"written; the out-of-memory killer sends SIGKILL: try fewer --jobs\n")


def test_worker_killed_with_sigkill_ends_the_run_with_exit_4(tmp_path, io_env):
    # The other worker waits for ever too: the parent must not wait for it either.
    out = tmp_path / "scores.txt"
    out.write_text("previous\n", encoding="utf-8")
    proc = _start(_corpus(tmp_path), io_env, WAIT_FOR_EVER, "score", "--no-config", "--no-cache", "-j2", "-o", str(out))
    victim = _workers(proc, 2)[0]
    os.kill(victim, signal.SIGKILL)
    assert _end(proc) == (4, b"", LOST)  # ExitCode.WORKER_LOST; the message of executors._lost
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["candidates", "references", "scores.txt"]


def test_worker_that_exits_by_itself_ends_check_with_exit_4(tmp_path, io_env):
    # Variant: not a signal but a worker process ending on its own (a crash in native code, an
    # os._exit in a library), during `check` rather than `score`.
    root = _corpus(tmp_path)
    baseline = subprocess.run([sys.executable, "-m", "harness", "check", "--no-config", "--update-baseline", "-j1"],
                              cwd=root, env=_env(io_env), capture_output=True, timeout=HARD_TIMEOUT, check=False)
    assert baseline.returncode == 0, baseline.stderr
    proc = _start(root, io_env, "os._exit(3)", "check", "--no-config", "--no-cache", "-j2")
    code, out, err = _end(proc)
    assert (code, out) == (4, b"")
    assert err == (b"Error: a --jobs worker process exited with status 3 before returning its documents; no output was "
                   b"written; the out-of-memory killer sends SIGKILL: try fewer --jobs\n")


# --- class 6: a signal to the whole process group -------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGTERM, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1,
                                 signal.SIGUSR2, signal.SIGINT],
                         ids=["TERM-1", "TERM-2", "TERM-3", "HUP", "USR1", "USR2-variant", "INT"])
def test_signal_to_the_process_group_ends_the_run_with_one_line(tmp_path, io_env, sig):
    # As `timeout` and CI runners do: the parent and both workers get the signal. SIGTERM three
    # times, since the old pool deadlocked in its shutdown about 3 runs in 10. Expected status is
    # the shell's 128 + n: SIGHUP 129, SIGINT 130, SIGUSR1 138, SIGUSR2 140, SIGTERM 143.
    proc = _start(_corpus(tmp_path), io_env, WAIT_FOR_EVER, "score", "--no-config", "--no-cache", "-j2",
                  new_session=True)
    workers = _workers(proc, 2)
    os.killpg(proc.pid, sig)
    assert _end(proc) == (128 + sig, b"", INTERRUPTED)  # one line, no worker traceback
    for worker in workers:  # reaped by the parent before it exited: no process of the run is left
        assert not Path(f"/proc/{worker}").exists() or "zombie" not in Path(f"/proc/{worker}/status").read_text()


# --- class 7: the step summary is a FIFO, a folder, or otherwise unwritable --------------------------


def _check_with_summary(root: Path, io_env: dict[str, str], summary: Path) -> subprocess.CompletedProcess:
    update = subprocess.run([sys.executable, "-m", "harness", "check", "--no-config", "--update-baseline", "-j1"],
                            cwd=root, env=_env(io_env), capture_output=True, timeout=HARD_TIMEOUT, check=False)
    assert update.returncode == 0, update.stderr
    return subprocess.run([sys.executable, "-m", "harness", "check", "--no-config", "-j1"], cwd=root,
                          env={**_env(io_env), "GITHUB_STEP_SUMMARY": str(summary)}, capture_output=True,
                          timeout=HARD_TIMEOUT, check=False)


def test_step_summary_fifo_with_no_reader_is_a_warning_not_a_hang(tmp_path, io_env):
    root = cli_write(tmp_path, CLI_TINY)
    fifo = tmp_path / "summary.fifo"
    os.mkfifo(fifo)
    proc = _check_with_summary(root, io_env, fifo)
    # The gate's verdict stands (3 systems x 4 metrics, each equal to its own baseline: exit 0,
    # "PASSED: 12 ok"); the lost summary is said in one warning naming the FIFO.
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().endswith("\nPASSED: 12 ok\n")
    assert proc.stderr.decode() == f"warning: GITHUB_STEP_SUMMARY: the report was not appended: {fifo}: FIFO with no reader; nothing written\n"


def test_step_summary_that_is_a_folder_is_said(tmp_path, io_env):
    # Variant: not a FIFO but a folder (a misconfigured runner); before, any OSError was a warning
    # too, but a FIFO blocked in open() before it could be one.
    root = cli_write(tmp_path, CLI_TINY)
    folder = tmp_path / "summary-dir"
    folder.mkdir()
    proc = _check_with_summary(root, io_env, folder)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.decode() == (f"warning: GITHUB_STEP_SUMMARY: the report was not appended: {folder}: "
                                    "cannot write (Is a directory)\n")
