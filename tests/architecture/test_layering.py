"""DESIGN section 2: core and storage import no platform SDK; adapters never touch storage."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SDKS = ("slack_bolt", "slack_sdk", "discord")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", ["bot", "storage"])
def test_core_and_storage_import_no_platform_sdk(package: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files(package)
        for module in imported_modules(path)
        if module.split(".")[0] in SDKS
    ]
    assert offenders == []


def test_adapters_never_touch_storage() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files("adapters")
        for module in imported_modules(path)
        if module.split(".")[0] in {"storage", "sqlmodel", "sqlalchemy"}
    ]
    assert offenders == []


def test_the_layering_check_sees_imports() -> None:
    """Guard against a check that cannot fail: it must find the imports it looks for."""
    assert "storage.db" in imported_modules(ROOT / "bot" / "deps.py")
