"""Tokenizers chosen by name: jieba words (default) and single Han characters.

Each follows rouge-score's one-method protocol, `tokenize(text) -> list[str]`, and
reports a `signature()` of everything that changes its output. Input is text
already normalised by `harness.text.normalize`; tokens made only of punctuation,
whitespace or control characters are dropped.
"""

from __future__ import annotations

import hashlib
import io
import marshal
import os
import re
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from harness.errors import InputError
from harness.files import UnreadableFile, read_bytes
from harness.text.checked_file import read_checked, write_checked
from harness.text.normalize import HAN_RANGES, normalize

if TYPE_CHECKING:
    import jieba

UNITS = ("word", "char")


class Tokenizer(Protocol):
    """What scoring needs from a tokenizer."""

    def tokenize(self, text: str) -> list[str]: ...

    def signature(self) -> dict[str, str]: ...


@lru_cache(maxsize=1 << 16)
def is_scorable(token: str) -> bool:
    """True when a token has at least one character that is not punctuation,
    whitespace or a control/format character (Unicode categories P*, Z*, C*)."""
    return any(unicodedata.category(ch)[0] not in "PZC" for ch in token)


def cache_dir() -> Path:
    """Per-user cache folder: $HARNESS_CACHE_DIR, else $XDG_CACHE_HOME/harness, else ~/.cache/harness."""
    explicit = os.environ.get("HARNESS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "harness"


@cache
def jieba_version() -> str:
    """Installed jieba version (its dictionary and HMM model ship with it); looked up once per
    process (each lookup searches the import path: a warm run asked three times)."""
    from importlib.metadata import version

    return version("jieba")


_JIEBA_LOCK = threading.Lock()
_JIEBA: dict[str, jieba.Tokenizer] = {}
UserEntry = tuple[str, int | None, str | None]
# The frequency is ASCII digits only, as in jieba's own user-dictionary format ("[0-9]+").
# str.isdigit() also accepts "²" and "①", which int() then refuses; "٣" and full-width "３" are
# decimal digits to int(), but a dictionary that only the harness reads that way is not a jieba
# dictionary. NFKC is not applied either: it would silently turn "²" and "①" into 2 and 1.
_FREQUENCY = re.compile("[0-9]+")
_MAX_FREQUENCY_DIGITS = 18  # fits a 64-bit integer; int() refuses more than 4,300 digits anyway


def parse_user_dict(path: Path, data: bytes, *, t2s: bool = False) -> tuple[UserEntry, ...]:
    """Entries of a jieba user dictionary ("word [freq] [tag]" per line, space- or tab-separated).

    Each word is normalised exactly like the text it must match (NFKC, lower-case, optional
    t2s): jieba itself would load "OpenAI公司" verbatim and it would never match the
    lower-cased text. Malformed lines are errors naming the line, not silently skipped; the
    frequency must be ASCII digits."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: user dictionary is not valid UTF-8 (byte offset {exc.start})") from None
    entries: list[UserEntry] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        word = normalize(fields[0], t2s=t2s).strip()
        freq: int | None = None
        tag: str | None = None
        rest = fields[1:]
        if rest and _FREQUENCY.fullmatch(rest[0]):
            if len(rest[0]) > _MAX_FREQUENCY_DIGITS:
                raise InputError(
                    f"{path}:{lineno}: frequency of {len(rest[0])} digits is too large (at most {_MAX_FREQUENCY_DIGITS})"
                )
            freq = int(rest.pop(0))
        elif rest and any(ch.isnumeric() for ch in rest[0]):
            raise InputError(f"{path}:{lineno}: frequency {rest[0]!r} must be written in ASCII digits 0-9")
        if rest and re.fullmatch(r"[a-z]+", rest[0]):
            tag = rest.pop(0)
        if rest or not word or any(ch.isspace() for ch in word):
            raise InputError(f"{path}:{lineno}: expected 'word [frequency] [tag]', got {line.strip()!r}")
        entries.append((word, freq, tag))
    return tuple(entries)


# The dictionary cache file: this header, the SHA-256 of the jieba dictionary it was built from,
# the SHA-256 of the payload, then the payload (marshal of jieba's (FREQ, total)). Without the
# digests, a file that still unmarshals but holds altered frequencies moved the shipped R-1 from
# 54.32 to 51.36 and nothing said so (issue 17, class 3).
_CACHE_MAGIC = b"harness-jieba-dict-v1\n"
_WORDS_MAGIC = b"harness-jieba-words-v1\n"  # dictionary_words: words picked from the dictionary, a line each
_WARNINGS: list[str] = []  # said by the pipeline (Evaluation.warnings), never printed here
_USE_DICTIONARY_CACHE = [True]


def use_dictionary_cache(enabled: bool) -> None:
    """Whether this process reads and writes jieba's dictionary cache file (`--no-cache` turns it
    off: the dictionary is then built from jieba's dict.txt, and no file is written)."""
    _USE_DICTIONARY_CACHE[0] = enabled


def take_warnings() -> list[str]:
    """The warnings recorded since the last call (a rebuilt dictionary cache), and forget them."""
    taken = list(_WARNINGS)
    _WARNINGS.clear()
    return taken


def _dictionary_path() -> Path:
    """jieba's main dictionary, found without importing jieba (a warm run never loads it)."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("jieba is not installed; `pip install jieba` or use --unit char")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


@lru_cache(maxsize=1)
def _dictionary() -> tuple[bytes, bytes]:
    """jieba's main dictionary's bytes and their SHA-256 (read once per process)."""
    data = _dictionary_path().read_bytes()
    return data, hashlib.sha256(data).digest()


def dictionary_digest() -> str:
    """The first 12 hex digits of the SHA-256 of jieba's main dictionary (signature field `jdict`)."""
    return _dictionary()[1].hex()[:12]


def dictionary_cache_files(folder: Path | None = None) -> list[Path]:
    """The files derived from jieba's dictionary in the harness cache folder (its prefix dictionary
    for every jieba version and Python, facts' name pieces for every rule)."""
    try:
        return sorted(p for p in (folder or cache_dir()).glob("jieba-*.cache") if p.is_file())
    except OSError:
        return []


def _load_dictionary_cache(path: Path, source: bytes) -> tuple[dict[str, int], int] | str:
    """jieba's prefix dictionary (FREQ, total) from the cache file at `path`, if it was built from
    the dictionary whose SHA-256 is `source` and its payload is intact; otherwise what is wrong
    with it ("" when there is no file).

    jieba reads its file with `marshal.load` on the open file, which took about 1.05 s here;
    `marshal.loads` on the file's bytes gives the same (FREQ, total) in about 0.2 s, and tokens
    identical on 4,000 texts with and without HMM (benchmarks/README.md)."""
    payload = read_checked(path, _CACHE_MAGIC, source)
    if isinstance(payload, str):
        return payload
    try:
        freq, total = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return "its content cannot be read"
    if not isinstance(freq, dict) or not isinstance(total, int):
        return "its content cannot be read"
    return freq, total


def _write_dictionary_cache(path: Path, source: bytes, freq: dict[str, int], total: int) -> None:
    write_checked(path, _CACHE_MAGIC, source, marshal.dumps((freq, total)))


def dictionary_words(name: str, what: str, rule: bytes, build: Callable[[bytes], Iterable[str]]) -> frozenset[str]:
    """The words `build` picks from jieba's main dictionary (given dict.txt's bytes; `rule`: bytes
    that change whenever what it picks does), kept in the harness cache folder as
    `jieba-<version>-<name>-<digest of dictionary and rule>.cache` in the dictionary cache's checked
    format, the words in UTF-8 a line: facts' name pieces (112,000 words) are read back in about
    0.02 s, where picking them took 0.15-0.19 s of every run with facts. Two versions of the rule
    (two installs sharing the folder) keep a file each; a damaged file is picked again with one
    warning naming it as `what`; `--no-cache` neither reads nor writes one."""
    data, digest = _dictionary()
    source = hashlib.sha256(digest + rule).digest()
    folder = _usable_folder() if _USE_DICTIONARY_CACHE[0] else None
    path = None if folder is None else folder / f"jieba-{jieba_version()}-{name}-{source[:6].hex()}.cache"
    if path is not None:
        found = read_checked(path, _WORDS_MAGIC, source)
        if not isinstance(found, str):
            try:
                text = str(found, "utf-8")
                return frozenset(text.split("\n")) if text else frozenset()
            except UnicodeDecodeError:
                found = "its content cannot be read"
        if found:
            _rebuilt(what, path, found)
    words = frozenset(build(data))
    if any(not word or "\n" in word for word in words):
        raise ValueError(f"{name}: a word picked from jieba's dictionary is empty or holds a line break")
    if path is not None:
        write_checked(path, _WORDS_MAGIC, source, "\n".join(sorted(words)).encode("utf-8"))
    return words


def _rebuilt(what: str, path: Path, problem: str) -> None:
    """Record (for the run's warnings) that a file derived from jieba's dictionary was not used."""
    _WARNINGS.append(f"{what} {path}: {problem}; rebuilt from jieba's dictionary")


def _usable_folder() -> Path | None:
    """The cache folder, created if needed; None when it cannot be written."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK | os.X_OK) else None


def _prefix_dictionary(tok: jieba.Tokenizer, cache_file: str) -> tuple[dict[str, int], int]:
    """jieba's prefix dictionary: from the cache file when it is intact and made from this
    dictionary, else built from dict.txt (and the file rewritten, with one warning when a file
    was there). Without a usable folder, or with the cache off, no file is read or written:
    never one in the shared temp folder."""
    data, source = _dictionary()
    folder = _usable_folder() if _USE_DICTIONARY_CACHE[0] else None
    if folder is not None:
        tok.tmp_dir = str(folder)
        path = folder / cache_file
        found = _load_dictionary_cache(path, source)
        if not isinstance(found, str):
            return found
        if found:
            _rebuilt("jieba dictionary cache", path, found)
    freq, total = tok.gen_pfdict(io.BytesIO(data))
    if folder is not None:
        _write_dictionary_cache(folder / cache_file, source, freq, total)
    return freq, total


def _load_jieba(entries: tuple[UserEntry, ...], key: str) -> jieba.Tokenizer:
    """One private jieba.Tokenizer per user dictionary, built once per process.

    Its prefix-dictionary cache goes to our own per-user cache folder instead of
    jieba's shared default `/tmp/jieba.cache`, and its log lines are silenced."""
    with _JIEBA_LOCK:
        if key in _JIEBA:
            return _JIEBA[key]
        import logging

        from harness.text.jieba_cut import LinearJieba

        logger = logging.getLogger("jieba")
        old_level = logger.level
        logger.setLevel(logging.CRITICAL + 1)  # jieba logs to stderr at DEBUG by default
        try:
            tok = LinearJieba()
            pyver = f"py{sys.version_info[0]}{sys.version_info[1]}"  # marshal format
            tok.cache_file = f"jieba-{jieba_version()}-{pyver}.cache"
            tok.FREQ, tok.total = _prefix_dictionary(tok, tok.cache_file)
            tok.initialized = True  # jieba's own initialize() would read and write its own cache
            for word, freq, tag in entries:
                tok.add_word(word, freq, tag)
        finally:
            logger.setLevel(old_level)
        _JIEBA[key] = tok
        return tok


def plain_jieba() -> jieba.Tokenizer:
    """The process's jieba.Tokenizer without a user dictionary (the one `--unit word` scores with),
    its dictionary cache in the harness's folder, never jieba's shared /tmp/jieba.cache."""
    return _load_jieba((), "none")


@dataclass(frozen=True)
class JiebaTokenizer:
    """jieba precise mode (cut_all=False), optional HMM for unknown words, optional user dictionary."""

    hmm: bool = True
    user_dict: Path | None = None
    t2s: bool = False  # user-dictionary words are normalised like the text, t2s included
    _digest: str = field(init=False, repr=False, compare=False)
    _entries: tuple[UserEntry, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        digest: str = "none"
        entries: tuple[UserEntry, ...] = ()
        if self.user_dict is not None:
            try:
                data = read_bytes(Path(self.user_dict))
            except UnreadableFile as exc:
                raise InputError(f"{self.user_dict}: cannot read user dictionary: {exc.problem}") from None
            entries = parse_user_dict(Path(self.user_dict), data, t2s=self.t2s)
            digest = hashlib.sha256(data).hexdigest()[:12]
        object.__setattr__(self, "_digest", digest)
        object.__setattr__(self, "_entries", entries)

    def tokenize(self, text: str) -> list[str]:
        """jieba tokens of `text`, without punctuation and whitespace tokens."""
        # t2s only changes user-dictionary words, so without a dictionary one instance serves both.
        key = self._digest if self.user_dict is None else f"{self._digest}:{self.t2s}"
        tok = _load_jieba(self._entries, key)
        return [t for t in tok.cut(text, cut_all=False, HMM=self.hmm) if is_scorable(t)]

    def raw_cut(self) -> Callable[[str], Iterable[str]]:
        """jieba's own `cut` of unnormalised text with this dictionary and HMM setting, every token
        kept (punctuation and whitespace too): what the Chinese ROUGE conventions score
        (harness.rouge.conventions). jieba is loaded on the first call."""
        key = self._digest if self.user_dict is None else f"{self._digest}:{self.t2s}"
        entries, hmm = self._entries, self.hmm

        def cut(text: str) -> Iterable[str]:
            words: Iterable[str] = _load_jieba(entries, key).cut(text, cut_all=False, HMM=hmm)
            return words

        return cut

    def signature(self) -> dict[str, str]:
        return {
            "unit": "word",
            "tok": f"jieba-{jieba_version()}",
            "hmm": "yes" if self.hmm else "no",
            "dict": self._digest,
            "jdict": dictionary_digest(),
        }


_HAN = HAN_RANGES
# One Han character; or a run of other letters/digits (Latin words, numbers), dots inside it
# kept as jieba keeps them ("3.5", "gpt-3.5" -> gpt, 3.5); or any other single non-space
# character (filtered afterwards if punctuation).
_RUN = rf"(?:(?![{_HAN}])[^\W_])+"


@cache
def _char_token() -> re.Pattern[str]:
    """The char unit's token pattern, compiled on first use: about 4 ms that every run on jieba
    words spent at start-up for nothing."""
    return re.compile(rf"[{_HAN}]|{_RUN}(?:\.{_RUN})*|\S")


@dataclass(frozen=True)
class CharTokenizer:
    """Each Han character one token; Latin and digit runs kept whole."""

    def tokenize(self, text: str) -> list[str]:
        return [t for t in _char_token().findall(text) if is_scorable(t)]

    def signature(self) -> dict[str, str]:
        return {"unit": "char", "tok": "char-v1", "hmm": "n/a", "dict": "n/a", "jdict": "n/a"}


def make_tokenizer(
    unit: str = "word", *, hmm: bool = True, user_dict: Path | None = None, t2s: bool = False
) -> Tokenizer:
    """Build the tokenizer for a unit name ('word' = jieba, 'char' = Han characters)."""
    if unit == "word":
        return JiebaTokenizer(hmm=hmm, user_dict=user_dict, t2s=t2s)
    if unit == "char":
        if user_dict is not None:
            raise InputError("--user-dict only applies to --unit word (jieba)")
        return CharTokenizer()
    raise InputError(f"unknown unit {unit!r}; choose one of: {', '.join(UNITS)}")
