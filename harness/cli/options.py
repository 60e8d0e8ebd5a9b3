"""Options shared by several commands, and the config-file hook that fills their defaults."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from harness.analyses.extractive import parse_baselines
from harness.analyses.facts import NamesList, parse_names
from harness.analyses.facts.analysis import OPTION as FACTS
from harness.cli import config
from harness.cli.inputs import Choice, check_started, say_notes, verbosity_options
from harness.cli.progress import progress_bar
from harness.errors import ConfigError, InputError
from harness.files import check_encoding, read_text
from harness.inputs.corpus import Corpus
from harness.inputs.fields import JsonlFields
from harness.inputs.load import load_corpus
from harness.results.contract import MEASURES
from harness.rouge import metrics as metric_registry
from harness.rouge.multiref import MULTIREF_MODES
from harness.rouge.settings import CONVENTION_CHOICES, Settings
from harness.run.cache import default_path as default_cache_path
from harness.run.pipeline import Evaluation, check_baselines, evaluate
from harness.stats.resampling import DEFAULT_CONFIDENCE, DEFAULT_SEED, DEFAULT_TRIALS, MASK64, MIN_RESAMPLES, Resampling
from harness.text.tokenizers import UNITS, use_dictionary_cache

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

# Files the harness writes arrive as strings, not Paths: pathlib drops a trailing "/", so "out/"
# would become a file named "out", and harness.files.write_output must see it to refuse a folder.
OUTPUT_FILE = click.Path(dir_okay=False, path_type=str)


def _apply(options: list[Decorator]) -> Decorator:
    def wrap(f: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            f = option(f)
        return f

    return wrap


class CommandLineOnly(click.Option):
    """An option no `[tool.harness]` key sets: the key of its name means another thing (`harness
    facts --offtopic` is one file; the key `offtopic` is the folder of the corpus commands)."""


def _option_names(command: click.Command) -> dict[str, str]:
    """Config key -> parameter name, for the options a `[tool.harness]` key may set."""
    names: dict[str, str] = {}
    for param in command.params:
        if isinstance(param, CommandLineOnly):
            continue
        for opt in getattr(param, "opts", []) + getattr(param, "secondary_opts", []):
            if opt.startswith("--"):
                key = opt[2:]
                names[key] = param.name or key
                if key.startswith("no-"):
                    names.setdefault(key[3:], param.name or key)
    return names


# Both options are eager: click runs their callbacks before any other option, those given on the
# command line first. Whichever runs second sees what the first recorded in ctx.meta.
_NO_CONFIG, _EXPLICIT = "harness.no_config", "harness.config_given"
CONFIG_PATH = "harness.config_path"  # the config file read, an input the outputs must not replace


def _no_config(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        if ctx.meta.get(_EXPLICIT):
            raise click.UsageError("--config and --no-config contradict each other")
        ctx.meta[_NO_CONFIG] = True
        ctx.default_map = None
    return value


def _config(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if ctx.meta.get(_NO_CONFIG):
        if value is not None:
            raise click.UsageError("--config and --no-config contradict each other")
        return value
    if value is not None:
        ctx.meta[_EXPLICIT] = True
    path = Path(value) if value is not None else config.find_pyproject(Path.cwd())
    if path is None:
        return value
    options = config.load(path)
    ctx.meta[CONFIG_PATH] = path
    assert ctx.command is not None
    ctx.default_map = config.default_map(options, _option_names(ctx.command), _choices(ctx.command))
    _refuse_wrong_kinds(ctx, path, options)
    return value


def _refuse_wrong_kinds(ctx: click.Context, path: Path, options: dict[str, Any]) -> None:
    """Make every key whose path is of the wrong kind for this command (a folder for `names`, a file
    for `sources`) a ConfigError naming the file and key, raised if the run uses it. Left to click,
    the default was checked as if typed and the error named `--names`, an option the user never typed.

    A key the command line overrides is not read, so its path does not stop the run (`names` a folder
    and `--names FILE` typed). The content of the file itself (types, ranges, choices) is checked
    whole by config.load, typed over or not."""
    assert ctx.command is not None and ctx.default_map is not None
    kinds: dict[str, click.Path] = {p.name: p.type for p in ctx.command.params if p.name and isinstance(p.type, click.Path)}
    params = _option_names(ctx.command)
    problems: list[tuple[str, str]] = []  # (parameter name, problem)
    for key, value in options.items():
        name = params.get(key, "")
        kind = kinds.get(name)
        if kind is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            try:
                kind.convert(item, None, None)  # click's own checks, so nothing it refuses gets through
            except click.BadParameter as exc:
                problems.append((name, f"{key!r} {_kind_problem(str(item), kind, exc)}"))

    def refuse() -> None:
        # click calls a default_map entry that is a function only when the option was not typed, and
        # processes the typed options first (its documented callback order), so every typed one has a
        # source by now: all the bad keys the run would use are named at once. Not in shell completion.
        if ctx.resilient_parsing:
            return None
        typed = {click.core.ParameterSource.COMMANDLINE, click.core.ParameterSource.ENVIRONMENT}
        unused = {name for name, _ in problems if ctx.get_parameter_source(name) in typed}
        raise ConfigError(f"{path}: [tool.harness]: " + "; ".join(p for name, p in problems if name not in unused))

    for name, _ in problems:
        ctx.default_map[name] = config.Refused(ctx.default_map.get(name), refuse)  # help shows the file's value


def _kind_problem(item: str, kind: click.Path, exc: click.BadParameter) -> str:
    if not kind.dir_okay and os.path.isdir(item):
        return f"must be a file, not the folder {item!r}"
    if not kind.file_okay and os.path.isfile(item):
        return f"must be a folder, not the file {item!r}"
    return f"cannot be used: {exc.message.rstrip('.')}"  # as click says it (not readable, ...)


def _choices(command: click.Command) -> dict[str, tuple[str, ...]]:
    return {p.name: tuple(p.type.choices) for p in command.params if p.name and isinstance(p.type, click.Choice)}


config_options = _apply([
    click.option("--no-config", is_flag=True, is_eager=True, expose_value=False, callback=_no_config,
                 help="Ignore [tool.harness] in pyproject.toml."),
    click.option("--config", type=click.Path(dir_okay=False), is_eager=True, expose_value=False, callback=_config,
                 help="Read [tool.harness] from this file instead of the nearest pyproject.toml."),
])


def _metrics(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    return metric_registry.parse_list(value)


def _executor(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    if value == "processes":  # the default (harness.run.distributed.PROCESSES), which needs no check
        return value
    from harness.run.distributed import check_executor  # Dask's side, only for another engine: it takes ~15 ms to import

    return check_executor(value)


def check_output_path(path: str | Path | None) -> str | Path | None:
    """Refuse an output path in a folder that does not exist before any input is read, rather
    than after all the scoring (click's Path(dir_okay=False) already refuses a folder itself;
    write_output checks again when it writes)."""
    if path is None:
        return None
    folder = Path(path).parent
    if not folder.is_dir():
        raise InputError(f"{path}: folder {folder} does not exist")
    return path


def output_path(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Click callback: `check_output_path` at parse time."""
    check_output_path(value)
    return value


