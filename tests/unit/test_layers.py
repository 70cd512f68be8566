"""The shape of the package, checked: no import cycle among its modules; SQLAlchemy only under
store/, OR-Tools only under plan/, store/ only from services/ (and the three plan folders never
import each other). Imports under ``if TYPE_CHECKING:`` are for type checkers and not counted."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parents[2] / "src"
PACKAGE = SRC / "teamroots"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts
}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports at run time (at the top or inside a function)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


GRAPH = {name: {m for m in imports(path) if m in MODULES} for name, path in MODULES.items()}
EXTERNAL = {name: imports(path) for name, path in MODULES.items()}


def test_no_import_cycle():
    state: dict[str, int] = {}  # 1 on the path, 2 done
    cycles: list[list[str]] = []

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(GRAPH):
        if name not in state:
            walk(name, [name])
    assert cycles == []


def _importers(prefix: str) -> set[str]:
    return {
        name
        for name, mods in EXTERNAL.items()
        if any(m == prefix or m.startswith(prefix + ".") for m in mods)
    }


def _under(name: str, *folders: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in folders)


def test_sqlalchemy_only_in_store():
    assert {m for m in _importers("sqlalchemy") if not _under(m, "teamroots.store")} == set()


def test_ortools_only_in_plan():
    assert {m for m in _importers("ortools") if not _under(m, "teamroots.plan")} == set()


def test_store_only_from_services():
    outside = {
        m
        for m in _importers("teamroots.store")
        if not _under(m, "teamroots.store", "teamroots.services")
    }
    assert outside == set()


def test_plan_folders_do_not_import_each_other():
    folders = ("leaders", "training", "links")
    crossing = {
        (name, m)
        for name, mods in GRAPH.items()
        for here in folders
        if _under(name, f"teamroots.plan.{here}")
        for m in mods
        for there in folders
        if there != here and _under(m, f"teamroots.plan.{there}")
    }
    assert crossing == set()


def test_pure_layers_import_no_entry_point_or_service():
    pure = ("teamroots.domain", "teamroots.census", "teamroots.assess", "teamroots.plan")
    entry = ("teamroots.services", "teamroots.cli", "teamroots.report", "teamroots.store")
    leaks = {
        (name, m)
        for name, mods in GRAPH.items()
        if _under(name, *pure)
        for m in mods
        if _under(m, *entry)
    }
    assert leaks == set()


def test_the_walk_sees_the_package():
    assert "teamroots.services.plans" in MODULES and "teamroots.store.plan_repo" in MODULES
    assert "teamroots.store.plan_repo" in GRAPH["teamroots.services.plans"]
    assert "sqlalchemy" in EXTERNAL["teamroots.store.db"]
