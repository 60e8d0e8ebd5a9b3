"""Shared fixtures: CLI wiring helpers, independent reference tokenizers, and a guard that the
suite writes nothing to jieba's shared cache."""

import os as _guard_os
import tempfile as _guard_tempfile

# jieba's default Tokenizer caches its dictionary in the shared <tmp>/jieba.cache, whose name
# clashes between users; the harness never uses it, and neither may its tests. The stat of that
# file is taken when the session starts and compared when it ends: any write fails the run.
_SHARED_JIEBA_CACHE = _guard_os.path.join(_guard_tempfile.gettempdir(), "jieba.cache")


def _stat_or_none(path: str) -> tuple[int, int] | None:
    try:
        st = _guard_os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size)


_SHARED_JIEBA_CACHE_AT_START = _stat_or_none(_SHARED_JIEBA_CACHE)

# The harness's own cache (jieba's dictionary, analysed texts, pair scores) goes to a folder of
# this session, inherited by the subprocesses tests start: no entry from an earlier run, or from
# other code, can answer for the code under test, and nothing is left behind.
_SESSION_CACHE = _guard_tempfile.mkdtemp(prefix="harness-test-cache-")
_guard_os.environ["HARNESS_CACHE_DIR"] = _SESSION_CACHE


def pytest_sessionfinish(session, exitstatus):
    import shutil

    shutil.rmtree(_SESSION_CACHE, ignore_errors=True)
    if _stat_or_none(_SHARED_JIEBA_CACHE) != _SHARED_JIEBA_CACHE_AT_START:
        session.config.get_terminal_writer().line(
            f"ERROR: the test run wrote {_SHARED_JIEBA_CACHE}; build jieba through the plain_jieba fixture", red=True
        )
        session.exitstatus = 1


# ---------------------------------------------------------------------------
# CLI wiring helpers (used by test_cli, test_gate, test_config, test_corpus_errors).
# Names are prefixed `cli_` so they cannot collide with fixtures defined above.
# ---------------------------------------------------------------------------
import pathlib as _cli_pathlib

import pytest as _cli_pytest
from click.testing import CliRunner as _CliRunner


def cli_write(root: _cli_pathlib.Path, files: dict) -> _cli_pathlib.Path:
    """Write {relative path: str (UTF-8) or bytes} under `root`; returns `root`."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


# The tiny corpus most CLI tests use. Tokens (checked in test_cli.test_tiny_corpus_tokens):
#   reference   猫 吃 鱼          -> [猫, 吃, 鱼]
#   good        猫 吃 鱼          -> identical: P = R = F = 1 for every ROUGE type
#   half        猫 吃 肉 了       -> [猫, 吃, 肉, 了]: 2 of 4 unigrams match (P 1/2, R 2/3, F 4/7);
#                                   bigrams 猫吃/吃肉/肉了 vs 猫吃/吃鱼: 1 match (P 1/3, R 1/2, F 2/5);
#                                   LCS 猫 吃 = 2 (rougeL = rougeLsum = rouge1, one sentence each)
#   bad         狗 跑             -> nothing in common: all 0
CLI_TINY = {
    "references/d1/ref.txt": "猫 吃 鱼\n",
    "candidates/good/d1.txt": "猫 吃 鱼\n",
    "candidates/half/d1.txt": "猫 吃 肉 了\n",
    "candidates/bad/d1.txt": "狗 跑\n",
}


def _cli_runner() -> _CliRunner:
    try:  # click < 8.2 mixes stderr into output unless told not to
        return _CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return _CliRunner()


@_cli_pytest.fixture
def cli_run(tmp_path, monkeypatch):
    """Run `harness ARGS...` in-process with tmp_path as the working directory.

    Every call asserts the run did not crash: no traceback in any output and no
    exception other than a normal exit."""
    from harness.cli.main import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)

    def run(*args, input=None, env=None):
        result = _cli_runner().invoke(cli, [str(a) for a in args], input=input, env=env)
        stderr = result.stderr if result.stderr_bytes is not None else ""
        assert "Traceback" not in result.output + stderr, result.output + stderr
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        return result

    return run


@_cli_pytest.fixture
def cli_corpus(tmp_path):
    """tmp_path holding CLI_TINY (references/ and candidates/)."""
    return cli_write(tmp_path, CLI_TINY)


@_cli_pytest.fixture
def edit_baseline(cli_run, cli_corpus):
    """A function writing cli_corpus's baseline.json (`check --update-baseline`), then changing its
    parsed JSON with `change(obj)` in place and writing it back."""
    import json

    def edit(change) -> None:
        assert cli_run("check", "--no-config", "--update-baseline").exit_code == 0
        path = cli_corpus / "baseline.json"
        obj = json.loads(path.read_text(encoding="utf-8"))
        change(obj)
        path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")

    return edit


@_cli_pytest.fixture
def cli_files(tmp_path):
    """A function writing {relative path: text or bytes} under tmp_path (or a given root)."""

    def write(files: dict, root: _cli_pathlib.Path | None = None) -> _cli_pathlib.Path:
        return cli_write(root if root is not None else tmp_path, files)

    return write


# ---------------------------------------------------------------------------
# Independent reference tokenizers (used by test_tokenize_core, test_scoring,
# test_golden, test_properties). They share no code with harness: jieba is
# called directly (its own Tokenizer, its cache in a pytest temp folder), and
# the character unit is re-implemented with unicodedata. Names are prefixed
# `ind_` so they cannot collide with fixtures defined above.
# ---------------------------------------------------------------------------
import logging as _ind_logging
import unicodedata as _ind_unicodedata

import pytest as _ind_pytest


def ind_normalize(text: str) -> str:
    """CRLF/CR -> LF, NFKC, lower-case: the documented normalisation, written independently."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ind_unicodedata.normalize("NFKC", text.replace("\u22ef", "\u2026")).lower()


