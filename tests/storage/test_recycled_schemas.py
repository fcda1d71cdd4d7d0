"""The suite's PostgreSQL schemas are recycled (tests/support/postgres_schemas.py): a recycled one
must be what Alembic leaves in a new schema, under a new name and with a new catalog id."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.model import Channel
from bot.model.digests import DigestSpec, Subscription
from loopback.ports import make_paper
from storage.db import Database, normalise_url
from storage.papers import upsert_papers
from storage.subscriptions import save_subscription
from tests.support.databases import migrate_to_head, postgres_url, skip_without_postgres
from tests.support.postgres_schemas import SchemaPool, fingerprint

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 6, 13, tzinfo=UTC)


@pytest.fixture
def pool() -> Iterator[SchemaPool]:
    skip_without_postgres()
    schemas = SchemaPool(normalise_url(postgres_url() or ""), migrate_to_head)
    yield schemas
    schemas.close()


def contents(pool: SchemaPool, schema: str) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, the catalog id left out."""
    with pool.admin.connect() as conn:
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
        ).scalars()
        return {
            table: [tuple(row) for row in conn.execute(text(f'SELECT * FROM {schema}."{table}"'))]
            for table in tables
            if table != "catalog_instance"
        }


def namespace_oid(pool: SchemaPool, schema: str) -> int:
    with pool.admin.connect() as conn:
        found = conn.execute(text("SELECT oid FROM pg_namespace WHERE nspname = :s"), {"s": schema})
        return int(found.scalar_one())


def catalog_id(pool: SchemaPool, schema: str) -> str:
    with pool.admin.connect() as conn:
        return str(conn.execute(text(f"SELECT id FROM {schema}.catalog_instance")).scalar_one())


def use(pool: SchemaPool, schema: str) -> int:
    """What a test might do: store a paper and a subscription; returns the subscription's id."""
    db = Database(pool.url(schema), search_dir=None)
    try:
        db.write_now(lambda s: upsert_papers(s, [make_paper("2606.00001", "A paper")]))
        sub = Subscription(Channel("slack", "T1", "C1"), DigestSpec(), created_by="U1")
        saved = db.write_now(lambda s: save_subscription(s, sub, NOW))
        assert saved.id is not None
        return saved.id
    finally:
        db.dispose()


def test_a_recycled_schema_is_a_new_one_at_head_under_a_new_name_and_catalog_id(
    pool: SchemaPool,
) -> None:
    used = pool.take()
    used_oid, used_catalog = namespace_oid(pool, used), catalog_id(pool, used)
    first_id = use(pool, used)
    pool.give_back(used)

    recycled = pool.take()
    fresh = pool.create()
    migrate_to_head(pool.url(fresh))
    assert recycled != used
    assert namespace_oid(pool, recycled) == used_oid  # the same schema, renamed
    with pool.admin.connect() as conn:
        assert fingerprint(conn, recycled) == fingerprint(conn, fresh)
    assert contents(pool, recycled) == contents(pool, fresh)
    assert catalog_id(pool, recycled) not in {used_catalog, catalog_id(pool, fresh)}
    assert use(pool, recycled) == first_id  # its sequences start again
    pool.give_back(recycled)
    pool.drop(fresh)


@pytest.mark.parametrize(
    "change",
    [
        "ALTER TABLE {schema}.vote ADD COLUMN recycled_schema_probe integer",
        "CREATE TABLE {schema}.recycled_schema_probe (id integer)",
        "CREATE INDEX recycled_schema_probe ON {schema}.paper (title)",
        "ALTER TABLE {schema}.subscription ALTER COLUMN top_n DROP NOT NULL",
    ],
)
def test_a_schema_whose_definition_changed_is_dropped_not_recycled(
    pool: SchemaPool, change: str
) -> None:
    changed = pool.take()
    with pool.admin.begin() as conn:
        conn.execute(text(change.format(schema=changed)))
    pool.give_back(changed)

    after = pool.take()
    with pool.admin.connect() as conn:
        left = conn.execute(
            text("SELECT count(*) FROM pg_namespace WHERE nspname = :s"), {"s": changed}
        ).scalar_one()
        probes = conn.execute(
            text(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = :s AND c.relname = 'recycled_schema_probe'"
            ),
            {"s": after},
        ).scalar_one()
        columns = conn.execute(
            text(
                "SELECT count(*) FROM information_schema.columns WHERE table_schema = :s "
                "AND (column_name = 'recycled_schema_probe' OR "
                "(table_name = 'subscription' AND column_name = 'top_n' AND is_nullable = 'YES'))"
            ),
            {"s": after},
        ).scalar_one()
    assert (left, probes, columns) == (0, 0, 0)
    pool.give_back(after)
