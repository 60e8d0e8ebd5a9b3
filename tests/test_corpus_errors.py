"""harness.inputs.load.load_corpus (folders) / harness.inputs.load.load_adhoc: what is read, what is ignored, and every error message."""

from __future__ import annotations

import codecs
import os
import unicodedata
from pathlib import Path

import pytest
from conftest import cli_write

from harness.errors import ExitCode, InputError
from harness.inputs.load import load_adhoc, load_corpus

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="needs POSIX symlinks")


_write = cli_write  # {relative path: text or bytes} -> files under root


def _load(root: Path, encoding: str | None = None):
    return load_corpus(root / "references", root / "candidates", encoding)


def _error(root: Path, encoding: str | None = None) -> str:
    with pytest.raises(InputError) as info:
        _load(root, encoding)
    assert info.value.exit_code == ExitCode.USAGE
    return str(info.value)


BASIC = {"references/d1/ref.txt": "猫 吃 鱼\n", "candidates/sys/d1.txt": "猫 吃\n"}


def test_basic_corpus_read(tmp_path):
    corpus = _load(_write(tmp_path, BASIC))
    assert corpus.references == {"d1": {"ref": "猫 吃 鱼\n"}}
    assert corpus.candidates == {"sys": {"d1": "猫 吃\n"}}
    assert corpus.warnings == []
    assert corpus.documents == ["d1"] and corpus.n_references == 1


# --------------------------------------------------------------------------- folders


def test_missing_folders_both_reported(tmp_path):
    message = _error(tmp_path)
    # One problem a line (issue 18 §2: the list reads as a list, not one long line).
    assert message == f"2 problems:\n  {tmp_path / 'references'}: no such folder\n  {tmp_path / 'candidates'}: no such folder"


def test_missing_candidates_folder(tmp_path):
    _write(tmp_path, {"references/d1/ref.txt": "猫\n"})
    assert _error(tmp_path) == f"{tmp_path / 'candidates'}: no such folder"


def test_file_where_folder_expected(tmp_path):
    _write(tmp_path, {"references": "not a folder\n", "candidates/sys/d1.txt": "猫\n"})
    message = _error(tmp_path)
    assert f"{tmp_path / 'references'}: is a file, expected a folder" in message


def test_txt_file_where_document_folder_expected(tmp_path):
    _write(tmp_path, {**BASIC, "references/d2.txt": "狗\n", "candidates/sys2.txt": "狗\n"})
    message = _error(tmp_path)
    assert f"{tmp_path / 'references' / 'd2.txt'}: expected a folder per document" in message
    assert f"{tmp_path / 'candidates' / 'sys2.txt'}: expected a folder per system" in message
    assert message.startswith("2 problems:\n  ")


def test_folder_where_txt_expected(tmp_path):
    # A folder named like a candidate file, and a folder among reference files.
    _write(tmp_path, {**BASIC, "references/d1/extra/x.txt": "猫\n"})
    (tmp_path / "candidates" / "sys" / "d1.txt").unlink()
    (tmp_path / "candidates" / "sys" / "d1.txt").mkdir()
    message = _error(tmp_path)
    assert f"{tmp_path / 'candidates' / 'sys' / 'd1.txt'}: is a folder, expected" in message
    assert f"{tmp_path / 'references' / 'd1' / 'extra'}: is a folder, expected" in message
    assert message.startswith("2 problems:\n  ")


def test_no_documents_and_no_systems(tmp_path):
    (tmp_path / "references").mkdir()
    (tmp_path / "candidates").mkdir()
    message = _error(tmp_path)
    assert "no documents" in message
    _write(tmp_path, {"references/d1/ref.txt": "猫\n"})
    assert "no systems" in _error(tmp_path)


# --------------------------------------------------------------------------- pairing


def test_document_without_references(tmp_path):
    _write(tmp_path, BASIC)
    (tmp_path / "references" / "d2").mkdir()
    _write(tmp_path, {"references/d3/notes.md": "no txt here\n"})
    message = _error(tmp_path)
    assert f"{tmp_path / 'references' / 'd2'}: document has no reference summaries (*.txt)" in message
    assert f"{tmp_path / 'references' / 'd3'}: document has no reference summaries (*.txt)" in message


