"""JSONL test sets through the command line and harness.load_corpus: mixed with folders,
field names from options and config, and the same numbers as the folder layout."""

from __future__ import annotations

import json
from pathlib import Path

import harness

REPO = Path(__file__).resolve().parents[1]
DOC = "ai-open-source"


def _shipped_as_jsonl(root: Path) -> tuple[Path, Path]:
    """The shipped corpus written as JSONL: references in file-name order (the folder reader's
    order, so --multiref best breaks ties the same way) with the off-topic text inline, every
    system in one file; the source inline too."""
    refs = [p.read_text(encoding="utf-8") for p in sorted((REPO / "references" / DOC).glob("*.txt"))]
    noise = (REPO / "offtopic" / f"{DOC}.txt").read_text(encoding="utf-8")
    source = (REPO / "sources" / f"{DOC}.txt").read_text(encoding="utf-8")
    ref_file = root / "refs.jsonl"
    line = {"id": DOC, "references": refs, "offtopic": noise, "source": source}
    ref_file.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    cand_file = root / "all.jsonl"
    lines = [
        json.dumps({"id": DOC, "summary": (d / f"{DOC}.txt").read_text(encoding="utf-8"), "system": d.name}, ensure_ascii=False)
        for d in sorted((REPO / "candidates").iterdir())
    ]
    cand_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ref_file, cand_file


def test_jsonl_gives_the_same_json_as_the_folders(tmp_path, cli_run):
    # The folder layout is the independent path here: same texts, other reader, same bytes out.
    ref_file, cand_file = _shipped_as_jsonl(tmp_path)
    folders = cli_run("score", "--no-config", "--format", "json", "--references", REPO / "references",
                      "--candidates", REPO / "candidates")
    # themes/ is picked up beside the references folder; beside the JSONL file there is none.
    jsonl = cli_run("score", "--no-config", "--format", "json", "--references", ref_file, "--candidates", cand_file,
                    "--themes", REPO / "themes")
    assert folders.exit_code == jsonl.exit_code == 0, jsonl.stderr
    assert jsonl.stdout == folders.stdout
    assert jsonl.stderr == folders.stderr  # the same two off-topic warnings and lead-3's copying one
    assert len(json.loads(jsonl.stdout)["systems"]) == 7


def test_folders_and_jsonl_mixed(tmp_path, cli_run, cli_files):
    # References as JSONL, one system from a folder and one from a JSONL file; and the reverse.
    cli_files({
        "refs.jsonl": '{"id": "d1", "reference": "猫 吃 鱼"}\n',
        "cands/folder-sys/d1.txt": "猫 吃 鱼\n",
        "jsonl-sys.jsonl": '{"id": "d1", "summary": "狗 跑"}\n',
        "references/d1/r.txt": "猫 吃 鱼\n",
    })
    result = cli_run("score", "--no-config", "--format", "json", "--references", "refs.jsonl",
                     "--candidates", "cands", "--candidates", "jsonl-sys.jsonl")
    assert result.exit_code == 0, result.stderr
    scores = {s["name"]: s["scores"]["rouge1"]["fmeasure"] for s in json.loads(result.stdout)["systems"]}
    assert scores == {"folder-sys": 1.0, "jsonl-sys": 0.0}  # identical text; nothing shared
    reverse = cli_run("score", "--no-config", "--format", "json", "--references", "references",
                      "--candidates", "jsonl-sys.jsonl")
    assert reverse.exit_code == 0 and [s["name"] for s in json.loads(reverse.stdout)["systems"]] == ["jsonl-sys"]


def test_same_system_from_a_folder_and_a_file_is_an_error(tmp_path, cli_run, cli_files):
    cli_files({
        "references/d1/r.txt": "猫",
        "cands/s/d1.txt": "猫",
        "s.jsonl": '{"id": "d1", "summary": "猫"}\n',
    })
    result = cli_run("score", "--no-config", "--candidates", "cands", "--candidates", "s.jsonl")
    assert result.exit_code == 2
    assert result.stderr == "Error: s.jsonl: system 's' is also given by cands; each system must come from one place\n"


