"""Find the names of a text: tagged Chinese names, Latin-script names and a user's names list (facts rules, docs/facts.md).

Three sources, in priority order when spans overlap: the user's list (``谷歌=Google``, found in the
text as written, Latin forms only at word edges), Latin-script names, and name tags (nr, ns, nt, nz,
nrt, nrfg) of jieba's words: the dictionary's tag, or for a word the dictionary lacks, a name when
jieba's part-of-speech model scores it as one (see `_pairs`). Adjacent tagged pieces are merged (蔡 + 崇信, 伦敦 + 金融城). The
tagger's false names are filtered: one-character names, and words that jieba's dictionary holds
but that its own part-of-speech model scores as more likely another part of speech than a name by
less than a factor e^3 (高达 "as high as", 智慧, 修正; the margin was set on text that is not the
article, see tests). In mostly-Chinese text every run of adjacent Latin words is one name (Kay
Swinburne), minus one-letter words and magnitude or unit words (the k of 52k, billion, USD); in
mostly-Latin text only words with a capital or a digit count, and a plain capitalised word that
opens a sentence does not (English capitalises it for grammar, not as a name)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

from harness.analyses.facts.bounds import MAX_NAME_CHARS, Left
from harness.analyses.facts.figures import widen
from harness.analyses.facts.names_list import NamesList
from harness.analyses.facts.pos_model import NAME_TAGS, name_margin, name_margin_at_least, pos_table
from harness.analyses.facts.units import DOLLARS, version_end

NameOrigin = Literal["list", "latin", "tagger"]
# log P(name tag) - log P(best other tag) under jieba's own POS model below which a dictionary word
# is not taken as a name: 高达 0.6, 智慧 1.9, 护城河 1.8 fall under it; 英国 5.8, 斯坦福 10.4 pass.
NAME_MARGIN = 3.0
# The same margin for a word the dictionary lacks (the HMM found it): a name tag merely more likely
# than any other. Measured on the shipped article: 谷歌 scores 0.23 (posseg's contextual tagger
# calls it a name), while common unknown words score below 0.
UNKNOWN_MARGIN = 0.0

_LATIN_TOKEN = r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:[-_.+][A-Za-z0-9]+)*"
_LATIN_RUN = re.compile(rf"(?=[A-Za-z]){_LATIN_TOKEN}(?: {_LATIN_TOKEN})*")  # lookahead: a quick skip
_TOKEN = re.compile(_LATIN_TOKEN)
_HAN_RANGES = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # the Han characters the rules read
_HAN, _NOT_HAN = re.compile(f"[{_HAN_RANGES}]"), re.compile(f"[^{_HAN_RANGES}]+")  # (runs: fewer matches than characters)
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
# Not names wherever they stand: magnitudes and units that follow numbers (52k, 3 billion, 100 USD).
_UNIT_WORDS = frozenset({"k", "m", "b", "bn", "thousand", "million", "billion", "trillion", "usd", "rmb", "cny",
                         "eur", "gbp", "jpy", "km", "kg", "kw", "kwh", "percent", "dollars", "yuan", "parameters", "params", "tokens", "examples"})
# The letters of a dollar sign's country (US$, HK$, AUS$): with the sign, a currency (figures.py), no name.
_DOLLARS = frozenset(letters.lower() for letters in DOLLARS)
# English closed-class words: capitalised at a sentence start for grammar only ("After Meta ...").
_FUNCTION_WORDS = frozenset(
    "a an the this that these those after before as at by for from in into of on onto over under with without "
    "and but or nor so yet if when while because although though since until unless then thus also however "
    "it its they them their we our you your he she his her i my is are was were be been being has have had "
    "do does did will would can could may might must should not no neither either both all any each every "
    "some many most more much such there here what which who whom whose where why how".split()
)
_SENTENCE_OPENERS = frozenset(".!?\n\"“'‘(")
_JOINERS = frozenset("·•・")
_TITLES = frozenset("ceo cfo cto coo cmo cio cpo vp svp evp".split())
_NOT_EMPLOYERS = _FUNCTION_WORDS | frozenset("former interim acting new then co deputy vice our its".split())
_NUMERALS = frozenset("0123456789零一二三四五六七八九十两百千万亿几数")


class Name(NamedTuple):
    """A name found in a text: its span, where it came from, and its alias forms from the names list."""

    text: str
    start: int
    end: int
    origin: NameOrigin
    forms: tuple[str, ...] = ()  # every written form of a listed name (谷歌, Google); () otherwise


def extract_names(
    text: str, *, names: NamesList | None = None, skipped: list[str] | None = None, words: Sequence[str] | None = None,
) -> list[Name]:
    """Every name of ``text`` in order of position (the rules are in the module docstring); ``words``,
    when given, are jieba's words of the text (scoring's tokens), so the text is not cut again.
    Names too long to be names are left out, with a reason in ``skipped``."""
    kept, long = find_names(text, names=names, words=words, prose=mostly_latin(widen(text)))
    if skipped is not None:
        skipped += [left_out(n).line() for n in long]
    return kept


def left_out(name: Name) -> Left:
    """Why a name too long to be one is left out (`Left.line` is its line of `skipped`)."""
    return Left("name", name.start, name.end, f"{len(name.text)} characters (over {MAX_NAME_CHARS})")


def find_names(
    text: str, *, names: NamesList | None, words: Sequence[str] | None, prose: bool,
) -> tuple[list[Name], list[Name]]:
    """The names of ``text`` in order of position, and those left out for their length; ``prose``:
    whether the whole text the piece comes from is mostly Latin (`mostly_latin`)."""
    original, text = text, widen(text)  # full-width Latin letters read as ASCII; one character for one, so spans hold
    found = _listed(text, names) if names else []
    found += _latin(text, prose)
    if _HAN.search(text):
        found += _tagged(text, words)
    kept: list[Name] = []
    long: list[Name] = []
    taken = bytearray(len(text))  # one flag per character: linear, where comparing spans pairwise is not
    # The longest name claims its span first (Google Play over a listed Google); ties by origin order.
    found.sort(key=lambda n: n.start - n.end)
    for name in found:
        if len(name.text) > MAX_NAME_CHARS:
            long.append(name)
            continue
        if taken.find(1, name.start, name.end) < 0:
            kept.append(name)
            taken[name.start:name.end] = b"\x01" * (name.end - name.start)
    kept.sort(key=_start)
    long.sort(key=_start)
    if text is original:  # no full-width letters: the spans' texts are the caller's already
        return kept, long
    return ([Name(original[n.start:n.end], n.start, n.end, n.origin, n.forms) for n in kept],
            [Name(original[n.start:n.end], n.start, n.end, n.origin, n.forms) for n in long])


def _start(name: Name) -> int:
    return name.start


def latin_at_edges(haystack: str, needle: str, start: int = 0) -> int:
    """Index of ``needle`` in ``haystack`` where no Latin letter or digit touches it on either side, else -1.

    A Han character, punctuation or a hyphen is an edge: Google is in 谷歌Google商店 and in
    Google-Play, not in GooglePlay; Alpaca is not in Alpaca7B (a versioned name is compared whole),
    nor Llama 3 in Llama 3.1 (v6).
    """
    index = haystack.find(needle, start)
    while index >= 0:
        before = haystack[index - 1] if index else " "
        end = index + len(needle)
        after = haystack[end] if end < len(haystack) else " "
        # A version goes on past a point and a digit: Llama 3 is not in Llama 3.1 (v6)
        decimal = after == "." and needle[-1:].isdigit() and haystack[end + 1:end + 2].isdigit()
        if not _is_word_char(before) and not _is_word_char(after) and not decimal:
            return index
        index = haystack.find(needle, index + 1)
    return -1


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _listed(text: str, names: NamesList) -> list[Name]:
    folded = text.casefold() if len(text.casefold()) == len(text) else text
    found: list[Name] = []
    for forms in names.entries:
        for form in forms:
            needle = form.casefold() if folded is not text else form
            latin = bool(_LATIN_LETTER.search(form)) or any("0" <= c <= "9" for c in form)  # 360 not in 3600 (v5)
            index = latin_at_edges(folded, needle) if latin else folded.find(needle)
            while index >= 0:
                found.append(Name(text[index:index + len(form)], index, index + len(form), "list", forms))
                nxt = index + max(1, len(needle))
                index = latin_at_edges(folded, needle, nxt) if latin else folded.find(needle, nxt)
    found.sort(key=lambda n: (n.start, -(n.end - n.start)))
    return found


class _Version(NamedTuple):
    """A version in a run of Latin words (Llama 3, `units.version_end`), read as `_close` reads a token."""

    at: int
    to: int
    text: str

    def start(self) -> int:
        return self.at

    def end(self) -> int:
        return self.to

    def group(self) -> str:
        return self.text


def _latin(text: str, prose: bool) -> list[Name]:
    runs = list(_LATIN_RUN.finditer(text))
    if not runs:
        return []
    found: list[Name] = []
    group: list[re.Match[str] | _Version] = []
    version = -1  # where the version after the last run ended: the next run one space on continues its name
    for run in runs:
        if not (version >= 0 and run.start() == version + 1):
            found += _close(text, group, prose)
            group = []
        for token in _TOKEN.finditer(text, run.start(), run.end()):
            word = token.group()
            if word.lower() in _TITLES:  # Meta CEO Sam Altman: the title parts names (v6: one name, unsupported)
                employer = not (len(group) == 1 and group[0].group().lower() in _NOT_EMPLOYERS)  # not "The CEO"
                found += _close(text, group, prose and not employer) + _close(text, [token], prose)
                group = []
                continue
            if (len(word) > 1 and word.lower() not in _UNIT_WORDS and (not prose or _looks_named(word))
                    and not (word.lower() in _DOLLARS and text.startswith("$", token.end()))):
                group.append(token)
                continue
            found += _close(text, group, prose)
            group = []
        version = version_end(text, run.end()) if group and group[-1].end() == run.end() else -1
        if version >= 0:  # Llama 3, Claude 3.5 Sonnet: the version is part of the name (v5)
            group.append(_Version(run.end() + 1, version, text[run.end() + 1:version]))
    found += _close(text, group, prose)
    return found


def mostly_latin(text: str) -> bool:
    """Prose (`is_prose`) by the counts of `widen`ed text."""
    return is_prose(*latin_and_han(text))


def is_prose(letters: int, han: int) -> bool:
    """Prose when Latin letters outnumber Han characters three to one ("Orion用了3000万元" is Chinese)."""
    return letters > 3 * han


def latin_and_han(text: str) -> tuple[int, int]:
    """ASCII letters (counted on the UTF-8 bytes) and Han characters (what is left once the runs of others go) of `text`."""
    data = text.encode("utf-8", "surrogatepass")
    letters = len(data) - len(data.translate(None, _ASCII_LETTERS))
    return letters, len(_NOT_HAN.sub("", text))  # (a regex of the Han characters took 2.5 times as long)


def _looks_named(word: str) -> bool:
    return any(c.isupper() or c.isdigit() for c in word)


def _close(text: str, group: list[re.Match[str] | _Version], prose: bool) -> list[Name]:
    if prose and group:
        first = group[0].group()
        opener = text[:group[0].start()].rstrip(" ")[-1:]
        plain = first[0].isupper() and first[1:].islower() and not _HAN.match(text, group[0].end())  # Amazon投资了
        if plain and (opener == "" or opener in _SENTENCE_OPENERS) and (len(group) == 1 or first.lower() in _FUNCTION_WORDS):
            group = group[1:]
    if not group:
        return []
    start, end = group[0].start(), group[-1].end()
    return [Name(text[start:end], start, end, "latin")]


@lru_cache(maxsize=1)
def _name_words() -> frozenset[str]:
    """The name pieces of jieba's dictionary (its dict.txt, lines of word, frequency, tag): words
    tagged nr, ns, nt, nz, nrt or nrfg, with a Han character and no Latin letter (a mixed word such
    as X光 is read by the Latin rules). Picked once (`_pick_name_words`) and kept in the harness
    cache folder, whose file a run reads in about a tenth of the time (tokenizers.dictionary_words),
    under a digest of this module: a changed rule picks them again."""
    from harness.text.tokenizers import dictionary_words

    rule = hashlib.sha256(Path(__file__).read_bytes()).digest()
    return dictionary_words("names", "facts' name pieces file", rule, _pick_name_words)


def _pick_name_words(dictionary: bytes) -> list[str]:
    """`_name_words` from dict.txt's bytes, with one regex scan of its text (about a third of the
    time of splitting its 349,000 lines in Python)."""
    tagged = re.findall(rf"^(\S+) \S+ (?:{'|'.join(sorted(NAME_TAGS))})\r?$", dictionary.decode("utf-8"), re.MULTILINE)
    return [word for word in tagged if _HAN.search(word) and not _LATIN_LETTER.search(word)]


@lru_cache(maxsize=1)
def _known() -> dict[str, int]:
    """jieba's dictionary as its tokenizer holds it (word -> frequency; prefixes of words at 0): a
    word is in the dictionary when its frequency is not 0 (no line of dict.txt has 0). The
    tokenizer without a user dictionary, which `--unit word` scores with: loaded already when
    summaries are read, where building a set of the dictionary's words took 0.2 s a process."""
    from harness.text.tokenizers import plain_jieba

    return plain_jieba().FREQ  # type: ignore[no-any-return]


