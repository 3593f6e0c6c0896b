"""The ground floor imports in one direction: no module of governance (outside the ledger)
imports one that imports it back, directly or round a circle, not even from inside a function
(an import tucked into a function only hides a circle)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOVERNANCE = ROOT / "governance"

#: Imports inside a function that still close a circle, each with the reason it is there.
#: Empty this list rather than extend it.
TOLERATED = {
    # The Celery tasks call the notifications; queueing the mail task needs the task object.
    ("governance.notifications", "governance.tasks"),
    # The admin's permissions backend asks which admins are scoped, once the admin is loaded.
    ("governance.permissions", "governance.admin"),
}


def _node(name: str) -> str | None:
    """The graph node of a module: governance.models.* is one node; the ledger is not here."""
    parts = name.split(".")
    if parts[0] != "governance" or len(parts) < 2 or parts[1] in ("ledger", "tests"):
        return None
    return ".".join(parts[:2])


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(GOVERNANCE.rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        if {"ledger", "tests", "migrations"} & set(relative.parts) or "ledger" in path.stem:
            continue
        name = ".".join(p for p in relative.parts if p != "__init__")
        found[name] = path
    return found


def _imports(path: Path, name: str, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    return targets


def _graph(*, top_level_only: bool) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in _modules().items():
        source = _node(name)
        if source is None:
            continue
        edges = graph.setdefault(source, set())
        for target in _imports(path, name, top_level_only=top_level_only):
            node = _node(target)
            if node and node != source and node in {_node(n) for n in _modules()}:
                edges.add(node)
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every elementary circle found by a depth-first walk (enough for a few dozen modules)."""
    found, seen = [], set()

    def walk(node, trail):
        for nxt in sorted(graph.get(node, ())):
            if nxt in trail:
                circle = trail[trail.index(nxt) :]
                key = frozenset(circle)
                if key not in seen:
                    seen.add(key)
                    found.append([*circle, nxt])
            elif len(trail) < 12:
                walk(nxt, [*trail, nxt])

    for start in sorted(graph):
        walk(start, [start])
    return found


def test_the_module_level_imports_of_the_ground_floor_form_no_circle():
    assert _circles(_graph(top_level_only=True)) == []


def test_access_models_and_querysets_import_in_one_direction_even_inside_functions():
    graph = _graph(top_level_only=False)
    assert "governance.querysets" in graph["governance.models"]
    assert "governance.querysets" in graph["governance.access"]
    assert graph["governance.querysets"] == set()  # the bottom: it reaches models via apps
    assert "governance.access" not in graph["governance.models"]
    for source, target in TOLERATED:
        graph[source].discard(target)
    assert _circles(graph) == []


@pytest.mark.parametrize("module", ["governance.querysets", "governance.access"])
def test_the_scope_modules_import_alone_in_a_fresh_interpreter(module):
    """They sit below the models: importing them loads no model and needs no app registry."""
    code = (
        f"import sys, {module}; assert 'governance.models' not in sys.modules, sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)
