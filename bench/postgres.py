"""Where a bench measures PostgreSQL: the server it may use, and a private schema on it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from sqlalchemy import create_engine, text

from storage.db import normalise_url


def bench_server() -> str | None:
    """The server named by PAPERBOT_BENCH_PG_URL (or PAPERBOT_TEST_DATABASE_URL); says when none."""
    url = os.environ.get("PAPERBOT_BENCH_PG_URL") or os.environ.get("PAPERBOT_TEST_DATABASE_URL")
    if not url:
        print("postgresql skipped: set PAPERBOT_BENCH_PG_URL to a database it may write to")
    return url or None


@contextmanager
def postgres_schema(base: str, keep: str | None = None) -> Iterator[str]:
    """The URL of a new schema on the server at ``base`` (``keep``: reuse it, never drop it)."""
    schema = keep or f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_url(base))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    joiner = "&" if "?" in base else "?"
    try:
        yield f"{base}{joiner}options={quote(f'-csearch_path={schema}')}"
    finally:
        if keep is None:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
