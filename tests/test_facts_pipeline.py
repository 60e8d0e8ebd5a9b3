"""The facts check as a registered analysis: in the pipeline, the JSON contract, the table, the
gate (`--max-unsupported`, `--min facts=`), `harness facts`, and `harness.facts` from Python.

Texts written for these tests. Source: 2021年公司营收为3.2亿元，员工1200人。 Off-topic text pasted
into it: 比特币价格为6万美元。 By hand: summary `good` states 2021年, 3.2亿元 and 1200人, all in the
source; summary `bad` states 32亿元 (in neither: unsupported) and 6万美元 (only in the off-topic
text: offtopic).
"""

from __future__ import annotations

import json

import harness
from harness.inputs.corpus import Corpus
from harness.render import table
from harness.results.contract import to_json_obj
from harness.rouge.settings import Settings
from harness.run.pipeline import evaluate

SOURCE = "2021年公司营收为3.2亿元，员工1200人。\n比特币价格为6万美元。\n"
NOISE = "比特币价格为6万美元。"
GOOD = "2021年公司营收3.2亿元，员工1200人。"
BAD = "公司营收32亿元，价格为6万美元。"


def _figures(result) -> dict[str, str]:
    return {item.text: item.status for item in result.figures}


def _corpus() -> Corpus:
    return Corpus.from_texts({"d": ["公司2021年营收3.2亿元。"]}, {"good": {"d": GOOD}, "bad": {"d": BAD}},
                             sources={"d": SOURCE}, offtopic={"d": NOISE})


def test_statuses_in_the_evaluation_and_json():
    ev = evaluate(_corpus(), Settings(metrics=("rouge1",)))
    by_name = {s.name: s for s in ev.systems}
    assert _figures(by_name["good"].documents["d"].analyses["facts"]) == {
        "2021年": "supported", "3.2亿元": "supported", "1200人": "supported"}
    assert _figures(by_name["bad"].documents["d"].analyses["facts"]) == {"32亿元": "unsupported", "6万美元": "offtopic"}
    entry = {s["name"]: s for s in to_json_obj(ev)["systems"]}["bad"]
    # bad: two items (no names), none supported: precision 0/2, one unsupported, one off-topic.
    assert (entry["facts"]["precision"], entry["facts"]["unsupported"], entry["facts"]["offtopic"]) == (0.0, 1, 1)
    items = entry["facts_documents"]["d"]["figures"]
    assert [(i["text"], i["value"], i["unit"], i["status"]) for i in items] == [
        ("32亿元", "3200000000", "CNY", "unsupported"), ("6万美元", "60000", "USD", "offtopic")]
    assert "facts:facts-v8" in ev.signature
    assert any("32亿元" in w and "not in the source" in w for w in ev.warnings)


def test_table_column_and_skip():
    ev = evaluate(_corpus(), Settings(metrics=("rouge1",)))
    header = table.render(ev).splitlines()[0]
    assert header.split()[-1] == "Facts"
    skipped = evaluate(_corpus(), Settings(metrics=("rouge1",)), skip=("facts",))
    assert "Facts" not in table.render(skipped) and "facts:" not in skipped.signature


def test_api_facts_without_source_uses_references():
    result = harness.facts(BAD, references=[GOOD])
    assert result.evidence == "references"
    assert _figures(result) == {"32亿元": "unsupported", "6万美元": "unsupported"}  # no off-topic text given
    with_source = harness.facts(GOOD, source=SOURCE, offtopic=NOISE)
    assert _figures(with_source) == {"2021年": "supported", "3.2亿元": "supported", "1200人": "supported"}
    assert with_source.precision == 1.0  # 3 of 3 items supported


def _files(cli_files) -> None:
    cli_files({
        "references/d/r.txt": "公司2021年营收3.2亿元。",
        "candidates/good/d.txt": GOOD,
        "candidates/bad/d.txt": BAD,
        "sources/d.txt": SOURCE,
        "offtopic/d.txt": NOISE,
    })


