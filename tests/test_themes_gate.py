"""`harness check --min-theme THEME=VALUE`: theme floors in the gate's verdict."""

from __future__ import annotations

import json

import pytest

from harness.errors import InputError
from harness.gate import verdict as gate

# CLI_TINY (conftest) plus a theme file: reference 猫 吃 鱼; candidates good 猫/吃/鱼, half
# 猫/吃/肉/了, bad 狗/跑. Theme 动物 has units 猫 and 鱼: good covers 2/2 (share 1), half 1/2
# (猫; 0.5), bad 0/2 (0).
THEMES = {"themes/d1.txt": "[动物]\n猫\n鱼\n"}


@pytest.fixture
def themed(cli_corpus, cli_files, cli_run):
    cli_files(THEMES)
    result = cli_run("check", "--no-config", "--update-baseline")
    assert result.exit_code == 0, result.stderr
    return cli_run


def test_floor_fails_exactly_the_systems_under_it(themed):
    result = themed("check", "--no-config", "--min-theme", "动物=0.5", "--format", "json")
    assert result.exit_code == 1
    rows = {r["system"]: r for r in json.loads(result.stdout)["rows"] if r["metric"] == "theme:动物"}
    # half sits exactly at the floor (0.5): it passes, as a drop exactly at the tolerance does.
    assert {name: (r["current"], r["status"]) for name, r in rows.items()} == {
        "good": (1.0, "ok"), "half": (0.5, "ok"), "bad": (0.0, "below-min"),
    }
    assert json.loads(result.stdout)["floors"] == ["theme:动物=0.5"]
    assert themed("check", "--no-config", "--min-theme", "动物=0").exit_code == 0


def test_config_key_sets_the_floor(themed, cli_files):
    cli_files({"pyproject.toml": '[tool.harness]\nmin-theme = {"动物" = 0.6}\n'})
    result = themed("check")
    assert result.exit_code == 1
    assert "half theme:动物 below-min (50.00 < floor 60.00)" in result.stdout


def test_unknown_theme_is_refused_before_scoring(themed, monkeypatch):
    from harness.cli import check as check_command

    def no_scoring(*_args, **_kwargs):
        raise AssertionError("scored")

    monkeypatch.setattr(check_command, "evaluate_from", no_scoring)
    result = themed("check", "--no-config", "--min-theme", "植物=0.5")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: --min-theme 植物=0.5: no theme '植物' (themes: 动物)"


def test_malformed_floor_is_refused_before_any_file_is_read(cli_run):
    # No references/ folder at all: the option is still what is reported.
    result = cli_run("check", "--no-config", "--min-theme", "动物=1.5")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: --min-theme 动物=1.5: the floor is a share of units, 0 to 1, got 1.5"


@pytest.mark.parametrize("text", ["动物", "=0.5", "动物=x"])
def test_parse_theme_floor_refuses(text):
    with pytest.raises(InputError, match="expected THEME=VALUE"):
        gate.parse_theme_floor(text)


def test_without_theme_files_a_theme_floor_names_the_problem(cli_corpus, cli_run):
    assert cli_run("check", "--no-config", "--update-baseline").exit_code == 0
    result = cli_run("check", "--no-config", "--min-theme", "动物=0.5")
    assert result.exit_code == 2
    assert "no theme '动物' (themes: none: no theme files were found)" in result.stderr
