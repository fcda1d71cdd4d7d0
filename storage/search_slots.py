"""Where a process keeps its search index: a slot directory that no other process is using.

A tantivy index has one writer at a time, and every process keeps its own index in step with the
database, so two processes on one machine (a shell and an ``ask``, two replicas) need two
directories. Slots are numbered directories under one base, each guarded by an advisory file
lock that the operating system drops when the process ends, so a slot is reused by the next
process and its index only catches up. When every slot is taken the index lives in memory.
"""

from __future__ import annotations

import fcntl
import hashlib
from pathlib import Path
from typing import IO

from platformdirs import user_cache_dir

SLOTS = 8


class Slot:
    """A claimed directory (or None: in memory); ``release`` gives it back."""

    def __init__(self, directory: Path | None, lock: IO[bytes] | None) -> None:
        self.directory = directory
        self._lock = lock

    def release(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing the file drops the flock
            self._lock = None


def claim_slot(base: Path | None, slots: int = SLOTS) -> Slot:
    if base is None:
        return Slot(None, None)
    base.mkdir(parents=True, exist_ok=True)
    for number in range(slots):
        handle = (base / f"slot-{number}.lock").open("ab")  # only locked, never written
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        return Slot(base / f"slot-{number}", handle)
    return Slot(None, None)


def default_search_dir(url: str) -> Path | None:
    """Beside a SQLite file; in the user's cache for a server; None (memory) for ``:memory:``."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if not path or path.startswith(":memory:"):
            return None
        return Path(path + "-search")
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    return Path(user_cache_dir("paperbot", appauthor=False)) / "search" / digest
