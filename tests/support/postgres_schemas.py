"""Private PostgreSQL schemas for tests, migrated by Alembic once and then recycled.

Running the ten migrations costs ~0.15 s a schema, most of it the server creating tables and
indexes (and dropping them again at the end), for ~400 tests. So a schema a test is done with
is recycled instead of dropped: its rows deleted, the rows Alembic left restored, its sequences
restarted, a new catalog id given (as migration 0004 gives every database) and the schema
renamed, so the next test gets a new name (and with it its own advisory lock keys) on an empty
database at head. A schema whose definition the test changed (a downgrade, an added table) is
dropped instead: its fingerprint (every relation, column, default, constraint, index, sequence,
trigger, function and type in it) no longer matches the one Alembic left.
"""

from __future__ import annotations

import atexit
import graphlib
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, text

# Everything a test could change about a schema's definition, with the schema's own name left
# out (it changes on every recycle), as one text whose md5 is compared.
_FINGERPRINT = """
WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = :schema),
rels AS (SELECT oid, relname, relkind FROM pg_class WHERE relnamespace = (SELECT oid FROM ns))
SELECT md5(replace(coalesce(string_agg(item, E'\\n' ORDER BY item), ''), concat(:schema, '.'), ''))
FROM (
    SELECT concat_ws(' ', 'relation', relname, relkind) AS item FROM rels
    UNION ALL
    SELECT concat_ws(' ', 'column', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
        a.attnotnull, a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid))
    FROM pg_attribute a JOIN rels c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT concat_ws(' ', 'constraint', conrelid::regclass, conname, pg_get_constraintdef(oid))
    FROM pg_constraint WHERE connamespace = (SELECT oid FROM ns)
    UNION ALL
    SELECT concat_ws(' ', 'index', pg_get_indexdef(i.indexrelid))
    FROM pg_index i JOIN rels c ON c.oid = i.indexrelid
    UNION ALL
    SELECT concat_ws(' ', 'sequence', c.relname, format_type(s.seqtypid, NULL), s.seqstart,
        s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle)
    FROM pg_sequence s JOIN rels c ON c.oid = s.seqrelid
    UNION ALL
    SELECT concat_ws(' ', 'trigger', t.tgrelid::regclass, t.tgname)
    FROM pg_trigger t JOIN rels c ON c.oid = t.tgrelid
    WHERE NOT t.tgisinternal
    UNION ALL
    SELECT concat_ws(' ', 'function', p.oid::regprocedure)
    FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM ns)
    UNION ALL
    SELECT concat_ws(' ', 'type', t.typname, t.typtype)
    FROM pg_type t WHERE t.typnamespace = (SELECT oid FROM ns)
) AS items
"""

_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = :schema"
_SEQUENCES = "SELECT sequencename FROM pg_sequences WHERE schemaname = :schema"
_REFERENCES = """
SELECT c.relname, r.relname FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
WHERE k.contype = 'f' AND k.connamespace = (SELECT oid FROM pg_namespace WHERE nspname = :schema)
"""


def _quoted(*names: str) -> str:
    return ".".join('"' + name.replace('"', '""') + '"' for name in names)


def new_schema_name() -> str:
    return f"t_{uuid.uuid4().hex[:12]}"


def schema_url(base: str, schema: str) -> str:
    """``base`` with ``schema`` first on every connection's search path."""
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options={quote(f'-csearch_path={schema}')}"


