"""A typed line -> what the console should do with it. Pure: no I/O, no core calls."""

from __future__ import annotations

from dataclasses import dataclass

from bot.facade import ACTION_KINDS, ActionKind
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


@dataclass(frozen=True, slots=True)
class CardVote:
    """``vote 2 up``: a click on card 2's 👍 button in the last reply."""

    card: int
    value: int


@dataclass(frozen=True, slots=True)
class CardReaction:
    """``react 2 :fire:`` / ``unreact 2 :fire:``: an emoji reaction on card 2's message."""

    card: int
    emoji: str
    added: bool


@dataclass(frozen=True, slots=True)
class CardAction:
    """``save 2``, ``discuss 2``, ``similar 2``: card 2's Save, Discuss or Similar button."""

    card: int
    kind: ActionKind


@dataclass(frozen=True, slots=True)
class GestureError:
    message: str


ConsoleInput = Invocation | Quit | Blank | CardVote | CardReaction | CardAction | GestureError

GESTURE_USAGE = "vote <card number> up|down · react <card number> :emoji: · unreact <n> :emoji:"
MAX_CARD_NUMBER = 999


def translate_line(line: str, user: str) -> ConsoleInput:
    """``search lora`` and ``/papers search lora`` both become an invocation of the core."""
    text = line.strip()
    if not text:
        return Blank()
    if text.lower() in {"quit", "exit", "/quit", "/exit", ":q"}:
        return Quit()
    first, _, rest = text.partition(" ")
    if first.lower() in {"vote", "react", "unreact"}:
        return translate_gesture(first.lower(), rest.split())
    return card_action(first.lower(), rest.strip()) or invocation(text, user)


def card_action(verb: str, rest: str) -> CardAction | None:
    """``save 2``: a card number alone after an action's name is its button on that card;
    ``save 2406.12345`` stays the command (a paper id is never a small whole number)."""
    kind = next((k for k in ACTION_KINDS if k == verb), None)
    if kind is None or not (rest.isascii() and rest.isdigit()):
        return None
    number = int(rest)
    return CardAction(number, kind) if 0 < number <= MAX_CARD_NUMBER else None


def invocation(text: str, user: str) -> Invocation:
    """``text`` as a command of ``user`` in the console's one channel."""
    return Invocation(PLATFORM, WORKSPACE, CHANNEL, user, text)


def translate_gesture(verb: str, args: list[str]) -> ConsoleInput:
    number = args[0] if args else ""
    if len(args) != 2 or not (number.isascii() and number.isdigit() and 0 < int(number) < 1000):
        return GestureError(f"Usage: {GESTURE_USAGE}")
    card = int(number)
    if verb == "vote":
        direction = args[1].lower()
        if direction not in {"up", "down"}:
            return GestureError("vote takes up or down, e.g. vote 2 up")
        return CardVote(card, 1 if direction == "up" else -1)
    return CardReaction(card, args[1], added=verb == "react")
