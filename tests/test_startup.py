"""Start-up (issue 19 §3): the `harness` group imports a command's module only when that command
runs, and the cheap paths import only what they use.

The group knows each command by a line of harness.cli.main.COMMANDS (module and first help
sentence); the first tests check those lines against the real commands, so the table cannot
drift from them. The subprocess tests run the CLI in a fresh interpreter and read which modules
it imported (`sys.modules` once it exits). All the forbidden modules below but Dask and jieba
were imported by a warm `harness score` before issue 19 (through every command's module, the
config module, the --executor check, the renderers), so re-adding such an import fails here.
Nothing is timed (benchmarks/scale_cases.py `command_cases` measures the seconds).
"""

from __future__ import annotations

import subprocess
import sys
from importlib import import_module
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from harness.cli.main import COMMANDS, HarnessGroup, cli

# The group's own modules, and all that `harness --version` and `harness --help` may import of the
# harness: read from sys.modules after `harness --version` once this change was made.
GROUP_ONLY = {
    "harness", "harness._version", "harness.errors",
    "harness.cli", "harness.cli.entry", "harness.cli.interrupts", "harness.cli.main",
}
# What a warm `harness score` on a corpus without --bootstrap, --executor, -o or a config file
# never needs: other commands, statistics, the gate, the HTML page, the process pool (one
# document), Dask, a TOML parser, and jieba itself (every text and score comes from the cache).
NOT_FOR_A_WARM_SCORE = {
    "harness.cli.cache", "harness.cli.check", "harness.cli.compare", "harness.cli.explain",
    "harness.cli.facts", "harness.cli.report", "harness.cli.tokenize",
    "harness.stats.bootstrap", "harness.stats.comparison", "harness.gate", "harness.gate.verdict",
    "harness.gate.baseline", "harness.gate.git", "harness.render.html", "harness.render.verdict",
    "harness.run.distributed", "harness.run.executors", "multiprocessing", "concurrent.futures.process",
    "dask", "distributed", "tomllib", "jieba", "xml.etree.ElementTree",
}
TABLE = {"tabulate", "wcwidth"}

PROBE = """
import runpy, sys
out, sys.argv = sys.argv[1], ["harness", *sys.argv[2:]]
try:
    runpy.run_module("harness", run_name="__main__", alter_sys=True)
    code = 0
except SystemExit as exc:
    code = exc.code
with open(out, "w", encoding="utf-8") as f:
    f.write("\\n".join([str(code), *sorted(sys.modules)]))
"""


def _imported(tmp_path, env, *args):
    """(exit code, the modules imported) of `harness ARGS...` in a fresh interpreter run in tmp_path."""
    out = tmp_path / "modules.txt"
    subprocess.run([sys.executable, "-c", PROBE, str(out), *args], cwd=tmp_path, env=env, capture_output=True,
                   timeout=300, check=True)
    code, *modules = out.read_text(encoding="utf-8").splitlines()
    return int(code), set(modules)


def _harness(modules):
    return {m for m in modules if m == "harness" or m.startswith("harness.")}


# --- the table of commands ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_line_of_the_table_is_its_commands_own(name):
    module, line = COMMANDS[name]
    command = getattr(import_module(module), name)
    assert isinstance(command, click.Command)
    assert command.name == name
    # The first sentence of its help, whole: what `harness --help` shortens to the terminal.
    assert command.get_short_help_str(limit=10_000) == line
    assert cli.get_command(click.Context(cli), name) is command


def test_an_unknown_name_is_no_command():
    assert cli.get_command(click.Context(cli), "scores") is None


def _groups():
    """A fresh lazy group (nothing imported through it yet) and click's own group holding every
    real command, both with the `harness` group's options and help."""
    settings = {"help": cli.help, "params": cli.params, "context_settings": cli.context_settings}
    lazy = HarnessGroup(name="harness", **settings)
    real = [getattr(import_module(module), name) for name, (module, _line) in COMMANDS.items()]
    return lazy, click.Group(name="harness", commands=real, **settings)