def test_jsonl_errors_name_file_and_line_through_the_cli(tmp_path, cli_run, cli_files):
    cli_files({"refs.jsonl": '{"id": "d1", "reference": "猫"}\n{"id": "d2"\n', "c.jsonl": '{"id": "d1", "summary": "猫"}\n'})
    result = cli_run("score", "--no-config", "--references", "refs.jsonl", "--candidates", "c.jsonl")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: refs.jsonl:2: invalid JSON")
    assert result.stderr.count("\n") == 1


def test_field_names_from_options_and_config(tmp_path, cli_run, cli_files):
    cli_files({
        "refs.jsonl": '{"doc": "d1", "golds": ["猫 吃 鱼"]}\n',
        "m.jsonl": '{"doc": "d1", "pred": "猫 吃 鱼"}\n',
    })
    args = ("score", "--format", "json", "--references", "refs.jsonl", "--candidates", "m.jsonl")
    missing = cli_run(*args, "--no-config")
    assert missing.exit_code == 2 and "refs.jsonl:1: missing field 'id'" in missing.stderr
    by_option = cli_run(*args, "--no-config", "--id-field", "doc", "--summary-field", "pred", "--references-field", "golds")
    assert by_option.exit_code == 0, by_option.stderr
    (tmp_path / "pyproject.toml").write_text(
        '[tool.harness]\nid-field = "doc"\nsummary-field = "pred"\nreferences-field = "golds"\n', encoding="utf-8"
    )
    by_config = cli_run(*args)
    assert by_config.exit_code == 0 and by_config.stdout == by_option.stdout
    assert json.loads(by_config.stdout)["systems"][0]["scores"]["rouge1"]["fmeasure"] == 1.0


def test_candidates_list_in_config(tmp_path, cli_run, cli_files):
    cli_files({
        "references/d1/r.txt": "猫 吃 鱼",
        "a/s1/d1.txt": "猫 吃 鱼",
        "b.jsonl": '{"id": "d1", "summary": "猫"}\n',
    })
    (tmp_path / "pyproject.toml").write_text('[tool.harness]\ncandidates = ["a", "b.jsonl"]\n', encoding="utf-8")
    result = cli_run("score", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert sorted(s["name"] for s in json.loads(result.stdout)["systems"]) == ["b", "s1"]
    (tmp_path / "pyproject.toml").write_text("[tool.harness]\ncandidates = [1]\n", encoding="utf-8")
    bad = cli_run("score")
    assert bad.exit_code == 2 and "'candidates' must be a path or a non-empty list of paths" in bad.stderr


def test_load_corpus_api_reads_sources_and_offtopic_from_jsonl(tmp_path):
    (tmp_path / "refs.jsonl").write_text(
        '{"id": "d1", "references": ["猫吃鱼", "猫吃肉"], "source": "原文", "offtopic": "广告"}\n', encoding="utf-8"
    )
    (tmp_path / "s.jsonl").write_text('{"id": "d1", "summary": "猫"}\n', encoding="utf-8")
    corpus = harness.load_corpus(tmp_path / "refs.jsonl", [tmp_path / "s.jsonl"])
    assert corpus.references == {"d1": {"1": "猫吃鱼", "2": "猫吃肉"}}
    assert corpus.candidates == {"s": {"d1": "猫"}}
    assert corpus.sources == {"d1": "原文"} and corpus.offtopic == {"d1": "广告"}


def test_a_clash_names_the_jsonl_file_the_system_came_from(tmp_path, cli_run, cli_files):
    # Two JSONL files and a folder; 'folder1' is in folder1.jsonl and in the folder: the message
    # names folder1.jsonl (not the first JSONL file given) and the folder.
    cli_files({
        "references/d1/r.txt": "猫",
        "cands/folder1/d1.txt": "猫",
        "folder1.jsonl": '{"id": "d1", "summary": "猫"}\n',
        "other.jsonl": '{"id": "d1", "summary": "狗"}\n',
    })
    result = cli_run("score", "--no-config", "--candidates", "other.jsonl", "--candidates", "folder1.jsonl",
                     "--candidates", "cands")
    assert result.exit_code == 2
    assert result.stderr == "Error: folder1.jsonl: system 'folder1' is also given by cands; each system must come from one place\n"