def test_unknown_document_exact_and_case_hint(tmp_path):
    _write(tmp_path, {**BASIC, "candidates/sys/D1.txt": "猫\n", "candidates/sys/zz.txt": "猫\n"})
    message = _error(tmp_path)
    assert (
        f"{tmp_path / 'candidates' / 'sys' / 'D1.txt'}: candidate for unknown document 'D1' "
        "(did you mean 'd1'? ids must match exactly)"
    ) in message
    assert f"{tmp_path / 'candidates' / 'sys' / 'zz.txt'}: candidate for unknown document 'zz'" in message
    assert "'zz' (did you mean" not in message


def test_unknown_document_unicode_form_hint(tmp_path):
    nfc = unicodedata.normalize("NFC", "café")
    nfd = unicodedata.normalize("NFD", "café")
    assert nfc != nfd
    _write(tmp_path, {f"references/{nfc}/ref.txt": "猫\n", f"candidates/sys/{nfd}.txt": "猫\n"})
    message = _error(tmp_path)
    assert f"candidate for unknown document {nfd!r} (did you mean {nfc!r}?" in message


@pytest.mark.parametrize("form", ["case", "unicode"])
def test_ids_differing_only_by_case_or_unicode_form(tmp_path, form):
    if form == "case":
        a, b = "Doc", "doc"
    else:
        a, b = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    _write(tmp_path, {f"references/{a}/ref.txt": "猫\n", f"references/{b}/ref.txt": "狗\n",
                      f"candidates/sys/{a}.txt": "猫\n", f"candidates/sys/{b}.txt": "狗\n"})
    if len(os.listdir(tmp_path / "references")) < 2:
        pytest.skip("file system folds these names into one")
    message = _error(tmp_path)
    assert "document ids" in message and "differ only by case or Unicode form; rename one" in message
    # ascii() so that NFC and NFD forms look different in the message: 'caf\xe9' vs 'cafe\u0301'
    assert ascii(a) in message and ascii(b) in message


def test_system_ids_differing_only_by_case(tmp_path):
    _write(tmp_path, {**BASIC, "candidates/SYS/d1.txt": "猫\n"})
    if len(os.listdir(tmp_path / "candidates")) < 2:
        pytest.skip("case-insensitive file system")
    message = _error(tmp_path)
    assert "system ids 'SYS' and 'sys' differ only by case or Unicode form" in message


def test_reference_names_differing_only_by_case(tmp_path):
    _write(tmp_path, {**BASIC, "references/d1/REF.txt": "猫\n"})
    if len(os.listdir(tmp_path / "references" / "d1")) < 2:
        pytest.skip("case-insensitive file system")
    assert "reference ids 'REF' and 'ref'" in _error(tmp_path)


def test_missing_candidate_is_none_with_warning(tmp_path):
    _write(tmp_path, {**BASIC, "references/d2/ref.txt": "狗\n"})
    corpus = _load(tmp_path)
    assert corpus.candidates == {"sys": {"d1": "猫 吃\n", "d2": None}}
    assert corpus.warnings == [f"{tmp_path / 'candidates' / 'sys'}: no candidate for document 'd2'; scored 0"]


def test_every_problem_in_one_error(tmp_path):
    _write(tmp_path, {
        **BASIC,
        "references/d2/r.txt": b"\xff",
        "candidates/sys/zz.txt": "猫\n",
        "candidates/other/d1.txt": b"ok \xc3",
    })
    message = _error(tmp_path)
    assert message.startswith("3 problems:\n  ")
    assert "d2/r.txt" in message.replace(os.sep, "/")
    assert "'zz'" in message
    assert "other/d1.txt" in message.replace(os.sep, "/")


# --------------------------------------------------------------------------- what is ignored


def test_non_txt_files_ignored_with_warning(tmp_path):
    _write(tmp_path, {**BASIC, "references/d1/notes.md": "x", "candidates/sys/d1.json": "{}",
                      "references/README": "x", "candidates/LICENSE": "x"})
    corpus = _load(tmp_path)
    assert corpus.references == {"d1": {"ref": "猫 吃 鱼\n"}}
    assert corpus.candidates == {"sys": {"d1": "猫 吃\n"}}
    assert f"{tmp_path / 'references' / 'd1' / 'notes.md'}: ignored (not a .txt file)" in corpus.warnings
    assert f"{tmp_path / 'candidates' / 'sys' / 'd1.json'}: ignored (not a .txt file)" in corpus.warnings


