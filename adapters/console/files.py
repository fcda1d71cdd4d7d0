"""Where the terminal chat keeps the files replies carry: one folder, names never overwritten."""

from __future__ import annotations

import re
from pathlib import Path

from bot.reply import Attachment

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(filename: str) -> str:
    """The file's name without folders or characters a shell would trip on (``week 49.png`` ->
    ``week-49.png``); ``file`` when nothing is left."""
    name = _UNSAFE.sub("-", Path(filename).name).replace("-.", ".").strip(".-")
    return name or "file"


def save_file(folder: Path, file: Attachment) -> Path:
    """Write ``file`` into ``folder`` (made when missing) under its own name, or ``name-2.ext``
    and so on when that is taken, so an earlier export is never overwritten; returns the path."""
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(safe_name(file.filename))
    for n in range(1, 10_000):
        path = folder / (name.name if n == 1 else f"{name.stem}-{n}{name.suffix}")
        try:
            with path.open("xb") as out:
                out.write(file.content)
        except FileExistsError:
            continue
        return path.resolve()
    raise FileExistsError(f"{folder} has too many files named like {name}")
