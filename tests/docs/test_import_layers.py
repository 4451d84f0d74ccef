"""Imports run one way (docs/architecture.md): no cycles between modules, and each layer imports only
the layers below it. Read from the source with `ast`, so nothing is imported to check it."""

from __future__ import annotations

import ast
import functools
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("lac_connector", "lac_source", "ledgerlou_source", "lac_sandbox", "ledgerlou_sandbox")

# layer prefix -> the project modules it may import (besides its own package)
ALLOWED = {
    "lac_connector.kit": ("lac_connector.kit",),
    "lac_connector.sandbox": ("lac_connector.sandbox",),
    "lac_connector.transform": ("lac_connector.transform", "lac_connector.kit"),
    "lac_connector.pipeline": ("lac_connector.pipeline", "lac_connector.kit"),
    "lac_connector.orchestration": (
        "lac_connector.orchestration",
        "lac_connector.pipeline",
        "lac_connector.transform",
        "lac_connector.kit",
        "lac_source",
    ),
    "lac_connector.dashboard": ("lac_connector.dashboard", "lac_connector.pipeline", "lac_connector.kit"),
    "lac_source": ("lac_source", "lac_connector.kit"),
    "ledgerlou_source": ("ledgerlou_source", "lac_connector.kit"),
    "lac_sandbox": ("lac_sandbox", "lac_connector.sandbox"),
    "ledgerlou_sandbox": ("ledgerlou_sandbox", "lac_connector.sandbox"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def top_level(tree: ast.Module) -> Iterator[ast.stmt]:
    """The statements run on import: the module body and its `try`/`if` blocks, except
    `if TYPE_CHECKING:` (function bodies run later, so their imports cannot make an import cycle)."""
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from node.orelse
        elif isinstance(node, ast.If | ast.Try):
            for block in ("body", "orelse", "finalbody"):
                yield from getattr(node, block, [])
            for handler in getattr(node, "handlers", []):
                yield from handler.body
        else:
            yield node


def imported(name: str, path: Path, known: set[str], *, deferred: bool = True) -> Iterator[str]:
    """The project modules `path` imports: all of them, or (`deferred=False`) those run on import."""
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree) if deferred else top_level(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            targets = [f"{module}.{alias.name}" for alias in node.names] + [module]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


@functools.cache
def graph(*, deferred: bool = True) -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: set(imported(name, path, known, deferred=deferred)) for name, path in found.items()}


def layer(name: str) -> str | None:
    return max(
        (prefix for prefix in ALLOWED if name == prefix or name.startswith(prefix + ".")),
        key=len,
        default=None,
    )


def test_the_graph_sees_the_known_edges() -> None:
    edges = graph()
    assert "lac_connector.kit.http" in edges["lac_source.session"]
    assert "lac_connector.pipeline.runner" in edges["lac_connector.cli"]
    assert len(edges) > 100


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(package: str) -> None:
    wrong = sorted(
        f"{name} imports {target}"
        for name, targets in graph().items()
        if layer(name) == package
        for target in targets
        if not target.startswith(ALLOWED[package]) and target != "lac_connector"
    )
    assert wrong == []


def test_no_import_cycles_between_modules() -> None:
    """No cycle among the imports a module runs when it is imported (a package's `__init__`
    importing its own modules aside)."""
    edges = graph(deferred=False)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    # A package's __init__ re-exporting its own modules is not a cycle between modules.
    real = [
        c
        for c in cycles
        if not any(a.startswith(b + ".") or b.startswith(a + ".") for a, b in itertools.pairwise(c))
    ]
    assert real == []
