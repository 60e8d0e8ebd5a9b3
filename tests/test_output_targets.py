"""Writing outputs (`score -o`, `check --junit`, `check --update-baseline`) to what is not a plain
file, and writes that fail (issue 7, classes 1 and 6).

Expected scores come from the tiny corpus in conftest (CLI_TINY), worked by hand there: rouge1 F is
1 for `good`, 4/7 for `half` (P 1/2, R 2/3) and 0 for `bad`.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import threading

import pytest

from harness import files
from harness.errors import InputError

HAND_ROUGE1_F = {"good": 1.0, "half": 4 / 7, "bad": 0.0}
ENOSPC_TEXT = os.strerror(errno.ENOSPC)  # "No space left on device" on Linux


def _rouge1_f(text: str) -> dict[str, float]:
    return {s["name"]: s["scores"]["rouge1"]["fmeasure"] for s in json.loads(text)["systems"]}


def _assert_hand_scores(text: str) -> None:
    got = _rouge1_f(text)
    assert got.keys() == HAND_ROUGE1_F.keys()
    for name, value in HAND_ROUGE1_F.items():
        assert got[name] == pytest.approx(value, abs=1e-12), name


SCORE_JSON = ("score", "--no-config", "--metrics", "rouge1", "--format", "json")


@pytest.fixture(autouse=True)
def _cache_in_tmp(io_env):
    """jieba's cache, if this process builds it here, goes to a pytest temp folder."""


# --- symbolic links: written through, never replaced ---------------------------------------------


def test_output_through_a_chain_of_relative_links_updates_the_final_target(cli_run, cli_corpus):
    real = cli_corpus / "store" / "real.json"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    (cli_corpus / "link.json").symlink_to(os.path.join("store", "real.json"))  # relative
    (cli_corpus / "chain.json").symlink_to("link.json")  # a link to a link
    result = cli_run(*SCORE_JSON, "-o", "chain.json")
    assert result.exit_code == 0, result.stderr
    assert os.readlink(cli_corpus / "chain.json") == "link.json"
    assert os.readlink(cli_corpus / "link.json") == os.path.join("store", "real.json")
    _assert_hand_scores(real.read_text(encoding="utf-8"))
    assert os.listdir(real.parent) == ["real.json"]  # the temporary file was beside the target, and is gone


def test_update_baseline_through_a_link_keeps_the_link(cli_run, cli_corpus):
    target = cli_corpus / "baselines" / "v1.json"
    target.parent.mkdir()
    target.write_text("{}\n", encoding="utf-8")
    (cli_corpus / "baseline.json").symlink_to(target)  # absolute
    result = cli_run("check", "--no-config", "--metrics", "rouge1", "--update-baseline")
    assert result.exit_code == 0, result.stderr
    assert (cli_corpus / "baseline.json").is_symlink()
    assert os.readlink(cli_corpus / "baseline.json") == str(target)
    _assert_hand_scores(target.read_text(encoding="utf-8"))
    # And the gate reads it back through the link: the same scores pass.
    assert cli_run("check", "--no-config", "--metrics", "rouge1").exit_code == 0


def test_dangling_link_writes_the_file_it_names(cli_run, cli_corpus):
    (cli_corpus / "reports").mkdir()
    (cli_corpus / "latest.json").symlink_to(os.path.join("reports", "new.json"))
    result = cli_run(*SCORE_JSON, "-o", "latest.json")
    assert result.exit_code == 0, result.stderr
    assert os.readlink(cli_corpus / "latest.json") == os.path.join("reports", "new.json")
    _assert_hand_scores((cli_corpus / "reports" / "new.json").read_text(encoding="utf-8"))


def test_dangling_link_into_a_missing_folder_is_exit_2(cli_run, cli_corpus):
    (cli_corpus / "latest.json").symlink_to(os.path.join("nowhere", "new.json"))
    result = cli_run(*SCORE_JSON, "-o", "latest.json")
    assert result.exit_code == 2
    missing = cli_corpus.resolve() / "nowhere"
    assert result.stderr == (
        f"Error: latest.json: symbolic link to {missing / 'new.json'}: folder {missing} does not exist\n"
    )
    assert (cli_corpus / "latest.json").is_symlink() and not missing.exists()


def test_link_loop_is_exit_2_and_the_links_stay(cli_run, cli_corpus):
    (cli_corpus / "a.json").symlink_to("b.json")
    (cli_corpus / "b.json").symlink_to("a.json")
    result = cli_run(*SCORE_JSON, "-o", "a.json")
    assert result.exit_code == 2
    assert result.stderr == f"Error: a.json: cannot write ({os.strerror(errno.ELOOP)})\n"
    assert os.readlink(cli_corpus / "a.json") == "b.json" and os.readlink(cli_corpus / "b.json") == "a.json"


# --- folders ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ("score", "--no-config", "-o", "out/"),
    ("check", "--no-config", "--junit", "out/"),
    ("check", "--no-config", "--update-baseline", "--baseline", "out/"),
])
def test_output_path_ending_in_a_separator_is_exit_2(cli_run, cli_corpus, args):
    # pathlib would turn "out/" into "out" and write a file of that name: refused instead.
    assert cli_run("check", "--no-config", "--update-baseline").exit_code == 0  # for --junit's gate run
    result = cli_run(*args)
    assert result.exit_code == 2
    assert result.stderr == "Error: out/: ends with '/', so it names a folder; give a file name\n"
    assert not (cli_corpus / "out").exists()


def test_separator_kept_from_config(cli_run, cli_corpus):
    # The same through [tool.harness]: the trailing "/" survives the path being made relative.
    (cli_corpus / "pyproject.toml").write_text('[tool.harness]\njunit = "reports/"\n', encoding="utf-8")
    assert cli_run("check", "--update-baseline").exit_code == 0
    result = cli_run("check")
    assert result.exit_code == 2
    assert result.stderr == f"Error: reports{os.sep}: ends with '/', so it names a folder; give a file name\n"
    assert not (cli_corpus / "reports").exists()


