"""Standard output that cannot take what is written (issue 7, class 6): a full device. Run as real
processes: the streams are the subject.

Expected values are worked by hand on a small corpus: reference 猫 吃 鱼; system `一句话` with
猫 吃 肉 了 (rouge1 P 1/2, R 2/3, F 4/7 = 57.14 on the 0-100 scale, as CLI_TINY's `half`);
system `good` identical to the reference (100.00) and missing for document d2 (a warning).
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ENOSPC_LINE = f"Error: standard output: cannot write ({os.strerror(errno.ENOSPC)})\n"


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