def test_an_empty_sources_offtopic_or_themes_folder_is_one_warning(tmp_path, cli_run):
    # A folder that exists but holds no <doc-id>.txt was taken silently: the run looked as if it
    # had sources, off-topic texts or themes and had none. Expected by hand: one line per folder,
    # naming it and its kind, in the order the folders are read (off-topic, sources, themes); a
    # stray file keeps its own warning beside it; a folder whose only file is for an unknown
    # document is the error it was (exit 2), with no warning on top.
    _write(tmp_path, {**BASIC, "sources/notes.md": "x"})
    for kind in ("offtopic", "themes"):
        (tmp_path / kind).mkdir()
    corpus = load_corpus(tmp_path / "references", tmp_path / "candidates", offtopic=tmp_path / "offtopic",
                         sources=tmp_path / "sources", themes=tmp_path / "themes")
    assert corpus.warnings == [
        f"{tmp_path / 'offtopic'}: no off-topic text for any document (expected <doc-id>.txt files); the folder adds "
        "nothing",
        f"{tmp_path / 'sources' / 'notes.md'}: ignored (not a .txt file)",
        f"{tmp_path / 'sources'}: no source for any document (expected <doc-id>.txt files); the folder adds nothing",
        f"{tmp_path / 'themes'}: no themes for any document (expected <doc-id>.txt files); the folder adds nothing",
    ]
    # The command says it once, as a warning, for a folder found beside the references too.
    result = cli_run("score", "--no-config", "--no-cache", "--no-facts", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("warning: themes: no themes for any document") == 1, result.stderr
    _write(tmp_path, {"themes/elsewhere.txt": "[t]\n猫\n"})
    with pytest.raises(InputError, match="themes for unknown document 'elsewhere'") as info:
        load_corpus(tmp_path / "references", tmp_path / "candidates", themes=tmp_path / "themes")
    assert "no themes for any document" not in str(info.value)


def test_hidden_files_and_folders_ignored_silently(tmp_path):
    _write(tmp_path, {
        **BASIC,
        "references/.git/config.txt": "x",
        "references/d1/.ref.txt.swp": "x",
        "references/d1/.hidden.txt": "x",
        "candidates/.cache/d1.txt": "x",
        "candidates/sys/.DS_Store": b"\x00\x01",
        "candidates/sys/.d1.txt": "x",
    })
    corpus = _load(tmp_path)
    assert corpus.references == {"d1": {"ref": "猫 吃 鱼\n"}}
    assert corpus.candidates == {"sys": {"d1": "猫 吃\n"}}
    assert corpus.warnings == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX file names are bytes")
def test_file_name_not_utf8(tmp_path):
    _write(tmp_path, BASIC)
    folder = tmp_path / "candidates" / "sys"
    try:
        folder.joinpath(os.fsdecode(b"\xff.txt")).write_text("x")
    except (OSError, UnicodeError):
        pytest.skip("file system refuses non-UTF-8 names")
    message = _error(tmp_path)
    assert f"{folder}: the name b'\\xff.txt' is not valid UTF-8" in message


# --------------------------------------------------------------------------- symlinks


@needs_symlinks
def test_symlinked_files_and_folders_are_read(tmp_path):
    _write(tmp_path, {"references/d1/ref.txt": "猫 吃 鱼\n", "elsewhere/summary.txt": "猫 吃\n",
                      "elsewhere/sysdir/d1.txt": "鱼\n"})
    (tmp_path / "candidates" / "sys").mkdir(parents=True)
    os.symlink(tmp_path / "elsewhere" / "summary.txt", tmp_path / "candidates" / "sys" / "d1.txt")
    os.symlink(tmp_path / "elsewhere" / "sysdir", tmp_path / "candidates" / "linked")
    corpus = _load(tmp_path)
    assert corpus.candidates == {"linked": {"d1": "鱼\n"}, "sys": {"d1": "猫 吃\n"}}


@needs_symlinks
def test_broken_symlink_is_reported(tmp_path):
    _write(tmp_path, BASIC)
    link = tmp_path / "candidates" / "sys2" / "d1.txt"
    link.parent.mkdir()
    os.symlink(tmp_path / "gone.txt", link)
    assert _error(tmp_path) == f"{link}: broken symbolic link"


@needs_symlinks
def test_broken_symlink_reference(tmp_path):
    _write(tmp_path, BASIC)
    link = tmp_path / "references" / "d1" / "ref2.txt"
    os.symlink(tmp_path / "gone.txt", link)
    assert f"{link}: broken symbolic link" in _error(tmp_path)


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "猫 吃\n".encode(),
        "猫 吃\n".encode("utf-16"),  # Python writes a BOM first
        codecs.BOM_UTF16_BE + "猫 吃\n".encode("utf-16-be"),
        codecs.BOM_UTF16_LE + "猫 吃\n".encode("utf-16-le"),
        "猫 吃\n".encode("utf-32"),
    ],
    ids=["utf-8-bom", "utf-16-native-bom", "utf-16-be-bom", "utf-16-le-bom", "utf-32-bom"],
)
def test_bom_files_decoded_and_bom_removed(tmp_path, data):
    _write(tmp_path, {**BASIC, "candidates/sys/d1.txt": data})
    corpus = _load(tmp_path)
    assert corpus.candidates["sys"]["d1"] == "猫 吃\n"  # no U+FEFF left at the start


