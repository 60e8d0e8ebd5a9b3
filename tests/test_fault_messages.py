"""Messages that name the real problem (issue 17, class 10; the JSONL items are another change's):
the cache's place, a UTF-8 error after a BOM, a long output name, a config value's bounds."""

from __future__ import annotations

import codecs
import os

import pytest

from harness.errors import InputError
from harness.files import decode
from harness.run import cache as store

CACHE_LINE = "warning: cache {}: is a folder, not a cache file (remove it, or set HARNESS_CACHE_DIR to another folder); running without it"


def _cache_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning: cache ")]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_folder_where_the_cache_file_goes_is_said_once_and_the_run_goes_on(cli_run, cli_corpus, monkeypatch, jobs):
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(cli_corpus / "hc"))
    occupied = cli_corpus / "hc" / store.FILE_NAME
    (occupied / "inside").mkdir(parents=True)  # a folder, not empty: it is the user's, never removed
    expected = cli_run("score", "--no-config", "--no-cache", "--format", "json").stdout
    result = cli_run("score", "--no-config", "--format", "json", "--jobs", jobs)
    assert result.exit_code == 0
    assert result.stdout == expected  # the same scores, without the cache
    assert _cache_lines(result.stderr) == [CACHE_LINE.format(occupied)]  # once, also with two workers
    cleared = cli_run("cache", "clear")
    assert cleared.stdout.startswith(f"{occupied}: is a folder, not a cache file (remove it, or set "
                                     "HARNESS_CACHE_DIR to another folder); not removed")
    assert (occupied / "inside").is_dir()
    assert cli_run("cache", "info").stdout == f"{occupied}: is a folder, not a cache file (remove it, or set HARNESS_CACHE_DIR to another folder)\n"


def test_a_fifo_where_the_cache_file_goes_is_said_too(cli_run, cli_corpus, monkeypatch):
    # A variant the issue does not name: not a folder but a FIFO (SQLite would take it for a
    # damaged database and delete it).
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(cli_corpus / "hc"))
    (cli_corpus / "hc").mkdir()
    fifo = cli_corpus / "hc" / store.FILE_NAME
    os.mkfifo(fifo)
    result = cli_run("score", "--no-config")
    assert result.exit_code == 0
    assert _cache_lines(result.stderr) == [CACHE_LINE.format(fifo).replace("a folder", "a FIFO")]
    assert fifo.is_fifo()


def test_a_file_where_the_cache_folder_goes_is_named(cli_run, cli_corpus, monkeypatch):
    blocker = cli_corpus / "blocker"
    blocker.write_text("x", encoding="utf-8")
    # the cache folder itself is a file: mkdir said "File exists"
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(blocker))
    result = cli_run("score", "--no-config")
    assert result.exit_code == 0
    assert _cache_lines(result.stderr) == [
        f"warning: cache {blocker / store.FILE_NAME}: cannot be used ({blocker} is a file, not a folder: "
        "it is the cache folder); running without it"]
    # a file higher up its path: mkdir said "Not a directory"
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(blocker / "sub" / "harness"))
    result = cli_run("score", "--no-config")
    assert _cache_lines(result.stderr) == [
        f"warning: cache {blocker / 'sub' / 'harness' / store.FILE_NAME}: cannot be used ({blocker} is a file, not a "
        f"folder: it is a part of the cache folder's path ({blocker / 'sub' / 'harness'})); running without it"]


def test_the_offset_of_a_utf8_error_after_a_bom_counts_the_bom():
    # BOM (3 bytes) + 好 (e5 a5 bd, 3 bytes) + ff: the bad byte is byte 6 of the file, and it is ff
    # (the offset was 3 early, and the byte shown was the 好's third byte, bd).
    data = codecs.BOM_UTF8 + "好".encode() + b"\xff" + b"ok"
    with pytest.raises(InputError, match=r"^x\.txt: not valid UTF-8 \(byte 0xff at offset 6\)$"):
        decode(data, "x.txt")
    # A variant: a character cut short after the BOM (e5 a5, then an ASCII byte): starts at byte 3
    with pytest.raises(InputError, match=r"\(byte 0xe5 at offset 3\)"):
        decode(codecs.BOM_UTF8 + b"\xe5\xa5A", "x.txt")
    # without a BOM the offset was right, and stays so
    with pytest.raises(InputError, match=r"\(byte 0xff at offset 3\)"):
        decode("好".encode() + b"\xff", "x.txt", suggest_encoding=False)


def test_a_long_output_name_is_written_and_a_too_long_one_is_named(cli_run, cli_corpus):
    # 250 bytes: the file system takes it; its temporary name (".NAME.XXXXXXXX.tmp", 264 bytes) did not
    for name in ("s" * 245 + ".json", "好" * 85):  # 250 ASCII bytes; 255 bytes of 3-byte characters (a variant)
        assert len(name.encode()) in (250, 255)
        result = cli_run("score", "--no-config", "--no-cache", "--format", "json", "-o", name)
        assert result.exit_code == 0, result.stderr
        assert (cli_corpus / name).read_text(encoding="utf-8").startswith("{")
    assert [p.name for p in cli_corpus.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    result = cli_run("score", "--no-config", "--no-cache", "-o", "s" * 256)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {'s' * 256}: cannot write (File name too long)\n"  # the name itself, now


@pytest.mark.parametrize(("line", "message"), [
    ("seed = 18446744073709551616", "'seed' must be at most 18446744073709551615 (a 64-bit seed), not 18446744073709551616"),
    # a variant: the resamples' upper bound, which named --bootstrap
    ("bootstrap = 2000000", "'bootstrap' must be at most 1,000,000 (time grows with each resample), not 2000000"),
])
def test_a_config_value_out_of_range_names_the_file_and_key(cli_run, cli_corpus, line, message):
    (cli_corpus / "pyproject.toml").write_text(f"[tool.harness]\n{line}\n", encoding="utf-8")
    result = cli_run("score", "--no-cache", "--bootstrap", "100")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {cli_corpus / 'pyproject.toml'}: [tool.harness]: {message}\n"
