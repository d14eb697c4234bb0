"""The folder rules: transforms/ and schemas/ are pure (no Prefect, no I/O)."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PURE_FILES = sorted(p for folder in ("transforms", "schemas") for p in (REPO_ROOT / folder).rglob("*.py"))
BANNED_MODULES = {"prefect", "duckdb", "httpx", "requests", "socket", "subprocess", "shutil", "urllib.request"}
BANNED_CALLS = {"open", "spacy.load", "Path.read_text", "Path.read_bytes", "Path.write_text", "Path.write_bytes"}


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _calls(tree: ast.AST) -> set[str]:
    calls: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                calls.add(node.func.id)
            elif isinstance(node.func, ast.Attribute):
                calls.add(node.func.attr)
                if isinstance(node.func.value, ast.Name):
                    calls.add(f"{node.func.value.id}.{node.func.attr}")
    return calls


@pytest.mark.parametrize("path", PURE_FILES, ids=[str(p.relative_to(REPO_ROOT)) for p in PURE_FILES])
def test_pure_module_has_no_io(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {name for name in _imports(tree) if any(name == b or name.startswith(b + ".") for b in BANNED_MODULES)}
    assert not imported, f"{path.name} imports {sorted(imported)}"
    called = _calls(tree) & {"open", "read_text", "read_bytes", "write_text", "write_bytes"}
    assert not called, f"{path.name} does I/O: {sorted(called)}"
    assert "spacy.load" not in _calls(tree)


def test_pure_folders_are_not_empty() -> None:
    assert len(PURE_FILES) >= 5


ARCHITECTURE = REPO_ROOT / "docs" / "ARCHITECTURE.md"
NAMED_MODULES = sorted(
    set(re.findall(r"\b((?:flows|transforms|schemas|tools|tests)/[\w/]+\.py)\b", ARCHITECTURE.read_text()))
)


def test_architecture_names_modules() -> None:
    assert len(NAMED_MODULES) >= 15, NAMED_MODULES


@pytest.mark.parametrize("module", NAMED_MODULES)
def test_every_module_the_architecture_names_exists(module: str) -> None:
    assert (REPO_ROOT / module).is_file(), f"docs/ARCHITECTURE.md names {module}, which does not exist"


def _banned_api(config: dict[str, Any]) -> dict[str, Any]:
    lint = config.get("tool", config).get("ruff", config)["lint"]
    return dict(lint["flake8-tidy-imports"]["banned-api"])


def test_schemas_bans_everything_the_repository_bans_and_transforms() -> None:
    repository = _banned_api(tomllib.loads((REPO_ROOT / "pyproject.toml").read_text()))
    schemas = _banned_api(tomllib.loads((REPO_ROOT / "schemas" / "ruff.toml").read_text()))
    assert "flows" in repository
    assert set(schemas) == set(repository) | {"transforms"}
