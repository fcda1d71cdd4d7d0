"""The schema checks every start makes read the same revisions Alembic would, without it."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage import migrate, revisions
from storage.db import Database


def alembic_scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate._config())


def test_the_shipped_revisions_and_head_are_alembics() -> None:
    scripts = alembic_scripts()
    assert revisions.shipped() == {s.revision: s.down_revision for s in scripts.walk_revisions()}
    assert migrate.head_revision() == scripts.get_current_head()


def test_a_database_reads_as_at_the_revision_alembic_reads(db: Database) -> None:
    def both() -> tuple[str | None, str | None]:
        with db.engine.connect() as conn:
            ours = migrate.current_revision(db)
            return ours, MigrationContext.configure(conn).get_current_revision()

    assert both() == (migrate.head_revision(), migrate.head_revision())
    migrate.downgrade(db, "0004")
    assert both() == ("0004", "0004")
    migrate.downgrade(db, "base")
    assert both() == (None, None)