def test_gate_max_unsupported_and_floor(cli_run, cli_files):
    _files(cli_files)
    made = cli_run("check", "--no-config", "--update-baseline", "--no-cache")
    assert made.exit_code == 0, made.stderr
    ok = cli_run("check", "--no-config", "--no-cache", "--max-unsupported", "2")
    assert ok.exit_code == 0, ok.stdout + ok.stderr
    failed = cli_run("check", "--no-config", "--no-cache", "--max-unsupported", "0")
    assert failed.exit_code == 1
    assert "bad document 'd': 2 > 0: 32亿元, 6万美元" in failed.stdout  # the items named, in text order
    floor = cli_run("check", "--no-config", "--no-cache", "--min", "facts=0.5")
    assert floor.exit_code == 1 and "bad facts below-min" in floor.stdout and "good facts" not in floor.stdout
    off = cli_run("score", "--no-config", "--no-cache", "--no-facts")
    assert off.exit_code == 0 and "Facts" not in off.stdout
    # A gate on facts that could not fail is refused before scoring (it once passed, gating nothing):
    # with --no-facts, and with no document that has a source.
    for extra in (["--max-unsupported", "0"], ["--min", "facts=0.99"]):
        skipped = cli_run("check", "--no-config", "--no-cache", "--no-facts", *extra)
        assert skipped.exit_code == 2 and skipped.stderr == (
            f"Error: {' '.join(extra)}: --no-facts skips the facts check, so nothing would be gated\n")
    # Writing a baseline gates nothing, so it is not refused (a config's max-unsupported stays usable).
    wrote = cli_run("check", "--no-config", "--no-cache", "--no-facts", "--update-baseline", "--max-unsupported", "0")
    assert wrote.exit_code == 0, wrote.stderr
    (cli_files({}) / "sources" / "d.txt").unlink()
    none = cli_run("check", "--no-config", "--no-cache", "--max-unsupported", "0")
    assert none.exit_code == 2 and "no document has a source" in none.stderr, none.stderr


def test_facts_command_json_and_names(cli_run, cli_files):
    _files(cli_files)
    cli_files({"names.txt": "# aliases\n谷歌=Google\n", "s.txt": "Google 2021年营收3.2亿元", "src.txt": "谷歌2021年营收3.2亿元。"})
    result = cli_run("facts", "--no-config", "--source", "src.txt", "--names", "names.txt", "--format", "json", "s.txt")
    assert result.exit_code == 0, result.stderr
    obj = json.loads(result.stdout)
    assert obj["file"] == "s.txt" and obj["evidence"] == "source"
    assert {n["text"]: n["status"] for n in obj["names"]}["Google"] == "supported"  # through the alias
    without = json.loads(cli_run("facts", "--no-config", "--source", "src.txt", "--format", "json", "s.txt").stdout)
    assert {n["text"]: n["status"] for n in without["names"]}["Google"] == "unsupported"
    piped = cli_run("facts", "--no-config", "--source", "sources/d.txt", "--offtopic", "offtopic/d.txt", input=BAD.encode())
    assert piped.exit_code == 0 and "UNSUPPORTED 32亿元" in piped.stdout and "OFF-TOPIC   6万美元" in piped.stdout
    bad_names = cli_run("facts", "--no-config", "--source", "src.txt", "--names", "missing.txt", "s.txt")
    assert bad_names.exit_code == 2 and bad_names.stderr.startswith("Error: missing.txt")


def test_facts_command_takes_no_offtopic_key_as_it_takes_no_sources_key(cli_run, cli_files):
    # `offtopic = "offtopic"` in [tool.harness] is the folder `harness score` reads; `harness facts`
    # took it as its --offtopic FILE and failed (`Invalid value for '--offtopic': File 'offtopic'
    # is a directory`), as did a pipe with no --source (refused: --offtopic needs --source). It
    # ignores the key as it ignores `sources` (its --source is one file). Expected: the output of
    # the same command with --no-config, byte for byte (BAD's 6万美元 is in SOURCE, so without
    # --offtopic it is `ok`, supported); --offtopic typed still applies beside the key.
    _files(cli_files)
    cli_files({"pyproject.toml": '[tool.harness]\nofftopic = "offtopic"\nsources = "sources"\n'})
    assert cli_run("score", "--no-cache").exit_code == 0  # the key is right for score
    for args in (["--source", "sources/d.txt"], ["--source", "sources/d.txt", "--offtopic", "offtopic/d.txt"], []):
        keyed = cli_run("facts", *args, input=BAD.encode())
        assert keyed.exit_code == 0, keyed.stderr
        assert keyed.stdout == cli_run("facts", "--no-config", *args, input=BAD.encode()).stdout
    assert "ok          6万美元" in cli_run("facts", "--source", "sources/d.txt", input=BAD.encode()).stdout
    typed = cli_run("facts", "--source", "sources/d.txt", "--offtopic", "offtopic/d.txt", input=BAD.encode())
    assert "OFF-TOPIC   6万美元" in typed.stdout


