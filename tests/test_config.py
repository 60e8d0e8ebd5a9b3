"""`[tool.harness]` in pyproject.toml: keys are the CLI option names; precedence CLI > config > defaults.

Corpus numbers are the hand-computed ones of conftest.CLI_TINY: corpus F for good 1.0,
half 4/7 = 0.5714 (rouge1/rougeL/rougeLsum) and 2/5 (rouge2), bad 0.0.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import click.testing
import pytest

from harness.cli import config
from harness.cli.main import cli
from harness.errors import ConfigError


def _pyproject(folder: Path, body: str, name: str = "pyproject.toml") -> Path:
    path = folder / name
    path.write_text("[project]\nname = 'demo'\n\n[tool.harness]\n" + body, encoding="utf-8")
    return path


def _signature(stdout: str) -> dict[str, str]:
    line = stdout.rstrip().splitlines()[-1]
    return dict(part.split(":", 1) for part in line.split("|"))


def _rows(stdout: str) -> list[list[str]]:
    return [line.split() for line in stdout.split("\n\n", 1)[0].splitlines()[2:]]


def _edit_baseline(path: Path, system: str, metric: str, value: float) -> None:
    obj = json.loads(path.read_text(encoding="utf-8"))
    row = next(s for s in obj["systems"] if s["name"] == system)
    row["scores"][metric]["fmeasure"] = value
    for scores in row["documents"].values():  # the corpus score stays the mean of the documents'
        scores[metric]["fmeasure"] = value
    path.write_text(json.dumps(obj), encoding="utf-8")


# --------------------------------------------------------------------------- each key does what its option does


def test_references_and_candidates_keys(cli_run, cli_corpus):
    shutil.move(cli_corpus / "references", cli_corpus / "refs")
    shutil.move(cli_corpus / "candidates", cli_corpus / "cands")
    assert cli_run("score").exit_code == 2  # defaults 'references'/'candidates' do not exist
    _pyproject(cli_corpus, 'references = "refs"\ncandidates = "cands"\n')
    result = cli_run("score")
    assert result.exit_code == 0, result.output
    assert [r[0] for r in _rows(result.stdout)] == ["good", "half", "bad"]


@pytest.mark.parametrize("value", ['"rouge1,rougeL"', '["rouge1", "rougeL"]'])
def test_metrics_key_string_or_list(cli_run, cli_corpus, value):
    _pyproject(cli_corpus, f"metrics = {value}\n")
    result = cli_run("score")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split() == ["System", "R-1", "R-L"]
    assert _signature(result.stdout)["metrics"] == "rouge1,rougeL"


@pytest.mark.parametrize(
    ("body", "field", "expected"),
    [
        ('unit = "char"', "unit", "char"),
        ("hmm = false", "hmm", "no"),
        ('multiref = "mean"', "multiref", "mean"),
    ],
)
def test_signature_keys(cli_run, cli_corpus, body, field, expected):
    _pyproject(cli_corpus, body + "\n")
    result = cli_run("score")
    assert result.exit_code == 0, result.output
    assert _signature(result.stdout)[field] == expected


def test_t2s_key(cli_run, cli_corpus):
    _pyproject(cli_corpus, "t2s = true\n")
    result = cli_run("score")
    assert result.exit_code == 0
    assert "+t2s-opencc-" in _signature(result.stdout)["norm"]


def test_user_dict_key_relative_to_pyproject(cli_run, cli_corpus, cli_files, monkeypatch):
    # jieba splits 羊驼家族 into 羊驼 / 家族; a user dictionary entry makes it one token.
    cli_files({"dicts/user.txt": "羊驼家族 100 n\n", "work/.keep": ""})
    assert cli_run("tokenize", "羊驼家族").stdout == "羊驼 家族\n"  # no pyproject anywhere yet
    _pyproject(cli_corpus, 'user-dict = "dicts/user.txt"\n')
    monkeypatch.chdir(cli_corpus / "work")  # the path must resolve against the pyproject, not the cwd
    result = cli_run("tokenize", "羊驼家族")
    assert result.exit_code == 0, result.output
    assert result.stdout == "羊驼家族\n"
    assert "|dict:none|" not in cli_run("score", "--references", "../references", "--candidates", "../candidates").stdout


def test_encoding_key(cli_run, cli_files, tmp_path):
    cli_files({
        "references/d1/ref.txt": "猫 吃 鱼\n".encode("gb18030"),
        "candidates/half/d1.txt": "猫 吃 肉 了\n".encode("gb18030"),
    })
    assert cli_run("score").exit_code == 2
    _pyproject(tmp_path, 'encoding = "gb18030"\n')
    result = cli_run("score")
    assert result.exit_code == 0, result.output
    assert _rows(result.stdout) == [["half", "57.14", "40.00", "57.14", "57.14"]]


def test_format_and_detail_keys(cli_run, cli_corpus):
    _pyproject(cli_corpus, 'format = "markdown"\ndetail = true\n')
    result = cli_run("score")
    assert result.exit_code == 0
    header = result.stdout.splitlines()[0]
    assert header.startswith("| System") and "R-1 P" in header and "R-Lsum F" in header


def test_baseline_key(cli_run, cli_corpus):
    (cli_corpus / "gate").mkdir()
    _pyproject(cli_corpus, 'baseline = "gate/base.json"\n')
    assert cli_run("check", "--update-baseline").exit_code == 0
    assert (cli_corpus / "gate" / "base.json").is_file()
    assert not (cli_corpus / "baseline.json").exists()
    assert cli_run("check").exit_code == 0


def test_tolerance_key(cli_run, cli_corpus):
    _pyproject(cli_corpus, "tolerance = 0.2\n")
    assert cli_run("check", "--update-baseline").exit_code == 0
    # half rougeL: baseline 0.7 vs current 4/7: a drop of 0.129 -- within 0.2, beyond the default 0.005.
    _edit_baseline(cli_corpus / "baseline.json", "half", "rougeL", 0.7)
    assert cli_run("check").exit_code == 0
    assert cli_run("check", "--tolerance", "0.005").exit_code == 1


@pytest.mark.parametrize("value", ['["rougeL=0.30"]', "{ rougeL = 0.30 }", '{ "bad:rougeL" = 0.30 }'])
def test_min_key(cli_run, cli_corpus, value):
    _pyproject(cli_corpus, f"min = {value}\n")
    assert cli_run("check", "--update-baseline").exit_code == 0
    result = cli_run("check", "--format", "json")
    # bad's rougeL F is 0.0 < 0.30; half (0.571) and good (1.0) are above.
    assert result.exit_code == 1
    statuses = {(r["system"], r["metric"]): r["status"] for r in json.loads(result.stdout)["rows"]}
    assert [k for k, v in statuses.items() if v != "ok"] == [("bad", "rougeL")]
    assert statuses[("bad", "rougeL")] == "below-min"


def test_on_junit_top_documents_keys(cli_run, cli_corpus):
    _pyproject(cli_corpus, 'on = "precision"\njunit = "j.xml"\ntop-documents = 0\n')
    assert cli_run("check", "--update-baseline").exit_code == 0
    result = cli_run("check", "--format", "json")
    verdict = json.loads(result.stdout)
    assert verdict["on"] == "precision"
    half_rl = next(r for r in verdict["rows"] if (r["system"], r["metric"]) == ("half", "rougeL"))
    assert half_rl["current"] == 0.5  # rougeL precision of half: LCS 2 / 4 candidate tokens
    assert (cli_corpus / "j.xml").is_file()
    assert verdict["documents"] == []


def test_tokenize_reads_config(cli_run, cli_corpus):
    _pyproject(cli_corpus, 'unit = "char"\n')
    assert cli_run("tokenize", "开源模型").stdout == "开 源 模 型\n"


# --------------------------------------------------------------------------- precedence


def test_precedence_cli_over_config_over_default(cli_run, cli_corpus):
    assert _signature(cli_run("score").stdout)["unit"] == "word"  # default (no pyproject yet)
    _pyproject(cli_corpus, 'unit = "char"\n')
    assert _signature(cli_run("score").stdout)["unit"] == "char"  # config beats default
    assert _signature(cli_run("score", "--unit", "word").stdout)["unit"] == "word"  # CLI beats config


def test_cli_min_replaces_config_min(cli_run, cli_corpus):
    _pyproject(cli_corpus, 'min = ["rougeL=0.9"]\n')
    assert cli_run("check", "--update-baseline").exit_code == 0
    assert cli_run("check").exit_code == 1  # half 0.571 and bad 0.0 are under 0.9
    # On the command line, --min replaces the configured list (0.0 floor: nobody is under it).
    assert cli_run("check", "--min", "rougeL=0.0").exit_code == 0


def test_no_config_ignores_pyproject(cli_run, cli_corpus):
    _pyproject(cli_corpus, 'unit = "char"\nmetrics = "rouge1"\n')
    result = cli_run("score", "--no-config")
    assert result.exit_code == 0
    sig = _signature(result.stdout)
    assert sig["unit"] == "word"
    assert sig["metrics"] == "rouge1,rouge2,rougeL,rougeLsum"


def test_no_config_ignores_broken_pyproject(cli_run, cli_corpus):
    _pyproject(cli_corpus, "tolerence = 0.1\n")
    assert cli_run("score").exit_code == 2
    assert cli_run("score", "--no-config").exit_code == 0


def test_no_config_and_config_contradict(cli_run, cli_corpus):
    other = _pyproject(cli_corpus, 'unit = "char"\n', name="other.toml")
    for args in (["--no-config", "--config", str(other)], ["--config", str(other), "--no-config"]):
        result = cli_run("score", *args)
        assert result.exit_code == 2, args
        assert "contradict" in result.stderr, args


def test_config_option_reads_other_file(cli_run, cli_corpus):
    _pyproject(cli_corpus, 'unit = "char"\n')
    other = _pyproject(cli_corpus, 'metrics = "rouge2"\n', name="other.toml")
    result = cli_run("score", "--config", str(other))
    assert result.exit_code == 0
    sig = _signature(result.stdout)
    assert sig["metrics"] == "rouge2"
    assert sig["unit"] == "word"  # pyproject.toml is not read when --config is given
    assert _rows(result.stdout) == [["good", "100.00"], ["half", "40.00"], ["bad", "0.00"]]


def test_config_option_missing_file(cli_run, cli_corpus):
    result = cli_run("score", "--config", "nope.toml")
    assert result.exit_code == 2
    assert "nope.toml" in result.stderr


def test_relative_paths_resolve_against_pyproject_folder(cli_run, cli_corpus, monkeypatch):
    _pyproject(cli_corpus, 'references = "references"\ncandidates = "candidates"\nbaseline = "baseline.json"\n')
    deep = cli_corpus / "sub" / "deeper"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    result = cli_run("score")
    assert result.exit_code == 0, result.output
    assert [r[0] for r in _rows(result.stdout)] == ["good", "half", "bad"]
    assert cli_run("check", "--update-baseline").exit_code == 0
    assert (cli_corpus / "baseline.json").is_file() and not (deep / "baseline.json").exists()
    assert cli_run("check").exit_code == 0


def test_config_file_elsewhere_resolves_against_its_own_folder(cli_run, cli_corpus):
    conf = cli_corpus / "conf"
    conf.mkdir()
    other = _pyproject(conf, 'references = "../references"\ncandidates = "../candidates"\n', name="h.toml")
    result = cli_run("score", "--config", str(other))
    assert result.exit_code == 0, result.output


def test_pyproject_without_harness_table_is_skipped(cli_run, cli_corpus, monkeypatch):
    # The nearest pyproject.toml *with* [tool.harness] counts; a nested project without one does not.
    _pyproject(cli_corpus, 'unit = "char"\n')
    nested = cli_corpus / "nested"
    nested.mkdir()
    (nested / "pyproject.toml").write_text("[project]\nname = 'inner'\n", encoding="utf-8")
    monkeypatch.chdir(nested)
    result = cli_run("score", "--references", "../references", "--candidates", "../candidates")
    assert _signature(result.stdout)["unit"] == "char"


# --------------------------------------------------------------------------- bad config files


def test_unknown_key_suggests_close_match(cli_run, cli_corpus):
    path = _pyproject(cli_corpus, "tolerence = 0.01\n")
    for command in ("score", "check", "tokenize"):
        result = cli_run(command, *(["x"] if command == "tokenize" else []))
        assert result.exit_code == 2, command
        assert str(path) in result.stderr
        assert "unknown key 'tolerence'" in result.stderr
        assert "did you mean 'tolerance'?" in result.stderr


def test_a_path_or_revision_with_nul_or_an_empty_path_is_the_config_files_error(cli_run, cli_corpus):
    # TOML's "\u0000" reached os.stat (ValueError: embedded null byte, a traceback) and "" meant the
    # config file's own folder; each is now named with its key, and the file (exit 2).
    for body, command, said in (
        ('references = "\\u0000"\n', "score", "'references' must not hold a NUL character"),
        ('names = "x\\u0000"\n', "score", "'names' must not hold a NUL character"),
        ('candidates = ["candidates", "\\u0000"]\n', "score", "'candidates' must not hold a NUL character"),
        ('baseline-from = "HEAD\\u0000"\n', "check", "'baseline-from' must not hold a NUL character"),
        ('sources = ""\n', "score", "'sources' must not be an empty path"),
    ):
        path = _pyproject(cli_corpus, body)
        result = cli_run(command)
        assert result.exit_code == 2, body
        assert result.stderr.startswith(f"Error: {path}: [tool.harness]: {said}"), result.stderr
        assert "Traceback" not in result.stderr


def test_a_path_of_the_wrong_kind_is_the_config_files_error(cli_run, cli_corpus):
    # click checked a config path's kind as if it were typed, and named the option the user never
    # typed: `Error: Invalid value for '--names': File 'adir' is a directory.` under a usage line.
    # Expected: the file and key, worded as this table's other refusals ('KEY' must be X, not Y),
    # the path as the config's folder resolves it (here the working folder: 'adir'), every bad key
    # in the one line.
    (cli_corpus / "adir").mkdir()
    (cli_corpus / "afile.txt").write_text("x\n", encoding="utf-8")
    for body, command, said in (
        ('names = "adir"\n', "score", "'names' must be a file, not the folder 'adir'"),
        ('names = "adir"\n', "facts", "'names' must be a file, not the folder 'adir'"),
        ('user-dict = "adir"\n', "score", "'user-dict' must be a file, not the folder 'adir'"),
        ('junit = "adir"\n', "check", "'junit' must be a file, not the folder 'adir'"),
        ('baseline = "adir"\n', "check", "'baseline' must be a file, not the folder 'adir'"),
        ('sources = "afile.txt"\n', "score", "'sources' must be a folder, not the file 'afile.txt'"),
        ('themes = "afile.txt"\nofftopic = "afile.txt"\n', "score",
         "'themes' must be a folder, not the file 'afile.txt'; 'offtopic' must be a folder, not the file 'afile.txt'"),
    ):
        path = _pyproject(cli_corpus, body)
        result = cli_run(command)
        assert result.exit_code == 2, body
        assert result.stderr == f"Error: {path}: [tool.harness]: {said}\n", result.stderr


def test_help_shows_a_wrong_kind_paths_value_as_the_file_gives_it(cli_run, cli_corpus):
    # A key whose path is of the wrong kind becomes a default that fails when used, which click's help
    # showed as `[default: (dynamic)]`. Expected: help exits 0 and shows the value the file gives
    # ('adir'), as it shows a good key's; using it is still the config file's error (test above).
    (cli_corpus / "adir").mkdir()
    path = _pyproject(cli_corpus, 'baseline = "adir"\n')
    result = cli_run("check", "--config", str(path), "--help")
    assert result.exit_code == 0, result.stderr
    assert "(dynamic)" not in result.stdout
    assert "[default: adir]" in " ".join(result.stdout.split()), result.stdout


def test_a_path_of_the_wrong_kind_typed_over_on_the_command_line_is_not_consulted(cli_run, cli_corpus, cli_files):
    # The command line overrides the config, so a path key it overrides is never read: a folder for
    # `names` (a file for `sources`) failed the run even with `--names FILE` (`--sources FOLDER`)
    # typed, as it did not before the kind check existed (f28a832). Expected: the run as if the config
    # file were absent (the same stdout as --no-config with the same options); a bad key the command
    # line leaves alone is still refused, alone, worded as in the test above.
    (cli_corpus / "adir").mkdir()
    cli_files({"afile.txt": "x\n", "names.txt": "猫\n", "srcs/d1.txt": "猫吃鱼。\n"})
    typed = ("--names", "names.txt", "--sources", "srcs")
    expected = cli_run("score", "--no-config", *typed)
    assert expected.exit_code == 0, expected.stderr
    path = _pyproject(cli_corpus, 'names = "adir"\nsources = "afile.txt"\n')
    for args in (typed, typed[2:] + typed[:2]):  # either order on the command line
        result = cli_run("score", *args)
        assert (result.exit_code, result.stdout) == (0, expected.stdout), result.stderr
    for args, said in (
        (typed[:2], "'sources' must be a folder, not the file 'afile.txt'"),
        (typed[2:], "'names' must be a file, not the folder 'adir'"),
    ):
        result = cli_run("score", *args)
        assert result.exit_code == 2, args
        assert result.stderr == f"Error: {path}: [tool.harness]: {said}\n", result.stderr


def test_shell_completion_survives_a_path_of_the_wrong_kind(cli_corpus, monkeypatch):
    # click's bash completion of `harness score --t2` in a folder whose config names a folder for
    # `names`: completion parses resiliently and must offer the options (click's own completion
    # output, "plain,--t2s", as with a good config), not raise the ConfigError as a traceback.
    (cli_corpus / "adir").mkdir()
    _pyproject(cli_corpus, 'names = "adir"\n')
    monkeypatch.chdir(cli_corpus)
    monkeypatch.setenv("_HARNESS_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", "harness score --t2")
    monkeypatch.setenv("COMP_CWORD", "2")
    result = click.testing.CliRunner().invoke(cli, [], prog_name="harness", complete_var="_HARNESS_COMPLETE")
    assert (result.exit_code, result.output) == (0, "plain,--t2s\n"), (result.output, result.exception)


def test_a_value_of_the_wrong_type_is_refused_even_when_typed_over(cli_run, cli_corpus, cli_files):
    # Unlike a path's kind on disk, the file's own content is checked whole, typed over or not, as
    # ruff and pytest check theirs and as every other key is (`unit = 3` with `--unit char`): a
    # number where a path goes is a mistake in the file whichever run reads it (docs/configuration.md).
    cli_files({"names.txt": "猫\n"})
    path = _pyproject(cli_corpus, "names = 5\n")
    result = cli_run("score", "--names", "names.txt")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path}: [tool.harness]: 'names' must be a string, not 5\n", result.stderr


def test_unknown_key_without_close_match(cli_run, cli_corpus):
    _pyproject(cli_corpus, "zzz = 1\n")
    result = cli_run("score")
    assert result.exit_code == 2
    assert "unknown key 'zzz'" in result.stderr and "did you mean" not in result.stderr


def test_every_problem_reported_at_once(cli_run, cli_corpus):
    path = _pyproject(cli_corpus, 'tolerence = 0.01\nunit = 3\nreferneces = "r"\n')
    result = cli_run("score")
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1
    assert str(path) in errors[0]
    assert "'tolerence'" in errors[0] and "'tolerance'" in errors[0]
    assert "'referneces'" in errors[0] and "'references'" in errors[0]
    assert "'unit' must be a string" in errors[0]


@pytest.mark.parametrize(
    "body",
    [
        'tolerance = "high"',
        'hmm = "yes"',
        "top-documents = 1.5",
        "top-documents = true",
        "min = 3",
        "metrics = 5",
        "unit = 3",
        "references = 1",
        "detail = 1",
    ],
)
def test_wrong_value_type_exit_2_names_file(cli_run, cli_corpus, body):
    path = _pyproject(cli_corpus, body + "\n")
    key = body.split(" =")[0]
    for command in ("score", "check"):
        result = cli_run(command)
        assert result.exit_code == 2
        assert str(path) in result.stderr
        assert f"'{key}' must be" in result.stderr


@pytest.mark.parametrize(
    ("body", "command"),
    [
        ('unit = "chars"', "score"),
        ('multiref = "worst"', "score"),
        ('on = "f1"', "check"),
        ("tolerance = -0.5", "check"),
    ],
)
def test_invalid_config_value_names_the_file(cli_run, cli_corpus, body, command):
    # The right TOML type but a value the option rejects: the error must point at the config
    # file (the user never typed the option on the command line).
    if command == "check":
        assert cli_run("check", "--update-baseline").exit_code == 0  # before the config exists
    path = _pyproject(cli_corpus, body + "\n")
    result = cli_run(command)
    assert result.exit_code == 2
    assert str(path) in result.stderr or "pyproject.toml" in result.stderr, result.stderr


def test_format_valid_for_score_only_is_skipped_by_check(cli_run, cli_corpus):
    # `format = "csv"` is meant for `harness score`; `harness check` has no csv report, so it keeps
    # its own default (table) instead of failing: the PASSED line is the table format's last line.
    assert cli_run("check", "--update-baseline").exit_code == 0
    _pyproject(cli_corpus, 'format = "csv"\n')
    score = cli_run("score")
    assert score.exit_code == 0 and score.stdout.startswith("system,document,metric,")
    check = cli_run("check")
    assert check.exit_code == 0, check.stderr
    assert check.stdout.rstrip().splitlines()[-1].startswith("PASSED")


def test_broken_toml_exit_2(cli_run, cli_corpus):
    path = cli_corpus / "pyproject.toml"
    path.write_text("[tool.harness]\nunit = \n", encoding="utf-8")
    result = cli_run("score")
    assert result.exit_code == 2
    assert str(path) in result.stderr and "not valid TOML" in result.stderr


def test_harness_table_not_a_table(cli_run, cli_corpus):
    path = cli_corpus / "pyproject.toml"
    path.write_text('[tool]\nharness = "yes"\n', encoding="utf-8")
    result = cli_run("score")
    assert result.exit_code == 2
    assert str(path) in result.stderr and "must be a table" in result.stderr


# --------------------------------------------------------------------------- config.load directly


def test_load_normalises_values(tmp_path):
    path = _pyproject(
        tmp_path,
        'references = "refs"\nbaseline = "/abs/base.json"\nmetrics = ["rouge1", "rougeL"]\n'
        'min = { rougeL = 0.3, "sys:rouge1" = 0.25 }\ntolerance = 1\n',
    )
    loaded = config.load(path)
    assert loaded == {
        "references": str(tmp_path / "refs"),
        "baseline": "/abs/base.json",
        "metrics": "rouge1,rougeL",
        "min": ["rougeL=0.3", "sys:rouge1=0.25"],
        "tolerance": 1,
    }


def test_load_absent_table_is_empty(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert config.load(path) == {}


def test_load_unknown_key_raises(tmp_path):
    path = _pyproject(tmp_path, "unti = 'char'\n")
    with pytest.raises(ConfigError, match=r"unknown key 'unti' \(did you mean 'unit'\?\)"):
        config.load(path)


# --------------------------------------------------------------------------- keys <-> options, by introspection


def _long_options(command: click.Command) -> set[str]:
    """Primary long option names of a command (secondary --no-x forms are the same option)."""
    names = set()
    for param in command.params:
        if isinstance(param, click.Option):
            longs = [o[2:] for o in param.opts if o.startswith("--")]
            names.update(longs[:1])
    return names


def _commands() -> dict[str, click.Command]:
    """Every command of the group by name, each imported (the group imports a command only when
    it is asked for)."""
    ctx = click.Context(cli)
    return {name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}


NOT_CONFIG = {"config", "no-config", "output", "update-baseline", "doc", "help"}


def test_every_config_key_is_an_option():
    options = set().union(*(_long_options(c) for c in _commands().values()))
    assert set(config.KEYS) - options == set()


@pytest.mark.parametrize("name", ["score", "check", "compare"])
def test_every_option_is_a_config_key(name):
    missing = _long_options(_commands()[name]) - NOT_CONFIG - set(config.KEYS)
    assert missing == set()


def test_path_keys_are_path_options():
    # Keys resolved against the pyproject folder are exactly the options that take paths.
    path_options = set()
    for command in _commands().values():
        for param in command.params:
            if isinstance(param, click.Option) and isinstance(param.type, click.Path):
                path_options.update(o[2:] for o in param.opts if o.startswith("--"))
    assert config.PATH_KEYS == (path_options & set(config.KEYS))
