"""The migrations make exactly the tables slack_sdk's SQLAlchemy stores read and write."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.sql.schema import Table

from adapters.slack.oauth_database import database_oauth
from storage import migrate
from storage.db import Database


def sdk_tables() -> list[Table]:
    oauth = database_oauth("1.2", "secret", engine=None)
    stores = (oauth.installations._store, oauth.states._store)  # type: ignore[attr-defined]
    return [table for store in stores for table in store.metadata.sorted_tables]


def test_the_migrated_database_has_every_column_the_slack_stores_use(db: Database) -> None:
    inspector = inspect(db.engine)
    tables = sdk_tables()
    assert {t.name for t in tables} == {"slack_bots", "slack_installations", "slack_oauth_states"}
    for table in tables:
        columns = {c["name"]: c for c in inspector.get_columns(table.name)}
        assert set(columns) == {c.name for c in table.columns}, table.name
        for column in table.columns:
            assert columns[column.name]["nullable"] == column.nullable, (table.name, column.name)


def test_downgrading_past_the_oauth_revision_drops_its_tables(db: Database) -> None:
    migrate.downgrade(db, "0004")
    assert not {"slack_bots", "slack_installations"} & set(inspect(db.engine).get_table_names())
    migrate.upgrade(db)
    assert "slack_oauth_states" in inspect(db.engine).get_table_names()