output_option = click.option("-o", "--output", type=OUTPUT_FILE, callback=output_path,
                             help="Write the report to FILE (atomically) instead of standard output.")
on_option = click.option("--on", type=click.Choice(MEASURES), default="fmeasure", show_default=True,
                         help="Which measure is compared.")


def _encoding(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    check_encoding(value)
    return value


encoding_option = click.option(
    "--encoding", callback=_encoding, metavar="NAME",
    help="Encoding for input files that have no BOM and are not valid UTF-8, e.g. gb18030.",
)

settings_options = _apply([
    click.option("--unit", type=Choice(UNITS), default="word", show_default=True,
                 help="Token unit: jieba words, or single Han characters."),
    click.option("--user-dict", type=click.Path(dir_okay=False, path_type=Path),
                 help="jieba user dictionary for domain terms (word unit only)."),
    click.option("--hmm/--no-hmm", default=True, show_default=True, help="jieba HMM for unknown words."),
    click.option("--t2s", is_flag=True, help="Convert traditional Chinese to simplified before scoring (OpenCC)."),
])

scoring_options = _apply([
    click.option("--metrics", default=",".join(metric_registry.DEFAULT_METRICS), show_default=True, callback=_metrics,
                 help=f"Comma-separated ROUGE types: {metric_registry.CHOICES_HELP}."),
    settings_options,
    click.option("--multiref", type=Choice(MULTIREF_MODES), default="best", show_default=True,
                 help="Several references, per metric: best (highest F), mean, best-recall (ROUGE-1.5.5 -f B) "
                      "or pooled (ROUGE-1.5.5 -f A: counts summed over the references)."),
    click.option("--convention", type=Choice(CONVENTION_CHOICES), default="harness", show_default=True,
                 help="Whose ROUGE: the harness's own, a published tool's exactly (rouge-chinese, llamafactory, "
                      "opencompass: rouge1, rouge2, rougeL), or all side by side (docs/conventions.md)."),
    click.option("--cache/--no-cache", default=True, show_default=True,
                 help="Keep analysed texts and pair scores in the harness cache folder, so reruns redo only "
                      "what changed (`harness cache info`)."),
    click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default="0: one per core",
                 help="Processes to score documents on; 1 scores in this process. The output is the same."),
    click.option("--executor", default="processes", show_default=True, metavar="ENGINE", callback=_executor,
                 help="Where documents are scored: processes (this machine), dask (a local Dask cluster of --jobs "
                      "workers, or DASK_SCHEDULER_ADDRESS), or a Dask scheduler's tcp://HOST:PORT; same output."),
    click.option("--facts/--no-facts", default=True, show_default=True,
                 help="Check each summary's figures and names against its document's source (when sources "
                      "exist): a Facts column, JSON `facts`, and the gate's --max-unsupported."),
    click.option("--names", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                 help="Names the facts check should know (one a line; `谷歌=Google` makes aliases)."),
])

