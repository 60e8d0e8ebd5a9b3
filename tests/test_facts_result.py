"""FactsResult's forms: the contract's text it writes itself (oracle: the standard library's C
encoder on the same entry built as objects), and the cache's and the workers' bytes back to the
same result."""

from __future__ import annotations

import json
import pickle
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.analyses.facts.result import FactItem, FactsResult, decode_result, encode_result, value_text

_TEXT = st.text(max_size=12)  # any character: quotes, backslashes, control characters, astral ones
_STATUS = st.sampled_from(["supported", "offtopic", "unsupported", "unchecked"])
_FIGURE = st.builds(lambda t, s, st_, ev, v, u: FactItem("figure", t, s, s + 2, st_, ev, v, u), _TEXT,
                    st.integers(0, 500), _STATUS, st.none() | _TEXT,
                    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**9, max_value=10**9),
                    st.none() | _TEXT)
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
                     "value": None if i.value is None else format(i.value.normalize(), "f"), "unit": i.unit}
                    for i in items if i.kind == "figure"],
        "names": [{"text": i.text, "status": i.status, "evidence": i.evidence} for i in items if i.kind == "name"],
    }


@given(_RESULTS)
def test_the_fragment_is_the_c_encoders_text_of_the_entry(result):
    assert result.fragment == json.dumps(_entry(result), ensure_ascii=False, separators=(",", ":"))


@given(_RESULTS)
def test_the_caches_and_the_workers_bytes_give_the_same_result(result):
    for back in (decode_result(encode_result(result)), pickle.loads(pickle.dumps(result))):
        assert back is not None
        assert back == result
        assert back.fragment == result.fragment
        assert back.rows == result.rows
        assert (back.precision, back.recall, back.tally, back.made_up) == (
            result.precision, result.recall, result.tally, result.made_up)


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


def test_damaged_bytes_are_no_result():
    import zlib

    good = encode_result(FactsResult([], "source", None))
    assert good[:1] == b"["  # short: kept as it is
    # (The cache's own checksum finds a damaged row first: tests/test_cache.py; these are what is left.)
    long = encode_result(FactsResult([FactItem("name", "名" * 1500, 0, 1500, "supported", "x")], "source", None))
    assert long[:1] == b"x"  # over _KEPT_PLAIN bytes: compressed
    broken = bytearray(long)
    broken[len(long) // 2] ^= 0xFF  # zlib's checksum (adler32) sees it
    for data in (b"", b"not zlib", good[:-3], bytes(broken), zlib.compress(b"[1]\n{}"),
                 zlib.compress(b'["source",null,[],[0,0,0,0],[],[],[]]\n[]')):
        assert decode_result(data) is None


def test_a_result_cannot_be_changed():
    result = FactsResult([FactItem("name", "谷歌", 0, 2, "supported", "谷歌称")], "source", 0.5)
    assert '"recall":0.5' in result.fragment
    for name in ("recall", "tally", "evidence", "skipped", "_fragment"):
        with pytest.raises(AttributeError):
            setattr(result, name, None)
    assert FactsResult([], "source", 1).fragment.startswith('{"precision":null,"recall":1,')  # json.dumps(1)


def test_bytes_whose_header_and_fragment_disagree_are_no_result():
    # Each is what to_bytes writes but for one part: a fragment that is not UTF-8, a header of the
    # wrong types, counts that the fragment does not state (its unsupported count is 0, the header's 9).
    ok = b'["source",null,[],[0,0,0,0],[],[],[]]\n{"precision":null,"recall":null,"unsupported":0,"offtopic":0,"figures":[],"names":[]}'
    assert decode_result(ok) is not None
    for data in (
        ok.replace(b'"names":[]', b'"names":[\xff]'),
        ok.replace(b'["source",null,[]', b'["bogus",null,[]'),
        ok.replace(b'["source",null,[]', b'["source","x",[]'),
        ok.replace(b'["source",null,[]', b'["source",null,"ab"'),
        ok.replace(b"[0,0,0,0]", b"[0,9,0,9]"),
        ok.replace(b"[0,0,0,0]", b"[0,0,0]"),
        ok[:-1],
    ):
        assert decode_result(data) is None, data
