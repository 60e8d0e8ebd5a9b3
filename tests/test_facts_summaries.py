"""The pipeline checks a document's summaries piece by piece (harness.analyses.facts.summaries): its
result must be the one `check_extracted` gives for the summary extracted whole, byte for byte (the
oracle is that other implementation), and the statuses of a summary written for the test are
checked by hand."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from harness.analyses.facts.bounds import MAX_NAME_CHARS
from harness.analyses.facts.check import check_extracted, on_topic
from harness.analyses.facts.extraction import PieceMemo, extract
from harness.analyses.facts.names_list import parse_names
from harness.analyses.facts.summaries import Descriptions, check_summary

SOURCE = ("OpenAI在2022年花了约5.4亿美元，收入只有2800万美元。斯坦福的Alpaca用了52k条指令，成本约600美元！"
          "谷歌和OpenAI都没有护城河？Meta泄露了LLaMA。\n比特币一度涨到3万美元。")
OFFTOPIC = "比特币一度涨到3万美元。"
REFERENCES = ("OpenAI在2022年花了5.4亿美元。Alpaca只用了600美元。", "谷歌没有护城河，开源模型很便宜。")


class _Evidence:
    """One document's evidence, extracted as the pipeline extracts it (figures only for the source
    and the off-topic text), with the memos a document keeps."""

    def __init__(self, names=None, source=SOURCE, offtopic=OFFTOPIC, references=REFERENCES):
        self.names = names
        self.readings: PieceMemo = {}
        self.described: Descriptions = {}
        self.fast_memo: dict = {}
        self.whole_memo: dict = {}
        self.source = extract(on_topic(source, offtopic), names=names, find=False, memo=self.readings)
        self.offtopic = extract(offtopic, names=names, find=False, memo=self.readings) if offtopic else None
        self.references = tuple(extract(r, names=names, memo=self.readings) for r in references)

    def by_pieces(self, text):
        return check_summary(text, names=self.names, cut=None, readings=self.readings, source=self.source,
                             offtopic=self.offtopic, references=self.references, memo=self.fast_memo,
                             described=self.described)

    def whole(self, text):
        return check_extracted(extract(text, names=self.names, memo=self.readings), source=self.source,
                               offtopic=self.offtopic, references=self.references, memo=self.whole_memo).kept()


def _same(fast, slow):
    assert fast is not None
    assert fast.to_bytes() == slow.to_bytes()
    assert fast.fragment == slow.fragment
    assert (fast.tally, fast.recall, fast.precision, fast.made_up, fast.skipped) == (
        slow.tally, slow.recall, slow.precision, slow.made_up, slow.skipped)
    assert fast.rows == slow.rows


# Summaries written for this test: figures and names repeated in later pieces (counted once, at
# their first place), wrong and off-topic figures, a piece without a mark at the end, marks in
# runs, full-width letters, a mostly-English summary (its capitalised sentence openers are no
# names), pieces shared between summaries (the second summary reads them from the memo), and one
# value in three units.
WRITTEN = [
    "OpenAI花了54亿美元。比特币涨到3万美元！OpenAI收入2800万美元。",
    "OpenAI收入2800万美元。OpenAI花了54亿美元。Alpaca用了52k条指令？？约600美元",
    "谷歌和ＯｐｅｎＡＩ没有护城河。。。斯坦福的Alpaca花了6000美元。",
    "OpenAI spent 540 million dollars in 2022. After Meta leaked LLaMA, Alpaca cost 600 dollars.",
    "没有数字，也没有名字。",
    "",
    "2022年。2022年。2023年。",
    "成本约600美元。也有人说是600元！还有说是600个的。",  # one value in three units: three items, each checked on its own
]


def test_the_summaries_written_for_it_give_the_whole_checks_result():
    evidence = _Evidence()
    for _ in range(2):  # the second round answers every piece from the document's memo
        for text in WRITTEN:
            _same(evidence.by_pieces(text), evidence.whole(text))


def test_memos_emptied_while_summaries_are_read_change_nothing(monkeypatch):
    # Memos of two pieces: emptied again and again inside one summary (each piece is read, described
    # and checked anew); a summary that repeats a figure or name still counts it once.
    from harness.analyses.facts import extraction, summaries

    monkeypatch.setattr(extraction, "MEMO_PIECES", 2)
    monkeypatch.setattr(summaries, "MEMO_PIECES", 2)
    evidence = _Evidence()
    for text in [*WRITTEN, "OpenAI花了54亿美元。它花了7亿元，OpenAI又花了54亿美元。OpenAI花了54亿美元。"]:
        _same(evidence.by_pieces(text), evidence.whole(text))


def test_recall_and_repeats_across_and_within_pieces_give_the_whole_checks_result():
    # The references' names at the start of a piece (after 。, after ！ which folds to !), in
    # full-width letters, in capitals, spelt with a space or an underscore for the hyphen, and a
    # combining mark right after a sentence mark, for recall; and an item twice within one piece,
    # once more in a later piece beside a new one, and a piece whose items are all new: each counted
    # once, at its first place. The oracle is the whole check, which reads the summary in one piece
    # of items (it shares the cut into pieces, which tests/test_facts_extraction.py checks on its own).
    evidence = _Evidence(references=("OpenAI和Llama-3都很便宜。Ｇｏｏｇｌｅ有护城河吗？斯坦福的Alpaca花了600美元。",))
    texts = [
        "没有。openai的Llama 3！ＧＯＯＧＬＥ？斯坦福。",
        "。\u0301OpenAI！\u0301Alpaca",
        "LLAMA_3。Google！alpaca?斯坦福",
        "OpenAI花了54亿美元，OpenAI又花了54亿美元。斯坦福花了600美元，OpenAI也是。Alpaca用了52k条指令。",
    ]
    for text in texts:
        fast = evidence.by_pieces(text)
        _same(fast, evidence.whole(text))
        assert fast.recall  # each states some of the references' items
    # By hand, the last: 54亿美元 (counted once, unsupported: the source says 5.4亿), OpenAI once,
    # 斯坦福, 600美元, Alpaca and 52k条 (its measure word read with it) in the order they first stand.
    last = evidence.by_pieces(texts[-1])
    assert [r[1] for r in last.rows if r[0] == "figure"] == ["54亿美元", "600美元", "52k条"]
    assert [r[1] for r in last.rows if r[0] == "name"].count("OpenAI") == 1


def test_statuses_by_hand():
    evidence = _Evidence()
    result = evidence.by_pieces(WRITTEN[0])
    # By hand, against SOURCE less OFFTOPIC: 54亿美元 is no figure of the source (5.4亿美元 is; their
    # intervals do not overlap), 3万美元 is only in the off-topic line, 2800万美元 is in the source.
    # OpenAI is in the source, and counted once although the summary says it twice.
    figures = [(r[1], r[4]) for r in result.rows if r[0] == "figure"]
    assert figures == [("54亿美元", "unsupported"), ("3万美元", "offtopic"), ("2800万美元", "supported")]
    names = [(r[1], r[2], r[4]) for r in result.rows if r[0] == "name"]
    assert ("OpenAI", 0, "supported") in names and [n[0] for n in names].count("OpenAI") == 1
    # jieba cuts 比特币涨到 as 比特 / 币涨 / 到 (plain_jieba().cut); the names rules take both words as
    # name pieces, and 比特 is in the off-topic line only, 币涨 nowhere.
    assert result.made_up == (("54亿美元", "币涨"), ("比特", "3万美元"))
    # 2 of 6 items supported (OpenAI, 2800万美元). Recall: the references hold 2022年, 5.4亿美元,
    # 600美元, OpenAI, Alpaca and 谷歌 (their names as extract gives them); the summary states OpenAI.
    assert (result.precision, result.recall) == (2 / 6, 1 / 6)
    # Where the figures are: 54亿美元 at 8 (after "OpenAI花了"), 3万美元 at 19 (after "。比特币涨到").
    assert [(r[1], r[2], r[3]) for r in result.rows if r[0] == "figure"][:2] == [("54亿美元", 8, 13), ("3万美元", 19, 23)]


def test_a_names_list_with_aliases_and_one_holding_a_mark():
    # 哇！牛奶 holds a sentence mark: then a text is read whole, not cut there (extraction.piece_keys).
    names = parse_names("谷歌=Google\n哇！牛奶\n", "names.txt")
    evidence = _Evidence(names=names)
    for text in ("Google和OpenAI都没有护城河。哇！牛奶很贵。", "谷歌花了600美元！哇！牛奶。"):
        _same(evidence.by_pieces(text), evidence.whole(text))


def test_without_references_or_offtopic_text():
    evidence = _Evidence(offtopic=None, references=())
    for text in WRITTEN:
        fast = evidence.by_pieces(text)
        _same(fast, evidence.whole(text))
        assert fast.recall is None and fast.offtopic == 0


def test_a_name_too_long_to_be_one_is_left_to_the_whole_check():
    evidence = _Evidence()
    text = "OpenAI花了5.4亿美元。" + "A" * (MAX_NAME_CHARS + 1) + "。"
    assert evidence.by_pieces(text) is None
    # the whole check says why: the name's place in the summary (15: OpenAI 6, 花了 2, 5.4 3, 亿美元 3, 。 1)
    assert evidence.whole(text).skipped == (f"name at 15 skipped: {MAX_NAME_CHARS + 1} characters (over {MAX_NAME_CHARS})",)


_SENTENCES = st.sampled_from([
    "OpenAI花了5.4亿美元", "OpenAI花了54亿美元", "收入2800万美元", "比特币涨到3万美元", "谷歌和OpenAI", "Alpaca7B",
    "斯坦福的Alpaca", "约600美元", "52k条指令", "2022年", "6月18日", "Meta泄露了LLaMA", "没有护城河", "90比89",
    "70亿到650亿", "Kay Swinburne说", "After Meta", " ", "\n", "ＧＰＴ-3.5",
])
_MARKS = st.sampled_from(["。", "！", "？", "。。", "，", "", "！？"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_SENTENCES, _MARKS).map("".join), max_size=8).map("".join))
def test_any_join_of_sentences_gives_the_whole_checks_result(text):
    evidence = _EVIDENCE
    _same(evidence.by_pieces(text), evidence.whole(text))


_EVIDENCE = _Evidence()  # one document for every example: its memos fill as they would over a run


# Surface forms of figures and names, and the words and marks around them, that the evidence and
# the summaries below are made of: the test above holds one document's evidence fixed, this one
# draws it too, so that items are supported, off-topic, unsupported and stated in every mix.
_FORMS = st.sampled_from([
    "5.4亿美元", "54亿美元", "2800万美元", "28亿", "52k", "600美元", "六百", "五亿四千万", "两千", "十二", "1.2万亿", "13B",
    "3 billion", "50%", "百分之五十", "5成", "2022年", "二〇二二年", "6月18日", "90对89", "90:89", "70亿到650亿", "7B-65B",
    "70~650亿", "到650亿", "约5亿", "超过", "近", "GPT-3.5", "Alpaca7B", "LLaMA-2", "Qwen2.5-7B", "OpenAI", "谷歌", "Google",
    "GooglePlay", "Google Play", "斯坦福", "蔡崇信", "Kay Swinburne", "高达", "１２", "ＧＰＴ－４", "US$5", "人民币", "第3",
    "2,800", "1e308", "∞", "NaN", "兩成", "億", "的", "和", "开源", "模型", "成本", "，", " ", "\n", "“", "”",
])
_PIECES = st.lists(st.tuples(st.lists(_FORMS, min_size=1, max_size=6).map("".join), _MARKS).map("".join),
                   min_size=1, max_size=6).map("".join)


@settings(max_examples=60, deadline=None)
@given(_PIECES, st.one_of(st.just(""), _PIECES), st.lists(_PIECES, min_size=1, max_size=2), st.lists(_PIECES, max_size=4))
def test_any_evidence_and_summaries_give_the_whole_checks_results(source, offtopic, references, summaries):
    evidence = _Evidence(source=source + offtopic, offtopic=offtopic, references=tuple(references))
    for text in summaries + summaries[:1]:  # the first again: every piece then comes from the memos
        fast = evidence.by_pieces(text)
        if fast is not None:  # None: an item left out, which the whole check reports (test above)
            _same(fast, evidence.whole(text))
