"""harness.results.jsontext against the standard library's encoder, the independent oracle: the
indented text must be byte-identical to json.dumps(indent=2) and the compact one to the C encoder."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.results.jsontext import compact, indented

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
