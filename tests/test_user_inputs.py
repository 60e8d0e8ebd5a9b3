"""Issue 18 §1, inputs as users have them: JSONL with the field names of common datasets and
generation scripts, integer ids, one reference string, sources in the references file, per-file
field names, folders and globs of candidates files, JSONL references with FILES, and swapped
inputs. Every message is asserted as the user sees it, on inputs written here."""

from __future__ import annotations

import json
import os

import pytest

from harness.errors import InputError
from harness.inputs.fields import JsonlFields, split_spec
from harness.inputs.load import load_corpus

ARTICLE = "研究人员周二发布了一份关于开源人工智能模型如何改变整个软件行业竞争格局的详细报告。报告还提到监管问题。"


def _lines(*objs: dict) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs)


def _scores(result) -> dict[str, float]:
    assert result.exit_code == 0, result.stderr
    return {s["name"]: s["scores"]["rouge1"]["fmeasure"] for s in json.loads(result.stdout)["systems"]}


# --------------------------------------------------------------------------- recognised field names


def test_dataset_and_generation_script_shapes_score_with_no_flags(cli_run, cli_files):
    # The user: CNN/DailyMail-style references, a generation script's outputs.
    cli_files({
        "refs.jsonl": _lines({"idx": 17, "article": ARTICLE, "highlights": "开源 模型 改变 行业"},
                             {"idx": 18, "article": ARTICLE, "highlights": "监管 问题"}),
        "out.jsonl": _lines({"idx": 17, "output": "开源 模型 改变 行业"}, {"idx": 18, "output": "监管"}),
    })
    result = cli_run("score", "--no-config", "--format", "json", "--references", "refs.jsonl", "--candidates", "out.jsonl")
    assert _scores(result) == {"out": pytest.approx((1.0 + 2 / 3) / 2)}
    assert result.stderr == (
        "note: refs.jsonl: using 'idx' for the ids, 'highlights' for the references, 'article' for the sources "
        "(recognised names; refs.jsonl#role=NAME chooses others)\n"
        "note: out.jsonl: using 'idx' for the ids, 'output' for the summaries "
        "(recognised names; out.jsonl#role=NAME chooses others)\n"
    )
    # The article is the document's source: statistics and baselines work from JSONL.
    stats = json.loads(result.stdout)["systems"][0]["stats"]
    assert set(stats) == {"17", "18"} and all(s["novel_unigrams"] == 0.0 for s in stats.values())
    lead = cli_run("score", "--no-config", "--format", "json", "--references", "refs.jsonl", "--candidates",
                   "out.jsonl", "--baselines", "lead-1", "-q")
    assert set(_scores(lead)) == {"out", "lead-1 (source)"} and lead.stderr == ""


def test_two_recognised_names_on_a_line_is_an_error_naming_both_and_the_option(cli_run, cli_files):
    cli_files({
        "refs.jsonl": _lines({"id": "d1", "references": ["猫"]}),
        "out.jsonl": _lines({"id": "d1", "output": "猫", "prediction": "狗"}),
    })
    result = cli_run("score", "--no-config", "--references", "refs.jsonl", "--candidates", "out.jsonl")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: out.jsonl:1: fields 'prediction' and 'output' could both be the summaries; "
        "choose one with --summary-field NAME\n"
    )


def test_a_configured_name_present_wins_and_a_chosen_name_is_the_only_one_tried(tmp_path):
    refs = tmp_path / "refs.jsonl"
    refs.write_text(_lines({"id": "d1", "summary": "猫", "text": "原文"}), encoding="utf-8")
    cands = tmp_path / "s.jsonl"
    cands.write_text(_lines({"id": "d1", "summary": "猫", "text": "原文"}), encoding="utf-8")
    corpus = load_corpus(refs, [cands])  # 'summary' is the default summary field: 'text' is not asked
    assert corpus.candidates == {"s": {"d1": "猫"}} and corpus.references == {"d1": {"1": "猫"}}
    assert corpus.sources == {"d1": "原文"}
    with pytest.raises(InputError) as info:
        load_corpus(refs, [cands], fields=JsonlFields(summary="pred"))
    assert str(info.value) == f"{cands}:1: missing field 'pred'; the line has 'id', 'summary', 'text' — use --summary-field NAME"


