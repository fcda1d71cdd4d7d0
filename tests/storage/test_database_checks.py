"""A database that cannot work fails at open with one line naming the setting, changing nothing."""

from __future__ import annotations

import os
from pathlib import Path
from sqlite3 import OperationalError

import pytest
from sqlalchemy import URL, make_url, text
from sqlalchemy.exc import DBAPIError

from storage import migrate
from storage.checks import (
    DatabaseUnavailable,
    SchemaTooNew,
    database_errors,
    prepare_sqlite_file,
)
from storage.db import Database, normalise_url
from tests.support.databases import postgres_url, skip_without_postgres


def open_and_upgrade(url: str) -> None:
    db = Database(url)
    try:
        migrate.upgrade(db)
    finally:
        db.dispose()


def assert_unavailable(url: str, *words: str) -> str:
    with pytest.raises(DatabaseUnavailable) as raised:
        open_and_upgrade(url)
    message = str(raised.value)
    assert message.startswith("PAPERBOT_DATABASE_URL: ")
    assert "\n" not in message
    for word in words:
        assert word in message
    return message


def test_a_folder_is_not_a_database_file(tmp_path: Path) -> None:
    message = assert_unavailable(f"sqlite:///{tmp_path}?timeout=5")
    assert message == f"PAPERBOT_DATABASE_URL: {tmp_path} is a folder, not a database file"


def test_a_path_below_a_file_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    message = assert_unavailable(f"sqlite:///{tmp_path / 'plain' / 'bot.db'}")
    assert message == (
        f"PAPERBOT_DATABASE_URL: cannot create the folder {tmp_path / 'plain'}: File exists"
    )


def test_the_missing_folders_of_a_new_database_file_are_created(tmp_path: Path) -> None:
    prepare_sqlite_file(f"sqlite:///{tmp_path / 'data' / 'paperbot' / 'bot.db'}")
    assert (tmp_path / "data" / "paperbot").is_dir()


@pytest.mark.parametrize("existing", [True, False])
def test_a_database_file_or_folder_that_cannot_be_written_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    database = tmp_path / "bot.db"
    if existing:
        database.write_bytes(b"")
    read_only = database if existing else tmp_path
    monkeypatch.setattr(os, "access", lambda path, _mode: Path(path) != read_only)
    with pytest.raises(DatabaseUnavailable) as raised:
        prepare_sqlite_file(f"sqlite:///{database}")
    assert str(raised.value) == f"PAPERBOT_DATABASE_URL: {read_only} is not writable"


def test_an_in_memory_database_needs_no_file_or_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for url in ("sqlite://", "sqlite:///", "sqlite:///:memory:"):
        prepare_sqlite_file(url)
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_database_is_reported_and_left_alone(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_bytes(b"these are my notes, not a database\n" * 200)
    message = assert_unavailable(f"sqlite:///{notes}")
    assert (
        message == f"PAPERBOT_DATABASE_URL: cannot use the database {notes}: file is not a database"
    )
    assert notes.read_bytes() == b"these are my notes, not a database\n" * 200


def test_a_server_that_is_down_is_reported_without_the_password() -> None:
    message = assert_unavailable("postgresql://bot:s3cret@127.0.0.1:1/papers")
    assert "s3cret" not in message
    assert "cannot use the database bot@127.0.0.1:1/papers: " in message
    assert "failed" not in message  # libpq's 'connection to server at ... failed:' is cut


def test_an_address_left_to_the_defaults_is_reported_with_the_defaults_filled_in() -> None:
    assert_unavailable(
        "postgresql:///paperbot_no_such_db",
        "cannot use the database (default user)@localhost:5432/paperbot_no_such_db: ",
    )


@pytest.fixture
def server_url() -> str:
    skip_without_postgres()
    return normalise_url(postgres_url() or "")


def test_a_missing_database_is_reported(server_url: str) -> None:
    url = make_url(server_url).set(database="paperbot_no_such_db")
    message = assert_unavailable(url.render_as_string(hide_password=False))
    assert message.endswith(
        f"@{url.host}:{url.port or 5432}/paperbot_no_such_db: "
        'database "paperbot_no_such_db" does not exist'
    )  # without libpq's "FATAL:"


def test_a_missing_user_is_reported(server_url: str) -> None:
    server = make_url(server_url)  # the same server, with no database named
    url = URL.create(server.drivername, "paperbot_no_such_user", host=server.host, port=server.port)
    message = assert_unavailable(url.render_as_string(hide_password=False))
    assert message.endswith(
        f"paperbot_no_such_user@{url.host}:{url.port or 5432}/: "
        'role "paperbot_no_such_user" does not exist'
    )


def test_a_schema_from_a_newer_paperbot_is_reported_and_left_untouched(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed9999'"))
    with pytest.raises(SchemaTooNew) as raised:
        migrate.upgrade(db)
    assert str(raised.value) == (
        "PAPERBOT_DATABASE_URL: the schema (revision f00dfeed9999) was created by a newer "
        "paperbot; upgrade paperbot to use this database (it was left untouched)"
    )
    assert migrate.current_revision(db) == "f00dfeed9999"


def test_asking_a_server_that_is_down_for_its_schema_revision_is_reported() -> None:
    db = Database("postgresql://bot@127.0.0.1:1/papers", search_dir=None)
    try:
        with pytest.raises(DatabaseUnavailable, match=r"bot@127\.0\.0\.1:1/papers"):
            migrate.current_revision(db)
    finally:
        db.dispose()


def test_a_driver_error_without_a_message_is_reported_by_its_kind() -> None:
    db = Database("sqlite://", search_dir=None)
    try:
        with pytest.raises(DatabaseUnavailable) as raised, database_errors(db):
            raise DBAPIError("SELECT 1", None, OperationalError())
    finally:
        db.dispose()
    assert str(raised.value) == (
        "PAPERBOT_DATABASE_URL: cannot use the database (no file): OperationalError"
    )
