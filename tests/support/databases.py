"""Migrated databases for tests: a temporary SQLite file, or a private PostgreSQL schema.

PostgreSQL runs only when PAPERBOT_TEST_DATABASE_URL points at a server; each database gets its
own schema (via ``search_path``), so tests never see each other's rows and can run in parallel.
Both start from one database this process migrated with Alembic: a SQLite file is a copy of it,
a PostgreSQL schema a recycled one (``tests/support/postgres_schemas.py``).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Literal

import pytest

from storage import migrate
from storage.db import Database, normalise_url
from tests.support.postgres_schemas import SchemaPool

PG_ENV = "PAPERBOT_TEST_DATABASE_URL"
DIALECTS = ("sqlite", "postgresql")


def postgres_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def skip_without_postgres() -> None:
    if postgres_url() is None:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql://postgres@127.0.0.1/test)")


def copy_catalog(template: Path, copy: Path) -> Path:
    """A private copy of a SQLite catalog with its search index, so no process rebuilds it."""
    shutil.copyfile(template, copy)
    shutil.copytree(f"{template}-search", f"{copy}-search")
    return copy


_MIGRATED_SQLITE: list[Path] = []  # this process's (each xdist worker's) migrated, empty file


def copy_migrated_sqlite(target: Path) -> None:
    """An empty SQLite database at head at ``target``: a copy of the one this process migrated
    first (Alembic costs ~0.1 s a database), with a catalog id of its own, as migration 0004
    gives every database."""
    if not _MIGRATED_SQLITE:
        folder = tempfile.mkdtemp(prefix="paperbot-migrated-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        migrate_to_head(f"sqlite:///{folder}/empty.db")
        _MIGRATED_SQLITE.append(Path(folder) / "empty.db")
    shutil.copyfile(_MIGRATED_SQLITE[0], target)
    with contextlib.closing(sqlite3.connect(target)) as conn, conn:
        conn.execute("UPDATE catalog_instance SET id = ?", (str(uuid.uuid4()),))


def migrate_to_head(url: str) -> bool:
    """Alembic's migrations on the database at ``url``; whether it is at head after them."""
    database = Database(url, search_dir=None)
    try:
        migrate.upgrade(database)
        return migrate.current_revision(database) == migrate.head_revision()
    finally:
        database.dispose()


@cache
def schema_pool() -> SchemaPool:
    """This process's PostgreSQL schemas (each xdist worker has its own)."""
    skip_without_postgres()
    return SchemaPool(normalise_url(postgres_url() or ""), migrate_to_head)


@contextmanager
def migrated_database(dialect: str, tmp_dir: Path) -> Iterator[Database]:
    with migrated_database_url(dialect, tmp_dir) as url:
        # SQLite: the index beside the file; PostgreSQL: in the test's folder, not the user's cache
        search: Path | Literal["default"]
        search = "default" if dialect == "sqlite" else tmp_dir / f"search-{uuid.uuid4().hex[:8]}"
        db = Database(url, search_dir=search)
        try:
            migrate.upgrade(db)  # on a copy or a recycled schema, only checks that it is at head
            yield db
        finally:
            db.dispose()


@contextmanager
def migrated_database_url(dialect: str, tmp_dir: Path) -> Iterator[str]:
    """The URL of an empty database at head, with a catalog id of its own."""
    if dialect == "sqlite":
        with fresh_database_url(dialect, tmp_dir) as url:
            copy_migrated_sqlite(Path(url.removeprefix("sqlite:///")))
            yield url
        return
    with schema_pool().schema_url(at_head=True) as url:
        yield url


@contextmanager
def fresh_database_url(dialect: str, tmp_dir: Path) -> Iterator[str]:
    """The URL of a new, empty (unmigrated) database: a file name, or a private schema."""
    if dialect == "sqlite":
        yield f"sqlite:///{tmp_dir / f'paperbot-{uuid.uuid4().hex[:8]}.db'}"
        return
    with schema_pool().schema_url(at_head=False) as url:
        yield url
