"""Cross-process locks, so any number of processes can start together on a new database.

Migrating and loading the first-start sample must happen once, whoever starts first: the others
wait, then find the work done. On PostgreSQL the lock is a session advisory lock on a connection
of its own (released by the server if the process dies); its key is derived from the schema, so
installations sharing one server do not block each other. On SQLite it is an ``flock`` on a file
beside the database (released by the kernel if the process dies); SQLite's own write lock cannot
serve, because the sample is loaded in many short transactions so other writers are not held up.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

STARTUP_LOCK = "paperbot:startup"


def lock_key(name: str, schema: str) -> int:
    """A signed 64-bit advisory lock key for ``name`` within ``schema``."""
    digest = hashlib.blake2b(f"{name}:{schema}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def startup_lock(engine: Engine, name: str = STARTUP_LOCK) -> Iterator[None]:
    """Hold the database's ``name`` lock for the block, waiting for it as long as it takes."""
    if engine.dialect.name == "sqlite":
        with _file_lock(_sqlite_path(engine)):
            yield
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        schema = str(conn.execute(text("SELECT current_schema()")).scalar_one())
        key = lock_key(name, schema)
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})


def _sqlite_path(engine: Engine) -> str | None:
    database = engine.url.database
    return None if not database or database == ":memory:" else database


@contextmanager
def _file_lock(database: str | None) -> Iterator[None]:
    if database is None:  # a private in-memory database: nobody else can see it
        yield
        return
    fd = os.open(f"{database}.startup-lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock
