"""The file a SQLite database was opened on, watched for being deleted or replaced under us.

SQLite goes on writing through a connection's open descriptor after its file is unlinked: a
process would keep acknowledging votes into a file nobody can open again, lost when it stops
(issue 18). So the file's identity (device and inode) is noted at the first connection, and
each unit of work compares the path with it first: one ``stat``, microseconds.
"""

from __future__ import annotations

import os
from pathlib import Path


class DatabaseGone(Exception):
    """The SQLite file this process opened is no longer at its path; the message says which."""


def sqlite_path(url: str) -> Path | None:
    """The file a ``sqlite:///`` URL names; None for other databases and in-memory ones."""
    if not url.startswith("sqlite:///"):
        return None
    raw = url.removeprefix("sqlite:///").split("?", 1)[0]
    return None if raw in {"", ":memory:"} else Path(raw)


class SqliteFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._identity: tuple[int, int] | None = None

    def opened(self) -> None:
        """A connection was made: the first one names the file this process uses."""
        if self._identity is None:
            try:
                found = os.stat(self.path)
            except OSError:
                return
            self._identity = (found.st_dev, found.st_ino)

    def gone(self) -> str | None:
        """Why the file opened is not the one at the path any more; None while it is."""
        if self._identity is None:
            return None
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return f"the database file {self.path} was deleted while paperbot ran"
        except OSError as error:
            return f"the database file {self.path} cannot be read ({error.strerror})"
        if (found.st_dev, found.st_ino) != self._identity:
            return f"the database file {self.path} was replaced while paperbot ran"
        return None

    def check(self) -> None:
        """Raise ``DatabaseGone`` rather than work on a file that is no longer there."""
        reason = self.gone()
        if reason is not None:
            raise DatabaseGone(reason)
