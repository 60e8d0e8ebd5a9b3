"""`harness explain --convention NAME`: a summary and its reference as a published tool scores them.

For each convention asked (one, or the three with `all`): the text the tool hands to jieba (for
OpenCompass, what `general_postprocess` keeps, and what its cut at the first newline, ASCII '.'
or ',' throws away), the words it scores with those found in the other side marked (the tools
match unique words), the pair's F, and the reasons it departs from the harness.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.errors import visible
from harness.inputs.corpus import Corpus
from harness.render.explain import summary_of
from harness.render.names import display_name
from harness.rouge.conventions import CONVENTIONS, METRICS, Side, unused_references_reason
from harness.rouge.conventions.opencompass import OpenCompass, cut_point
from harness.rouge.conventions.runner import ConventionScorer
from harness.rouge.metrics import label
from harness.rouge.scoring import Score
from harness.rouge.settings import Settings

_SHOWN_DROPPED = 120  # characters of a dropped tail shown (the rest is counted)
_MATCH = (("[", "]"), ("\x1b[1;32m", "\x1b[0m"))


@dataclass
class SideView:
    """One side as the tool scores it: what it keeps, what it drops, and its words (matched or not)."""

    side: str  # "candidate" or "reference"
    kept: str
    dropped: str | None  # the tail a truncation throws away (OpenCompass), with where it starts
    words: list[tuple[str, bool]]


@dataclass
class ConventionView:
    """One convention's view of a (summary, reference) pair."""

    name: str
    version: str
    system: str
    document: str
    reference: str
    unused: list[str]
    scores: dict[str, Score]
    sides: list[SideView]
    reasons: list[str]


def _dropped(name: str, text: str) -> str | None:
    if not isinstance(CONVENTIONS[name], OpenCompass):
        return None
    found = cut_point(text)
    if found is None or not text[found.end():].strip():
        return None
    tail = text[found.start():]
    shown = tail[:_SHOWN_DROPPED] + (f"... ({len(tail) - _SHOWN_DROPPED} more characters)" if len(tail) > _SHOWN_DROPPED else "")
    return f"from '{found.group()}' at character {found.start()} of {len(text)}: {shown}"


def explain(corpus: Corpus, settings: Settings, system: str, document: str | None = None) -> list[ConventionView]:
    """The views of `system` on `document` under the settings' convention (all three for `all`)."""
    document, text = summary_of(corpus, system, document)
    names = list(CONVENTIONS) if settings.convention == "all" else [settings.convention]
    scorer = ConventionScorer(names, settings.convention_cut())
    references = corpus.references[document]
    reference = next(iter(references))
    target = references[reference]
    scored = scorer.score(target=target, prediction=text)
    views = []
    for name in names:
        convention = CONVENTIONS[name]
        words: dict[Side, list[str]] = {
            "prediction": convention.tokens(text, scorer.cut, side="prediction"),
            "target": convention.tokens(target, scorer.cut, side="target"),
        }
        sides = []
        for side, shown, raw, other in (("prediction", "candidate", text, "target"), ("target", "reference", target, "prediction")):
            found = set(words[other])  # type: ignore[index]
            sides.append(SideView(shown, convention.prepare(raw), _dropped(name, raw),
                                  [(w, w in found) for w in words[side]]))  # type: ignore[index]
        views.append(ConventionView(
            name, convention.version, system, document, reference, unused_references_reason(len(references)),
            scored[name], sides, convention.reasons(target=target, prediction=text, cut=scorer.cut),
        ))
    return views


def render(views: list[ConventionView], color: bool = False) -> str:
    """The views as terminal text: words found in the other side as [word] (bold green with `color`)."""
    start, end = _MATCH[color]
    lines: list[str] = []
    for view in views:
        lines.append(f"--convention {view.name} ({view.version}): {display_name(view.system)} on "
                     f"{display_name(view.document)}, reference {display_name(view.reference)} (the first by file order)")
        lines.append("  " + "  ".join(f"{label(m)} {100 * view.scores[m].fmeasure:.2f}" for m in METRICS))
        for side in view.sides:
            lines.append(f"{side.side}, as the tool reads it:")
            lines.append(f"  text:    {display_name(side.kept)}")
            if side.dropped is not None:
                lines.append(f"  dropped: {display_name(side.dropped)}")
            shown = [f"{start}{display_name(w)}{end}" if hit else display_name(w) for w, hit in side.words]
            lines.append(f"  words:   {' '.join(shown) if shown else '(none)'}")
        reasons = view.unused + view.reasons
        if reasons:
            lines.append("where it departs from the harness:")
            lines += [f"  - {visible(r, backslash=False)}" for r in reasons]  # reasons quote with repr()
        legend = "bold green" if color else "[word]"
        lines += [f"({legend}: also in the other side; the tool matches unique words)", ""]
    return "\n".join(lines)
