"""The reproducibility signature printed with every score (sacrebleu-style key:value|...)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from harness._version import __version__
from harness.errors import BaselineError

# Fields that do not change a number and so never block a comparison: the harness version, the
# engine that did the arithmetic (every engine is tested equal to rouge-score), and the resampling
# fields (bootstrap resamples or test trials, seed, confidence), present only when intervals or
# p-values were computed: they describe statistics around the scores, never the point scores a
# gate compares, so a baseline stored with intervals gates a run without them, and the reverse.
# `themes` (the unit theme coverage is matched on, present only when theme files exist) changes
# no ROUGE number either, and follows `unit`, which is compared: a baseline made before the
# theme files existed still gates a run with them. `facts` (the rules version of the facts check,
# present when sources exist) changes no ROUGE number, and facts floors are absolute.
# `conv` (the published tool whose arithmetic made the numbers, `--convention`) is compared, and a
# signature without it is the harness's own: a baseline made under one convention never gates
# another. `conventions` (the versions shown side by side with `--convention all`) changes no number.
NOT_COMPARED = frozenset({"engine", "version", "boot", "trials", "seed", "ci", "themes", "facts", "conventions"})
ABSENT_MEANS = {"conv": "harness"}
# Fields compared only when both signatures have them. `jdict` (a digest of jieba's main
# dictionary) changes numbers when it differs, but baselines written before it existed lack it,
# and for them `tok` (compared) already pins the jieba release whose dictionary ships with it:
# an absent field is "the dictionary of that release", not a difference, while two digests that
# differ mean an edited or repackaged dict.txt and numbers that cannot be compared.
COMPARED_WHEN_BOTH = frozenset({"jdict"})
ORDER = (
    "unit", "tok", "hmm", "dict", "jdict", "norm", "punct", "split", "metrics", "multiref", "docs", "refs", "rouge", "conv",
    "themes", "facts", "conventions",
    "boot", "trials", "seed", "ci", "engine", "version",
)


def build(
    text_fields: Mapping[str, str],
    *,
    metrics: Sequence[str],
    multiref: str,
    n_docs: int | None,
    n_refs: int | None,
    rouge: str,
    engine: str,
) -> str:
    """Assemble the signature; the harness version comes last. Counts are left out when None
    (scores of single pairs, from `harness.Scorer`)."""
    fields = dict(text_fields)
    fields.update(metrics=",".join(metrics), multiref=multiref, rouge=rouge, engine=engine, version=__version__)
    if n_docs is not None:
        fields["docs"] = str(n_docs)
    if n_refs is not None:
        fields["refs"] = str(n_refs)
    return "|".join(f"{key}:{fields[key]}" for key in ORDER if key in fields)


def extend(signature: str, **added: str) -> str:
    """`signature` with fields added (e.g. boot, seed, ci), every field in its place in ORDER."""
    fields = parse(signature)
    fields.update(added)
    known = [k for k in ORDER if k in fields]
    return "|".join(f"{key}:{fields[key]}" for key in known + sorted(set(fields) - set(ORDER)))


def parse(signature: str, source: str = "signature") -> dict[str, str]:
    """Split a signature back into its fields."""
    fields: dict[str, str] = {}
    for part in signature.split("|"):
        key, sep, value = part.partition(":")
        if not sep or not key:
            raise BaselineError(f"{source}: malformed signature field {part!r}")
        fields[key] = value
    return fields


def differences(baseline: str, current: str, source: str = "baseline") -> list[str]:
    """Human-readable list of the compared fields that differ, e.g. "unit: word -> char"."""
    old, new = parse(baseline, source), parse(current)
    keys = [k for k in ORDER if k not in NOT_COMPARED] + sorted((set(old) | set(new)) - set(ORDER))
    for fields in (old, new):
        for key, value in ABSENT_MEANS.items():
            fields.setdefault(key, value)
    return [
        f"{k}: {old.get(k, '(absent)')} -> {new.get(k, '(absent)')}"
        for k in keys
        if k not in NOT_COMPARED and old.get(k) != new.get(k)
        and not (k in COMPARED_WHEN_BOTH and (k not in old or k not in new))
    ]