def test_bom_wins_over_encoding_option(tmp_path):
    _write(tmp_path, {
        "references/d1/ref.txt": "猫 吃 鱼\n".encode("gb18030"),
        "candidates/sys/d1.txt": "猫 吃\n".encode("utf-16"),
    })
    corpus = _load(tmp_path, "gb18030")
    assert corpus.references["d1"]["ref"] == "猫 吃 鱼\n"
    assert corpus.candidates["sys"]["d1"] == "猫 吃\n"


def test_gb18030_needs_encoding(tmp_path):
    data = "猫吃鱼\n".encode("gb18030")
    # 猫 is C3 A8 in GB18030, which happens to be valid UTF-8 (è); 吃 starts with B3, which is not.
    assert data[:3] == b"\xc3\xa8\xb3"
    _write(tmp_path, {"references/d1/ref.txt": data, "candidates/sys/d1.txt": "猫吃\n".encode("gb18030")})
    message = _error(tmp_path)
    ref = tmp_path / "references" / "d1" / "ref.txt"
    assert f"{ref}: not valid UTF-8 (byte 0xb3 at offset 2); if it is in another encoding, pass --encoding" in message
    corpus = _load(tmp_path, "gb18030")
    assert corpus.references["d1"]["ref"] == "猫吃鱼\n"
    assert corpus.candidates["sys"]["d1"] == "猫吃\n"


def test_invalid_bytes_message_names_file_and_offset(tmp_path):
    # '猫 吃' is 3 + 1 + 3 = 7 bytes, so the stray 0xff is at offset 7.
    _write(tmp_path, {**BASIC, "candidates/sys/d1.txt": "猫 吃".encode() + b"\xff\n"})
    path = tmp_path / "candidates" / "sys" / "d1.txt"
    assert _error(tmp_path) == (
        f"{path}: not valid UTF-8 (byte 0xff at offset 7); "
        "if it is in another encoding, pass --encoding (for example --encoding gb18030)"
    )


def test_invalid_bytes_with_explicit_encoding_has_no_hint(tmp_path):
    # 0x80 is not a valid first byte in GB18030 (single bytes run 0x00-0x7f, leads 0x81-0xfe).
    _write(tmp_path, {**BASIC, "candidates/sys/d1.txt": b"ab\x80"})
    message = _error(tmp_path, "gb18030")
    assert "not valid GB18030" in message and "offset 2" in message and "--encoding" not in message


def test_truncated_multibyte_sequence(tmp_path):
    # 猫 is E7 8C AB; cutting after two bytes leaves an incomplete sequence at offset 3.
    _write(tmp_path, {**BASIC, "candidates/sys/d1.txt": "鱼".encode() + "猫".encode()[:2]})
    assert "(byte 0xe7 at offset 3)" in _error(tmp_path)


# --------------------------------------------------------------------------- load_adhoc


