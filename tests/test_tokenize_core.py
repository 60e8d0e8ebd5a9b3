"""Tokens, normalisation and sentence splitting on tiny Chinese cases with exact expected lists.

Every expected token list below was worked out by reading the text and checked
against jieba 0.42.1 itself (`jieba.Tokenizer().cut(text, HMM=True)`, the `ind_jieba`
fixture) with punctuation and whitespace tokens removed by hand; each word-unit
case re-runs that independent jieba call so the literal list cannot drift from it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.errors import InputError
from harness.files import decode
from harness.inputs.corpus import Corpus
from harness.run.pipeline import Settings, evaluate
from harness.text.analysed import TextProcessor
from harness.text.normalize import CLOSERS, normalize, split_sentences
from harness.text.tokenizers import JiebaTokenizer, _load_jieba, cache_dir, is_scorable, make_tokenizer

REPO = Path(__file__).resolve().parents[1]


def word(text: str) -> list[str]:
    return make_tokenizer("word").tokenize(normalize(text))


def char(text: str) -> list[str]:
    return make_tokenizer("char").tokenize(normalize(text))


# (text, expected word tokens). Raw jieba output is given in each comment; the
# expected list is that output lower-cased with punctuation tokens removed.
WORD_CASES = [
    # jieba: 我/爱/北京/天安门 (the example from jieba's README)
    ("我爱北京天安门", ["我", "爱", "北京", "天安门"]),
    # jieba: 谷歌/泄露/的/内部/文件/承认/，/它/和/OpenAI/均/无/“/护城河/”/。 -> drop ， “ ” 。, lower OpenAI
    (
        "谷歌泄露的内部文件承认，它和OpenAI均无“护城河”。",
        ["谷歌", "泄露", "的", "内部", "文件", "承认", "它", "和", "openai", "均", "无", "护城河"],
    ),
    # jieba: 开源/模型/已能/匹敌/gpt/-/3.5/。 -> '-' and '。' dropped; '.' is inside jieba's
    # alphanumeric block class, so the decimal 3.5 stays one token
    ("开源模型已能匹敌GPT-3.5。", ["开源", "模型", "已能", "匹敌", "gpt", "3.5"]),
    # jieba: alpaca/训练/仅用/52k/数据/、/600/美元 -> '、' dropped
    ("Alpaca训练仅用52k数据、600美元", ["alpaca", "训练", "仅用", "52k", "数据", "600", "美元"]),
    # jieba: 大厂/离不开/烧钱/的/大/模型/研究 (no punctuation)
    ("大厂离不开烧钱的大模型研究", ["大厂", "离不开", "烧钱", "的", "大", "模型", "研究"]),
    # jieba: 中文/ /english/ /混合 -> the two ' ' tokens dropped
    ("中文 English 混合", ["中文", "english", "混合"]),
]

# (text, expected char tokens): one token per Han character, a run of Latin
# letters/digits is one token, punctuation ('-', '.', '、', quotes) is dropped.
CHAR_CASES = [
    ("我爱北京天安门", ["我", "爱", "北", "京", "天", "安", "门"]),
    ("谷歌和OpenAI都没有“护城河”。", ["谷", "歌", "和", "openai", "都", "没", "有", "护", "城", "河"]),
    (
        "Alpaca训练仅用52k数据、600美元",
        ["alpaca", "训", "练", "仅", "用", "52k", "数", "据", "600", "美", "元"],
    ),
    # '-' and '.' are single punctuation tokens, so in the char unit 3.5 becomes 3 and 5
    # the '-' is punctuation; the '.' inside 3.5 keeps the number whole, as jieba does
    ("GPT-3.5", ["gpt", "3.5"]),
]


@pytest.mark.parametrize(("text", "expected"), WORD_CASES)
def test_word_unit_exact_tokens(text, expected, ind):
    assert word(text) == expected
    # independent: plain jieba on the normalised text, noise tokens filtered by the fixture
    assert ind.word(ind.normalize(text)) == expected


@pytest.mark.parametrize(("text", "expected"), CHAR_CASES)
def test_char_unit_exact_tokens(text, expected, ind):
    assert char(text) == expected
    # independent: the char-by-char scanner in conftest
    assert ind.char(ind.normalize(text)) == expected


def test_hmm_switch_changes_unknown_words(ind_jieba):
    # jieba without HMM leaves 谷歌 (not in its dictionary as one word) as two single
    # characters; with HMM the unknown-word model joins them.
    text = "谷歌没有护城河"
    assert make_tokenizer("word", hmm=True).tokenize(text) == ["谷歌", "没有", "护城河"]
    assert make_tokenizer("word", hmm=False).tokenize(text) == ["谷", "歌", "没有", "护城河"]
    assert list(ind_jieba.cut(text, HMM=False)) == ["谷", "歌", "没有", "护城河"]
    assert make_tokenizer("word", hmm=False).signature()["hmm"] == "no"
    assert make_tokenizer("word").signature()["hmm"] == "yes"


@pytest.mark.parametrize("unit", ["word", "char"])
def test_punctuation_and_whitespace_only_gives_no_tokens(unit):
    # Every mark here is Unicode punctuation (P*) or whitespace after NFKC, so nothing survives.
    text = "，。！？；：、“”‘’（）《》【】——……·「」『』 \t\u3000\n"
    assert make_tokenizer(unit).tokenize(normalize(text)) == []


@pytest.mark.parametrize("unit", ["word", "char"])
def test_punctuation_between_words_is_dropped(unit):
    # 好 and 的 are single-character words in jieba too, so both units agree.
    assert make_tokenizer(unit).tokenize(normalize("好，\t 的。")) == ["好", "的"]


@pytest.mark.parametrize(
    ("token", "expected"),
    [("，", False), ("。”", False), (" ", False), ("\u200b", False), ("3.5", True), ("a", True), ("好", True)],
)
def test_is_scorable(token, expected):
    # Unicode categories: ，。” Po/Pf, ' ' Zs, U+200B Cf -> noise; digits, letters, Han -> kept.
    assert is_scorable(token) is expected


def test_nfkc_full_width_equals_ascii():
    # NFKC maps Ｇ Ｐ Ｔ － ３ ． ５ (U+FF27.. U+FF0D, U+FF13, U+FF0E, U+FF15) to G P T - 3 . 5.
    assert normalize("ＧＰＴ－３．５") == "gpt-3.5"
    assert word("ＧＰＴ－３．５") == word("GPT-3.5") == ["gpt", "3.5"]
    assert char("ＧＰＴ－３．５") == char("GPT-3.5") == ["gpt", "3.5"]


def test_lower_case():
    assert word("OpenAI和Meta") == word("openai和meta") == ["openai", "和", "meta"]


def test_crlf_and_cr_become_lf():
    assert normalize("一\r\n二\r三\n四") == "一\n二\n三\n四"
    proc = TextProcessor(make_tokenizer("word"))
    lf = "我爱北京。\n天安门很大\n"
    assert proc.sentences(lf.replace("\n", "\r\n")) == proc.sentences(lf.replace("\n", "\r")) == proc.sentences(lf)
    assert proc.sentences(lf) == [["我", "爱", "北京"], ["天安门", "很大"]]


def test_bom_removed_by_decode_and_harmless_in_text():
    data = b"\xef\xbb\xbf" + "你好，世界".encode()
    assert decode(data, "x.txt") == "你好，世界"
    # A BOM that survives into the text (U+FEFF, category Cf, invisible) is removed:
    # same tokens as without it.
    assert normalize("\ufeff你好") == "你好"
    assert TextProcessor(make_tokenizer("word")).sentences("\ufeff你好，世界") == [["你好", "世界"]]


def test_control_and_format_characters_become_spaces():
    # BEL (Cc) and NUL (Cc) -> ' ' (then removed, being between Han characters); ZERO WIDTH
    # SPACE (Cf, invisible) is removed, so it cannot split a word; tab and newline are kept.
    assert normalize("你好\x07世界\x00啊\u200b") == "你好世界啊"
    assert normalize("ab\x07cd") == "ab cd"
    assert normalize("开\u200b源") == "开源"
    assert normalize("a\tb\nc") == "a\tb\nc"
    # jieba on 你好世界啊 (checked directly): 你好/世界/啊
    assert word("你好\x07世界\x00啊\u200b") == ["你好", "世界", "啊"]


def test_spaces_between_han_characters_are_removed():
    # "缺乏护城 河" would be cut 护城/河 by jieba; the space carries no meaning in Chinese.
    assert normalize("缺乏护城 河") == normalize("缺乏护城\u3000\t河") == "缺乏护城河"
    assert word("缺乏护城 河") == word("缺乏护城河")
    # Kept where it separates Latin words, and line breaks are kept (they end sentences).
    assert normalize("open ai 模型") == "open ai 模型"
    assert normalize("模型\n开源") == "模型\n开源"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今天天气很好！我们去公园吧？", ["今天天气很好!", "我们去公园吧?"]),  # ！？ -> !? by NFKC
        ("甲；乙;丙", ["甲;", "乙;", "丙"]),  # full-width and ASCII semicolon
        ("真的吗?!是的", ["真的吗?!", "是的"]),  # a run of enders stays together
        ("等等……然后", ["等等......", "然后"]),  # …… -> ...... by NFKC, an ellipsis ends a sentence
        ("等等...然后", ["等等...", "然后"]),
        ("等等⋯⋯然后", ["等等......", "然后"]),  # midline ⋯ (U+22EF) is mapped to … first, then as above
        ("一\n二\r\n三\r四", ["一", "二", "三", "四"]),  # every line break
        ("他说：“好。”然后走了", ["他说:“好。”", "然后走了"]),  # closing quote stays with its sentence
        ("他问：「去吗？」我说：『去。』", ["他问:「去吗?」", "我说:『去。』"]),
        ("（注：好。）然后", ["(注:好。)", "然后"]),
        ("第1.5版很好。gpt-3.5不错", ["第1.5版很好。", "gpt-3.5不错"]),  # decimals and names not split
        ("ＧＰＴ－３．５发布了", ["gpt-3.5发布了"]),
        ("x.com很好. 然后", ["x.com很好.", "然后"]),  # '.' before a letter is not an end; before a space it is
        ("It works. Then GPT-3.5 came.", ["it works.", "then gpt-3.5 came."]),
        ("好。\n\n  \n然后", ["好。", "然后"]),  # empty lines dropped
        ("", []),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(normalize(text)) == expected


def test_text_processor_sentences():
    proc = TextProcessor(make_tokenizer("word"))
    # split as above, then jieba: 他/说/:/“/好/。/” and 然后/走/了
    assert proc.sentences("他说：“好。”然后走了") == [["他", "说", "好"], ["然后", "走", "了"]]
    # sentences left without tokens ('。。', '，，') are dropped
    assert proc.sentences("好。。。\n，，\n然后") == [["好"], ["然后"]]
    by_char = TextProcessor(make_tokenizer("char"))
    assert by_char.sentences("他说：“好。”然后走了") == [["他", "说", "好"], ["然", "后", "走", "了"]]


def test_words_of_pieces_cut_at_sentence_marks_come_from_the_memo(ind, ind_jieba):
    # Pieces cut after 。！？ ("他说：“……更快。", "”实际上……") are no sentences of scoring's, which keep the
    # closing marks after 。 (`TextProcessor.words`). Checked against plain jieba 0.42.1 (ind.word) of each
    # piece itself, and that the memo did not grow (the pieces were not cut again).
    proc = TextProcessor(make_tokenizer("word"))
    text = "他说：“开源模型更快。”实际上谷歌早就知道！」斯坦福的Alpaca只花了600美元。』52k条指令？"
    assert proc.split(text) == ["他说:“开源模型更快。”", "实际上谷歌早就知道!」", "斯坦福的alpaca只花了600美元。』", "52k条指令?"]
    proc.sentences(text)
    size = len(proc._memo)
    for piece in ["他说：“开源模型更快。", "”实际上谷歌早就知道！", "」斯坦福的Alpaca只花了600美元。", "』52k条指令？"]:
        assert proc.words(piece) == ind.word(ind.normalize(piece))
    assert len(proc._memo) == size
    # The same with jieba's HMM off (its dictionary's words only).
    plain = TextProcessor(make_tokenizer("word", hmm=False))
    plain.sentences(text)
    size = len(plain._memo)
    for piece in ["他说：“开源模型更快。", "”实际上谷歌早就知道！", "」斯坦福的Alpaca只花了600美元。"]:
        cut = ind_jieba.cut(ind.normalize(piece), cut_all=False, HMM=False)
        assert plain.words(piece) == [t for t in cut if not ind.is_noise(t)]
    assert len(plain._memo) == size
    # Every closing mark before every third sentence of the shipped article, the sentence in the memo;
    # every one after it in the memo, the sentence asked for: the same words as jieba's cut (the mark is a
    # token of its own, dropped as punctuation), and no sentence cut again.
    sentences = proc.split((REPO / "sources" / "ai-open-source.txt").read_text("utf-8"))[::3]
    proc.sentences("\n".join(sentences))
    size = len(proc._memo)
    for closer in CLOSERS:
        marked = TextProcessor(make_tokenizer("word"))
        marked.sentences("\n".join(sentence + closer for sentence in sentences))
        kept = len(marked._memo)
        for sentence in sentences:
            assert proc.words(closer + sentence) == ind.word(closer + sentence), (closer, sentence)
            assert marked.words(sentence) == ind.word(sentence), (closer, sentence)
        assert len(marked._memo) == kept
    assert len(proc._memo) == size
    # Only closing marks, two more at the end, a rest the memo lacks: cut as they are.
    assert proc.words("”」") == []
    assert proc.words("52k条指令?」』") == ind.word("52k条指令?」』") and len(proc._memo) == size + 2
    assert proc.words("”从未见过的句子") == ind.word("”从未见过的句子") and len(proc._memo) == size + 3


def test_private_jieba_does_not_use_shared_tmp_cache():
    tok = _load_jieba((), "none")
    pyver = f"py{sys.version_info[0]}{sys.version_info[1]}"
    assert tok.cache_file == f"jieba-0.42.1-{pyver}.cache"  # not jieba's default 'jieba.cache'
    assert tok.tmp_dir is not None  # None would make jieba fall back to the system temp folder
    assert os.path.isfile(os.path.join(tok.tmp_dir, tok.cache_file))


def _run_tokenize(env_updates: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **env_updates)
    code = (
        "from harness.text.tokenizers import make_tokenizer\n"
        "print(' '.join(make_tokenizer('word').tokenize('我爱北京天安门')))\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO, timeout=120)


def test_harness_cache_dir_is_honoured_and_silent(tmp_path):
    cache = tmp_path / "cache"  # does not exist yet: the harness creates it
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    done = _run_tokenize({"HARNESS_CACHE_DIR": str(cache), "TMPDIR": str(tmp)})
    assert done.returncode == 0, done.stderr
    assert done.stdout == "我 爱 北京 天安门\n"
    assert done.stderr == ""  # jieba's "Building prefix dict ..." lines are silenced
    pyver = f"py{sys.version_info[0]}{sys.version_info[1]}"
    assert [p.name for p in cache.iterdir()] == [f"jieba-0.42.1-{pyver}.cache"]
    assert list(tmp.iterdir()) == []  # nothing written to the system temp folder


def test_cache_dir_function_reads_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x"
    monkeypatch.delenv("HARNESS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "harness"


# HARNESS_CACHE_DIR below a regular file cannot be created. _load_jieba then sets
# tmp_dir = None "so jieba's own attempt fails quietly" (its comment) - but jieba reads
# None as "use tempfile.gettempdir()", the shared temp folder the private instance exists
# to avoid: it writes its cache there and loads whatever file of that name it finds.


def _unusable_cache_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    return {"HARNESS_CACHE_DIR": str(blocker / "sub"), "TMPDIR": str(tmp)}, tmp


def test_unusable_cache_dir_writes_nothing_into_shared_temp(tmp_path):
    env, tmp = _unusable_cache_env(tmp_path)
    done = _run_tokenize(env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "我 爱 北京 天安门\n"
    assert done.stderr == ""
    # a private folder made inside it (mkdtemp) would be fine; a cache file right in it is not
    assert [p.name for p in tmp.iterdir() if p.is_file()] == []


def test_unusable_cache_dir_ignores_a_cache_planted_in_shared_temp(tmp_path):
    import marshal

    env, tmp = _unusable_cache_env(tmp_path)
    # A forged prefix dictionary whose only word is 我爱北京天安门 (its prefixes at 0, as
    # jieba's gen_pfdict stores them): loaded, it would make the sentence one token.
    word = "我爱北京天安门"
    freq = {word[: i + 1]: 0 for i in range(len(word))}
    freq[word] = 100
    pyver = f"py{sys.version_info[0]}{sys.version_info[1]}"
    with open(tmp / f"jieba-0.42.1-{pyver}.cache", "wb") as handle:
        marshal.dump((freq, 100), handle)
    done = _run_tokenize(env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "我 爱 北京 天安门\n"  # jieba's real dictionary, as with a usable cache folder


USER_DICT = "羊驼家族 10 n\n"


def test_user_dictionary_changes_segmentation(tmp_path, ind_jieba, plain_jieba):
    import logging

    path = tmp_path / "user.dict"
    path.write_text(USER_DICT, encoding="utf-8")
    text = "“羊驼家族”登场"
    # jieba's own dictionary splits 羊驼/家族; with the user word 羊驼家族 the route
    # through the whole word wins. Both checked on plain jieba instances.
    assert [t for t in ind_jieba.cut(text, HMM=True) if t not in "“”"] == ["羊驼", "家族", "登场"]
    plain = plain_jieba()  # a fresh instance, its cache in the fixture's temp folder
    logging.getLogger("jieba").disabled = True
    try:
        plain.load_userdict(str(path))
    finally:
        logging.getLogger("jieba").disabled = False
    assert [t for t in plain.cut(text, HMM=True) if t not in "“”"] == ["羊驼家族", "登场"]

    assert make_tokenizer("word", user_dict=path).tokenize(text) == ["羊驼家族", "登场"]
    # the default tokenizer is a separate jieba instance and is not changed by it
    assert make_tokenizer("word").tokenize(text) == ["羊驼", "家族", "登场"]


def test_user_dictionary_changes_signature(tmp_path):
    path = tmp_path / "user.dict"
    path.write_text(USER_DICT, encoding="utf-8")
    expected = hashlib.sha256(USER_DICT.encode("utf-8")).hexdigest()[:12]  # computed here, not by harness
    assert JiebaTokenizer(user_dict=path).signature()["dict"] == expected
    assert JiebaTokenizer().signature()["dict"] == "none"

    corpus = Corpus(references={"d": {"r": "羊驼家族登场"}}, candidates={"s": {"d": "羊驼家族来了"}})
    with_dict = evaluate(corpus, Settings(user_dict=path)).signature
    without = evaluate(corpus, Settings()).signature
    assert f"|dict:{expected}|" in with_dict
    assert "|dict:none|" in without

    other = tmp_path / "other.dict"
    other.write_text("羊驼家族 20 n\n", encoding="utf-8")
    other_hash = hashlib.sha256("羊驼家族 20 n\n".encode()).hexdigest()[:12]
    assert JiebaTokenizer(user_dict=other).signature()["dict"] == other_hash != expected


def test_user_dictionary_errors(tmp_path):
    with pytest.raises(InputError, match="cannot read user dictionary"):
        JiebaTokenizer(user_dict=tmp_path / "missing.dict")
    bad = tmp_path / "bad.dict"
    bad.write_bytes(b"ok 1\n\xff\n")
    with pytest.raises(InputError, match=r"not valid UTF-8 \(byte offset 5\)"):  # b"ok 1\n" is 5 bytes
        JiebaTokenizer(user_dict=bad)


def test_unknown_unit_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"unknown unit 'chars'; choose one of: word, char"):
        make_tokenizer("chars")
    with pytest.raises(InputError, match="only applies to --unit word"):
        make_tokenizer("char", user_dict=tmp_path / "u.dict")
    corpus = Corpus(references={"d": {"r": "好"}}, candidates={"s": {"d": "好"}})
    with pytest.raises(InputError, match="unknown unit"):
        evaluate(corpus, Settings(unit="bpe"))


def test_fast_dictionary_load_equals_jiebas_own_initialize(plain_jieba, tmp_path):
    # The harness writes its own cache file (a header with digests, then marshal of (FREQ, total))
    # and reads it with marshal.loads on the bytes; the independent side is a plain jieba
    # instance that ran initialize() itself.
    import jieba

    from harness.text.tokenizers import _dictionary, _load_dictionary_cache, _write_dictionary_cache

    reference = plain_jieba()
    source = _dictionary()[1]
    path = tmp_path / "jieba-test.cache"
    _write_dictionary_cache(path, source, reference.FREQ, reference.total)
    found = _load_dictionary_cache(path, source)
    assert not isinstance(found, str)
    fast = jieba.Tokenizer()
    fast.FREQ, fast.total = found
    fast.initialized = True
    assert fast.FREQ == reference.FREQ and fast.total == reference.total
    article = (Path(__file__).resolve().parents[1] / "sources" / "ai-open-source.txt").read_text(encoding="utf-8")
    for hmm in (True, False):
        assert list(fast.cut(article, HMM=hmm)) == list(reference.cut(article, HMM=hmm))
    broken = tmp_path / "broken.cache"
    broken.write_bytes(b"\x00not marshal data")
    assert _load_dictionary_cache(broken, source) == "not a harness dictionary cache (no header)"
    assert _load_dictionary_cache(tmp_path / "absent.cache", source) == ""
