"""Test sets of any size made from the shipped article, for benchmarks and examples.

Each document is a window of consecutive sentences of the article (its "source"); its
references are samples of that window's sentences; each system summarizes in its own
way: the lead sentences, a sample, a shuffle, a truncated reference, or a mix with
sentences from elsewhere in the article. Everything comes from one seeded generator, so
the same arguments give the same texts on every machine.

    python benchmarks/workload.py --systems 10 --docs 1000 --refs 1 --out /tmp/set
    harness score --references /tmp/set/references.jsonl --candidates /tmp/set/candidates.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "sources" / "ai-open-source.txt"
# A sentence: text up to and including its end marks (and a closing quote), or up to a line break.
_SENTENCE = re.compile(r"[^。！？!?；;\n]+(?:[。！？!?；;]+[”’」』）)]*)?")
STYLES = ("lead", "sample", "shuffle", "truncate", "mix")


def sentences(text: str | None = None) -> list[str]:
    """The article's sentences (header and disclaimer lines included: they are text too)."""
    text = ARTICLE.read_text(encoding="utf-8") if text is None else text
    return [s.strip() for s in _SENTENCE.findall(text) if len(s.strip()) > 4]


def _summary(rng: random.Random, style: str, window: list[str], refs: list[str], pool: list[str]) -> str:
    k = rng.randint(4, min(12, len(window)))
    if style == "lead":
        return "".join(window[:k])
    if style == "sample":
        return "".join(rng.sample(window, k))
    if style == "shuffle":
        picked = rng.sample(window, k)
        rng.shuffle(picked)
        return "".join(picked)
    if style == "truncate":
        ref = rng.choice(refs)
        return ref[: max(10, int(len(ref) * rng.uniform(0.3, 0.9)))]
    return "".join(rng.choice(window) if rng.random() < 0.5 else rng.choice(pool) for _ in range(k))


def _vary(rng: random.Random, sentence: str, alphabet: str) -> str:
    """The sentence with two of its Han characters replaced at random: a sentence no other text has."""
    chars = list(sentence)
    han = [i for i, ch in enumerate(chars) if "\u4e00" <= ch <= "\u9fff"]
    for i in rng.sample(han, min(2, len(han))):
        chars[i] = rng.choice(alphabet)
    return "".join(chars)


def system_names(n_systems: int) -> list[str]:
    """The systems' names, each saying its style: sys00-lead, sys01-sample, ..."""
    return [f"sys{s:02d}-{STYLES[s % len(STYLES)]}" for s in range(n_systems)]


def documents(n_systems: int, n_docs: int, n_refs: int, rng: random.Random) -> Iterator[tuple[str, str, list[str], list[str]]]:
    """(doc id, source, references, one summary per system in system_names' order), one document
    at a time: memory stays that of one document whatever `n_docs`. The first `k` documents are
    the same for any `n_docs` >= k (one generator, drawn in document order)."""
    pool = sentences()
    styles = [STYLES[s % len(STYLES)] for s in range(n_systems)]
    for d in range(n_docs):
        start = rng.randrange(0, len(pool) - 30)
        window = pool[start : start + rng.randint(15, 30)]
        refs = ["".join(rng.sample(window, rng.randint(4, 10))) for _ in range(n_refs)]
        yield f"doc{d:05d}", "".join(window), refs, [_summary(rng, style, window, refs, pool) for style in styles]


def make_test_set(
    n_systems: int, n_docs: int, n_refs: int = 1, seed: int = 12345, distinct: bool = False
) -> tuple[dict[str, list[str]], dict[str, dict[str, str]], dict[str, str]]:
    """(references {doc: [texts]}, candidates {system: {doc: text}}, sources {doc: text}): the
    documents of `documents`, held whole.

    With `distinct`, every sentence of every text is varied (two characters replaced), so no two
    texts share a sentence: the worst case for the harness's sentence and LCS memos."""
    rng = random.Random(seed)
    pool = sentences()
    refs: dict[str, list[str]] = {}
    sources: dict[str, str] = {}
    cands: dict[str, dict[str, str]] = {name: {} for name in system_names(n_systems)}
    for doc, source, doc_refs, summaries in documents(n_systems, n_docs, n_refs, rng):
        sources[doc] = source
        refs[doc] = doc_refs
        for system, text in zip(cands, summaries, strict=True):
            cands[system][doc] = text
    if distinct:
        alphabet = "".join(sorted({ch for s in pool for ch in s if "\u4e00" <= ch <= "\u9fff"}))

        def vary_text(text: str) -> str:
            return "".join(_vary(rng, s, alphabet) for s in _SENTENCE.findall(text))

        refs = {d: [vary_text(t) for t in texts] for d, texts in refs.items()}
        cands = {s: {d: vary_text(t) for d, t in by.items()} for s, by in cands.items()}
    return refs, cands, sources


def write_jsonl(
    folder: Path, refs: dict[str, list[str]], cands: dict[str, dict[str, str]], sources: dict[str, str] | None = None,
    per_system: bool = False,
) -> tuple[Path, Path]:
    """references.jsonl (one line a document) and candidates.jsonl (one line a system and document),
    or with `per_system` a folder candidates/ of one file per system (the file's stem is the
    system): a JSONL file may have at most 64 MiB, and 100 systems x 1,000 documents take 86 MiB."""
    folder.mkdir(parents=True, exist_ok=True)
    ref_path = folder / "references.jsonl"
    cand_path = folder / ("candidates" if per_system else "candidates.jsonl")
    with ref_path.open("w", encoding="utf-8") as out:
        for doc, texts in refs.items():
            line = {"id": doc, "references": texts}
            if sources:
                line["source"] = sources[doc]
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    if per_system:
        cand_path.mkdir(exist_ok=True)
        for system, by_doc in cands.items():
            with (cand_path / f"{system}.jsonl").open("w", encoding="utf-8") as out:
                for doc, text in by_doc.items():
                    out.write(json.dumps({"id": doc, "summary": text}, ensure_ascii=False) + "\n")
        return ref_path, cand_path
    with cand_path.open("w", encoding="utf-8") as out:
        for system, by_doc in cands.items():
            for doc, text in by_doc.items():
                out.write(json.dumps({"id": doc, "system": system, "summary": text}, ensure_ascii=False) + "\n")
    return ref_path, cand_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", type=int, default=10)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--refs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--distinct", action="store_true", help="no sentence shared between texts")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    refs, cands, sources = make_test_set(args.systems, args.docs, args.refs, args.seed, args.distinct)
    for path in write_jsonl(args.out, refs, cands, sources):
        print(path)


if __name__ == "__main__":
    main()
