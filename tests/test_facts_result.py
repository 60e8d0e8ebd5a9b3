"""FactsResult's forms: the contract's text it writes itself (oracle: the standard library's C
encoder on the same entry built as objects), and the cache's and the workers' bytes back to the
same result."""

from __future__ import annotations

import json
import math
import pickle
import struct
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.analyses.facts import layout
from harness.analyses.facts.fragment import value_text
from harness.analyses.facts.kept import decode_result, encode_result
from harness.analyses.facts.result import FactItem, FactsResult

_TEXT = st.text(max_size=12)  # any character: quotes, backslashes, control characters, astral ones
_STATUS = st.sampled_from(["supported", "offtopic", "unsupported", "unchecked"])
_DECIMAL = st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**9, max_value=10**9)
# A figure, or a score pair with its other side (`second`).
_FIGURE = st.builds(lambda t, s, st_, ev, v, u, o: FactItem("figure", t, s, s + 2, st_, ev, v, u, o), _TEXT,
                    st.integers(0, 500), _STATUS, st.none() | _TEXT, _DECIMAL, st.none() | _TEXT, st.none() | _DECIMAL)
_NAME = st.builds(lambda t, s, st_, ev: FactItem("name", t, s, s + 2, st_, ev), _TEXT, st.integers(0, 500), _STATUS,
                  st.none() | _TEXT)
_RESULTS = st.builds(
    lambda items, evidence, recall, skipped: FactsResult(sorted(items, key=lambda i: i.start), evidence, recall, skipped),
    st.lists(_FIGURE | _NAME, max_size=6), st.sampled_from(["source", "references", "none"]),
    st.none() | st.floats(0, 1), st.lists(_TEXT, max_size=2))


def _entry(result: FactsResult) -> dict:
    """The contract's entry built as objects, by the rule of docs/facts.md (figures first; precision
    = supported / all items, none without items or evidence)."""
    items = result.items
    supported = sum(i.status == "supported" for i in items)
    precision = supported / len(items) if items and result.evidence != "none" else None
    return {
        "precision": precision, "recall": result.recall,
        "unsupported": sum(i.status == "unsupported" for i in items), "offtopic": sum(i.status == "offtopic" for i in items),
        "figures": [{"text": i.text, "status": i.status, "evidence": i.evidence,
                     "value": None if i.value is None else format(i.value.normalize(), "f"),
                     # a score pair's other side, only on a score pair
                     **({} if i.second is None else {"second": format(i.second.normalize(), "f")}), "unit": i.unit}
                    for i in items if i.kind == "figure"],
        "names": [{"text": i.text, "status": i.status, "evidence": i.evidence} for i in items if i.kind == "name"],
        # why items were left out (bounds.py), only when some were
        **({"skipped": list(result.skipped)} if result.skipped else {}),
    }


@given(_RESULTS)
def test_the_fragment_is_the_c_encoders_text_of_the_entry(result):
    assert result.fragment == json.dumps(_entry(result), ensure_ascii=False, separators=(",", ":"))


@given(_RESULTS)
def test_the_caches_and_the_workers_bytes_give_the_same_result(result):
    # kept(): what a run holds after checking a summary, the same result with its bytes only. The
    # bytes are read twice: the second time their head is one met before (layout._KNOWN).
    layout._KNOWN.clear()
    first = decode_result(encode_result(result))
    assert layout._KNOWN
    for back in (first, decode_result(encode_result(result)), pickle.loads(pickle.dumps(result)), result.kept()):
        assert back is not None
        assert back == result
        assert back.fragment == result.fragment
        # the bytes the writer copies: the fragment's UTF-8, read back or as made
        assert back.fragment_utf8() == result.fragment_utf8() == result.fragment.encode("utf-8")
        assert back.rows == result.rows
        assert (back.precision, back.recall, back.tally, back.made_up, back.skipped) == (
            result.precision, result.recall, result.tally, result.made_up, result.skipped)
        assert back.to_bytes() == result.to_bytes()


def test_counts_by_hand():
    items = [FactItem("figure", "5亿", 0, 3, "supported", "约5亿美元", Decimal("500000000"), "USD"),
             FactItem("name", "谷歌", 4, 6, "offtopic", "谷歌称"),
             FactItem("figure", "6万", 7, 9, "unsupported", None, Decimal("6E+4"), None)]
    result = FactsResult(items, "source", 0.5)
    # 1 of 3 supported; one unsupported (6万), one off-topic (谷歌).
    assert (result.precision, result.unsupported, result.offtopic) == (1 / 3, 1, 1)
    assert result.made_up == (("6万",), ("谷歌",))
    assert value_text(Decimal("6E+4")) == "60000"  # plain digits, as the contract writes values
    assert json.loads(result.fragment)["figures"][1]["value"] == "60000"