def test_adhoc_single_document(tmp_path):
    _write(tmp_path, {"references/d1/ref.txt": "猫 吃 鱼\n", "x/a.txt": "猫\n", "y/b.summary": "狗\n"})
    corpus = load_adhoc(tmp_path / "references", [tmp_path / "x" / "a.txt", tmp_path / "y" / "b.summary"], None)
    assert corpus.references == {"d1": {"ref": "猫 吃 鱼\n"}}
    assert corpus.candidates == {"a": {"d1": "猫\n"}, "b": {"d1": "狗\n"}}


def test_adhoc_several_documents_need_doc(tmp_path):
    _write(tmp_path, {"references/d1/r.txt": "猫\n", "references/d2/r.txt": "狗\n", "a.txt": "猫\n"})
    refs = tmp_path / "references"
    with pytest.raises(InputError) as info:
        load_adhoc(refs, [tmp_path / "a.txt"], None)
    assert str(info.value) == f"{refs}: 2 documents (d1, d2); choose one with --doc ID"
    with pytest.raises(InputError) as info:
        load_adhoc(refs, [tmp_path / "a.txt"], "d3")
    assert str(info.value) == f"--doc d3: no such document in {refs} (have: d1, d2)"
    corpus = load_adhoc(refs, [tmp_path / "a.txt"], "d2")
    assert corpus.references == {"d2": {"r": "狗\n"}}
    assert corpus.candidates == {"a": {"d2": "猫\n"}}


def test_adhoc_same_stem_twice(tmp_path):
    _write(tmp_path, {"references/d1/r.txt": "猫\n", "x/a.txt": "猫\n", "y/a.txt": "狗\n"})
    with pytest.raises(InputError, match=r"same system name 'a'"):
        load_adhoc(tmp_path / "references", [tmp_path / "x" / "a.txt", tmp_path / "y" / "a.txt"], None)


def test_adhoc_unreadable_files_all_reported(tmp_path):
    _write(tmp_path, {"references/d1/r.txt": "猫\n", "bad.txt": b"\xff", "dir.txt/inner": "x"})
    with pytest.raises(InputError) as info:
        load_adhoc(tmp_path / "references", [tmp_path / "bad.txt", tmp_path / "missing.txt", tmp_path / "dir.txt"], None)
    message = str(info.value)
    assert message.startswith("3 problems:\n  ")
    assert f"{tmp_path / 'bad.txt'}: not valid UTF-8" in message
    assert f"{tmp_path / 'missing.txt'}: no such file" in message
    assert f"{tmp_path / 'dir.txt'}: is a folder, expected a text file" in message


def test_adhoc_bad_references_reported(tmp_path):
    _write(tmp_path, {"a.txt": "猫\n"})
    with pytest.raises(InputError, match="no such folder"):
        load_adhoc(tmp_path / "references", [tmp_path / "a.txt"], None)


def test_references_come_in_file_name_order(tmp_path):
    # The order of references decides ties under --multiref best; the folder reader gives them in
    # file-name order (code-point order of the names, written here deliberately out of order).
    for name in ("z", "B", "a", "10", "9"):
        (tmp_path / "references" / "d").mkdir(parents=True, exist_ok=True)
        (tmp_path / "references" / "d" / f"{name}.txt").write_text("猫", encoding="utf-8")
    (tmp_path / "candidates" / "s").mkdir(parents=True)
    (tmp_path / "candidates" / "s" / "d.txt").write_text("猫", encoding="utf-8")
    corpus = load_corpus(tmp_path / "references", tmp_path / "candidates")
    assert list(corpus.references["d"]) == ["10", "9", "B", "a", "z"]


def test_missing_candidates_are_one_warning_per_system(tmp_path):
    # 25 documents, a system with a summary for the first only: 24 missing, one line (issue 18 §2).
    for i in range(25):
        (tmp_path / "references" / f"d{i:02d}").mkdir(parents=True)
        (tmp_path / "references" / f"d{i:02d}" / "r.txt").write_text("猫", encoding="utf-8")
    (tmp_path / "candidates" / "s").mkdir(parents=True)
    (tmp_path / "candidates" / "s" / "d00.txt").write_text("猫", encoding="utf-8")
    corpus = load_corpus(tmp_path / "references", tmp_path / "candidates")
    folder = tmp_path / "candidates" / "s"
    assert corpus.warnings == [f"{folder}: no candidate for 24 of 25 documents ('d01', 'd02', 'd03', …); scored 0"]
    assert sum(t is None for t in corpus.candidates["s"].values()) == 24
