"""Issue 17 §10, the JSON Lines items: messages that name the real problem. Files written here."""

from __future__ import annotations

import codecs

import pytest

from harness.errors import InputError
from harness.inputs import jsonlines
from harness.inputs.load import load_corpus

REF = '{"id": "d1", "references": ["开源模型"]}\n'
CAND = '{"id": "d1", "summary": "开源模型"}\n'


def test_a_bom_on_a_later_line_is_named(tmp_path):
    # What `cat a.jsonl b.jsonl` leaves when both start with a BOM: line 2 begins with EF BB BF.
    refs = tmp_path / "refs.jsonl"
    refs.write_bytes(codecs.BOM_UTF8 + REF.encode() + codecs.BOM_UTF8 + REF.replace("d1", "d2").encode())
    (tmp_path / "s.jsonl").write_text(CAND, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_corpus(refs, [tmp_path / "s.jsonl"])
    assert f"{refs}:2: starts with a UTF-8 byte-order mark, which JSON Lines allows only at the start" in str(caught.value)
    assert "invalid JSON" not in str(caught.value)


def test_an_undecodable_byte_after_the_bom_gives_its_offset_in_the_file(tmp_path):
    refs = tmp_path / "refs.jsonl"
    data = codecs.BOM_UTF8 + b'{"id": "d1", "references": ["\xff"]}\n'
    refs.write_bytes(data)
    (tmp_path / "s.jsonl").write_text(CAND, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_corpus(refs, [tmp_path / "s.jsonl"])
    # The offset counted in the file's bytes, the BOM's three included (data.index: independent).
    where = data.index(b"\xff")
    assert f"not valid UTF-8 (byte 0xff at offset {where})" in str(caught.value)


def test_a_jsonl_file_over_the_input_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    # The limit lowered to 1 MiB for the test; the file is 1.5 MiB of valid lines.
    monkeypatch.setattr(jsonlines, "MAX_TEXT_BYTES", 2**20)
    refs = tmp_path / "refs.jsonl"
    line = REF.encode()
    refs.write_bytes(line * (int(1.5 * 2**20) // len(line) + 1))
    size = refs.stat().st_size
    (tmp_path / "s.jsonl").write_text(CAND, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_corpus(refs, [tmp_path / "s.jsonl"])
    assert str(caught.value) == (
        f"{refs}: is {size / 2**20:.1f} MiB, over the 1 MiB an input file may have; split it (one file per system works)"
    )


def test_encoding_is_said_not_to_apply_to_jsonl(tmp_path):
    (tmp_path / "refs.jsonl").write_text(REF, encoding="utf-8")
    (tmp_path / "s.jsonl").write_text(CAND, encoding="utf-8")
    corpus = load_corpus(tmp_path / "refs.jsonl", [tmp_path / "s.jsonl"], encoding="gb18030")
    assert (f"--encoding gb18030 does not apply to JSON Lines files, which are always read as UTF-8: "
            f"{tmp_path / 'refs.jsonl'}, {tmp_path / 's.jsonl'}") in corpus.warnings
    plain = load_corpus(tmp_path / "refs.jsonl", [tmp_path / "s.jsonl"])
    assert not any("--encoding" in w for w in plain.warnings)