def _by_hand(fragment: bytes, tally=(0, 0, 0, 0), positions=(), texts=b"", evidence=0, recall=(0, 0.0)) -> bytes:
    """The bytes harness/analyses/facts/layout.py's docstring describes, built by hand: "R", evidence (0 source), the recall's type
    (0 none, 1 float, 2 int) and value as a double, the four counts, the texts' length; the
    positions as uint32; the texts' JSON; the fragment."""
    head = b"R" + bytes([evidence, recall[0]]) + struct.pack("<d", recall[1])
    head += b"".join(n.to_bytes(4, "little") for n in (*tally, len(texts)))
    return head + b"".join(p.to_bytes(4, "little") for p in positions) + texts + fragment


def test_the_bytes_are_laid_out_as_documented():
    item = FactItem("name", "谷歌", 3, 5, "unsupported", None)
    result = FactsResult([item], "source", 0.5, ["figure at 9 skipped: 400 digits"])
    fragment = json.dumps({"precision": 0.0, "recall": 0.5, "unsupported": 1, "offtopic": 0, "figures": [],
                           "names": [{"text": "谷歌", "status": "unsupported", "evidence": None}],
                           "skipped": ["figure at 9 skipped: 400 digits"]},
                          ensure_ascii=False, separators=(",", ":")).encode()
    texts = json.dumps([["figure at 9 skipped: 400 digits"], ["谷歌"], []], ensure_ascii=False,
                       separators=(",", ":")).encode()
    assert encode_result(result) == _by_hand(fragment, (0, 1, 0, 1), (3, 5), texts, 0, (1, 0.5))
    back = decode_result(_by_hand(fragment, (0, 1, 0, 1), (3, 5), texts, 0, (1, 0.5)))
    assert back == result and back.skipped == ("figure at 9 skipped: 400 digits",)
    # A whole-number recall comes back as one (json.dumps writes 1, not 1.0, in the fragment).
    one = FactsResult([], "references", 1)
    assert encode_result(one)[1:3] == bytes([1, 2]) and type(decode_result(encode_result(one)).recall) is int