def test_an_output_never_replaces_the_names_list(cli_run, cli_files):
    # A variant of issue 17's class 1 for the input added with the facts check: -o naming the
    # --names file is refused before anything is written, and the file keeps its bytes.
    _files(cli_files)
    cli_files({"names.txt": "谷歌=Google\n"})
    result = cli_run("score", "--no-config", "--no-cache", "--names", "names.txt", "-o", "names.txt")
    assert result.exit_code == 2 and "names.txt" in result.stderr
    assert open("names.txt", encoding="utf-8").read() == "谷歌=Google\n"


def test_explain_and_html_mark_the_unsupported_items():
    from harness.render.explain import explain, render
    from harness.render.html import render_html

    corpus = _corpus()
    text = render(explain(corpus, Settings(), "bad", "d"))
    # jieba cuts 公司营收32亿元 into 公司/营收/32/亿元 and 价格为6万美元 into 价格/为/6/万美元: the item
    # 32亿元 is the tokens 32 亿元, 6万美元 the tokens 6 万美元; each marked with the plain marker !..!,
    # outside the other marks ([亿元]: in the reference 公司2021年营收3.2亿元; {6}: an off-topic bigram).
    assert "[公司] [营收] !32! ![亿元]! {价格} {为} !{6}! !{万美元}!\n" in text
    assert "!token!: figure or name its source does not support" in text
    assert "facts: 0 of 2 figures and names supported by the source\n  unsupported: 32亿元\n  offtopic: 6万美元\n" in text
    ev = evaluate(corpus, Settings())
    page = render_html(ev, corpus, Settings())
    # The drill-down block carries each item's token positions (2, 3 and 6, 7 of 公司 营收 32 亿元 价格 为 6 万美元),
    # status and text, for the page's dashed outline and tooltip.
    assert '"fact_items":[{"at":[2,3],"status":"unsupported","text":"32亿元"},{"at":[6,7],"status":"offtopic",' in page


def test_extraction_is_kept_in_the_persistent_cache(tmp_path, monkeypatch):
    from harness.analyses.facts import analysis as facts_analysis
    from harness.analyses.facts.extraction import decode, encode, extract
    from harness.analyses.facts.summaries import check_summary

    # encode/decode give back the same Extracted, Decimal values and name forms included.
    for text in (BAD, GOOD, SOURCE, "约5亿美元，Google和谷歌，90比89，2022年6月18日"):
        assert decode(text, encode(extract(text))) == extract(text)
    assert decode("x", b"not json") is None
    cache = tmp_path / "c.sqlite"
    cold = evaluate(_corpus(), Settings(metrics=("rouge1",)), cache=cache)
    # Any extraction or matching on the second run is an error: it must take every text's figures
    # and names, and every summary's result, from the cache.

    def refuse(*_args, **_kwargs):
        raise AssertionError(f"extracted again on a warm run: {_args!r}")

    monkeypatch.setattr(facts_analysis, "extract", refuse)
    monkeypatch.setattr(facts_analysis, "check_extracted", refuse)  # each summary's result is kept too
    monkeypatch.setattr(facts_analysis, "check_summary", refuse)  # (the pipeline checks summaries by piece)
    warm = evaluate(_corpus(), Settings(metrics=("rouge1",)), cache=cache)
    assert to_json_obj(warm) == to_json_obj(cold)
    monkeypatch.undo()

    # A changed reference changes the document's evidence, so no summary's result applies: the
    # summaries and the new reference are read again, the source and the off-topic text are not
    # (their extractions are kept; a summary's is not, its result is).
    read: list[str] = []

    def counted(text, **kwargs):
        read.append(text)
        return extract(text, **kwargs)

    def checked(text, **kwargs):  # a summary: read from its pieces (summaries.check_summary)
        read.append(text)
        return check_summary(text, **kwargs)

    monkeypatch.setattr(facts_analysis, "extract", counted)
    monkeypatch.setattr(facts_analysis, "check_summary", checked)
    changed = Corpus.from_texts({"d": ["公司2021年营收3.2亿元，员工1200人。"]}, {"good": {"d": GOOD}, "bad": {"d": BAD}},
                                sources={"d": SOURCE}, offtopic={"d": NOISE})
    again = evaluate(changed, Settings(metrics=("rouge1",)), cache=cache)
    assert sorted(read) == sorted([BAD, GOOD, "公司2021年营收3.2亿元，员工1200人。"])
    # By hand: the new reference has three figures (2021年, 3.2亿元, 1200人) and no name; `good`
    # states all three, `bad` none (32亿元 is not 3.2亿元).
    assert {s.name: s.documents["d"].analyses["facts"].recall for s in again.systems} == {"good": 1.0, "bad": 0.0}