@pytest.mark.parametrize("name", ["references", "link-to-folder"])
def test_existing_folder_as_output_is_exit_2(cli_run, cli_corpus, name):
    (cli_corpus / "link-to-folder").symlink_to("references")
    before = sorted(os.listdir(cli_corpus / "references"))
    result = cli_run(*SCORE_JSON, "-o", name)
    assert result.exit_code == 2
    assert f"'{name}' is a directory" in result.stderr
    assert sorted(os.listdir(cli_corpus / "references")) == before


def test_write_output_refuses_a_folder_itself(tmp_path):
    # The core check, for callers other than click (which refuses an existing folder first).
    (tmp_path / "dir").mkdir()
    with pytest.raises(InputError, match=r"dir: is a folder, cannot write the output there$"):
        files.write_output(tmp_path / "dir", "x")
    assert os.listdir(tmp_path / "dir") == []


# --- devices, FIFOs, sockets --------------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
@pytest.mark.parametrize("via_link", [False, True])
def test_dev_null_as_output_stays_a_device(cli_run, cli_corpus, via_link):
    before = os.stat("/dev/null")
    assert stat.S_ISCHR(before.st_mode)
    if via_link:
        (cli_corpus / "sink").symlink_to("/dev/null")
    result = cli_run(*SCORE_JSON, "-o", "sink" if via_link else "/dev/null")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert not [n for n in os.listdir("/dev") if n.startswith(".null.")]  # no temporary file beside it


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_as_output_is_written_into(cli_run, cli_corpus):
    fifo = cli_corpus / "pipe"
    os.mkfifo(fifo)
    got: dict[str, bytes] = {}
    started = threading.Event()

    def reader() -> None:
        started.set()
        with open(fifo, "rb") as handle:  # blocks until a writer opens the FIFO
            got["data"] = handle.read()  # until the last writer closes it

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    started.wait()
    # Wait until the reader's open is under way (a non-blocking open for writing then succeeds),
    # and keep that probe open so the reader sees end-of-file only after the harness has written.
    while True:
        try:
            probe = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as exc:
            assert exc.errno == errno.ENXIO
            started.wait(0.001)
    try:
        result = cli_run(*SCORE_JSON, "-o", "pipe")
    finally:
        os.close(probe)
    thread.join(60)
    assert result.exit_code == 0, result.stderr
    _assert_hand_scores(got["data"].decode("utf-8"))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_without_reader_is_exit_2_not_a_hang(cli_run, cli_corpus):
    os.mkfifo(cli_corpus / "pipe")
    result = cli_run(*SCORE_JSON, "-o", "pipe")
    assert result.exit_code == 2
    assert result.stderr == "Error: pipe: FIFO with no reader; nothing written\n"
    assert stat.S_ISFIFO(os.lstat(cli_corpus / "pipe").st_mode)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_socket_as_output_is_exit_2(cli_run, cli_corpus):
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind("sock")  # relative: cli_run's working folder is the corpus
    result = cli_run(*SCORE_JSON, "-o", "sock")
    assert result.exit_code == 2
    assert result.stderr == "Error: sock: not a regular file (socket); cannot write the output there\n"
    assert stat.S_ISSOCK(os.lstat(cli_corpus / "sock").st_mode)


def test_block_device_as_output_is_refused(cli_run, cli_corpus):
    # A node only (never opened): writing a report onto a disk is refused, not attempted.
    try:
        os.mknod(cli_corpus / "disk", stat.S_IFBLK | 0o600, os.makedev(7, 0))
    except (OSError, AttributeError) as exc:
        pytest.skip(f"cannot create a block device node here ({exc})")
    result = cli_run(*SCORE_JSON, "-o", "disk")
    assert result.exit_code == 2
    assert result.stderr == "Error: disk: not a regular file (block device); cannot write the output there\n"
    assert stat.S_ISBLK(os.lstat(cli_corpus / "disk").st_mode)


# --- write failures: disk full ---------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [
    ("score", "--no-config", "-o", "/dev/full"),
    ("check", "--no-config", "--junit", "/dev/full"),
])
def test_dev_full_as_output_is_exit_2_one_line(cli_run, cli_corpus, args):
    # /dev/full is a character device whose every write fails with ENOSPC.
    assert cli_run("check", "--no-config", "--update-baseline").exit_code == 0
    result = cli_run(*args)
    assert result.exit_code == 2
    assert result.stderr == f"Error: /dev/full: cannot write ({ENOSPC_TEXT})\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


@pytest.mark.parametrize("failing", ["write", "fsync"])
@pytest.mark.parametrize("args, target", [
    (("score", "--no-config", "-o", "scores.json"), "scores.json"),
    (("check", "--no-config", "--update-baseline"), "baseline.json"),
])
def test_disk_full_keeps_the_old_file_and_leaves_no_temp(cli_run, cli_corpus, monkeypatch, failing, args, target):
    # ENOSPC simulated where a full disk reports it: on write, or only on fsync (some filesystems).
    (cli_corpus / target).write_text("old content\n", encoding="utf-8")
    before = sorted(os.listdir(cli_corpus))

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, ENOSPC_TEXT)

    monkeypatch.setattr(files.os, failing, full)
    result = cli_run(*args)
    monkeypatch.undo()
    assert result.exit_code == 2
    assert result.stderr == f"Error: {target}: cannot write ({ENOSPC_TEXT})\n"
    assert (cli_corpus / target).read_text(encoding="utf-8") == "old content\n"
    assert sorted(os.listdir(cli_corpus)) == before
