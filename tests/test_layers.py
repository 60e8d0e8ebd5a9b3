"""The package's layering (docs/architecture.md): each stage imports only the stages below it, and
no two modules import each other, directly or round a circle.

Read from the source with `ast` (every import, at module level or inside a function, under
TYPE_CHECKING or not), so a lazy import cannot hide an upward one.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "harness"

# Bottom to top; a module may import its own floor and the floors before it.
FLOORS = (
    ("harness._version", "harness.errors", "harness.files"),
    ("harness.text",),
    ("harness.inputs",),
    ("harness.rouge",),
    ("harness.analyses",),
    ("harness.results",),
    ("harness.run",),
    ("harness.stats",),
    ("harness.gate",),
    ("harness.render",),
    ("harness.cli",),
    ("harness.__main__", "harness"),
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _floor(module: str) -> int:
    best = None
    for level, prefixes in enumerate(FLOORS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (level, len(prefix))
    assert best is not None, f"{module} is on no floor: add it to FLOORS and docs/architecture.md"
    return best[0]


def _imports(path: Path) -> set[str]:
    """The harness modules `path` imports (for `from harness.x import y`, module harness.x.y when
    that is a module, else harness.x)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "harness")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "harness":
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
    return found


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def test_every_module_is_on_a_floor():
    # A module added outside the listed stages would escape the check below.
    for name in MODULES:
        _floor(name)


def test_no_import_runs_back_up():
    upward = [
        f"{name} (floor {_floor(name)}) imports {target} (floor {_floor(target)})"
        for name, targets in GRAPH.items()
        for target in sorted(targets)
        if target != "harness" and _floor(target) > _floor(name)
    ]
    assert upward == []


def test_only_the_facade_and_main_import_the_facade():
    # `harness` itself is the lazy public facade: a module below it importing `harness` would
    # climb to the top floor.
    users = sorted(name for name, targets in GRAPH.items() if "harness" in targets)
    assert users == []


def test_no_circles():
    # Depth-first search for a back edge among the harness modules.
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(GRAPH.get(node, ())):
            if nxt not in MODULES:
                continue
            if state.get(nxt) == 1:
                circles.append([*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(MODULES):
        if name not in state:
            visit(name, [name])
    assert circles == []


def test_the_check_sees_an_upward_import(tmp_path):
    # The walker on a file written for the test: a text-floor module importing the pipeline.
    fake = PACKAGE / "text" / "normalize.py"
    body = "from harness.run.pipeline import evaluate\n"
    probe = tmp_path / "probe.py"
    probe.write_text(body, encoding="utf-8")
    found = _imports(probe)
    assert found == {"harness.run.pipeline"}
    assert _floor("harness.run.pipeline") > _floor(_module_name(fake))


def test_no_module_is_over_400_lines():
    # docs/architecture.md: small modules, each one thing; past 400 lines a module is split.
    long = {name: n for name, path in MODULES.items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}
