"""Issue 7, classes of bad input: each used to end in a traceback, a wrong exit code or broken output.

Every case is an input written here by hand; expected values are worked out in the comments.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET

import pytest

from harness.errors import InputError
from harness.files import decode

# --------------------------------------------------------------------------- 3. codecs that are not text encodings

# Python's codec registry also holds bytes-to-bytes transforms (hex, base64, zlib, bz2, uu, quopri)
# and a str-to-str one (rot13): the codecs documentation lists them under "Binary Transforms" and
# "Text Transforms", and bytes.decode refuses them with a LookupError. "undefined" is listed as
# raising UnicodeError for every input. None can read a text file.
NOT_TEXT = ["rot13", "hex", "base64", "zlib", "bz2", "uu", "quopri", "undefined"]
HINT = "(try utf-8, gb18030, big5, utf-16)"


@pytest.mark.parametrize("name", [*NOT_TEXT, "ROT-13", "base_64"])
def test_not_a_text_encoding_on_the_command_line(cli_run, cli_corpus, cli_files, name):
    # A GB18030 candidate ("猫 吃 鱼" = b"\xc3\xa8 \xb3\xd4 \xd3\xe3") is not valid UTF-8, so the fallback
    # codec would be used on it: before the fix this reached bytes.decode(name) and crashed.
    cli_files({"candidates/legacy/d1.txt": "猫 吃 鱼\n".encode("gb18030")})
    result = cli_run("score", "--no-config", "--encoding", name)
    assert result.exit_code == 2
    assert result.stderr == f"Error: --encoding {name}: not a text encoding {HINT}\n"
    assert result.stdout == ""


@pytest.mark.parametrize("name", ["rot13", "undefined"])
def test_not_a_text_encoding_for_tokenize(cli_run, tmp_path, name):
    f = tmp_path / "t.txt"
    f.write_bytes("开源".encode("gb18030"))
    result = cli_run("tokenize", "--no-config", "--encoding", name, "--file", f)
    assert result.exit_code == 2
    assert result.stderr == f"Error: --encoding {name}: not a text encoding {HINT}\n"


def test_unknown_and_nul_encoding_names(cli_run, cli_corpus):
    # A NUL in the name made codecs.lookup raise ValueError, not LookupError; the message shows
    # the NUL as the four characters \x00 (messages are one visible line).
    for name, shown in (("klingon", "klingon"), ("utf\x008", "utf\\x008")):
        result = cli_run("score", "--no-config", "--encoding", name)
        assert result.exit_code == 2
        assert result.stderr == f"Error: --encoding {shown}: not an encoding Python knows {HINT}\n"


@pytest.mark.parametrize("name", NOT_TEXT)
def test_not_a_text_encoding_in_config(cli_run, cli_corpus, name):
    path = cli_corpus / "pyproject.toml"
    path.write_text(f'[tool.harness]\nencoding = "{name}"\n', encoding="utf-8")
    result = cli_run("score")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path}: [tool.harness]: 'encoding' is not a text encoding: {name!r} {HINT}\n"
    )


@pytest.mark.parametrize(("name", "text"), [("GB18030", "猫吃鱼"), ("big5", "貓吃魚"), ("latin-1", "café"), ("utf_16", "café")])
def test_text_encodings_and_their_aliases_are_accepted(cli_run, cli_files, name, text):
    # Each text, written in `name`, is not valid UTF-8 (GB18030 and Big5 lead bytes, Latin-1 0xe9,
    # UTF-16 with its BOM), so it is read with the fallback codec and must come back as the same
    # text as the UTF-8 reference: identical tokens, rouge1 F = 1.
    cli_files({"references/d1/r.txt": text + "\n", "candidates/s/d1.txt": (text + "\n").encode(name)})
    result = cli_run("score", "--no-config", "--encoding", name, "--format", "json")
    assert result.exit_code == 0, result.stderr
    (system,) = json.loads(result.stdout)["systems"]
    assert system["scores"]["rouge1"]["fmeasure"] == 1.0


def test_decode_turns_a_bare_unicode_error_into_an_input_error():
    # For library callers that skip check_encoding: "undefined" raises a plain UnicodeError
    # (no byte offset); it becomes an InputError naming the file. b"\xff" is not UTF-8, so the
    # fallback is tried.
    with pytest.raises(InputError) as caught:
        decode(b"\xff", "x.txt", "undefined")
    assert str(caught.value).startswith("x.txt: cannot be decoded as undefined (")


# --------------------------------------------------------------------------- 4. pathological JSON in a baseline

REGENERATE = "; regenerate it with `harness check --update-baseline`\n"


def _baseline_with(cli_run, cli_corpus, place, literal: str) -> None:
    """Write baseline.json for CLI_TINY with the raw JSON `literal` at the spot `place(obj)` marks."""
    assert cli_run("check", "--no-config", "--update-baseline").exit_code == 0
    path = cli_corpus / "baseline.json"
    obj = json.loads(path.read_text(encoding="utf-8"))
    place(obj)
    text = json.dumps(obj, ensure_ascii=False, indent=2)
    assert text.count('"@@"') == 1
    path.write_text(text.replace('"@@"', literal), encoding="utf-8")


def _first_precision(obj):  # systems are in rank order: systems[0] is "good"
    obj["systems"][0]["scores"]["rouge1"]["precision"] = "@@"


def _offtopic_share(obj):  # a field the structural validation never looked at
    obj["systems"][1]["offtopic"] = {"d1": "@@"}


TOO_BIG = "1" + "0" * 399  # 400 digits: 1e399, beyond the largest double (about 1.8e308)
TOO_SMALL = "0." + "0" * 398 + "1"  # 1e-399: a non-zero literal that rounds to 0.0
HUGE_INT = "9" * 5000  # past Python's 4,300-digit limit for int(str): ValueError


@pytest.mark.parametrize(
    ("literal", "shown"),
    [
        ("1e400", "1e400"),
        ("-1E+400", "-1E+400"),
        (TOO_BIG, "100000000000...0000 (400 characters)"),
        (TOO_SMALL, "0.0000000000...0001 (401 characters)"),
        (HUGE_INT, "999999999999...9999 (5000 characters)"),
    ],
)
def test_numbers_no_double_holds_are_exit_2_naming_the_field(cli_run, cli_corpus, literal, shown):
    _baseline_with(cli_run, cli_corpus, _first_precision, literal)
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: baseline.json: systems[0].scores.rouge1.precision is {shown}, outside the range of a 64-bit float"
        + REGENERATE
    )


def test_out_of_range_number_anywhere_is_refused(cli_run, cli_corpus):
    # systems[1] is "half"; its per-document off-topic share is never used by the gate, but a
    # number no double holds is refused wherever it is.
    _baseline_with(cli_run, cli_corpus, _offtopic_share, "2e308")
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: baseline.json: systems[1].offtopic.d1 is 2e308, outside the range")


def test_a_long_literal_that_fits_a_double_is_read(cli_run, cli_corpus):
    # 4/7 to 40 decimals rounds to the same double as 4/7 (correct rounding: the double nearest
    # 0.571428... is unique), so half's rougeL F equals the current one and the gate passes.
    def place(obj):
        obj["systems"][1]["scores"]["rougeL"]["fmeasure"] = "@@"

    _baseline_with(cli_run, cli_corpus, place, "0.5714285714285714285714285714285714285714")
    result = cli_run("check", "--no-config", "--format", "json")
    assert result.exit_code == 0, result.stderr
    row = next(r for r in json.loads(result.stdout)["rows"] if (r["system"], r["metric"]) == ("half", "rougeL"))
    assert row["baseline"] == 4 / 7 and row["status"] == "ok"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_literals_are_refused(cli_run, cli_corpus, constant):
    _baseline_with(cli_run, cli_corpus, _offtopic_share, constant)
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: baseline.json: systems[1].offtopic.d1 is {constant}, which is not a number JSON allows" + REGENERATE
    )


@pytest.mark.parametrize("opening", ["[", '{"a": '])
def test_nesting_200000_deep_is_exit_2(cli_run, cli_corpus, opening):
    closing = "]" if opening == "[" else "}"
    inner = "1" if opening != "[" else ""
    text = '{"signature": "x", "metrics": ' + opening * 200_000 + inner + closing * 200_000 + "}"
    (cli_corpus / "baseline.json").write_text(text, encoding="utf-8")
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2
    assert result.stderr == "Error: baseline.json: arrays or objects nested too deeply to read" + REGENERATE


def test_repeated_key_at_the_top_is_refused(cli_run, cli_corpus):
    # Python's json keeps the last "signature"; another reader may keep the first.
    def place(obj):
        obj["version"] = "@@"

    _baseline_with(cli_run, cli_corpus, place, '"0.1.0", "signature": "unit:char"')
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: baseline.json: the top level repeats the key 'signature' (JSON readers disagree on which one counts)"
        + REGENERATE
    )


def test_repeated_key_deep_inside_is_refused(cli_run, cli_corpus):
    # bad's per-document rouge2 with two "fmeasure" keys, the second making it look better.
    def place(obj):
        obj["systems"][2]["documents"]["d1"]["rouge2"]["fmeasure"] = "@@"

    _baseline_with(cli_run, cli_corpus, place, '0.0, "fmeasure": 0.9')
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: baseline.json: systems[2].documents.d1.rouge2 repeats the key 'fmeasure' "
        "(JSON readers disagree on which one counts)" + REGENERATE
    )


def test_lone_surrogate_in_a_name_is_refused(cli_run, cli_corpus):
    # "\ud800" is valid JSON syntax but no character; printing it would fail with UnicodeEncodeError.
    def place(obj):
        obj["systems"][0]["name"] = "@@"

    _baseline_with(cli_run, cli_corpus, place, '"x\\ud800"')
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: baseline.json: systems[0].name holds a lone surrogate")


# --------------------------------------------------------------------------- 5. a baseline that gates nothing


def test_baseline_without_systems_is_exit_2(cli_run, cli_corpus, edit_baseline):
    edit_baseline(lambda o: o.update(systems=[]))
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: baseline.json: 'systems' is empty: a baseline without systems would gate nothing" + REGENERATE
    )


def test_no_current_system_in_the_baseline_is_exit_2(cli_run, cli_corpus, edit_baseline):
    # Every baseline system renamed: before, good/half/bad were all "new" and the gate passed.
    def rename(obj):
        for s in obj["systems"]:
            s["name"] = "old-" + s["name"]

    edit_baseline(rename)
    result = cli_run("check", "--no-config")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: baseline.json: nothing was gated: none of the current systems (bad, good, half) is in the baseline "
        "(old-bad, old-good, old-half); if the systems were renamed, regenerate it with `harness check --update-baseline`\n"
    )


def test_new_systems_beside_a_gated_one_are_reported_and_pass(cli_run, cli_corpus, edit_baseline):
    # Only "good" is in the baseline: it is gated (ok, same numbers), half and bad are new and pass.
    edit_baseline(lambda o: o.update(systems=[s for s in o["systems"] if s["name"] == "good"]))
    result = cli_run("check", "--no-config", "--format", "json")
    assert result.exit_code == 0, result.stderr
    statuses = {(r["system"], r["metric"]): r["status"] for r in json.loads(result.stdout)["rows"]}
    assert {s for (name, _m), s in statuses.items() if name == "good"} == {"ok"}
    assert {s for (name, _m), s in statuses.items() if name != "good"} == {"new"}
    assert len(statuses) == 12  # 3 systems x 4 metrics


def test_compare_refuses_to_gate_nothing_as_a_library_call():
    from harness.errors import BaselineError
    from harness.gate import verdict as gate

    scores = {"rouge1": {"precision": 1.0, "recall": 1.0, "fmeasure": 1.0}}
    current = {"signature": "s", "metrics": ["rouge1"], "systems": [{"name": f"n{i}", "scores": scores, "documents": {}} for i in range(7)]}
    baseline = {"signature": "s", "metrics": ["rouge1"], "systems": [{"name": "x", "scores": scores, "documents": {}}]}
    with pytest.raises(BaselineError) as caught:
        gate.compare(baseline, current, source="b.json")
    # Seven current systems: the first five by name, then a count.
    assert str(caught.value).startswith(
        "b.json: nothing was gated: none of the current systems (n0, n1, n2, n3, n4, and 2 more) is in the baseline (x)"
    )


# --------------------------------------------------------------------------- 8. Unicode digits where digits are expected

# str.isdigit() is True for all four; int() refuses "²" and "①" (ValueError) and reads "٣" and "３"
# as 3. The harness reads the frequency as ASCII digits only, as jieba's own format does.
@pytest.mark.parametrize("digit", ["²", "①", "٣", "３", "1²", "五"])
def test_user_dictionary_frequency_in_other_digits_is_exit_2(cli_run, tmp_path, digit):
    d = tmp_path / "dict.txt"
    d.write_text(f"羊驼家族 5\n开源模型 {digit}\n", encoding="utf-8")
    result = cli_run("tokenize", "--no-config", "--user-dict", d, "开源模型")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {d}:2: frequency {digit!r} must be written in ASCII digits 0-9\n"


def test_user_dictionary_frequency_with_a_tag(cli_run, tmp_path):
    # ASCII frequency and tag: the entry is used. Plain jieba cuts 开源模型 into 开源 / 模型
    # (checked with jieba.Tokenizer().cut), so one token proves the dictionary was loaded.
    d = tmp_path / "dict.txt"
    d.write_text("开源模型 3 n\n", encoding="utf-8")
    result = cli_run("tokenize", "--no-config", "--user-dict", d, "开源模型")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "开源模型\n"


def test_user_dictionary_frequency_too_long_is_exit_2(cli_run, tmp_path):
    # 5,000 digits: past int()'s 4,300-digit limit, which used to end in a ValueError traceback.
    d = tmp_path / "dict.txt"
    d.write_text("开源模型 " + "9" * 5000 + "\n", encoding="utf-8")
    result = cli_run("tokenize", "--no-config", "--user-dict", d, "开源模型")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {d}:1: frequency of 5000 digits is too large (at most 18)\n"


@pytest.mark.parametrize("value", ["rougeL=٠.٣", "rougeL=０.３", "rougeL=0.³"])
def test_min_floor_wants_ascii_digits(cli_run, cli_corpus, value):
    result = cli_run("check", "--no-config", "--update-baseline", "--min", value)
    assert result.exit_code == 2
    assert result.stderr == f"Error: --min {value}: expected METRIC=VALUE or SYSTEM:METRIC=VALUE, e.g. rougeL=0.30\n"


def test_numeric_options_read_decimal_digits_of_any_script(cli_run, cli_corpus):
    # Documented choice: click reads --tolerance with float(), which takes any script's decimal
    # digits by value (full-width "０.１" is 0.1, Arabic-Indic "٠.٢" is 0.2) and refuses "²".
    assert cli_run("check", "--no-config", "--update-baseline").exit_code == 0
    for text, value in (("０.１", 0.1), ("٠.٢", 0.2)):
        result = cli_run("check", "--no-config", "--tolerance", text, "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["tolerance"] == value
    refused = cli_run("check", "--no-config", "--tolerance", "²")
    assert refused.exit_code == 2 and "'²' is not a valid float range" in refused.stderr


def test_metric_name_with_a_trailing_newline_is_refused():
    from harness.rouge.scoring import check_metrics

    # re's "$" also matches before a final newline, so "rouge1\n" used to pass as a metric name.
    with pytest.raises(InputError):
        check_metrics(["rouge1\n"])
    assert check_metrics(["rouge1", "rouge9", "rougeLsum"]) == ("rouge1", "rouge9", "rougeLsum")


# --------------------------------------------------------------------------- 9. names that break output formats

# Folder names Linux allows (anything but "/" and NUL), and how people-facing outputs must show
# them, written out by hand: invisible characters as backslash escapes, a backslash doubled,
# everything visible (CJK, accents, "|") unchanged.
WEIRD = {
    "red\x1b[31mX": "red\\x1b[31mX",  # an ESC sequence that would turn the terminal red
    "bell\x07": "bell\\x07",
    "a|b": "a|b",
    "tab\tname": "tab\\tname",
    "new\nline": "new\\nline",
    "crlf\r": "crlf\\r",
    "c1\x9b2J": "c1\\x9b2J",  # U+009B is the one-byte CSI of C1 terminals
    "rtl\u202eabc": "rtl\\u202eabc",  # right-to-left override: reorders what follows it
    "non\uffff": "non\\uffff",  # a noncharacter XML 1.0 forbids
    "back\\slash": "back\\\\slash",
    "一句话摘要": "一句话摘要",
    "café": "café",
}


@pytest.fixture
def weird_corpus(cli_files):
    files = {"references/d1/r.txt": "猫 吃 鱼\n"}
    for i, name in enumerate(WEIRD):
        files[f"candidates/{name}/d1.txt"] = "猫 吃 鱼 了\n" if i % 2 else "猫 吃\n"
    return cli_files(files)


def _md_cells(line: str) -> list[str]:
    # GFM splits a row at every "|" not escaped by a backslash; the outer pipes give empty ends.
    return [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]


def test_score_table_shows_names_visibly(cli_run, weird_corpus):
    result = cli_run("score", "--no-config")
    assert result.exit_code == 0, result.stderr
    table = result.stdout.split("\n\n", 1)[0].splitlines()
    assert len(table) == 2 + len(WEIRD)  # header, rule, one line per system: no row was split
    for char in "\x1b\x07\t\r\x9b\u202e\uffff":
        assert char not in result.stdout
    assert {line.split("  ")[0] for line in table[2:]} == set(WEIRD.values())


def test_score_markdown_keeps_one_row_and_five_cells_per_system(cli_run, weird_corpus):
    result = cli_run("score", "--no-config", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert len(rows) == 2 + len(WEIRD)  # header, separator, one per system
    assert all(len(_md_cells(line)) == 5 for line in rows)  # System, R-1, R-2, R-L, R-Lsum
    names = {_md_cells(line)[0] for line in rows[2:]}
    # Markdown-literal on top of the visible form: "\" "|" "[" get a backslash (by hand).
    assert "a\\|b" in names and "red\\\\x1b\\[31mX" in names and "back\\\\\\\\slash" in names
    assert "new\\\\nline" in names and "一句话摘要" in names and "café" in names


def test_json_and_csv_carry_names_unchanged(cli_run, weird_corpus):
    as_json = cli_run("score", "--no-config", "--format", "json")
    assert {s["name"] for s in json.loads(as_json.stdout)["systems"]} == set(WEIRD)
    as_csv = cli_run("score", "--no-config", "--format", "csv")
    rows = list(csv.reader(io.StringIO(as_csv.stdout, newline="")))[1:]  # newline="": as the csv docs ask
    assert {r[0] for r in rows} == set(WEIRD)
    assert len(rows) == len(WEIRD) * 2 * 4  # documents "*" and d1, four metrics
    # Printed or written to a file, the same text (click used to drop "\x1b[31m" from stdout).
    assert cli_run("score", "--no-config", "--format", "csv", "-o", "out.csv").exit_code == 0
    with open(weird_corpus / "out.csv", encoding="utf-8", newline="") as handle:
        assert handle.read() == as_csv.stdout


def test_check_junit_is_well_formed_with_names_escaped(cli_run, weird_corpus):
    assert cli_run("check", "--no-config", "--update-baseline").exit_code == 0
    # Make "red\x1b[31mX" (a "猫 吃" system: rouge1 F 0.8) regress: baseline F 0.9.
    path = weird_corpus / "baseline.json"
    obj = json.loads(path.read_text(encoding="utf-8"))
    row = next(s for s in obj["systems"] if s["name"] == "red\x1b[31mX")
    row["scores"]["rouge1"]["fmeasure"] = row["documents"]["d1"]["rouge1"]["fmeasure"] = 0.9  # one document
    path.write_text(json.dumps(obj), encoding="utf-8")
    result = cli_run("check", "--no-config", "--junit", "j.xml")
    assert result.exit_code == 1
    suite = ET.parse(weird_corpus / "j.xml").getroot()  # raises on XML that is not well-formed
    cases = suite.findall("testcase")
    assert {c.get("classname") for c in cases} == {f"harness.{shown}" for shown in WEIRD.values()}
    (failed,) = [c for c in cases if c.find("failure") is not None]
    assert failed.get("classname") == "harness.red\\x1b[31mX"
    assert failed.find("failure").text.startswith("red\\x1b[31mX rouge1 fmeasure: regressed")
    # The terminal report: no raw ESC, one summary line naming the system visibly.
    assert "\x1b" not in result.stdout
    assert "(red\\x1b[31mX rouge1 regressed -10.00 points)" in result.stdout.splitlines()[-1]


def test_check_markdown_rows_and_heading(cli_run, weird_corpus):
    assert cli_run("check", "--no-config", "--update-baseline").exit_code == 0
    result = cli_run("check", "--no-config", "--format", "markdown", "--min", "new\nline:rouge1=0.99")
    assert result.exit_code == 1  # new\nline scores 0.8 or 6/7 on rouge1: under the floor
    lines = result.stdout.splitlines()
    assert lines[0] == "<!-- harness-check -->"
    assert lines[2].startswith("## ❌ harness check: FAILED: ") and "new\\\\nline rouge1 below-min" in lines[2]
    rows = [line for line in lines if line.startswith("|")]
    # One row per system (the comment's layout since issue 18): System, Status, R-L before -> after, delta,
    # interval, p, and the three other metrics' deltas.
    assert len(rows) == 2 + len(WEIRD)
    assert all(len(_md_cells(line)) == 9 for line in rows)


def test_messages_stay_one_visible_line(cli_run, weird_corpus, cli_files):
    # An undecodable candidate in the "new\nline" system: the error names its path on one line.
    cli_files({"candidates/new\nline/d1.txt": b"\xff\n"})
    result = cli_run("score", "--no-config")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: candidates/new\\nline/d1.txt: not valid UTF-8")


# --------------------------------------------------------------------------- 11. errors that come late


def _never(what: str):
    def fail(*_args, **_kwargs):
        raise AssertionError(f"{what} was called: the bad option was not caught first")

    return fail


@pytest.fixture
def undecodable(cli_run, cli_corpus, cli_files):
    """CLI_TINY with a valid baseline, then a candidate that is not UTF-8: any run that reads the
    corpus fails on it, so an error about something else proves the corpus was not read."""
    assert cli_run("check", "--no-config", "--update-baseline").exit_code == 0
    cli_files({"candidates/good/d1.txt": b"\xff\xfe\xfd\n"})
    return cli_corpus


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_bad_tolerance_is_reported_before_any_text_is_read(cli_run, undecodable, monkeypatch, value):
    monkeypatch.setattr("harness.cli.options.load_corpus", _never("load_corpus"))
    result = cli_run("check", "--no-config", "--tolerance", value)
    assert result.exit_code == 2
    assert result.stderr == f"Error: --tolerance {value}: must be a finite number, zero or more\n"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        # Issue 18 §2 adds the did-you-mean.
        (["--metrics", "rouge1,rouge0"], "unknown metric 'rouge0' (did you mean 'rouge1'?); choose from rouge1..rouge9, rougeL, rougeLsum, rougeSU0..rougeSU9, rougeS0..rougeS9"),
        (["--min", "rouge3=0.1"], "--min rouge3=0.1: metric rouge3 is not computed (metrics: rouge1, rouge2, rougeL, rougeLsum)"),
        (["--metrics", "rouge1", "--min", "rougeL=0.2"], "--min rougeL=0.2: metric rougeL is not computed (metrics: rouge1)"),
        (["--unit", "char", "--user-dict", "dict.txt"], "--user-dict only applies to --unit word (jieba)"),
        (["--junit", "nowhere/j.xml"], "nowhere/j.xml: folder nowhere does not exist"),
    ],
)
def test_check_options_are_refused_before_the_corpus_is_read(cli_run, undecodable, monkeypatch, args, error):
    (undecodable / "dict.txt").write_text("开源模型 5\n", encoding="utf-8")
    monkeypatch.setattr("harness.cli.options.load_corpus", _never("load_corpus"))
    result = cli_run("check", "--no-config", *args)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {error}\n"


def test_junit_onto_a_folder_is_refused_by_click_first(cli_run, undecodable, monkeypatch):
    monkeypatch.setattr("harness.cli.options.load_corpus", _never("load_corpus"))
    result = cli_run("check", "--no-config", "--junit", "references")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: Invalid value for '--junit': File 'references' is a directory.\n")


def test_malformed_user_dictionary_is_reported_before_the_corpus(cli_run, undecodable):
    d = undecodable / "dict.txt"
    d.write_text("开源模型 ²\n", encoding="utf-8")
    for command in ("score", "check"):
        result = cli_run(command, "--no-config", "--user-dict", d)
        assert result.exit_code == 2
        assert result.stderr == f"Error: {d}:1: frequency '²' must be written in ASCII digits 0-9\n"
    # tokenize: the dictionary before the (undecodable) file.
    result = cli_run("tokenize", "--no-config", "--user-dict", d, "--file", undecodable / "candidates/good/d1.txt")
    assert result.stderr == f"Error: {d}:1: frequency '²' must be written in ASCII digits 0-9\n"


def test_score_output_into_a_missing_folder_is_refused_first(cli_run, undecodable, monkeypatch):
    monkeypatch.setattr("harness.cli.options.load_corpus", _never("load_corpus"))
    result = cli_run("score", "--no-config", "-o", "no/such/out.json")
    assert result.exit_code == 2
    assert result.stderr == "Error: no/such/out.json: folder no/such does not exist\n"


def test_update_baseline_into_a_missing_folder_is_refused_first(cli_run, undecodable, monkeypatch):
    monkeypatch.setattr("harness.cli.options.load_corpus", _never("load_corpus"))
    result = cli_run("check", "--no-config", "--update-baseline", "--baseline", "gone/b.json")
    assert result.exit_code == 2
    assert result.stderr == "Error: gone/b.json: folder gone does not exist\n"


def test_floor_for_an_unknown_system_is_refused_before_scoring(cli_run, cli_corpus, monkeypatch):
    assert cli_run("check", "--no-config", "--update-baseline").exit_code == 0
    monkeypatch.setattr("harness.cli.options.evaluate", _never("evaluate"))
    result = cli_run("check", "--no-config", "--min", "ghost:rougeL=0.1")
    assert result.exit_code == 2
    assert result.stderr == "Error: --min ghost:rougeL=0.1: no system 'ghost' (systems: bad, good, half)\n"


def test_floor_for_a_baseline_system_missing_from_the_run_is_allowed(cli_run, cli_corpus):
    # "half" is in the baseline but no longer in candidates/: its floor is legal, the system is missing (exit 1).
    assert cli_run("check", "--no-config", "--update-baseline").exit_code == 0
    for f in (cli_corpus / "candidates" / "half").iterdir():
        f.unlink()
    (cli_corpus / "candidates" / "half").rmdir()
    result = cli_run("check", "--no-config", "--min", "half:rougeL=0.1", "--format", "json")
    assert result.exit_code == 1
    rows = [r for r in json.loads(result.stdout)["rows"] if r["system"] == "half"]
    assert {r["status"] for r in rows} == {"missing"}


# Follow-on problems: when a folder is wrong, report that, not what it makes of everything after it.


def test_empty_references_folder_is_the_only_problem(cli_run, cli_files):
    # offtopic/ beside references/ is read by default; without documents its file used to be
    # reported as "off-topic text for unknown document" too.
    root = cli_files({"candidates/s/d1.txt": "猫\n", "offtopic/d1.txt": "股票\n"})
    (root / "references").mkdir()
    result = cli_run("score", "--no-config")
    assert result.exit_code == 2
    assert result.stderr == "Error: references: no documents (expected references/<doc-id>/<name>.txt)\n"


def test_missing_references_folder_with_offtopic_beside_it(cli_run, cli_files):
    cli_files({"candidates/s/d1.txt": "猫\n", "offtopic/d1.txt": "股票\n"})
    result = cli_run("score", "--no-config")
    assert result.exit_code == 2
    assert result.stderr == "Error: references: no such folder\n"


def test_missing_offtopic_folder_is_still_reported_without_documents(cli_run, cli_files):
    # Two real problems, both reported: no documents, and an --offtopic folder that does not exist.
    root = cli_files({"candidates/s/d1.txt": "猫\n"})
    (root / "references").mkdir()
    result = cli_run("score", "--no-config", "--offtopic", "noise")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: 2 problems:\n  references: no documents (expected references/<doc-id>/<name>.txt)\n  noise: no such folder\n"
    )


def test_document_folder_holding_only_a_folder_is_one_problem(cli_run, cli_files):
    root = cli_files({"candidates/s/d1.txt": "猫\n"})
    (root / "references" / "d1" / "sub").mkdir(parents=True)
    result = cli_run("score", "--no-config")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {os.path.join('references', 'd1', 'sub')}: is a folder, expected reference .txt files\n"


def test_document_folder_holding_only_a_broken_link_is_one_problem(cli_run, cli_files):
    root = cli_files({"candidates/s/d1.txt": "猫\n"})
    (root / "references" / "d1").mkdir(parents=True)
    os.symlink(root / "gone.txt", root / "references" / "d1" / "r.txt")
    result = cli_run("score", "--no-config")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {os.path.join('references', 'd1', 'r.txt')}: broken symbolic link\n"


def test_empty_candidates_is_reported_beside_a_reference_problem(cli_run, cli_files):
    # Independent problems are all reported: an undecodable reference no longer hides "no systems".
    root = cli_files({"references/d1/r.txt": b"\xff\n"})
    (root / "candidates").mkdir()
    result = cli_run("score", "--no-config")
    assert result.exit_code == 2
    ref = os.path.join("references", "d1", "r.txt")
    assert result.stderr == (
        f"Error: 2 problems:\n  {ref}: not valid UTF-8 (byte 0xff at offset 0); if it is in another encoding, pass "
        "--encoding (for example --encoding gb18030)\n  candidates: no systems (expected candidates/<system>/<doc-id>.txt)\n"
    )


def test_small_refusals_of_the_bad_input_audit(cli_run, cli_files):
    # Each once passed or said the wrong thing (found by a helper's audit, 2026-12-03):
    # facts --offtopic with no evidence was ignored (every item "unchecked"); --trials out of range
    # passed unless a paired test used it; a summary file as -o said "summary file file"; a missing
    # JSONL file was "no such folder".
    root = cli_files({"ot.txt": "比特币价格为6万美元。", "s.txt": "公司营收3.2亿元。",
                      "references/d/r.txt": "公司营收3.2亿元。", "candidates/a/d.txt": "公司营收3.2亿元。"})
    off = cli_run("facts", "--offtopic", str(root / "ot.txt"), str(root / "s.txt"))
    assert off.exit_code == 2 and off.stderr == (
        "Error: --offtopic needs --source or --reference: items are told off-topic beside the evidence\n")
    for trials, said in (("5", "at least 100"), ("2000000", "at most 1,000,000")):
        result = cli_run("check", "--no-config", "--trials", trials)
        assert result.exit_code == 2 and result.stderr == (
            f"Error: --trials {trials}: {said} resamples" + (" are needed for an interval\n" if trials == "5"
                                                             else " (time grows with each)\n")), result.stderr
    mine = root / "s.txt"
    clash = cli_run("score", "--no-config", str(mine), "--doc", "d", "-o", str(mine))
    assert clash.exit_code == 2 and f"is the summary file {mine}:" in clash.stderr, clash.stderr
    for given in ("nosuch.jsonl", "nosuch.jsonl#id=k"):
        missing = cli_run("score", "--no-config", "--candidates", given)
        assert missing.exit_code == 2 and f"{given}: no such file" in missing.stderr, missing.stderr
