"""PostgreSQL advisory locks as a test sees them: who holds one, and its holder's death."""

from __future__ import annotations

import time

from sqlalchemy import Connection, create_engine, text

from storage.db import Database
from storage.leader_lock import LOCK_NAME
from storage.locks import lock_key

# The backends holding a lock of the schema, given lock_params' parameters.
HOLDERS = (
    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' "
    "AND classid = :hi AND objid = :lo AND objsubid = 1"
)


def lock_params(conn: Connection, name: str = LOCK_NAME) -> tuple[int, dict[str, int]]:
    """The lock's key in this connection's schema, and its parameters for HOLDERS."""
    key = lock_key(name, str(conn.execute(text("SELECT current_schema()")).scalar_one()))
    unsigned = key & 0xFFFF_FFFF_FFFF_FFFF
    return key, {"hi": unsigned >> 32, "lo": unsigned & 0xFFFF_FFFF}


def terminate_lock_holder(db: Database, name: str = LOCK_NAME, patience: float = 60) -> None:
    """Kill the backend holding this schema's lock ``name``, as a network cut or a SIGKILLed
    process would, and return once the lock is free: ``pg_terminate_backend`` only signals, and
    on a busy machine the backend can still hold the lock when the test next asks for it."""
    admin = create_engine(db.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            _key, where = lock_params(conn, name)
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM ({HOLDERS}) AS h"), where)
            deadline = time.monotonic() + patience
            while conn.execute(text(HOLDERS), where).first() is not None:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the holder of {name} outlived its termination")
                time.sleep(0.01)
    finally:
        admin.dispose()