def test_damaged_bytes_are_no_result():
    import zlib

    good = encode_result(FactsResult([], "source", None))
    assert good[:1] == b"R"  # short: kept as it is
    # (The cache's own checksum finds a damaged row first: tests/test_cache.py; these are what is left.)
    long = encode_result(FactsResult([FactItem("name", "名" * 1500, 0, 1500, "supported", "x")], "source", None))
    assert long[:1] == b"x"  # over _KEPT_PLAIN bytes: compressed
    broken = bytearray(long)
    broken[len(long) // 2] ^= 0xFF  # zlib's checksum (adler32) sees it
    for data in (b"", b"not zlib", good[:-3], good[:20], bytes(broken), zlib.compress(b"R1\n{}"),
                 zlib.compress(good[:-3])):
        assert decode_result(data) is None


def test_recalls_of_other_types_and_subclasses_come_back():
    # A bool is a whole number (json writes true; it comes back as 1, equal to it); a float subclass
    # (numpy's float64 is one) as a float; a subclass of the result keeps its class.
    class Share(float):
        pass

    for recall, back in ((True, 1), (Share(0.25), 0.25)):
        result = FactsResult([], "source", recall)
        assert decode_result(encode_result(result)).recall == back

    class Mine(FactsResult):
        pass

    assert type(Mine([], "source", None)) is Mine
    assert type(Mine.from_rows([], "source", None)) is Mine


def test_a_result_cannot_be_changed():
    result = FactsResult([FactItem("name", "谷歌", 0, 2, "supported", "谷歌称")], "source", 0.5)
    assert '"recall":0.5' in result.fragment
    for name in ("recall", "tally", "evidence", "skipped", "_fragment"):
        with pytest.raises(AttributeError):
            setattr(result, name, None)
    assert FactsResult([], "source", 1).fragment.startswith('{"precision":null,"recall":1,')  # json.dumps(1)


def test_bytes_whose_head_and_fragment_disagree_are_no_result():
    # Each is what to_bytes writes but for one part: an unknown evidence or recall type, a non-whole
    # "int" recall, counts the fragment does not state (its unsupported count is 0), more counted than
    # there are items, texts of the wrong number or type. What only a scan of the whole fragment would
    # see (its UTF-8, its status keys: the supported count and the number of items are not compared
    # with it) is the cache's checksum's to catch: see the test after this one.
    fragment = b'{"precision":null,"recall":null,"unsupported":0,"offtopic":0,"figures":[],"names":[]}'
    one = b'{"precision":0.0,"recall":null,"unsupported":1,"offtopic":0,"figures":[],"names":[{"text":"x","status":"unsupported","evidence":null}]}'
    assert decode_result(_by_hand(fragment)) is not None
    assert decode_result(_by_hand(one, (0, 1, 0, 1), (0, 1), b'[[],["x"],[]]')) is not None
    primed = 0
    for data in (
        _by_hand(fragment, evidence=3),
        _by_hand(fragment, recall=(3, 0.0)),
        _by_hand(fragment, recall=(2, 0.5)),
        _by_hand(fragment, recall=(2, math.inf)),  # int(inf) would raise OverflowError
        _by_hand(fragment, recall=(1, math.nan)),  # the writer would refuse NaN later
        _by_hand(fragment, recall=(1, 1.5)),
        _by_hand(fragment, recall=(0, 0.5)),  # "none" with a value
        _by_hand(one, (1, 0, 0, 1), (0, 1), b'[[],["x"],[]]'),  # counted supported; the fragment's head counts 1 unsupported
        _by_hand(one, (1, 0, 0, 1), (0, 1)),  # the same with no texts, which agree with the head: only the fragment disagrees
        _by_hand(fragment, (0, 9, 0, 9), (0,) * 18),
        _by_hand(fragment, (2, 0, 0, 1), (0, 1)),
        _by_hand(fragment[:-1]),
        b"[" + _by_hand(fragment)[1:],
        _by_hand(one, (0, 1, 0, 1), (0, 1), b'[[],[],[]]'),
        _by_hand(one, (0, 1, 0, 1), (0, 1), b'[[],[1],[]]'),
        _by_hand(one, (0, 1, 0, 1), (0, 1), b'[[],["x"]'),
        _by_hand(one, (0, 1, 0, 1), (0, 1), b'[[],["x"]]'),  # two lists of texts, not three
        _by_hand(one, (0, 1, 0, 1), (0, 1), b'{"x":["x"]}'),  # an object, not a list
        _by_hand(one, (0, 1, 0, 1), (0, 1), b'[[],"x",[]]'),  # a string where its texts' list goes
        _by_hand(one, (0, 1, 0, 1), (0, 1)),
        # with the head of the good `one` and its texts: a fragment stating another count, texts of
        # the same length that name no unsupported item
        _by_hand(one.replace(b'"unsupported":1', b'"unsupported":2'), (0, 1, 0, 1), (0, 1), b'[[],["x"],[]]'),
        _by_hand(one, (0, 1, 0, 1), (0, 1), b'[["x"],[],[]]'),
    ):
        layout._KNOWN.clear()
        assert decode_result(data) is None, data
        # ... and so are they once their head was met with a fragment that agreed with it: the bytes
        # of a good result with the same head (layout.checked takes a known head's word only for a
        # fragment that starts as its first one did).
        head = data[: layout.HEAD.size]
        for good in (_by_hand(fragment), _by_hand(one, (0, 1, 0, 1), (0, 1), b'[[],["x"],[]]')):
            if decode_result(good) is not None and good[: layout.HEAD.size] == head:
                assert head in layout._KNOWN
                assert decode_result(data) is None, data
                primed += 1
    assert primed == 3  # fragment[:-1] and the last two


def test_a_damaged_fragment_in_the_cache_is_never_read(tmp_path):
    # decode_result reads the fragment's head only: bytes changed further in (here made invalid
    # UTF-8, which the output file would otherwise receive as they are) are caught by the cache's
    # CRC-32 of key and value before decoding (harness.run.cache), and the entry counts as absent.
    import sqlite3

    from harness.run.cache import Cache

    result = FactsResult([FactItem("name", "谷歌", 0, 2, "supported", "谷歌称")], "source", None)
    data = encode_result(result)
    cache = Cache(tmp_path / "c.sqlite")
    cache.put_bytes(b"k" * 16, data)
    cache.flush()
    assert decode_result(Cache(tmp_path / "c.sqlite").get_bytes(b"k" * 16)) == result
    damaged = data.replace("谷歌称".encode(), b"\xff\xff\xff\xff\xff\xff\xff\xff\xff")  # its head unchanged
    assert len(damaged) == len(data) and damaged != data
    with sqlite3.connect(tmp_path / "c.sqlite") as db:
        db.execute("UPDATE analyses SET value = ? WHERE key = ?", (damaged, b"k" * 16))
    assert Cache(tmp_path / "c.sqlite").get_bytes(b"k" * 16) is None
