"""harness.inputs.jsonl: what a JSONL test set reads into, and every error message, asserted whole.

Every expected structure and message below is written out by hand from the input next to it;
columns and byte offsets are counted in comments."""

from __future__ import annotations

import codecs
import json
import os
import unicodedata
from pathlib import Path

import pytest

from harness.errors import ExitCode, InputError
from harness.inputs.jsonl import (
    JsonlFields,
    JsonlReferences,
    is_jsonl,
    read_candidates_jsonl,
    read_references_jsonl,
)
from harness.inputs.load import load_corpus

F = JsonlFields()
TRUNCATED = "; the line looks truncated (the file does not end with a newline)"


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def _jsonl(*objects: object) -> str:
    return "".join(json.dumps(obj, ensure_ascii=False) + "\n" for obj in objects)


def _refs(path: Path, fields: JsonlFields = F) -> tuple[JsonlReferences, list[str]]:
    problems: list[str] = []
    warnings: list[str] = []
    out = read_references_jsonl(path, fields, problems, warnings)
    assert warnings == []
    return out, problems


def _ref_problems(tmp_path: Path, content: str | bytes) -> tuple[Path, list[str]]:
    path = _write(tmp_path / "refs.jsonl", content)
    return path, _refs(path)[1]


def _cands(paths: list[Path], documents: list[str], fields: JsonlFields = F):
    problems: list[str] = []
    warnings: list[str] = []
    out = read_candidates_jsonl(paths, documents, fields, problems, warnings)
    return out, problems, warnings


def _cand_problems(
    tmp_path: Path, content: str | bytes, documents: tuple[str, ...] = ("d1", "d2")
) -> tuple[Path, list[str]]:
    path = _write(tmp_path / "sys.jsonl", content)
    return path, _cands([path], list(documents))[1]


# --------------------------------------------------------------------------- what is read


def test_references_list_singular_source_offtopic(tmp_path):
    path = _write(tmp_path / "refs.jsonl", _jsonl(
        {"id": "d1", "references": ["猫吃鱼", "猫爱吃鱼"], "source": "原文一", "offtopic": "广告"},
        {"id": "d2", "reference": "狗跑", "source": None, "meta": {"ignored": True}},
    ))
    out, problems = _refs(path)
    assert problems == []
    # Names are 1-based positions in the list; the singular form is reference "1".
    assert out.references == {"d1": {"1": "猫吃鱼", "2": "猫爱吃鱼"}, "d2": {"1": "狗跑"}}
    assert list(out.references["d1"]) == ["1", "2"]  # insertion order is list order
    assert out.sources == {"d1": "原文一"}  # null counts as absent
    assert out.offtopic == {"d1": "广告"}


def test_candidates_one_system_per_file_and_missing_document(tmp_path):
    a = _write(tmp_path / "lead-3.jsonl", _jsonl({"id": "d2", "summary": "狗"}, {"id": "d1", "summary": "猫"}))
    b = _write(tmp_path / "一句话.JSONL", _jsonl({"id": "d1", "summary": ""}))  # an empty text is allowed
    out, problems, warnings = _cands([a, b], ["d1", "d2"])
    assert problems == []
    # Systems in file order, documents in the order given (not the file's), None where missing.
    assert out == {"lead-3": {"d1": "猫", "d2": "狗"}, "一句话": {"d1": "", "d2": None}}
    assert list(out["lead-3"]) == ["d1", "d2"]
    assert warnings == [f"{b}: system '一句话' has no summary for document 'd2'; scored 0"]


def test_mixed_systems_file(tmp_path):
    path = _write(tmp_path / "all.jsonl", _jsonl(
        {"id": "d1", "summary": "猫", "system": "b"},
        {"id": "d1", "summary": "狗", "system": "a"},  # the same id under another system is fine
        {"id": "d2", "summary": "鱼", "system": "b"},
    ))
    out, problems, warnings = _cands([path], ["d1", "d2"])
    assert problems == []
    # The stem "all" names no system here; systems appear in order of first line (b, then a).
    assert out == {"b": {"d1": "猫", "d2": "鱼"}, "a": {"d1": "狗", "d2": None}}
    assert list(out) == ["b", "a"]
    assert warnings == [f"{path}: system 'a' has no summary for document 'd2'; scored 0"]


