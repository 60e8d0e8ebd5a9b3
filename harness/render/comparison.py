"""`harness compare`'s result as a table, markdown or JSON (pure)."""

from __future__ import annotations

from typing import Any

from harness.render.table import dumps_json, name_cell, tabulated
from harness.rouge.metrics import label
from harness.stats.comparison import Comparisons

FORMATS = ("table", "markdown", "json")


def _pts(value: float, signed: bool = False) -> str:
    return f"{100 * value:+.2f}" if signed else f"{100 * value:.2f}"


def render(result: Comparisons, fmt: str = "table") -> str:
    """The comparison in `fmt` (table, markdown or json)."""
    if fmt == "json":
        return dumps_json(to_json_obj(result))
    style = "github" if fmt == "markdown" else "simple"
    percent = result.resampling.percent
    head = ["System", "Metric", "Delta", f"{percent}% CI", "p (bootstrap)", "p (permutation)", f"Significant at {result.alpha:g}"]
    rows = [
        [name_cell(r.system, fmt), label(r.metric), _pts(r.delta, True),
         "-" if r.ci is None else f"[{_pts(r.ci[0], True)}, {_pts(r.ci[1], True)}]",
         "-" if r.p_bootstrap is None else f"{r.p_bootstrap:.4f}",
         "-" if r.p_permutation is None else f"{r.p_permutation:.4f}",
         "-" if r.p_permutation is None else "yes" if r.significant else "no"]
        for r in result.rows
    ]
    table = tabulated(rows, head, style, ("left", "left", "right", "right", "right", "right", "right"))
    baseline = name_cell(result.baseline, fmt)
    about = (
        f"Against {'`' + baseline + '`' if fmt == 'markdown' else baseline}: delta = system - baseline, "
        f"{result.on} x 100, over {result.n_docs} document{'' if result.n_docs == 1 else 's'}; {result.resampling.trials} bootstrap resamples and "
        f"{result.resampling.trials} permutations, seed {result.resampling.seed}; "
        f"significant when p (permutation) <= {result.alpha:g}."
    )
    notes = "".join(f"\nnote: {n}" for n in result.notes)
    if fmt == "markdown":
        return f"{table}\n\n{about}{notes}\n\nSignature: `{result.signature}`\n"
    return f"{table}\n\n{about}{notes}\n{result.signature}\n"


def to_json_obj(result: Comparisons) -> dict[str, Any]:
    """Machine-readable comparison (0-1 scale, unrounded)."""
    return {
        "signature": result.signature,
        "baseline": result.baseline,
        "on": result.on,
        "alpha": result.alpha,
        "documents": result.n_docs,
        "notes": result.notes,
        "comparisons": [
            {"system": r.system, "metric": r.metric, "delta": r.delta, "ci": None if r.ci is None else list(r.ci),
             "p_bootstrap": r.p_bootstrap, "p_permutation": r.p_permutation, "significant": r.significant}
            for r in result.rows
        ],
    }