def ind_is_noise(token: str) -> bool:
    """True when every character is punctuation (P*), separator/space (Z*, whitespace) or control/format (C*)."""
    return all(ch.isspace() or _ind_unicodedata.category(ch)[:1] in ("P", "Z", "C") for ch in token)


def _ind_is_han(ch: str) -> bool:
    return _ind_unicodedata.name(ch, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))


def ind_char_tokens(text: str) -> list[str]:
    """Character unit, by a char-by-char scan: one token per Han character, runs of
    other letters/digits (str.isalnum) kept whole, a '.' between two such characters
    joining them (3.5), any other non-space character alone; punctuation tokens
    dropped. Expects normalised text."""
    out: list[str] = []
    run = ""
    for i, ch in enumerate(text):
        if ch.isalnum() and not _ind_is_han(ch):
            run += ch
            continue
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch == "." and run and nxt.isalnum() and not _ind_is_han(nxt):
            run += ch
            continue
        if run:
            out.append(run)
            run = ""
        if not ch.isspace():
            out.append(ch)
    if run:
        out.append(run)
    return [t for t in out if not ind_is_noise(t)]


@_ind_pytest.fixture(scope="session")
def ind_jieba(tmp_path_factory):
    """A plain jieba 0.42.1 Tokenizer (default dictionary) whose cache lives in a pytest temp folder."""
    import jieba

    logger = _ind_logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(_ind_logging.WARNING)  # only for this build; harness's own silencing stays observable
    try:
        tok = jieba.Tokenizer()
        tok.tmp_dir = str(tmp_path_factory.mktemp("ind-jieba"))
        tok.initialize()
    finally:
        logger.setLevel(level)
    return tok


@_ind_pytest.fixture(scope="session")
def ind(ind_jieba):
    """The independent tools as one object: ind.normalize(text), ind.is_noise(token),
    ind.word(normalised text) and ind.char(normalised text) -> tokens."""
    import types

    def word(text: str) -> list[str]:
        return [t for t in ind_jieba.cut(text, cut_all=False, HMM=True) if not ind_is_noise(t)]

    def rouge_score(metrics):
        """rouge-score's RougeScorer on ind.word's tokens, one sentence per line as rougeLsum
        expects (split per line and at 。！？; after NFKC, as the harness documents): a function
        (reference, candidate) -> {metric: Score}."""
        import re

        from rouge_score import rouge_scorer

        class Tok:
            def tokenize(self, text: str) -> list[str]:
                return word(text)

        def prep(text: str) -> str:
            pieces = re.split(r"(?<=[。!?;])|(?<=\.)(?=\s|$)|\n", ind_normalize(text))
            return "\n".join(p.strip() for p in pieces if p.strip())

        oracle = rouge_scorer.RougeScorer(list(metrics), tokenizer=Tok())
        return lambda reference, candidate: oracle.score(target=prep(reference), prediction=prep(candidate))

    return types.SimpleNamespace(normalize=ind_normalize, is_noise=ind_is_noise, word=word, char=ind_char_tokens,
                                 rouge_score=rouge_score)


@_ind_pytest.fixture
def plain_jieba(ind_jieba):
    """A factory of fresh, unmodified jieba Tokenizers (for user-dictionary tests) that share
    ind_jieba's dictionary cache in a pytest temp folder, never jieba's shared /tmp one."""
    import jieba

    def make() -> "jieba.Tokenizer":
        tok = jieba.Tokenizer()
        tok.tmp_dir = ind_jieba.tmp_dir
        logger = _ind_logging.getLogger("jieba")
        level = logger.level
        logger.setLevel(_ind_logging.WARNING)
        try:
            tok.initialize()
        finally:
            logger.setLevel(level)
        return tok

    return make
# ---------------------------------------------------------------------------
# Bad files, streams and signals (issue 7): jieba's cache goes to a pytest temp folder, for
# in-process runs and for subprocesses alike. Names are prefixed `io_`.
# ---------------------------------------------------------------------------


@_cli_pytest.fixture(scope="session")
def io_cache_dir(tmp_path_factory):
    """One jieba cache folder for the whole session, inside pytest's temp folders."""
    return tmp_path_factory.mktemp("io-jieba-cache")


@_cli_pytest.fixture
def io_env(io_cache_dir, monkeypatch):
    """Environment for a subprocess running the harness: the session cache folder, no CI summary."""
    import os as _io_os

    monkeypatch.setenv("HARNESS_CACHE_DIR", str(io_cache_dir))
    env = dict(_io_os.environ)
    env.pop("GITHUB_STEP_SUMMARY", None)
    return env
