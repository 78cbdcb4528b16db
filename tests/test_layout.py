"""The house rules of the code base: small modules, short functions, no import cycle.

`OVER_SIZE` lists the modules not yet split (each is some issue's work in progress); the
test fails when one of them is within the limits, so that the list only ever shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "normalize"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

# module (relative to normalize/) → why it is still over a limit
OVER_SIZE = {}


def _modules() -> dict[str, Path]:
    return {str(p.relative_to(PACKAGE)): p for p in sorted(PACKAGE.rglob("*.py"))}


def _problems(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = []
    lines = text.count("\n") + 1
    if lines > MAX_MODULE_LINES:
        found.append(f"{lines} lines")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{node.name}() is {length} lines")
    return found


def test_modules_and_functions_are_small():
    over = {name: _problems(path) for name, path in _modules().items()}
    wrong = [f"{name}: {', '.join(p)}" for name, p in over.items() if p and name not in OVER_SIZE]
    assert not wrong, "over the limits:\n" + "\n".join(wrong)
    stale = [name for name in OVER_SIZE if name in over and not over[name]]
    assert not stale, f"within the limits now, remove from OVER_SIZE: {stale}"


def _imports(name: str, path: Path) -> set[str]:
    """The `normalize` modules a module imports at its top level (not inside functions)."""
    module = "normalize." + name.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("normalize"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("normalize"))
    return found - {module}


def test_no_import_cycle():
    modules = {
        "normalize." + n.removesuffix(".py").replace("/", ".").removesuffix(".__init__"): p
        for n, p in _modules().items()
    }
    graph = {
        m: {i for i in _imports(str(p.relative_to(PACKAGE)), p) if i in modules and i != m}
        for m, p in modules.items()
    }
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_the_package_says_it_is_typed():
    """`py.typed` (PEP 561) ships in the wheel: the package directory is shipped whole."""
    assert (PACKAGE / "py.typed").is_file()