def test_custom_field_names(tmp_path):
    fields = JsonlFields(id="doc_id", summary="pred", references="refs")
    refs = _write(tmp_path / "refs.jsonl", _jsonl({"doc_id": "d1", "refs": ["猫"], "id": "not this"}))
    cands = _write(tmp_path / "s.jsonl", _jsonl({"doc_id": "d1", "pred": "狗", "summary": "not this"}))
    out, problems = _refs(refs, fields)
    assert problems == [] and out.references == {"d1": {"1": "猫"}}
    assert _cands([cands], ["d1"], fields)[:2] == ({"s": {"d1": "狗"}}, [])


def test_singular_reference_only_with_default_field_name(tmp_path):
    path = _write(tmp_path / "refs.jsonl", _jsonl({"doc": "d1", "reference": "猫"}))
    _, problems = _refs(path, JsonlFields(id="doc", references="targets"))
    # A chosen name is the only one tried; the hint (issue 18 §2) names the option and the likely field.
    assert problems == [
        f"{path}:1: missing field 'targets'; the line has 'doc', 'reference' — use --references-field reference"
    ]


def test_bom_blank_lines_and_crlf(tmp_path):
    data = codecs.BOM_UTF8 + b'{"id": "d1", "references": ["\xe7\x8c\xab"]}\r\n\r\n   \t\n{"id": "d2", "reference": "x"}\n\n'
    out, problems = _refs(_write(tmp_path / "refs.jsonl", data))
    assert problems == []
    assert out.references == {"d1": {"1": "猫"}, "d2": {"1": "x"}}  # E7 8C AB is 猫; no U+FEFF in the id


def test_complete_last_line_without_newline(tmp_path):
    path = _write(tmp_path / "sys.jsonl", '{"id": "d1", "summary": "猫"}\n{"id": "d2", "summary": "狗"}')
    out, problems, warnings = _cands([path], ["d1", "d2"])
    assert (out, problems, warnings) == ({"sys": {"d1": "猫", "d2": "狗"}}, [], [])


def test_stem_is_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "café")
    path = _write(tmp_path / f"{nfd}.jsonl", _jsonl({"id": "d1", "summary": "x"}))
    out, _, _ = _cands([path], ["d1"])
    assert list(out) == [unicodedata.normalize("NFC", "café")]  # as load_adhoc names systems


def test_is_jsonl(tmp_path):
    for name in ("a.jsonl", "b.NDJSON", "c.JsonL"):
        _write(tmp_path / name, "")
    _write(tmp_path / "d.json", "")
    (tmp_path / "e.jsonl").mkdir()
    assert [is_jsonl(tmp_path / n) for n in ("a.jsonl", "b.NDJSON", "c.JsonL")] == [True, True, True]
    assert [is_jsonl(tmp_path / n) for n in ("d.json", "e.jsonl", "missing.jsonl")] == [False, False, False]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"summary": ""}, "JSONL summary field name is empty"),
        ({"id": "text", "summary": "text"}, "JSONL id field 'text' cannot also be the summary or references field"),
    ],
)
def test_field_names_checked(kwargs, message):
    with pytest.raises(InputError) as info:
        JsonlFields(**kwargs)
    assert str(info.value) == message


def test_load_jsonl_corpus(tmp_path):
    refs = _write(tmp_path / "refs.jsonl", _jsonl({"id": "d1", "reference": "猫吃鱼", "offtopic": "币价"}))
    cands = _write(tmp_path / "good.jsonl", _jsonl({"id": "d1", "summary": "猫吃鱼"}))
    corpus = load_corpus(refs, [cands])
    assert corpus.references == {"d1": {"1": "猫吃鱼"}}
    assert corpus.candidates == {"good": {"d1": "猫吃鱼"}}
    assert corpus.offtopic == {"d1": "币价"} and corpus.warnings == []


# --------------------------------------------------------------------------- bytes and JSON syntax


def test_invalid_json(tmp_path):
    # Single quotes: the parser wants a double-quoted name right after "{", 0-based position 1.
    path, problems = _ref_problems(tmp_path, "{'id': 'd1', 'reference': 'x'}\n")
    assert problems == [f"{path}:1: invalid JSON (Expecting property name enclosed in double quotes at column 2)"]


