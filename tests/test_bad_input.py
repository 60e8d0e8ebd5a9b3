"""Issue 7, classes of bad input: each used to end in a traceback, a wrong exit code or broken output.

Every case is an input written here by hand; expected values are worked out in the comments.
"""

from __future__ import annotations

import json

import pytest

from harness.errors import InputError
from harness.files import decode

# --------------------------------------------------------------------------- 3. codecs that are not text encodings

# Python's codec registry also holds bytes-to-bytes transforms (hex, base64, zlib, bz2, uu, quopri)
# and a str-to-str one (rot13): the codecs documentation lists them under "Binary Transforms" and
# "Text Transforms", and bytes.decode refuses them with a LookupError. "undefined" is listed as
# raising UnicodeError for every input. None can read a text file.
NOT_TEXT = ["rot13", "hex", "base64", "zlib", "bz2", "uu", "quopri", "undefined"]
HINT = "(try utf-8, gb18030, big5, utf-16)"


@pytest.mark.parametrize("name", NOT_TEXT + ["ROT-13", "base_64"])
def test_not_a_text_encoding_on_the_command_line(cli_run, cli_corpus, cli_files, name):
    # A GB18030 candidate ("猫 吃 鱼" = b"\xc3\xa8 \xb3\xd4 \xd3\xe3") is not valid UTF-8, so the fallback
    # codec would be used on it: before the fix this reached bytes.decode(name) and crashed.
    cli_files({"candidates/legacy/d1.txt": "猫 吃 鱼\n".encode("gb18030")})
    result = cli_run("score", "--no-config", "--encoding", name)
    assert result.exit_code == 2
    assert result.stderr == f"Error: --encoding {name}: not a text encoding {HINT}\n"
    assert result.stdout == ""


@pytest.mark.parametrize("name", ["rot13", "undefined"])
def test_not_a_text_encoding_for_tokenize(cli_run, tmp_path, name):
    f = tmp_path / "t.txt"
    f.write_bytes("开源".encode("gb18030"))
    result = cli_run("tokenize", "--no-config", "--encoding", name, "--file", f)
    assert result.exit_code == 2
    assert result.stderr == f"Error: --encoding {name}: not a text encoding {HINT}\n"


def test_unknown_and_nul_encoding_names(cli_run, cli_corpus):
    # A NUL in the name made codecs.lookup raise ValueError, not LookupError.
    for name in ("klingon", "utf\x008"):
        result = cli_run("score", "--no-config", "--encoding", name)
        assert result.exit_code == 2
        assert result.stderr == f"Error: --encoding {name}: not an encoding Python knows {HINT}\n"


@pytest.mark.parametrize("name", NOT_TEXT)
def test_not_a_text_encoding_in_config(cli_run, cli_corpus, name):
    path = cli_corpus / "pyproject.toml"
    path.write_text(f'[tool.harness]\nencoding = "{name}"\n', encoding="utf-8")
    result = cli_run("score")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path}: [tool.harness]: 'encoding' is not a text encoding: {name!r} {HINT}\n"
    )


@pytest.mark.parametrize(("name", "text"), [("GB18030", "猫吃鱼"), ("big5", "貓吃魚"), ("latin-1", "café"), ("utf_16", "café")])
def test_text_encodings_and_their_aliases_are_accepted(cli_run, cli_files, name, text):
    # Each text, written in `name`, is not valid UTF-8 (GB18030 and Big5 lead bytes, Latin-1 0xe9,
    # UTF-16 with its BOM), so it is read with the fallback codec and must come back as the same
    # text as the UTF-8 reference: identical tokens, rouge1 F = 1.
    cli_files({"references/d1/r.txt": text + "\n", "candidates/s/d1.txt": (text + "\n").encode(name)})
    result = cli_run("score", "--no-config", "--encoding", name, "--format", "json")
    assert result.exit_code == 0, result.stderr
    (system,) = json.loads(result.stdout)["systems"]
    assert system["scores"]["rouge1"]["fmeasure"] == 1.0


def test_decode_turns_a_bare_unicode_error_into_an_input_error():
    # For library callers that skip check_encoding: "undefined" raises a plain UnicodeError
    # (no byte offset); it becomes an InputError naming the file. b"\xff" is not UTF-8, so the
    # fallback is tried.
    with pytest.raises(InputError) as caught:
        decode(b"\xff", "x.txt", "undefined")
    assert str(caught.value).startswith("x.txt: cannot be decoded as undefined (")
