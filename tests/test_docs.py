"""Every command the README and docs/ show runs here, so the documentation cannot rot (issue 18, section 6).

The convention (docs/development.md, "The documentation is tested", says the same for authors):

- A ```` ```console ```` block is a terminal session: each `$ ` line is a command (a trailing `\\`
  continues it on the next line), and the lines up to the next `$ ` are what it prints, standard
  output and standard error together as a terminal shows them. The output must match exactly,
  except that a line holding only `...` (indentation allowed) stands for any number of lines.
- A ```` ```bash ```` (or `sh`, `shell`) block is a list of commands, one a line (`#` comments
  allowed); each must exit 0. Its output is not compared.
- Either kind with the word `norun` after the language (```` ```bash norun ````) is not run: only for
  what a test must not do (install packages, create virtual environments, run the test suite
  itself) or cannot reproduce (timings of a benchmark). The allowed beginnings are in NORUN_OK.

Each Markdown file's blocks run in order in one fresh copy of the repository (so a block may use
a file an earlier block of the same page made), with `harness` the copy's own code, a private
cache folder, no config but the copy's pyproject.toml, and a fixed git identity.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = sorted([REPO / "README.md", *(REPO / "docs").glob("*.md")])
SHELLS = ("console", "bash", "sh", "shell")
# What a `norun` block may start with: installs, environments, and benchmarks whose output is a timing.
NORUN_OK = ("pip ", "python3 -m venv", "python -m venv", "apt-get ", "sudo ", "python benchmarks/", "python -m pytest")
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```\s*$", re.S | re.M)
IGNORED = shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", ".venv", "venv", ".mypy_cache", ".ruff_cache",
                                 ".pytest_cache", "build", "dist")


@dataclass
class Block:
    page: str
    line: int
    lang: str
    norun: bool
    text: str


def blocks(page: Path) -> list[Block]:
    source = page.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(source):
        words = match.group(1).split()
        if words and words[0] in SHELLS:
            line = source.count("\n", 0, match.start()) + 1
            found.append(Block(page.name, line, words[0], "norun" in words[1:], match.group(2)))
    return found


def session(text: str) -> list[tuple[str, list[str]]]:
    """[(command, expected output lines)] of a console block."""
    steps: list[tuple[str, list[str]]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\") and i + 1 < len(lines):
                i += 1
                command = command[:-1] + "\n" + lines[i]
            steps.append((command, []))
        elif steps:
            steps[-1][1].append(line)
        else:
            raise AssertionError(f"console block starts with output, not a `$ ` command: {line!r}")
        i += 1
    return steps


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; a line holding only `...` matches any number of lines."""
    if not expected:
        return not actual
    if expected[0].strip() == "...":
        return any(matches(expected[1:], actual[k:]) for k in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


def commands(text: str) -> list[str]:
    """The commands of a bash block: one a line, comments and blank lines skipped."""
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            out.append(stripped)
    return out


def test_the_convention_is_followed_on_every_page():
    everything = [b for page in PAGES for b in blocks(page)]
    assert sum(not b.norun for b in everything) >= 10  # the runner finds the blocks at all
    for block in everything:
        if block.norun:
            shown = [c for c, _ in session(block.text)] if block.lang == "console" else commands(block.text)
            for command in shown:
                assert command.startswith(NORUN_OK), f"{block.page}:{block.line}: `norun` only for installs and timings: {command}"
        elif block.lang == "console":
            assert session(block.text), f"{block.page}:{block.line}: a console block without a `$ ` command"


def test_the_matcher_and_parser():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"]) and matches(["a", "  ...", "d"], ["a", "d"])
    assert not matches(["a", "...", "d"], ["a", "b"]) and not matches(["a"], ["a", "b"])
    assert session("$ echo a \\\n  b\na b\n$ true\n") == [("echo a \n  b", ["a b"]), ("true", [])]


@pytest.fixture(scope="module")
def shell_env(tmp_path_factory):
    """Environment for the documented commands: the copy's `harness`, a private cache, no CI."""
    bin_dir = tmp_path_factory.mktemp("bin")
    shim = bin_dir / "harness"
    # `python -m harness` from the working folder (the copy) runs the copy's code, whatever is installed.
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m harness "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_STEP_SUMMARY", "PYTHONPATH", "NO_COLOR")}
    env.update({
        "PATH": f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        "HARNESS_CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
        "LC_ALL": "C.UTF-8", "COLUMNS": "200",
        "GIT_AUTHOR_NAME": "docs", "GIT_AUTHOR_EMAIL": "docs@example.com",
        "GIT_COMMITTER_NAME": "docs", "GIT_COMMITTER_EMAIL": "docs@example.com",
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
    })
    return env


def _run(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**env, "PYTHONPATH": str(cwd), "GIT_CEILING_DIRECTORIES": str(cwd.parent)}
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=False, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)


@pytest.mark.parametrize("page", [p for p in PAGES if any(not b.norun for b in blocks(p))], ids=lambda p: p.name)
def test_every_command_shown_runs_and_prints_what_is_shown(page, tmp_path, shell_env):
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=IGNORED, symlinks=True)
    for block in blocks(page):
        if block.norun:
            continue
        where = f"{block.page}:{block.line}"
        if block.lang == "console":
            for command, expected in session(block.text):
                out = _run(command, copy, shell_env)
                actual = out.stdout.splitlines()
                assert matches(expected, actual), f"{where}: `$ {command}` printed:\n{out.stdout}\nthe page shows:\n" + "\n".join(expected)
        else:
            for command in commands(block.text):
                out = _run(command, copy, shell_env)
                assert out.returncode == 0, f"{where}: `{command}` exited {out.returncode}:\n{out.stdout}"


PYTHON_EXAMPLE = re.compile(r"^```python\n(.*?)^```\n\n```text\n(.*?)^```", re.S | re.M)


def _examples(page: Path) -> list[tuple[str, str]]:
    return PYTHON_EXAMPLE.findall(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", [p for p in sorted((REPO / "docs").glob("*.md")) if _examples(p)], ids=lambda p: p.name)
def test_python_examples_print_what_the_page_shows(page, tmp_path, shell_env):
    # A ```python block followed by a ```text block: run in a copy of the repository, the text is
    # its output (the README's is tests/test_api.py's).
    examples = _examples(page)
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=IGNORED, symlinks=True)
    for code, shown in examples:
        env = {**shell_env, "PYTHONPATH": str(copy)}
        out = subprocess.run([sys.executable, "-c", code], cwd=copy, env=env, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        assert out.stdout == shown


def test_every_config_key_is_documented():
    # The configuration reference names every key [tool.harness] accepts (harness.cli.config.KEYS).
    from harness.cli.config import KEYS

    page = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert [key for key in KEYS if f"`{key}`" not in page] == []