@pytest.mark.parametrize("width", [80, 60, 45])
def test_help_lists_every_command_as_click_would_without_importing_one(width):
    # At 45 columns click cuts every help line short ("..."), at 80 most of them.
    lazy, eager = _groups()
    runner = CliRunner()
    shown = runner.invoke(lazy, ["--help"], prog_name="harness", terminal_width=width)
    expected = runner.invoke(eager, ["--help"], prog_name="harness", terminal_width=width)
    assert shown.exit_code == expected.exit_code == 0
    assert shown.output == expected.output
    assert "Commands:\n  cache " in shown.output
    assert lazy.commands == {}  # the table alone wrote it


def test_completing_a_command_name_offers_the_matching_commands_with_their_help():
    lazy, eager = _groups()
    items = lazy.shell_complete(click.Context(lazy), "c")
    expected = [(name, eager.commands[name].get_short_help_str()) for name in ("cache", "check", "compare")]
    assert [(item.value, item.help) for item in items if item.type == "plain"] == expected


@pytest.mark.skipif(not hasattr(click.exceptions, "NoSuchCommand"), reason="click < 8.4 suggests no command names")
def test_a_mistyped_command_is_offered_the_close_one(cli_run):
    result = cli_run("scor")
    assert result.exit_code == 2
    assert "No such command 'scor'. Did you mean 'score'?" in result.stderr


# --- what the cheap paths import ------------------------------------------------------------------


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["-h"]])
def test_version_and_help_import_the_group_alone(tmp_path, io_env, args):
    code, modules = _imported(tmp_path, io_env, *args)
    assert code == 0
    assert _harness(modules) == GROUP_ONLY
    assert not modules & (TABLE | {"importlib.metadata", "sqlite3", "jieba", "opencc"})


def _tiny_corpus(tmp_path, io_env):
    """conftest's tiny corpus in tmp_path, and an environment whose harness cache folder holds
    only jieba's dictionary file (copied from the session's: other tests fill that one with the
    same texts), so that the first run is cold and the next one warm."""
    import shutil

    from conftest import CLI_TINY, cli_write

    from harness.text.tokenizers import dictionary_cache_files

    cli_write(tmp_path, CLI_TINY)
    cache = tmp_path / "cache"
    cache.mkdir()
    for path in dictionary_cache_files(Path(io_env["HARNESS_CACHE_DIR"])):
        shutil.copy(path, cache / path.name)
    return dict(io_env, HARNESS_CACHE_DIR=str(cache))


def test_a_warm_json_score_imports_no_gate_statistics_html_pool_or_table(tmp_path, io_env):
    env = _tiny_corpus(tmp_path, io_env)
    args = ["score", "--no-config", "--format", "json"]
    first, modules = _imported(tmp_path, env, *args)  # fills the cache (jieba loaded here)
    assert (first, "jieba" in modules) == (0, True)  # so that "no jieba" below says "warm"
    code, modules = _imported(tmp_path, env, *args)
    assert code == 0
    assert modules & (NOT_FOR_A_WARM_SCORE | TABLE) == set()
    assert {"harness.cli.score", "harness.run.pipeline", "harness.run.cache"} <= modules


def test_a_warm_table_score_imports_tabulate_and_still_no_gate(tmp_path, io_env):
    env = _tiny_corpus(tmp_path, io_env)
    _imported(tmp_path, env, "score", "--no-config")
    code, modules = _imported(tmp_path, env, "score", "--no-config")
    assert code == 0
    assert TABLE <= modules  # the table is drawn: the probe sees lazy imports
    assert modules & NOT_FOR_A_WARM_SCORE == set()


def test_a_warm_check_imports_the_gate_but_not_git_html_statistics_or_the_pool(tmp_path, io_env):
    env = _tiny_corpus(tmp_path, io_env)
    code, _ = _imported(tmp_path, env, "check", "--no-config", "--update-baseline")
    assert code == 0
    code, modules = _imported(tmp_path, env, "check", "--no-config")
    assert code == 0  # the same candidates pass against the baseline they just wrote
    assert {"harness.gate.verdict", "harness.render.verdict"} <= modules
    assert modules & {"harness.gate.git", "harness.render.html", "harness.stats.bootstrap", "harness.run.distributed",
                      "harness.run.executors", "harness.cli.report", "dask", "tomllib", "jieba",
                      "xml.etree.ElementTree"} == set()
