"""The layering of docs/architecture.md, checked on every import in the tree.

- ``bot/`` and ``storage/`` import no platform SDK;
- ``storage/`` imports only the domain types of ``bot.model`` from the core;
- ``bot/`` holds no SQL: no sqlalchemy, and from sqlmodel only the ``Session`` type that units of
  work are written against;
- adapters import only the facade and the neutral types (``bot.facade``, ``bot.reply``,
  ``bot.model``), never storage;
- in ``bot/`` only the composition root's ``bot/cli/adapters.py`` imports adapters, and only
  inside functions (lazily, those the settings turn on);
- feature packages never import the command layer: only the facade and the CLI do;
- the product (``bot/``, ``storage/``, ``adapters/``) never imports the loopback fakes or tests;
- a search flows one way, grammar -> plan -> index: the text analysis (``storage.search_text``)
  imports no other storage module, and the plan and the index share it without importing each
  other: ``storage.search`` brings them together.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SDKS = ("slack_bolt", "slack_sdk", "discord")
ADAPTER_MAY_IMPORT = ("bot.facade", "bot.reply", "bot.model")
COMPOSITION_ROOT = ROOT / "bot" / "cli" / "adapters.py"
COMMAND_LAYER_USERS = ("bot/commands/", "bot/facade.py", "bot/cli/")
SEARCH_TEXT = "storage.search_text"
SEARCH_MAY_NOT_IMPORT = {
    "storage/search_text.py": ("storage",),
    "storage/search_plan.py": ("storage.search", "storage.search_index"),
    "storage/search_index.py": ("storage.search", "storage.search_plan"),
}


@dataclass(frozen=True)
class Import:
    module: str
    names: tuple[str, ...]
    top_level: bool


def imports_of(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(a.name, (), id(node) in top) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = tuple(a.name for a in node.names)
            found.append(Import(node.module, names, id(node) in top))
    return found


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def under(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def violations(package: str, rule: object) -> list[str]:
    assert callable(rule)
    return [
        f"{path.relative_to(ROOT)} imports {imp.module}"
        for path in python_files(package)
        for imp in imports_of(path)
        if rule(path, imp)
    ]


@pytest.mark.parametrize("package", ["bot", "storage"])
def test_core_and_storage_import_no_platform_sdk(package: str) -> None:
    assert violations(package, lambda _p, imp: under(imp.module, *SDKS)) == []


def test_storage_imports_only_domain_types_from_the_core() -> None:
    def rule(_path: Path, imp: Import) -> bool:
        return under(imp.module, "bot") and not under(imp.module, "bot.model")

    assert violations("storage", rule) == []


def test_the_core_holds_no_sql() -> None:
    def rule(_path: Path, imp: Import) -> bool:
        if under(imp.module, "sqlalchemy"):
            return True
        return under(imp.module, "sqlmodel") and imp.names != ("Session",)

    assert violations("bot", rule) == []


def test_adapters_import_only_the_facade_and_neutral_types() -> None:
    def rule(_path: Path, imp: Import) -> bool:
        if under(imp.module, "storage", "sqlmodel", "sqlalchemy"):
            return True
        return under(imp.module, "bot") and not under(imp.module, *ADAPTER_MAY_IMPORT)

    assert violations("adapters", rule) == []


def test_only_the_composition_root_imports_adapters_and_only_lazily() -> None:
    def rule(path: Path, imp: Import) -> bool:
        if not under(imp.module, "adapters"):
            return False
        return path != COMPOSITION_ROOT or imp.top_level

    assert violations("bot", rule) == []


def test_feature_packages_never_import_the_command_layer() -> None:
    def rule(path: Path, imp: Import) -> bool:
        relative = path.relative_to(ROOT).as_posix()
        return under(imp.module, "bot.commands") and not relative.startswith(COMMAND_LAYER_USERS)

    assert violations("bot", rule) == []


@pytest.mark.parametrize("package", ["bot", "storage", "adapters"])
def test_the_product_never_imports_the_fakes_or_the_tests(package: str) -> None:
    assert violations(package, lambda _p, imp: under(imp.module, "loopback", "tests")) == []


def test_search_text_plan_and_index_do_not_import_each_other() -> None:
    def rule(path: Path, imp: Import) -> bool:
        banned = SEARCH_MAY_NOT_IMPORT.get(path.relative_to(ROOT).as_posix(), ())
        # "from storage import search_plan" names the module it imports among the names
        named = [imp.module] + [f"{imp.module}.{name}" for name in imp.names]
        return any(under(module, *banned) for module in named)

    assert violations("storage", rule) == []


def test_the_layering_check_sees_the_imports_it_rules_on() -> None:
    """Guard against checks that cannot fail: each rule's subject must be visible to it."""
    deps = imports_of(ROOT / "bot" / "deps.py")
    assert any(imp.module == "storage.db" and imp.top_level for imp in deps)
    lazy = [imp for imp in imports_of(COMPOSITION_ROOT) if under(imp.module, "adapters")]
    assert lazy
    assert not any(imp.top_level for imp in lazy)
    console = imports_of(ROOT / "adapters" / "console" / "app.py")
    assert any(imp.module == "bot.facade" for imp in console)
    assert all((ROOT / ruled).is_file() for ruled in SEARCH_MAY_NOT_IMPORT)
    for shares in ("search_plan.py", "search_index.py"):
        assert any(imp.module == SEARCH_TEXT for imp in imports_of(ROOT / "storage" / shares))
    search = {imp.module for imp in imports_of(ROOT / "storage" / "search.py")}
    assert {"storage.search_plan", "storage.search_index"} <= search  # the names it bans are real
