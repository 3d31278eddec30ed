"""The layers, read from the source with ``ast`` (imports inside functions count too):

- ``models`` (tables) and ``reception`` (domain, store) never import Textual, Rich or
  ``screens``; the one exception is the entry point, ``reception/cli.py``, which starts
  the app by importing ``screens.app`` inside a function;
- ``models`` never imports ``reception``;
- ``screens`` never import SQLModel/SQLAlchemy nor run queries (``select(...)``,
  ``session.exec``, ``session.get``): they call domain functions;
- no import cycle between the project's modules.
"""

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("models", "reception", "screens")
UI_LIBRARIES = ("textual", "rich")
DATABASE_LIBRARIES = ("sqlmodel", "sqlalchemy")
#: (importing module, imported module) allowed across the layers, inside functions only.
ENTRY_POINTS = {("reception.cli", "screens.app")}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported module (the most specific one that exists in the project)
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_files() -> dict[str, Path]:
    files = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts and "versions" in path.parts:
                continue
            files[module_name(path)] = path
    return files


FILES = project_files()


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    if not level:
        return name or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


class _Collector(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool) -> None:
        self.module, self.is_package = module, is_package
        self.depth = 0
        self.found: list[Import] = []
        self.calls: list[tuple[str, int]] = []

    def _function(self, node) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def _add(self, target: str, line: int) -> None:
        self.found.append(Import(self.module, target, line, self.depth > 0))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = _resolve(self.module, self.is_package, node.level, node.module)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            self._add(submodule if submodule in FILES else base, node.lineno)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id == "select":
            self.calls.append(("select(...)", node.lineno))
        elif (isinstance(func, ast.Attribute) and func.attr in ("exec", "get")
              and isinstance(func.value, ast.Name) and func.value.id == "session"):
            self.calls.append((f"session.{func.attr}(...)", node.lineno))
        self.generic_visit(node)


def _collect(module: str) -> _Collector:
    path = FILES[module]
    collector = _Collector(module, path.name == "__init__.py")
    collector.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return collector


@functools.cache
def collected() -> dict[str, _Collector]:
    """Every module read once, when a test first asks (not when the tests are collected:
    every worker collects, one runs these)."""
    return {module: _collect(module) for module in FILES}


@functools.cache
def imports() -> list[Import]:
    return [found for collector in collected().values() for found in collector.found]


def top(name: str) -> str:
    return name.split(".")[0]


def where(found: Import) -> str:
    return f"{FILES[found.module].relative_to(ROOT)}:{found.line} imports {found.target}"


def test_the_domain_and_the_tables_never_import_the_ui():
    crossing = [
        where(found) for found in imports()
        if top(found.module) in ("models", "reception")
        and top(found.target) in (*UI_LIBRARIES, "screens")
        and not ((found.module, found.target) in ENTRY_POINTS and found.in_function)
    ]
    assert crossing == []


def test_the_entry_point_imports_the_app_only_when_it_starts_it():
    found = [item for item in imports() if (item.module, item.target) in ENTRY_POINTS]
    assert found and all(item.in_function for item in found)


def test_the_tables_never_import_the_domain():
    assert [where(found) for found in imports()
            if top(found.module) == "models" and top(found.target) == "reception"] == []


def test_screens_never_import_the_database_libraries():
    assert [where(found) for found in imports()
            if top(found.module) == "screens" and top(found.target) in DATABASE_LIBRARIES] == []


def test_screens_never_run_queries():
    queries = [f"{FILES[module].relative_to(ROOT)}:{line} {call}"
               for module, collector in collected().items() if top(module) == "screens"
               for call, line in collector.calls]
    assert queries == []


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def import_graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {module: set() for module in FILES}
    for found in imports():
        # A package's __init__ is not counted as imported by its own modules.
        if found.target in FILES and found.target != found.module \
                and not found.module.startswith(found.target + "."):
            edges[found.module].add(found.target)
    return edges


def test_no_import_cycle_between_the_projects_modules_counting_lazy_imports():
    assert _cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle_through_a_lazy_import():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
