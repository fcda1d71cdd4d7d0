"""Which replica runs the digest scheduler (or serves a Discord shard, ``bot/cli/shards.py``):
the holder of a PostgreSQL advisory lock, one lock per name.

APScheduler 3.x cannot share a job store between processes, so with several replicas exactly one
schedules; ``digest_run`` stays the safety net should two ever overlap. The lock is a session
lock held on a dedicated connection (autocommit, outside the pool) for as long as the process
leads; if that connection dies the database releases the lock, ``still_held`` notices, and the
scheduler stops until the lock is won again. The key is derived from the schema, so separate
installations sharing one database (or tests in private schemas) do not block each other.

On SQLite there is one machine and one file: every process leads, and the run claims (writers
serialised by SQLite) keep a second process from posting twice.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

from storage.db import Database
from storage.locks import lock_key

log = logging.getLogger("paperbot.leader")

LOCK_NAME = "paperbot:digest-scheduler"


class LeaderLock:
    def __init__(
        self, db: Database, name: str = LOCK_NAME, label: str = "digest scheduler"
    ) -> None:
        self._url = db.url
        self._sqlite = db.dialect == "sqlite"
        self._name = name
        self._label = label  # what the lock is for, in log lines
        self._engine: Engine | None = None
        self._conn: Connection | None = None
        self._key: int | None = None

    @property
    def held(self) -> bool:
        return self._sqlite or self._conn is not None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; blocking I/O, so call it from a worker thread."""
        if self.held:
            return True
        if self._engine is None:
            self._engine = create_engine(self._url, poolclass=NullPool)
        conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            key = lock_key(self._name, str(schema))
            won = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
        except Exception:
            conn.close()
            raise
        if not won:
            conn.close()
            return False
        self._conn, self._key = conn, key
        log.info("won the %s lock (key %d)", self._label, key)
        return True

    def still_held(self) -> bool:
        """True while the lock's connection is alive; False (and forgotten) once it is not."""
        if self._sqlite:
            return True
        if self._conn is None:
            return False
        try:
            self._conn.execute(text("SELECT 1"))
            return True
        except Exception:
            log.warning("lost the connection holding the %s lock", self._label)
            self._drop()
            return False

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
            except Exception:
                log.warning("could not unlock the %s lock; closing its connection", self._label)
            self._drop()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def _drop(self) -> None:
        conn, self._conn, self._key = self._conn, None, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                log.debug("closing the lock connection failed", exc_info=True)
