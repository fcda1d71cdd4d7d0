"""Looking rows up by a list of composite keys, so that each database uses its index.

PostgreSQL answers a row-value ``(a, b, c) IN ((...), (...))`` with one index lookup per key.
SQLite answers it by scanning the whole table, testing each row against the list: a batch of
votes cost a scan of every vote ever cast. On SQLite the condition is one ``IN`` per column
instead, which it looks up in the index (one lookup per combination of the columns' values): a
superset of the keys, so callers keep only the rows whose key they asked for. Both forms are
cached by SQLAlchemy whatever the number of keys (docs/benchmarks.md, Votes).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, tuple_


def keys_in(
    dialect: str, columns: Sequence[ColumnElement[Any]], keys: Collection[tuple[str, ...]]
) -> ColumnElement[bool]:
    """Rows whose ``columns`` are one of ``keys`` on PostgreSQL; on SQLite, possibly more."""
    if dialect != "sqlite":
        return tuple_(*columns).in_(list(keys))
    return and_(*(c.in_(sorted({key[i] for key in keys})) for i, c in enumerate(columns)))
