"""The domain's shape: no module over 400 lines, no import cycle (imports inside
functions count too)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = [path for folder in ("reception", "models") for path in (ROOT / folder).rglob("*.py")
          if "migrations/versions" not in str(path) and "/i18n/" not in str(path)]


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def test_no_domain_module_over_400_lines():
    long = {str(path.relative_to(ROOT)): n for path in DOMAIN
            if (n := len(path.read_text().splitlines())) > 400}
    assert long == {}


def test_no_import_cycle_between_domain_modules():
    modules = {_module(path): path for path in DOMAIN}

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for target in filter(None, map(resolve, targets)):
                # A package's __init__ naming its own children is not a cycle.
                if target != name and not target.startswith(name + "."):
                    graph[name].add(target)

    cycles = []
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for target in graph[name]:
            if state.get(target) == 1:
                cycles.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []
