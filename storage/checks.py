"""Open-and-check: a database that cannot work is reported as one line naming the setting.

A bad path, a file that is not a database, a server that is down, a missing database or user, or
a schema written by a newer paperbot all surface here as ``DatabaseUnavailable``, which the
command line turns into exit code 78 without a traceback; nothing in the database is changed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from storage.db import Database
from storage.sqlite_file import DatabaseGone, sqlite_path

DATABASE_SETTING = "PAPERBOT_DATABASE_URL"


class DatabaseUnavailable(Exception):
    """The database named by ``setting`` cannot be used; ``message`` says why, in one line."""

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(f"{setting}: {message}")


class SchemaTooNew(DatabaseUnavailable):
    """The schema was migrated by a newer paperbot: left untouched rather than guessed at."""


def prepare_sqlite_file(url: str) -> None:
    """Create the SQLite file's folder; refuse a path that is a folder or cannot be written."""
    path = sqlite_path(url)
    if path is None:
        return
    if path.is_dir():
        raise DatabaseUnavailable(DATABASE_SETTING, f"{path} is a folder, not a database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseUnavailable(
            DATABASE_SETTING, f"cannot create the folder {path.parent}: {error.strerror}"
        ) from None
    target = path if path.exists() else path.parent
    if not os.access(target, os.W_OK):
        raise DatabaseUnavailable(DATABASE_SETTING, f"{target} is not writable")


@contextmanager
def database_errors(db: Database) -> Iterator[None]:
    """Turn the driver's "cannot connect / not a database" errors into ``DatabaseUnavailable``."""
    try:
        yield
    except DBAPIError as error:
        if error.connection_invalidated or not isinstance(error.orig, Exception):
            raise
        raise DatabaseUnavailable(DATABASE_SETTING, _describe(db, error.orig)) from None


def _describe(db: Database, error: Exception) -> str:
    """The driver's own reason, on one line, with the place but never a password."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    reason = " ".join((lines[0] if lines else type(error).__name__).split())
    reason = reason.rpartition(" failed: ")[2].removeprefix("FATAL: ")  # libpq's preamble
    url = db.engine.url
    if db.dialect == "sqlite":
        where = url.database or "(no file)"
    else:
        where = f"{url.username or '(default user)'}@{url.host or 'localhost'}"
        where += f":{url.port or 5432}/{url.database or ''}"
    return f"cannot use the database {where}: {reason}"


def check_database(db: Database) -> None:
    """Connect once, so a bad database fails here, not mid-command (on SQLite, connecting reads
    the file: storage.db switches it to WAL)."""
    with database_errors(db), db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def database_trouble(error: BaseException) -> str | None:
    """One line for a database that cannot take work just now (held by another process past the
    busy timeout, its disk full, its file gone): a state to report, not a bug to trace. None
    for anything else."""
    if isinstance(error, DatabaseGone):
        return str(error)
    if not isinstance(error, OperationalError):
        return None
    reason = " ".join(str(error.orig).split())
    if "locked" in reason or "busy" in reason:
        return f"the database is busy ({reason})"
    if "full" in reason:
        return f"the database's disk is full ({reason})"
    return None
