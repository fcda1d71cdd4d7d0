"""Engine set-up and units of work.

A unit of work is a plain function of a ``Session``; ``Database.read``/``write`` run it in a worker
thread inside one transaction, so a session never lives across a network await and the event loop
never blocks on disk. On SQLite, writes begin with ``BEGIN IMMEDIATE`` so concurrent writers
queue on the busy timeout instead of failing on a lock upgrade.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy import Engine, Table, create_engine, event
from sqlalchemy.engine import Connection, Dialect
from sqlmodel import Session

from storage.search_index import SearchIndex
from storage.search_slots import default_search_dir
from storage.sqlite_file import SqliteFile, sqlite_path

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 10_000
_IMMEDIATE = "paperbot_begin_immediate"


def dialect_insert(session: Session) -> Any:
    """``insert`` of the session's dialect, for ``ON CONFLICT`` clauses (SQLite or PostgreSQL)."""
    return insert_for(session.get_bind().dialect.name)


def insert_for(dialect: str) -> Any:
    """``insert`` of the dialect named, imported on first use: a SQLite process never loads
    the PostgreSQL dialect and its drivers (tens of milliseconds of every ``paperbot ask``)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def insert_new_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> int:
    """Insert rows whose keys are not in ``table`` (``ON CONFLICT DO NOTHING`` should one be)
    in one executemany on the driver, every row naming the same columns; returns how many
    went in. What SQLAlchemy does per row and per value (tens of microseconds each, most of a
    first start's storing of the sample) is done here once per column: the statement compiled,
    each column type's bind processor looked up."""
    if not rows:
        return 0
    connection = session.connection()
    sql, columns = _insert_plan(connection.dialect, table, tuple(rows[0]))
    if connection.dialect.positional:
        params: list[Any] = [
            tuple(row[name] if bind is None else bind(row[name]) for name, bind in columns)
            for row in rows
        ]
    else:
        params = [
            {name: row[name] if bind is None else bind(row[name]) for name, bind in columns}
            for row in rows
        ]
    return int(connection.exec_driver_sql(sql, params).rowcount)


_InsertPlan = tuple[str, tuple[tuple[str, Callable[[Any], Any] | None], ...]]
_INSERT_PLANS: dict[tuple[str, str, tuple[str, ...]], _InsertPlan] = {}


def _insert_plan(dialect: Dialect, table: Table, names: tuple[str, ...]) -> _InsertPlan:
    """The driver's SQL for ``insert_new_rows``, and each bound column in the driver's order
    with the processor SQLAlchemy would run on its values (None: passed as is)."""
    key = (dialect.name, table.name, names)
    if key not in _INSERT_PLANS:
        insert = insert_for(dialect.name)(table)
        keys = [column.name for column in table.primary_key.columns]
        compiled = insert.on_conflict_do_nothing(index_elements=keys).compile(
            dialect=dialect, column_keys=list(names)
        )
        order = (compiled.positiontup if compiled.positional else list(compiled.binds)) or []
        if set(order) != set(names):  # the statement binds nothing but the rows' columns
            raise ValueError(f"cannot insert {names} into {table.name} plainly: {order}")
        columns = tuple(
            (name, table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in order
        )
        _INSERT_PLANS[key] = (str(compiled), columns)
    return _INSERT_PLANS[key]


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def normalise_url(url: str) -> str:
    """Accept the usual ``postgresql://`` spelling and use the psycopg 3 driver for it."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def create_db_engine(url: str) -> Engine:
    url = normalise_url(url)
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    # SQLAlchemy already lets a file's connections move between threads (check_same_thread).
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event own transaction start (the pysqlite default defers BEGIN and
    # cannot express BEGIN IMMEDIATE).
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    use_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def use_wal(cursor: Any, patience: float = SQLITE_BUSY_TIMEOUT_MS / 1000) -> None:
    """Switch the file to WAL once; the switch needs a moment alone with a new file.

    SQLite does not always call the busy handler for it, so processes starting together on a new
    file could fail with "database is locked"; they retry for ``patience`` seconds instead.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _begin_sqlite_transaction(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(_IMMEDIATE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """The catalog database: one engine, units of work on demand, and this process's search index.

    ``search_dir`` is where search index slots live (storage.search_slots); by default beside a
    SQLite file or in the user's cache dir, and in memory for an in-memory database.
    """

    def __init__(self, url: str, search_dir: Path | Literal["default"] | None = "default") -> None:
        self.url = normalise_url(url)
        self.engine = create_db_engine(self.url)
        # Reads and writes run on separate thread pools, so queued writes never occupy the
        # threads reads need. SQLite has one writer at a time: its writes queue in a one-thread
        # pool's queue (not on a lock inside worker threads, nor on SQLite's polling busy
        # handler), while WAL lets reads proceed. PostgreSQL gets real write parallelism, four
        # of each: more threads only fight the event loop for the GIL (bench/slack_ack.py acks
        # slower with eight of each), while the database's own cores do the waiting.
        sqlite = self.dialect == "sqlite"
        self._readers = ThreadPoolExecutor(4, thread_name_prefix="paperbot-read")
        self._writers = ThreadPoolExecutor(1 if sqlite else 4, thread_name_prefix="paperbot-write")
        base = default_search_dir(self.url) if isinstance(search_dir, str) else search_dir
        self.search_index = SearchIndex(base)  # claims its slot at the first search
        path = sqlite_path(self.url)
        self._file = None if path is None else SqliteFile(path)
        if self._file is not None:
            event.listen(self.engine, "connect", lambda *_: self._opened())

    def _opened(self) -> None:
        if self._file is not None:
            self._file.opened()

    def gone(self) -> str | None:
        """Why the SQLite file this process opened is no longer at its path (deleted or
        replaced); None while it is, and always for PostgreSQL."""
        return None if self._file is None else self._file.gone()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises. Raises
        ``DatabaseGone`` when the SQLite file was deleted under the process: nothing is
        acknowledged into a file nobody can open again."""
        if self._file is not None:
            self._file.check()
        with self.engine.connect() as conn:
            if write and self.dialect == "sqlite":
                conn = conn.execution_options(**{_IMMEDIATE: True})
            with Session(bind=conn, expire_on_commit=False) as session, session.begin():
                yield session

    def read_now(self, work: Callable[[Session], T]) -> T:
        with self.session() as session:
            return work(session)

    def write_now(self, work: Callable[[Session], T]) -> T:
        with self.session(write=True) as session:
            return work(session)

    async def read(self, work: Callable[[Session], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._readers, self.read_now, work)

    async def write(self, work: Callable[[Session], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._writers, self.write_now, work)

    def dispose(self) -> None:
        self._readers.shutdown(wait=True)
        self._writers.shutdown(wait=True)
        self.search_index.close()
        self.engine.dispose()
