"""A user's names list (`--names FILE`): one name a line, ``谷歌=Google`` for aliases, ``#`` comments.

Lines that share a name are one alias group, as a reader of the list takes them: ``谷歌=Google``
and a later ``Google=Alphabet`` make 谷歌, Google and Alphabet three forms of one name, so a list
grown line by line, or two lists joined, means what it says; a repeated line adds nothing. Names
are compared case-folded, as `names._listed` searches a text for them (``Google`` and ``google``
find the same places)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from harness.analyses.facts.bounds import MAX_NAME_CHARS
from harness.errors import InputError, visible

_COMMENT = re.compile(r"(?:^|(?<=\s))#")  # a names file's comment: `C#` is a name


@dataclass(frozen=True, slots=True)
class NamesList:
    """A user's names: one entry per alias group (`join_aliases`), each entry its forms
    (``谷歌=Google``), first form canonical."""

    entries: tuple[tuple[str, ...], ...]
    source: str = "<names>"


def parse_names(text: str, source: str) -> NamesList:
    """Parse a names file: one name a line, ``a=b`` aliases, ``#`` comments, lines sharing a name
    joined (`join_aliases`); a bad line raises InputError."""
    lines: list[tuple[str, ...]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        body = _COMMENT.split(line, 1)[0].strip()
        if not body:
            continue
        forms = tuple(form.strip() for form in body.split("="))
        problem = ("empty name" if not all(forms) else f"a name longer than {MAX_NAME_CHARS} characters"
                   if any(len(f) > MAX_NAME_CHARS for f in forms) else "a name with a control character"
                   if not all(f.isprintable() for f in forms) else "a name with no letter or digit"  # "，": every comma
                   if not all(any(c.isalnum() for c in f) for f in forms) else None)
        if problem is not None:
            raise InputError(f"{source}:{number}: {problem} in {visible(line.strip()[:80])!r}"
                             + (" (write a name, or a=b for aliases)" if problem == "empty name" else ""))
        lines.append(forms)
    return NamesList(join_aliases(lines), source)


def join_aliases(lines: Sequence[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """One entry per group of lines linked by a shared name (case-folded), directly or through
    other lines, in the order of each group's first line; its forms in order of first appearance,
    so the first line's first form stays canonical."""
    parent = list(range(len(lines)))  # union-find over line indices; a group's root is its first line

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}  # a case-folded name -> the first line holding it
    for i, forms in enumerate(lines):
        for form in forms:
            a, b = root(i), root(first.setdefault(form.casefold(), i))
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[str]] = {}
    for i, forms in enumerate(lines):
        groups.setdefault(root(i), []).extend(forms)
    return tuple(tuple(dict.fromkeys(forms)) for forms in groups.values())


def read_names(path: str) -> NamesList:
    """Read and parse a UTF-8 names file (see ``parse_names``); an unreadable file raises InputError."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the names file ({error.__class__.__name__})") from error
    return parse_names(text, path)


def names_digest(names: NamesList | None) -> str:
    """A short digest of a names list, for the signature and the cache's kinds (`none` without one)."""
    if names is None:
        return "none"
    text = "\n".join("=".join(entry) for entry in names.entries)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
