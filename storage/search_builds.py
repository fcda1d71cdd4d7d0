"""One build of a catalog's search index per machine, shared by every process that needs one.

Each process keeps its index in a slot of its own (``storage.search_slots``), so processes
starting together on a new catalog used to index the whole catalog each, all at once, on the
same cores. Instead, a process that must index a catalog from scratch takes the base's build
lock and looks at the shared copy: if it is of this catalog and format and not ahead of the
database, it copies that (files only) and catches up from its number; otherwise it builds its
own index, then leaves a copy of it as the new shared one. The lock is an ``flock``, dropped by
the kernel if the process dies, and the shared copy is only read or replaced under it.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STATE = "state.json"
SHARED = "shared"
_TANTIVY_LOCKS = shutil.ignore_patterns(".tantivy-*.lock")  # a copy starts unlocked


@contextmanager
def build_turn(base: Path) -> Iterator[Path]:
    """Hold the base's build lock for the block (waiting as long as it takes); yields where
    the shared copy lives."""
    base.mkdir(parents=True, exist_ok=True)
    fd = os.open(base / "build.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield base / SHARED
    finally:
        os.close(fd)  # closing drops the flock


def read_state(directory: Path) -> dict[str, Any]:
    """An index folder's state file (format, catalog, number of the last paper in it), or {}."""
    try:
        state = json.loads((directory / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def write_state(directory: Path, state: dict[str, Any]) -> None:
    temporary = directory / (STATE + ".tmp")
    temporary.write_text(json.dumps(state), encoding="utf-8")
    temporary.replace(directory / STATE)


def copy_index(source: Path, target: Path) -> None:
    """Replace ``target`` with a copy of ``source``; neither may have a writer open."""
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(source, partial, ignore=_TANTIVY_LOCKS)
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
