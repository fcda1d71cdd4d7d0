"""The migrations make exactly the tables slack_sdk's SQLAlchemy stores read and write, and
storage counts the workspaces they hold."""

from __future__ import annotations

from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import inspect
from sqlalchemy.sql.schema import Table

from adapters.slack.oauth_database import database_oauth
from storage import migrate
from storage.db import Database
from storage.slack_installs import installed_workspaces


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


def test_installed_workspaces_counts_each_workspace_of_this_app_once(db: Database) -> None:
    def install(client_id: str, team: str) -> None:
        store = SQLAlchemyInstallationStore(client_id=client_id, engine=db.engine)
        store.save(
            Installation(
                app_id="A1",
                user_id="U1",
                team_id=team,
                bot_token=f"xoxb-{team}",
                bot_id="B1",
                bot_user_id="UB",
            )
        )

    for team in ("T1", "T2", "T1"):  # T1 installed again: a new row, the same workspace
        install("1.2", team)
    install("another-app", "T3")

    assert db.read_now(lambda session: installed_workspaces(session, "1.2")) == 2
    assert db.read_now(lambda session: installed_workspaces(session, "nobody")) == 0
