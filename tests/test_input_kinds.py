"""Reading inputs that never end: devices, FIFOs, sockets, and files over the size limit (issue 7,
class 2). Only regular files are read, and at most MAX_TEXT_BYTES of each.

Cases that would block forever if the rule broke (a FIFO with no writer) run in a subprocess with a
timeout, so a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from harness import files
from harness.errors import InputError

CANDIDATE = os.path.join("candidates", "good", "d1.txt")


@pytest.fixture(autouse=True)
def _cache_in_tmp(io_env):
    """jieba's cache, if this process builds it here, goes to a pytest temp folder."""


def _make(kind: str, path: Path) -> str:
    """Put a `kind` where `path` is; returns the word the error message uses for it."""
    path.unlink(missing_ok=True)
    if kind == "character device":
        path.symlink_to("/dev/urandom")  # endless: read without limit, it never finishes
    elif kind == "FIFO":
        os.mkfifo(path)  # no writer: a blocking open would wait forever
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(os.path.relpath(path))  # relative: a Unix socket path is limited to ~100 bytes
    return kind


def _harness(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120, check=False)


@pytest.mark.skipif(not os.path.exists("/dev/urandom") or not hasattr(os, "mkfifo"), reason="needs a POSIX system")
@pytest.mark.parametrize("kind", ["character device", "FIFO", "socket"])
def test_candidate_that_is_not_a_regular_file_is_exit_2(cli_corpus, io_env, monkeypatch, kind):
    monkeypatch.chdir(cli_corpus)
    _make(kind, cli_corpus / CANDIDATE)
    proc = _harness(["score", "--no-config"], cli_corpus, io_env)
    assert proc.returncode == 2
    assert proc.stderr == f"Error: {CANDIDATE}: not a regular file ({kind})\n"


@pytest.mark.skipif(not os.path.exists("/dev/zero") or not hasattr(os, "mkfifo"), reason="needs a POSIX system")
@pytest.mark.parametrize("source", ["reference", "offtopic", "user dictionary", "config", "baseline", "tokenize --file"])
@pytest.mark.parametrize("kind", ["character device", "FIFO"])
def test_every_text_input_reads_only_regular_files(cli_corpus, io_env, monkeypatch, source, kind):
    # /dev/zero (via a link) and a FIFO with no writer, in each place the harness reads text.
    monkeypatch.chdir(cli_corpus)
    (cli_corpus / "offtopic").mkdir()
    (cli_corpus / "offtopic" / "d1.txt").write_text("比特币\n", encoding="utf-8")
    (cli_corpus / "baseline.json").write_text("{}\n", encoding="utf-8")
    name, args, expected = {
        "reference": (os.path.join("references", "d1", "ref.txt"), ["score", "--no-config"], "{name}: not a regular file ({kind})"),
        "offtopic": (os.path.join("offtopic", "d1.txt"), ["score", "--no-config"], "{name}: not a regular file ({kind})"),
        "user dictionary": ("words.dict", ["score", "--no-config", "--user-dict", "words.dict"],
                            "{name}: cannot read user dictionary: not a regular file ({kind})"),
        "config": ("harness.toml", ["score", "--config", "harness.toml"], "{name}: not a regular file ({kind})"),
        "baseline": ("baseline.json", ["check", "--no-config"], "{name}: not a regular file ({kind}); "),
        "tokenize --file": ("in.txt", ["tokenize", "--no-config", "--file", "in.txt"], "{name}: not a regular file ({kind})"),
    }[source]
    if kind == "character device":
        (cli_corpus / name).unlink(missing_ok=True)
        (cli_corpus / name).symlink_to("/dev/zero")
    else:
        _make(kind, cli_corpus / name)
    proc = _harness(args, cli_corpus, io_env)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("Error: " + expected.format(name=name, kind=kind)), proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and "Traceback" not in proc.stderr


# --- the size limit -------------------------------------------------------------------------------


def test_size_limit_boundary(cli_run, cli_corpus, monkeypatch):
    # Lowered to 12 bytes: "猫 吃 鱼\n" is 3 Han characters x 3 bytes + 2 spaces + a newline = 12
    # bytes (the reference and `good`: read), "猫 吃 肉 了\n" is 4 x 3 + 3 + 1 = 16 (`half`: refused).
    monkeypatch.setattr(files, "MAX_TEXT_BYTES", 12)
    result = cli_run("score", "--no-config")
    assert result.exit_code == 2
    half = os.path.join("candidates", "half", "d1.txt")
    assert result.stderr == f"Error: {half}: too large (16 bytes; the limit for a text file is 12 bytes)\n"


def test_default_limit_reads_5_mb_and_refuses_one_byte_over_64_mib(tmp_path):
    text = "开源模型与封闭模型共生。\n" * 140_000  # 37 bytes a line in UTF-8: 5,180,000 bytes
    five = tmp_path / "five.txt"
    five.write_text(text, encoding="utf-8")
    assert five.stat().st_size == 5_180_000
    assert files.read_text(five) == text
    over = tmp_path / "over.txt"
    with open(over, "wb") as handle:
        handle.truncate(64 * 1024 * 1024 + 1)  # sparse: no disk space used, and never read
    with pytest.raises(InputError) as info:
        files.read_text(over)
    assert str(info.value) == f"{over}: too large (67,108,865 bytes; the limit for a text file is 64 MiB)"


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_limit_holds_when_stat_gives_no_size():
    # Files under /proc are regular files whose stat size is 0: the limit must be counted while
    # reading, not trusted from stat.
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0
    assert files.read_bytes(status).startswith(b"Name:")
    with pytest.raises(InputError) as info:
        files.read_bytes(status, limit=10)
    assert str(info.value) == "/proc/self/status: too large (more than 10 bytes; the limit for a text file is 10 bytes)"


def test_standard_input_has_the_same_limit(cli_run, monkeypatch):
    monkeypatch.setattr(files, "MAX_TEXT_BYTES", 8)
    ok = cli_run("tokenize", "--no-config", input="猫\n".encode())  # 4 bytes
    assert ok.exit_code == 0 and ok.stdout == "猫\n"  # a single character is its own token
    big = cli_run("tokenize", "--no-config", input="猫猫猫\n".encode())  # 10 bytes
    assert big.exit_code == 2
    assert big.stderr == "Error: <stdin>: too large (more than 8 bytes; the limit for a text file is 8 bytes)\n"