def test_truncated_last_line(tmp_path):
    # '{"id": "d2", "summary": ' is 24 characters, so the cut string opens at column 25.
    path, problems = _cand_problems(tmp_path, '{"id": "d1", "summary": "猫"}\n{"id": "d2", "summary": "猫吃')
    assert problems == [f"{path}:2: invalid JSON (Unterminated string starting at column 25){TRUNCATED}"]


def test_unterminated_line_with_newline_is_not_called_truncated(tmp_path):
    path, problems = _cand_problems(tmp_path, '{"id": "d2", "summary": "猫吃\n')
    assert problems == [f"{path}:1: invalid JSON (Unterminated string starting at column 25)"]


def test_extra_data_on_last_line_is_not_called_truncated(tmp_path):
    # '{"id": "d1", "summary": "x"}' is 28 characters; the stray "x" after a space is column 30.
    path, problems = _cand_problems(tmp_path, '{"id": "d1", "summary": "x"} x')
    assert problems == [f"{path}:1: invalid JSON (Extra data at column 30)"]


def test_invalid_utf8_names_line_and_byte_offset(tmp_path):
    # Offset: the blank first line is 1 byte, '{"id": "' is 8, so 0xff sits at byte 9.
    path, problems = _ref_problems(tmp_path, b'\n{"id": "\xff"}\n')
    assert problems == [f"{path}:2: not valid UTF-8 (byte 0xff at offset 9)"]


def test_byte_offset_counts_the_bom(tmp_path):
    # 3 BOM bytes + 8 for '{"id": "' -> 11.
    path, problems = _ref_problems(tmp_path, codecs.BOM_UTF8 + b'{"id": "\xff"}\n')
    assert problems == [f"{path}:1: not valid UTF-8 (byte 0xff at offset 11)"]


def test_utf8_cut_in_a_character_on_last_line(tmp_path):
    # 猫 is E7 8C AB; the file ends after E7 8C. Offset: 1 (blank line) + 7 ('{"s": "') = 8.
    path, problems = _ref_problems(tmp_path, b'\n{"s": "' + "猫".encode()[:2])
    assert problems == [f"{path}:2: not valid UTF-8 (byte 0xe7 at offset 8){TRUNCATED}"]


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE], ids=["16le", "16be", "32le"])
def test_wide_unicode_file_is_one_problem(tmp_path, bom):
    codec = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be", codecs.BOM_UTF32_LE: "utf-32-le"}[bom]
    name = "UTF-32" if bom == codecs.BOM_UTF32_LE else "UTF-16"
    text = _jsonl({"id": "d1", "reference": "猫"}, {"id": "d2", "reference": "狗"})
    path, problems = _ref_problems(tmp_path, bom + text.encode(codec))
    assert problems == [f"{path}: starts with a {name} byte-order mark; JSON Lines files must be UTF-8"]


@pytest.mark.parametrize(
    ("line", "kind"),
    [("[1, 2]", "a list"), ('"d1"', "a string"), ("3", "a number"), ("true", "a boolean"), ("null", "null")],
)
def test_line_not_an_object(tmp_path, line, kind):
    path, problems = _ref_problems(tmp_path, line + "\n")
    assert problems == [f"{path}:1: expected a JSON object, found {kind}"]


def test_duplicate_key_in_one_object(tmp_path):
    path, problems = _ref_problems(tmp_path, '{"id": "d1", "reference": "a", "id": "d2"}\n')
    assert problems == [f"{path}:1: duplicate key 'id' in one object"]