def test_evidence_that_differs_only_in_where_a_nul_falls_is_other_evidence(tmp_path):
    # The source "A\0B" with one reference, and the source "A" with the off-topic text "B" and an empty
    # reference before the same one, once made the same digest (parts joined by NUL), so the second
    # corpus was answered with the first's results. By hand: in the second, 6万美元 and 比特币 are
    # only in the off-topic text B, so the summary has off-topic items; in the first, B is source.
    a, b = "2021年公司营收为3.2亿元。", "比特币价格为6万美元。"
    summary = {"s": {"d": "公司营收3.2亿元，比特币价格为6万美元。"}}
    first = Corpus.from_texts({"d": ["公司营收3.2亿元。"]}, summary, sources={"d": a + "\0" + b})
    second = Corpus.from_texts({"d": ["", "公司营收3.2亿元。"]}, summary, sources={"d": a}, offtopic={"d": b})
    cache = tmp_path / "c.sqlite"
    evaluate(first, Settings(metrics=("rouge1",)), cache=cache)
    fresh = evaluate(second, Settings(metrics=("rouge1",)))
    again = evaluate(second, Settings(metrics=("rouge1",)), cache=cache)
    assert to_json_obj(again) == to_json_obj(fresh)
    assert again.systems[0].documents["d"].analyses["facts"].offtopic > 0


def test_a_changed_source_or_off_topic_text_alone_is_other_evidence(tmp_path):
    # The references and summaries stay; only the source, then only the off-topic text, changes. A run
    # on the first run's cache must answer as a run without a cache. By hand: with 4.5亿元 in the source
    # in place of 3.2亿元, good's 3.2亿元 is unsupported; with no off-topic text, bad's 6万美元 (in the
    # source's last line) is supported instead of off-topic.
    cache = tmp_path / "c.sqlite"
    first = evaluate(_corpus(), Settings(metrics=("rouge1",)), cache=cache)
    before = {s.name: s.documents["d"].analyses["facts"] for s in first.systems}
    assert _figures(before["good"])["3.2亿元"] == "supported" and _figures(before["bad"])["6万美元"] == "offtopic"
    refs, summaries = {"d": ["公司2021年营收3.2亿元。"]}, {"good": {"d": GOOD}, "bad": {"d": BAD}}
    for changed, system, figure, status in (
        (Corpus.from_texts(refs, summaries, sources={"d": SOURCE.replace("3.2亿元", "4.5亿元")}, offtopic={"d": NOISE}),
         "good", "3.2亿元", "unsupported"),
        (Corpus.from_texts(refs, summaries, sources={"d": SOURCE}), "bad", "6万美元", "supported"),
    ):
        fresh = evaluate(changed, Settings(metrics=("rouge1",)))
        again = evaluate(changed, Settings(metrics=("rouge1",)), cache=cache)
        assert to_json_obj(again) == to_json_obj(fresh)
        found = {s.name: s.documents["d"].analyses["facts"] for s in again.systems}
        assert _figures(found[system])[figure] == status