corpus_options = _apply([
    click.option("--references", type=click.Path(path_type=Path), default=Path("references"), show_default=True,
                 help="Folder of references/<doc-id>/*.txt, or a JSONL file with one document a line "
                      "(FILE#id=NAME,references=NAME,source=NAME names its fields; docs/inputs.md)."),
    click.option("--candidates", type=click.Path(path_type=Path), multiple=True, default=[Path("candidates")],
                 show_default=True,
                 help="Folder of candidates/<system>/<doc-id>.txt, a JSONL file (system: its stem or a "
                      "'system' field), a folder of JSONL files or a quoted glob; repeatable, mixed. "
                      "FILE#NAME or FILE#id=NAME,summary=NAME names one file's fields."),
    click.option("--id-field", default="id", show_default=True,
                 help="JSONL: the document id field (by default idx, doc_id, uid, example_id are recognised too)."),
    click.option("--summary-field", default="summary", show_default=True,
                 help="JSONL: the candidate summary field (by default prediction, output, generated, ... too)."),
    click.option("--references-field", default="references", show_default=True,
                 help="JSONL: the references field, a list or one string (by default reference, target, "
                      "highlights, ... too)."),
    click.option("--offtopic", type=click.Path(file_okay=False, path_type=Path),
                 help="Folder of <doc-id>.txt texts summaries should leave out (default: offtopic/ beside "
                      "--references, if it exists); adds an Off-topic % column."),
    click.option("--sources", type=click.Path(file_okay=False, path_type=Path),
                 help="Folder of <doc-id>.txt source documents (default: sources/ beside --references, if it "
                      "exists); gives source statistics and makes --baselines possible."),
    click.option("--themes", type=click.Path(file_okay=False, path_type=Path),
                 help="Folder of <doc-id>.txt theme files (default: themes/ beside --references, if it exists); "
                      "adds a covered/total column per theme."),
    encoding_option,
    *verbosity_options,
])


def themes_folder(params: dict[str, Any]) -> Path | None:
    """--themes if given, else an existing themes/ folder beside the references folder."""
    if params["themes"] is not None:
        return Path(params["themes"])
    beside = Path(params["references"]).parent / "themes"
    return beside if beside.is_dir() else None


def offtopic_folder(params: dict[str, Any]) -> Path | None:
    """--offtopic if given, else an existing offtopic/ folder beside the references folder."""
    if params["offtopic"] is not None:
        return Path(params["offtopic"])
    beside = Path(params["references"]).parent / "offtopic"
    return beside if beside.is_dir() else None


def sources_folder(params: dict[str, Any]) -> Path | None:
    """--sources if given, else an existing sources/ folder beside the references folder."""
    if params["sources"] is not None:
        return Path(params["sources"])
    beside = Path(params["references"]).parent / "sources"
    return beside if beside.is_dir() else None


