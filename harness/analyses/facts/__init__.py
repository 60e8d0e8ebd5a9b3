"""Facts: which figures and names of a summary its source supports (issue 15; rules in docs/facts.md).

Stages, in the order data flows: ``extract`` (``extraction``) reads one text's figures (``figures``)
and names (``names``) once, sentence by sentence, and is cached per distinct text and sentence; ``check_extracted`` matches a summary's items
against the on-topic source (``on_topic``), the off-topic text, or the references, giving each a
status and the per-summary precision and recall (``check``), held in a ``FactsResult`` (``result``);
``harness score`` gets the same result piece by piece, each piece checked once per document
(``summaries``).
Extraction is per text and independent, so it may run in any order or process; matching is a pure
function of the extracted values, so the result is the same whatever ran where.
"""

from collections.abc import Sequence

from harness.analyses.facts.check import RULES_VERSION, check_extracted, check_facts, figures_match, on_topic
from harness.analyses.facts.extraction import Extracted, default_normalize, extract
from harness.analyses.facts.figure import Figure
from harness.analyses.facts.figures import extract_figures
from harness.analyses.facts.names import Name, extract_names
from harness.analyses.facts.names_list import NamesList, parse_names, read_names
from harness.analyses.facts.result import EvidenceKind, FactItem, FactsResult, Status

__all__ = [
    "RULES_VERSION",
    "EvidenceKind",
    "Extracted",
    "FactItem",
    "FactsResult",
    "Figure",
    "Name",
    "NamesList",
    "Status",
    "check_extracted",
    "check_facts",
    "default_normalize",
    "extract",
    "extract_figures",
    "extract_names",
    "facts",
    "figures_match",
    "on_topic",
    "parse_names",
    "read_names",
]


def facts(
    text: str,
    *,
    source: str | None = None,
    offtopic: str | None = None,
    references: Sequence[str] = (),
    names: NamesList | None = None,
) -> FactsResult:
    """Every figure and name of `text` with its status against `source` minus `offtopic` (or, with
    no source, against `references`) and its evidence; `harness.facts` in the public API. An item
    found only in `offtopic` is "offtopic", beside either evidence; `offtopic` with neither `source`
    nor `references` raises InputError, as `harness facts --offtopic` alone does."""
    return check_facts(text, source=source, offtopic=offtopic, references=references, names=names)
