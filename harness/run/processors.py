"""The text processors of one process, with the persistent cache in front of them.

Scoring's processor, and the word one that off-topic shares are measured with; with a cache,
analysed texts and pair scores are looked up there first (harness.run.cache).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from harness.rouge.conventions.runner import ConventionScorer
from harness.rouge.scoring import Counts, Score, pair_counts
from harness.rouge.settings import Settings
from harness.run.cache import Cache, namespace, text_key
from harness.run.cache_keys import CHANGES, KEEPS, StoredAnalysis
from harness.text.analysed import AnalysedText
from harness.text.normalize import opencc_build, to_simplified

_KEYS_KEPT = 4096  # texts' keys `key_of` adds to a document's


# What goes with a chunk of documents to its worker (harness.run.answers): per document the main process
# answered, the analysis it answered and the keys of the document's references and summaries, made
# there to look the results up (`Processors.start` takes them instead of hashing the texts again).
Given = dict[str, tuple[str, tuple[bytes, ...]]]


class Processors:
    """The processors of one process: scoring's, and the word one for off-topic shares; with
    the persistent cache, analyses and pair scores are looked up there first."""

    def __init__(
        self, settings: Settings, cache: Cache | Path | None = None, baselines: tuple[str, ...] = (), *,
        options: Mapping[str, Any] | None = None, skip: frozenset[str] = frozenset(),
    ) -> None:
        self.settings = settings
        self.baselines = baselines  # --baselines, computed on each document that has a source
        self.options: Mapping[str, Any] = options or {}  # per-analysis options (harness.analyses.base)
        self.skip = skip  # analyses not to run (`--no-facts`)
        self.given: Given = {}  # what came with the chunk at hand (harness.run.answers)
        self.scratch: dict[str, Any] = {}  # the analyses' per-run memory (harness.analyses.base.DocumentInputs)
        self.main = settings.processor()
        self.words = self.main if settings.unit == "word" else settings.word_processor()
        self.cache = Cache(cache) if isinstance(cache, Path) else cache
        self.namespace = namespace(self.main.signature())
        self.word_namespace = namespace(self.words.signature())
        self._pair_namespace = f"{self.namespace}|metrics:{','.join(settings.metrics)}".encode()
        self._keys: dict[str, bytes] = {}  # text -> key under `namespace`, of the document started last
        self._started: tuple[Mapping[str, str], Mapping[str, str | None]] = ({}, {})  # its references and summaries
        self._pairs: dict[tuple[bytes, bytes], bytes] = {}  # (reference key, summary key) -> their pair's key, the same
        self._own: dict[tuple[str, str], bytes] = {}  # (analysis kind, text) -> its entry's key, the same
        # Whether documents are scored in a batch whose analyses run after (harness.run.document.score_batched):
        # then what each document's prefetch read for its analyses stays until `end_batch`.
        self.batch = False
        self.tokenized = 0  # texts `analyze` cut (not found in the cache): a batch waits only while some are
        self._kinds: dict[str, tuple[bytes, bytes]] = {}  # analysis kind -> its key's first 6 bytes, its hashed name
        # --convention NAME: its scorer (the harness's jieba, loaded on the first cut), and its own
        # cache keys: the convention's version in them, so no other arithmetic's entry is ever read.
        self.convention: ConventionScorer | None = None
        if settings.single_convention:
            self.convention = ConventionScorer([settings.convention], settings.convention_cut())
            version = self.convention.conventions[0].version
            self._pair_namespace = f"{self.namespace}|conv:{version}|metrics:{','.join(settings.metrics)}".encode()

    def start(self, references: Mapping[str, str], candidates: Mapping[str, str | None],
              keys: Sequence[bytes] | None = None) -> None:
        """A new document: with a cache, the keys of its references and summaries, which `prefetch`
        and `analyze` ask for next (11,000 hashes of ~1 KB on a 10 x 1,000 run), or `keys` when given
        (`started_keys` of another process's processors, which made them); the previous document's
        keys are dropped."""
        texts = [t for t in (*references.values(), *candidates.values()) if t is not None] if self.cache is not None else []
        if keys is not None and len(keys) == len(texts):
            self._keys = dict(zip(texts, keys, strict=True))
        else:
            self._keys = {t: text_key(self.namespace, t) for t in texts}
        self._started = (references, candidates)

    def started_keys(self) -> tuple[bytes, ...]:
        """The keys of the `start`ed document's references and summaries, in `start`'s order."""
        references, candidates = self._started
        return tuple(self._keys[t] for t in (*references.values(), *candidates.values()) if t is not None)

    def key_of(self, text: str) -> bytes:
        """The key of `text` under scoring's namespace, the one `analyze` files it under: made once
        per document (`start`), whichever asks first (the facts analysis's evidence, `analyze`)."""
        key = self._keys.get(text)
        if key is None:
            key = text_key(self.namespace, text)
            if len(self._keys) < _KEYS_KEPT:  # bounded where no document is started (the report's drill-down)
                self._keys[text] = key
        return key

    def prefetch(self, kinds: Sequence[tuple[str, Sequence[str]]] = ()) -> None:
        """Read the `start`ed document's cached analyses and pair scores in one go (see
        Cache.prefetch), and the per-document analyses' entries of `kinds` ((kind, texts) as
        `recall` asks for them)."""
        if self.cache is None:
            return
        references, candidates = self._started
        key_of = self.key_of
        ref_keys = [key_of(t) for t in references.values()]
        cand_keys = [key_of(t) for t in candidates.values() if t is not None]
        # The analyses' entries' keys too, which `recall` (and on a miss `keep`) ask for next.
        own = self._file_entries(kinds, keep=self.batch)
        if self.convention is not None:  # one reference is scored, and texts are analysed only for analyses
            self.cache.prefetch(analyses=own, pairs=[self._pair_key(r, c) for c in cand_keys for r in ref_keys[:1]],
                                keep=self.batch)
            return
        # Their pairs' keys too, which `counts` asks for next.
        self._pairs = {(r, c): self._pair_key(r, c) for c in cand_keys for r in ref_keys}
        self.cache.prefetch(analyses=ref_keys + cand_keys + own, pairs=list(self._pairs.values()), keep=self.batch)

    def prefetch_entries(self, kinds: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Read the per-document analyses' entries of `kinds` ((kind, texts), of any documents) in one go, kept
        until `end_batch` (harness.run.answers reads a chunk's so)."""
        if self.cache is not None:
            self.cache.prefetch(analyses=self._file_entries(kinds, keep=True), keep=True)

    def _file_entries(self, kinds: Sequence[tuple[str, Sequence[str]]], *, keep: bool) -> list[bytes]:
        """The keys of the analyses' entries of `kinds`, filed for `recall` and `keep` (beside those filed
        before with `keep`, else in their place)."""
        own = {(kind, t): self._entry_key(kind, t) for kind, texts in kinds for t in texts}
        if keep:
            self._own.update(own)
        else:
            self._own = own
        return list(own.values())

    def end_batch(self) -> None:
        """The batch's analyses ran: what its prefetches read and no get asked for is dropped."""
        self._own = {}
        if self.cache is not None:
            self.cache.prefetch()

    def convention_scores(self, target: str, prediction: str) -> dict[str, Score]:
        """The pair's scores under the run's convention, cached if a cache is used."""
        assert self.convention is not None
        metrics = self.settings.metrics
        key = b""
        if self.cache is not None:
            key = self.convention_key(target, prediction)
            found = self.cache.get_scores(key, metrics)
            if found is not None:
                return found
        scores = next(iter(self.convention.score(target=target, prediction=prediction).values()))
        scores = {m: scores[m] for m in metrics}
        if self.cache is not None:
            self.cache.put_scores(key, scores, metrics)
        return scores

    def convention_key(self, target: str, prediction: str) -> bytes:
        """The cache key of a pair's scores under the run's convention (its version is in it)."""
        return self._pair_key(text_key(self.namespace, target), text_key(self.namespace, prediction))

    def _pair_key(self, target: bytes, prediction: bytes) -> bytes:
        return hashlib.blake2b(self._pair_namespace + target + prediction, digest_size=16).digest()

    def analyze(self, text: str, *, words: bool = False) -> AnalysedText:
        """The analysis of `text` by the scoring processor (or the word one), cached if a cache is used."""
        processor = self.words if words else self.main
        if self.cache is None:
            self.tokenized += 1
            return processor.analyze(text)
        if not words or processor is self.main:  # one namespace: the document's keys serve (`key_of`)
            key = self.key_of(text)
        else:
            key = text_key(self.word_namespace, text)
        found = self.cache.get_analysis(key)
        if found is None:
            self.tokenized += 1
            found = processor.analyze(text)
            self.cache.put_analysis(key, found)
        found.key = key
        return found

    def words_of(self, text: str) -> list[str]:
        """The word processor's tokens of `text` (a piece of one), from its memo of recent sentences:
        not looked up in the cache, as a piece of text is no entry of its own."""
        return self.words.words(text)  # (a jieba word processor, whatever the unit)

    def keeps_in_t2s(self, text: str, analysed: AnalysedText) -> bool:
        """Whether OpenCC t2s leaves `text` as it is (then it is not traditional Chinese), `analysed`
        being its analysis by `analyze`: as the cache says when this OpenCC said it before (a warm
        run then converts nothing: 11,000 texts took 0.1-0.25 s CPU), else found and kept with it."""
        if isinstance(analysed, StoredAnalysis) and analysed.verdict[1:] == opencc_build():
            return analysed.verdict[:1] == KEEPS
        same = to_simplified(text) == text
        if self.cache is not None and analysed.key:
            self.cache.put_analysis(analysed.key, analysed, (KEEPS if same else CHANGES) + opencc_build())
        return same

    def counts(self, target: AnalysedText, prediction: AnalysedText) -> dict[str, Counts]:
        """`pair_counts`, cached if a cache is used."""
        metrics = self.settings.metrics
        if self.cache is None:
            return pair_counts(target=target, prediction=prediction, metrics=metrics)
        key = self._pairs.get((target.key, prediction.key)) or self._pair_key(target.key, prediction.key)
        found = self.cache.get_pair(key, metrics)
        if found is None:
            found = pair_counts(target=target, prediction=prediction, metrics=metrics)
            self.cache.put_pair(key, found, metrics)
        return found

    def own_keys(self) -> list[bytes]:
        """The keys of the per-document analyses' entries the last prefetch listed (`cached`)."""
        return list(self._own.values())

    def recall(self, kind: str, text: str) -> bytes | None:
        """What a per-document analysis stored for `text` under `kind` (its rules and options), from
        the persistent cache; None without a cache or an entry."""
        if self.cache is None:
            return None
        return self.cache.get_bytes(self._own_key(kind, text))

    def keep(self, kind: str, text: str, value: bytes) -> None:
        """Store an analysis's value for `text` under `kind` in the persistent cache, if one is used."""
        if self.cache is not None:
            self.cache.put_bytes(self._own_key(kind, text), value)

    def _own_key(self, kind: str, text: str) -> bytes:
        return self._own.get((kind, text)) or self._entry_key(kind, text)

    def _entry_key(self, kind: str, text: str) -> bytes:
        """The key of an analysis's entry of `kind` for `text`: 6 bytes of a hash of the kind, then 10
        of a hash of the kind and the text's own key (hashing the text again took 3-4 us a summary).
        Entries of one kind sit side by side in the file, where keys hashed whole put each on a page
        of its own."""
        key = self.key_of(text)
        found = self._kinds.get(kind)
        if found is None:
            if len(self._kinds) >= 1024:  # bounded, whatever kinds an analysis makes
                self._kinds.clear()
            name = f"{self.namespace}|{kind}\0".encode("utf-8", "surrogatepass")
            found = self._kinds[kind] = (hashlib.blake2b(name, digest_size=6).digest(), name)
        return found[0] + hashlib.blake2b(found[1] + key, digest_size=10).digest()
