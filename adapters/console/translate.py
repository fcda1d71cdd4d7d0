"""A typed line -> what the console should do with it. Pure: no I/O, no core calls."""

from __future__ import annotations

from dataclasses import dataclass

from bot.model import Invocation

PLATFORM = "console"
WORKSPACE = "local"
CHANNEL = "console"


@dataclass(frozen=True, slots=True)
class Quit:
    pass


@dataclass(frozen=True, slots=True)
class Blank:
    pass


ConsoleInput = Invocation | Quit | Blank


def translate_line(line: str, user: str) -> ConsoleInput:
    """``search lora`` and ``/papers search lora`` both become an invocation of the core."""
    text = line.strip()
    if not text:
        return Blank()
    if text.lower() in {"quit", "exit", "/quit", "/exit", ":q"}:
        return Quit()
    return Invocation(
        platform=PLATFORM,
        workspace=WORKSPACE,
        channel=CHANNEL,
        user=user,
        text=text,
        user_name=user,
    )