def test_integer_ids_are_their_decimal_string_and_one_reference_string_is_a_list(tmp_path):
    refs = tmp_path / "refs.jsonl"
    refs.write_text(_lines({"id": 7, "references": "猫 吃 鱼"}, {"id": -1, "reference": "狗"}), encoding="utf-8")
    cands = tmp_path / "s.jsonl"
    cands.write_text(_lines({"id": "7", "summary": "猫"}, {"id": -1, "summary": "狗"}), encoding="utf-8")
    corpus = load_corpus(refs, [cands])
    assert corpus.references == {"7": {"1": "猫 吃 鱼"}, "-1": {"1": "狗"}}
    assert corpus.candidates == {"s": {"-1": "狗", "7": "猫"}}
    refs.write_text(_lines({"id": True, "references": "猫"}), encoding="utf-8")
    with pytest.raises(InputError, match="field 'id' must be a string, found a boolean"):
        load_corpus(refs, [cands])


# --------------------------------------------------------------------------- per-file field names


def test_per_file_field_names_on_the_command_line_and_in_config(tmp_path, cli_run, cli_files):
    # Two generation scripts that name the id differently, scored together.
    cli_files({
        "refs.jsonl": _lines({"doc": "d1", "gold_summary": "猫 吃 鱼"}),
        "a.jsonl": _lines({"key": "d1", "pred": "猫 吃 鱼"}),
        "b.jsonl": _lines({"id": "d1", "output": "狗"}),
    })
    args = ["score", "--format", "json", "--references", "refs.jsonl#id=doc,references=gold_summary",
            "--candidates", "a.jsonl#id=key,summary=pred", "--candidates", "b.jsonl"]
    by_option = cli_run(*args, "--no-config")
    assert _scores(by_option) == {"a": 1.0, "b": 0.0}
    (tmp_path / "pyproject.toml").write_text(
        '[tool.harness]\nreferences = "refs.jsonl#id=doc,references=gold_summary"\n'
        'candidates = ["a.jsonl#id=key,summary=pred", "b.jsonl"]\n', encoding="utf-8")
    by_config = cli_run("score", "--format", "json")
    assert by_config.exit_code == 0 and by_config.stdout == by_option.stdout
    # FILE#NAME alone names the summary field of a candidates file.
    shorthand = cli_run("score", "--no-config", "--format", "json", "--references", "refs.jsonl#id=doc,references=gold_summary",
                        "--candidates", "a.jsonl#id=key,pred")
    assert _scores(shorthand) == {"a": 1.0}


def test_per_file_field_names_mistyped(tmp_path, cli_run, cli_files):
    cli_files({"refs.jsonl": _lines({"id": "d1", "references": ["猫"]}), "a.jsonl": _lines({"id": "d1", "pred": "猫"})})
    result = cli_run("score", "--no-config", "--references", "refs.jsonl", "--candidates", "a.jsonl#summry=pred")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: a.jsonl: #summry=pred: unknown field role 'summry' (did you mean 'summary'? roles: id, summary, "
        "references, source)\n"
    )


def test_a_file_whose_name_holds_a_hash_still_opens(tmp_path):
    odd = tmp_path / "run#3.jsonl"
    odd.write_text("", encoding="utf-8")
    assert split_spec(odd, "summary") == (odd, None, None)
    assert split_spec(tmp_path / "gone.jsonl#x", "summary") == (tmp_path / "gone.jsonl#x", None, None)


# --------------------------------------------------------------------------- candidates: folders, globs, FILES


@pytest.fixture
def outputs(cli_files):
    return cli_files({
        "refs.jsonl": _lines({"id": "d1", "references": ["猫 吃 鱼"]}),
        "out/good.jsonl": _lines({"id": "d1", "summary": "猫 吃 鱼"}),
        "out/bad.jsonl": _lines({"id": "d1", "summary": "狗"}),
    })


def test_a_folder_of_jsonl_files_is_one_system_per_file(outputs, cli_run):
    result = cli_run("score", "--no-config", "--format", "json", "--references", "refs.jsonl", "--candidates", "out")
    assert _scores(result) == {"good": 1.0, "bad": 0.0}


def test_a_quoted_glob_is_expanded(outputs, cli_run):
    result = cli_run("score", "--no-config", "--format", "json", "--references", "refs.jsonl", "--candidates", "out/*.jsonl")
    assert _scores(result) == {"good": 1.0, "bad": 0.0}
    none = cli_run("score", "--no-config", "--references", "refs.jsonl", "--candidates", "out/*.ndjson")
    assert none.exit_code == 2
    assert none.stderr == f"Error: {os.path.join('out', '*.ndjson')}: no files match\n"


