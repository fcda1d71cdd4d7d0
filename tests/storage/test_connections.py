"""Connections: both spellings of a PostgreSQL URL work, and a pooled PostgreSQL connection the
server has dropped (a restart, an idle timeout) is replaced before the next unit of work."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storage.db import normalise_url
from tests.support.databases import migrated_database


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_both_spellings_of_a_postgresql_url_use_the_psycopg_driver(scheme: str) -> None:
    assert normalise_url(f"{scheme}://bot@db.example:5433/papers") == (
        "postgresql+psycopg://bot@db.example:5433/papers"
    )


@pytest.mark.postgres
def test_a_connection_the_server_dropped_is_replaced_before_the_next_read(tmp_path: Path) -> None:
    with migrated_database("postgresql", tmp_path) as db:
        pid = db.read_now(lambda s: s.execute(text("SELECT pg_backend_pid()")).scalar_one())
        admin = create_engine(db.url)
        with admin.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.dispose()
        assert db.read_now(lambda s: s.execute(text("SELECT 1")).scalar_one()) == 1