def test_a_hand_edited_facts_entry_in_a_baseline_is_refused():
    # What `harness check` reads back must be what `harness score` writes: a share in [0, 1] or null,
    # counts that are whole numbers; true is no number, though Python's bool is an int.
    from pathlib import Path

    import pytest

    from harness.errors import BaselineError
    from harness.gate.baseline import validate

    stored = to_json_obj(evaluate(_corpus(), Settings(metrics=("rouge1",))))
    validate(Path("b.json"), stored)  # as written: fine
    for key, value, problem in (
        ("precision", True, "must be null or a number in [0, 1]"),
        ("precision", 1.5, "must be null or a number in [0, 1]"),
        ("recall", -0.5, "must be null or a number in [0, 1]"),
        ("micro_precision", "0.5", "must be null or a number in [0, 1]"),
        ("unsupported", -1, "must be a whole number"),
        ("offtopic", 1.0, "must be a whole number"),
        ("offtopic", True, "must be a whole number"),
    ):
        edited = json.loads(json.dumps(stored))
        edited["systems"][0]["facts"][key] = value
        with pytest.raises(BaselineError) as caught:
            validate(Path("b.json"), edited)
        assert str(caught.value) == f"b.json: systems[0].facts.{key} {problem}; regenerate it with `harness check --update-baseline`"


def test_every_module_of_facts_is_in_its_code_digest():
    # Kept results are answered only by the code that made them: a module left out of the digest
    # (analysis.py once was) could change what a run reads while old entries are still served.
    from pathlib import Path

    from harness.analyses.facts import analysis as facts_analysis

    folder = Path(facts_analysis.__file__).parent
    assert set(facts_analysis.CODE) == {p.name for p in folder.glob("*.py")}


def test_with_another_unit_the_kept_results_name_jiebas_dictionary(tmp_path, monkeypatch):
    # Under --unit char facts still cuts with jieba (its dictionary's words and tags read the names),
    # but the entries' keys come from the char processor's namespace: another jieba dictionary must
    # be a miss (a second run with the same one is not).
    from harness.analyses.facts import analysis as facts_analysis

    cache = tmp_path / "c.sqlite"
    settings = Settings(metrics=("rouge1",), unit="char")
    cold = evaluate(_corpus(), settings, cache=cache)
    checked: list[str] = []
    real = facts_analysis._Evidence.check
    monkeypatch.setattr(facts_analysis._Evidence, "check", lambda self, text: checked.append(text) or real(self, text))
    assert to_json_obj(evaluate(_corpus(), settings, cache=cache)) == to_json_obj(cold) and checked == []
    monkeypatch.setattr(facts_analysis, "dictionary_digest", lambda: "another-dict", raising=False)
    assert to_json_obj(evaluate(_corpus(), settings, cache=cache)) == to_json_obj(cold)
    assert sorted(checked) == sorted([GOOD, BAD])  # both summaries checked again


def test_explain_reads_the_names_list_and_no_facts_as_score_does(cli_run, cli_files):
    # explain once built its document without the run's options: an alias of the names list was
    # "unsupported" there while score supported it, a bad names file passed, and --no-facts was moot.
    root = cli_files({
        "references/d/r.txt": "谷歌没有护城河。",
        "candidates/s/d.txt": "Google没有护城河。",
        "sources/d.txt": "谷歌的文件说谷歌没有护城河。",
        "names.txt": "谷歌=Google\n",
        "bad-names.txt": "谷歌=\n",
    })
    plain = cli_run("explain", "s", "d", "--no-config", "--no-cache", "--no-color")
    assert plain.exit_code == 0 and "unsupported: Google" in plain.stdout, plain.stdout + plain.stderr
    named = cli_run("explain", "s", "d", "--no-config", "--no-cache", "--no-color", "--names", str(root / "names.txt"))
    assert named.exit_code == 0 and "facts: 1 of 1 figures and names supported" in named.stdout, named.stdout
    bad = cli_run("explain", "s", "d", "--no-config", "--no-cache", "--names", str(root / "bad-names.txt"))
    assert bad.exit_code == 2 and "empty name" in bad.stderr
    off = cli_run("explain", "s", "d", "--no-config", "--no-cache", "--no-color", "--no-facts")
    assert off.exit_code == 0 and "facts:" not in off.stdout


