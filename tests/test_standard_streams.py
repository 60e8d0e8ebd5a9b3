"""Standard output that cannot take what is written (issue 7, classes 6 and 7): a full device, and
an encoding without Chinese. Run as real processes: the streams are the subject.

Expected values are worked by hand on a small corpus: reference 猫 吃 鱼; system `一句话` with
猫 吃 肉 了 (rouge1 P 1/2, R 2/3, F 4/7 = 57.14 on the 0-100 scale, as CLI_TINY's `half`);
system `good` identical to the reference (100.00) and missing for document d2 (a warning).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ENOSPC_LINE = f"Error: standard output: cannot write ({os.strerror(errno.ENOSPC)})\n"
NAMES = {"good": 1.0, "一句话": 4 / 7}


def _installed() -> str:
    found = shutil.which("harness") or str(Path(sys.executable).parent / "harness")
    assert os.path.exists(found), "the `harness` console script is not installed"
    return found


@pytest.fixture
def corpus(cli_files) -> Path:
    return cli_files({
        "references/d1/ref.txt": "猫 吃 鱼\n",
        "references/d2/ref.txt": "狗 跑\n",
        "candidates/good/d1.txt": "猫 吃 鱼\n",
        "candidates/一句话/d1.txt": "猫 吃 肉 了\n",
        "candidates/一句话/d2.txt": "狗 跑\n",
    })


def _run(args: list[str], cwd: Path, env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([_installed(), *args], cwd=cwd, env=env, timeout=120, check=False, **kwargs)  # type: ignore[call-overload]


# --- a full standard output ------------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [
    ["score", "--no-config"],
    ["score", "--no-config", "--format", "json"],
    ["check", "--no-config"],
    ["tokenize", "--no-config", "猫"],
    ["--version"],
])
def test_full_standard_output_is_exit_2_with_one_line(corpus, io_env, args):
    # `harness ... > /dev/full`: every write to standard output fails with ENOSPC.
    if args[0] == "check":
        assert _run(["check", "--no-config", "--update-baseline"], corpus, io_env, capture_output=True).returncode == 0
    with open("/dev/full", "wb") as full:
        proc = _run(args, corpus, io_env, stdout=full, stderr=subprocess.PIPE)
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, stderr
    # Warnings come first (d2 has no `good` candidate), then exactly one error line, no traceback.
    assert stderr.endswith(ENOSPC_LINE) and "Traceback" not in stderr and "Exception ignored" not in stderr
    assert all(line.startswith("warning: ") for line in stderr[: -len(ENOSPC_LINE)].splitlines())


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_full_standard_error_is_still_exit_2(corpus, io_env):
    # The warning cannot be written, nor the error about it; the status still says it failed.
    with open("/dev/full", "wb") as full:
        proc = _run(["score", "--no-config"], corpus, io_env, stdout=subprocess.PIPE, stderr=full)
    assert proc.returncode == 2


# --- an encoding without Chinese -----------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_output_is_utf8_whatever_the_stream_encoding(corpus, io_env, encoding):
    # cp1252 is what a redirected Windows console gets; neither it nor ASCII can encode 一句话.
    env = {**io_env, "PYTHONIOENCODING": encoding}

    table = _run(["score", "--no-config", "--metrics", "rouge1"], corpus, env, capture_output=True)
    assert table.returncode == 0, table.stderr
    rows = [line.split() for line in table.stdout.decode("utf-8").splitlines()]
    assert ["一句话", "78.57"] in rows  # d1: F 4/7, d2: F 1 (identical) -> mean 11/14 = 78.57
    assert ["good", "50.00"] in rows  # d1: 1, d2: missing -> 0; mean 1/2
    warning = f"warning: {os.path.join('candidates', 'good')}: no candidate for document 'd2'; scored 0\n"
    assert table.stderr.decode("utf-8") == warning

    as_json = _run(["score", "--no-config", "--metrics", "rouge1", "--format", "json"], corpus, env, capture_output=True)
    assert as_json.returncode == 0
    docs = {s["name"]: s["documents"]["d1"]["rouge1"]["fmeasure"] for s in json.loads(as_json.stdout.decode("utf-8"))["systems"]}
    assert docs == pytest.approx(NAMES, abs=1e-12)

    # Two sentences, punctuation dropped (the same text and tokens as test_cli.test_tokenize_sentences).
    tokens = _run(["tokenize", "--no-config", "--sentences", "猫吃鱼。狗吃肉。"], corpus, env, capture_output=True)
    assert tokens.returncode == 0 and tokens.stdout.decode("utf-8") == "猫 吃 鱼\n狗 吃 肉\n"

    error = _run(["score", "--no-config", "--references", "没有"], corpus, env, capture_output=True)
    assert error.returncode == 2 and error.stderr.decode("utf-8") == "Error: 没有: no such folder\n"
