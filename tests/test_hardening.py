"""Inputs found by review to slip through: each used to crash, mislead or silently change a score."""

from __future__ import annotations

import json
import os

import pytest

from harness.text.tokenizers import JiebaTokenizer


def test_user_dictionary_words_are_normalised_like_the_text(tmp_path, ind_jieba):
    # jieba loads "OpenAI公司" verbatim; the text is lower-cased to "openai公司", so without
    # normalising the entry it never matches. Full-width "ＧＰＴ４模型" likewise (NFKC -> gpt4模型).
    d = tmp_path / "dict.txt"
    d.write_text("OpenAI公司 10\nＧＰＴ４模型\t5\tn\n", encoding="utf-8")
    tok = JiebaTokenizer(user_dict=d)
    assert tok.tokenize("openai公司") == ["openai公司"]
    assert tok.tokenize("gpt4模型") == ["gpt4模型"]
    # Without the dictionary jieba cuts both (independent: plain jieba gives these pieces).
    assert list(ind_jieba.cut("openai公司")) == ["openai", "公司"]
    assert JiebaTokenizer().tokenize("openai公司") == ["openai", "公司"]


def test_malformed_user_dictionary_line_is_an_error_naming_the_line(cli_run, tmp_path):
    d = tmp_path / "dict.txt"
    d.write_text("羊驼家族 5\n羊驼 家族 3 n\n", encoding="utf-8")
    result = cli_run("tokenize", "--no-config", "--user-dict", d, "羊驼家族")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {d}:2: expected 'word [frequency] [tag]', got '羊驼 家族 3 n'\n"


def test_utf16_without_bom_is_refused_unless_encoding_given(cli_run, tmp_path):
    # ASCII in UTF-16-LE without a BOM is valid UTF-8 byte for byte ("g\0p\0t\0"), which used to
    # score as single letters. Now: exit 2 with a hint, and --encoding utf-16-le reads it.
    (tmp_path / "references" / "d").mkdir(parents=True)
    (tmp_path / "references" / "d" / "r.txt").write_text("gpt and alpaca\n", encoding="utf-8")
    f = tmp_path / "sys.txt"
    f.write_bytes("gpt and alpaca\n".encode("utf-16-le"))
    result = cli_run("score", "--no-config", f)
    assert result.exit_code == 2
    assert f"{f}: looks like UTF-16 without a byte-order mark" in result.stderr
    assert "--encoding utf-16-le" in result.stderr
    ok = cli_run("score", "--no-config", "--encoding", "utf-16-le", "--format", "json", f)
    assert ok.exit_code == 0, ok.stderr
    (system,) = json.loads(ok.stdout)["systems"]
    assert system["scores"]["rouge1"]["fmeasure"] == 1.0  # same three words as the reference


def test_nan_tolerance_is_refused(cli_run, cli_corpus):
    # With NaN every comparison is False, so nothing could ever regress: refuse it.
    assert cli_run("check", "--update-baseline").exit_code == 0
    for value in ("nan", "inf"):
        result = cli_run("check", "--tolerance", value)
        assert result.exit_code == 2
        assert "--tolerance" in result.stderr and "finite" in result.stderr
    (cli_corpus / "pyproject.toml").write_text("[tool.harness]\ntolerance = nan\n", encoding="utf-8")
    result = cli_run("check")
    assert result.exit_code == 2 and "pyproject.toml" in result.stderr and "finite" in result.stderr


@pytest.mark.parametrize("where", ["candidates", "references"])
def test_broken_symlink_as_a_folder_is_reported(cli_run, cli_corpus, where):
    link = cli_corpus / where / "ghost"
    os.symlink(cli_corpus / "nowhere", link)
    result = cli_run("score")
    assert result.exit_code == 2
    assert f"{os.path.join(where, 'ghost')}: broken symbolic link" in result.stderr


def test_stray_file_at_the_top_of_candidates_is_a_warning(cli_run, cli_corpus):
    (cli_corpus / "candidates" / "README.md").write_text("notes\n", encoding="utf-8")
    result = cli_run("score")
    assert result.exit_code == 0
    assert f"warning: {os.path.join('candidates', 'README.md')}: ignored (not a folder)" in result.stderr


def test_missing_references_folder_is_the_only_problem_reported(cli_run, cli_corpus):
    # Without documents every candidate would also be "for an unknown document": that is noise.
    result = cli_run("score", "--references", "nope")
    assert result.exit_code == 2
    assert result.stderr == "Error: nope: no such folder\n"


def test_bad_encoding_in_config_names_the_file(cli_run, cli_corpus):
    path = cli_corpus / "pyproject.toml"
    path.write_text('[tool.harness]\nencoding = "bogus"\n', encoding="utf-8")
    result = cli_run("score")
    assert result.exit_code == 2
    assert str(path) in result.stderr and "'encoding' is not an encoding" in result.stderr


def test_baseline_not_utf8_does_not_suggest_encoding(cli_run, cli_corpus):
    (cli_corpus / "baseline.json").write_bytes(b'{"signature": "\xff"}')
    result = cli_run("check")
    assert result.exit_code == 2
    assert "baseline.json: not valid UTF-8 (byte 0xff at offset 15)" in result.stderr
    assert "--encoding" not in result.stderr and "--update-baseline" in result.stderr


def test_below_floor_summary_shows_current_and_floor(cli_run, cli_corpus):
    # CLI_TINY's weakest system: its R-L F x 100, read from score's JSON, is what the line must show.
    assert cli_run("check", "--update-baseline").exit_code == 0
    scores = json.loads(cli_run("score", "--format", "json").stdout)
    weakest = min(scores["systems"], key=lambda s: s["scores"]["rougeL"]["fmeasure"])
    f = weakest["scores"]["rougeL"]["fmeasure"]
    assert f < 0.99
    result = cli_run("check", "--min", "rougeL=0.99")
    assert result.exit_code == 1
    assert f"{weakest['name']} rougeL below-min ({100 * f:.2f} < floor 99.00)" in result.stdout


def test_baseline_is_validated_before_scoring(cli_run, cli_corpus, monkeypatch):
    # A broken baseline fails fast: scoring is never reached.
    (cli_corpus / "baseline.json").write_text("{", encoding="utf-8")

    def never(*_a, **_k):
        raise AssertionError("scored before the baseline was checked")

    monkeypatch.setattr("harness.cli.options.evaluate", never)
    result = cli_run("check")
    assert result.exit_code == 2 and "baseline.json: not valid JSON" in result.stderr


def test_unreadable_file_is_an_error_naming_it(cli_run, cli_corpus, monkeypatch):
    # Tests run as root in CI, where chmod 000 does not stop reads; simulate the OS refusal instead
    # (at os.open, where harness.files opens every input).
    from pathlib import Path

    target = cli_corpus / "candidates" / "good" / "d1.txt"
    assert target.exists()
    real = os.open

    def refuse(path, flags, *args, **kwargs):
        if Path(path).resolve() == target.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = cli_run("score")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {os.path.join('candidates', 'good', 'd1.txt')}: permission denied\n"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_really_chmod_000(cli_run, cli_corpus):
    target = cli_corpus / "candidates" / "good" / "d1.txt"
    target.chmod(0)
    try:
        result = cli_run("score")
    finally:
        target.chmod(0o644)
    assert result.exit_code == 2 and "permission denied" in result.stderr