def test_the_api_gate_refuses_a_facts_gate_that_could_not_fail():
    # harness.check on an evaluation without facts (no source) with --max-unsupported's or a facts
    # floor's equivalent: refused, as the command refuses it, instead of passing with no facts rows.
    import pytest

    from harness.errors import InputError

    ev = evaluate(Corpus.from_texts({"d": ["公司营收3.2亿元。"]}, {"s": {"d": "公司营收32亿元。"}}))
    stored = json.loads(harness.dumps_json(ev))
    assert harness.check(stored, ev).passed
    for kwargs in ({"max_unsupported": 0}, {"floors": ["facts=0.99"]}):
        with pytest.raises(InputError, match="nothing would be gated"):
            harness.check(stored, ev, **kwargs)
    with_source = evaluate(_corpus())
    assert not harness.check(json.loads(harness.dumps_json(with_source)), with_source, max_unsupported=0).passed


def test_what_was_left_out_is_shown_in_every_output(cli_run, cli_files):
    # A summary stating a 29-digit figure (over bounds.py's 24 significant digits) and 3.2亿元: the
    # first is left out with its reason, at its place (offset 2, after 营收), the second supported.
    cli_files({"s.txt": "营收12345678901234567890123456789元，3.2亿元。", "src.txt": "营收3.2亿元。"})
    why = "figure at 2 skipped: 29 significant digits (over 24)"
    text = cli_run("facts", "--no-config", "--source", "src.txt", "s.txt")
    assert text.exit_code == 0 and f"  left out    {why}\n" in text.stdout
    obj = json.loads(cli_run("facts", "--no-config", "--source", "src.txt", "--format", "json", "s.txt").stdout)
    assert obj["skipped"] == [why] and [f["status"] for f in obj["figures"]] == ["supported"]
    # In harness score's JSON, the document's entry carries it too; a summary with nothing left
    # out has no "skipped" key.
    corpus = Corpus.from_texts({"d": ["营收3.2亿元。"]}, {"s": {"d": "营收12345678901234567890123456789元，3.2亿元。"},
                                                     "t": {"d": "营收3.2亿元。"}}, sources={"d": "营收3.2亿元。"})
    systems = {s["name"]: s for s in to_json_obj(evaluate(corpus, Settings()))["systems"]}
    assert systems["s"]["facts_documents"]["d"]["skipped"] == [why]
    assert "skipped" not in systems["t"]["facts_documents"]["d"]


def test_with_t2s_a_traditional_summary_is_checked_as_its_simplified_text():
    # With --t2s scoring reads every text as simplified; facts read the traditional summary's names in
    # its traditional text with the simplified scoring words, found none of them and dropped them, so a
    # faithful summary lost its names and an invented one passed (a review's finding, v5). Expected,
    # worked out by hand: the traditional summary gives the same items and statuses as its simplified
    # twin, named in simplified form: 黄仁勋 in the source, 马云 and 东京 in neither.
    source = "黄仁勋在台北演讲，宣布与马化腾合作。"
    corpus = Corpus.from_texts({"d": [source]}, {"trad": {"d": "馬雲在東京演講，宣布與黃仁勳合作。"},
                                                  "simp": {"d": "马云在东京演讲，宣布与黄仁勋合作。"}}, sources={"d": source})
    ev = evaluate(corpus, Settings(metrics=("rouge1",), t2s=True))
    found = {s.name: [(i.text, i.status) for i in s.documents["d"].analyses["facts"].names] for s in ev.systems}
    assert found["trad"] == found["simp"] == [("马云", "unsupported"), ("东京", "unsupported"), ("黄仁勋", "supported")]


