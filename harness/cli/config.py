"""`[tool.harness]` in pyproject.toml: keys are the long option names, values their defaults.

Precedence is command line > config > built-in defaults (the values become click's
`default_map`). Unknown keys fail with a close-match suggestion. Relative paths
are taken relative to the folder of the pyproject.toml that holds them.
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from harness.analyses.extractive import parse_baselines
from harness.errors import ConfigError, HarnessError, InputError
from harness.files import ENCODING_HINT, encoding_problem, read_bytes
from harness.render.table import FORMATS as REPORT_FORMATS
from harness.results.contract import MEASURES
from harness.rouge.metrics import check_metrics
from harness.rouge.multiref import MULTIREF_MODES
from harness.rouge.settings import CONVENTION_CHOICES
from harness.stats.resampling import MASK64, MAX_RESAMPLES, MIN_RESAMPLES
from harness.text.tokenizers import UNITS

# Every key, with the TOML types it accepts. Keys mirror the CLI options exactly.
KEYS: dict[str, tuple[type, ...]] = {
    "references": (str,),
    "candidates": (str, list),
    "offtopic": (str,),
    "sources": (str,),
    "baselines": (str, list),
    "stats": (bool,),
    "themes": (str,),
    "encoding": (str,),
    "metrics": (str, list),
    "unit": (str,),
    "hmm": (bool,),
    "user-dict": (str,),
    "t2s": (bool,),
    "multiref": (str,),
    "convention": (str,),
    "format": (str,),
    "detail": (bool,),
    "indent": (bool,),
    "baseline": (str,),
    "baseline-from": (str,),
    "tolerance": (float, int),
    "min": (list, dict),
    "min-theme": (list, dict),
    "on": (str,),
    "junit": (str,),
    "top-documents": (int,),
    "id-field": (str,),
    "summary-field": (str,),
    "references-field": (str,),
    "jobs": (int,),
    "executor": (str,),
    "cache": (bool,),
    "bootstrap": (int,),
    "confidence": (float,),
    "seed": (int,),
    "trials": (int,),
    "alpha": (float,),
    "facts": (bool,),
    "names": (str,),
    "max-unsupported": (int,),
    "significance": (float,),
    "quiet": (bool,),
    "verbose": (bool,),
}
# Allowed values of keys with a fixed set of choices, taken from the modules that own them
# (`format`, the union over commands, is `formats()`).
CHOICES: dict[str, tuple[str, ...]] = {
    "unit": UNITS,
    "multiref": MULTIREF_MODES,
    "convention": CONVENTION_CHOICES,
    "on": MEASURES,
}
_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false", list: "a list", dict: "a table"}
PATH_KEYS = frozenset({"references", "candidates", "offtopic", "sources", "themes", "user-dict", "baseline", "junit", "names"})


@cache
def formats() -> tuple[str, ...]:
    """The allowed values of `format`: every command's formats. Looked up when a file sets it:
    the verdict's formats come with the gate, which `harness score` does not otherwise import."""
    from harness.render.verdict import FORMATS as VERDICT_FORMATS

    return tuple(dict.fromkeys((*REPORT_FORMATS, "html", *VERDICT_FORMATS)))


