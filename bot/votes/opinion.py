"""One person's opinion on one paper, from their last click and the reactions they have on it.

Each vote emoji is a last-writer-wins register (present or not, and when), so reaction events land
the same in any delivery order; a remove that overtakes its add leaves the emoji absent. The
opinion is whichever is newest: the last button click, or the latest vote emoji still present.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.votes.emoji import canonical_emoji


@dataclass(frozen=True, slots=True)
class Mark:
    present: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class Decision:
    """The opinion and what it comes from, as the vote row stores it."""

    value: int
    source: str  # button | reaction | none
    emoji: str | None


@dataclass(frozen=True, slots=True)
class Opinion:
    button_value: int = 0
    button_at: datetime | None = None
    reactions: Mapping[str, Mark] = field(default_factory=dict)

    def decide(self, values: Mapping[str, int]) -> Decision:
        candidates: list[tuple[datetime, int, Decision]] = []
        if self.button_at is not None:
            decision = Decision(self.button_value, "button", None)
            candidates.append((self.button_at, 1, decision))
        for emoji, mark in self.reactions.items():
            if mark.present and values.get(emoji, 0):
                candidates.append((mark.at, 0, Decision(values[emoji], "reaction", emoji)))
        if not candidates:
            return Decision(0, "none", None)
        return max(candidates, key=lambda c: (c[0], c[1], c[2].emoji or ""))[2]

    def click(self, value: int, at: datetime, values: Mapping[str, int]) -> Opinion:
        """The same button again takes the vote back; the other one switches it."""
        current = self.decide(values).value
        return replace(self, button_value=0 if current == value else value, button_at=at)

    def react(self, emoji: str, added: bool, at: datetime) -> Opinion | None:
        """The opinion after a reaction event, or None when the event is older than what we know."""
        mark = self.reactions.get(emoji)
        if mark is not None and (at < mark.at or (at == mark.at and (added or not mark.present))):
            return None  # stale; on a tie, a removal wins
        return replace(self, reactions={**self.reactions, emoji: Mark(added, at)})


def dump_reactions(reactions: Mapping[str, Mark]) -> str:
    return json.dumps(
        {emoji: [mark.present, mark.at.isoformat()] for emoji, mark in sorted(reactions.items())}
    )


def load_reactions(raw: str) -> dict[str, Mark]:
    """The stored registers, keyed as ``canonical_emoji`` keys them now: rows written before
    keys were emoji characters hold names (``thumbsup``). Two spellings of one emoji keep the
    newer mark, a removal on a tie, as ``Opinion.react`` would have."""
    reactions: dict[str, Mark] = {}
    for name, (present, at) in json.loads(raw or "{}").items():
        emoji, mark = canonical_emoji(name), Mark(bool(present), datetime.fromisoformat(at))
        known = reactions.get(emoji)
        if known is None or (mark.at, not mark.present) > (known.at, not known.present):
            reactions[emoji] = mark
    return reactions
