"""Apply Alembic migrations programmatically (at start, and by ``paperbot db upgrade``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from storage import revisions
from storage.checks import (
    DATABASE_SETTING,
    SchemaTooNew,
    check_database,
    database_errors,
    prepare_sqlite_file,
)
from storage.db import Database
from storage.locks import startup_lock

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _config() -> Config:
    from alembic.config import Config  # only to migrate: checks read storage.revisions

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str | None:
    return revisions.head()


def known_revisions() -> set[str]:
    return set(revisions.shipped())


def current_revision(db: Database) -> str | None:
    with database_errors(db), db.engine.connect() as conn:
        return revisions.stored(conn)


def check_schema(db: Database) -> str | None:
    """The database's revision; ``SchemaTooNew`` if this paperbot does not know it."""
    current = current_revision(db)
    if current is not None and current not in known_revisions():
        raise SchemaTooNew(
            DATABASE_SETTING,
            f"the schema (revision {current}) was created by a newer paperbot; "
            "upgrade paperbot to use this database (it was left untouched)",
        )
    return current


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema to ``revision``; a no-op when it is already there.

    Processes starting together on a new database take turns (``storage.locks``): the first
    migrates, the others then find the schema current. A database that cannot be used raises
    ``storage.checks.DatabaseUnavailable`` before anything is written.
    """
    prepare_sqlite_file(db.url)
    check_database(db)
    if revision == "head" and check_schema(db) == head_revision():
        return
    with startup_lock(db.engine):
        if revision == "head" and check_schema(db) == head_revision():
            return
        from alembic import command

        config = _config()
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)


def downgrade(db: Database, revision: str) -> None:
    from alembic import command

    config = _config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
