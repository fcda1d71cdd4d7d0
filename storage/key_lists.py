"""Looking rows up by a list of composite keys, so every database uses its index.

A row-value ``(a, b, c) IN (VALUES ...)`` is what SQLAlchemy's ``tuple_(...).in_(...)`` renders on
SQLite, and SQLite answers it by scanning the whole table (or index), testing each row against
the list: a batch of votes cost a scan of every vote ever cast. Joining the table to the list, a
``VALUES`` table named by a CTE (SQLite cannot name the columns of a ``VALUES`` in ``FROM``),
lets SQLite look each key up in the index, as PostgreSQL does either way (docs/benchmarks.md,
Votes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import CTE, ColumnElement, and_, column, values


def key_list(
    columns: Sequence[ColumnElement[str]], keys: Iterable[tuple[str, ...]]
) -> tuple[CTE, ColumnElement[bool]]:
    """``keys`` (each one value per column, repeats dropped) as a table, and the condition that
    joins ``columns`` to it."""
    names = [f"key_{i}" for i in range(len(columns))]
    wanted = values(
        *(column(name, c.type) for name, c in zip(names, columns, strict=True)), name="wanted"
    ).data(list(dict.fromkeys(keys)))
    table = wanted.cte("wanted")
    on = and_(*(c == table.c[name] for name, c in zip(names, columns, strict=True)))
    return table, on