def preload_names() -> None:
    """Read jieba's dictionary (its tokenizer and name words) and its part-of-speech model now (all
    are read once a process)."""
    _known()
    _name_words()
    for table in ("prob_start", "prob_trans", "prob_emit"):
        pos_table(table)


@lru_cache(maxsize=1 << 16)
def _unknown_name(word: str) -> bool:
    """Whether a word jieba's dictionary lacks (found by the HMM) is a name piece: two or more
    characters, a Han character, no Latin letter, and jieba's own part-of-speech model scores a
    name tag above any other (UNKNOWN_MARGIN: 谷歌 0.2, 英伟达 7.0).

    jieba.posseg tags dictionary words the same way and runs a part-of-speech Viterbi over the
    unknown ones: about 50 times slower (measured: 93,000 characters of summaries, 0.03 s here
    against 1.6 s), which made the check cost minutes on a 10 x 1,000 corpus."""
    return (len(word) >= 2 and _HAN.search(word) is not None and _LATIN_LETTER.search(word) is None
            and name_margin_at_least(word, UNKNOWN_MARGIN))


# What the names rules made of the words met so far in this process (`_word_class`): a sentence's
# words less the known non-names is one set operation on a set of some thousands, where looking each
# up in jieba's dictionary (600,000 keys) missed the processor's caches (0.2 s of a cold 10 x 1,000 run).
_NOT_NAMES: set[str] = set()
_NAME_PIECES: dict[str, bool] = {}
_MAX_WORDS = 1 << 18  # both emptied when this many: a corpus's vocabulary fits many times over
_NO_NAME, _PIECE, _ALONE = 0, 1, 2


