"""A persistent cache of analysed texts and pair scores, so a rerun redoes only what changed.

One SQLite file in the harness cache folder (`harness.text.tokenizers.cache_dir()`), two tables:

- `analyses`: a text's sentences of tokens and what OpenCC t2s does to it (cache_keys.encode_analysis), keyed
  by a hash of the text and of everything that changes its tokens (tokenizer signature, harness version);
- `pairs`: the sufficient counts of a (reference, candidate) pair (`harness.rouge.scoring.Counts`,
  three integers per metric, from which each Score and every multi-reference mode is made),
  keyed by both texts' keys and the scoring part of the signature (metrics).

Why SQLite: it is data only (nothing read back can run code, unlike a pickle), it is in the
standard library, two runs may share it (its locking makes each write atomic; a second writer
waits), and a damaged file is detected and replaced. Each value carries a CRC-32, so a
damaged entry is ignored and rewritten. The file is kept under a size bound: when it grows
past `max_bytes`, the least recently used entries go first.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.rouge.scoring import Counts, Score
from harness.run.cache_folder import folder_problem, not_a_file
from harness.run.cache_keys import UNKNOWN, decode_analysis, encode_analysis
from harness.run.cache_keys import decode_sentences as decode_sentences
from harness.run.cache_keys import encode_sentences as encode_sentences
from harness.run.cache_keys import namespace as namespace
from harness.run.cache_keys import text_key as text_key
from harness.text.analysed import AnalysedText

# v2: pairs hold counts (v1 held packed P/R/F doubles, which a v2 reader must never take for counts).
# v4: rows in rowid tables, found by an index on the key (v3 kept them in a B-tree of the keys).
FILE_NAME = "cache-v4.sqlite"
OLD_FILE_NAMES = ("cache-v1.sqlite", "cache-v2.sqlite", "cache-v3.sqlite")  # `clear` removes them too
DEFAULT_MAX_BYTES = 512 * 2**20
_TOUCH_AFTER = 24 * 3600  # an entry read is marked as used only if its mark is older: a same-day rerun writes nothing
_PREFETCH_CHUNK = 500  # keys per query (SQLite's older builds allow 999 parameters)
# A new file has 16 KiB pages (an existing one keeps its own): a summary's analysis (~1 KB) then fits in
# its row's B-tree cell, where SQLite's default 4 KiB overflowed it into pages of its own: a warm 10 x 1,000
# run read its analyses in 0.08 s CPU instead of 0.14 s, from a file of 12.8 MB instead of 26.3 MB. Pages are
# read with pread, not through a memory map (0.1 s less system time in a warm 10 x 1,000 run): a mapped file
# turns a read error, or a file cut short on a network drive, into SIGBUS, where pread gives an error the
# run survives without its cache. Rows are appended to rowid tables and found through an index of their
# keys: stored by key (v3), each flush's rows landed all over the file and rewrote most of it (see
# docs/performance.md, the thirteenth round: 392 MB written for a file of 31 MB).
_SCHEMA = """
PRAGMA page_size = 16384;
CREATE TABLE IF NOT EXISTS analyses (id INTEGER PRIMARY KEY, key BLOB NOT NULL UNIQUE, value BLOB NOT NULL,
                                     crc INTEGER NOT NULL, used INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS pairs (id INTEGER PRIMARY KEY, key BLOB NOT NULL UNIQUE, value BLOB NOT NULL,
                                  crc INTEGER NOT NULL, used INTEGER NOT NULL);
"""
_COLUMNS = [("id", "INTEGER"), ("key", "BLOB"), ("value", "BLOB"), ("crc", "INTEGER"), ("used", "INTEGER")]


def _crc(key: bytes, value: bytes) -> int:
    """CRC-32 of key and value: a value moved under another key, or emptied with CRC 0, fails it."""
    return zlib.crc32(value, zlib.crc32(key))


def _intact(key: bytes, row: tuple[Any, Any, Any] | None) -> bytes | None:
    """A row's value if it is bytes with the stored CRC-32 and a numeric mark, else None (never served)."""
    if row is None or not isinstance(row[0], bytes) or type(row[1]) is not int or type(row[2]) is not int:
        return None
    return row[0] if _crc(key, row[0]) == row[1] else None


@dataclass
class CacheInfo:
    """What `harness cache info` reports."""

    path: Path
    exists: bool
    bytes: int
    analyses: int
    pairs: int
    dictionaries: int = 0  # jieba dictionary cache files (removed by `clear`)
    older: int = 0  # files of earlier cache versions: found by `info`, removed by `clear`
    older_bytes: int = 0
    problem: str = ""  # something other than a file where the cache file goes


class Cache:
    """Reads and buffered writes of one cache file; one instance per process (connections are
    opened on first use, so a forked worker opens its own)."""

    def __init__(self, path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.warnings: list[str] = []
        self._db: sqlite3.Connection | None = None
        self._pid = -1
        self._disabled = False
        self._new_analyses: dict[bytes, bytes] = {}
        self._new_pairs: dict[bytes, bytes] = {}
        self._used_analyses: set[bytes] = set()
        self._used_pairs: set[bytes] = set()
        self._ahead_analyses: dict[bytes, tuple[Any, int, int] | None] = {}
        self._ahead_pairs: dict[bytes, tuple[Any, int, int] | None] = {}
        self._now = int(time.time())

    # -- connection -------------------------------------------------------------------------

    def open(self) -> bool:
        """Open (or create, or replace when damaged) the file now; False if it cannot be used."""
        return self._connect() is not None

    def _connect(self) -> sqlite3.Connection | None:
        if self._disabled:
            return None
        if self._db is not None and self._pid == os.getpid():
            return self._db
        self._db = None
        occupied = not_a_file(self.path)
        if occupied:  # a folder where the file goes failed every run ("Is a directory")
            self._disable(occupied)
            return None
        for attempt in (1, 2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
                db.executescript(_SCHEMA)
                db.execute("SELECT count(*) FROM analyses WHERE key = x''").fetchone()
                for table in ("analyses", "pairs"):
                    columns = [row[1:3] for row in db.execute(f"PRAGMA table_info({table})")]
                    if columns != _COLUMNS:  # a table of another layout: none of its rows can be read
                        db.close()
                        raise sqlite3.DatabaseError(f"table {table} has columns {[c for c, _ in columns]}")
                self._db, self._pid = db, os.getpid()
                return db
            except sqlite3.DatabaseError as exc:
                if attempt == 2 or not self.path.exists():
                    self._disable(f"cannot be used ({exc})")
                    return None
                self.warnings.append(f"cache {self.path}: damaged ({exc}); starting a new one")
                _remove(self.path)
            except OSError as exc:
                self._disable(f"cannot be used ({folder_problem(self.path, exc)})")
                return None
        return None

    def _disable(self, why: str) -> None:
        self.warnings.append(f"cache {self.path}: {why}; running without it")
        self._disabled = True

    # -- analyses -----------------------------------------------------------------------------

    def prefetch(self, analyses: Sequence[bytes] = (), pairs: Sequence[bytes] = (), keep: bool = False) -> None:
        """Read these entries (a document's texts and pairs) with one query per table, so that the gets which follow
        need no query of their own: 21,000 single-key queries took 0.7 s of a 0.9 s rerun of 10,000 pairs. What the
        last prefetch read and no get asked for is dropped, or with `keep` kept (a batch of documents' analyses)."""
        for table, keys, ahead in (("analyses", analyses, self._ahead_analyses), ("pairs", pairs, self._ahead_pairs)):
            if not keep:
                ahead.clear()
            wanted = list(dict.fromkeys(keys))
            for i in range(0, len(wanted), _PREFETCH_CHUNK):
                chunk = wanted[i : i + _PREFETCH_CHUNK]
                sql = f"SELECT key, CAST(value AS BLOB), crc, used FROM {table} WHERE key IN ({','.join('?' * len(chunk))})"
                for key, value, crc, used in self._fetch_all(sql, chunk):
                    ahead[key] = (value, crc, used)
                for key in chunk:
                    ahead.setdefault(key, None)  # known to be absent

    def _row(self, table: str, key: bytes, ahead: dict[bytes, tuple[Any, int, int] | None]) -> tuple[Any, int, int] | None:
        if key in ahead:
            return ahead.pop(key)
        rows = self._fetch_all(f"SELECT key, CAST(value AS BLOB), crc, used FROM {table} WHERE key = ?", [key])
        return (rows[0][1], rows[0][2], rows[0][3]) if rows else None

    def get_analysis(self, key: bytes) -> AnalysedText | None:
        """The stored analysis for `key`, or None (absent, or damaged: then it is rewritten)."""
        data = self.get_bytes(key)
        return None if data is None else decode_analysis(data, key)

    def put_analysis(self, key: bytes, analysis: AnalysedText, verdict: str = UNKNOWN) -> None:
        """Keep `analysis` of the text of `key` and, when known, what t2s does to that text (encode_analysis)."""
        self._new_analyses[key] = encode_analysis(analysis, verdict, self._new_analyses.get(key))

    def get_bytes(self, key: bytes) -> bytes | None:
        """The stored value of `key` in the analyses table (a text's analysis, or a per-document
        analysis's own value under keys of its own namespace), or None (absent or damaged)."""
        data = self._new_analyses.get(key)
        if data is not None:
            return data
        row = self._row("analyses", key, self._ahead_analyses)
        # Values are read as bytes whatever was stored, so damage is a CRC mismatch or an
        # undecodable value here, never an error from SQLite that would stop the whole read.
        found = _intact(key, row)
        if row is None or found is None:
            return None
        if self._now - row[2] > _TOUCH_AFTER:
            self._used_analyses.add(key)
        return found

    def put_bytes(self, key: bytes, value: bytes) -> None:
        self._new_analyses[key] = value

    # -- pair counts ----------------------------------------------------------------------------

    def get_pair(self, key: bytes, metrics: Sequence[str]) -> dict[str, Counts] | None:
        """The stored counts of a pair, or None (absent, or damaged: then it is rewritten)."""
        value = self._new_pairs.get(key)
        if value is None:
            row = self._row("pairs", key, self._ahead_pairs)
            found = _intact(key, row)
            if row is None or found is None or len(found) != 24 * len(metrics):
                return None
            value = found
            if self._now - row[2] > _TOUCH_AFTER:
                self._used_pairs.add(key)
        numbers = struct.unpack(f"<{3 * len(metrics)}q", value)
        if min(numbers, default=0) < 0:
            return None
        return {m: Counts(*numbers[3 * i : 3 * i + 3]) for i, m in enumerate(metrics)}

    def put_pair(self, key: bytes, counts: dict[str, Counts], metrics: Sequence[str]) -> None:
        self._new_pairs[key] = struct.pack(f"<{3 * len(metrics)}q", *(x for m in metrics for x in counts[m]))

    # -- convention pair scores (harness.rouge.conventions): P, R, F doubles per metric ---------

    def get_scores(self, key: bytes, metrics: Sequence[str]) -> dict[str, Score] | None:
        """The stored scores of a pair under a convention, or None (absent or damaged). Their keys
        name the convention, so they are never read as counts, nor counts as them."""
        value = self._new_pairs.get(key)
        if value is None:
            row = self._row("pairs", key, self._ahead_pairs)
            found = _intact(key, row)  # the CRC-32 of key and value that flush stores
            if row is None or found is None or len(found) != 24 * len(metrics):
                return None
            value = found
            if self._now - row[2] > _TOUCH_AFTER:
                self._used_pairs.add(key)
        numbers = struct.unpack(f"<{3 * len(metrics)}d", value)
        if not all(0.0 <= x <= 1.0 for x in numbers):  # NaN fails too
            return None
        return {m: Score(*numbers[3 * i : 3 * i + 3]) for i, m in enumerate(metrics)}

    def put_scores(self, key: bytes, scores: Mapping[str, Score], metrics: Sequence[str]) -> None:
        self._new_pairs[key] = struct.pack(f"<{3 * len(metrics)}d", *(x for m in metrics for x in scores[m]))

    # -- writing --------------------------------------------------------------------------------

    def _fetch_all(self, sql: str, keys: Sequence[bytes]) -> list[tuple[bytes, Any, int, int]]:
        db = self._connect()
        if db is None:
            return []
        try:
            return db.execute(sql, list(keys)).fetchall()
        except sqlite3.DatabaseError as exc:
            self._disable(f"cannot be read ({exc})")
            return []

    def flush(self) -> None:
        """Write what this process added, and mark what it read as used, in one transaction."""
        if not (self._new_analyses or self._new_pairs or self._used_analyses or self._used_pairs):
            return
        db = self._connect()
        if db is None:
            if self._disabled:  # nothing can be written: what was added is dropped, not held for ever
                self._new_analyses, self._new_pairs = {}, {}
            return
        now = int(time.time())
        try:
            db.execute("BEGIN IMMEDIATE")
            # In key order: each key lands beside the last in the index (a document's entries, whose keys
            # share a prefix, side by side in the table), where the keys' hash order split pages all over.
            db.executemany(
                "INSERT OR REPLACE INTO analyses (key, value, crc, used) VALUES (?, ?, ?, ?)",
                ((k, v, _crc(k, v), now) for k, v in sorted(self._new_analyses.items())),
            )
            db.executemany(
                "INSERT OR REPLACE INTO pairs (key, value, crc, used) VALUES (?, ?, ?, ?)",
                ((k, v, _crc(k, v), now) for k, v in sorted(self._new_pairs.items())),
            )
            db.executemany("UPDATE analyses SET used = ? WHERE key = ?", ((now, k) for k in sorted(self._used_analyses)))
            db.executemany("UPDATE pairs SET used = ? WHERE key = ?", ((now, k) for k in sorted(self._used_pairs)))
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self._disable(f"cannot be written ({exc})")
        self._new_analyses.clear()
        self._new_pairs.clear()
        self._used_analyses.clear()
        self._used_pairs.clear()

    def evict(self) -> None:
        """Drop the least recently used entries until the file fits in `max_bytes`."""
        db = self._connect()
        if db is None:
            return
        try:
            page = db.execute("PRAGMA page_size").fetchone()[0]
            size = db.execute("PRAGMA page_count").fetchone()[0] * page
            if size <= self.max_bytes:
                return
            values = sum(db.execute(f"SELECT coalesce(sum(length(CAST(value AS BLOB))), 0) FROM {t}").fetchone()[0]
                         for t in ("analyses", "pairs"))
            # Keys, counters and pages take room beside the values: remove values in proportion, so
            # that the file ends near 80% of the bound (the next runs then do not evict again at once);
            # an empty file's five pages (the schema, each table and its index of keys) stay.
            excess = int((size - self.max_bytes * 0.8) * values / max(1, size - 5 * page))
            rows = db.execute(
                "SELECT 'analyses', key, length(CAST(value AS BLOB)), used FROM analyses UNION ALL "
                "SELECT 'pairs', key, length(CAST(value AS BLOB)), used FROM pairs ORDER BY used"
            ).fetchall()
            doomed: dict[str, list[bytes]] = {"analyses": [], "pairs": []}
            for table, key, size, _used in rows:
                if excess <= 0:
                    break
                doomed[table].append(key)
                excess -= size
            db.execute("BEGIN IMMEDIATE")
            for table, keys in doomed.items():
                db.executemany(f"DELETE FROM {table} WHERE key = ?", ((k,) for k in keys))
            db.execute("COMMIT")
            db.execute("VACUUM")
        except sqlite3.Error as exc:
            self._disable(f"cannot be trimmed ({exc})")

    def take(self) -> tuple[dict[bytes, bytes], dict[bytes, bytes]]:
        """What this process added and has not written (analyses, pairs), handed over and forgotten."""
        taken = (self._new_analyses, self._new_pairs)
        self._new_analyses, self._new_pairs = {}, {}
        return taken

    def add(self, analyses: dict[bytes, bytes], pairs: dict[bytes, bytes]) -> None:
        """Entries another process computed (`take()` there), written with this process's next flush."""
        self._new_analyses.update(analyses)
        self._new_pairs.update(pairs)

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None


def _remove(path: Path) -> bool:
    """Remove a cache file and SQLite's files beside it, never anything but files; whether it was there."""
    there = path.is_file()  # a regular file, or a link to one
    for file in (Path(f"{path}{suffix}") for suffix in ("", "-journal", "-wal", "-shm")):
        if file.is_file():
            file.unlink(missing_ok=True)
    return there


def default_path() -> Path:
    """Where the cache lives: FILE_NAME in the harness cache folder."""
    from harness.text.tokenizers import cache_dir

    return cache_dir() / FILE_NAME


def info(path: Path | None = None) -> CacheInfo:
    """Size and entry counts of the cache file, and the earlier versions' files (nothing is created)."""
    path = path or default_path()
    occupied = not_a_file(path)
    older = [old.stat().st_size for old in (path.parent / name for name in OLD_FILE_NAMES) if old.is_file()]
    if not path.exists() or occupied:
        return CacheInfo(path, False, 0, 0, 0, problem=occupied or "", older=len(older), older_bytes=sum(older))
    size = path.stat().st_size
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
        try:
            analyses = db.execute("SELECT count(*) FROM analyses").fetchone()[0]
            pairs = db.execute("SELECT count(*) FROM pairs").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        analyses = pairs = 0
    return CacheInfo(path, True, size, analyses, pairs, older=len(older), older_bytes=sum(older))


def clear(path: Path | None = None) -> CacheInfo:
    """Delete the cache file, earlier versions' files and jieba's dictionary cache files beside it;
    returns what the cache file held."""
    from harness.text.tokenizers import dictionary_cache_files

    before = info(path)
    if not before.problem:  # a folder in the file's place is the user's: said, never removed
        _remove(before.path)
    before.older = sum(_remove(before.path.parent / old) for old in OLD_FILE_NAMES)  # no release reads them
    for file in dictionary_cache_files(before.path.parent):
        try:
            file.unlink()
        except FileNotFoundError:
            continue
        before.dictionaries += 1
    return before

