"""harness.results.jsontext against the standard library's encoder, the independent oracle: the
indented text must be byte-identical to json.dumps(indent=2) and the compact one to the C encoder."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.results.jsontext import compact, compact_parts, indented

# JSON-like values as the contract holds them: names with any character (line separators and
# control characters included), scores, counts, flags, nesting.
_LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
_VALUES = st.recursive(
    _LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=30
)


@given(_VALUES)
def test_indented_is_json_dumps_indent_2(value):
    assert indented(value) == json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)


@given(_VALUES)
def test_compact_is_the_c_encoder_without_spaces(value):
    assert compact(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def test_a_score_and_its_indentation_by_hand():
    # Written out by hand: a score's three floats on three lines, 2 spaces more per level.
    score = {"precision": 0.5, "recall": 2 / 3, "fmeasure": 4 / 7}
    assert indented({"d1": {"rouge1": score}}, "    ") == (
        '{\n      "d1": {\n        "rouge1": {\n          "precision": 0.5,\n          "recall": 0.6666666666666666,\n'
        '          "fmeasure": 0.5714285714285714\n        }\n      }\n    }'
    )
    assert indented({"名\u2028": [1, True, None, 1e-05, (2, 3)], 7: {}}) == json.dumps(
        {"名\u2028": [1, True, None, 1e-05, [2, 3]], 7: {}}, ensure_ascii=False, indent=2
    )


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_refused_like_json(bad):
    with pytest.raises(ValueError):
        indented({"s": {"f": bad}})
    with pytest.raises(ValueError):
        json.dumps({"s": {"f": bad}}, allow_nan=False)


# A system entry whose per-document values are RawJSON texts (as the facts analysis gives them):
# the oracle is the standard library's encoder on the same values read into objects.
_ENTRIES = st.dictionaries(
    st.text(), st.dictionaries(st.text(), _VALUES, min_size=1, max_size=4) | _VALUES, max_size=4
)


@given(_ENTRIES, st.data())
def test_raw_json_texts_give_the_bytes_of_their_objects(entry, data):
    from harness.analyses.base import RawJSON
    from harness.results.jsontext import read_raw

    # Turn the dict values of some keys into dicts of RawJSON texts (what the C encoder writes), and
    # of some others into one RawJSON text of the whole dict (as facts gives its per-document texts).
    keys = [k for k, v in entry.items() if isinstance(v, dict) and v]
    for key in data.draw(st.lists(st.sampled_from(keys), unique=True) if keys else st.just([])):
        if data.draw(st.booleans()):
            entry[key] = RawJSON(json.dumps(entry[key], ensure_ascii=False, separators=(",", ":")).encode())
        else:
            entry[key] = {doc: RawJSON(json.dumps(v, ensure_ascii=False, separators=(",", ":")).encode())
                          for doc, v in entry[key].items()}
    objects = {k: read_raw(v) for k, v in entry.items()}
    expected = json.dumps(objects, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    assert compact(entry) == expected
    # The writer's parts: the texts' bytes as they are, the rest as str; encoded and joined, the same bytes.
    parts = compact_parts(entry)
    assert b"".join(p if isinstance(p, bytes) else p.encode() for p in parts) == expected.encode()
    assert sum(isinstance(p, bytes) for p in parts) == sum(1 for v in entry.values() if isinstance(v, RawJSON) or (
        isinstance(v, dict) and v and isinstance(next(iter(v.values())), RawJSON)))
    assert indented(entry, "    ") == indented(objects, "    ")
    assert indented(objects) == json.dumps(objects, ensure_ascii=False, indent=2, allow_nan=False)


def test_raw_json_where_the_writer_does_not_copy_it_is_refused():
    from harness.analyses.base import RawJSON

    # Deeper than a system entry's values, RawJSON is no JSON value the encoder knows: an error, never
    # a quoted string in the output.
    with pytest.raises(TypeError):
        compact({"systems": [{"facts_documents": {"d": RawJSON(b'{"x":1}')}}]})
    assert indented({"a": {"d": RawJSON(b'{"x":[1,2]}')}}) == json.dumps({"a": {"d": {"x": [1, 2]}}}, indent=2)


def test_raw_json_given_as_str_and_keys_with_lone_surrogates():
    from harness.analyses.base import RawJSON
    from harness.results.jsontext import read_raw

    # An analysis (a plugin) may give its texts as str: kept as their UTF-8.
    assert RawJSON('{"名":1}').data == '{"名":1}'.encode()
    # A document id with a lone surrogate (possible through the API): compact's text is json.dumps's
    # of the objects; the writer's parts encode it as the writer encodes a str (backslashreplace).
    entry = {"name": "s", "facts_documents": {"doc\udcff": RawJSON(b'{"x":1}')}}
    expected = json.dumps({k: read_raw(v) for k, v in entry.items()}, ensure_ascii=False, separators=(",", ":"))
    assert compact(entry) == expected
    parts = compact_parts(entry)
    joined = b"".join(p if isinstance(p, bytes) else p.encode("utf-8", "backslashreplace") for p in parts)
    assert joined == expected.encode("utf-8", "backslashreplace")


def test_bytes_pieces_print_on_a_text_stream():
    import contextlib
    import io

    from harness.cli.score import emit

    # A caller's stdout without a binary buffer gets the same text from str and bytes pieces.
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        emit(iter(['{"a":', '{"名":1}'.encode(), "}"]), None)
    assert out.getvalue() == '{"a":{"名":1}}'