def _word_class(word: str) -> int:
    """_ALONE for a name piece that is a name on its own (`_is_name`), _PIECE for one that is a name
    only merged with its neighbours, _NO_NAME for any other word. A name piece is a word of jieba's
    dictionary tagged as a name (`_name_words`), or a word it lacks that `_unknown_name` takes."""
    if word in _name_words() or (not _known().get(word) and _unknown_name(word)):
        return _ALONE if _is_name(word) else _PIECE
    return _NO_NAME


def _tagged(text: str, words: Sequence[str] | None = None) -> list[Name]:
    """Name pieces among jieba's words of `text` (as scoring cuts them, HMM on; `words` when known),
    merged where adjacent. Most words are no name: the words known to be no name are taken away
    with one set operation (`_NOT_NAMES`), and only the name pieces are located in the text (locating
    every word took a third of the check's time)."""
    cut = words
    if cut is None:
        from harness.text.tokenizers import plain_jieba  # only without scoring's words (an import statement costs a call)

        cut = list(plain_jieba().cut(text))
    if len(_NOT_NAMES) + len(_NAME_PIECES) >= _MAX_WORDS:
        _NOT_NAMES.clear()
        _NAME_PIECES.clear()
    named: dict[str, bool] = {}  # the name pieces among the words: whether each is a name alone
    for word in set(cut).difference(_NOT_NAMES):
        alone = _NAME_PIECES.get(word)
        if alone is None:
            found = _word_class(word)
            if found == _NO_NAME:
                _NOT_NAMES.add(word)
                continue
            alone = _NAME_PIECES[word] = found == _ALONE
        named[word] = alone
    if not named:
        return []
    pieces: list[tuple[int, int, bool]] = []  # start, end, whether the piece is a name on its own
    pos = 0
    apart = True  # a word that is not a name came since the last name piece
    previous = -1
    for index in [i for i, word in enumerate(cut) if word in named]:
        # A joiner between name pieces (詹姆斯·阿尔图彻) keeps them together; any other word parts them.
        apart = apart or any(cut[k].strip() not in _JOINERS for k in range(previous + 1, index))
        previous = index
        word = cut[index]
        start = text.find(word, pos)
        if start < 0:
            continue
        pos = start + len(word)
        if word[0] in "亿万千百" and start and text[start - 1] in _NUMERALS:
            apart = True  # 3亿人: the magnitude and unit of a number, no name (v6)
            continue
        alone = named[word]
        joined, apart = not apart, False
        if pieces and joined and (pieces[-1][1] == start or (pieces[-1][1] == start - 1 and text[start - 1] in _JOINERS)):
            # 蔡 + 崇信, 伦敦 + 金融城, 詹姆斯·阿尔图彻 are one name; 欧洲议会 + 英国 (both names alone) are two.
            # 华为 + 余承东: a name on its own after a word of two characters or more stays apart (v6).
            if not (alone and (pieces[-1][2] or pieces[-1][1] - pieces[-1][0] > 1)) or text[start - 1] in _JOINERS:
                pieces[-1] = (pieces[-1][0], pos, True)
                continue
        pieces.append((start, pos, alone))
    return [Name(text[s:e], s, e, "tagger") for s, e in (_unglued(text, s, e) for s, e, alone in pieces
                                                          if alone or _is_name(text[s:e]))]