def test_a_score_pairs_other_side_is_in_every_output(cli_run, cli_files, tmp_path):
    # 90比89 is one figure of two sides (docs/facts.md); the outputs gave its value as 90 alone, so
    # 90比89 and 90比10 read the same in the JSON. Expected values by hand: the pair's sides 90 and
    # 89; 3:1 is supported by 3比1 in the source (sides equal), 90比89 is in no text.
    source = "上半场结束时比分是3比1。"
    summary = "上半场3:1，终场90比89。"
    api = harness.facts(summary, source=source)
    assert [(i.text, i.value, i.second, i.status) for i in api.figures] == [
        ("3:1", 3, 1, "supported"), ("90比89", 90, 89, "unsupported")]
    corpus = Corpus.from_texts({"d": [source]}, {"s": {"d": summary}}, sources={"d": source})
    want = [("3:1", "3", "1", None, "supported"), ("90比89", "90", "89", None, "unsupported")]
    # The API checks the whole text (check_extracted), `harness score` piece by piece (summaries.py): without
    # a cache, then cold and warm with one (the third run reads the results back from it).
    for cache in (None, tmp_path / "c.sqlite", tmp_path / "c.sqlite"):
        entry = to_json_obj(evaluate(corpus, Settings(metrics=("rouge1",)), cache=cache))["systems"][0]
        figures = entry["facts_documents"]["d"]["figures"]
        assert [(i["text"], i["value"], i["second"], i["unit"], i["status"]) for i in figures] == want
        assert list(figures[0]) == ["text", "status", "evidence", "value", "second", "unit"]
    # A figure that is no pair has no "second" key.
    single = to_json_obj(evaluate(Corpus.from_texts({"d": [source]}, {"s": {"d": "收入5亿元。"}}, sources={"d": source}),
                                  Settings(metrics=("rouge1",))))["systems"][0]["facts_documents"]["d"]["figures"]
    assert [list(i) for i in single] == [["text", "status", "evidence", "value", "unit"]]
    cli_files({"src.txt": source, "s.txt": summary})
    text = cli_run("facts", "--no-config", "--source", "src.txt", "s.txt")
    assert text.exit_code == 0 and "(figure = 3:1)" in text.stdout and "(figure = 90:89)" in text.stdout, text.stdout
    obj = json.loads(cli_run("facts", "--no-config", "--source", "src.txt", "--format", "json", "s.txt").stdout)
    assert [(i["value"], i["second"]) for i in obj["figures"]] == [("3", "1"), ("90", "89")]


def test_harness_facts_prints_dates_in_iso_forms():
    # A date's value is year, month and day as one number, 0 where its text leaves one out (the JSON's
    # "value"); `harness facts` prints it in ISO 8601's full and truncated forms. Expected by hand from
    # each text: 2022年6月18日 is 2022-06-18, 2022年6月 2022-06, 6月18日 --06-18 (no year), 18日 ---18.
    from decimal import Decimal

    from harness.analyses.facts import FactItem, FactsResult
    from harness.render.facts import render

    dates = {"2022年6月18日": 20220618, "2022年6月": 20220600, "6月18日": 618, "18日": 18}
    items = [FactItem("figure", text, 10 * i, 10 * i + len(text), "unsupported", None, Decimal(value), "date")
             for i, (text, value) in enumerate(dates.items())]
    items.append(FactItem("figure", "2022年", 50, 55, "unsupported", None, Decimal(2022), "year"))
    out = render([("s.txt", FactsResult(items, "source", None))])
    for text, shown in (("2022年6月18日", "2022-06-18 date"), ("2022年6月", "2022-06 date"), ("6月18日", "--06-18 date"),
                        ("18日", "---18 date"), ("2022年", "2022 year")):
        assert f"{text}  (figure = {shown})" in out, out
    # A value no date reads as (only a result made from Python holds one) prints as the plain decimal it
    # is, and never raises: not finite, not whole, out of range, a month past 12, year and day without month.
    odd = ["NaN", "Infinity", "-Infinity", "618.5", "0", "-618", "100000000", "1318", "20221340", "20220018"]
    items = [FactItem("figure", f"x{i}", 10 * i, 10 * i + 2, "unsupported", None, Decimal(v), "date")
             for i, v in enumerate(odd)]
    out = render([("s.txt", FactsResult(items, "source", None))])
    for i, v in enumerate(odd):
        assert f"x{i}  (figure = {format(Decimal(v).normalize(), 'f')} date)" in out, out
