"""The layout is the architecture: the core stays pure, modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "tandau"

# Modules the pure core may not import: files, processes, network, databases, web, terminals.
BANNED = {
    "os", "io", "sys", "pathlib", "shutil", "subprocess", "socket", "tempfile", "glob", "csv", "json",
    "sqlite3", "sqlalchemy", "http", "urllib", "requests", "httpx", "fastapi", "starlette", "jinja2",
    "typer", "click", "rich", "logging", "builtins", "importlib", "pickle", "shelve", "asyncio",
    "tandau.io", "tandau.store", "tandau.services", "tandau.web", "tandau.cli",
}
BANNED_CALLS = {"open", "print", "input", "exec", "eval", "__import__"}


def _core_files() -> list[Path]:
    return sorted((SRC / "core").rglob("*.py"))


def _imports(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_has_modules() -> None:
    assert len(_core_files()) >= 2


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_core_is_pure(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = [
        name for name in _imports(tree)
        if any(name == b or name.startswith(b + ".") for b in BANNED)
    ]
    calls = [
        node.func.id for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in BANNED_CALLS
    ]
    assert not bad, f"{path.name} imports {bad}: the core must stay free of I/O"
    assert not calls, f"{path.name} calls {calls}: the core must stay free of I/O"


def test_the_purity_scan_catches_a_violation() -> None:
    tree = ast.parse("import os\nfrom tandau.io import csvfmt\nprint(1)\n")
    assert {"os", "tandau.io"} <= set(_imports(tree))


# Layers below the faces: a use case, a format or the storage never reaches into the web app or the CLI (the faces
# call them, not the other way round; a background job runs with neither loaded). :func:`_imports` walks the
# whole tree, so a lazy import inside a function counts too.
LOWER_LAYERS = ("services", "io", "store", "core")
FACES = ("tandau.web", "tandau.cli")


def _lower_files() -> list[Path]:
    return sorted(p for layer in LOWER_LAYERS for p in (SRC / layer).rglob("*.py"))


@pytest.mark.parametrize("path", _lower_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_lower_layers_do_not_import_the_faces(path: Path) -> None:
    bad = [name for name in _imports(ast.parse(path.read_text(encoding="utf-8")))
           if any(name == face or name.startswith(face + ".") for face in FACES)]
    assert not bad, f"{path.relative_to(SRC)} imports {bad}: move what it needs below the web and CLI layers"


def test_the_layer_scan_catches_a_lazy_import() -> None:
    tree = ast.parse("def f():\n    from tandau.web.report_html import view\n    import tandau.cli.report\n")
    found = _imports(tree)
    assert "tandau.web.report_html" in found and "tandau.cli.report" in found


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_modules_stay_small(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 600, f"{path.name} has {lines} lines; split it by family (conventions.md)"