# Function characters jieba's HMM glues to an unknown name (由王小川, 张三说, 赵六去): taken off such a
# word of three characters or more (v6). A name shortened so is still in any text its whole form is in.
# The character before also off a dictionary word (由李强 2) whose rest is a more frequent name (李强 159;
# v8), not 对 (对二甲苯, para-) nor the one after (北海道, 东京都 are names): docs/facts.md.
_GLUED_BEFORE = frozenset("由被让把对从在和与及跟给据将")
_GLUED_BEFORE_WORD = _GLUED_BEFORE - {"对"}
_GLUED_AFTER = frozenset("说称在去的与及等是也都将就还又已则把被对向让给跟道问答讲到了着过")  # not 来, 和: 张国来


def _unglued(text: str, start: int, end: int) -> tuple[int, int]:
    if end - start < 3:
        return start, end
    known = _known().get(text[start:end])
    if known:  # a dictionary word: the character before only off one whose rest is a more frequent name
        rest = text[start + 1:end]
        glued = text[start] in _GLUED_BEFORE_WORD and _known().get(rest, 0) > known and rest in _name_words() and _is_name(rest)
        return start + glued, end
    start += text[start] in _GLUED_BEFORE
    return start, end - (end - start >= 3 and text[end - 1] in _GLUED_AFTER)


def _is_name(word: str) -> bool:
    if len(word) < 2:
        return False
    # The whole margin, remembered (name_margin's cache): its few words recur (28 distinct in 4,529 calls on
    # 3,000 summaries of the benchmark's set), where `_unknown_name` meets each once and refuses from a few tags.
    return not _known().get(word) or name_margin(word) >= NAME_MARGIN
