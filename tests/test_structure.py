"""The shape of the engine, kept from now on: read from its own imports.

Data flows one way (load, parse, clean, attribute, annotate, site model,
render, write), so no module imports one that imports it back, directly or
round a circle; no stage reaches up to the command line, the server or the
build's orchestration; and no module grows past what a reader holds in mind.
Every import counts, those inside functions and under TYPE_CHECKING too: a
circle hidden in a function is still a circle."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "gloss"
MAX_LINES = 500
"""About a screenful of screens: a module longer than this holds two jobs."""
ORCHESTRATION = {"gloss.cli", "gloss.serve", "gloss.pipeline", "gloss.__main__"}
"""What runs the stages; a stage never imports these."""
RUNNERS = {"gloss.cli", "gloss.serve", "gloss.pipeline", "gloss.__main__", "gloss.connections",
           "gloss.watch", "gloss.make"}
"""Modules allowed to import the orchestration (the command line starts serve
and the build; serve runs the build)."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that `name` imports, anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                whole = f"{source}.{alias.name}"
                found.add(whole if whole in known else source)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def circles(arrows: dict[str, set[str]]) -> list[list[str]]:
    """The import circles (strongly connected groups of two or more), by Tarjan."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(arrows[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(arrows):
        if v not in index:
            visit(v)
    return out


def test_the_checker_finds_a_circle_and_a_package_import():
    """The check itself, on a graph written here: it must be able to fail."""
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles():
    assert circles(graph()) == []


def test_no_stage_imports_the_command_line_the_server_or_the_build():
    wrong = {name: sorted(deps & ORCHESTRATION) for name, deps in graph().items()
             if name not in RUNNERS and deps & ORCHESTRATION}
    assert wrong == {}


def test_no_module_over_500_lines():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