@dataclass(frozen=True)
class HeadState:
    """What Alembic left in a new schema: its fingerprint, its rows (the version, a catalog id)
    and its sequences' positions; and an order to empty the tables in (referencing first)."""

    fingerprint: str
    rows: dict[str, list[tuple[Any, ...]]]
    sequences: dict[str, tuple[int, bool]]
    emptying_order: tuple[str, ...]

    @classmethod
    def of(cls, conn: Connection, schema: str) -> HeadState:
        tables = conn.execute(text(_TABLES), {"schema": schema}).scalars().all()
        order = graphlib.TopologicalSorter({table: set() for table in tables})
        for table, referenced in conn.execute(text(_REFERENCES), {"schema": schema}):
            order.add(referenced, table)  # the referencing table is emptied before
        rows = {
            table: [
                tuple(row) for row in conn.execute(text(f"SELECT * FROM {_quoted(schema, table)}"))
            ]
            for table in tables
        }
        sequences: dict[str, tuple[int, bool]] = {}
        for name in conn.execute(text(_SEQUENCES), {"schema": schema}).scalars():
            position = conn.execute(
                text(f"SELECT last_value, is_called FROM {_quoted(schema, name)}")
            )
            last_value, is_called = position.one()
            sequences[name] = (int(last_value), bool(is_called))
        return cls(
            fingerprint=fingerprint(conn, schema),
            rows={table: found for table, found in rows.items() if found},
            sequences=sequences,
            emptying_order=tuple(order.static_order()),
        )

    def restore(self, conn: Connection, schema: str) -> None:
        """Empty ``schema``'s tables and put back what Alembic left, with a new catalog id."""
        conn.exec_driver_sql(
            "; ".join(f"DELETE FROM {_quoted(schema, table)}" for table in self.emptying_order)
        )
        for table, rows in self.rows.items():
            marks = ", ".join(f":v{i}" for i in range(len(rows[0])))
            conn.execute(
                text(f"INSERT INTO {_quoted(schema, table)} VALUES ({marks})"),
                [{f"v{i}": value for i, value in enumerate(row)} for row in rows],
            )
        conn.execute(
            text(f"UPDATE {_quoted(schema, 'catalog_instance')} SET id = :id"),
            {"id": str(uuid.uuid4())},
        )
        for name, (last_value, is_called) in self.sequences.items():
            conn.execute(
                text("SELECT setval(:name, :value, :called)"),
                {"name": _quoted(schema, name), "value": last_value, "called": is_called},
            )


def fingerprint(conn: Connection, schema: str) -> str:
    return str(conn.execute(text(_FINGERPRINT), {"schema": schema}).scalar_one())


class SchemaPool:
    """This process's schemas at head, handed out one test at a time and recycled after."""

    def __init__(self, base_url: str, migrate: Callable[[str], bool]) -> None:
        self._base = base_url
        self._migrate = migrate  # brings the schema at a URL to head (Alembic): is it there?
        self._admin: Engine | None = None
        self._head: HeadState | None = None
        self._spare: list[str] = []
        atexit.register(self.close)

    @property
    def admin(self) -> Engine:
        if self._admin is None:
            self._admin = create_engine(self._base, pool_size=1)
        return self._admin

    def url(self, schema: str) -> str:
        return schema_url(self._base, schema)

    def create(self) -> str:
        """A new, empty (unmigrated) schema's name."""
        schema = new_schema_name()
        with self.admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {_quoted(schema)}"))
        return schema

    def drop(self, schema: str) -> None:
        with self.admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {_quoted(schema)} CASCADE"))

    @contextmanager
    def schema_url(self, *, at_head: bool) -> Iterator[str]:
        """A private schema's URL for the block: at head (recycled after), or new and empty."""
        schema = self.take() if at_head else self.create()
        try:
            yield self.url(schema)
        finally:
            if at_head:
                self.give_back(schema)
            else:
                self.drop(schema)

    def take(self) -> str:
        """The name of a schema at head that no other test is using: a recycled one, or a new one
        migrated by Alembic."""
        if self._spare:
            return self._spare.pop()
        schema = self.create()
        at_head = self._migrate(self.url(schema))
        if self._head is None and at_head:  # (a mutant of the migrations may leave it short)
            with self.admin.connect() as conn:
                self._head = HeadState.of(conn, schema)
        return schema

    def give_back(self, schema: str) -> None:
        """Recycle ``schema`` under a new name if its definition is Alembic's, else drop it."""
        head = self._head
        with self.admin.connect() as conn:
            unchanged = head is not None and fingerprint(conn, schema) == head.fingerprint
            conn.rollback()
        if head is None or not unchanged:
            self.drop(schema)
            return
        renamed = new_schema_name()
        try:
            with self.admin.begin() as conn:
                head.restore(conn, schema)
                conn.execute(text(f"ALTER SCHEMA {_quoted(schema)} RENAME TO {_quoted(renamed)}"))
        except Exception:  # a row another schema's table still references, say: start afresh
            self.drop(schema)
            return
        self._spare.append(renamed)

    def close(self) -> None:
        while self._spare:
            self.drop(self._spare.pop())
        if self._admin is not None:
            self._admin.dispose()
