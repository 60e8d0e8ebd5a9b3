"""jieba's own cut against the harness's (harness.text.jieba_cut.LinearJieba), side by side.

    python benchmarks/jieba_cut.py [--chars 5000,10000,20000,40000] [--alone 500000]

Two kinds of text, each cut by both on the same dictionary, the words checked equal:
- `unknown run`: 谷歌谷歌… — jieba's route cuts it into single characters that are no dictionary
  word as a whole, so the whole text is one run for its HMM, whose Viterbi copies every path at
  every character (O(n^2));
- `article`: the shipped article repeated to the length: real text, whose runs of single
  characters are short (the cost both pay per character should be the same).
`--alone N` cuts the article repeated to N characters both ways, and an N-character unknown run with
the harness's cut only (jieba's would take about half an hour at 500,000, the most a file may hold).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import jieba  # noqa: E402

from harness.text.jieba_cut import LinearJieba  # noqa: E402
from harness.text.tokenizers import plain_jieba  # noqa: E402


def _timed(cut: object, text: str) -> tuple[list[str], float]:
    start = time.process_time()
    words = list(cut(text))  # type: ignore[operator]
    return words, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", default="5000,10000,20000,40000")
    parser.add_argument("--alone", type=int, default=500_000)
    args = parser.parse_args()
    logging.getLogger("jieba").setLevel(logging.CRITICAL + 1)
    ours: LinearJieba = plain_jieba()
    theirs = jieba.Tokenizer()
    theirs.FREQ, theirs.total, theirs.initialized = ours.FREQ, ours.total, True  # one dictionary
    article = (REPO.parent / "shared" / "seed" / "article.txt").read_text(encoding="utf-8")
    print(f"{'text':<14}{'chars':>9}{'jieba s':>10}{'harness s':>11}{'speed-up':>10}{'words':>9}  same")

    def both(name: str, text: str) -> None:
        expected, slow = _timed(theirs.cut, text)
        got, fast = _timed(ours.cut, text)
        same = "yes" if got == expected else "NO"
        print(f"{name:<14}{len(text):>9}{slow:>10.2f}{fast:>11.2f}{slow / max(fast, 1e-9):>9.1f}x{len(got):>9}  {same}")

    for n in (int(c) for c in args.chars.split(",")):
        both("unknown run", ("谷歌" * n)[:n])
        both("article", (article * (n // len(article) + 1))[:n])
    if args.alone:
        n = args.alone
        both("article", (article * (n // len(article) + 1))[:n])
        got, fast = _timed(ours.cut, ("谷歌" * n)[:n])
        print(f"{'unknown run':<14}{n:>9}{'-':>10}{fast:>11.2f}{'-':>10}{len(got):>9}  -")


if __name__ == "__main__":
    main()
