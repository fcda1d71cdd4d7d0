"""Make sure the PostgreSQL test database exists: CI's server may answer without it.

    python .ci/test_database.py URL

Connects to the server's ``postgres`` database, creates the one URL names if it is missing, then
checks that URL itself connects. Exit 0 when the database is ready, 1 when no server answers.
"""

from __future__ import annotations

import sys

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict


def ensure(url: str) -> str:
    params = conninfo_to_dict(url)
    name = str(params.get("dbname") or "postgres")
    admin = {**params, "dbname": "postgres", "connect_timeout": 3}
    with psycopg.connect(**admin, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if found is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created the PostgreSQL database {name!r}")
    psycopg.connect(url, connect_timeout=3).close()
    return name


if __name__ == "__main__":
    try:
        ensure(sys.argv[1])
    except psycopg.OperationalError as error:
        print(f"PostgreSQL does not answer: {error}".strip(), file=sys.stderr)
        sys.exit(1)
