"""No import cycles between coursekit's parts: the bank, the checkers, names and anatomy.

Every ``import`` and ``from ... import`` in ``src/coursekit`` counts, at module level or
inside a function (a function-level import hides a cycle, it does not remove it).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "coursekit"


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """module -> the coursekit modules it imports."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and target != "coursekit":
                    graph[name].add(target)
    return graph


MINE = ("coursekit.bank", "coursekit.records", "coursekit.checks", "coursekit.names", "coursekit.anatomy",
        "coursekit.coursekeys", "coursekit.audit")


def reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return False


def _cycles_through(graph: dict[str, set[str]], prefixes: tuple[str, ...]) -> list[tuple[str, str]]:
    """(a, b) pairs of modules that import each other, directly or through others."""
    mine = [m for m in graph if any(m == p or m.startswith(p + ".") for p in prefixes)]
    return sorted((a, b) for a in mine for b in graph[a] if reaches(graph, b, a))


def test_the_bank_the_checkers_names_and_anatomy_import_no_cycle():
    assert _cycles_through(import_graph(), MINE) == []


@pytest.mark.parametrize("low, high", [("coursekit.names", "coursekit.anatomy"), ("coursekit.records", "coursekit.bank"),
                                       ("coursekit.records", "coursekit.checks.base")])
def test_the_lower_layer_never_imports_the_higher(low, high):
    graph = import_graph()
    assert reaches(graph, high, low)
    assert not reaches(graph, low, high)


def test_name_matching_imports_nothing_of_coursekit():
    assert import_graph()["coursekit.names"] == set()
