"""harness: ROUGE for Chinese summaries on jieba word tokens, with a reproducibility signature and a CI gate.

The public API (the `harness` command is one client of it)::

    import harness
    scorer = harness.Scorer(["rouge1", "rougeL"])
    scorer.score(target="参考摘要", prediction="候选摘要")            # {metric: Score}
    corpus = harness.load_corpus("references", "candidates")          # folders or JSONL
    evaluation = harness.evaluate(corpus)                              # ranked systems + signature
    verdict = harness.check("baseline.json", evaluation)              # verdict.passed

Names are imported on first use, so `import harness` stays cheap (the command's start-up,
and its Ctrl-C handling, depend on that).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Keep this module free of imports: the `harness` command imports it before its signal handlers
# are installed (harness.entry), and a Ctrl-C during that time would be a Python traceback.
__version__ = "0.1.0"

# Public name -> module that defines it.
_EXPORTS = {
    "Scorer": "harness.scorer",
    "Score": "harness.scoring",
    "Settings": "harness.settings",
    "Corpus": "harness.corpus",
    "load_corpus": "harness.inputs",
    "evaluate": "harness.pipeline",
    "Evaluation": "harness.pipeline",
    "SystemResult": "harness.pipeline",
    "DocumentResult": "harness.pipeline",
    "check": "harness.gate",
    "Verdict": "harness.gate",
    "Floor": "harness.gate",
    "DEFAULT_METRICS": "harness.metrics",
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
    "ConfigError",
    "Corpus",
    "DocumentResult",
    "Evaluation",
    "ExitCode",
    "Floor",
    "HarnessError",
    "InputError",
    "Score",
    "Scorer",
    "Settings",
    "SignatureMismatch",
    "SystemResult",
    "Verdict",
    "__version__",
    "check",
    "evaluate",
    "load_corpus",
]

if TYPE_CHECKING:
    from harness.corpus import Corpus as Corpus
    from harness.errors import BaselineError as BaselineError
    from harness.errors import ConfigError as ConfigError
    from harness.errors import ExitCode as ExitCode
    from harness.errors import HarnessError as HarnessError
    from harness.errors import InputError as InputError
    from harness.errors import SignatureMismatch as SignatureMismatch
    from harness.gate import Floor as Floor
    from harness.gate import Verdict as Verdict
    from harness.gate import check as check
    from harness.inputs import load_corpus as load_corpus
    from harness.metrics import DEFAULT_METRICS as DEFAULT_METRICS
    from harness.pipeline import DocumentResult as DocumentResult
    from harness.pipeline import Evaluation as Evaluation
    from harness.pipeline import SystemResult as SystemResult
    from harness.pipeline import evaluate as evaluate
    from harness.scorer import Scorer as Scorer
    from harness.scoring import Score as Score
    from harness.settings import Settings as Settings


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'harness' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