def test_duplicate_key_in_nested_object(tmp_path):
    path, problems = _ref_problems(tmp_path, '{"id": "d1", "reference": "a", "meta": {"k": 1, "k": 2}}\n')
    assert problems == [f"{path}:1: duplicate key 'k' in one object"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_refused(tmp_path, constant):
    path, problems = _ref_problems(tmp_path, f'{{"id": "d1", "reference": "a", "score": {constant}}}\n')
    assert problems == [f"{path}:1: invalid JSON ({constant} is not allowed)"]


def test_deep_nesting_is_an_error_not_a_traceback(tmp_path):
    path, problems = _ref_problems(tmp_path, "[" * 100_000 + "]" * 100_000 + "\n")
    assert problems == [f"{path}:1: invalid JSON (nested too deeply)"]


def test_huge_integer_is_an_error_not_a_traceback(tmp_path):
    # Python refuses int() on more than 4300 digits by default; 5000 is past it.
    path, problems = _ref_problems(tmp_path, '{"id": "d1", "reference": "a", "n": 1' + "0" * 5000 + "}\n")
    assert problems == [f"{path}:1: invalid JSON (a number too long to read)"]


# --------------------------------------------------------------------------- fields


def test_missing_fields_list_what_the_line_has(tmp_path):
    # 'text' is now a recognised summary name (issue 18 §1), so line 1 uses "body"; hints name the option.
    path, problems = _cand_problems(tmp_path, _jsonl({"id": "d1", "body": "猫"}, {}))
    assert problems == [
        f"{path}:1: missing field 'summary'; the line has 'id', 'body' — use --summary-field body",
        f"{path}:2: missing field 'id'; the line has no fields — use --id-field NAME",
        f"{path}:2: missing field 'summary'; the line has no fields — use --summary-field NAME",
    ]


def test_missing_field_lists_at_most_ten_fields(tmp_path):
    path, problems = _cand_problems(tmp_path, _jsonl({"id": "d1", **{f"k{i}": i for i in range(11)}}))
    # 12 fields: 'id' and k0..k8 shown (10), the rest elided.
    shown = ", ".join(["'id'"] + [f"'k{i}'" for i in range(9)])
    assert problems == [f"{path}:1: missing field 'summary'; the line has {shown}, ... — use --summary-field NAME"]


def test_missing_references_mentions_singular(tmp_path):
    path, problems = _ref_problems(tmp_path, _jsonl({"id": "d1", "refs": ["猫"]}))
    assert problems == [
        f"{path}:1: missing field 'references' (or 'reference'); the line has 'id', 'refs' — use --references-field refs"
    ]


def test_non_string_texts(tmp_path):
    # Issue 18 §1: an integer id is an id ("17") and one reference string a list of one, so
    # {"id": 17, ...}, {"reference": ["a"]} and {"references": "a"} are no longer problems.
    path, problems = _ref_problems(tmp_path, _jsonl(
        {"id": 1.5, "reference": "a"},
        {"id": "d2", "reference": 2},
        {"id": "d3", "references": 3},
        {"id": "d4", "references": ["a", None, 3]},
        {"id": "d5", "reference": "a", "source": 1, "offtopic": {"x": "y"}},
    ))
    assert problems == [
        f"{path}:1: field 'id' must be a string, found a number",
        f"{path}:2: field 'reference' must be a string, found a number",
        f"{path}:3: field 'references' must be a string or a list of strings, found a number",
        f"{path}:4: field 'references' item 2 must be a string, found null",
        f"{path}:4: field 'references' item 3 must be a string, found a number",
        f"{path}:5: field 'source' must be a string, found a number",
        f"{path}:5: field 'offtopic' must be a string, found an object",
    ]


def test_null_summary_is_an_error(tmp_path):
    path, problems = _cand_problems(tmp_path, _jsonl({"id": "d1", "summary": None}))
    assert problems == [f"{path}:1: field 'summary' must be a string, found null"]


def test_empty_references_list_and_both_forms(tmp_path):
    path, problems = _ref_problems(tmp_path, _jsonl(
        {"id": "d1", "references": []},
        {"id": "d2", "references": ["a"], "reference": "b"},
    ))
    assert problems == [
        f"{path}:1: field 'references' is an empty list; a document needs at least one reference",
        f"{path}:2: fields 'references' and 'reference' both given; use one",
    ]


def test_empty_id(tmp_path):
    path, problems = _ref_problems(tmp_path, _jsonl({"id": "", "reference": "a"}))
    assert problems == [f"{path}:1: field 'id' is empty"]


def test_lone_surrogate_refused(tmp_path):
    # "\ud800" is valid JSON syntax but no Unicode character; it would break every later write.
    path, problems = _cand_problems(tmp_path, '{"id": "d1", "summary": "ab\\ud800"}\n')
    assert problems == [f"{path}:1: field 'summary' is not valid Unicode (lone surrogate '\\ud800' at character 3)"]


# --------------------------------------------------------------------------- ids and systems


def test_duplicate_reference_id_names_both_lines(tmp_path):
    path, problems = _ref_problems(tmp_path, _jsonl(
        {"id": "d1", "reference": "a"}, {"id": "d2", "reference": "b"}, {"id": "d1", "reference": "c"},
    ))
    assert problems == [f"{path}:3: duplicate document id 'd1' (first at line 1)"]


@pytest.mark.parametrize("form", ["case", "unicode"])
def test_reference_ids_differing_by_case_or_unicode_form(tmp_path, form):
    a, b = ("Doc", "doc") if form == "case" else (unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café"))
    path, problems = _ref_problems(tmp_path, _jsonl({"id": a, "reference": "x"}, {"id": b, "reference": "y"}))
    shown = {"case": ("'Doc'", "'doc'"), "unicode": ("'caf\\xe9'", "'cafe\\u0301'")}[form]  # ascii() by hand
    assert problems == [
        f"{path}:2: document ids {shown[0]} (line 1) and {shown[1]} differ only by case or Unicode form; rename one"
    ]


def test_duplicate_candidate_id_within_a_system(tmp_path):
    path, problems = _cand_problems(tmp_path, _jsonl(
        {"id": "d1", "summary": "a"}, {"id": "d2", "summary": "b"}, {"id": "d1", "summary": "c"},
    ))
    assert problems == [f"{path}:3: duplicate document id 'd1' for system 'sys' (first at line 1)"]


def test_duplicate_candidate_id_within_a_named_system(tmp_path):
    path, problems = _cand_problems(tmp_path, _jsonl(
        {"id": "d1", "summary": "a", "system": "x"},
        {"id": "d1", "summary": "b", "system": "y"},
        {"id": "d1", "summary": "c", "system": "x"},
    ))
    assert problems == [f"{path}:3: duplicate document id 'd1' for system 'x' (first at line 1)"]


def test_unknown_document_with_and_without_hint(tmp_path):
    nfd = unicodedata.normalize("NFD", "café")
    path, problems = _cand_problems(
        tmp_path,
        _jsonl({"id": "D1", "summary": "a"}, {"id": "zz", "summary": "b"}, {"id": nfd, "summary": "c"}),
        documents=("d1", unicodedata.normalize("NFC", "café")),
    )
    assert problems == [
        f"{path}:1: candidate for unknown document 'D1' (did you mean 'd1'? ids must match exactly)",
        f"{path}:2: candidate for unknown document 'zz'",
        f"{path}:3: candidate for unknown document {nfd!r} (did you mean 'café'? ids must match exactly)",
    ]


def test_line_without_system_in_a_mixed_file(tmp_path):
    path, problems = _cand_problems(tmp_path, _jsonl(
        {"id": "d1", "summary": "a"},
        {"id": "d1", "summary": "b", "system": "x"},
        {"id": "d2", "summary": "c", "system": None},
    ))
    message = "no 'system' field, but line 2 has one; give every line a system, or none"
    assert problems == [f"{path}: 2 lines: {message} (lines 1, 3)"]  # one kind, one line (issue 18 §2)


def test_bad_system_field(tmp_path):
    path, problems = _cand_problems(tmp_path, _jsonl(
        {"id": "d1", "summary": "a", "system": 7}, {"id": "d2", "summary": "b", "system": ""},
    ))
    assert problems == [f"{path}:1: field 'system' must be a string, found a number", f"{path}:2: field 'system' is empty"]


def test_same_system_in_two_files(tmp_path):
    a = _write(tmp_path / "x.jsonl", _jsonl({"id": "d1", "summary": "a"}))
    b = _write(tmp_path / "mixed.jsonl", _jsonl({"id": "d2", "summary": "b", "system": "x"}))
    c = _write(tmp_path / "sub.jsonl", _jsonl({"id": "d2", "summary": "b"}))
    (tmp_path / "other").mkdir()
    d = _write(tmp_path / "other" / "sub.jsonl", _jsonl({"id": "d1", "summary": "a"}))
    _, problems, _ = _cands([a, b, c, d], ["d1", "d2"])
    assert problems == [
        f"{b}:1: system 'x' is also given by {a}; each system must come from one file",
        f"{d}: system 'sub' is also given by {c}; each system must come from one file",
    ]


def test_system_ids_differing_only_by_case(tmp_path):
    a = _write(tmp_path / "Lead.jsonl", _jsonl({"id": "d1", "summary": "a"}))
    b = _write(tmp_path / "mixed.jsonl", _jsonl({"id": "d1", "summary": "b", "system": "lead"}))
    _, problems, _ = _cands([a, b], ["d1"])
    assert problems == [f"{b}:1: system ids 'Lead' ({a}) and 'lead' differ only by case or Unicode form; rename one"]


# --------------------------------------------------------------------------- files


def test_empty_and_blank_files(tmp_path):
    path, problems = _ref_problems(tmp_path, "")
    assert problems == [f"{path}: empty file (no JSON objects)"]
    path, problems = _cand_problems(tmp_path, "\n  \n\t\r\n")
    assert problems == [f"{path}: empty file (no JSON objects)"]


def test_missing_file_and_folder(tmp_path):
    (tmp_path / "dir.jsonl").mkdir()
    _, problems, _ = _cands([tmp_path / "gone.jsonl", tmp_path / "dir.jsonl"], ["d1"])
    assert problems == [
        f"{tmp_path / 'gone.jsonl'}: no such file",
        f"{tmp_path / 'dir.jsonl'}: is a folder, expected a JSONL file",
    ]


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="needs POSIX symlinks")
def test_broken_symlink(tmp_path):
    link = tmp_path / "refs.jsonl"
    os.symlink(tmp_path / "gone.jsonl", link)
    assert _refs(link)[1] == [f"{link}: broken symbolic link"]


def test_problems_capped_per_file(tmp_path):
    # 50 lines that are not objects: one kind, one line (issue 18 §2) ...
    path, problems = _ref_problems(tmp_path, "1\n" * 50)
    assert problems == [f"{path}: 50 lines: expected a JSON object, found a number (lines 1, 2, 3, …)"]
    # ... and 25 kinds (each id twice): 20 listed, the other 5 counted.
    path, problems = _ref_problems(tmp_path, "".join(f'{{"id": "d{i}", "reference": "a"}}\n' * 2 for i in range(25)))
    assert len(problems) == 21 and problems[0] == f"{path}:2: duplicate document id 'd0' (first at line 1)"
    assert problems[-1] == f"{path}: 5 more problems not shown"


def test_missing_summary_warnings_one_line_per_system(tmp_path):
    documents = [f"d{i:02d}" for i in range(25)]
    path = _write(tmp_path / "s.jsonl", _jsonl({"id": "d00", "summary": "a"}))
    out, problems, warnings = _cands([path], documents)
    assert problems == []
    assert out["s"] == {"d00": "a", **{d: None for d in documents[1:]}}
    # 24 missing: one line (issue 18 §2: warnings grouped like problems).
    assert warnings == [f"{path}: system 's' has no summary for 24 of 25 documents ('d01', 'd02', 'd03', …); scored 0"]


# --------------------------------------------------------------------------- load_jsonl: one InputError


def test_load_jsonl_reports_every_problem_in_one_error(tmp_path):
    refs = _write(tmp_path / "refs.jsonl", _jsonl({"id": "d1", "reference": "a"}, {"id": "d1", "reference": "b"}))
    cands = _write(tmp_path / "s.jsonl", '{"id": "d1", "summary": "a"}\n[]\n')
    with pytest.raises(InputError) as info:
        load_corpus(refs, [cands])
    assert info.value.exit_code == ExitCode.USAGE
    assert str(info.value) == (
        f"2 problems:\n  {refs}:2: duplicate document id 'd1' (first at line 1)\n"
        f"  {cands}:2: expected a JSON object, found a list"
    )


def test_load_jsonl_skips_id_checks_after_bad_references(tmp_path):
    # Line 2's document is dropped as malformed; its candidate must not also be "unknown".
    refs = _write(tmp_path / "refs.jsonl", _jsonl({"id": "d1", "reference": "a"}, {"id": "d2", "reference": 5}))
    cands = _write(tmp_path / "s.jsonl", _jsonl({"id": "d1", "summary": "a"}, {"id": "d2", "summary": "b"}))
    with pytest.raises(InputError) as info:
        load_corpus(refs, [cands])
    assert str(info.value) == f"{refs}:2: field 'reference' must be a string, found a number"
