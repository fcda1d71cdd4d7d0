"""Connections: both spellings of a PostgreSQL URL work, a pooled PostgreSQL connection the
server has dropped (a restart, an idle timeout) is replaced before the next unit of work, and a
SQLite file is switched to WAL, retrying while another process holds it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storage.db import Database, normalise_url, use_wal
from tests.support.databases import migrated_database


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_both_spellings_of_a_postgresql_url_use_the_psycopg_driver(scheme: str) -> None:
    assert normalise_url(f"{scheme}://bot@db.example:5433/papers") == (
        "postgresql+psycopg://bot@db.example:5433/papers"
    )


@pytest.mark.postgres
def test_a_connection_the_server_dropped_is_replaced_before_the_next_read(tmp_path: Path) -> None:
    with migrated_database("postgresql", tmp_path) as db:
        db.engine.dispose()  # one pooled connection from here: the one the server drops
        pid = db.read_now(lambda s: s.execute(text("SELECT pg_backend_pid()")).scalar_one())
        admin = create_engine(db.url)
        with admin.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.dispose()
        assert db.read_now(lambda s: s.execute(text("SELECT 1")).scalar_one()) == 1


def test_a_sqlite_database_is_in_wal_mode(sqlite_db: Database) -> None:
    mode = sqlite_db.read_now(lambda s: s.execute(text("PRAGMA journal_mode")).scalar_one())
    assert mode == "wal"


class LockedFile:
    """A cursor on a file that another process holds for the first ``locked`` statements."""

    def __init__(self, locked: int, message: str = "database is locked") -> None:
        self.locked, self.message = locked, message
        self.executed: list[str] = []

    def execute(self, sql: str) -> None:
        self.executed.append(sql)
        if len(self.executed) <= self.locked:
            raise sqlite3.OperationalError(self.message)


def test_the_wal_switch_is_retried_while_the_file_is_locked() -> None:
    cursor = LockedFile(locked=2)
    use_wal(cursor)
    assert [sql.upper() for sql in cursor.executed] == ["PRAGMA JOURNAL_MODE=WAL"] * 3


def test_the_wal_switch_gives_up_when_the_file_stays_locked() -> None:
    cursor = LockedFile(locked=1_000_000)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        use_wal(cursor, patience=0.05)
    assert len(cursor.executed) > 1


def test_other_errors_of_the_wal_switch_are_not_retried() -> None:
    cursor = LockedFile(locked=1, message="disk I/O error")
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        use_wal(cursor)
    assert len(cursor.executed) == 1
