"""Imports run one way: api → schema → db."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# package: the top-level names it must never import
FORBIDDEN = {
    "db": {"api", "schema", "strawberry", "starlette", "uvicorn"},
    "schema": {"api", "starlette", "uvicorn"},
}


def _modules(path: Path) -> set[str]:
    """The full names of the modules `path` imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _imports(path: Path) -> set[str]:
    """The top-level packages `path` imports."""
    return {name.split(".")[0] for name in _modules(path)}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layers_import_only_downwards(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
        if _imports(path) & FORBIDDEN[package]
    }
    assert offenders == {}


def test_only_the_schema_builder_imports_the_root_query() -> None:
    """Each domain declares its own root fields; the root composes them, and no domain
    reaches back into it (that would make the domains a cycle through the root)."""
    importers = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "schema").rglob("*.py")
        if "schema.queries" in _modules(path)
    ]
    assert importers == ["schema/build.py"]
