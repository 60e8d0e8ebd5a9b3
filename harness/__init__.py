"""harness: ROUGE for Chinese summaries on jieba word tokens, with a reproducibility signature and a CI gate.

The public API (the `harness` command is one client of it)::

    import harness
    scorer = harness.Scorer(["rouge1", "rougeL"])
    scorer.score(target="参考摘要", prediction="候选摘要")            # {metric: Score}
    corpus = harness.load_corpus("references", "candidates")          # folders or JSONL
    evaluation = harness.evaluate(corpus)                              # ranked systems + signature
    for key, scores in harness.score_stream(pairs, jobs=2): ...        # any number of pairs, flat memory
    verdict = harness.check("baseline.json", evaluation)              # verdict.passed
    harness.compare(evaluation, "lead-3")                             # paired tests, as `harness compare`
    harness.dumps_json(evaluation)                                     # `harness score --format json`
    harness.render_html(evaluation, corpus, harness.Settings())       # `harness report`

Names are imported on first use, so `import harness` stays cheap (the command's start-up,
and its Ctrl-C handling, depend on that).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Keep this module free of imports: the `harness` command imports it before its signal handlers
# are installed (harness.cli.entry), and a Ctrl-C during that time would be a Python traceback.
from harness._version import __version__ as __version__  # a constant: nothing else is imported

# Public name -> module that defines it.
_EXPORTS = {
    "Scorer": "harness.rouge.scorer",
    "Score": "harness.rouge.scoring",
    "Settings": "harness.rouge.settings",
    "Corpus": "harness.inputs.corpus",
    "load_corpus": "harness.inputs.load",
    "evaluate": "harness.run.pipeline",
    "score_stream": "harness.run.stream",
    "ScoreStream": "harness.run.stream",
    "Evaluation": "harness.results.model",
    "SystemResult": "harness.results.model",
    "DocumentResult": "harness.results.model",
    "check": "harness.gate.verdict",
    "compare": "harness.stats.comparison",
    "Comparisons": "harness.stats.comparison",
    "Comparison": "harness.stats.comparison",
    "dumps_json": "harness.results.contract",
    "render_html": "harness.render.html",
    "facts": "harness.analyses.facts",
    "Verdict": "harness.gate.verdict",
    "Floor": "harness.gate.verdict",
    "DEFAULT_METRICS": "harness.rouge.metrics",
    "HarnessError": "harness.errors",
    "InputError": "harness.errors",
    "ConfigError": "harness.errors",
    "BaselineError": "harness.errors",
    "SignatureMismatch": "harness.errors",
    "ExitCode": "harness.errors",
}

__all__ = [
    "DEFAULT_METRICS",
    "BaselineError",
    "Comparison",
    "Comparisons",
    "ConfigError",
    "Corpus",
    "DocumentResult",
    "Evaluation",
    "ExitCode",
    "Floor",
    "HarnessError",
    "InputError",
    "Score",
    "ScoreStream",
    "Scorer",
    "Settings",
    "SignatureMismatch",
    "SystemResult",
    "Verdict",
    "__version__",
    "check",
    "compare",
    "dumps_json",
    "evaluate",
    "facts",
    "load_corpus",
    "render_html",
    "score_stream",
]

if TYPE_CHECKING:
    from harness.analyses.facts import facts as facts
    from harness.errors import BaselineError as BaselineError
    from harness.errors import ConfigError as ConfigError
    from harness.errors import ExitCode as ExitCode
    from harness.errors import HarnessError as HarnessError
    from harness.errors import InputError as InputError
    from harness.errors import SignatureMismatch as SignatureMismatch
    from harness.gate.verdict import Floor as Floor
    from harness.gate.verdict import Verdict as Verdict
    from harness.gate.verdict import check as check
    from harness.inputs.corpus import Corpus as Corpus
    from harness.inputs.load import load_corpus as load_corpus
    from harness.render.html import render_html as render_html
    from harness.results.contract import dumps_json as dumps_json
    from harness.results.model import DocumentResult as DocumentResult
    from harness.results.model import Evaluation as Evaluation
    from harness.results.model import SystemResult as SystemResult
    from harness.rouge.metrics import DEFAULT_METRICS as DEFAULT_METRICS
    from harness.rouge.scorer import Scorer as Scorer
    from harness.rouge.scoring import Score as Score
    from harness.rouge.settings import Settings as Settings
    from harness.run.pipeline import evaluate as evaluate
    from harness.run.stream import ScoreStream as ScoreStream
    from harness.run.stream import score_stream as score_stream
    from harness.stats.comparison import Comparison as Comparison
    from harness.stats.comparison import Comparisons as Comparisons
    from harness.stats.comparison import compare as compare


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'harness' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