def test_a_shell_expanded_glob_scores_every_file(outputs, cli_run):
    # `--candidates out/*.jsonl` reaches the harness as `--candidates out/bad.jsonl out/good.jsonl`.
    result = cli_run("score", "--no-config", "--format", "json", "--references", "refs.jsonl",
                     "--candidates", "out/bad.jsonl", "out/good.jsonl")
    assert _scores(result) == {"good": 1.0, "bad": 0.0}
    alone = cli_run("score", "--no-config", "--format", "json", "--references", "refs.jsonl", "out/good.jsonl")
    assert _scores(alone) == {"good": 1.0}  # JSONL FILES are candidates; the default candidates/ is not asked


def test_summary_files_and_jsonl_files_mixed_as_files_is_refused_with_the_fix(outputs, cli_run, cli_files):
    cli_files({"mine.txt": "猫"})
    result = cli_run("score", "--no-config", "--references", "refs.jsonl", "mine.txt", "out/good.jsonl")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: mine.txt: FILES are either summary .txt files of one document or candidates (JSONL files, folders), "
        "not both; pass the candidates with --candidates (quote a glob: --candidates 'out/*.jsonl')\n"
    )


def test_jsonl_references_with_summary_files(cli_run, cli_files):
    cli_files({
        "refs.jsonl": _lines({"id": "d1", "references": ["猫 吃 鱼"], "source": ARTICLE},
                             {"id": "d2", "references": ["狗"]}),
        "mine.txt": "猫 吃 鱼",
    })
    result = cli_run("score", "--no-config", "--format", "json", "--references", "refs.jsonl", "mine.txt", "--doc", "d1")
    assert _scores(result) == {"mine": 1.0}
    several = cli_run("score", "--no-config", "--references", "refs.jsonl", "mine.txt")
    assert several.exit_code == 2
    assert several.stderr == "Error: refs.jsonl: 2 documents (d1, d2); choose one with --doc ID\n"


# --------------------------------------------------------------------------- swapped inputs


def test_candidates_several_times_longer_than_the_references_warn(cli_run, cli_files):
    cli_files({
        "refs.jsonl": _lines({"id": "d1", "references": ["开源模型"]}),
        "out.jsonl": _lines({"id": "d1", "summary": ARTICLE}),
    })
    result = cli_run("score", "--no-config", "--references", "refs.jsonl", "--candidates", "out.jsonl", "--no-facts")
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: the candidates are on average 12.8 times as long as the references (51 against 4 characters); "
        "if --references and --candidates are swapped, exchange them\n"
    )


def test_references_that_look_like_outputs(cli_run, cli_files):
    cli_files({
        "refs.jsonl": _lines({"id": "d1", "references": ["猫 吃 鱼"]}),
        "out.jsonl": _lines({"id": "d1", "output": "猫"}),
        "named.jsonl": _lines({"id": "d1", "summary": "猫 吃 鱼", "system": "m"}),
    })
    swapped = cli_run("score", "--no-config", "--references", "out.jsonl", "--candidates", "refs.jsonl")
    assert swapped.exit_code == 2
    assert swapped.stderr == (
        "Error: out.jsonl:1: missing field 'references' (or 'reference'); the line has 'id', 'output' — "
        "the lines look like a system's outputs ('output'): are --references and --candidates swapped?\n"
    )
    both = cli_run("score", "--no-config", "--references", "refs.jsonl", "--candidates", "refs.jsonl")
    assert both.exit_code == 2
    assert both.stderr == (
        "Error: refs.jsonl:1: missing field 'summary'; the line has 'id', 'references' — "
        "the lines look like references ('references'): are --references and --candidates swapped?\n"
    )
    # A references file whose lines name a system reads, with a warning.
    named = cli_run("score", "--no-config", "--references", "named.jsonl", "--candidates", "out.jsonl")
    assert named.exit_code == 0, named.stderr
    assert "warning: named.jsonl: line 1 has a 'system' field, as a system's outputs do: are --references and " \
           "--candidates swapped?\n" in named.stderr


def test_an_output_may_not_replace_a_candidates_file_named_with_fields_or_a_glob(outputs, cli_run):
    # FILE#names and quoted globs name inputs too (issue 17's rule, through issue 18's syntax).
    named = cli_run("score", "--no-config", "--references", "refs.jsonl", "--candidates", "out/good.jsonl#summary",
                    "-o", "out/good.jsonl")
    assert named.exit_code == 2
    good = os.path.join("out", "good.jsonl")
    assert named.stderr == (
        f"Error: -o {good} is the candidates file {good}: refusing to overwrite an input of this run; nothing written\n"
    )
    globbed = cli_run("score", "--no-config", "--references", "refs.jsonl", "--candidates", "out/*.jsonl",
                      "-o", "out/bad.jsonl")
    assert globbed.exit_code == 2 and globbed.stderr.startswith(f"Error: -o {os.path.join('out', 'bad.jsonl')} is the candidates file")