def _display_path(path: Path) -> str:
    """Absolute path, or relative to the working folder when it is inside it (shorter messages)."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` that has a [tool.harness] table."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                if "harness" in _read(candidate).get("tool", {}):
                    return candidate
            except ConfigError:
                return candidate  # broken file: let load() report it
    return None


def _read(path: Path) -> dict[str, Any]:
    import tomllib  # imported when a pyproject.toml is read: never with --no-config

    try:
        return tomllib.loads(read_bytes(path).decode())  # as tomllib.load does; read_bytes adds the limits
    except InputError as exc:  # no such file, not a regular file, too large
        raise ConfigError(str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None


def load(path: Path) -> dict[str, Any]:
    """Validated `[tool.harness]` of `path`, keyed by option name (an empty dict if absent)."""
    table = _read(path).get("tool", {}).get("harness", {})
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path}: [tool.harness] must be a table")
    problems = []
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"unknown key {key!r}{hint}")
            continue
        types = KEYS[key]
        if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            names = " or ".join(_TYPE_NAMES[t] for t in types)
            problems.append(f"{key!r} must be {names}, not {value!r}")
            continue
        problem = _check_value(key, value)
        if problem:
            problems.append(f"{key!r} {problem}")
            continue
        if key in PATH_KEYS and isinstance(value, list):
            value = [_display_path(path.parent / str(v)) for v in value]
        elif key in PATH_KEYS:  # a trailing "/" is kept: for an output it says "a folder", an error
            value = _display_path(path.parent / str(value)) + (os.sep if str(value).endswith(("/", os.sep)) else "")
            if key == "candidates":
                value = [value]
        elif key in ("metrics", "baselines") and isinstance(value, list):
            value = ",".join(map(str, value))
        elif key in ("min", "min-theme") and isinstance(value, Mapping):
            value = [f"{k}={v}" for k, v in value.items()]
        out[key] = value
    if problems:
        raise ConfigError(f"{path}: [tool.harness]: " + "; ".join(problems))
    return out


def _check_value(key: str, value: Any) -> str | None:
    """Why a well-typed value is still unusable, or None."""
    if key == "candidates" and isinstance(value, list) and not (value and all(isinstance(v, str) for v in value)):
        return f"must be a path or a non-empty list of paths, not {value!r}"
    texts = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
    if any("\0" in v for v in texts):  # no path or revision holds one (os.stat raised ValueError)
        return f"must not hold a NUL character, not {value!r}"
    if key in PATH_KEYS and any(not v for v in texts):  # "" would be the config's own folder
        return "must not be an empty path"
    choices = formats() if key == "format" else CHOICES.get(key)
    if choices is not None and value not in choices:
        return f"must be one of {', '.join(choices)}, not {value!r}"
    if key in ("tolerance", "top-documents", "jobs", "seed", "max-unsupported") and not (math.isfinite(value) and value >= 0):
        return f"must be a finite number, zero or more, not {value!r}"
    if key in ("bootstrap", "trials") and value < MIN_RESAMPLES:
        return f"must be at least {MIN_RESAMPLES}, not {value!r}"
    # Upper bounds here too: left to the option, the error named `--seed`, which the user never
    # typed, instead of this file and key.
    if key == "seed" and value > MASK64:
        return f"must be at most {MASK64} (a 64-bit seed), not {value!r}"
    if key in ("bootstrap", "trials") and value > MAX_RESAMPLES:
        return f"must be at most {MAX_RESAMPLES:,} (time grows with each resample), not {value!r}"
    if key in ("confidence", "significance", "alpha") and not (math.isfinite(value) and 0 < value < 1):
        return f"must be a number between 0 and 1, not {value!r}"
    if key == "executor" and not (value in ("processes", "dask") or "://" in value):
        return f"must be processes, dask or a Dask scheduler address (tcp://HOST:PORT), not {value!r}"
    if key == "encoding":
        problem = encoding_problem(value)
        if problem:
            return f"is {problem}: {value!r} ({ENCODING_HINT})"
    if key == "metrics":
        names = value if isinstance(value, list) else value.split(",")
        try:
            check_metrics([str(m).strip() for m in names if str(m).strip()])
        except HarnessError as exc:
            return str(exc)
    if key == "baselines":
        try:
            parse_baselines([str(b) for b in value] if isinstance(value, list) else value)
        except HarnessError as exc:
            return str(exc).replace("--baselines ", "entry ", 1)
    if key in ("min", "min-theme"):
        from harness.gate.verdict import parse_floor, parse_theme_floor  # the gate: only for a file with floors

        parse = parse_floor if key == "min" else parse_theme_floor
        items = [f"{k}={v}" for k, v in value.items()] if isinstance(value, Mapping) else value
        for item in items:
            try:
                parse(str(item))
            except HarnessError as exc:
                return str(exc).replace(f"--{key} ", "entry ", 1)
    return None


def default_map(
    options: Mapping[str, Any], params: Mapping[str, str], choices: Mapping[str, tuple[str, ...]] | None = None
) -> dict[str, Any]:
    """Translate option-name keys into a command's click parameter names (`params`: option -> param).

    Keys the command does not take are skipped: they belong to another command. So is a value
    the command cannot take though another can (`format = "csv"` is for score, not check)."""
    choices = choices or {}
    out = {}
    for key, value in options.items():
        name = params.get(key)
        if name is None or (name in choices and value not in choices[name]):
            continue
        out[name] = value
    return out


class Refused:
    """The default of a key whose path is of the wrong kind for the command: click calls it only
    when the option was not typed, and `fail` raises the ConfigError then. `--help` shows the value
    the file gives, as for any other key (click shows a plain function as "(dynamic)")."""

    def __init__(self, value: Any, fail: Callable[[], None]) -> None:
        self.value = value
        self.fail = fail

    def __call__(self) -> None:
        self.fail()

    def __str__(self) -> str:
        return ", ".join(map(str, self.value)) if isinstance(self.value, list) else str(self.value)
