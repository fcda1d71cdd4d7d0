"""Which schema revisions this paperbot ships and which one a database is at, without Alembic.

Every start checks the schema; importing Alembic for that took most of a second of a short
``paperbot ask``. The migration files name their revision and the one before it on lines of
their own, so the head is the revision no other file names as its predecessor; the database's
revision is the row of Alembic's version table. Alembic itself is loaded only to migrate
(``storage.migrate``); a test holds these answers to Alembic's.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, inspect, text

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_NAMED = re.compile(r'^(revision|down_revision)\s*=\s*(?:"([^"]*)"|None)\s*$', re.MULTILINE)


@cache
def shipped() -> dict[str, str | None]:
    """Each revision of the migration files, with the revision it follows (None: the first)."""
    found: dict[str, str | None] = {}
    for path in sorted(VERSIONS.glob("*.py")):
        names = dict((key, value or None) for key, value in _NAMED.findall(path.read_text()))
        if names.get("revision"):
            found[str(names["revision"])] = names.get("down_revision")
    return found


def head() -> str | None:
    """The newest revision: the one that no other follows (None if that is not exactly one)."""
    followed = set(shipped().values())
    heads = [revision for revision in shipped() if revision not in followed]
    return heads[0] if len(heads) == 1 else None


def stored(conn: Connection) -> str | None:
    """The revision recorded in the database (None: never migrated)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return str(rows[0]) if len(rows) == 1 else None