def _baselines(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[str, ...]:
    return parse_baselines(value)


baselines_option = click.option(
    "--baselines", metavar="LIST", callback=_baselines,
    help="Add rows computed from the sources, marked as baselines: lead-N (first N sentences, e.g. lead-3) "
         "and/or oracle (greedy extractive oracle), comma-separated.",
)


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, where the OS tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def jobs_from(params: dict[str, Any]) -> int:
    """--jobs, with 0 meaning one process per usable core, and capped there, with a warning:
    more processes than cores only add memory (`--jobs 10000` forked thousands of processes)."""
    cores = usable_cores()
    asked = int(params["jobs"])
    if asked > cores:
        click.echo(f"warning: --jobs {asked}: capped at the {cores} usable cores", err=True)
    return min(asked, cores) if asked else cores


def evaluate_from(
    corpus: Corpus, settings: Settings, params: dict[str, Any], baselines: tuple[str, ...] = ()
) -> Evaluation:
    """Score `corpus` with the parsed options, showing progress on a terminal for long runs."""
    check_baselines(corpus, baselines)  # before the progress bar: a refusal is one clean line
    options = analysis_options(params)
    skip = skipped_analyses(params)
    with progress_bar(len(corpus.references)) as advance:
        cache = default_cache_path() if params["cache"] else None
        use_dictionary_cache(params["cache"])  # --no-cache: jieba's dictionary cache file is bypassed too
        return evaluate(corpus, settings, jobs=jobs_from(params), cache=cache, progress=advance, baselines=baselines,
                        options=options, skip=skip, every_warning=bool(params.get("verbose")),
                        executor=params.get("executor", "processes"),
                        notice=lambda line: click.echo(f"warning: {line}", err=True))


def names_from(path: Path | None, encoding: str | None = None) -> NamesList | None:
    """The names list of `--names` (read with the harness's file rules), or None."""
    if path is None:
        return None
    return parse_names(read_text(Path(path), encoding), str(path))


def skipped_analyses(params: dict[str, Any]) -> tuple[str, ...]:
    """The registered analyses the parsed options leave out (`--no-facts`)."""
    return () if params["facts"] else (FACTS,)


def analysis_options(params: dict[str, Any]) -> dict[str, Any]:
    """The registered analyses' options from the parsed command options."""
    return {FACTS: names_from(params.get("names"), params.get("encoding"))}


def fields_from(params: dict[str, Any]) -> JsonlFields:
    """The JSONL field names of --id-field, --summary-field and --references-field."""
    return JsonlFields(id=params["id_field"], summary=params["summary_field"], references=params["references_field"])


def load_from(params: dict[str, Any]) -> Corpus:
    """The corpus the parsed options name (folders and/or JSONL files); how it was read is said on stderr."""
    check_started(params)
    corpus = load_corpus(
        params["references"], params["candidates"], params["encoding"], offtopic_folder(params),
        fields=fields_from(params), sources=sources_folder(params), themes=themes_folder(params),
    )
    say_notes(corpus.notes, params)
    return corpus


def settings_from(params: dict[str, Any]) -> Settings:
    """Settings from the parsed options of a scoring command, validated (user dictionary
    included) before the caller reads any corpus text."""
    metrics = params["metrics"]
    context = click.get_current_context(silent=True)
    if context is not None and context.get_parameter_source("metrics") == click.core.ParameterSource.DEFAULT:
        metrics = metric_registry.DEFAULT_METRICS  # not chosen: a --convention narrows it to its three
    settings = Settings(
        metrics=metrics, unit=params["unit"], hmm=params["hmm"], user_dict=params["user_dict"],
        t2s=params["t2s"], multiref=params["multiref"], convention=params.get("convention", "harness"),
    )
    settings.check()
    return settings


# Resampling (harness.stats.resampling): the seed and confidence of intervals, the trials of paired tests.
seed_option = click.option(
    "--seed", type=click.IntRange(min=0, max=MASK64), default=DEFAULT_SEED, show_default=True,
    help="Seed of the harness's own generator (SplitMix64); the same seed gives the same bytes everywhere.",
)
confidence_option = click.option(
    "--confidence", type=click.FloatRange(min=0.0, max=1.0, min_open=True, max_open=True), default=DEFAULT_CONFIDENCE,
    show_default=True, help="Confidence level of the percentile intervals.",
)
trials_option = click.option(
    # A plain int: click's range would show "x>=..." in the help; Resampling says why fewer cannot work.
    "--trials", type=int, default=DEFAULT_TRIALS, show_default=True,
    help=f"Resamples and permutations of the paired tests (at least {MIN_RESAMPLES}).",
    # checked when given, used or not (a check without --significance once took any count)
    callback=lambda _ctx, _param, value: Resampling(value).trials,
)
