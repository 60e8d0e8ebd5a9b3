"""Which field of a JSON Lines object holds the id, the summary, the references and the source.

A role's configured name is used when the line has it. When it does not, and the name is the
default (nobody chose it), the names common datasets and generation scripts use are tried
(`NAMES`): one present is used and the file says so once; two present is an error naming both
and the option that chooses. A name chosen with an option, a `[tool.harness]` key or
`FILE#role=NAME` is the only one tried.

A file can carry its own names after a `#`: `out.jsonl#output` (the summary field of a
candidates file, the references field of a references file) or `out.jsonl#id=idx,summary=output`.
The `#` part is read as names only when the path with it does not exist and the path before it
does, so a file whose name holds a `#` still opens.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path

from harness.errors import InputError

ROLES = ("id", "summary", "references", "source")
# Tried in this order when the configured (default) name is absent; the first of each is the default.
NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "idx", "doc_id", "uid", "example_id"),
    "references": ("references", "reference", "target", "targets", "summary", "highlights", "abstract", "gold",
                   "label", "answer"),
    "summary": ("summary", "prediction", "predict", "output", "generated", "response", "candidate", "hypothesis",
                "text"),
    "source": ("source", "article", "document", "content", "text"),
}
# Names only one side uses: a references file with an 'output' field, or a candidates file with
# 'highlights', was most likely given to the other option.
OUTPUTS_ONLY = frozenset(NAMES["summary"]) - frozenset(NAMES["references"]) - frozenset(NAMES["source"])
REFERENCES_ONLY = frozenset(NAMES["references"]) - frozenset(NAMES["summary"])
SWAPPED = "are --references and --candidates swapped?"
# Read without a note: the singular form was accepted long before the other names.
UNREMARKED = {"references": ("reference",)}
OPTIONS = {"id": "--id-field", "summary": "--summary-field", "references": "--references-field", "source": "FILE#source="}
WHAT = {"id": "the ids", "summary": "the summaries", "references": "the references", "source": "the sources"}


@dataclass(frozen=True)
class JsonlFields:
    """Names of the id, summary, references and source fields in the JSONL objects; `chosen`
    holds roles named on purpose even where the name is the default (`FILE#id=id`)."""

    id: str = "id"
    summary: str = "summary"
    references: str = "references"
    source: str = "source"
    chosen: frozenset[str] = field(default=frozenset(), compare=False)

    def __post_init__(self) -> None:
        for role in ROLES:
            if not getattr(self, role):
                raise InputError(f"JSONL {role} field name is empty")
        if self.id in (self.summary, self.references):
            raise InputError(f"JSONL id field {self.id!r} cannot also be the summary or references field")

    def names(self, role: str) -> tuple[str, ...]:
        """The names tried for `role`, the configured one first."""
        name = getattr(self, role)
        if role in self.chosen or name != NAMES[role][0]:
            return (name,)
        return NAMES[role]

    def configured(self, role: str) -> str:
        return str(getattr(self, role))


def split_spec(path: Path, shorthand: str) -> tuple[Path, JsonlFields | None, str | None]:
    """`FILE#NAME` or `FILE#role=NAME,...` -> (FILE, fields with those names, None); a path without
    such a part -> (path, None, None); a bad part -> (FILE, None, why). `shorthand` is the role a
    bare NAME names ("summary" for candidates, "references" for references)."""
    text = str(path)
    if "#" not in text or path.exists():
        return path, None, None
    head, _, spec = text.rpartition("#")
    if not head or not Path(head).exists():
        return path, None, None
    names: dict[str, str] = {}
    for part in spec.split(","):
        role, sep, name = part.strip().partition("=")
        role, name = (role.strip(), name.strip()) if sep else (shorthand, role.strip())
        if role not in ROLES:
            close = difflib.get_close_matches(role, ROLES, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            return Path(head), None, f"#{spec}: unknown field role {role!r} ({hint}roles: {', '.join(ROLES)})"
        if not name:
            return Path(head), None, f"#{spec}: no field name for {role!r} (write {role}=NAME)"
        names[role] = name
    return Path(head), names_to_fields(names), None


def names_to_fields(names: dict[str, str], base: JsonlFields | None = None) -> JsonlFields:
    """`base` (the defaults) with the roles in `names` chosen."""
    base = base or JsonlFields()
    return replace(base, **names, chosen=base.chosen | frozenset(names))


def merged(base: JsonlFields, own: JsonlFields | None) -> JsonlFields:
    """A file's own names over the options' names."""
    if own is None:
        return base
    return names_to_fields({r: own.configured(r) for r in own.chosen}, base)


def used_note(path: Path, used: dict[str, list[str]], fields: JsonlFields) -> str | None:
    """One line saying which recognised names a file's lines used, or None when all were the configured ones."""
    parts = []
    for role in ROLES:
        others = [n for n in used.get(role, []) if n != fields.configured(role) and n not in UNREMARKED.get(role, ())]
        if others:
            parts.append(f"{' and '.join(map(repr, others))} for {WHAT[role]}")
    if not parts:
        return None
    return f"{path}: using {', '.join(parts)} (recognised names; {path}#role=NAME chooses others)"
